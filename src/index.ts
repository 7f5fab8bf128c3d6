/**
 * shapegrad: neural networks whose matrices carry their shapes as literal types.
 *
 * Rooms: shape/ (type-level shape algebra and messages), kernels/ (typed-array loops), ops/ (typed
 * operations over the kernels), nn/ (layers, networks, losses, backprop), optim/ (gradient descent),
 * train/ (fit, evaluate), data/ (datasets), io/ (model save and load).
 */
// shape algebra
export type { Dyn, Size, ShowDim, ShowShape, BadSize } from "./shape/dims.js";
export { ShapeError, shapeMessage } from "./shape/errors.js";
export type {
  ShapeMessage, MatmulMessage, MatmulTransAMessage, MatmulTransBMessage, SameShapeMessage, AddBiasMessage,
  OutMessage, ExpectShapeMessage, SizeMessage, SequentialMessage, InputMessage, TargetsMessage,
} from "./shape/errors.js";
export type { Matrix, AnyMatrix, AnyColumn, Fits, Fits2 } from "./shape/matrix.js";
export type { Add, Mul } from "./shape/arithmetic.js";
export type { ReshapeMessage, ConcatMessage } from "./shape/errors.js";

// kernels
export { setBackend, getBackend } from "./kernels/backend.js";
export type { Backend } from "./kernels/backend.js";

// ops
export {
  zeros, ones, fill, fromRows, vector, fromArray, toRows, randomNormal, randomUniform, assertShape, widen,
} from "./ops/create.js";
export type { SizeArg, RowsOf, ColsOf, RandomOptions, RandomSource } from "./ops/create.js";
export { rng } from "./ops/random.js";
export type { Rng } from "./ops/random.js";
export { matmul, matmulTransA, matmulTransB, transpose } from "./ops/matmul.js";
export { add, sub, hadamard, scale, addBias, sumColumns, map } from "./ops/elementwise.js";
export { flatten, reshape, vcat, hcat } from "./ops/reshape.js";
export { reluDerivative, logSoftmax, argmax, oneHot } from "./ops/activations.js";
// relu, softmax, sigmoid, tanh, identity: with a matrix the op, with no argument a layer.
export { relu, softmax, sigmoid, tanh, identity, dense } from "./nn/layers.js";
export type { Dense, ActivationLayer, Layer } from "./nn/layers.js";

// networks
export { mlp, initialize } from "./nn/network.js";
export type { Mlp, AnyMlp, MlpOptions, LossName, InitName, CheckSizes } from "./nn/network.js";
export { sequential, sequentialWith } from "./nn/sequential.js";
export type { CheckChain, SizesOf } from "./nn/sequential.js";
export type { ActivationName, LayerActivation } from "./nn/activation.js";
export type {
  Sizes, LayerOutputs, InputSize, OutputSize, WeightsOf, BiasesOf, ActivationsOf, WeightedSumsOf, Params, Gradients,
} from "./nn/types.js";
export { forward, predict, backward, lossAndGradients } from "./nn/api.js";
export type { ForwardPass, LossAndGradients, InputsArg, TargetsArg } from "./nn/api.js";
export { createWorkspace } from "./nn/workspace.js";
export { summary } from "./nn/summary.js";
export type { ParamCount, LayerParams, Summary, LayerSummary, ModelSummary } from "./nn/summary.js";
export type { Workspace } from "./nn/workspace.js";
export {
  layerForward, outputDeltaCrossEntropy, outputDeltaSquaredError, deltaPrevious, weightGradient, biasGradient,
} from "./nn/backprop.js";

// optimizers
export { sgd } from "./optim/sgd.js";
export type { SgdOptions } from "./optim/sgd.js";
export { momentum } from "./optim/momentum.js";
export type { MomentumOptions } from "./optim/momentum.js";
export { adam } from "./optim/adam.js";
export type { AdamOptions } from "./optim/adam.js";
export type { Optimizer } from "./optim/optimizer.js";

// training
export { fit, TrainingError } from "./train/fit.js";
export type { FitOptions, History, EpochLog, BatchLog, EarlyStopping } from "./train/fit.js";
export { fitAsync } from "./train/fit-async.js";
export type { FitAsyncOptions, AbortSignalLike } from "./train/fit-async.js";
export { trainInWorker } from "./train/worker.js";
export type { TrainInWorkerOptions } from "./train/worker.js";
export { serveTraining } from "./train/worker-serve.js";
export type { ServeOptions, AnyDataset } from "./train/worker-serve.js";
export type {
  Endpoint, WebEndpoint, NodeEndpoint, MessageEventLike, OptimizerSpec, NamedData, PostedData, WorkerFitOptions, ParameterBuffers,
} from "./train/worker-protocol.js";
export { evaluate } from "./train/evaluate.js";
export type { Evaluation } from "./train/evaluate.js";

// data
export { dataset, subset, size, labelsOf } from "./data/dataset.js";
export type { Dataset, DatasetOptions } from "./data/dataset.js";
export { split, shuffled, batches } from "./data/split.js";
export type { SplitOptions } from "./data/split.js";

// io
export { modelToJSON, modelFromJSON, ModelFormatError, MODEL_FORMAT, MODEL_VERSION } from "./io/model-json.js";
export type { ModelDocument } from "./io/model-json.js";
