/** The rest of the public API: backends, random sources, conversions, constants, batches. */
import { expectError, expectType } from "tsd";
import {
  argmax, batches, getBackend, getSimdVariant, identity, map, MODEL_FORMAT, MODEL_VERSION, rng, setBackend, shapeMessage, toRows, transpose, zeros,
  type Backend, type Dataset, type Dyn, type ModelDocument, type ShapeMessage, type Matrix, type SizeArg, type ShapeError,
  type Fits2, type AnyColumn, type OutMessage, type ExpectShapeMessage, type SameShapeMessage, type AddBiasMessage, type MatmulTransAMessage,
  type MatmulTransBMessage, type SizeMessage, type SequentialMessage, type InputMessage, type TargetsMessage, type ReshapeMessage, type ConcatMessage,
  type DTypeMessage, type LayerMessage, type LabelMessage, type ShowExample,
  dataset,
} from "../src/index.js";

// Kernel backends
expectType<Backend>(setBackend("wasm"));
expectType<Backend>(setBackend("auto"));
expectType<Backend>(setBackend("wasm-f32"));
expectError(setBackend("f32"));
expectType<Backend>(getBackend());
expectError(setBackend("gpu"));
expectError(getBackend("js"));
expectType<"relaxed" | "plain" | "none">(getSimdVariant());
expectError(getSimdVariant("relaxed"));

// Random sources and conversions
expectType<number>(rng(1).next());
expectType<number>(rng(1).normal());
expectType<number[]>(rng(1).shuffle([1, 2, 3]));
expectError(rng("1"));
expectError(rng(1).int());
expectType<number[][]>(toRows(zeros(2, 3)));
expectError(toRows([[1, 2]]));
expectType<Matrix<3, 3>>(identity(3));
expectError(identity(0));
expectError(transpose([[1]]));
expectError(map(zeros(2, 2)));
expectType<number[]>(argmax(zeros(3, 4)));
expectType<Int32Array<ArrayBuffer>>(argmax(zeros(3, 4), new Int32Array(4)));
expectError(argmax(zeros(3, 4), "out"));

// Batches of a dataset
const data = dataset([[1, 2]], [0], { features: 2, classes: 3 });
for (const b of batches(data, 16, { seed: 1 })) expectType<Dataset<2, 3, Dyn>>(b);
expectError(batches(data));
expectError(batches(data, 16, { seed: "1" }));

// The message template and the message types: each is the literal text of its error.
expectType<"f expects x, got y">(shapeMessage("f", "x", "y"));
expectType<"f expects x, got y">({} as ShapeMessage<"f", "x", "y">);
expectError(shapeMessage("f", "x"));
expectType<"matmulTransA expects b.rows = a.rows = 3, got aT of 3x4 times 5x5">({} as MatmulTransAMessage<3, 4, 5, 5>);
expectType<"matmulTransB expects b.cols = a.cols = 4, got 3x4 times bT of 5x5">({} as MatmulTransBMessage<3, 4, 5, 5>);
expectType<"add expects b of shape 3x4 like a, got 3x4 and 4x3">({} as SameShapeMessage<"add", 3, 4, 4, 3>);
expectType<"addBias expects a bias of shape 3x1, got 3x4 plus 4x1">({} as AddBiasMessage<3, 4, 4, 1>);
expectType<"matmul expects out of shape 2x4, got out 2x3">({} as OutMessage<"matmul", 2, 4, 2, 3>);
expectType<"assertShape expects 3x2, got 2x3">({} as ExpectShapeMessage<"assertShape", 3, 2, 2, 3>);
expectType<"zeros expects sizes that are whole numbers 1 or more, got 0">({} as SizeMessage<"zeros", 0>);
expectType<"sequential layer 3 expects 127 inputs but layer 1 outputs 128">({} as SequentialMessage<3, 127, 1, 128>);
expectType<"predict expects x with 784 rows (one column per example), got 783x32">({} as InputMessage<"predict", 784, 783, 32>);
expectType<"fit expects targets of shape 10x32 (outputs x examples), got 9x32">({} as TargetsMessage<"fit", 10, 32, 9, 32>);
expectType<"reshape expects rows x cols = 6 numbers like 2x3, got 4x2 = 8">({} as ReshapeMessage<6, 2, 3, 4, 2, 8>);
expectType<"vcat expects b with 4 columns like a, got 3x4 and 2x5">({} as ConcatMessage<"vcat", "columns", 4, 3, 4, 2, 5>);
expectType<"add expects float32 like the first operand (convert with toDType), got float64">({} as DTypeMessage<"add", "float32", "float64">);
expectType<"sequential layer 4 expects softmax() only as the last layer">({} as LayerMessage<4, "expects softmax() only as the last layer">);
expectType<"oneHot expects whole-number labels in 0..2, got 5 at index 1">({} as LabelMessage<"oneHot", 3, 5, "at index 1">);
expectType<"16x6x6">({} as ShowExample<[16, 6, 6]>);
expectType<"576">({} as ShowExample<[576]>);
expectType<"Dyn">({} as ShowExample<number[]>);
expectError<"add expects b of shape 3x4 like a, got 3x4 and 4x4">({} as SameShapeMessage<"add", 3, 4, 4, 3>);

// Helper types
expectType<3>({} as SizeArg<3, "zeros">);
expectType<ShapeError<"zeros expects sizes that are whole numbers 1 or more, got 0">>({} as SizeArg<0, "zeros">);
expectType<"ok">({} as Fits2<3, 1, 3, 1, "ok", "no">);
expectType<AnyColumn>(zeros(7 as number, 1));
expectError<AnyColumn>(zeros(3, 1));

// Model file constants
expectType<"shapegrad-mlp">(MODEL_FORMAT);
expectType<2>(MODEL_VERSION);
expectError<ModelDocument>({ format: "shapegrad-mlp", version: 2 });
