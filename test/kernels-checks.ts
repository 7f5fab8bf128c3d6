/**
 * Checks of the matrix-product kernels against naive loops written from the definition, shared by
 * the vitest files (test/kernels-*.test.ts) and by test/kernels-relaxed-run.ts, which a test runs
 * in a child `node --experimental-wasm-relaxed-simd` so that the relaxed-SIMD kernels are checked
 * on Node 20 too. Each check throws (fast-check's counterexample, or an Error) on failure.
 */
import fc from "fast-check";

type Data = Float32Array | Float64Array;
export type Product<T extends Data> = (
  transA: boolean, transB: boolean, m: number, n: number, k: number, a: T, b: T, c: T, accumulate?: boolean, alpha?: number,
) => void;

/** How a check makes the arrays it hands to a product: ordinary ones, or (where it can) in the kernel heap. */
export type Make<T extends Data> = (length: number) => T;

/** Seeded values in [-1, 1). */
export function fillRandom<T extends Data>(x: T, seed: number): T {
  let s = (seed >>> 0) || 1;
  for (let i = 0; i < x.length; i++) {
    s ^= s << 13; s >>>= 0; s ^= s >>> 17; s ^= s << 5; s >>>= 0;
    x[i] = s / 2147483648 - 1;
  }
  return x;
}

/** C = alpha op(A) op(B) (+ C) by the definition, in float64, from A and B as stored. */
export function naiveProduct(
  transA: boolean, transB: boolean, m: number, n: number, k: number, a: Data, b: Data, before: Data, accumulate: boolean, alpha: number,
): Float64Array {
  const c = new Float64Array(m * n);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let p = 0; p < k; p++) s += (transA ? a[p * m + i]! : a[i * k + p]!) * (transB ? b[j * k + p]! : b[p * n + j]!);
      c[i * n + j] = alpha * s + (accumulate ? before[i * n + j]! : 0);
    }
  }
  return c;
}

/** Runs one product on fresh arrays and throws when an entry is further than `tol` k (scaled) from the definition. */
export function checkOne<T extends Data>(
  product: Product<T>, make: readonly Make<T>[], tol: number,
  transA: boolean, transB: boolean, m: number, n: number, k: number, accumulate: boolean, alpha: number, seed: number,
): void {
  const [makeA, makeB, makeC] = [make[seed % make.length]!, make[(seed >>> 1) % make.length]!, make[(seed >>> 2) % make.length]!];
  const a = fillRandom(makeA(m * k), seed), b = fillRandom(makeB(k * n), seed + 1), c = fillRandom(makeC(m * n), seed + 2);
  const want = naiveProduct(transA, transB, m, n, k, a, b, c, accumulate, alpha);
  product(transA, transB, m, n, k, a, b, c, accumulate, alpha);
  // |error| <= tol per step of k, relative to |alpha| (inputs are in [-1, 1)), plus C's own size
  const bound = tol * (k * Math.abs(alpha) + 1) * 3;
  for (let i = 0; i < m * n; i++) {
    const d = Math.abs(c[i]! - want[i]!);
    if (!(d <= bound)) {
      throw new Error(`product ${transA ? "T" : "N"}${transB ? "T" : "N"} m=${m} n=${n} k=${k} acc=${accumulate} alpha=${alpha}: entry ${i} is ${c[i]}, want ${want[i]} (|diff| ${d} > ${bound})`);
    }
  }
}

/** All four transposition cases on random shapes (1..37 x 1..37, k up to 600: sizes under 4 take the thin path). */
export function checkRandomShapes<T extends Data>(product: Product<T>, make: readonly Make<T>[], tol: number, numRuns = 150): void {
  fc.assert(fc.property(
    fc.integer({ min: 1, max: 37 }), fc.integer({ min: 1, max: 37 }), fc.integer({ min: 1, max: 600 }),
    fc.boolean(), fc.boolean(), fc.boolean(), fc.constantFrom(1, 0.25, -3), fc.nat(),
    (m, n, k, tA, tB, acc, alpha, seed) => checkOne(product, make, tol, tA, tB, m, n, k, acc, alpha, seed),
  ), { numRuns });
}

/** Whole blocks (m a multiple of 4, n of 8): the packed kernel writes C directly, alpha applied, across K blocks. */
export function checkWholeBlocks<T extends Data>(product: Product<T>, make: readonly Make<T>[], tol: number, numRuns = 60): void {
  fc.assert(fc.property(
    fc.integer({ min: 1, max: 10 }), fc.integer({ min: 1, max: 6 }), fc.integer({ min: 4, max: 600 }),
    fc.boolean(), fc.boolean(), fc.boolean(), fc.constantFrom(1, 0.25, -3), fc.nat(),
    (m4, n8, k, tA, tB, acc, alpha, seed) => checkOne(product, make, tol, tA, tB, 4 * m4, 8 * n8, k, acc, alpha, seed),
  ), { numRuns });
}

