/**
 * The one driver of the WebAssembly products: float64 (gemm-f64.wat), float32 on Float32Array
 * (gemm-f32.wat) and float32 on Float64Array (the "wasm-f32" backend: convert-f32.wat packs and
 * copies out, gemm-f32.wat multiplies). JavaScript only moves whole arrays (`set`, memcpy) and
 * only those not already in the kernel heap: every loop over elements runs in WebAssembly.
 *
 * Operands that live in the shared kernel heap (heap.ts, `isResident`) are read and written in
 * place, by byte offset; the others are copied into a scratch block of the heap (and C back out;
 * a large A of the float32 products a block at a time, just before use). The float32 kernel also
 * reads a plain A in place rather than packed, when op(B) is narrow (n = 64: W a, a batch of 64).
 * The scratch block also holds the packed panels of op(A) and op(B) and the padded C, or, for a
 * product with a dimension under 4, one vector: those run on the matrix-vector kernels
 * (matvec-*.wat), which read A and B where they lie. A C that overlaps A or B (matmul(x, x, x)) is
 * computed in scratch and copied, so it is right too.
 */
import { KC, isThin } from "../gemm.js";
import { allocate, heapViews, isResident, release } from "./heap.js";
import type { GemmExports, InPlaceExports, KernelSet, MatvecExports, PackExports } from "./module.js";

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
  /** the kernel that reads op(A) where it lies, when A is in the panels' element type (float32 on Float32Array) */
  readonly inPlace?: (s: KernelSet) => InPlaceExports;
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
 * Whether float32 products read a plain A in place (kernelInPlace) rather than pack it, and copy
 * an A outside the heap block by block rather than whole (both below).
 */
let readInPlace = true;

/** Turns both of the above on or off (bench/kernels compares the two); returns the previous setting. */
export function setReadInPlace(on: boolean): boolean {
  const previous = readInPlace;
  readInPlace = on;
  return previous;
}

/**
 * Whether to read op(A) in place: only A plain (a row of op(A) is a row of A) with few panels of
 * op(B). Packing costs once per element of A and saves a little on each of the nPanels passes of
 * the kernel over it (one cache line holds 4 steps of a block, against 16 steps of one row in
 * place, and one pointer moves instead of four): with n = 64 (8 panels) W a gained 1-3%, with
 * n = 256 or 784 the packed products were 2-10% faster. A transposed is read down its columns in
 * place, 16 bytes of a row of A per step, rows 4 KiB apart for a 1024-wide W: W^T delta lost 20%.
 */
