/** Layer specs (what `sequential` takes), their shape laws, and the built-layer types. */
import { expectAssignable, expectError, expectNotAssignable, expectType } from "tsd";
import {
  conv2d, dense, flatten, identity, input, maxPool2d, relu, sigmoid, softmax, tanh, zeros,
  type ActivationLayer, type ActivationName, type AnyLayer, type ApplyLaw, type Conv2d, type Conv2dOptions, type Dense, type DenseTo,
  type Flatten, type Input, type Layer, type LayerActivation, type LayerKind, type LayerSpec, type Matrix, type MaxPool2d, type Padding,
  type ShapeLaw,
} from "../src/index.js";

declare const flag: boolean;

// dense(in, out) states both sizes; dense(out) takes its input from the layer before.
expectType<Dense<784, 128>>(dense(784, 128));
expectType<DenseTo<10>>(dense(10));
expectType<Dense<number, 10>>(dense(784 as number, 10));
expectError(dense(0, 3));
expectError(dense(3, 2.5));
expectError(dense(-1));
expectError(dense(flag ? 128 : 256, 10));
expectError(dense(784, flag ? 128 : 256));
expectError(dense(flag ? 8 : 9));
expectError(dense("784", 10));

// conv2d(filters, kernel, { stride, padding }): kernel and stride a size or [height, width].
expectType<Conv2d<8, 5, 5, 1, 1, "valid">>(conv2d(8, 5));
expectType<Conv2d<16, 3, 5, 2, 1, "same">>(conv2d(16, [3, 5], { stride: [2, 1], padding: "same" }));
expectType<Conv2d<4, 3, 3, 2, 2, 1>>(conv2d(4, 3, { stride: 2, padding: 1 }));
expectType<Conv2d<4, 3, 3, 1, 1, 0>>(conv2d(4, 3, { padding: 0 }));
expectAssignable<Conv2dOptions<number, Padding>>({ stride: 2, padding: "same" });
expectAssignable<Padding>("valid");
expectAssignable<Padding>(2);
expectNotAssignable<Padding>("full");
expectError(conv2d(0, 3));
expectError(conv2d(8, 0));
expectError(conv2d(8, [3, 0]));
expectError(conv2d(8, [3, 3, 3]));
expectError(conv2d(8, 3, { stride: 0 }));
expectError(conv2d(8, 3, { padding: -1 }));
expectError(conv2d(8, 3, { padding: 1.5 }));
expectError(conv2d(8, 3, { padding: 1e400 }));
expectError(conv2d(8, 3, { padding: "full" }));
// Unions are refused in every size and in the padding: a kernel, a pair, a union of pairs, a stride.
expectError(conv2d(flag ? 8 : 16, 3));
expectError(conv2d(8, flag ? 3 : 5));
expectError(conv2d(8, [flag ? 3 : 5, 5]));
expectError(conv2d(8, flag ? [3, 3] : [5, 5]));
expectError(conv2d(8, 3, { stride: flag ? 1 : 2 }));
expectError(conv2d(8, 3, { padding: flag ? 1 : 2 }));
expectError(conv2d(8, 3, { padding: flag ? "same" : "valid" }));

// maxPool2d(size, stride = size)
expectType<MaxPool2d<2, 2, 2, 2>>(maxPool2d(2));
// sizes and paddings known at run time (typed number / Padding) are taken, and checked then
declare const runtimeStride: number, runtimePadding: Padding;
expectType<Conv2d<8, 3, 3, number, number, Padding>>(conv2d(8, 3, { stride: runtimeStride, padding: runtimePadding }));
expectType<MaxPool2d<2, 2, number, number>>(maxPool2d(2, runtimeStride));
expectType<MaxPool2d<number, number, number, number>>(maxPool2d(runtimeStride));
expectType<MaxPool2d<3, 3, 2, 2>>(maxPool2d(3, 2));
expectType<MaxPool2d<2, 3, 1, 2>>(maxPool2d([2, 3], [1, 2]));
expectError(maxPool2d(0));
expectError(maxPool2d(2, 0));
expectError(maxPool2d(flag ? 2 : 3));
expectError(maxPool2d(2, flag ? 1 : 2));
expectError(maxPool2d([2, flag ? 2 : 3]));

// flatten(), input(...)
expectType<Flatten>(flatten());
expectType<Matrix<12, 1>>(flatten(zeros(3, 4)));
expectType<Input<[1, 28, 28]>>(input(1, 28, 28));
expectType<Input<[784]>>(input(784));
expectType<Input<[number]>>(input(784 as number));
expectError(input(0));
expectError(input(1, 28));
expectError(input(1, 28, 0));
expectError(input(flag ? 1 : 3, 28, 28));
expectError(flatten(3));

