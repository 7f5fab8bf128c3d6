/** Interop: ONNX and TensorFlow.js export (any network) and import (typed by the sizes or the layer list asked for). */
import { expectAssignable, expectError, expectType } from "tsd";
import {
  conv2d, dense, flatten, input, maxPool2d, mlp, modelFromOnnx, modelFromTfjs, modelToOnnx, modelToTfjs, ONNX_IR_VERSION, ONNX_OPSET, relu, sequential, softmax,
  TFJS_WEIGHTS_FILE, type Matrix, type Mlp, type OnnxExportOptions, type RuntimeNetwork, type TfjsLayerJson, type TfjsModel, type TfjsModelJson,
  type TfjsWeightData, type TfjsWeightSpec,
} from "../src/index.js";

const net = mlp([784, 128, 10]);
const cnn = sequential(input(1, 28, 28), conv2d(8, 5), relu(), maxPool2d(2), flatten(), dense(10), softmax());

// ONNX export: bytes, float32 by default, float64 on request; any network.
expectType<Uint8Array>(modelToOnnx(net));
expectType<Uint8Array>(modelToOnnx(cnn));
expectType<Uint8Array>(modelToOnnx(net, { dtype: "float64" }));
expectAssignable<OnnxExportOptions>({ dtype: "float32" });
expectError(modelToOnnx(net, { dtype: "float16" }));
expectError(modelToOnnx({ sizes: [2, 3] }));
expectError(modelToOnnx());
expectType<13>(ONNX_OPSET);
expectType<7>(ONNX_IR_VERSION);

// ONNX import: typed by the sizes asked for (Mlp<number[]> without them), by the layer list, or "any".
declare const bytes: Uint8Array;
expectType<Mlp<[784, 128, 10]>>(modelFromOnnx(bytes, [784, 128, 10]));
expectType<[128, 784]>([modelFromOnnx(bytes, [784, 128, 10]).weights[0].rows, modelFromOnnx(bytes, [784, 128, 10]).weights[0].cols]);
expectType<Mlp<number[]>>(modelFromOnnx(bytes));
expectType<Mlp<number[]>>(modelFromOnnx(new ArrayBuffer(8)));
expectType<typeof cnn>(modelFromOnnx(bytes, [input(1, 28, 28), conv2d(8, 5), relu(), maxPool2d(2), flatten(), dense(10), softmax()]));
expectType<Matrix<8, 25, "float32">>(modelFromOnnx(bytes, [input(1, 28, 28), conv2d(8, 5), relu(), maxPool2d(2), flatten(), dense(10), softmax()], { dtype: "float32" }).weights[0]);
expectType<RuntimeNetwork<"float64">>(modelFromOnnx(bytes, "any"));
expectError(modelFromOnnx("model.onnx", [784, 128, 10]));
expectError(modelFromOnnx(bytes, [784, "128", 10]));
expectError(modelFromOnnx([8, 1, 2]));
expectError(modelFromOnnx(bytes, [input(1, 28, 28), conv2d(8, 5), relu(), flatten(), dense(4607, 10)]));
expectError(modelFromOnnx(bytes, "all"));

// TF.js export: model.json as an object, the weights file as bytes; any network.
const tfjs = modelToTfjs(net);
expectType<TfjsModel>(tfjs);
expectType<TfjsModel>(modelToTfjs(cnn));
expectType<TfjsModelJson>(tfjs.modelJson);
expectType<Uint8Array>(tfjs.weights);
expectType<"layers-model">(tfjs.modelJson.format);
expectAssignable<TfjsWeightSpec[]>(tfjs.modelJson.weightsManifest[0]!.weights);
expectAssignable<TfjsLayerJson[]>(tfjs.modelJson.modelTopology.config.layers);
expectType<"group1-shard1of1.bin">(TFJS_WEIGHTS_FILE);
expectError(modelToTfjs([784, 10]));
expectError(tfjs.modelJson.format = "graph-model");

// TF.js import: the model.json text or object, the bytes (or the shards), and the sizes or the layer list.
expectType<Mlp<[784, 128, 10]>>(modelFromTfjs(tfjs.modelJson, tfjs.weights, [784, 128, 10]));
expectType<Mlp<[784, 128, 10]>>(modelFromTfjs(JSON.stringify(tfjs.modelJson), [tfjs.weights, new ArrayBuffer(4)], [784, 128, 10]));
expectType<Mlp<number[]>>(modelFromTfjs(tfjs.modelJson, tfjs.weights));
expectType<typeof cnn>(modelFromTfjs(tfjs.modelJson, tfjs.weights, [input(1, 28, 28), conv2d(8, 5), relu(), maxPool2d(2), flatten(), dense(10), softmax()]));
expectType<RuntimeNetwork<"float32">>(modelFromTfjs(tfjs.modelJson, tfjs.weights, "any", { dtype: "float32" }));
expectAssignable<TfjsWeightData>([new Uint8Array(4), new ArrayBuffer(4)]);
expectError(modelFromTfjs(tfjs.modelJson, "group1-shard1of1.bin", [784, 128, 10]));
expectError(modelFromTfjs(tfjs.modelJson));
expectError(modelFromTfjs(42, tfjs.weights));
expectError(modelFromTfjs(tfjs.modelJson, tfjs.weights, [input(1, 28, 28), dense(10), conv2d(8, 5)]));
