/**
 * The convolution and pooling kernels (src/kernels/conv.ts, pool.ts, conv-geometry.ts) against
 * references written from the definitions: im2col and col2im value by value, a direct 7-loop
 * convolution, a direct max pool; central finite differences of a conv -> ReLU -> max-pool layer
 * built from the kernels and gemmKernel, on the js and wasm backends; and TensorFlow.js (cpu
 * backend, float32) for the padding rule, the convolution, its gradients and the pooling ties.
 */
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as tf from "@tensorflow/tfjs";
import { gemmKernel, getBackend, setBackend, type Backend } from "../src/kernels/backend.js";
import { convGeometry, type ConvGeometry, type Padding } from "../src/kernels/conv-geometry.js";
import {
  addBiasReluRowsF32, addBiasReluRowsF64, addBiasRowsF32, addBiasRowsF64, col2imF32, col2imF64, im2colF32, im2colF64, sumRowsF32, sumRowsF64,
} from "../src/kernels/conv.js";
import { maxPoolBackwardF32, maxPoolBackwardF64, maxPoolForwardF32, maxPoolForwardF64 } from "../src/kernels/pool.js";

type Floats = Float64Array | Float32Array;
type FloatCtor = Float64ArrayConstructor | Float32ArrayConstructor;

// ---------- references, from the definitions (no library code) ----------

/** Seeded values in [-1, 1). */
function randoms(n: number, seed: number): number[] {
  let s = (seed >>> 0) || 1;
  return Array.from({ length: n }, () => {
    s ^= s << 13; s >>>= 0; s ^= s >>> 17; s ^= s << 5; s >>>= 0;
    return (2 * s) / 4294967296 - 1;
  });
}

/** Image value (c, h, w) of example b, 0 outside the image. */
function pixel(x: ArrayLike<number>, g: ConvGeometry, B: number, c: number, h: number, w: number, b: number): number {
  if (h < 0 || h >= g.height || w < 0 || w >= g.width) return 0;
  return x[((c * g.height + h) * g.width + w) * B + b]!;
}

/** im2col entry by entry: row (c*KH + kh)*KW + kw, column (oh*OW + ow)*B + b. */
function naiveIm2col(x: ArrayLike<number>, C: number, B: number, g: ConvGeometry): number[] {
  const cols = g.outH * g.outW * B, out: number[] = [];
  for (let c = 0; c < C; c++) for (let kh = 0; kh < g.kernelH; kh++) for (let kw = 0; kw < g.kernelW; kw++) {
    const r = (c * g.kernelH + kh) * g.kernelW + kw;
    for (let oh = 0; oh < g.outH; oh++) for (let ow = 0; ow < g.outW; ow++) for (let b = 0; b < B; b++) {
      out[r * cols + (oh * g.outW + ow) * B + b] = pixel(x, g, B, c, oh * g.strideH - g.padTop + kh, ow * g.strideW - g.padLeft + kw, b);
    }
  }
  return out;
}

/** col2im by scattering: each column entry added to the pixel it came from. */
function naiveCol2im(cols: ArrayLike<number>, C: number, B: number, g: ConvGeometry): number[] {
  const out = new Array<number>(C * g.height * g.width * B).fill(0), n = g.outH * g.outW * B;
  for (let c = 0; c < C; c++) for (let kh = 0; kh < g.kernelH; kh++) for (let kw = 0; kw < g.kernelW; kw++) {
    for (let oh = 0; oh < g.outH; oh++) for (let ow = 0; ow < g.outW; ow++) for (let b = 0; b < B; b++) {
      const h = oh * g.strideH - g.padTop + kh, w = ow * g.strideW - g.padLeft + kw;
      if (h < 0 || h >= g.height || w < 0 || w >= g.width) continue;
      out[((c * g.height + h) * g.width + w) * B + b] += cols[((c * g.kernelH + kh) * g.kernelW + kw) * n + (oh * g.outW + ow) * B + b]!;
    }
  }
  return out;
}

/** The direct convolution, seven loops: y(f, oh, ow, b) = bias_f + sum over c, kh, kw of W[f][c][kh][kw] x(c, oh*SH - PT + kh, ow*SW - PL + kw, b). */
function directConv(x: ArrayLike<number>, weights: ArrayLike<number>, bias: ArrayLike<number>, C: number, F: number, B: number, g: ConvGeometry): number[] {
  const out: number[] = [];
  for (let b = 0; b < B; b++) for (let f = 0; f < F; f++) for (let oh = 0; oh < g.outH; oh++) for (let ow = 0; ow < g.outW; ow++) {
    let s = bias[f]!;
    for (let c = 0; c < C; c++) for (let kh = 0; kh < g.kernelH; kh++) for (let kw = 0; kw < g.kernelW; kw++) {
      s += weights[((f * C + c) * g.kernelH + kh) * g.kernelW + kw]! * pixel(x, g, B, c, oh * g.strideH - g.padTop + kh, ow * g.strideW - g.padLeft + kw, b);
    }
    out[((f * g.outH + oh) * g.outW + ow) * B + b] = s;
  }
  return out;
}

