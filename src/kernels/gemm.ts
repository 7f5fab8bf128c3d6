/**
 * General matrix multiply on row-major Float64Arrays: C = alpha op(A) op(B) (+ C), where op is the
 * identity or the transpose. One kernel serves the three products of backpropagation,
 * W a (forward), W^T delta and delta a^T (backward), without materialising a transpose: the
 * transposition happens while packing.
 *
 * Structure (Goto/BLIS style, sized for a JavaScript engine):
 * - the K dimension is cut into blocks of KC so the packed panels stay in cache;
 * - op(A) is packed into panels of MR = 3 rows and op(B) into panels of NR = 4 columns, each stored
 *   k-major, so the micro-kernel reads both with unit stride whatever the transposition;
 * - the micro-kernel keeps a 3x4 block of C in 12 local variables (registers) across the K loop.
 *   (3x4 rather than 4x4: sixteen sums, four values of A and one of B do not fit the 15 double
 *   registers V8 allocates on x64, and the spills cost more than the extra loads; measured 10-18%
 *   faster on the network's products.)
 * The pack buffer is module scratch that grows once and is reused: no allocation per call.
 */

/** Steps of k per packed block: the panels of one block stay in the L1 and L2 caches. */
export const KC = 256;

/** Rows of C per micro-tile (and rows per packed panel of op(A)); columns per tile and per panel of op(B). */
const MR = 3, NR = 4;

// The packed panels (A first, then B) in one plain array of doubles, not a Float64Array: V8
// compiles loads from a packed double array with less code per element (no external data pointer
// to rebuild), which measured about 20% faster in the micro-kernel. It only ever holds doubles and
// is never holey (grown by Array.from), so every load stays on the fast path.
// Empty until the first packed product (a program on the WebAssembly backends never fills it).
let packed: number[] = [];

function ensure(n: number): void {
  if (packed.length < n) packed = Array.from({ length: Math.max(n, 2 * packed.length, 4096) }, () => 0.5);
}

/** Packs op(A)[all rows, k0..k0+kc) into MR-row panels from out[at]: panel p, step q holds rows MR p .. MR p + MR - 1. */
function packRowsA(a: Float64Array, transA: boolean, m: number, k: number, k0: number, kc: number, out: number[], at: number): void {
  const panels = Math.ceil(m / MR);
  for (let p = 0; p < panels; p++) {
    const base = at + p * kc * MR;
    for (let r = 0; r < MR; r++) {
      const i = p * MR + r;
      if (i >= m) {
        for (let q = 0; q < kc; q++) out[base + q * MR + r] = 0;
      } else if (transA) {
        // op(A)[i][k] = A[k][i], A stored k x m
        for (let q = 0; q < kc; q++) out[base + q * MR + r] = a[(k0 + q) * m + i]!;
      } else {
        const row = i * k + k0;
        for (let q = 0; q < kc; q++) out[base + q * MR + r] = a[row + q]!;
      }
    }
  }
}

/** Packs op(B)[k0..k0+kc), all columns] into NR-column panels, k-major, from out[at]. */
function packColsB(b: Float64Array, transB: boolean, n: number, k: number, k0: number, kc: number, out: number[], at: number): void {
  const panels = (n + NR - 1) >> 2;
  if (!transB) {
    // op(B)[k][j] = B[k][j], B stored k x n: stream each row once
    for (let q = 0; q < kc; q++) {
      const row = (k0 + q) * n;
      for (let p = 0; p < panels; p++) {
        const dst = at + p * kc * NR + q * NR;
        const j = p * NR;
        out[dst] = j < n ? b[row + j]! : 0;
        out[dst + 1] = j + 1 < n ? b[row + j + 1]! : 0;
        out[dst + 2] = j + 2 < n ? b[row + j + 2]! : 0;
        out[dst + 3] = j + 3 < n ? b[row + j + 3]! : 0;
      }
    }
    return;
  }
  // op(B)[k][j] = B[j][k], B stored n x k
  for (let p = 0; p < panels; p++) {
    const base = at + p * kc * NR;
    for (let c = 0; c < NR; c++) {
      const j = p * NR + c;
      if (j >= n) {
        for (let q = 0; q < kc; q++) out[base + q * NR + c] = 0;
      } else {
        const row = j * k + k0;
        for (let q = 0; q < kc; q++) out[base + q * NR + c] = b[row + q]!;
      }
    }
  }
}