// Activations: a layer with no argument, an op with a matrix.
expectType<ActivationLayer<"relu">>(relu());
expectType<ActivationLayer<"sigmoid">>(sigmoid());
expectType<ActivationLayer<"tanh">>(tanh());
expectType<ActivationLayer<"identity">>(identity());
expectType<ActivationLayer<"softmax">>(softmax());
expectAssignable<ActivationName>("tanh");
expectNotAssignable<ActivationName>("softmax");
expectAssignable<LayerActivation>("softmax");
expectNotAssignable<LayerActivation>("gelu");
expectError(relu(3));

// Every spec is a LayerSpec; the shape laws compute [output shape, weight shape] or a message.
expectAssignable<LayerSpec>(dense(4, 8));
expectAssignable<LayerSpec>(conv2d(8, 5));
expectAssignable<LayerSpec>(relu());
expectNotAssignable<LayerSpec>({ size: 3 });
expectType<[[8, 24, 24], [8, 25]]>({} as ApplyLaw<Conv2d<8, 5, 5, 1, 1, "valid">, [1, 28, 28], 2, 1>);
expectType<[[16, 12, 12], [16, 200]]>({} as ApplyLaw<Conv2d<16, 5, 5, 1, 1, "same">, [8, 12, 12], 5, 4>);
expectType<[[4, 14, 14], [4, 9]]>({} as ApplyLaw<Conv2d<4, 3, 3, 2, 2, 1>, [1, 28, 28], 2, 1>);
expectType<[[8, 12, 12], null]>({} as ApplyLaw<MaxPool2d<2, 2, 2, 2>, [8, 24, 24], 3, 2>);
expectType<[[8, 11, 11], null]>({} as ApplyLaw<MaxPool2d<3, 3, 2, 2>, [8, 24, 24], 3, 2>);
expectType<[[576], null]>({} as ApplyLaw<Flatten, [16, 6, 6], 7, 6>);
expectType<[[10], [10, 576]]>({} as ApplyLaw<DenseTo<10>, [576], 8, 7>);
expectType<[[128], [128, 784]]>({} as ApplyLaw<Dense<784, 128>, "none", 1, 0>);
expectType<"sequential layer 3 expects 127 inputs but layer 1 outputs 128">({} as ApplyLaw<Dense<127, 10>, [128], 3, 1>);
expectType<"sequential layer 2 conv2d expects a kernel no larger than its input 4x4, got 5x5">({} as ApplyLaw<Conv2d<8, 5, 5, 1, 1, "valid">, [1, 4, 4], 2, 1>);
expectType<"sequential layer 2 conv2d expects a kernel no larger than its input 6x6 (padded by 1), got 7x7">({} as ApplyLaw<Conv2d<8, 7, 7, 1, 1, 1>, [1, 4, 4], 2, 1>);
expectType<"sequential layer 4 maxPool2d expects a window no larger than its input 24x24, got 30x30">({} as ApplyLaw<MaxPool2d<30, 30, 30, 30>, [8, 24, 24], 4, 3>);
expectType<"sequential layer 3 conv2d expects an image input [channels, height, width], but layer 2 outputs 784">({} as ApplyLaw<Conv2d<8, 5, 5, 1, 1, "valid">, [784], 3, 2>);
expectType<"sequential layer 4 dense expects a flat input (put flatten() before it), but layer 2 outputs 8x24x24">({} as ApplyLaw<DenseTo<10>, [8, 24, 24], 4, 2>);
expectType<"sequential layer 1 dense expects the size of its input, got no layer before it (put input(...) first, or write dense(inputs, outputs))">({} as ApplyLaw<DenseTo<10>, "none", 1, 0>);
expectType<"sequential layer 2 expects input(...) only as the first layer">({} as ApplyLaw<Input<[4]>, [4], 2, 1>);
expectType<"sequential expects a layer">({} as ApplyLaw<{ kind: "pooling" }, [4], 1, 0>);
expectError<[[9, 24, 24], [8, 25]]>({} as ApplyLaw<Conv2d<8, 5, 5, 1, 1, "valid">, [1, 28, 28], 2, 1>);
expectAssignable<ShapeLaw>({} as { readonly input: [4]; readonly at: 1; readonly prev: 0; readonly output: [[4], null] });

// Built layers
expectAssignable<AnyLayer>({} as Layer<"conv2d", [1, 28, 28], [8, 24, 24], [8, 25]>);
expectAssignable<AnyLayer>({} as Layer<"flatten", [16, 6, 6], [576], null>);
expectNotAssignable<Layer<"conv2d", [1, 28, 28], [8, 24, 24], [8, 25]>>({} as Layer<"conv2d", [1, 28, 28], [8, 24, 24], [8, 26]>);
expectType<LayerKind["kind"]>("dense" as string);
