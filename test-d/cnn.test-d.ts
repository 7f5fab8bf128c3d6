/**
 * The convolutional network of issue 12: every layer's shape computed by the compiler and visible,
 * the parameter count exact, and every mistake of its definition a compile error.
 */
import { expectError, expectType } from "tsd";
import {
  adam, conv2d, createWorkspace, dataset, dense, fit, flatten, input, lossAndGradients, maxPool2d, predict, relu, sequential, softmax,
  sequentialWith, summary, zeros,
  type Layer, type LayerSummary, type Matrix, type Network, type ParamCountOf, type ShapesOfLayers, type SizesOfLayers, type Summary,
} from "../src/index.js";

const net = sequential(
  input(1, 28, 28), //                         channels, height, width of one example
  conv2d(8, 5), relu(), //                     8 filters 5x5, stride 1, no padding -> [8, 24, 24]
  maxPool2d(2), //                             -> [8, 12, 12]
  conv2d(16, 5, { padding: "same" }), relu(), // -> [16, 12, 12]
  maxPool2d(2), //                             -> [16, 6, 6]
  flatten(), //                                -> [576]
  dense(10), softmax(), //                     dense(out) takes its input size from the layer before
);
type Layers = [
  Layer<"conv2d", [1, 28, 28], [8, 24, 24], [8, 25]>,
  Layer<"maxPool2d", [8, 24, 24], [8, 12, 12], null>,
  Layer<"conv2d", [8, 12, 12], [16, 12, 12], [16, 200]>,
  Layer<"maxPool2d", [16, 12, 12], [16, 6, 6], null>,
  Layer<"flatten", [16, 6, 6], [576], null>,
  Layer<"dense", [576], [10], [10, 576]>,
];
expectType<Network<Layers>>(net);
expectType<Layer<"conv2d", [1, 28, 28], [8, 24, 24], [8, 25]>>(net.layers[0]);
expectType<Layer<"maxPool2d", [8, 24, 24], [8, 12, 12], null>>(net.layers[1]);
expectType<Layer<"conv2d", [8, 12, 12], [16, 12, 12], [16, 200]>>(net.layers[2]);
expectType<Layer<"flatten", [16, 6, 6], [576], null>>(net.layers[4]);
expectType<Layer<"dense", [576], [10], [10, 576]>>(net.layers[5]);
expectType<readonly [784, 4608, 1152, 2304, 576, 576, 10]>(net.sizes);
expectType<readonly [[1, 28, 28], [8, 24, 24], [8, 12, 12], [16, 12, 12], [16, 6, 6], [576], [10]]>(net.shapes);
expectType<readonly [784, 4608, 1152, 2304, 576, 576, 10]>({} as SizesOfLayers<Layers>);
expectType<readonly [[1, 28, 28], [8, 24, 24], [8, 12, 12], [16, 12, 12], [16, 6, 6], [576], [10]]>({} as ShapesOfLayers<Layers>);
expectType<readonly [Matrix<8, 25>, null, Matrix<16, 200>, null, null, Matrix<10, 576>]>(net.weights);
expectType<readonly [Matrix<8, 1>, null, Matrix<16, 1>, null, null, Matrix<10, 1>]>(net.biases);

// Parameters: 8*25+8 + 16*200+16 + 10*576+10 = 9194, computed by the compiler.
expectType<9194>({} as ParamCountOf<typeof net>);
const s = summary(net);
expectType<9194>(s.params);
expectType<Summary<typeof net>>(s.layers);
expectType<LayerSummary<1, "conv2d", [1, 28, 28], [8, 24, 24], [8, 25]>>(s.layers[0]);
expectType<[8, 24, 24]>(s.layers[0].output);
expectType<"8x25">(s.layers[0].weights);
expectType<"8x1">(s.layers[0].bias);
expectType<208>(s.layers[0].params);
expectType<null>(s.layers[1].weights);
expectType<0>(s.layers[1].params);
expectType<3216>(s.layers[2].params);
expectType<[576]>(s.layers[4].output);
expectType<5770>(s.layers[5].params);
expectError<9195>({} as ParamCountOf<typeof net>);

