/**
 * `npm run predict -- --model out/model.json --input FILE`: classifies digits with a saved model.
 * FILE is JSON: an array of images, each an array of 784 numbers in 0..1 (28x28, row by row, ink
 * is 1), like the `sample-digits.json` that `npm run train` writes; a single image may be given as
 * one array.
 */
import { readFileSync } from "node:fs";
import { argmax, fromArray, predict, transpose, widen, ModelFormatError } from "../../src/index.js";
import { readModelFile } from "./export.js";

export const PREDICT_HELP = `Classify 28x28 digits with a model saved by npm run train.

Usage: npm run predict -- --model out/model.json --input digits.json

  --model FILE   a model.safetensors or model.json written by npm run train (a 784-...-10 network)
  --input FILE   JSON, an array of images, each 784 numbers in 0..1 (row by row, ink = 1)
`;

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

export function runPredict(argv: readonly string[], line: (s: string) => void = console.log): number {
  let model: string | undefined, input: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === "--help" || a === "-h") { line(PREDICT_HELP.trimEnd()); return 0; }
    if (a === "--model") model = argv[++i];
    else if (a === "--input") input = argv[++i];
    else { line(`predict: unknown flag "${a}" (see --help)`); return 2; }
  }
  if (!model || !input) { line("predict: --model FILE and --input FILE are both required (see --help)"); return 2; }
  try {
    const net = readModelFile(model); // shapegrad or TF.js model.json, or .onnx (by extension and content)
    const sizes = net.sizes;
    if (sizes[0] !== 784 || sizes[sizes.length - 1] !== 10) throw new ModelFormatError(`expects a 784-...-10 digit model, the file holds [${sizes.join(", ")}]`);
    const images = parseImages(readFileSync(input, "utf8"));
    // One image per row, then transposed so that each image is a column (the network's layout).
    const x = widen(transpose(fromArray(images.flat(), images.length, 784))); // the file's sizes are checked at run time
    const p = predict(net, x);
    const labels = argmax(p);
    labels.forEach((digit, j) => line(`image ${j}: ${digit} (probability ${(p.data[digit * images.length + j]! * 100).toFixed(2)}%)`));
    return 0;
  } catch (e) {
    line(`predict: ${(e as Error).message}`);
    return 1;
  }
}