/** The direct max pool: the largest value of each window, and where it is (the first one on ties, row-major). */
function directMaxPool(x: ArrayLike<number>, C: number, B: number, g: ConvGeometry): { y: number[]; at: number[] } {
  const y: number[] = [], at: number[] = [];
  for (let c = 0; c < C; c++) for (let oh = 0; oh < g.outH; oh++) for (let ow = 0; ow < g.outW; ow++) for (let b = 0; b < B; b++) {
    let best = -Infinity, where = -1;
    for (let ph = 0; ph < g.kernelH; ph++) for (let pw = 0; pw < g.kernelW; pw++) {
      const i = ((c * g.height + oh * g.strideH + ph) * g.width + ow * g.strideW + pw) * B + b;
      if (x[i]! > best) { best = x[i]!; where = i; }
    }
    const o = ((c * g.outH + oh) * g.outW + ow) * B + b;
    y[o] = best; at[o] = where;
  }
  return { y, at };
}

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) return Infinity;
  let d = 0;
  for (let i = 0; i < a.length; i++) d = Math.max(d, Math.abs(a[i]! - b[i]!));
  return d;
}

// ---------- random shapes ----------

interface Case { C: number; B: number; g: ConvGeometry }

const paddings: fc.Arbitrary<Padding> = fc.oneof(fc.constantFrom<Padding>("valid", "same"), fc.integer({ min: 0, max: 3 }));

/**
 * Random convolution geometries: sizes 1-9, kernels 1-4 (often rectangular), strides 1-3, each
 * padding kind, batch 1, 2-4 or 16-18 (im2col copies runs of 16 values or more with copyWithin
 * from a copy of x in its output's tail, and shorter ones, or those past the tail, by a loop).
 */
const convCases: fc.Arbitrary<Case> = fc.record({
  C: fc.integer({ min: 1, max: 3 }), B: fc.oneof(fc.constant(1), fc.integer({ min: 2, max: 4 }), fc.integer({ min: 16, max: 18 })),
  H: fc.integer({ min: 1, max: 9 }), W: fc.integer({ min: 1, max: 9 }), KH: fc.integer({ min: 1, max: 4 }), KW: fc.integer({ min: 1, max: 4 }),
  SH: fc.integer({ min: 1, max: 3 }), SW: fc.integer({ min: 1, max: 3 }), padding: paddings,
}).filter(({ H, W, KH, KW, padding }) => {
  const p = padding === "same" ? KH : padding === "valid" ? 0 : padding;
  return padding === "same" || (H + 2 * p >= KH && W + 2 * p >= KW);
}).map(({ C, B, H, W, KH, KW, SH, SW, padding }) => ({ C, B, g: convGeometry(H, W, KH, KW, SH, SW, padding) }));

/** Random pools: windows 1-4 (rectangular too), strides 1-3 (equal to the size or not), no padding. */
const poolCases: fc.Arbitrary<Case> = fc.record({
  C: fc.integer({ min: 1, max: 3 }), B: fc.oneof(fc.constant(1), fc.integer({ min: 2, max: 4 })),
  H: fc.integer({ min: 1, max: 9 }), W: fc.integer({ min: 1, max: 9 }), PH: fc.integer({ min: 1, max: 4 }), PW: fc.integer({ min: 1, max: 4 }),
  SH: fc.integer({ min: 1, max: 3 }), SW: fc.integer({ min: 1, max: 3 }),
}).filter(({ H, W, PH, PW }) => H >= PH && W >= PW)
  .map(({ C, B, H, W, PH, PW, SH, SW }) => ({ C, B, g: convGeometry(H, W, PH, PW, SH, SW, "valid", "maxPool2d") }));

const imageSize = ({ C, B, g }: Case) => C * g.height * g.width * B;
const colSize = ({ C, B, g }: Case) => C * g.kernelH * g.kernelW * g.outH * g.outW * B;

// ---------- geometry ----------

