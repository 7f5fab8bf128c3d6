/**
 * Datasets: inputs and targets as matrices with one column per example, built from plain arrays
 * with run-time validation (the boundary where sizes stop being known to the compiler).
 */
import type { Dyn } from "../shape/dims.js";
import { describe } from "../shape/dims.js";
import { ShapeError, shapeMessage } from "../shape/errors.js";
import type { Matrix } from "../shape/matrix.js";
import { checkMatrix, checkSize, makeMatrix } from "../shape/matrix.js";
import type { SizeArg } from "../shape/dims.js";
import { checkAllFinite } from "../ops/create.js";
import { argmax } from "../ops/activations.js";

/** N examples: `inputs` is In x N and `targets` Out x N, example j in column j of both. */
export interface Dataset<In extends number, Out extends number, N extends number = Dyn> {
  readonly inputs: Matrix<In, N>;
  readonly targets: Matrix<Out, N>;
}

/** Options of `dataset`. */
export interface DatasetOptions<In extends number, K extends number> {
  /** Numbers per example (e.g. 784). */
  readonly features: SizeArg<In, "dataset">;
  /** Number of classes; labels are whole numbers in 0 .. classes-1 (e.g. 10). */
  readonly classes: SizeArg<K, "dataset">;
}

/**
 * `dataset(examples, labels, { features: 784, classes: 10 })`: a classification dataset from one
 * array of numbers per example and one class label per example; targets are one-hot. Throws a
 * ShapeError on a wrong feature count, a label out of range or not a whole number, NaN or Infinity,
 * or different numbers of examples and labels.
 */
export function dataset<const In extends number, const K extends number>(
  examples: readonly ArrayLike<number>[], labels: ArrayLike<number>, options: DatasetOptions<In, K>,
): Dataset<In, K> {
  if (typeof options !== "object" || options === null) throw new TypeError(`dataset expects options { features, classes } (they are required), got ${describe(options)}`);
  const features: unknown = options.features, classes: unknown = options.classes;
  checkSize("dataset", features);
  checkSize("dataset", classes);
  if (!Array.isArray(examples) || examples.length === 0) throw new ShapeError(shapeMessage("dataset", "at least one example", Array.isArray(examples) ? "none" : describe(examples)));
  const n = examples.length;
  if (labels == null || labels.length !== n) throw new ShapeError(shapeMessage("dataset", `${n} labels (one per example)`, `${labels == null ? String(labels) : labels.length}`));
  const inputs = new Float64Array(features * n);
  const targets = new Float64Array(classes * n);
  for (let j = 0; j < n; j++) {
    const x = examples[j]!;
    if (x == null || x.length !== features) throw new ShapeError(shapeMessage("dataset", `${features} features per example`, `${x == null ? String(x) : x.length} in example ${j}`));
    for (let i = 0; i < features; i++) {
      const v = x[i]!;
      if (typeof v !== "number" || !Number.isFinite(v)) throw new ShapeError(shapeMessage("dataset", "finite numbers", `${String(v)} in example ${j} feature ${i}`));
      inputs[i * n + j] = v;
    }
    const label = labels[j]!;
    if (!Number.isInteger(label) || label < 0 || label >= classes) {
      throw new ShapeError(shapeMessage("dataset", `whole-number labels in 0..${classes - 1}`, `${label} for example ${j}`));
    }
    targets[label * n + j] = 1;
  }
  // features and classes are the run-time values of In and K (checked sizes); n is a run-time count.
  return {
    inputs: makeMatrix(features, n, "float64", inputs) as unknown as Matrix<In, Dyn>,
    targets: makeMatrix(classes, n, "float64", targets) as unknown as Matrix<K, Dyn>,
  };
}