const inPlace = (transA: boolean, nPanels: number) => readInPlace && !transA && nPanels <= 8;

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
  const mPanels = (m + 3) >> 2, nPanels = ((n + f.width - 1) / f.width) | 0, kBlock = Math.min(KC, k);
  const inPlaceRows = !thin && f.inPlace !== undefined && inPlace(transA, nPanels);
  // An A outside the heap is copied a block at a time, into the same place, just before it is
  // used (so it is read back from the L2 cache, not from L3 or memory: the whole 4 MB W copied
  // took 0.31 ms, in 512 KiB blocks 0.17): MC rows of a plain A read in place, KC rows (steps) of
  // a transposed A of the float32 flavour; otherwise all at once.
  const blockwise = !aIn && !thin && (inPlaceRows || (readInPlace && transA && f.inPlace !== undefined && k > KC));
  const aBlock = aIn ? 0 : !blockwise ? m * k : inPlaceRows ? Math.min(m, MC) * k : KC * m;
  // scratch: copies of the operands not in the heap, then the panels (or a vector); B's panels
  // for all K blocks at once when the rows of A are read in place (their loop runs over K inside)
  const aOff = 0, bOff = align(aOff + e * aBlock), cOff = bIn ? bOff : align(bOff + e * k * n);
  const work = cIn ? cOff : align(cOff + e * m * n);
  const pb = work + align(4 * Math.min(mPanels, MC >> 2) * kBlock * f.panelBytes);
  const pc = pb + align(f.width * nPanels * (inPlaceRows ? k : kBlock) * f.panelBytes);
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
  if (!aIn && !blockwise) view.set(a, aAt >> shift);
  if (!bIn) view.set(b, bAt >> shift);
  if (!cIn && accumulate) view.set(c, cAt >> shift); // c is m x n: the ops size every result exactly
  if (thin) {
    thinProduct(f.matvec(set), e, transA, transB, m, n, k, aAt, bAt, cAt, base + work, accumulate, alpha);
  } else {
    // Whole blocks (m a multiple of 4, n of the panel width) and C in the panels' element type: the
    // kernel writes C itself, alpha applied, and no copy-out pass runs (the weight gradient
    // delta a^T is m x n with n = 784 or 1024: that pass cost 10-20% of its product)
    const direct = f.panelBytes === e && (m & 3) === 0 && n % f.width === 0;
    const out = direct ? cAt : base + pc, ldc = direct ? e * n : f.width * nPanels * f.panelBytes;
    at.base = base; at.work = work; at.pb = pb; at.aAt = aAt; at.out = out; at.ldc = ldc; at.direct = direct;
    const copyTo = blockwise ? aAt : undefined;
    if (inPlaceRows) rowsInPlace(f, set, view, shift, transB, m, n, k, a, copyTo, bAt, accumulate, alpha);
    else packedRows(f, set, view, shift, transA, transB, m, n, k, a, copyTo, bAt, accumulate, alpha);
    if (!direct) f.packer(set).copyOut(base + pc, ldc, m, n, cAt, accumulate ? 1 : 0, alpha);
  }
  if (!cIn) c.set(range(view, cAt >> shift, m * n));
}

/**
 * Where the current product's blocks lie (byte offsets): scratch, panels of op(A) and op(B), A,
 * and the C the kernels write (ldc bytes per row). One object, rewritten by each product: a new
 * one per product would be an allocation per call.
 */
interface Blocks {
  base: number;
  work: number;
  pb: number;
  aAt: number;
  out: number;
  ldc: number;
  /** the kernels write the real C, alpha applied (else a padded C that copyOut scales) */
  direct: boolean;
}
const at: Blocks = { base: 0, work: 0, pb: 0, aAt: 0, out: 0, ldc: 0, direct: false };

/** Packs the columns of op(B) for steps k0 .. k0 + kc at dst: B plain is k x n (a step of k is a contiguous row), B transposed is n x k. */
function packB(p: PackExports, e: number, w: number, transB: boolean, n: number, k: number, bAt: number, k0: number, kc: number, dst: number): void {
  if (transB) p.pack(bAt + e * k0, e * k, n, w, kc, dst);
  else p.packRows(bAt + e * k0 * n, e * n, n, w, kc, dst);
}

/**
 * The product with op(A) packed, K blocks outside, MC rows of op(A) inside, so that the packed
 * rows stay in the L2 cache while the kernel reads them once per panel of B. `copyTo`: where a
 * transposed A outside the heap is copied one K block (kc contiguous rows) at a time, else
 * undefined (A is at aAt whole).
 */
