/**
 * The digits: the packed asset (see plugins/mnist-asset.ts) decoded to the package's own numbers,
 * the whole set as a `dataset`, and the CLI's split (`split(all, { testFraction: 0.2, seed: 1 })`,
 * as examples/mnist/main.ts does): 8,000 train / 2,000 test.
 */
import { dataset, split, type AnyDataset } from "../../../src/index.js";

export const PIXELS = 784;
export const CLASSES = 10;
export const SPLIT = { testFraction: 0.2, seed: 1 } as const;

/** The raw asset: one label byte per digit, one byte per pixel. */
export interface Digits {
  readonly count: number;
  readonly labels: Uint8Array;
  readonly pixels: Uint8Array;
}

export async function fetchDigits(url: string | URL): Promise<Digits> {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`could not load the digits from ${String(url)}: HTTP ${response.status}`);
  return decodeDigits(new Uint8Array(await response.arrayBuffer()));
}

export function decodeDigits(bytes: Uint8Array): Digits {
  const magic = new TextDecoder().decode(bytes.subarray(0, 8));
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const count = bytes.length >= 16 ? view.getUint32(8, true) : 0;
  const pixels = bytes.length >= 16 ? view.getUint32(12, true) : 0;
  if (magic !== "SGDIGIT1" || pixels !== PIXELS || bytes.length !== 16 + count * (1 + PIXELS)) {
    throw new Error(`the digits asset is damaged: expected "SGDIGIT1", ${PIXELS} pixels per digit and ${16 + count * (1 + PIXELS)} bytes, got "${magic}", ${pixels} and ${bytes.length}`);
  }
  return { count, labels: bytes.subarray(16, 16 + count), pixels: bytes.subarray(16 + count) };
}

/** The byte k stands for the package's value k/255 rounded to three decimals. */
const decode = Float64Array.from({ length: 256 }, (_, k) => Math.round((k / 255) * 1000) / 1000);

/** Digit i's 784 pixels in 0..1, as the mnist package gives them. */
export function image(d: Digits, i: number, out = new Float64Array(PIXELS)): Float64Array {
  const bytes = d.pixels.subarray(i * PIXELS, (i + 1) * PIXELS);
  for (let p = 0; p < PIXELS; p++) out[p] = decode[bytes[p]!]!;
  return out;
}

/** All digits as a dataset (checked by `dataset`), and the CLI's train/test split of it. */
export function splitDigits(d: Digits): { train: AnyDataset; test: AnyDataset } {
  const examples = Array.from({ length: d.count }, (_, i) => image(d, i));
  const all: AnyDataset = dataset(examples, d.labels, { features: PIXELS as number, classes: CLASSES as number });
  return split(all, SPLIT);
}

/**
 * Which digits the split put in the test set, in its order. `split` draws from the labels and the
 * seed only, so splitting the indices (one feature each) picks the same digits as splitting the images.
 */
export function testIndices(d: Digits): number[] {
  const indices: AnyDataset = dataset(Array.from({ length: d.count }, (_, i) => [i]), d.labels, { features: 1 as number, classes: CLASSES as number });
  return Array.from(split(indices, SPLIT).test.inputs.data);
}