/** Checks a dataset given by a JS caller or read from a file: matrices, equal example counts, finite. */
export function checkDataset(op: string, data: unknown, inputs: number, outputs: number): { inputs: Matrix<Dyn, Dyn>; targets: Matrix<Dyn, Dyn> } {
  if (typeof data !== "object" || data === null) throw new ShapeError(shapeMessage(op, "a dataset { inputs, targets }", describe(data)));
  const { inputs: x, targets: t } = data as { inputs: unknown; targets: unknown };
  checkMatrix(op, x);
  checkMatrix(op, t);
  if (!(x.data instanceof Float64Array) || !(t.data instanceof Float64Array)) throw new ShapeError(shapeMessage(op, "a dataset of float64 matrices", "float32"));
  if (x.rows !== inputs) throw new ShapeError(shapeMessage(op, `inputs with ${inputs} rows (one column per example)`, `${x.rows}x${x.cols}`));
  if (t.rows !== outputs || t.cols !== x.cols) throw new ShapeError(shapeMessage(op, `targets of shape ${outputs}x${x.cols}`, `${t.rows}x${t.cols}`));
  checkAllFinite(op, x.data);
  checkAllFinite(op, t.data);
  // Checked above: both are float64 matrices.
  return { inputs: x as Matrix<Dyn, Dyn>, targets: t as Matrix<Dyn, Dyn> };
}

/** Throws unless `data` is a dataset of this library's shape (matrices with one column per example). */
export function checkAnyDataset(op: string, data: unknown): void {
  const d = data as { inputs?: unknown; targets?: unknown } | null;
  if (typeof d !== "object" || d === null) throw new ShapeError(shapeMessage(op, "a dataset { inputs, targets }", describe(data)));
  checkMatrix(op, d.inputs);
  checkMatrix(op, d.targets);
  if (d.targets.cols !== d.inputs.cols) throw new ShapeError(shapeMessage(op, `targets with ${d.inputs.cols} columns like the inputs`, `${d.targets.cols}`));
}

/** The number of examples in a dataset. */
export function size<In extends number, Out extends number, N extends number>(data: Dataset<In, Out, N>): N {
  checkAnyDataset("size", data);
  return data.inputs.cols;
}

/** The class of each example: the row of the largest target in its column. */
export function labelsOf<In extends number, Out extends number, N extends number>(data: Dataset<In, Out, N>): Int32Array {
  checkAnyDataset("labelsOf", data);
  const out = new Int32Array(data.targets.cols);
  argmax(data.targets, out);
  return out;
}

/** The examples at `indices` (in that order) as a new dataset. */
export function subset<In extends number, Out extends number, N extends number>(data: Dataset<In, Out, N>, indices: ArrayLike<number>): Dataset<In, Out> {
  checkAnyDataset("subset", data);
  if (indices == null || typeof indices.length !== "number") throw new TypeError(`subset expects an array of indices, got ${describe(indices)}`);
  const n = data.inputs.cols;
  for (let j = 0; j < indices.length; j++) {
    const k = indices[j]!;
    if (!Number.isInteger(k) || k < 0 || k >= n) throw new RangeError(`subset expects indices in 0..${n - 1}, got ${describe(k)} at ${j}`);
  }
  checkSize("subset", indices.length);
  const pick = <R extends number, C extends number>(m: Matrix<R, C>) => {
    const out = new Float64Array(m.rows * indices.length);
    gatherColumns(m.data, m.rows, m.cols, indices, 0, indices.length, out);
    return makeMatrix(m.rows, indices.length as number, "float64", out);
  };
  // pick keeps each matrix's row count, so the rows stay In and Out; the column count is run-time.
  return { inputs: pick(data.inputs) as unknown as Matrix<In, Dyn>, targets: pick(data.targets) as unknown as Matrix<Out, Dyn> };
}

/** out (rows x count) = columns indices[start..start+count) of src (rows x n). */
export function gatherColumns(src: Float64Array, rows: number, n: number, indices: ArrayLike<number>, start: number, count: number, out: Float64Array): void {
  for (let i = 0; i < rows; i++) {
    const row = i * n, o = i * count;
    for (let b = 0; b < count; b++) out[o + b] = src[row + indices[start + b]!]!;
  }
}
