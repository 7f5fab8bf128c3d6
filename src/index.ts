/**
 * shapegrad: neural networks whose matrices carry their shapes as literal types.
 *
 * Rooms: shape/ (type-level shape algebra and messages), kernels/ (typed-array loops), ops/ (typed
 * operations over the kernels), nn/ (layers, networks, losses, backprop), optim/ (gradient descent),
 * train/ (fit, evaluate), data/ (datasets), io/ (model save and load).
 */
// shape algebra
export type { Dyn, Shape, ShowDim, ShowShape, BadSize, SizeArg, SizeProblem, IsUnion, Reject } from "./shape/dims.js";
export { ShapeError, shapeMessage } from "./shape/errors.js";
export type {
  ShapeMessage, MatmulMessage, MatmulTransAMessage, MatmulTransBMessage, SameShapeMessage, AddBiasMessage,
  OutMessage, ExpectShapeMessage, SizeMessage, SequentialMessage, InputMessage, TargetsMessage, DTypeMessage, ReshapeMessage,
  ConcatMessage, LayerMessage, LabelMessage, ShowExample,
} from "./shape/errors.js";
export type { Matrix, AnyMatrix, AnyColumn, MatrixLike, DType, DataOf, Fits, Fits2, SameDType } from "./shape/matrix.js";
export type { Add, Mul, Sub, Div, LessThan, Product } from "./shape/arithmetic.js";

// kernels
export { setBackend, getBackend, getSimdVariant } from "./kernels/backend.js";
export type { Backend } from "./kernels/backend.js";

// ops
export {
  zeros, ones, fill, fromRows, fromExamples, vector, fromArray, toRows, toDType, randomNormal, randomUniform, assertShape, widen,
} from "./ops/create.js";
export type { RowsOf, ColsOf, RowsArg, ValuesArg, DTypeOfData, ExpectArg, RandomOptions, RandomSource } from "./ops/create.js";
export type { OutArg } from "./ops/out.js";
export { rng, rngFromState } from "./ops/random.js";
export type { Rng, RngState } from "./ops/random.js";
export { matmul, matmulTransA, matmulTransB, transpose } from "./ops/matmul.js";
export { add, sub, hadamard, scale, addBias, sumColumns, map } from "./ops/elementwise.js";
export { reshape, vcat, hcat } from "./ops/reshape.js";
export { logSoftmax, argmax, oneHot } from "./ops/activations.js";
export type { ArgmaxOut, LabelsArg } from "./ops/activations.js";
export type { Padding } from "./ops/conv.js";

// layers: relu, softmax, sigmoid, tanh, identity and flatten are layers with no argument and ops with a matrix.
export { relu, softmax, sigmoid, tanh, identity, reluDerivative } from "./nn/layers/activation.js";
export type { ActivationLayer } from "./nn/layers/activation.js";
export { dense } from "./nn/layers/dense.js";
export type { Dense, DenseTo } from "./nn/layers/dense.js";
export { conv2d } from "./nn/layers/conv2d.js";
export type { Conv2d, Conv2dOptions } from "./nn/layers/conv2d.js";
export { maxPool2d } from "./nn/layers/max-pool2d.js";
export type { MaxPool2d } from "./nn/layers/max-pool2d.js";
export { flatten } from "./nn/layers/flatten.js";
export type { Flatten } from "./nn/layers/flatten.js";
export { input } from "./nn/layers/input.js";
export type { Input } from "./nn/layers/input.js";
export type { Layer, AnyLayer, LayerSpec, ShapeLaw, ApplyLaw, LayerKind } from "./nn/layer.js";

// networks
export { mlp, initialize, dispose } from "./nn/network.js";
export type { Mlp, AnyMlp, Network, AnyNetwork, DenseLayers, SizesOfLayers, ShapesOfLayers, MlpOptions, LossName, InitName, SizesArg, LossArg } from "./nn/network.js";
export { forgetSizes } from "./nn/forget-sizes.js";
export type { ForgetSizes } from "./nn/forget-sizes.js";
export { sequential, sequentialWith } from "./nn/sequential.js";
export type { NetworkFrom, SizesOf, LayerArg } from "./nn/sequential.js";
export type { CheckLayers, CheckAt, Built } from "./nn/flow.js";
export type { ActivationName, LayerActivation } from "./nn/activations/index.js";
export type {
  Sizes, LayerOutputs, InputSize, OutputSize, WeightsOf, BiasesOf, ActivationsOf, WeightedSumsOf, Params, ParamsOf, Gradients,
} from "./nn/types.js";
export { forward, predict, predictRows, backward, lossAndGradients } from "./nn/api.js";
export type { ForwardPass, LossAndGradients, InputsArg, TargetsArg, WorkspaceArg, PassArg, InputSizeOf, OutputSizeOf } from "./nn/api.js";
export { createWorkspace } from "./nn/workspace.js";
export type { Workspace } from "./nn/workspace.js";
export { summary } from "./nn/summary.js";
export type { ParamCount, ParamCountOf, LayerParams, WeightParams, Sum, Summary, LayerSummary, ModelSummary } from "./nn/summary.js";
export {
  layerForward, outputDeltaCrossEntropy, outputDeltaSquaredError, deltaPrevious, weightGradient, biasGradient, backpropagate,
} from "./nn/backprop.js";

// optimizers
export { sgd } from "./optim/sgd.js";
export type { SgdOptions } from "./optim/sgd.js";
export { momentum } from "./optim/momentum.js";
export type { MomentumOptions } from "./optim/momentum.js";
export { adam } from "./optim/adam.js";
export type { AdamOptions } from "./optim/adam.js";
export type { Optimizer, OptimizerState, OptimizerSettings, GradientsArg } from "./optim/optimizer.js";

// training
export { fit, TrainingError } from "./train/fit.js";
export type { FitOptions, History, EpochLog, BatchLog, EarlyStopping, Monitor, ShuffleState } from "./train/fit.js";
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
export type { ModelDocument, ModelDocumentV1, LayerDocument, LayerParameters } from "./io/model-json.js";
export { modelToSafetensors, modelFromSafetensors } from "./io/model-safetensors.js";
export type { SafetensorsOptions } from "./io/model-safetensors.js";
export type { LoadOptions, RuntimeNetwork, ExpectedArg, ExpectedKind, Loaded, SafetensorsOptionsFor } from "./io/expected.js";

// interop: ONNX and TensorFlow.js (browser-safe; file reading for the CLI is in examples/mnist/export.ts)
export { modelToOnnx, ONNX_OPSET, ONNX_IR_VERSION } from "./io/onnx.js";
export type { OnnxExportOptions } from "./io/onnx.js";
export { modelFromOnnx } from "./io/onnx-import.js";
export { modelToTfjs, TFJS_WEIGHTS_FILE } from "./io/tfjs.js";
export type { TfjsModel, TfjsModelJson, TfjsWeightSpec, TfjsLayerJson } from "./io/tfjs.js";
export { modelFromTfjs } from "./io/tfjs-import.js";
export type { TfjsWeightData } from "./io/tfjs-import.js";