function packedRows<T extends Data>(
  f: Flavor<T>, set: KernelSet, view: Data, shift: number, transA: boolean, transB: boolean, m: number, n: number, k: number,
  a: T, copyTo: number | undefined, bAt: number, accumulate: boolean, alpha: number,
): void {
  const g = f.kernel(set), p = f.packer(set), e = f.bytes, w = f.width, pa = at.base + at.work, pb = at.base + at.pb;
  const nPanels = ((n + w - 1) / w) | 0, scale = at.direct ? alpha : 1;
  for (let k0 = 0; k0 < k; k0 += KC) {
    const kc = Math.min(KC, k - k0), first = k0 === 0 && !(at.direct && accumulate) ? 1 : 0;
    packB(p, e, w, transB, n, k, bAt, k0, kc, pb);
    // A transposed is k x m: one step of k is a contiguous row of A; A plain is m x k: each row of
    // op(A) is contiguous. A K block copied is A's rows k0 .. k0 + kc, now at copyTo.
    if (copyTo !== undefined) view.set(sourceRange(a, k0 * m, kc * m), copyTo >> shift);
    const aK = copyTo === undefined ? at.aAt + e * k0 * m : copyTo;
    for (let i0 = 0; i0 < m; i0 += MC) {
      const rows = Math.min(MC, m - i0);
      if (transA) p.packRows(aK + e * i0, e * m, rows, 4, kc, pa);
      else p.pack(at.aAt + e * (i0 * k + k0), e * k, rows, 4, kc, pa);
      g.kernel(pa, pb, at.out + i0 * at.ldc, (rows + 3) >> 2, nPanels, kc, first, at.ldc, scale);
    }
  }
}

/**
 * The product with a plain A read in place: MC rows of A outside, K blocks inside (B packed for all
 * of them first). Blocks of 4 whole rows go to kernelInPlace (packing a 1024x1024 W cost ~11% of
 * W a), the last rows (under 4) are packed. `copyTo`: where an A outside the heap is copied, MC
 * rows (contiguous) at a time, else undefined.
 */
function rowsInPlace<T extends Data>(
  f: Flavor<T>, set: KernelSet, view: Data, shift: number, transB: boolean, m: number, n: number, k: number,
  a: T, copyTo: number | undefined, bAt: number, accumulate: boolean, alpha: number,
): void {
  const g = f.kernel(set), p = f.packer(set), ip = f.inPlace!(set), e = f.bytes, w = f.width, pa = at.base + at.work;
  const nPanels = ((n + w - 1) / w) | 0, scale = at.direct ? alpha : 1, panels = w * nPanels * f.panelBytes; // bytes of B's panels per step
  // K block k0's panels start at pb + k0 panels (every earlier block has KC steps)
  for (let k0 = 0; k0 < k; k0 += KC) packB(p, e, w, transB, n, k, bAt, k0, Math.min(KC, k - k0), at.base + at.pb + k0 * panels);
  for (let i0 = 0; i0 < m; i0 += MC) {
    const rows = Math.min(MC, m - i0), whole = rows & ~3, left = rows - whole;
    if (copyTo !== undefined) view.set(sourceRange(a, i0 * k, rows * k), copyTo >> shift);
    // row r of the block at A + (i0 + r) k, or at copyTo + r k
    const rowsAt = copyTo === undefined ? at.aAt + e * i0 * k : copyTo, c = at.out + i0 * at.ldc;
    for (let k0 = 0; k0 < k; k0 += KC) {
      const kc = Math.min(KC, k - k0), first = k0 === 0 && !(at.direct && accumulate) ? 1 : 0, pb = at.base + at.pb + k0 * panels;
      if (whole > 0) ip.kernelInPlace(rowsAt + e * k0, e * k, e, 4 * e * k, pb, c, whole >> 2, nPanels, kc, first, at.ldc, scale);
      if (left > 0) {
        p.pack(rowsAt + e * (whole * k + k0), e * k, left, 4, kc, pa);
        g.kernel(pa, pb, c + whole * at.ldc, 1, nPanels, kc, first, at.ldc, scale);
      }
    }
  }
}

// Sub-arrays of operands outside the heap, copied a block at a time: made once per array and
// range (a training loop reuses its arrays), so a product allocates nothing once warm.
const sources = new WeakMap<Data, Map<number, Data>>(); // by array, then by start

function sourceRange(x: Data, start: number, length: number): Data {
  let byStart = sources.get(x);
  if (byStart === undefined || byStart.size >= 64) sources.set(x, (byStart = new Map()));
  let sub = byStart.get(start);
  if (sub === undefined || sub.length !== length) byStart.set(start, (sub = x.subarray(start, start + length)));
  return sub;
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
