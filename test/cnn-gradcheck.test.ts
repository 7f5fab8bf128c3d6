/**
 * Convolutional networks against central finite differences, dE/dp ~ (E(p + h) - E(p - h)) / 2h,
 * in float64, for every weight and bias (a sample of them in the issue's MNIST network): stride 1
 * and 2, each padding kind, rectangular kernels and pools, pooling with stride != size, two conv
 * layers, conv into conv, flatten into dense, a conv or a flatten as the output layer, batch 1 and
 * > 1, both losses; on the js and wasm kernels, and for float32 networks.
 *
 * E is computed here from its definition on `predict`'s output (cross-entropy -sum_k t_k log a_k,
 * or mean squared error (1/K) sum_k (a_k - t_k)^2, averaged over the batch), not by the library's
 * loss code.
 *
 * Relative error per entry: |analytic - numeric| / max(|analytic|, |numeric|, FLOOR). A central
 * difference of a loss of about 2 in float64 with h = 1e-5 carries a round-off of about 1e-11 to
 * 1e-10 (a few ulps of E over 2h); measured on the MNIST network, dense weights whose gradient is
 * about 1e-5 agree to 2e-11 absolutely, which is 2e-6 relatively. FLOOR = 1e-4 keeps such entries
 * measured against what a difference quotient can resolve, while any error above 1e-10 still fails.
 *
 * Max pooling and ReLU have kinks: a step of h that moves a pre-activation across 0, or changes a
 * window's maximum, breaks the difference quotient. Whether that happens depends only on the data
 * (fixed seeds), not on round-off, so the cases below stay clear of kinks on every kernel; with
 * h = 1e-4 two of them cross one (error 0.1), which is why h is not larger.
 *
 * Float32 networks: a float32 loss moves by about 1e-7 of itself between neighbouring floats, so a
 * float32 difference quotient with h = 1e-5 carries an error of about 1e-2. Their gradients are
 * compared instead with the float64 central differences of the same network (the parameters and
 * data are float32 numbers, exactly representable in float64), relative to the largest magnitude
 * of each gradient array, within FLOAT32_TOLERANCE: this checks the float32 code path (kernels,
 * buffers), while the float64 check proves the equations.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  conv2d, dense, flatten, fromArray, identity, input, lossAndGradients, maxPool2d, oneHot, predict, relu, rng,
  sequentialWith, setBackend, sigmoid, softmax, tanh, toDType, widen, zeros,
  type AnyMatrix, type DType, type LayerArg, type Matrix,
} from "../src/index.js";
import type { Net } from "./fixtures/cnn/load.js";
import { isThin } from "../src/kernels/gemm.js";
import { convGeometry } from "../src/ops/conv.js";


const H = 1e-5; // balances truncation (h^2) against round-off (eps / h)
const FLOOR = 1e-4;
const TOLERANCE = 1e-6;
const FLOAT32_TOLERANCE = 1e-5;

/** E(current parameters): the mean loss over the batch, from its definition on predict's output. */
function lossFunction(net: Net, x: AnyMatrix, t: AnyMatrix): () => number {
  const K = t.rows, B = t.cols, out = widen(zeros(K, B));
  return () => {
    predict(net, x, out);
    let total = 0;
    for (let i = 0; i < K * B; i++) {
      const a = out.data[i]!, target = t.data[i]!;
      total += net.loss === "crossEntropy" ? (target === 0 ? 0 : -target * Math.log(a)) : (a - target) ** 2 / K;
    }
    return total / B;
  };
}

/** The parameters in a fixed order: every weight matrix, then every bias (layers without weights skipped). */
function parameters<D extends DType>(net: Net<D>): (Float64Array | Float32Array)[] {
  return [...net.weights, ...net.biases].flatMap((p) => (p ? [p.data] : []));
}

/** Backpropagation's gradients in the order of `parameters`, copied out. */
function backpropGradients<D extends DType>(net: Net<D>, x: Matrix<number, number, D>, t: Matrix<number, number, D>): Float64Array[] {
  const { gradients } = lossAndGradients(net, x, t);
  return [...gradients.weights, ...gradients.biases].flatMap((g) => (g ? [Float64Array.from(g.data)] : []));
}

