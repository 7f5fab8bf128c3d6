/**
 * The one driver of both WebAssembly kernels (float64 in gemm.wat, float32 in gemm-f32.wat).
 * JavaScript only moves whole arrays (`set` and `subarray`, both memcpy); every loop over elements
 * runs in WebAssembly: the module packs op(A) and op(B) from its own copy of A and B (converting to
 * float32 in the float32 module), multiplies the panels, and writes the float64 result that is
 * copied back into C. No per-element JavaScript loop means no typed-array bounds checks and no
 * type feedback shared between the two element types.
 *
 * Memory, in bytes from 0 (each start 16-byte aligned): A and B as given (float64), the float64
 * result, the packed panels of op(A) and op(B), the padded C. It grows once and is reused.
 */
import { KC, gemm, isThin, thin } from "../gemm.js";
import type { GemmModule } from "./module.js";
import { memoryOf } from "./module.js";

/** How a module stores its panels: bytes per element, and columns per panel of op(B). */
export interface PanelFormat {
  readonly elementBytes: 4 | 8;
  readonly columnsPerPanel: 4 | 8;
}

/** A module's memory as float64, and the sub-views handed to `set`, kept so a call allocates nothing. */
interface Views {
  readonly all: Float64Array;
  /** by start, then by length (both in float64 units) */
  readonly ranges: Map<number, Map<number, Float64Array>>;
}

const views = new WeakMap<GemmModule, Views>();
const align16 = (bytes: number) => (bytes + 15) & ~15;

/** The views of g's memory, grown to at least `bytes` (growing replaces the buffer, so the views
 * too); undefined when the memory cannot grow that far. */
function viewsOf(g: GemmModule, bytes: number): Views | undefined {
  let buffer: ArrayBuffer;
  try {
    buffer = memoryOf(g, bytes);
  } catch {
    return undefined; // RangeError from WebAssembly.Memory.grow: out of memory or over the maximum
  }
  let v = views.get(g);
  if (v === undefined || v.all.buffer !== buffer) views.set(g, (v = { all: new Float64Array(buffer), ranges: new Map() }));
  return v;
}

/** all[start .. start + length), made once per range (a training loop uses a handful; the cache is
 * emptied past 64 starts, so many shapes cannot make it grow without bound). */
function range(v: Views, start: number, length: number): Float64Array {
  let byLength = v.ranges.get(start);
  if (byLength === undefined && v.ranges.size >= 64) v.ranges.clear();
  if (byLength === undefined) v.ranges.set(start, (byLength = new Map()));
  let view = byLength.get(length);
  if (view === undefined) byLength.set(length, (view = v.all.subarray(start, start + length)));
  return view;
}

/**
 * The most memory a module may take for one product (A, B and C in float64, plus panels): larger
 * products (a forward pass over a whole large dataset at once) run on the TypeScript kernel rather
 * than grow the module towards WebAssembly's 4 GiB limit. Also used when growing fails.
 */
let memoryLimit = 1 << 30;

/** Sets the limit above (tests lower it); returns the previous one. */
export function setWasmMemoryLimit(bytes: number): number {
  const previous = memoryLimit;
  memoryLimit = bytes;
  return previous;
}

/** Same contract as `gemm` in ../gemm.ts: C (m x n) = alpha op(A) op(B), plus C when `accumulate`. */
export function gemmWith(
  g: GemmModule, format: PanelFormat,
  transA: boolean, transB: boolean, m: number, n: number, k: number,
  a: Float64Array, b: Float64Array, c: Float64Array, accumulate: boolean, alpha: number,
): void {
  if (isThin(m, n, k)) {
    thin(transA, transB, m, n, k, a, b, c, accumulate, alpha);
    return;
  }
  const { elementBytes: e, columnsPerPanel: w } = format;
  const mPanels = (m + 3) >> 2, nPanels = (n + w - 1) / w | 0;
  const kBlock = Math.min(KC, k);
  const aAt = 0, bAt = align16(8 * m * k), outAt = align16(bAt + 8 * k * n);
  const paAt = align16(outAt + 8 * m * n), pbAt = paAt + 4 * mPanels * kBlock * e;
  const pcAt = pbAt + w * nPanels * kBlock * e, ldc = w * nPanels * e;
  const bytes = pcAt + 4 * mPanels * ldc;
  const v = bytes <= memoryLimit ? viewsOf(g, bytes) : undefined;
  if (v === undefined) {
    gemm(transA, transB, m, n, k, a, b, c, accumulate, alpha);
    return;
  }
  const mem = v.all;
  mem.set(a, aAt / 8);
  mem.set(b, bAt / 8);
  for (let k0 = 0; k0 < k; k0 += KC) {
    const kc = Math.min(KC, k - k0);
    // Rows of op(A). A transposed is k x m: one step of k is a contiguous row of A, packed a
    // vector at a time; A plain is m x k: each row of op(A) is contiguous, packed line by line.
    if (transA) g.packRows(aAt + 8 * k0 * m, 8 * m, m, 4, kc, paAt);
    else g.pack(aAt + 8 * k0, 8 * k, m, 4, kc, paAt);
    // Columns of op(B): B plain is k x n (a step of k is a contiguous row), B transposed is n x k.
    if (transB) g.pack(bAt + 8 * k0, 8 * k, n, w, kc, pbAt);
    else g.packRows(bAt + 8 * k0 * n, 8 * n, n, w, kc, pbAt);
    g.kernel(paAt, pbAt, pcAt, mPanels, nPanels, kc, k0 === 0 ? 1 : 0);
  }
  if (accumulate) mem.set(c, outAt / 8); // c is m x n: the ops size every result exactly
  g.copyOut(pcAt, ldc, m, n, outAt, accumulate ? 1 : 0, alpha);
  c.set(range(v, outAt / 8, m * n));
}
