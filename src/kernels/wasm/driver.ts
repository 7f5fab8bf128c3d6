/**
 * The one driver of the WebAssembly products: float64 (gemm-f64.wat), float32 on Float32Array
 * (gemm-f32.wat) and float32 on Float64Array (the "wasm-f32" backend: convert-f32.wat packs and
 * copies out, gemm-f32.wat multiplies). JavaScript only moves whole arrays (`set`, memcpy) and
 * only those not already in the kernel heap: every loop over elements runs in WebAssembly.
 *
 * Operands that live in the shared kernel heap (heap.ts, `isResident`) are read and written in
 * place, by byte offset; the others are copied into a scratch block of the heap (and C back out).
 * The scratch block also holds the packed panels of op(A) and op(B) and the padded C, or, for a
 * product with a dimension under 4, one vector: those run on the matrix-vector kernels
 * (matvec-*.wat), which read A and B where they lie. A C that overlaps A or B (matmul(x, x, x)) is
 * computed in scratch and copied, so it is right too.
 */
import { KC, isThin } from "../gemm.js";
import { allocate, heapViews, isResident, release } from "./heap.js";
import type { GemmExports, KernelSet, MatvecExports, PackExports } from "./module.js";

type Data = Float32Array | Float64Array;

/** A product with the contract of `gemm` in ../gemm.ts, over one array type. */
export type Product<T extends Data> = (
  transA: boolean, transB: boolean, m: number, n: number, k: number, a: T, b: T, c: T, accumulate: boolean, alpha: number,
) => void;

/** What differs between the three products this driver runs. */
export interface Flavor<T extends Data> {
  /** bytes per element of A, B and C */
  readonly bytes: 4 | 8;
  /** bytes per element of the packed panels, and columns per panel of op(B) */
  readonly panelBytes: 4 | 8;
  readonly width: 4 | 8;
  readonly kernel: (s: KernelSet) => GemmExports;
  readonly packer: (s: KernelSet) => PackExports;
  /** the matrix-vector kernels in the element type of A, B and C */
  readonly matvec: (s: KernelSet) => MatvecExports;
  /** the TypeScript kernel, for products over the memory limit or when the heap cannot grow */
  readonly fallback: Product<T>;
}

const align = (bytes: number) => (bytes + 63) & ~63;

/**
 * Rows of op(A) packed at a time (a multiple of 4). The kernel reads the packed rows once per
 * panel of op(B); packed all at once, a 1024-row A is 1 MiB per K block and, with W streaming
 * through the cache beside it, is read back partly from L3: products with n = 64 ran at 39 GFLOP/s
 * against the kernel's 52 alone.
 */
let MC = 128;

/** Sets the rows of op(A) packed at a time (a positive multiple of 4; bench/kernels measures it); returns the previous value. */
export function setRowBlock(rows: number): number {
  if (!(rows > 0 && rows % 4 === 0)) throw new RangeError(`setRowBlock expects a positive multiple of 4, got ${rows}`);
  const previous = MC;
  MC = rows;
  return previous;
}

/**
 * The most scratch one product may take: larger products (a forward pass over a whole large
 * dataset at once) run on the TypeScript kernel rather than grow the heap towards WebAssembly's
 * 4 GiB limit. Also used when growing fails.
 */
let memoryLimit = 1 << 30;

/** Sets the limit above (tests lower it); returns the previous one. */
export function setWasmMemoryLimit(bytes: number): number {
  const previous = memoryLimit;
  memoryLimit = bytes;
  return previous;
}

let scratchAt = 0, scratchBytes = 0;

/** Byte offset of a scratch block of at least `bytes` (grown once, reused), or undefined. */
function scratch(bytes: number): number | undefined {
  if (bytes <= scratchBytes) return scratchAt;
  if (scratchBytes > 0) release(scratchAt);
  scratchBytes = 0;
  const at = allocate(bytes);
  if (at === undefined) return undefined;
  scratchAt = at;
  scratchBytes = bytes;
  return at;
}

// Sub-views of the heap handed to `set`, made once per range (a training loop uses a handful; the
// cache is emptied past 64 starts, and whenever the heap's views are replaced by a growth).
let rangeBase: Data | undefined;
const ranges = new Map<number, Map<number, Data>>(); // by start, then by length