/** Central differences of the mean loss for the entries `pick` selects (m: parameter array, i: entry); NaN elsewhere. */
function finiteDifferences(net: Net, x: AnyMatrix, t: AnyMatrix, pick: (m: number, i: number) => boolean): Float64Array[] {
  const loss = lossFunction(net, x, t);
  return parameters(net).map((p, m) => {
    const out = new Float64Array(p.length).fill(Number.NaN);
    for (let i = 0; i < p.length; i++) {
      if (!pick(m, i)) continue;
      const keep = p[i]!;
      p[i] = keep + H;
      const up = loss();
      p[i] = keep - H;
      const down = loss();
      p[i] = keep;
      out[i] = (up - down) / (2 * H);
    }
    return out;
  });
}

/** Largest |analytic - numeric| / max(|analytic|, |numeric|, FLOOR) over the entries measured. */
function worstRelativeError(analytic: Float64Array[], numeric: Float64Array[]): number {
  let worst = 0;
  numeric.forEach((n, m) => n.forEach((v, i) => {
    if (Number.isNaN(v)) return;
    const a = analytic[m]![i]!;
    worst = Math.max(worst, Math.abs(v - a) / Math.max(Math.abs(v), Math.abs(a), FLOOR));
  }));
  return worst;
}

/** Largest |analytic - numeric| relative to the largest |numeric| of each array, over the entries measured. */
function worstScaledError(analytic: Float64Array[], numeric: Float64Array[]): number {
  let worst = 0;
  numeric.forEach((n, m) => {
    let scale = 0, diff = 0;
    n.forEach((v, i) => {
      if (Number.isNaN(v)) return;
      scale = Math.max(scale, Math.abs(v));
      diff = Math.max(diff, Math.abs(v - analytic[m]![i]!));
    });
    worst = Math.max(worst, diff / Math.max(scale, FLOOR));
  });
  return worst;
}

/** Seeded values, rounded to float32 so that a float32 network sees exactly the same numbers. */
function values(count: number, seed: number, from: number, to: number): number[] {
  const r = rng(seed);
  return Array.from({ length: count }, () => Math.fround(from + (to - from) * r.next()));
}

interface Case {
  readonly layers: readonly LayerArg[];
  readonly batch: number;
  readonly seed: number;
  /** Targets: class indices (softmax + cross-entropy) or regression values (mean squared error). */
  readonly targets: "classes" | "values";
  /** Which entries to difference (all by default). */
  readonly pick?: (m: number, i: number) => boolean;
}

/** The network of a case, with its biases moved off zero so that every path and every bias gradient is exercised. */
function build<D extends DType = "float64">(c: Case, dtype: D = "float64" as D): Net<D> {
  const [first, ...rest] = c.layers;
  const net: Net<D> = sequentialWith({ seed: c.seed, dtype }, [first!, ...rest]);
  const r = rng(c.seed + 100);
  for (const b of net.biases) if (b) for (let i = 0; i < b.data.length; i++) b.data[i] = 0.1 * (2 * r.next() - 1);
  for (const p of parameters(net)) for (let i = 0; i < p.length; i++) p[i] = Math.fround(p[i]!); // float32 numbers
  return net;
}

/** Inputs in [-1, 1), and targets: one-hot classes, or values in [0, 1). */
function data(c: Case, net: Net): { x: AnyMatrix; t: AnyMatrix } {
  const features = net.sizes[0]!, out = net.sizes[net.sizes.length - 1]!;
  const x = widen(fromArray(values(features * c.batch, c.seed + 1, -1, 1), features, c.batch));
  const r = rng(c.seed + 2);
  const t = c.targets === "classes"
    ? widen(oneHot(Array.from({ length: c.batch }, () => r.int(out)), out))
    : widen(fromArray(values(out * c.batch, c.seed + 2, 0, 1), out, c.batch));
  return { x, t };
}

