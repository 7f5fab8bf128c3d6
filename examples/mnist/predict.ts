/**
 * `npm run predict -- --model out/model.safetensors --input FILE`: classifies digits with a saved
 * model of any format `readModelFile` reads (an mlp or a CNN). FILE is JSON: an array of images,
 * each an array of 784 numbers in 0..1 (28x28, row by row, ink is 1), like the `sample-digits.json`
 * that `npm run train` writes; a single image may be given as one array.
 */
import { argmax, fromArray, predict, toDType, transpose, ModelFormatError, type AnyNetwork, type DType, type Dyn, type Matrix } from "../../src/index.js";
import { PREDICT_HELP, UsageError, parsePredictArgs, type PredictOptions } from "./cli.js";
import { readModelFile, readText } from "./export.js";
import { consoleOutput, type Output } from "./output.js";

/** Reads and checks the input file: one or more images of 784 numbers in [0, 1]. */
export function parseImages(text: string): number[][] {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    throw new Error("the input is not valid JSON (expected an array of images of 784 numbers)");
  }
  if (!Array.isArray(doc) || doc.length === 0) throw new Error("the input must be a non-empty JSON array of images");
  const images = typeof doc[0] === "number" ? [doc] : doc;
  images.forEach((img, k) => {
    if (!Array.isArray(img) || img.length !== 784) throw new Error(`image ${k} must be an array of 784 numbers, got ${Array.isArray(img) ? `${img.length} entries` : typeof img}`);
    img.forEach((v, i) => {
      if (typeof v !== "number" || !Number.isFinite(v) || v < 0 || v > 1) throw new Error(`image ${k} pixel ${i} must be a number in 0..1, got ${JSON.stringify(v)}`);
    });
  });
  return images as number[][];
}

/** Runs `predict`; returns the exit code: 0 done, 1 failed, 2 bad flags. One line per image on `out.line`. */
export function runPredict(argv: readonly string[], out: Output = consoleOutput()): number {
  let options: PredictOptions | "help";
  try {
    options = parsePredictArgs(argv);
  } catch (e) {
    if (e instanceof UsageError) {
      out.error(`predict: ${e.message}`);
      return 2;
    }
    throw e;
  }
  if (options === "help") {
    out.line(PREDICT_HELP.trimEnd());
    return 0;
  }
  try {
    classify(options, out);
    return 0;
  } catch (e) {
    out.error(`predict: ${e instanceof Error ? e.message : String(e)}`);
    return 1;
  }
}

/** A network read from a file, once its sizes are checked: 784 numbers in, 10 out; either element type. */
type DigitModel = Omit<AnyNetwork, "sizes"> & { readonly sizes: readonly [784, ...number[], 10] };

function isDigitModel(net: AnyNetwork): net is DigitModel {
  return net.sizes[0] === 784 && net.sizes[net.sizes.length - 1] === 10;
}

function hasDType<D extends DType>(net: DigitModel, dtype: D): net is Omit<DigitModel, "dtype"> & { readonly dtype: D } {
  return net.dtype === dtype;
}

/** Each column's most probable digit and its probability, computed in the network's element type. */
function classes(net: DigitModel, x: Matrix<784, Dyn>): { digit: number; probability: number }[] {
  const answer = (p: { readonly data: Float64Array | Float32Array }, digits: readonly number[]) =>
    digits.map((digit, j) => ({ digit, probability: p.data[digit * x.cols + j]! }));
  if (hasDType(net, "float64")) {
    const p = predict(net, x);
    return answer(p, argmax(p));
  }
  if (hasDType(net, "float32")) {
    const p = predict(net, toDType(x, "float32"));
    return answer(p, argmax(p));
  }
  throw new ModelFormatError(`expects a float64 or float32 model, the file holds ${String(net.dtype)}`);
}

function classify(o: PredictOptions, out: Output): void {
  const net = readModelFile(o.model);
  if (!isDigitModel(net)) throw new ModelFormatError(`expects a 784-...-10 digit model, the file holds [${net.sizes.join(", ")}]`);
  const images = parseImages(readText(o.input));
  // One image per row, then transposed so that each image is a column (the network's layout).
  const x: Matrix<784, Dyn> = transpose(fromArray(images.flat(), images.length, 784));
  classes(net, x).forEach(({ digit, probability }, j) => out.line(`image ${j}: ${digit} (probability ${(probability * 100).toFixed(2)}%)`));
}