describe("convGeometry (output size and padding)", () => {
  it("gives the known sizes of the issue's network and TensorFlow's 'same' split (smaller half first)", () => {
    expect(convGeometry(28, 28, 5, 5, 1, 1, "valid")).toMatchObject({ outH: 24, outW: 24, padTop: 0, padBottom: 0 });
    expect(convGeometry(12, 12, 5, 5, 1, 1, "same")).toMatchObject({ outH: 12, outW: 12, padTop: 2, padBottom: 2, padLeft: 2, padRight: 2 });
    expect(convGeometry(24, 24, 2, 2, 2, 2, "valid", "maxPool2d")).toMatchObject({ outH: 12, outW: 12 });
    // H = 7, K = 4, S = 2: out = ceil(7/2) = 4, total = 3*2 + 4 - 7 = 3 -> 1 above, 2 below
    expect(convGeometry(7, 6, 4, 1, 2, 3, "same")).toMatchObject({ outH: 4, padTop: 1, padBottom: 2, outW: 2, padLeft: 0, padRight: 0 });
    expect(convGeometry(5, 9, 3, 2, 2, 1, 2)).toMatchObject({ outH: 4, outW: 12, padTop: 2, padBottom: 2, padLeft: 2, padRight: 2 });
    // a kernel larger than the image is fine with "same" (the padding grows)
    expect(convGeometry(2, 2, 5, 5, 1, 1, "same")).toMatchObject({ outH: 2, padTop: 2, padBottom: 2 });
  });

  it("rejects a window larger than the (padded) input, non-integer sizes and unknown paddings, naming the operation", () => {
    expect(() => convGeometry(4, 28, 5, 5, 1, 1, "valid")).toThrow("conv2d: the window height 5 is larger than the input height 4");
    expect(() => convGeometry(28, 2, 5, 5, 1, 1, 1)).toThrow("conv2d: the window width 5 is larger than the padded input width 2 + 2*1 = 4");
    expect(() => convGeometry(3, 3, 4, 2, 2, 2, "valid", "maxPool2d")).toThrow(/^maxPool2d: the window height 4/);
    expect(() => convGeometry(28, 28, 0, 5, 1, 1, "valid")).toThrow("conv2d: kernel height must be a positive integer, got 0");
    expect(() => convGeometry(28, 28, 5, 5, 1.5, 1, "valid")).toThrow("conv2d: stride height must be a positive integer, got 1.5");
    expect(() => convGeometry(28, Number.NaN, 5, 5, 1, 1, "valid")).toThrow("conv2d: width must be a positive integer, got NaN");
    expect(() => convGeometry(28, 28, 5, 5, 1, 1, -1)).toThrow('conv2d: padding must be "valid", "same" or a non-negative integer, got -1');
    // @ts-expect-error a padding name that does not exist
    expect(() => convGeometry(28, 28, 5, 5, 1, 1, "full")).toThrow('got "full"');
  });

  it("satisfies the output-size formula and the 'same' rule on random sizes", () => {
    fc.assert(fc.property(
      fc.integer({ min: 1, max: 300 }), fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 5 }), paddings,
      (size, kernel, stride, padding) => {
        const p = padding === "valid" ? 0 : padding;
        if (padding !== "same" && size + 2 * (p as number) < kernel) {
          expect(() => convGeometry(size, 1, kernel, 1, stride, 1, padding)).toThrow(RangeError);
          return;
        }
        const g = convGeometry(size, 1, kernel, 1, stride, 1, padding);
        expect(g.outH).toBe(Math.floor((size + g.padTop + g.padBottom - kernel) / stride) + 1);
        if (padding === "same") {
          expect(g.outH).toBe(Math.ceil(size / stride));
          expect(g.padBottom - g.padTop === 0 || g.padBottom - g.padTop === 1).toBe(true);
        } else {
          expect([g.padTop, g.padBottom]).toEqual([p, p]);
        }
      },
    ), { numRuns: 500 });
  });
});

// ---------- im2col, col2im, pooling, bias, sums against the references, both dtypes ----------

const dtypes = [
  ["float64", Float64Array, { im2col: im2colF64, col2im: col2imF64, poolF: maxPoolForwardF64, poolB: maxPoolBackwardF64, bias: addBiasRowsF64, biasRelu: addBiasReluRowsF64, sumRows: sumRowsF64 }],
  ["float32", Float32Array, { im2col: im2colF32, col2im: col2imF32, poolF: maxPoolForwardF32, poolB: maxPoolBackwardF32, bias: addBiasRowsF32, biasRelu: addBiasReluRowsF32, sumRows: sumRowsF32 }],
] as const;