/** Products taller than one block of packed rows (128) and deeper than one K block (256), all four cases, padded and direct. */
export function checkLarge<T extends Data>(product: Product<T>, make: readonly Make<T>[], tol: number): void {
  let seed = 7;
  for (const [m, n, k] of [[300, 21, 300], [256, 16, 520], [132, 8, 257]] as const) {
    for (const [tA, tB] of [[false, false], [true, false], [false, true], [true, true]] as const) {
      checkOne(product, make, tol, tA, tB, m, n, k, seed % 2 === 0, seed % 3 === 0 ? 0.25 : 1, seed++);
    }
  }
}

/**
 * The float32 paths that read a plain A in place (n up to 64) or copy an A outside the heap block
 * by block (transposed, k over one K block): several row blocks (128) and K blocks (256), rows
 * that do not fill a block of 4 (packed beside the in-place ones), partial panels of op(B),
 * writing and accumulating, alpha 1 and not.
 */
export function checkInPlaceRows<T extends Data>(product: Product<T>, make: readonly Make<T>[], tol: number): void {
  let seed = 11;
  for (const [m, n, k] of [[263, 64, 530], [260, 64, 300], [131, 9, 257], [6, 40, 600], [5, 8, 5], [130, 17, 9]] as const) {
    for (const [tA, tB] of [[false, false], [true, false], [false, true], [true, true]] as const) {
      checkOne(product, make, tol, tA, tB, m, n, k, seed % 2 === 0, seed % 3 === 0 ? -0.25 : 1, seed++);
    }
  }
}

/**
 * The thin path on every branch: one dimension (which one at random) is 1, 2 or 3, the others up to
 * 300, so the matrix-vector kernels run with their 4-row blocks, their last rows and their vector
 * tails, strided and contiguous vectors, writing and accumulating.
 */
export function checkThinShapes<T extends Data>(product: Product<T>, make: readonly Make<T>[], tol: number, numRuns = 150): void {
  fc.assert(fc.property(
    fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 300 }), fc.integer({ min: 1, max: 300 }), fc.constantFrom(0, 1, 2),
    fc.boolean(), fc.boolean(), fc.boolean(), fc.constantFrom(1, 0.25, -3), fc.nat(),
    (small, x, y, which, tA, tB, acc, alpha, seed) => {
      const [m, n, k] = which === 0 ? [small, x, y] : which === 1 ? [x, small, y] : [x, y, small];
      checkOne(product, make, tol, tA, tB, m, n, k, acc, alpha, seed);
    },
  ), { numRuns });
}

/** The batch-1 products of the networks, exactly (W a, W^T delta, delta a^T at 128x784 and 1024x1024). */
export function checkBatchOne<T extends Data>(product: Product<T>, make: readonly Make<T>[], tol: number): void {
  for (const [out, inp] of [[128, 784], [1024, 1024], [10, 128]] as const) {
    checkOne(product, make, tol, false, false, out, 1, inp, false, 1, 1);
    checkOne(product, make, tol, true, false, inp, 1, out, false, 1, 2);
    checkOne(product, make, tol, false, true, out, inp, 1, false, 1, 3);
    checkOne(product, make, tol, false, true, out, inp, 1, true, 0.5, 4);
  }
}

/** k = 0 writes zeros (or leaves C when accumulating); m or n = 0 touches nothing. */
export function checkEmpty<T extends Data>(product: Product<T>, make: Make<T>): void {
  const c = make(6);
  c.fill(7);
  product(false, false, 2, 3, 0, make(0), make(0), c, true);
  if (c.some((v) => v !== 7)) throw new Error("k = 0, accumulating: C changed");
  product(false, false, 2, 3, 0, make(0), make(0), c, false);
  if (c.some((v) => v !== 0)) throw new Error("k = 0: C is not zero");
}

/** The same product on two kernels (plain and relaxed SIMD) agrees to within `tol` per step of k. */
export function checkAgree<T extends Data>(p1: Product<T>, p2: Product<T>, make: Make<T>, tol: number): void {
  for (const [tA, tB, m, n, k] of [[false, false, 128, 64, 784], [true, false, 784, 64, 128], [false, true, 128, 784, 64], [false, false, 37, 1, 600], [true, false, 600, 1, 37]] as const) {
    const a = fillRandom(make(m * k), m), b = fillRandom(make(k * n), n), c1 = make(m * n), c2 = make(m * n);
    p1(tA, tB, m, n, k, a, b, c1);
    p2(tA, tB, m, n, k, a, b, c2);
    for (let i = 0; i < m * n; i++) {
      if (!(Math.abs(c1[i]! - c2[i]!) <= tol * k)) throw new Error(`${tA}${tB} ${m}x${n}x${k}: entry ${i}: ${c1[i]} vs ${c2[i]}`);
    }
  }
}