/** C[i0..i0+3, j0..j0+4] (+)= alpha times packed A panel times packed B panel over kc steps; rows x cols of it lie inside C. */
function micro3x4(
  p: number[], aOff: number, bOff: number, kc: number,
  c: Float64Array, n: number, i0: number, j0: number, rows: number, cols: number, add: boolean,
): void {
  let c00 = 0, c01 = 0, c02 = 0, c03 = 0;
  let c10 = 0, c11 = 0, c12 = 0, c13 = 0;
  let c20 = 0, c21 = 0, c22 = 0, c23 = 0;
  // One step of k: 3 values of A times 4 of B into 12 sums; B one value at a time, so the sums, the
  // three values of A and one of B nearly fit V8's 15 allocatable double registers.
  // `if (ib > bEnd) break` is never true: each check ends a basic block, which keeps V8's scheduler
  // from hoisting every load and product of the step to its top, where they need more registers
  // than x64 has and push the sums to the stack (seen in --print-opt-code; 12-15% faster without).
  const end = aOff + kc * MR, bEnd = bOff + kc * NR;
  for (let ia = aOff, ib = bOff; ia < end; ia += MR, ib += NR) {
    const a0 = p[ia]!, a1 = p[ia + 1]!, a2 = p[ia + 2]!;
    let b = p[ib]!;
    c00 += a0 * b; c10 += a1 * b; c20 += a2 * b;
    if (ib > bEnd) break;
    b = p[ib + 1]!;
    c01 += a0 * b; c11 += a1 * b; c21 += a2 * b;
    if (ib > bEnd) break;
    b = p[ib + 2]!;
    c02 += a0 * b; c12 += a1 * b; c22 += a2 * b;
    if (ib > bEnd) break;
    b = p[ib + 3]!;
    c03 += a0 * b; c13 += a1 * b; c23 += a2 * b;
  }
  const alpha = scale[0]!;
  if (alpha !== 1) {
    c00 *= alpha; c01 *= alpha; c02 *= alpha; c03 *= alpha; c10 *= alpha; c11 *= alpha; c12 *= alpha; c13 *= alpha;
    c20 *= alpha; c21 *= alpha; c22 *= alpha; c23 *= alpha;
  }
  if (rows === MR && cols === NR) {
    let o = i0 * n + j0;
    if (add) {
      c[o] = c[o]! + c00; c[o + 1] = c[o + 1]! + c01; c[o + 2] = c[o + 2]! + c02; c[o + 3] = c[o + 3]! + c03; o += n;
      c[o] = c[o]! + c10; c[o + 1] = c[o + 1]! + c11; c[o + 2] = c[o + 2]! + c12; c[o + 3] = c[o + 3]! + c13; o += n;
      c[o] = c[o]! + c20; c[o + 1] = c[o + 1]! + c21; c[o + 2] = c[o + 2]! + c22; c[o + 3] = c[o + 3]! + c23;
    } else {
      c[o] = c00; c[o + 1] = c01; c[o + 2] = c02; c[o + 3] = c03; o += n;
      c[o] = c10; c[o + 1] = c11; c[o + 2] = c12; c[o + 3] = c13; o += n;
      c[o] = c20; c[o + 1] = c21; c[o + 2] = c22; c[o + 3] = c23;
    }
    return;
  }
  // An edge block (part of it outside C): through a preallocated array, not through a call taking
  // the sums as arguments, which would box each double into a heap number (V8 does not inline
  // such a call here, and a non-inlined call passes doubles tagged): 12 allocations per edge block.
  const t = edge;
  t[0] = c00; t[1] = c01; t[2] = c02; t[3] = c03; t[4] = c10; t[5] = c11; t[6] = c12; t[7] = c13;
  t[8] = c20; t[9] = c21; t[10] = c22; t[11] = c23;
  for (let r = 0; r < rows; r++) {
    const o = (i0 + r) * n + j0;
    for (let q = 0; q < cols; q++) c[o + q] = (add ? c[o + q]! : 0) + t[r * NR + q]!;
  }
}

/** The 3 x 4 sums of an edge block, row by row. */
const edge = new Float64Array(MR * NR);