describe.each(dtypes)("kernels on %s", (_name, Ctor: FloatCtor, k) => {
  // Kernels are called through this erasure only in the tests: each F64/F32 pair has the same signature up to the element type.
  type Any = (...args: never[]) => void;
  const call = (f: Any, ...args: unknown[]) => (f as unknown as (...a: unknown[]) => void)(...args);
  const tol = Ctor === Float64Array ? 1e-12 : 1e-5;

  it("im2col equals the definition, entry by entry (padding entries are 0, stale values overwritten)", () => {
    fc.assert(fc.property(convCases, fc.integer(), (cs, seed) => {
      const x = Ctor.from(randoms(imageSize(cs), seed));
      const out = new Ctor(colSize(cs)).fill(Number.NaN);
      call(k.im2col, x, cs.C, cs.B, cs.g, out);
      expect(Array.from(out)).toEqual(naiveIm2col(x, cs.C, cs.B, cs.g));
    }), { numRuns: 400 });
  });

  it("col2im equals the scatter-add of the definition, overwriting or accumulating, and is the adjoint of im2col", () => {
    fc.assert(fc.property(convCases, fc.integer(), fc.boolean(), (cs, seed, accumulate) => {
      const cols = Ctor.from(randoms(colSize(cs), seed)), before = randoms(imageSize(cs), seed + 1);
      const out = Ctor.from(before);
      call(k.col2im, cols, cs.C, cs.B, cs.g, out, accumulate);
      const want = naiveCol2im(cols, cs.C, cs.B, cs.g).map((v, i) => v + (accumulate ? Ctor.from(before)[i]! : 0));
      expect(maxAbsDiff(out, want)).toBeLessThan(tol * 20);
      // <im2col(x), y> = <x, col2im(y)>
      const x = Ctor.from(randoms(imageSize(cs), seed + 2)), xcol = new Ctor(colSize(cs)), back = new Ctor(imageSize(cs));
      call(k.im2col, x, cs.C, cs.B, cs.g, xcol);
      call(k.col2im, cols, cs.C, cs.B, cs.g, back);
      let left = 0, right = 0;
      xcol.forEach((v, i) => (left += v * cols[i]!));
      back.forEach((v, i) => (right += v * x[i]!));
      expect(Math.abs(left - right)).toBeLessThan(tol * 20 * Math.max(1, Math.abs(left)));
    }), { numRuns: 300 });
  });

  it("maxPoolForward equals the direct max pool, and its argmax the first maximum, with many ties (values from {-1, 0, 1})", () => {
    fc.assert(fc.property(poolCases, fc.integer(), fc.boolean(), (cs, seed, ties) => {
      const x = Ctor.from(randoms(imageSize(cs), seed).map((v) => (ties ? Math.round(v) : v)));
      const n = cs.C * cs.g.outH * cs.g.outW * cs.B;
      const y = new Ctor(n).fill(Number.NaN), at = new Int32Array(n).fill(-7);
      call(k.poolF, x, cs.C, cs.B, cs.g, y, at);
      const want = directMaxPool(x, cs.C, cs.B, cs.g);
      expect(Array.from(y)).toEqual(want.y);
      expect(Array.from(at)).toEqual(want.at);
    }), { numRuns: 400 });
  });

  it("maxPoolBackward routes each delta to its argmax and adds where windows overlap (stride < size)", () => {
    fc.assert(fc.property(poolCases, fc.integer(), fc.boolean(), (cs, seed, accumulate) => {
      const x = Ctor.from(randoms(imageSize(cs), seed).map(Math.round));
      const n = cs.C * cs.g.outH * cs.g.outW * cs.B;
      const y = new Ctor(n), at = new Int32Array(n), delta = Ctor.from(randoms(n, seed + 1));
      call(k.poolF, x, cs.C, cs.B, cs.g, y, at);
      const before = randoms(imageSize(cs), seed + 2), out = Ctor.from(before);
      call(k.poolB, delta, at, cs.C, cs.B, cs.g, out, accumulate);
      const want = Array.from(Ctor.from(before), (v) => (accumulate ? v : 0));
      directMaxPool(x, cs.C, cs.B, cs.g).at.forEach((i, o) => (want[i] += delta[o]!));
      expect(maxAbsDiff(out, want)).toBeLessThan(tol * 20);
    }), { numRuns: 300 });
  });

  it("addBiasRows, addBiasReluRows and sumRows equal their loops (sumRows with its 4-way tail: cols 1-11)", () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 5 }), fc.integer({ min: 1, max: 11 }), fc.integer(), fc.constantFrom(1, 0.25), (rows, cols, seed, alpha) => {
      const z = Ctor.from(randoms(rows * cols, seed)), bias = Ctor.from(randoms(rows, seed + 1));
      const out = new Ctor(rows * cols);
      call(k.bias, z, rows, cols, bias, out);
      const zb = Array.from(z, (v, i) => v + bias[Math.floor(i / cols)]!);
      expect(maxAbsDiff(out, zb)).toBeLessThan(tol);
      const zz = Ctor.from(z), a = new Ctor(rows * cols).fill(Number.NaN);
      call(k.biasRelu, zz, rows, cols, bias, a);
      expect(maxAbsDiff(zz, zb)).toBeLessThan(tol);
      expect(Array.from(a)).toEqual(Array.from(zz, (v) => Math.max(v, 0)));
      const sums = new Ctor(rows);
      call(k.sumRows, z, rows, cols, sums, alpha);
      const want = Array.from({ length: rows }, (_, i) => alpha * Array.from(z.subarray(i * cols, (i + 1) * cols)).reduce((s, v) => s + v, 0));
      expect(maxAbsDiff(sums, want)).toBeLessThan(tol * cols);
    }), { numRuns: 200 });
  });

  it("rejects buffers of the wrong length and bad counts with an error naming the kernel", () => {
    const g = convGeometry(4, 4, 3, 3, 1, 1, "valid");
    expect(() => call(k.im2col, new Ctor(16), 1, 1, g, new Ctor(35))).toThrow("im2col: the column matrix (C*KH*KW x OH*OW*B) must have 36 entries, has 35");
    expect(() => call(k.im2col, new Ctor(15), 1, 1, g, new Ctor(36))).toThrow("im2col: the image matrix (C*H*W x B) must have 16 entries, has 15");
    expect(() => call(k.col2im, new Ctor(36), 1, 0, g, new Ctor(0))).toThrow("col2im: batch must be a positive integer, got 0");
    const pool = convGeometry(4, 4, 2, 2, 2, 2, "valid");
    expect(() => call(k.poolF, new Ctor(16), 1, 1, pool, new Ctor(4), new Int32Array(3))).toThrow("maxPoolForward: argmax must have 4 entries, has 3");
    expect(() => call(k.poolF, new Ctor(16), 1, 1, convGeometry(4, 4, 2, 2, 2, 2, 1), new Ctor(9), new Int32Array(9))).toThrow("maxPoolForward: max pooling takes no padding");
    expect(() => call(k.poolB, new Ctor(4), Int32Array.of(0, 1, 2, 99), 1, 1, pool, new Ctor(16))).toThrow("maxPoolBackward: argmax[3] = 99 is outside the input's 16 entries");
    expect(() => call(k.sumRows, new Ctor(6), 2, 3, new Ctor(3))).toThrow("sumRows: out must have 2 entries, has 3");
    expect(() => call(k.bias, new Ctor(6), 2, 3, new Ctor(3), new Ctor(6))).toThrow("addBiasRows: bias must have 2 entries, has 3");
  });
});

