// Audit: convolutional definitions at their edges; shapes computed by the compiler or refused.
import {
  conv2d, dense, flatten, input, maxPool2d, predict, relu, sequential, softmax, summary, zeros, type Layer, type Matrix,
} from "../../../../src/index.js";
import { is } from "../expect.js";

// C01 a stride larger than the input: one output position
{
  const net = sequential(input(1, 28, 28), conv2d(2, 3, { stride: 100 }), relu(), flatten(), dense(3));
  is<Layer<"conv2d", [1, 28, 28], [2, 1, 1], [2, 9]>>()(net.layers[0]);
}
// C02 a kernel exactly the input's size
{
  const net = sequential(input(3, 5, 7), conv2d(4, [5, 7]), relu(), flatten(), dense(2));
  is<Layer<"conv2d", [3, 5, 7], [4, 1, 1], [4, 105]>>()(net.layers[0]);
}
// C03 a kernel one larger than the input
{
  void sequential(input(3, 5, 7), conv2d(4, [5, 8]), relu(), flatten(), dense(2));
  //                              ^^^^^^^^^^^^^^^^^ sequential layer 2 conv2d expects a kernel no larger than its input 5x7, got 5x8
}
// C04 "same" padding keeps ceil(H / stride), whatever the kernel
{
  const net = sequential(input(1, 7, 7), conv2d(2, 3, { stride: 2, padding: "same" }), relu(), flatten(), dense(3));
  is<Layer<"conv2d", [1, 7, 7], [2, 4, 4], [2, 9]>>()(net.layers[0]);
}
// C05 numeric padding that makes the kernel fit
{
  const net = sequential(input(1, 4, 4), conv2d(2, 6, { padding: 1 }), relu(), flatten(), dense(3));
  is<Layer<"conv2d", [1, 4, 4], [2, 1, 1], [2, 36]>>()(net.layers[0]);
}
// C06 pooling a flat input
{
  void sequential(input(784), maxPool2d(2), dense(10));
  //                          ^^^^^^^^^^^^ sequential layer 2 maxPool2d expects an image input [channels, height, width], but layer 1 outputs 784
}
// C07 pooling windows that overlap
{
  const net = sequential(input(1, 28, 28), conv2d(4, 5), relu(), maxPool2d(3, 2), flatten(), dense(10));
  is<Layer<"maxPool2d", [4, 24, 24], [4, 11, 11], null>>()(net.layers[1]);
}
// C08 dense(out) first without input(...)
{
  void sequential(dense(10), relu(), dense(10, 3));
  //              ^^^^^^^^^ sequential layer 1 dense expects the size of its input, got no layer before it (put input(...) first, or write dense(inputs, outputs))
}
// C09 input(...) twice
{
  void sequential(input(4), input(4), dense(3));
  //                        ^^^^^^^^ sequential layer 2 expects input(...) only as the first layer
}
// C10 flatten first
{
  void sequential(flatten(), dense(4, 3));
  //              ^^^^^^^^^ sequential layer 1 flatten expects the size of its input, got no layer before it (put input(...) first, or write dense(inputs, outputs))
}
// C11 dense(576, 10) after a 576 flatten
{
  const net = sequential(input(16, 6, 6), flatten(), dense(576, 10), softmax());
  is<Matrix<10, 5>>()(predict(net, zeros(576, 5)));
}
// C12 an image large enough that the counts are in the hundreds of thousands
{
  const net = sequential(input(3, 224, 224), conv2d(64, 7, { stride: 2, padding: 3 }), relu(), maxPool2d(3, 2), flatten(), dense(10));
  is<Layer<"conv2d", [3, 224, 224], [64, 112, 112], [64, 147]>>()(net.layers[0]);
  is<Layer<"maxPool2d", [64, 112, 112], [64, 55, 55], null>>()(net.layers[1]);
  is<readonly [150528, 802816, 193600, 193600, 10]>()(net.sizes);
}
// C13 an image height known only at run time: every size after it is Dyn, checked at run time
{
  const h: number = 28;
  const net = sequential(input(1, h, 28), conv2d(2, 3), relu(), flatten(), dense(10));
  is<Layer<"flatten", [2, number, 26], [number], null>>()(net.layers[1]);
}
// C14 a Dyn flatten before a dense layer stating 784 inputs
{
  const h: number = 28;
  void sequential(input(1, h, 28), flatten(), dense(784, 10));
  //                                          ^^^^^^^^^^^^^^ sequential layer 3 expects 784 inputs but layer 2 outputs Dyn
}
// C15 a rectangular kernel wider than the image
{
  void sequential(input(1, 28, 28), conv2d(8, [3, 29]), relu(), flatten(), dense(10));
  //                                ^^^^^^^^^^^^^^^^^^ sequential layer 2 conv2d expects a kernel no larger than its input 28x28, got 3x29
}
// C16 a conv after pooling down to 1x1
{
  void sequential(input(1, 4, 4), maxPool2d(4), conv2d(2, 2), relu(), flatten(), dense(2));
  //                                            ^^^^^^^^^^^^ sequential layer 3 conv2d expects a kernel no larger than its input 1x1, got 2x2
}
// C17 NaN padding (NaN is a number in TypeScript, with no literal type)
{
  void sequential(input(1, 4, 4), conv2d(2, 3, { padding: NaN }), relu(), flatten(), dense(2)); // HOLE: NaN has type number (Dyn); conv2d throws at run time
}
// C18 an activation on a pooling layer
{
  void sequential(input(1, 8, 8), conv2d(2, 3), maxPool2d(2), relu(), flatten(), dense(2));
  //                                                          ^^^^^^ sequential layer 4 expects relu() right after a dense or conv2d layer, got it after a layer without weights
}
// C19 softmax after a conv, then more layers
{
  void sequential(input(1, 8, 8), conv2d(2, 3), softmax(), flatten(), dense(2));
  //                                            ^^^^^^^^^ sequential layer 3 expects softmax() only as the last layer, got softmax at layer 3 of 5
}
// C20 a summary of a CNN lists every shape
{
  const s = summary(sequential(input(1, 8, 8), conv2d(2, 3), relu(), maxPool2d(2), flatten(), dense(4)));
  is<[2, 3, 3]>()(s.layers[1].output);
  is<[18]>()(s.layers[2].output);
  is<96>()(s.params);
}
