/**
 * `npm run predict -- --model out/model.json --input FILE`: classifies digits with a saved model.
 * FILE is JSON: an array of images, each an array of 784 numbers in 0..1 (28x28, row by row, ink
 * is 1), like the `sample-digits.json` that `npm run train` writes; a single image may be given as
 * one array.
 */
import { readFileSync } from "node:fs";
import { argmax, fromArray, modelFromJSON, predict, transpose, widen, ModelFormatError, type AnyMlp } from "../../src/index.js";
import { loadModel } from "../../src/node.js";
import { PREDICT_HELP, UsageError, parsePredictArgs, type PredictOptions } from "./cli.js";
import { consoleOutput, type Output } from "./output.js";

/** A file's text without the UTF-8 byte-order mark some editors put first (JSON.parse rejects it). */
export function readText(path: string): string {
  const text = readFileSync(path, "utf8");
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/** A saved model: JSON read here (so that a byte-order mark is accepted), other formats by loadModel. */
export function readModel(path: string): AnyMlp {
  return path.toLowerCase().endsWith(".json") ? modelFromJSON(readText(path)) : loadModel(path);
}

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

function classify(o: PredictOptions, out: Output): void {
  const net = readModel(o.model);
  const sizes = net.sizes;
  if (sizes[0] !== 784 || sizes[sizes.length - 1] !== 10) throw new ModelFormatError(`expects a 784-...-10 digit model, the file holds [${sizes.join(", ")}]`);
  const images = parseImages(readText(o.input));
  // One image per row, then transposed so that each image is a column (the network's layout).
  const x = widen(transpose(fromArray(images.flat(), images.length, 784))); // the file's sizes are checked at run time
  const p = predict(net, x);
  argmax(p).forEach((digit, j) => out.line(`image ${j}: ${digit} (probability ${(p.data[digit * images.length + j]! * 100).toFixed(2)}%)`));
}