const cases: readonly (readonly [string, Case])[] = [
  ["stride 1, 'valid', ReLU, flatten into dense, softmax + cross-entropy, batch 1", {
    layers: [input(1, 6, 6), conv2d(4, 3), relu(), flatten(), dense(5), softmax()],
    batch: 1, seed: 1, targets: "classes",
  }],
  ["stride 2, 'same' with odd total padding (0 before, 1 after), 3x2 kernel, pool 2 stride 1, two convs, cross-entropy, batch 3", {
    layers: [
      input(2, 8, 7), conv2d(4, [3, 2], { stride: 2, padding: "same" }), tanh(), // [4, 4, 4]
      maxPool2d(2, 1), //                                                            [4, 3, 3]
      conv2d(5, 2, { padding: "same" }), relu(), //                                  [5, 3, 3], padding 0 before, 1 after
      flatten(), dense(4), softmax(),
    ],
    batch: 3, seed: 2, targets: "classes",
  }],
  ["padding 1, stride [2, 1], 2x3 kernel, overlapping pool 3 stride 2, identity output + mean squared error, batch 4", {
    layers: [
      input(1, 9, 8), conv2d(4, [2, 3], { stride: [2, 1], padding: 1 }), relu(), // [4, 5, 8]
      maxPool2d(3, 2), //                                                            [4, 2, 3]
      flatten(), dense(6), sigmoid(), dense(3), identity(),
    ],
    batch: 4, seed: 3, targets: "values",
  }],
  ["padding 2 with stride 2, 1x2 pool striding [2, 3] (skipping inputs), sigmoid output + mean squared error, batch 2", {
    layers: [
      input(3, 6, 7), conv2d(6, 3, { stride: 2, padding: 2 }), tanh(), // [6, 4, 5]
      maxPool2d([1, 2], [2, 3]), //                                        [6, 2, 2]
      flatten(), dense(2), sigmoid(),
    ],
    batch: 2, seed: 4, targets: "values",
  }],
  ["conv into conv, a conv as the output layer, mean squared error on its image, batch 2", {
    layers: [input(2, 5, 5), conv2d(4, 2), relu(), conv2d(4, 2, { padding: "same" }), sigmoid()], // [4, 4, 4] twice
    batch: 2, seed: 5, targets: "values",
  }],
  ["flatten as the output layer after a pool, mean squared error, batch 5", {
    layers: [input(1, 6, 6), conv2d(4, 2, { stride: 2 }), tanh(), maxPool2d(3, 3), flatten()], // [4, 3, 3] -> [4, 1, 1] -> [4]
    batch: 5, seed: 6, targets: "values",
  }],
  ["the issue's MNIST network (every bias and first-conv weight, every 7th of the second conv, every 29th dense weight), cross-entropy, batch 2", {
    layers: [
      input(1, 28, 28), conv2d(8, 5), relu(), maxPool2d(2), conv2d(16, 5, { padding: "same" }), relu(), maxPool2d(2),
      flatten(), dense(10), softmax(),
    ],
    batch: 2, seed: 7, targets: "classes",
    // parameters: conv1 W (m = 0), conv2 W (m = 1), dense W (m = 2), then the biases
    pick: (m, i) => (m === 1 ? i % 7 === 0 : m === 2 ? i % 29 === 0 : true),
  }],
];

/** Every convolution product of the case has no dimension under 4, so the wasm backend runs its own kernel (not the shared thin loops). */
function convProductsAreWide(net: Net, batch: number): boolean {
  return net.layers.every((layer) => {
    if (layer.kind !== "conv2d") return true;
    const spec = layer.spec as unknown as { kernel: [number, number]; stride: [number, number]; padding: "valid" | "same" | number };
    const [c, h, w] = layer.inputShape as readonly number[];
    const g = convGeometry(h!, w!, spec.kernel[0], spec.kernel[1], spec.stride[0], spec.stride[1], spec.padding);
    const F = layer.outputShape[0]!, K = c! * spec.kernel[0] * spec.kernel[1], N = g.outH * g.outW * batch;
    return !isThin(F, N, K) && !isThin(F, K, N) && !isThin(K, N, F);
  });
}

it("every case's convolution products are wide enough for the wasm kernel", () => {
  for (const [name, c] of cases) expect(convProductsAreWide(build(c), c.batch), name).toBe(true);
});

/** The float64 differences of each case, per backend: computed once, used by the float64 and the float32 test. */
const differences = new Map<string, Float64Array[]>();
function numericGradients(name: string, backend: string, c: Case): Float64Array[] {
  const key = `${backend} ${name}`;
  let n = differences.get(key);
  if (n === undefined) {
    const net = build(c), { x, t } = data(c, net);
    differences.set(key, (n = finiteDifferences(net, x, t, c.pick ?? (() => true))));
  }
  return n;
}

