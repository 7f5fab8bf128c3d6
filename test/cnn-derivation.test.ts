/**
 * docs/derivation.md, "Convolution", checked on the numbers of a real training step: every quantity
 * the engine left in the workspace (z^l, a^l, delta^l, the gradients) equals the section's equations
 * evaluated here with a naive im2col and col2im written from their definitions and products by
 * plain loops (no library code but the step itself):
 *   z^l = W^l im2col(a^(l-1)) + b^l, dE/dW^l = delta^l im2col(a^(l-1))^T / B,
 *   dE/db^l = delta^l summed over positions and examples / B,
 *   delta^(l-1) = col2im((W^l)^T delta^l) (.) f'(z^(l-1)), max pooling routes delta to the argmax,
 *   flatten is the identity.
 */
import { beforeAll, describe, expect, it } from "vitest";
import {
  conv2d, createWorkspace, dense, flatten, fromArray, input, lossAndGradients, maxPool2d, oneHot, relu, rng, sequential,
  softmax, tanh,
} from "../src/index.js";

type Image = { C: number; H: number; W: number };
type Conv = { KH: number; KW: number; SH: number; SW: number; PT: number; PL: number; OH: number; OW: number };

const B = 3;
const net = sequential(
  input(2, 7, 6), //                                                 [2, 7, 6]
  conv2d(4, [3, 2], { stride: 2, padding: "same" }), relu(), //      [4, 4, 3]: padding 1/1 rows, 0/1 columns
  maxPool2d(2, 1), //                                                [4, 3, 2]
  conv2d(5, 2, { padding: 1 }), tanh(), //                           [5, 4, 3]
  flatten(), //                                                      [60]
  dense(3), softmax(),
);
// Layer 1's and layer 3's geometry, by hand: TensorFlow's "same" (out = ceil(H / S), the smaller half
// of the padding first) and padding 1 on every side.
const conv1: Conv = { KH: 3, KW: 2, SH: 2, SW: 2, PT: 1, PL: 0, OH: 4, OW: 3 };
const conv3: Conv = { KH: 2, KW: 2, SH: 1, SW: 1, PT: 1, PL: 1, OH: 4, OW: 3 };
const image0: Image = { C: 2, H: 7, W: 6 }, image1: Image = { C: 4, H: 4, W: 3 }, image2: Image = { C: 4, H: 3, W: 2 };

const r = rng(3);
for (const b of net.biases) if (b) for (let i = 0; i < b.data.length; i++) b.data[i] = 0.1 * (2 * r.next() - 1);
const x = fromArray(Array.from({ length: 84 * B }, () => 2 * r.next() - 1), 84, B);
const t = oneHot([0, 2, 1], 3);
const ws = createWorkspace(net, B);

beforeAll(() => void lossAndGradients(net, x, t, ws));

/** Value (c, h, w) of example b in the column-per-example layout, 0 outside the image (the padding). */
function at(data: ArrayLike<number>, im: Image, c: number, h: number, w: number, b: number): number {
  return h < 0 || h >= im.H || w < 0 || w >= im.W ? 0 : data[((c * im.H + h) * im.W + w) * B + b]!;
}

/** im2col(a) as rows: row (c*KH + kh)*KW + kw, column (oh*OW + ow)*B + b. */
function im2col(a: ArrayLike<number>, im: Image, g: Conv): number[][] {
  const rows: number[][] = [];
  for (let c = 0; c < im.C; c++) for (let kh = 0; kh < g.KH; kh++) for (let kw = 0; kw < g.KW; kw++) {
    const row: number[] = [];
    for (let oh = 0; oh < g.OH; oh++) for (let ow = 0; ow < g.OW; ow++) for (let b = 0; b < B; b++) {
      row.push(at(a, im, c, oh * g.SH - g.PT + kh, ow * g.SW - g.PL + kw, b));
    }
    rows.push(row);
  }
  return rows;
}

/** col2im: each entry of the column matrix added back where im2col copied it from (padding dropped). */
function col2im(cols: number[][], im: Image, g: Conv): number[] {
  const out = new Array<number>(im.C * im.H * im.W * B).fill(0);
  for (let c = 0; c < im.C; c++) for (let kh = 0; kh < g.KH; kh++) for (let kw = 0; kw < g.KW; kw++) {
    const row = cols[(c * g.KH + kh) * g.KW + kw]!;
    for (let oh = 0; oh < g.OH; oh++) for (let ow = 0; ow < g.OW; ow++) for (let b = 0; b < B; b++) {
      const h = oh * g.SH - g.PT + kh, w = ow * g.SW - g.PL + kw;
      if (h >= 0 && h < im.H && w >= 0 && w < im.W) out[((c * im.H + h) * im.W + w) * B + b]! += row[(oh * g.OW + ow) * B + b]!;
    }
  }
  return out;
}