// Used as a network: 784 values per example in, 10 out, a batch per call.
expectType<Matrix<10, 64>>(predict(net, zeros(784, 64)));
expectError(predict(net, zeros(28, 28)));
expectType<number>(lossAndGradients(net, zeros(784, 64), zeros(10, 64), createWorkspace(net, 64)).loss);
expectType<readonly [Matrix<8, 25>, null, Matrix<16, 200>, null, null, Matrix<10, 576>]>(lossAndGradients(net, zeros(784, 2), zeros(10, 2)).gradients.weights);
const digits = dataset([new Array<number>(784).fill(0)], [3], { features: 784, classes: 10 });
fit(net, digits, { epochs: 1, optimizer: adam() });

// The mistakes of issue 12, each a compile error:
// a kernel larger than the (padded) input,
expectError(sequential(input(1, 4, 4), conv2d(8, 5), relu(), flatten(), dense(10)));
expectError(sequential(input(1, 4, 4), conv2d(8, 7, { padding: 1 }), relu(), flatten(), dense(10)));
expectError(sequential(input(1, 28, 28), conv2d(8, [3, 29]), relu(), flatten(), dense(10)));
// a pool that does not fit,
expectError(sequential(input(1, 28, 28), conv2d(8, 5), relu(), maxPool2d(30), flatten(), dense(10)));
expectError(sequential(input(1, 28, 28), conv2d(8, 5), relu(), maxPool2d(2), maxPool2d(2), maxPool2d(2), maxPool2d(2), maxPool2d(2), flatten(), dense(10)));
// dense(575, 10) after a 576 flatten,
expectError(sequential(
  input(1, 28, 28), conv2d(8, 5), relu(), maxPool2d(2), conv2d(16, 5, { padding: "same" }), relu(), maxPool2d(2), flatten(), dense(575, 10), softmax(),
));
// a conv after flatten,
expectError(sequential(input(1, 28, 28), flatten(), conv2d(8, 5), relu(), flatten(), dense(10)));
// a dense before flatten on a 3-D shape,
expectError(sequential(input(1, 28, 28), conv2d(8, 5), relu(), dense(10)));
expectError(sequential(input(1, 28, 28), dense(10)));
// a pool or a conv with nothing before it,
expectError(sequential(conv2d(8, 5), relu(), flatten(), dense(10)));
expectError(sequential(maxPool2d(2), dense(4, 10)));
// an activation after a layer without weights,
expectError(sequential(input(1, 28, 28), conv2d(8, 5), maxPool2d(2), relu(), flatten(), dense(10)));
// and fit with a dataset whose feature count is not c*h*w.
const wrong = dataset([new Array<number>(783).fill(0)], [3], { features: 783, classes: 10 });
expectError(fit(net, wrong, { epochs: 1, optimizer: adam() }));
const wrongClasses = dataset([new Array<number>(784).fill(0)], [3], { features: 784, classes: 9 });
expectError(fit(net, wrongClasses, { epochs: 1, optimizer: adam() }));

// Strides, rectangular kernels and numeric padding are computed too.
const odd = sequential(input(3, 32, 30), conv2d(4, [3, 5], { stride: [2, 1], padding: 1 }), relu(), maxPool2d([2, 3], [2, 3]), flatten(), dense(2));
expectType<Layer<"conv2d", [3, 32, 30], [4, 16, 28], [4, 45]>>(odd.layers[0]);
expectType<Layer<"maxPool2d", [4, 16, 28], [4, 8, 9], null>>(odd.layers[1]);
expectType<readonly [2880, 1792, 288, 288, 2]>(odd.sizes);
// A float32 CNN
const f32 = sequentialWith({ dtype: "float32" }, [input(1, 8, 8), conv2d(2, 3), relu(), flatten(), dense(3), softmax()]);
expectType<Matrix<3, 5, "float32">>(predict(f32, zeros(64, 5, "float32")));
expectError(predict(f32, zeros(64, 5)));