it.each(cases)("E from its definition equals the library's mean loss: %s", (_name, c) => {
  const net = build(c), { x, t } = data(c, net);
  expect(Math.abs(lossFunction(net, x, t)() - lossAndGradients(net, x, t).loss)).toBeLessThan(1e-14);
});

describe.each(["js", "wasm"] as const)("CNN backprop equals central finite differences (%s kernels)", (backend) => {
  beforeAll(() => void setBackend(backend));
  afterAll(() => void setBackend("auto"));

  it.each(cases)("%s", (name, c) => {
    const net = build(c), { x, t } = data(c, net);
    const error = worstRelativeError(backpropGradients(net, x, t), numericGradients(name, backend, c));
    if (process.env.GRADCHECK_REPORT) console.log(`float64 ${backend} ${error.toExponential(2)} ${name}`);
    expect(error).toBeLessThan(TOLERANCE);
  }, 60_000);

  it.each(cases)("float32 network: %s", (name, c) => {
    const net32 = build(c, "float32"), net64 = build(c), { x, t } = data(c, net64);
    parameters(net32).forEach((p, m) => expect(p).toEqual(Float32Array.from(parameters(net64)[m]!))); // the same numbers
    const analytic = backpropGradients(net32, toDType(x, "float32"), toDType(t, "float32"));
    const error = worstScaledError(analytic, numericGradients(name, backend, c));
    if (process.env.GRADCHECK_REPORT) console.log(`float32 ${backend} ${error.toExponential(2)} ${name}`);
    expect(error).toBeLessThan(FLOAT32_TOLERANCE);
  }, 60_000);
});

/** Case 2's parameters: conv1 W 4 x (2*3*2), conv2 W 5 x (4*2*2), dense W 4 x 45 (from [5, 3, 3]), then the biases. */
const corruptions: readonly (readonly [string, (g: Float64Array[]) => void])[] = [
  ["one weight of the second conv 0.1% too large", (g) => void (g[1]![5]! *= 1.001)],
  ["the first conv's kernels flipped (convolution instead of cross-correlation)", (g) => {
    for (let block = 0; block < 4 * 2; block++) g[0]!.subarray(block * 6, block * 6 + 6).reverse(); // each (filter, channel) 3x2 kernel
  }],
  ["the 3x2 kernels read as 2x3 (height and width swapped)", (g) => {
    for (let block = 0; block < 4 * 2; block++) {
      const k = g[0]!.subarray(block * 6, block * 6 + 6), copy = Float64Array.from(k);
      for (let kh = 0; kh < 3; kh++) for (let kw = 0; kw < 2; kw++) k[kw * 3 + kh] = copy[kh * 2 + kw]!;
    }
  }],
  ["the first conv's bias gradient summed over the batch but not divided by it", (g) => void g[3]!.forEach((v, i, b) => (b[i] = 3 * v))],
  ["the dense weights after flatten in [H, W, C] order instead of [C, H, W]", (g) => {
    const w = g[2]!, copy = Float64Array.from(w);
    for (let k = 0; k < 4; k++) {
      for (let c = 0; c < 5; c++) for (let h = 0; h < 3; h++) for (let x = 0; x < 3; x++) w[k * 45 + (h * 3 + x) * 5 + c] = copy[k * 45 + (c * 3 + h) * 3 + x]!;
    }
  }],
];

describe("the check can fail", () => {
  const [name, c] = cases[1]!;
  it.each(corruptions)("backprop's gradient with %s fails it", (_what, corrupt) => {
    const net = build(c), { x, t } = data(c, net);
    const gradients = backpropGradients(net, x, t), numeric = numericGradients(name, "auto", c);
    expect(worstRelativeError(gradients, numeric)).toBeLessThan(TOLERANCE); // the same check passes uncorrupted
    corrupt(gradients);
    const error = worstRelativeError(gradients, numeric);
    if (process.env.GRADCHECK_REPORT) console.log(`corrupted ${error.toExponential(2)} ${_what}`);
    expect(error).toBeGreaterThan(100 * TOLERANCE);
  });
});