function range(view: Data, start: number, length: number): Data {
  if (rangeBase !== view || ranges.size >= 64) {
    ranges.clear();
    rangeBase = view;
  }
  let byLength = ranges.get(start);
  if (byLength === undefined) ranges.set(start, (byLength = new Map()));
  let sub = byLength.get(length);
  if (sub === undefined) byLength.set(length, (sub = view.subarray(start, start + length)));
  return sub;
}

/** True when two arrays of the heap share a byte. */
const overlap = (x: Data, y: Data) => x.byteOffset < y.byteOffset + y.byteLength && y.byteOffset < x.byteOffset + x.byteLength;

/** C (m x n) = alpha op(A) op(B), plus C when `accumulate`: the contract of `gemm` in ../gemm.ts. */
export function productWith<T extends Data>(
  f: Flavor<T>, set: KernelSet,
  transA: boolean, transB: boolean, m: number, n: number, k: number, a: T, b: T, c: T, accumulate: boolean, alpha: number,
): void {
  if (m === 0 || n === 0) return;
  if (k === 0) {
    if (!accumulate) c.fill(0, 0, m * n);
    return;
  }
  const e = f.bytes, thin = isThin(m, n, k);
  const aIn = isResident(a), bIn = isResident(b);
  // C in place only when it overlaps neither operand: written while they are still being read, it
  // would change them (the product then goes through scratch, as for arrays outside the heap)
  const cIn = isResident(c) && !(aIn && overlap(a, c)) && !(bIn && overlap(b, c));
  // scratch: copies of the operands not in the heap, then the panels (or a vector)
  const aOff = 0, bOff = aIn ? aOff : align(aOff + e * m * k), cOff = bIn ? bOff : align(bOff + e * k * n);
  const work = cIn ? cOff : align(cOff + e * m * n);
  const mPanels = (m + 3) >> 2, nPanels = ((n + f.width - 1) / f.width) | 0, kBlock = Math.min(KC, k);
  const pb = work + align(4 * Math.min(mPanels, MC >> 2) * kBlock * f.panelBytes), pc = pb + align(f.width * nPanels * kBlock * f.panelBytes);
  const need = thin ? work + align(e * Math.max(m, n, k)) : pc + 4 * mPanels * f.width * nPanels * f.panelBytes;
  const base = need <= memoryLimit ? scratch(need) : undefined;
  if (base === undefined) {
    f.fallback(transA, transB, m, n, k, a, b, c, accumulate, alpha);
    return;
  }
  const views = heapViews()!, view: Data = e === 4 ? views.f32 : views.f64;
  // element indices by shifts, not divisions: a division is a double to V8, and a double passed to
  // `set` or `subarray` is boxed (a heap allocation per call)
  const shift = e === 4 ? 2 : 3;
  const aAt = aIn ? a.byteOffset : base + aOff, bAt = bIn ? b.byteOffset : base + bOff, cAt = cIn ? c.byteOffset : base + cOff;
  if (!aIn) view.set(a, aAt >> shift);
  if (!bIn) view.set(b, bAt >> shift);
  if (!cIn && accumulate) view.set(c, cAt >> shift); // c is m x n: the ops size every result exactly
  if (thin) {
    thinProduct(f.matvec(set), e, transA, transB, m, n, k, aAt, bAt, cAt, base + work, accumulate, alpha);
  } else {
    const g = f.kernel(set), p = f.packer(set), w = f.width, pa = base + work;
    // Whole blocks (m a multiple of 4, n of the panel width) and C in the panels' element type: the
    // kernel writes C itself, alpha applied, and no copy-out pass runs (the weight gradient
    // delta a^T is m x n with n = 784 or 1024: that pass cost 10-20% of its product)
    const direct = f.panelBytes === e && (m & 3) === 0 && n % w === 0;
    const out = direct ? cAt : base + pc, ldc = direct ? e * n : w * nPanels * f.panelBytes;
    for (let k0 = 0; k0 < k; k0 += KC) {
      const kc = Math.min(KC, k - k0), first = k0 === 0 && !(direct && accumulate) ? 1 : 0;
      // Columns of op(B): B plain is k x n (a step of k is a contiguous row), B transposed is n x k.
      if (transB) p.pack(bAt + e * k0, e * k, n, w, kc, base + pb);
      else p.packRows(bAt + e * k0 * n, e * n, n, w, kc, base + pb);
      // Rows of op(A), MC at a time, so that the packed rows stay in the L2 cache while the kernel
      // reads them once per panel of B. A transposed is k x m: one step of k is a contiguous row
      // of A; A plain is m x k: each row of op(A) is contiguous.
      for (let i0 = 0; i0 < m; i0 += MC) {
        const rows = Math.min(MC, m - i0);
        if (transA) p.packRows(aAt + e * (k0 * m + i0), e * m, rows, 4, kc, pa);
        else p.pack(aAt + e * (i0 * k + k0), e * k, rows, 4, kc, pa);
        g.kernel(pa, base + pb, out + i0 * ldc, (rows + 3) >> 2, nPanels, kc, first, ldc, direct ? alpha : 1);
      }
    }
    if (!direct) p.copyOut(base + pc, ldc, m, n, cAt, accumulate ? 1 : 0, alpha);
  }
  if (!cIn) c.set(range(view, cAt >> shift, m * n));
}