describe("the F32 kernels are the F64 kernels' text with the element type swapped", () => {
  const here = dirname(fileURLToPath(import.meta.url));
  it.each(["conv.ts", "pool.ts"])("src/kernels/%s", (file) => {
    const source = readFileSync(join(here, "..", "src", "kernels", file), "utf8");
    const body = (name: string) => {
      const start = source.indexOf(`export function ${name}(`);
      expect(start, name).toBeGreaterThanOrEqual(0);
      return source.slice(start, source.indexOf("\n}\n", start));
    };
    const names = [...source.matchAll(/export function (\w+)F64\(/g)].map((m) => m[1]!);
    expect(names.length).toBeGreaterThan(1);
    for (const name of names) {
      expect(body(`${name}F32`), name).toBe(body(`${name}F64`).replaceAll("F64", "F32").replaceAll("Float64Array", "Float32Array"));
    }
  });
});

// ---------- a convolution layer from the kernels and gemmKernel ----------

/** One conv layer (float64), its buffers, and its forward and backward passes as the network will run them. */
function convLayer(C: number, F: number, B: number, g: ConvGeometry) {
  const K = C * g.kernelH * g.kernelW, PB = g.outH * g.outW * B;
  const cols = new Float64Array(K * PB), deltaCols = new Float64Array(K * PB);
  return {
    K, PB,
    /** z (F*OH*OW x B) = W im2col(x) + b */
    forward(x: Float64Array, weights: Float64Array, bias: Float64Array, z: Float64Array): void {
      im2colF64(x, C, B, g, cols);
      gemmKernel(false, false, F, PB, K, weights, cols, z);
      addBiasRowsF64(z, F, PB, bias, z);
    },
    /** dE/dW = delta im2col(x)^T, dE/db = rows of delta summed, dE/dx = col2im(W^T delta); uses the cols of the last forward. */
    backward(delta: Float64Array, weights: Float64Array, dW: Float64Array, db: Float64Array, dx: Float64Array): void {
      gemmKernel(false, true, F, K, PB, delta, cols, dW);
      sumRowsF64(delta, F, PB, db);
      gemmKernel(true, false, K, PB, F, weights, delta, deltaCols);
      col2imF64(deltaCols, C, B, g, dx);
    },
  };
}

const backends: Backend[] = ["js", "wasm"];

describe.each(backends)("a convolution layer from the kernels and gemmKernel, %s backend", (backend) => {
  let previous: Backend;
  beforeAll(() => { previous = getBackend(); setBackend(backend); });
  afterAll(() => void setBackend(previous));

  it("equals the direct 7-loop convolution on random shapes (products above and below the 4x4 thin-product threshold)", () => {
    fc.assert(fc.property(convCases, fc.integer({ min: 1, max: 6 }), fc.integer(), ({ C, B, g }, F, seed) => {
      const layer = convLayer(C, F, B, g);
      const x = Float64Array.from(randoms(C * g.height * g.width * B, seed));
      const w = Float64Array.from(randoms(F * layer.K, seed + 1)), bias = Float64Array.from(randoms(F, seed + 2));
      const z = new Float64Array(F * layer.PB);
      layer.forward(x, w, bias, z);
      expect(maxAbsDiff(z, directConv(x, w, bias, C, F, B, g))).toBeLessThan(1e-12 * layer.K + 1e-14);
    }), { numRuns: 150 });
  });

  // E = sum(R (.) y) + 0.5 sum(y^2) with y = maxpool(relu(conv(x))): nonlinear in y, so a wrong
  // routing or a missing term changes the gradient. Away from ReLU's kink and from ties in a
  // window, E is quadratic in each parameter, where the central difference is exact up to
  // round-off (about 1e-16 |E| / h); the seeds keep every ReLU input farther than 1e-4 from 0.
  const configs: [string, number, number, number, ConvGeometry, ConvGeometry | null][] = [
    ["3x3 valid, stride 1, batch 1, pool 2", 1, 2, 1, convGeometry(6, 6, 3, 3, 1, 1, "valid"), convGeometry(4, 4, 2, 2, 2, 2, "valid")],
    ["3x2 'same', stride 2, batch 3, pool 2 stride 1", 2, 3, 3, convGeometry(7, 5, 3, 2, 2, 2, "same"), convGeometry(4, 3, 2, 2, 1, 1, "valid")],
    ["2x3 padding 1, strides 2x1, batch 2, pool 3x2 stride 2x1", 2, 2, 2, convGeometry(6, 5, 2, 3, 2, 1, 1), convGeometry(4, 5, 3, 2, 2, 1, "valid")],
    ["5x5 'same' (the issue's second conv, small), batch 2, no pool", 3, 4, 2, convGeometry(5, 5, 5, 5, 1, 1, "same"), null],
    ["4x4 padding 2, stride 3, batch 4, no pool", 1, 5, 4, convGeometry(7, 8, 4, 4, 3, 3, 2), null],
  ];

  it.each(configs)("backward equals central finite differences: %s", (_name, C, F, B, g, pool) => {
    const layer = convLayer(C, F, B, g);
    const P = g.outH * g.outW;
    const x = Float64Array.from(randoms(C * g.height * g.width * B, 11));
    const w = Float64Array.from(randoms(F * layer.K, 12)), bias = Float64Array.from(randoms(F, 13), (v) => 0.1 * v);
    const z = new Float64Array(F * P * B), a = new Float64Array(F * P * B);
    const yLen = pool ? F * pool.outH * pool.outW * B : F * P * B;
    const y = new Float64Array(yLen), at = new Int32Array(yLen), R = randoms(yLen, 14);
    const loss = (): number => {
      layer.forward(x, w, bias, z);
      addBiasReluRowsF64(z, F, layer.PB, new Float64Array(F), a); // ReLU only (the bias is in z)
      if (pool) maxPoolForwardF64(a, F, B, pool, y, at);
      else y.set(a);
      let e = 0;
      for (let i = 0; i < yLen; i++) e += R[i]! * y[i]! + 0.5 * y[i]! * y[i]!;
      return e;
    };
    loss();
    // backward: dE/dy = R + y, through the pool, ReLU' (z > 0), then the convolution
    const dy = Float64Array.from(y, (v, i) => R[i]! + v), da = new Float64Array(F * P * B);
    if (pool) maxPoolBackwardF64(dy, at, F, B, pool, da);
    else da.set(dy);
    const delta = Float64Array.from(da, (v, i) => (z[i]! > 0 ? v : 0));
    const dW = new Float64Array(w.length), db = new Float64Array(F), dx = new Float64Array(x.length);
    layer.backward(delta, w, dW, db, dx);
    let nearKink = Infinity;
    z.forEach((v) => (nearKink = Math.min(nearKink, Math.abs(v))));
    expect(nearKink).toBeGreaterThan(1e-4); // the inputs were chosen away from ReLU's kink
    const h = 1e-5;
    for (const [param, grad] of [[w, dW], [bias, db], [x, dx]] as const) {
      let worst = 0;
      for (let i = 0; i < param.length; i++) {
        const keep = param[i]!;
        param[i] = keep + h; const up = loss();
        param[i] = keep - h; const down = loss();
        param[i] = keep;
        const numeric = (up - down) / (2 * h);
        worst = Math.max(worst, Math.abs(numeric - grad[i]!) / Math.max(1, Math.abs(grad[i]!)));
      }
      expect(worst).toBeLessThan(1e-7);
    }
    // the gradients are not all zero (a test that cannot pass vacuously)
    expect(Math.max(...Array.from(dW, Math.abs))).toBeGreaterThan(0.01);
    expect(Math.max(...Array.from(dx, Math.abs))).toBeGreaterThan(0.01);
  });
});

// ---------- TensorFlow.js as an outside reference ----------

describe("against TensorFlow.js (cpu backend, float32)", () => {
  beforeAll(async () => { await tf.setBackend("cpu"); await tf.ready(); });

  /** Our (C*H*W) x B column layout from TF's NHWC, and back. */
  const fromNHWC = (d: ArrayLike<number>, C: number, H: number, W: number, B: number) => {
    const out = new Float64Array(C * H * W * B);
    for (let b = 0; b < B; b++) for (let h = 0; h < H; h++) for (let w = 0; w < W; w++) for (let c = 0; c < C; c++) out[((c * H + h) * W + w) * B + b] = d[((b * H + h) * W + w) * C + c]!;
    return out;
  };

  const tfCases: [string, number, number, number, number, number, [number, number], [number, number], Padding][] = [
    // name, C, F, B, H, W, kernel, strides, padding
    ["the issue's conv1: 5x5 valid", 1, 3, 2, 12, 12, [5, 5], [1, 1], "valid"],
    ["the issue's conv2: 5x5 same", 3, 4, 2, 12, 12, [5, 5], [1, 1], "same"],
    ["'same' with an odd total padding: 4x3 kernel, stride 2, 7x6 input", 2, 3, 3, 7, 6, [4, 3], [2, 2], "same"],
    ["'same', stride 3 over 8x10, kernel 2x5", 2, 2, 1, 8, 10, [2, 5], [3, 3], "same"],
    ["padding 1, strides 2x1, kernel 3x2", 2, 3, 2, 7, 5, [3, 2], [2, 1], 1],
    ["padding 2, stride 3, kernel 4x4 over 9x7", 1, 2, 2, 9, 7, [4, 4], [3, 3], 2],
  ];

  it.each(tfCases)("conv2d forward, dE/dx and dE/dW: %s", (_name, C, F, B, H, W, [KH, KW], [SH, SW], padding) => {
    const g = convGeometry(H, W, KH, KW, SH, SW, padding);
    const xNHWC = randoms(B * H * W * C, 21), filter = randoms(KH * KW * C * F, 22), R = randoms(B * g.outH * g.outW * F, 23);
    const xt = tf.tensor4d(xNHWC, [B, H, W, C]), ft = tf.tensor4d(filter, [KH, KW, C, F]), rt = tf.tensor4d(R, [B, g.outH, g.outW, F]);
    // A number p goes to TF.js as explicit padding: tfjs 4.22 sizes a numeric padding's output with
    // the kernel height and stride height on both axes (conv_util.js, getPadAndOutInfo), which is
    // wrong for rectangular kernels or unequal strides; its explicit-padding branch is right.
    const pad = typeof padding === "number" ? [[0, 0], [padding, padding], [padding, padding], [0, 0]] as tf.backend_util.ExplicitPadding : padding;
    const conv = (xx: tf.Tensor4D, ff: tf.Tensor4D) => tf.conv2d(xx, ff, [SH, SW], pad);
    const yt = conv(xt, ft);
    expect(yt.shape).toEqual([B, g.outH, g.outW, F]); // the padding rule and output size agree with TF
    const [gx, gf] = tf.grads((xx: tf.Tensor, ff: tf.Tensor) => tf.sum(tf.mul(conv(xx as tf.Tensor4D, ff as tf.Tensor4D), rt)))([xt, ft]);
    // ours: weights F x (C*KH*KW) from TF's [KH, KW, C, F]
    const weights = new Float64Array(F * C * KH * KW);
    for (let f = 0; f < F; f++) for (let c = 0; c < C; c++) for (let kh = 0; kh < KH; kh++) for (let kw = 0; kw < KW; kw++) {
      weights[((f * C + c) * KH + kh) * KW + kw] = filter[((kh * KW + kw) * C + c) * F + f]!;
    }
    const layer = convLayer(C, F, B, g);
    const z = new Float64Array(F * layer.PB);
    layer.forward(fromNHWC(xNHWC, C, H, W, B), weights, new Float64Array(F), z);
    const scale = (d: ArrayLike<number>) => Math.max(...Array.from(d, Math.abs));
    const yWant = fromNHWC(yt.dataSync(), F, g.outH, g.outW, B);
    expect(maxAbsDiff(z, yWant) / scale(yWant)).toBeLessThan(1e-5);
    const dW = new Float64Array(weights.length), db = new Float64Array(F), dx = new Float64Array(C * H * W * B);
    layer.backward(fromNHWC(R, F, g.outH, g.outW, B), weights, dW, db, dx);
    const dxWant = fromNHWC(gx!.dataSync(), C, H, W, B);
    expect(maxAbsDiff(dx, dxWant) / scale(dxWant)).toBeLessThan(1e-5);
    const gfData = gf!.dataSync(), dWWant = new Float64Array(weights.length);
    for (let f = 0; f < F; f++) for (let c = 0; c < C; c++) for (let kh = 0; kh < KH; kh++) for (let kw = 0; kw < KW; kw++) {
      dWWant[((f * C + c) * KH + kh) * KW + kw] = gfData[((kh * KW + kw) * C + c) * F + f]!;
    }
    expect(maxAbsDiff(dW, dWWant) / scale(dWWant)).toBeLessThan(1e-5);
    tf.dispose([xt, ft, rt, yt, gx!, gf!]);
  });

  it.each([[2, 2, 2, 2], [3, 3, 1, 1], [3, 2, 2, 1], [2, 3, 1, 3]])("maxPool %ix%i, strides %ix%i: values and gradient routing on tie-heavy input (values from {-1, 0, 1})", (PH, PW, SH, SW) => {
    const C = 2, B = 3, H = 7, W = 8;
    const xNHWC = randoms(B * H * W * C, PH * 10 + SW).map(Math.round);
    const g = convGeometry(H, W, PH, PW, SH, SW, "valid", "maxPool2d");
    const R = randoms(B * g.outH * g.outW * C, 31);
    const xt = tf.tensor4d(xNHWC, [B, H, W, C]), rt = tf.tensor4d(R, [B, g.outH, g.outW, C]);
    const pool = (xx: tf.Tensor4D) => tf.maxPool(xx, [PH, PW], [SH, SW], "valid");
    const yt = pool(xt), gx = tf.grad((xx: tf.Tensor) => tf.sum(tf.mul(pool(xx as tf.Tensor4D), rt)))(xt);
    const n = C * g.outH * g.outW * B;
    const y = new Float64Array(n), at = new Int32Array(n), dx = new Float64Array(C * H * W * B);
    maxPoolForwardF64(fromNHWC(xNHWC, C, H, W, B), C, B, g, y, at);
    expect(Array.from(y)).toEqual(Array.from(fromNHWC(yt.dataSync(), C, g.outH, g.outW, B)));
    maxPoolBackwardF64(fromNHWC(R, C, g.outH, g.outW, B), at, C, B, g, dx);
    expect(maxAbsDiff(dx, fromNHWC(gx.dataSync(), C, H, W, B))).toBeLessThan(1e-6);
    tf.dispose([xt, rt, yt, gx]);
  });
});

// ---------- allocation ----------

describe("allocation", () => {
  it("im2col, col2im, the pool and the bias kernels allocate nothing once warm (heap growth over 2,000 calls of each)", () => {
    const C = 2, B = 8, g = convGeometry(10, 10, 3, 3, 1, 1, "same"), pool = convGeometry(10, 10, 2, 2, 2, 2, "valid", "maxPool2d");
    const x = Float64Array.from(randoms(C * 100 * B, 1)), cols = new Float64Array(C * 9 * 100 * B);
    const y = new Float64Array(C * 25 * B), at = new Int32Array(y.length), dx = new Float64Array(x.length);
    const x32 = Float32Array.from(x), cols32 = new Float32Array(cols.length), y32 = new Float32Array(y.length), dx32 = new Float32Array(x.length);
    const bias = new Float64Array(C), sums = new Float64Array(C), bias32 = new Float32Array(C), sums32 = new Float32Array(C);
    const calls: (() => void)[] = [
      () => im2colF64(x, C, B, g, cols), () => col2imF64(cols, C, B, g, dx),
      () => im2colF32(x32, C, B, g, cols32), () => col2imF32(cols32, C, B, g, dx32),
      () => maxPoolForwardF64(x, C, B, pool, y, at), () => maxPoolBackwardF64(y, at, C, B, pool, dx),
      () => maxPoolForwardF32(x32, C, B, pool, y32, at), () => maxPoolBackwardF32(y32, at, C, B, pool, dx32),
      () => addBiasReluRowsF64(dx, C, 100 * B, bias, x), () => sumRowsF64(x, C, 100 * B, sums),
      () => addBiasRowsF32(dx32, C, 100 * B, bias32, x32), () => sumRowsF32(x32, C, 100 * B, sums32),
    ];
    for (const f of calls) {
      for (let i = 0; i < 3000; i++) f(); // warm: optimised code keeps doubles unboxed
      const growth: number[] = [];
      for (let trial = 0; trial < 5; trial++) {
        const before = process.memoryUsage().heapUsed;
        for (let i = 0; i < 2000; i++) f();
        growth.push(process.memoryUsage().heapUsed - before);
      }
      // A scavenge during a trial can only hide growth, so the median trial is the honest one:
      // even 32 bytes per call (one small object) would show as 64,000.
      expect(growth.sort((p, q) => p - q)[2], f.toString()).toBeLessThan(16_000);
    }
  });
});
