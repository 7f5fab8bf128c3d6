/**
 * The CNN of issue 12 in TensorFlow.js 4.22, NHWC (TF.js's conv2d layout; with one input channel an
 * example's 784 pixels are the same numbers in HWC and CHW order):
 * conv2d 8 5x5 valid, relu, maxPool 2, conv2d 16 5x5 same, relu, maxPool 2, flatten, dense 10,
 * softmax cross-entropy; one SGD step per call.
 *
 * TF.js's wasm backend has no Conv2DBackpropFilter kernel, so autodiff over `tf.conv2d` throws
 * there ("Kernel 'Conv2DBackpropFilter' not registered for backend 'wasm'"), and so does a
 * `tf.layers` model's `trainOnBatch`. Two spellings, then:
 * - "autodiff" is the plain one (`optimizer.minimize` over tf.conv2d, tf.maxPool, tf.matMul,
 *   tf.losses.softmaxCrossEntropy): it runs on the `cpu` backend only, and is the reference of the
 *   checks;
 * - "customGrad" runs on wasm: the same forward pass and `optimizer.minimize`, with each conv2d
 *   wrapped in `tf.customGrad` whose backward pass uses kernels wasm has: the input's gradient is
 *   `tf.conv2dTranspose` (Conv2DBackpropInput), the filter's is itself a convolution (of the
 *   padded input with batch and channels swapped, by the output's gradient as filter), the
 *   standard rewrite. The first layer's input is a constant, so its gradient is not computed.
 */
import * as tf from "@tensorflow/tfjs";
import type { TfBatch, TfRun } from "./tf.js";
import { stepsOf } from "./tf.js";

/** One parameter tensor's values (row-major) and shape. */
export interface TfTensorValues { readonly values: Float32Array; readonly shape: readonly number[] }
/** The CNN's parameters: conv 1 filter [5, 5, 1, 8] and bias [8], conv 2 filter [5, 5, 8, 16] and bias [16], dense kernel [576, 10] (rows in (h, w, c) order) and bias [10]. */
export type TfCnnParams = TfTensorValues[];

export type TfCnnSpelling = "autodiff" | "customGrad";
export const TF_CNN_SPELLINGS: readonly TfCnnSpelling[] = ["autodiff", "customGrad"];
export const CNN_SPELLING_NAMES: Record<TfCnnSpelling, string> = {
  autodiff: "autodiff",
  customGrad: "autodiff + customGrad conv2d",
};
/** The parameter shapes, in order (checked against what the step is given). */
export const TF_CNN_SHAPES: readonly (readonly number[])[] = [[5, 5, 1, 8], [8], [5, 5, 8, 16], [16], [576, 10], [10]];

/** A CNN training step: as `TfStep`, with the CNN's parameters. */
export interface TfCnnStep extends TfRun {
  step: () => number;
  loss: () => number;
  params: () => TfCnnParams;
}

/** A stride-1 conv2d; `constantInput`: x is the input batch, whose gradient no one needs. */
type Conv = (x: tf.Tensor4D, filter: tf.Tensor4D, pad: "valid" | "same", constantInput: boolean) => tf.Tensor4D;

export function tfCnnStep(spelling: TfCnnSpelling, params: TfCnnParams, data: TfBatch, learningRate = 0.01): TfCnnStep {
  params.forEach((p, i) => {
    const want = TF_CNN_SHAPES[i];
    if (!want || p.shape.join("x") !== want.join("x")) throw new Error(`tfCnnStep: parameter ${i + 1} should be ${want?.join("x") ?? "absent"}, got ${p.shape.join("x")}`);
  });
  if (params.length !== TF_CNN_SHAPES.length) throw new Error(`tfCnnStep: expected ${TF_CNN_SHAPES.length} parameters, got ${params.length}`);
  // In tf.tidy: a variable shares its initial tensor's data, and tidy then frees the tensor itself.
  const variables = params.map((p) => tf.tidy(() => tf.variable(tf.tensor(p.values, [...p.shape]))));
  const xs = tf.tensor4d(data.x.subarray(0, data.batch * 784), [data.batch, 28, 28, 1]);
  const ys = tf.tidy(() => tf.oneHot(tf.tensor1d(data.labels.subarray(0, data.batch), "int32"), 10)) as tf.Tensor2D;
  const conv: Conv = spelling === "autodiff" ? (x, w, pad) => tf.conv2d(x, w, 1, pad) : customConv;
  const lossOf = (c: Conv) => () => tf.losses.softmaxCrossEntropy(ys, logits(xs, variables, c)) as tf.Scalar;
  const optimizer = tf.train.sgd(learningRate);
  const forwardLoss = lossOf(conv);
  const step = () => optimizer.minimize(forwardLoss, true, variables)!;
  return {
    ...stepsOf(step),
    loss: () => tf.tidy(() => forwardLoss().dataSync()[0]!),
    params: () => variables.map((v) => ({ values: v.dataSync() as Float32Array, shape: v.shape })),
    dispose: () => {
      tf.dispose([...variables, xs, ys]);
      optimizer.dispose();
    },
  };
}

