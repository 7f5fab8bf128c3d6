/**
 * Datasets: inputs and targets as matrices with one column per example, built from plain arrays
 * with run-time validation (the boundary where sizes stop being known to the compiler).
 */
import type { Dyn } from "../shape/dims.js";
import { describe } from "../shape/dims.js";
import { ShapeError, shapeMessage } from "../shape/errors.js";
import type { AnyMatrix, DType, Matrix } from "../shape/matrix.js";
import { allocate, checkMatrix, checkSize, dtypeOf, makeMatrix } from "../shape/matrix.js";
import type { SizeArg } from "../shape/dims.js";
import { checkAllFinite, checkDType } from "../ops/create.js";
import type { Floats } from "../kernels/elementwise.js";
import { argmax } from "../ops/activations.js";

/**
 * N examples: `inputs` is In x N and `targets` Out x N, example j in column j of both, both of
 * element type D. A float32 dataset holds its numbers in half the memory; `fit` and `evaluate`
 * take a dataset of either type for a network of either type, converting each batch to the
 * network's type as they gather it.
 */
export interface Dataset<In extends number, Out extends number, N extends number = Dyn, D extends DType = "float64"> {
  readonly inputs: Matrix<In, N, D>;
  readonly targets: Matrix<Out, N, D>;
}

/** Options of `dataset`. */
export interface DatasetOptions<In extends number, K extends number, D extends DType = "float64"> {
  /** Numbers per example (e.g. 784). */
  readonly features: SizeArg<In, "dataset">;
  /** Number of classes; labels are whole numbers in 0 .. classes-1 (e.g. 10). */
  readonly classes: SizeArg<K, "dataset">;
  /**
   * Element type of inputs and targets (default "float64"). "float32" rounds each number to the
   * nearest float32 and takes half the memory: for data that is float32 at heart (pixels).
   */
  readonly dtype?: D;
}

/**
 * `dataset(examples, labels, { features: 784, classes: 10 })`: a classification dataset from one
 * array of numbers per example and one class label per example; targets are one-hot. Throws a
 * ShapeError on a wrong feature count, a label out of range or not a whole number, NaN or Infinity,
 * or different numbers of examples and labels. `{ dtype: "float32" }` makes a float32 dataset (a
 * finite number beyond float32's range is then refused too).
 */