/** A flat row-major array as rows of `cols`. */
function rowsOf(data: ArrayLike<number>, cols: number): number[][] {
  return Array.from({ length: data.length / cols }, (_, i) => Array.from({ length: cols }, (_, j) => data[i * cols + j]!));
}

const product = (p: number[][], q: number[][]): number[][] => p.map((row) => q[0]!.map((_, j) => row.reduce((s, v, k) => s + v * q[k]![j]!, 0)));
const transpose = (p: number[][]): number[][] => p[0]!.map((_, j) => p.map((row) => row[j]!));

/** Largest absolute difference, with the lengths checked. */
function difference(got: ArrayLike<number>, want: ArrayLike<number>): number {
  expect(got.length).toBe(want.length);
  let d = 0;
  for (let i = 0; i < want.length; i++) d = Math.max(d, Math.abs(got[i]! - want[i]!));
  return d;
}

const TOLERANCE = 1e-12;

describe("the Convolution section's equations hold in a training step's workspace", () => {
  it("the step ran: the workspace holds a finite loss", () => {
    expect(Number.isFinite(ws.result.loss)).toBe(true);
  });

  it("z^1 = W^1 im2col(a^0) + b^1, read as F x (OH*OW*B)", () => {
    const W = rowsOf(net.weights[0]!.data, 12), bias = net.biases[0]!.data;
    const z = product(W, im2col(ws.a[0]!.data, image0, conv1)).map((row, f) => row.map((v) => v + bias[f]!));
    expect(difference(ws.z[1]!.data, z.flat())).toBeLessThan(TOLERANCE);
    expect(difference(ws.a[1]!.data, z.flat().map((v) => Math.max(v, 0)))).toBeLessThan(TOLERANCE); // a^1 = relu(z^1)
  });

  it.each([[1, image0, conv1, 12], [3, image2, conv3, 16]] as const)(
    "layer %i: dE/dW = delta im2col(a^(l-1))^T / B and dE/db = delta summed over positions and examples / B",
    (l, im, g, K) => {
      const delta = rowsOf(ws.delta[l]!.data, g.OH * g.OW * B);
      const dW = product(delta, transpose(im2col(ws.a[l - 1]!.data, im, g))).flat().map((v) => v / B);
      expect(difference(ws.gradients.weights[l - 1]!.data, dW)).toBeLessThan(TOLERANCE);
      expect(ws.gradients.weights[l - 1]!.cols).toBe(K);
      const db = delta.map((row) => row.reduce((s, v) => s + v, 0) / B);
      expect(difference(ws.gradients.biases[l - 1]!.data, db)).toBeLessThan(TOLERANCE);
    },
  );

  it("delta^2 = col2im((W^3)^T delta^3) (the pooling layer's f is the identity)", () => {
    const W = rowsOf(net.weights[2]!.data, 16), delta = rowsOf(ws.delta[3]!.data, conv3.OH * conv3.OW * B);
    expect(difference(ws.delta[2]!.data, col2im(product(transpose(W), delta), image2, conv3))).toBeLessThan(TOLERANCE);
  });

  it("max pooling routes delta^2 to each window's (first) maximum: delta^1 = route(delta^2) (.) relu'(z^1)", () => {
    const a1 = ws.a[1]!.data, delta2 = ws.delta[2]!.data, routed = new Array<number>(a1.length).fill(0);
    for (let c = 0; c < 4; c++) for (let oh = 0; oh < 3; oh++) for (let ow = 0; ow < 2; ow++) for (let b = 0; b < B; b++) {
      let best = -Infinity, where = -1;
      for (let ph = 0; ph < 2; ph++) for (let pw = 0; pw < 2; pw++) {
        const i = ((c * 4 + oh + ph) * 3 + ow + pw) * B + b; // 2x2 windows, stride 1
        if (a1[i]! > best) [best, where] = [a1[i]!, i];
      }
      routed[where]! += delta2[((c * 3 + oh) * 2 + ow) * B + b]!;
    }
    const z1 = ws.z[1]!.data;
    expect(difference(ws.delta[1]!.data, routed.map((v, i) => (z1[i]! > 0 ? v : 0)))).toBeLessThan(TOLERANCE);
    expect(routed.filter((v) => v !== 0).length).toBeGreaterThan(20); // overlapping windows: some entries get two deltas
  });

  it("flatten is the identity: a^4 = a^3, and delta^3 = ((W^5)^T delta^5) (.) tanh'(z^3)", () => {
    expect(difference(ws.a[4]!.data, ws.a[3]!.data)).toBe(0);
    const back = product(transpose(rowsOf(net.weights[4]!.data, 60)), rowsOf(ws.delta[5]!.data, B)).flat();
    const a3 = ws.a[3]!.data;
    expect(difference(ws.delta[3]!.data, back.map((v, i) => v * (1 - a3[i]! ** 2)))).toBeLessThan(TOLERANCE);
  });
});