/** The forward pass up to the output layer's weighted sums (B x 10). */
function logits(xs: tf.Tensor4D, p: readonly tf.Tensor[], conv: Conv): tf.Tensor2D {
  const [w1, b1, w2, b2, w3, b3] = p as [tf.Tensor4D, tf.Tensor1D, tf.Tensor4D, tf.Tensor1D, tf.Tensor2D, tf.Tensor1D];
  let a = tf.relu(tf.add(conv(xs, w1, "valid", true), b1)) as tf.Tensor4D; // [B, 24, 24, 8]
  a = tf.maxPool(a, 2, 2, "valid"); // [B, 12, 12, 8]
  a = tf.relu(tf.add(conv(a, w2, "same", false), b2)) as tf.Tensor4D; // [B, 12, 12, 16]
  a = tf.maxPool(a, 2, 2, "valid"); // [B, 6, 6, 16]
  return tf.add(tf.matMul(tf.reshape(a, [xs.shape[0], 576]), w3), b3) as tf.Tensor2D;
}

/** Stride 1 "valid" or "same" (odd kernel): the zero padding on each side. */
const padOf = (filter: tf.Tensor4D, pad: "valid" | "same") => (pad === "valid" ? 0 : (filter.shape[0] - 1) / 2);

/**
 * dE/dW of a stride-1 conv2d: dW[i, j, c, f] = sum over b, y, x of xpad[b, y + i, x + j, c] dy[b, y, x, f],
 * which is a valid conv2d of xpad with batch and channels swapped ([C, H, W, B]) by dy as a filter
 * ([OH, OW, B, F]), giving [C, KH, KW, F], then transposed to [KH, KW, C, F].
 */
function filterGradient(x: tf.Tensor4D, dy: tf.Tensor4D, filter: tf.Tensor4D, pad: "valid" | "same"): tf.Tensor4D {
  const p = padOf(filter, pad);
  const padded = p === 0 ? x : tf.pad(x, [[0, 0], [p, p], [p, p], [0, 0]]);
  const g = tf.conv2d(tf.transpose(padded, [3, 1, 2, 0]), tf.transpose(dy, [1, 2, 0, 3]), 1, "valid");
  return tf.transpose(g, [1, 2, 0, 3]);
}

/** conv2d with the backward pass spelled in kernels TF.js wasm has. */
const customConv: Conv = (x, filter, pad, constantInput) => {
  if (constantInput) {
    return tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
      const [w, save] = args as [tf.Tensor4D, tf.GradSaveFunc];
      save([w]);
      return { value: tf.conv2d(x, w, 1, pad), gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => filterGradient(x, dy as tf.Tensor4D, saved[0] as tf.Tensor4D, pad) };
    })(filter) as tf.Tensor4D;
  }
  return tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [input, w, save] = args as [tf.Tensor4D, tf.Tensor4D, tf.GradSaveFunc];
    save([input, w]);
    return {
      value: tf.conv2d(input, w, 1, pad),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [a, f] = saved as [tf.Tensor4D, tf.Tensor4D];
        return [tf.conv2dTranspose(dy as tf.Tensor4D, f, a.shape, 1, pad), filterGradient(a, dy as tf.Tensor4D, f, pad)];
      },
    };
  })(x, filter) as tf.Tensor4D;
};
