/**
 * shapegrad: neural networks whose matrices carry their shapes as literal types.
 *
 * Rooms: shape/ (type-level shape algebra and messages), kernels/ (typed-array loops), ops/ (typed
 * operations over the kernels), nn/ (layers, networks, losses, backprop), optim/ (gradient descent),
 * train/ (fit, evaluate), data/ (datasets), io/ (model save and load).
 */
export type { Dyn, Size, ShowDim, ShowShape, BadSize } from "./shape/dims.js";
export { ShapeError, shapeMessage } from "./shape/errors.js";
export type {
  ShapeMessage, MatmulMessage, MatmulTransAMessage, MatmulTransBMessage, SameShapeMessage,
  AddBiasMessage, OutMessage, ExpectShapeMessage, SizeMessage, SequentialMessage,
} from "./shape/errors.js";
export type { Matrix, AnyMatrix, Fits, Fits2 } from "./shape/matrix.js";

export {
  zeros, ones, fill, identity, fromRows, vector, fromArray, toRows, randomNormal, randomUniform,
  assertShape, widen,
} from "./ops/create.js";
export type { SizeArg, RowsOf, ColsOf, RandomOptions } from "./ops/create.js";
export { rng } from "./ops/random.js";
export type { Rng } from "./ops/random.js";
export { matmul, matmulTransA, matmulTransB, transpose } from "./ops/matmul.js";
export { add, sub, hadamard, scale, addBias, sumColumns, map } from "./ops/elementwise.js";
export { relu, reluDerivative, softmax, logSoftmax, argmax, oneHot } from "./ops/activations.js";