/** True when a product takes `thin` (a dimension under 4) rather than the packed kernels: the one test both tiers use. */
export const isThin = (m: number, n: number, k: number): boolean => m < 4 || n < 4 || k < 4;

/**
 * alpha of the product under way, for micro3x4 and thinProduct to read. Passed as an argument
 * instead, it would be boxed into a new heap number at every call whose caller holds it unboxed (a
 * double TurboFan has unboxed for arithmetic): measured 16-35 bytes per product for alpha = 1/64.
 */
const scale = new Float64Array(1);

/**
 * Products with a dimension under 4 (a single example, the notes' per-example form: W a with a
 * 784 x 1, delta a^T with k = 1): packing would cost as much as the product, so plain loops, ordered
 * so that the innermost one walks memory with unit stride where the layout allows.
 */
export function thin(
  transA: boolean, transB: boolean, m: number, n: number, k: number,
  a: Float64Array, b: Float64Array, c: Float64Array, accumulate: boolean, alpha = 1,
): void {
  scale[0] = alpha;
  thinProduct(transA, transB, m, n, k, a, b, c, accumulate);
}

/** `thin` with alpha in `scale[0]`. */
function thinProduct(
  transA: boolean, transB: boolean, m: number, n: number, k: number, a: Float64Array, b: Float64Array, c: Float64Array, accumulate: boolean,
): void {
  const alpha = scale[0]!; // multiplies each element of A as it is read
  if (k === 1 && !accumulate) {
    // An outer product (delta a^T for one example): each entry written once.
    for (let i = 0; i < m; i++) {
      const ai = alpha * a[i]!, o = i * n;
      for (let j = 0; j < n; j++) c[o + j] = ai * b[j]!;
    }
    return;
  }
  if (!accumulate) c.fill(0, 0, m * n);
  if (n === 1 && !transA) {
    // Matrix times vector: one dot product per row of A.
    for (let i = 0; i < m; i++) {
      let s = 0;
      const row = i * k;
      for (let p = 0; p < k; p++) s += a[row + p]! * b[p]!;
      c[i]! += alpha * s;
    }
    return;
  }
  for (let p = 0; p < k; p++) {
    for (let i = 0; i < m; i++) {
      const aip = alpha * (transA ? a[p * m + i]! : a[i * k + p]!);
      const o = i * n;
      if (transB) for (let j = 0; j < n; j++) c[o + j]! += aip * b[j * k + p]!;
      else for (let j = 0; j < n; j++) c[o + j]! += aip * b[p * n + j]!;
    }
  }
}

/**
 * C (m x n) = alpha op(A) (m x k) times op(B) (k x n), plus C when `accumulate`.
 * A is stored m x k, or k x m when transA; B is stored k x n, or n x k when transB. alpha (1 unless
 * given) is applied as each block of C is written: the mean over a batch costs no extra pass.
 * Sizes are trusted: the typed ops in src/ops check them first.
 */
export function gemm(
  transA: boolean, transB: boolean, m: number, n: number, k: number,
  a: Float64Array, b: Float64Array, c: Float64Array, accumulate = false, alpha = 1,
): void {
  scale[0] = alpha;
  if (isThin(m, n, k)) {
    thinProduct(transA, transB, m, n, k, a, b, c, accumulate);
    return;
  }
  const mPanels = Math.ceil(m / MR);
  const nPanels = (n + NR - 1) >> 2;
  for (let k0 = 0; k0 < k; k0 += KC) {
    const kc = Math.min(KC, k - k0);
    const bAt = mPanels * kc * MR;
    ensure(bAt + nPanels * kc * NR);
    packRowsA(a, transA, m, k, k0, kc, packed, 0);
    packColsB(b, transB, n, k, k0, kc, packed, bAt);
    const add = accumulate || k0 > 0;
    for (let jp = 0; jp < nPanels; jp++) {
      const cols = Math.min(NR, n - jp * NR);
      for (let ip = 0; ip < mPanels; ip++) {
        const rows = Math.min(MR, m - ip * MR);
        micro3x4(packed, ip * kc * MR, bAt + jp * kc * NR, kc, c, n, ip * MR, jp * NR, rows, cols, add);
      }
    }
  }
}
