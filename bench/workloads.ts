/**
 * What the benchmark measures: the products, the training cases, the inference cases, and the
 * random data they run on. Pure data; run.ts times it, report.ts and targets.ts read the results.
 */

export const SMALL = [784, 128, 10] as const;
export const WIDE = [784, 1024, 1024, 10] as const;
export const networkName = (sizes: readonly number[]): string => sizes.join("-");

/** A product op(A) op(B) of stored shapes a and b. */
export interface ProductShape {
  readonly name: string;
  readonly a: readonly [number, number];
  readonly b: readonly [number, number];
  readonly transA: boolean;
  readonly transB: boolean;
  /** One of the products a training step of the MLP runs, counted by the 45 GFLOP/s target. */
  readonly target: boolean;
  /** Also timed on TF.js's pure-JavaScript `cpu` backend (too slow for the 1024-wide shapes). */
  readonly tfCpu: boolean;
}

const square = (n: number): ProductShape => ({ name: `${n} x ${n} square`, a: [n, n], b: [n, n], transA: false, transB: false, target: false, tfCpu: true });

/**
 * A square for reference, then the products a training step of each network runs at batch 64,
 * named as in the notes (layer l: W^l is Out x In, a^(l-1) In x B, delta^l Out x B). Dropped: the
 * input layer's W^T delta (128x784^T . 128x64), which neither library computes in training (there
 * is no delta^0). The output layer's products (10 rows) are under 2% of a step's work and are shown
 * for information, outside the target.
 */
export const PRODUCTS: readonly ProductShape[] = [
  square(256),
  { name: "784-128-10 W^1 a^0 (128x784 . 784x64)", a: [128, 784], b: [784, 64], transA: false, transB: false, target: true, tfCpu: true },
  { name: "784-128-10 delta^1 a^0T (128x64 . 784x64^T)", a: [128, 64], b: [784, 64], transA: false, transB: true, target: true, tfCpu: true },
  { name: "784-128-10 W^2T delta^2 (10x128^T . 10x64)", a: [10, 128], b: [10, 64], transA: true, transB: false, target: false, tfCpu: true },
  { name: "784-1024-1024-10 W^2 a^1 (1024x1024 . 1024x64)", a: [1024, 1024], b: [1024, 64], transA: false, transB: false, target: true, tfCpu: false },
  { name: "784-1024-1024-10 W^2T delta^2 (1024x1024^T . 1024x64)", a: [1024, 1024], b: [1024, 64], transA: true, transB: false, target: true, tfCpu: false },
  { name: "784-1024-1024-10 delta^2 a^1T (1024x64 . 1024x64^T)", a: [1024, 64], b: [1024, 64], transA: false, transB: true, target: true, tfCpu: false },
  // The CNN's convolutions at batch 64 in their im2col form (src/ops/conv.ts): W . im2col(x), and
  // the backward pass's delta . im2col(x)^T and W^T . delta. conv1: 8 filters 5x5 on 1x28x28 (576
  // positions); conv2: 16 filters 5x5 on 8x12x12, "same" (144 positions). shapegrad runs them in
  // blocks of output rows; here each is one whole product.
  { name: "CNN conv1 W . im2col(x) (8x25 . 25x36864)", a: [8, 25], b: [25, 36864], transA: false, transB: false, target: false, tfCpu: false },
  { name: "CNN conv2 W . im2col(x) (16x200 . 200x9216)", a: [16, 200], b: [200, 9216], transA: false, transB: false, target: false, tfCpu: false },
  { name: "CNN conv2 delta . im2col(x)^T (16x9216 . 200x9216^T)", a: [16, 9216], b: [200, 9216], transA: false, transB: true, target: false, tfCpu: false },
  { name: "CNN conv2 W^T . delta (16x200^T . 16x9216)", a: [16, 200], b: [16, 9216], transA: true, transB: false, target: false, tfCpu: false },
];

/** m x n = op(A) op(B), summed over k. */
export function productDims(p: ProductShape): { m: number; n: number; k: number } {
  return { m: p.transA ? p.a[1] : p.a[0], k: p.transA ? p.a[0] : p.a[1], n: p.transB ? p.b[0] : p.b[1] };
}

export const productFlops = (p: ProductShape): number => {
  const { m, n, k } = productDims(p);
  return 2 * m * n * k;
};

/** A training case: one SGD step of `sizes` on a batch. */
export interface TrainingCase { readonly name: string; readonly sizes: readonly number[]; readonly batch: number; readonly tfCpu: boolean }

const trainingCase = (sizes: readonly number[], batch: number, tfCpu: boolean): TrainingCase =>
  ({ name: `${networkName(sizes)}, batch ${batch}`, sizes, batch, tfCpu });

export const TRAINING: readonly TrainingCase[] = [
  trainingCase(SMALL, 64, true),
  trainingCase(SMALL, 1, true),
  trainingCase(WIDE, 64, false),
  trainingCase(WIDE, 256, false),
];

/**
 * The CNN of issue 12, one SGD step at batch 64: input(1, 28, 28), conv2d(8, 5), relu(), maxPool2d(2),
 * conv2d(16, 5, { padding: "same" }), relu(), maxPool2d(2), flatten(), dense(10), softmax()
 * (built in shapegrad.ts and, NHWC, in tf-cnn.ts). Its examples are the 784-value rows of the
 * random data, as the MLP's.
 */
export const CNN_CASE = { name: "CNN conv8x5-pool2-conv16x5same-pool2-dense10, batch 64", batch: 64 } as const;

/** The `fit` case: 784-128-10, batch 64, one epoch over FIT_EXAMPLES examples. */
export const FIT_EXAMPLES = 4096;
export const FIT_CASE = `fit, ${networkName(SMALL)}, batch 64`;

/** Batch-1 inference cases. */
export interface PredictCase { readonly name: string; readonly sizes: readonly number[] }
export const PREDICT: readonly PredictCase[] = [SMALL, WIDE].map((sizes) => ({ name: `${networkName(sizes)}, batch 1`, sizes }));

/** Random examples (values in [0, 1)) and labels, one example per row, from a seeded generator. */
export function randomData(n: number, features: number, classes: number, seed = 2): { x: Float32Array; labels: Int32Array } {
  let s = seed;
  const next = () => (s = (s * 16807) % 2147483647) / 2147483647;
  const x = new Float32Array(n * features);
  for (let i = 0; i < x.length; i++) x[i] = next();
  const labels = Int32Array.from({ length: n }, () => Math.floor(next() * classes));
  return { x, labels };
}