/**
 * A product with a dimension under 4 as matrix-vector products, A and B read where they lie (byte
 * offsets, e bytes per element), `vec` a scratch vector. The smallest dimension decides:
 * - k: C is a sum of k outer products (delta a^T of one example: k = 1);
 * - n: each column of C is op(A) times a column of op(B) (W x, W^T delta of one example: n = 1);
 * - m: each row of C is a row of op(A) times op(B), i.e. op(B)^T times a vector.
 * Only a strided vector that a kernel needs contiguous is gathered into `vec`; W is never copied.
 */
function thinProduct(
  mv: MatvecExports, e: number, transA: boolean, transB: boolean, m: number, n: number, k: number,
  aAt: number, bAt: number, cAt: number, vec: number, accumulate: boolean, alpha: number,
): void {
  const acc = accumulate ? 1 : 0;
  if (k <= m && k <= n) {
    for (let p = 0; p < k; p++) {
      // column p of op(A) (A m x k, or row p of the k x m A), row p of op(B) (B k x n, or column p of the n x k B)
      const x = transA ? aAt + e * p * m : aAt + e * p, incx = transA ? e : e * k;
      let y = transB ? bAt + e * p : bAt + e * p * n;
      if (transB && k > 1) {
        mv.gather(y, e * k, n, vec);
        y = vec;
      }
      mv.rank1(x, incx, m, y, n, cAt, e * n, alpha, p > 0 ? 1 : acc);
    }
    return;
  }
  if (n <= m) {
    for (let j = 0; j < n; j++) {
      // column j of op(B): a row of the n x k B, or a column of the k x n B; C's column j has stride n
      let x = transB ? bAt + e * j * k : bAt + e * j;
      const incx = transB ? e : e * n;
      if (!transA) {
        if (incx !== e) {
          mv.gather(x, incx, k, vec);
          x = vec;
        }
        mv.gemvN(aAt, e * k, m, k, x, cAt + e * j, e * n, alpha, acc);
      } else if (n === 1) {
        mv.gemvT(aAt, e * m, k, m, x, incx, cAt, alpha, acc); // op(A) = A^T, A is k x m
      } else {
        mv.gemvT(aAt, e * m, k, m, x, incx, vec, alpha, 0);
        mv.scatter(vec, m, cAt + e * j, e * n, acc);
      }
    }
    return;
  }
  for (let i = 0; i < m; i++) {
    // row i of op(A): a row of the m x k A, or a column of the k x m A; row i of C is contiguous
    let x = transA ? aAt + e * i : aAt + e * i * k;
    const incx = transA ? e * m : e;
    if (transB) {
      if (incx !== e) {
        mv.gather(x, incx, k, vec);
        x = vec;
      }
      mv.gemvN(bAt, e * k, n, k, x, cAt + e * i * n, e, alpha, acc); // op(B) = B^T, B is n x k: row i of C is B x
    } else {
      mv.gemvT(bAt, e * n, k, n, x, incx, cAt + e * i * n, alpha, acc); // B is k x n: row i of C is B^T x
    }
  }
}
