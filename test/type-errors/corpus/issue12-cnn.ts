// Issue 12, section 1: the CNN a user writes, its shapes, and each mistake a compile error naming the
// layer's position and the shapes.
import {
  adam, conv2d, dataset, dense, fit, flatten, input, maxPool2d, relu, sequential, softmax, summary,
  type Layer, type ParamCountOf,
} from "../../../src/index.js";
import { is } from "./expect.js";

// N1.1 the definition compiles, every layer's shape visible
{
  const net = sequential(
    input(1, 28, 28),
    conv2d(8, 5), relu(),
    maxPool2d(2),
    conv2d(16, 5, { padding: "same" }), relu(),
    maxPool2d(2),
    flatten(),
    dense(10), softmax(),
  );
  is<Layer<"conv2d", [1, 28, 28], [8, 24, 24], [8, 25]>>()(net.layers[0]);
  is<Layer<"maxPool2d", [8, 24, 24], [8, 12, 12], null>>()(net.layers[1]);
  is<Layer<"conv2d", [8, 12, 12], [16, 12, 12], [16, 200]>>()(net.layers[2]);
  is<Layer<"maxPool2d", [16, 12, 12], [16, 6, 6], null>>()(net.layers[3]);
  is<Layer<"flatten", [16, 6, 6], [576], null>>()(net.layers[4]);
  is<Layer<"dense", [576], [10], [10, 576]>>()(net.layers[5]);
  is<9194>()(summary(net).params);
  is<9194>()(0 as ParamCountOf<typeof net>);
  is<[16, 6, 6]>()(summary(net).layers[3].output);
  const data = dataset([new Array<number>(784).fill(0)], [0], { features: 784, classes: 10 });
  fit(net, data, { epochs: 1, optimizer: adam() });
}
// N1.2 a kernel larger than the (padded) input
{
  void sequential(input(1, 4, 4), conv2d(8, 5), relu(), flatten(), dense(10));
  //                              ^^^^^^^^^^^^ sequential layer 2 conv2d expects a kernel no larger than its input 4x4, got 5x5
  void sequential(input(1, 4, 4), conv2d(8, 7, { padding: 1 }), relu(), flatten(), dense(10));
  //                              ^^^^^^^^^^^^^^^^^^^^^^^^^^^^ sequential layer 2 conv2d expects a kernel no larger than its input 6x6 (padded by 1), got 7x7
}
// N1.3 a pool that does not fit
{
  void sequential(input(1, 28, 28), conv2d(8, 5), relu(), maxPool2d(30), flatten(), dense(10));
  //                                                      ^^^^^^^^^^^^^ sequential layer 4 maxPool2d expects a window no larger than its input 24x24, got 30x30
}
// N1.4 dense(575, 10) after a 576 flatten
{
  void sequential(input(1, 28, 28), conv2d(8, 5), relu(), maxPool2d(2), conv2d(16, 5, { padding: "same" }), relu(), maxPool2d(2), flatten(),
      dense(575, 10), softmax());
  //  ^^^^^^^^^^^^^^ sequential layer 9 expects 575 inputs but layer 8 outputs 576
}
// N1.5 a conv after flatten
{
  void sequential(input(1, 28, 28), flatten(), conv2d(8, 5), relu());
  //                                           ^^^^^^^^^^^^ sequential layer 3 conv2d expects an image input [channels, height, width], but layer 2 outputs 784
}
// N1.6 a dense before flatten on a 3-D shape
{
  void sequential(input(1, 28, 28), conv2d(8, 5), relu(), dense(10));
  //                                                      ^^^^^^^^^ sequential layer 4 dense expects a flat input (put flatten() before it), but layer 2 outputs 8x24x24
}
// N1.7 fit with a dataset whose feature count differs from c*h*w (the text is TypeScript's: fit's signature is in src/train/)
{
  const net = sequential(input(1, 28, 28), conv2d(8, 5), relu(), flatten(), dense(10), softmax());
  const data = dataset([new Array<number>(783).fill(0)], [0], { features: 783, classes: 10 });
  void fit(net, data, { epochs: 1, optimizer: adam() });
  //            ^^^^ ~ 'Dataset<783, 10, number, "float64">' is not assignable to parameter of type 'Dataset<784, 10, number, "float64">'.
}