export function dataset<const In extends number, const K extends number, D extends DType = "float64">(
  examples: readonly ArrayLike<number>[], labels: ArrayLike<number>, options: DatasetOptions<In, K, D>,
): Dataset<In, K, Dyn, D> {
  if (typeof options !== "object" || options === null) throw new TypeError(`dataset expects options { features, classes, dtype? } (features and classes are required), got ${describe(options)}`);
  const features: unknown = options.features, classes: unknown = options.classes;
  checkSize("dataset", features);
  checkSize("dataset", classes);
  // checkDType returns the dtype given, which is D, or "float64" when none is given (D's default).
  const dtype = checkDType("dataset", options.dtype ?? "float64") as D;
  if (!Array.isArray(examples) || examples.length === 0) throw new ShapeError(shapeMessage("dataset", "at least one example", Array.isArray(examples) ? "none" : describe(examples)));
  const n = examples.length;
  if (labels == null || labels.length !== n) throw new ShapeError(shapeMessage("dataset", `${n} labels (one per example)`, `${labels == null ? String(labels) : labels.length}`));
  const inputs = allocate(dtype, features * n);
  const targets = allocate(dtype, classes * n);
  for (let j = 0; j < n; j++) {
    const x = examples[j]!;
    if (x == null || x.length !== features) throw new ShapeError(shapeMessage("dataset", `${features} features per example`, `${x == null ? String(x) : x.length} in example ${j}`));
    for (let i = 0; i < features; i++) {
      const v = x[i]!;
      if (typeof v !== "number" || !Number.isFinite(v)) throw new ShapeError(shapeMessage("dataset", "finite numbers", `${String(v)} in example ${j} feature ${i}`));
      inputs[i * n + j] = v;
      // A finite number beyond float32's range becomes Infinity in a float32 dataset.
      if (!Number.isFinite(inputs[i * n + j]!)) throw new ShapeError(shapeMessage("dataset", "numbers within float32's range (a float32 dataset)", `${String(v)} in example ${j} feature ${i}`));
    }
    const label = labels[j]!;
    if (!Number.isInteger(label) || label < 0 || label >= classes) {
      throw new ShapeError(shapeMessage("dataset", `whole-number labels in 0..${classes - 1}`, `${label} for example ${j}`));
    }
    targets[label * n + j] = 1;
  }
  // features and classes are the run-time values of In and K (checked sizes); n is a run-time count.
  return {
    inputs: makeMatrix(features, n, dtype, inputs) as unknown as Matrix<In, Dyn, D>,
    targets: makeMatrix(classes, n, dtype, targets) as unknown as Matrix<K, Dyn, D>,
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

/**
 * Checks a dataset of either element type (what `fit` and `evaluate` take): matrices, inputs and
 * targets of one element type, equal example counts, finite numbers.
 */
export function checkDatasetOfEitherDType(op: string, data: unknown, inputs: number, outputs: number): { inputs: AnyMatrix<DType>; targets: AnyMatrix<DType> } {
  if (typeof data !== "object" || data === null) throw new ShapeError(shapeMessage(op, "a dataset { inputs, targets }", describe(data)));
  const { inputs: x, targets: t } = data as { inputs: unknown; targets: unknown };
  checkMatrix(op, x);
  checkMatrix(op, t);
  const dx = dtypeOf(x.data), dt = dtypeOf(t.data);
  if (dx !== dt) throw new ShapeError(shapeMessage(op, "a dataset whose inputs and targets have one element type", `${dx} inputs and ${dt} targets`));
  if (x.rows !== inputs) throw new ShapeError(shapeMessage(op, `inputs with ${inputs} rows (one column per example)`, `${x.rows}x${x.cols}`));
  if (t.rows !== outputs || t.cols !== x.cols) throw new ShapeError(shapeMessage(op, `targets of shape ${outputs}x${x.cols}`, `${t.rows}x${t.cols}`));
  checkAllFinite(op, x.data);
  checkAllFinite(op, t.data);
  return { inputs: x, targets: t };
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
export function size<In extends number, Out extends number, N extends number, D extends DType = "float64">(data: Dataset<In, Out, N, D>): N {
  checkAnyDataset("size", data);
  return data.inputs.cols;
}

/** The class of each example: the row of the largest target in its column. */
export function labelsOf<In extends number, Out extends number, N extends number, D extends DType = "float64">(data: Dataset<In, Out, N, D>): Int32Array {
  checkAnyDataset("labelsOf", data);
  const out = new Int32Array(data.targets.cols);
  argmax(data.targets, out);
  return out;
}

/** The examples at `indices` (in that order) as a new dataset of the same element type. */
export function subset<In extends number, Out extends number, N extends number, D extends DType = "float64">(data: Dataset<In, Out, N, D>, indices: ArrayLike<number>): Dataset<In, Out, Dyn, D> {
  checkAnyDataset("subset", data);
  if (indices == null || typeof indices.length !== "number") throw new TypeError(`subset expects an array of indices, got ${describe(indices)}`);
  const n = data.inputs.cols;
  for (let j = 0; j < indices.length; j++) {
    const k = indices[j]!;
    if (!Number.isInteger(k) || k < 0 || k >= n) throw new RangeError(`subset expects indices in 0..${n - 1}, got ${describe(k)} at ${j}`);
  }
  checkSize("subset", indices.length);
  const pick = <R extends number, C extends number>(m: Matrix<R, C, D>) => {
    const out = allocate(m.dtype, m.rows * indices.length);
    gatherColumns(m.data, m.rows, m.cols, indices, 0, indices.length, out);
    return makeMatrix(m.rows, indices.length as number, m.dtype, out);
  };
  // pick keeps each matrix's row count and element type, so the rows stay In and Out; the column count is run-time.
  return { inputs: pick(data.inputs) as unknown as Matrix<In, Dyn, D>, targets: pick(data.targets) as unknown as Matrix<Out, Dyn, D> };
}

/** out (rows x count) = columns indices[start..start+count) of src (rows x n). */
export function gatherColumns(src: Floats, rows: number, n: number, indices: ArrayLike<number>, start: number, count: number, out: Floats): void {
  for (let i = 0; i < rows; i++) {
    const row = i * n, o = i * count;
    for (let b = 0; b < count; b++) out[o + b] = src[row + indices[start + b]!]!;
  }
}
