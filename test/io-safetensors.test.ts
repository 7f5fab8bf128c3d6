/**
 * safetensors model files. The byte layout is checked by a reader and a writer written here from
 * the specification (not the library's code): 8-byte little-endian header length, JSON header,
 * raw little-endian numbers read one by one with DataView. PyTorch's side is checked against files
 * and outputs made by PyTorch itself (test/fixtures/safetensors/make.py).
 */
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import {
  conv2d, dense, flatten, fromArray, input, maxPool2d, mlp, modelFromSafetensors, modelToSafetensors, ModelFormatError, predict, relu, sequential,
  sequentialWith, softmax, tanh, transpose, widen,
} from "../src/index.js";
import { littleEndianBytes, readFloats } from "../src/io/safetensors.js";
import { maxAbsDiff, predictRows, randomize } from "./interop-helpers.js";

const fixtures = join(dirname(fileURLToPath(import.meta.url)), "fixtures/safetensors");

// ---- an independent reader and writer, from the specification ----
interface SpecTensor { dtype: string; shape: number[]; data_offsets: [number, number] }
function specRead(bytes: Uint8Array) {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const n = Number(view.getBigUint64(0, true));
  const header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + n))) as Record<string, SpecTensor> & { __metadata__?: Record<string, string> };
  const { __metadata__: metadata, ...tensors } = header;
  const values = (name: string): number[] => {
    const t = tensors[name]!;
    const size = t.dtype === "F64" ? 8 : 4;
    const out: number[] = [];
    for (let at = 8 + n + t.data_offsets[0]; at < 8 + n + t.data_offsets[1]; at += size) out.push(size === 8 ? view.getFloat64(at, true) : view.getFloat32(at, true));
    return out;
  };
  return { headerLength: n, metadata, tensors, values };
}

type Entry = { name: string; dtype: "F64" | "F32" | "I64"; shape: number[]; values: number[] };
/** Writes a file from the specification; `edit` may change the header before it is written. */
function specWrite(entries: Entry[], metadata?: Record<string, unknown>, edit: (h: Record<string, any>) => void = () => {}): Uint8Array {
  const header: Record<string, any> = metadata === undefined ? {} : { __metadata__: metadata };
  let offset = 0;
  for (const e of entries) {
    const size = e.dtype === "F32" ? 4 : 8;
    header[e.name] = { dtype: e.dtype, shape: e.shape, data_offsets: [offset, offset + size * e.values.length] };
    offset += size * e.values.length;
  }
  edit(header);
  const json = new TextEncoder().encode(JSON.stringify(header));
  const out = new Uint8Array(8 + json.length + offset);
  const view = new DataView(out.buffer);
  view.setBigUint64(0, BigInt(json.length), true);
  out.set(json, 8);
  let at = 8 + json.length;
  for (const e of entries) {
    for (const v of e.values) {
      if (e.dtype === "F32") { view.setFloat32(at, v, true); at += 4; } else if (e.dtype === "F64") { view.setFloat64(at, v, true); at += 8; } else { view.setBigInt64(at, BigInt(v), true); at += 8; }
    }
  }
  return out;
}

const net = mlp([6, 4, 3], { seed: 7 });
net.biases[0].data.set([0.5, -0.25, 1e-300, -3]);
const bytes = modelToSafetensors(net);
const x = widen(transpose(fromArray([0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 1, -1, 2, -2, 0, 0.5], 2, 6)));
const ours = (n: { sizes: readonly number[]; weights: readonly { data: Float64Array }[]; biases: readonly { data: Float64Array }[] }) => [0, 1].flatMap((l) => [{ name: `${2 * l}.weight`, dtype: "F64" as const, shape: [n.sizes[l + 1]!, n.sizes[l]!], values: Array.from(n.weights[l]!.data) },
  { name: `${2 * l}.bias`, dtype: "F64" as const, shape: [n.sizes[l + 1]!], values: Array.from(n.biases[l]!.data) }]);
/** The metadata of version 1 files (dense networks), which still load. */
const meta = { format: "shapegrad-mlp", version: "1", sizes: "[6,4,3]", activations: '["relu","softmax"]', loss: "crossEntropy", dtype: "float64" };
const layersJson = '[{"kind":"dense","inputs":6,"outputs":4,"activation":"relu"},{"kind":"dense","inputs":4,"outputs":3,"activation":"softmax"}]';

describe("modelToSafetensors: the byte layout, read by a reader written from the specification", () => {
  const file = specRead(bytes);
  it("header: names of the PyTorch nn.Sequential, shapes [out, in] and [out], F64, the data tiled in order", () => {
    expect(Object.keys(file.tensors)).toEqual(["0.weight", "0.bias", "2.weight", "2.bias"]);
    expect(file.tensors["0.weight"]).toEqual({ dtype: "F64", shape: [4, 6], data_offsets: [0, 192] });
    expect(file.tensors["0.bias"]).toEqual({ dtype: "F64", shape: [4], data_offsets: [192, 224] });
    expect(file.tensors["2.weight"]).toEqual({ dtype: "F64", shape: [3, 4], data_offsets: [224, 320] });
    expect(file.tensors["2.bias"]).toEqual({ dtype: "F64", shape: [3], data_offsets: [320, 344] });
    expect(bytes.length).toBe(8 + file.headerLength + 344);
    expect((8 + file.headerLength) % 8).toBe(0); // the data starts 8-aligned, as Python's safetensors writes
  });
  it("metadata: format, version 2, dtype, loss, input, layers, the PyTorch nn.Sequential, all strings", () => {
    expect(file.metadata).toEqual({
      format: "shapegrad-mlp", version: "2", dtype: "float64", loss: "crossEntropy", input: "[6]", layers: layersJson,
      pytorch: "nn.Sequential(nn.Linear(6, 4), nn.ReLU(), nn.Linear(4, 3), nn.Softmax(dim=1))",
    });
  });
  it("data: W row by row (W[out][in]), then b, little-endian, bit for bit", () => {
    expect(file.values("0.weight")).toEqual(Array.from(net.weights[0].data));
    expect(file.values("0.bias")).toEqual([0.5, -0.25, 1e-300, -3]);
    expect(file.values("2.weight")).toEqual(Array.from(net.weights[1].data));
    expect(file.values("2.weight")[4]).toBe(net.weights[1].data[1 * 4 + 0]); // row 1, column 0
  });
  it("an identity activation is no module: sizes 5-4-3-2 with identity hidden layers name 0, 1, 2", () => {
    const names = Object.keys(specRead(modelToSafetensors(mlp([5, 4, 3, 2], { hidden: "identity" }))).tensors);
    expect(names).toEqual(["0.weight", "0.bias", "1.weight", "1.bias", "2.weight", "2.bias"]);
    const tanh = Object.keys(specRead(modelToSafetensors(mlp([5, 4, 3, 2], { hidden: "tanh" }))).tensors);
    expect(tanh).toEqual(["0.weight", "0.bias", "2.weight", "2.bias", "4.weight", "4.bias"]);
  });
  it("refuses a NaN or infinite parameter, naming the tensor and index", () => {
    const bad = mlp([6, 4, 3], { seed: 1 });
    bad.weights[1].data[2 * 4 + 1] = NaN;
    expect(() => modelToSafetensors(bad)).toThrow('modelToSafetensors refuses to save a model with a non-finite parameter: NaN in tensor "2.weight" at [2, 1] (weights[1]); nothing was written');
    bad.weights[1].data[9] = 0;
    bad.biases[0].data[3] = -Infinity;
    expect(() => modelToSafetensors(bad)).toThrow('-Infinity in tensor "0.bias" at [3] (biases[0])');
  });
  it("big-endian hosts get converted bytes, equal to the little-endian view", () => {
    const data = new Float64Array([1.5, -2, 1e-300, Math.PI]);
    expect(littleEndianBytes(data, false)).toEqual(littleEndianBytes(data, true));
    const f = new Float32Array([1.5, -2, 3.25]);
    expect(littleEndianBytes(f, false)).toEqual(littleEndianBytes(f, true));
    const out = new Float64Array(4);
    const file = specWrite([{ name: "t", dtype: "F64", shape: [4], values: Array.from(data) }]);
    const begin = file.length - 32;
    readFloats(file, { name: "t", dtype: "F64", shape: [4], begin, end: file.length }, out, false);
    expect(out).toEqual(data);
  });
});

describe("modelFromSafetensors", () => {
  it("round trip: every parameter bit for bit, the same predictions, typed by the sizes", () => {
    const back = modelFromSafetensors(bytes, [6, 4, 3]);
    back.weights.forEach((w, l) => expect(w.data).toEqual(net.weights[l]!.data));
    back.biases.forEach((b, l) => expect(b.data).toEqual(net.biases[l]!.data));
    expect(predict(back, x as never).data).toEqual(predict(net, x as never).data);
    expect(modelFromSafetensors(bytes).activations).toEqual(["relu", "softmax"]);
  });

  it("keeps activations and loss: sigmoid hidden, identity output, mean squared error", () => {
    const m = mlp([3, 5, 2], { hidden: "sigmoid", output: "identity", seed: 2 });
    const back = modelFromSafetensors(modelToSafetensors(m));
    expect([back.activations, back.loss]).toEqual([["sigmoid", "identity"], "meanSquaredError"]);
  });

  it("a version 1 file written in another tensor order, in F32, with extra metadata, loads as float32 (or converted)", () => {
    const reordered = ours(net).reverse().map((e) => ({ ...e, dtype: "F32" as const }));
    const file = specWrite(reordered, { ...meta, author: "someone", dtype: "float32" });
    expect(() => modelFromSafetensors(file, [6, 4, 3])).toThrow('modelFromSafetensors: the file holds a float32 network; load it with { dtype: "float32" }');
    expect(modelFromSafetensors(file, [6, 4, 3], { dtype: "float32" }).weights[0].data).toBeInstanceOf(Float32Array);
    const back = modelFromSafetensors(file, [6, 4, 3], { convert: true });
    back.weights.forEach((w, l) => expect(Array.from(w.data)).toEqual(Array.from(net.weights[l]!.data, Math.fround)));
    back.biases.forEach((b, l) => expect(Array.from(b.data)).toEqual(Array.from(net.biases[l]!.data, Math.fround)));
  });

  it("a file without metadata needs sizes; activations default to ReLU hidden layers and a softmax output", () => {
    const plain = specWrite(ours(net));
    expect(() => modelFromSafetensors(plain)).toThrow("modelFromSafetensors: the file records no architecture: pass the layer sizes ([784, 128, 10]) or the layer list ([input(1, 28, 28), conv2d(8, 5), relu(), ...])");
    const back = modelFromSafetensors(plain, [6, 4, 3]);
    expect([back.activations, back.loss]).toEqual([["relu", "softmax"], "crossEntropy"]);
    expect(predict(back, x as never).data).toEqual(predict(net, x as never).data);
    const tanh = modelFromSafetensors(plain, [6, 4, 3], { hidden: "tanh", output: "identity" });
    expect([tanh.activations, tanh.loss]).toEqual([["tanh", "identity"], "meanSquaredError"]);
  });

  // [what, file, sizes, message]
  const w = ours(net);
  const withValue = (i: number, value: number) => specWrite(w.map((e, k) => (k === 1 ? { ...e, values: e.values.map((v, j) => (j === i ? value : v)) } : e)), meta);
  const header = (edit: (h: Record<string, any>) => void) => specWrite(w, meta, edit);
  const raw = (text: string, dataLength: number) => {
    const json = new TextEncoder().encode(text);
    const b = new Uint8Array(8 + json.length + dataLength);
    new DataView(b.buffer).setBigUint64(0, BigInt(json.length), true);
    b.set(json, 8);
    return b;
  };
  const lengthSaying = (n: bigint) => { const b = bytes.slice(); new DataView(b.buffer).setBigUint64(0, n, true); return b; };
  const damaged: [string, Uint8Array, number[], string][] = [
    ["an empty file", new Uint8Array(0), [6, 4, 3], "the file is 0 bytes, too short for the 8-byte header length"],
    ["header length past the end", lengthSaying(10_000n), [6, 4, 3], `the header length 10000 (bytes 0-7) runs past the end of the file (${bytes.length} bytes)`],
    ["a header length of 2^64 - 1", lengthSaying(2n ** 64n - 1n), [6, 4, 3], "the header length 18446744073709551615 (bytes 0-7) runs past the end of the file"],
    ["a header that is not JSON", (() => { const b = bytes.slice(); b[9] = 0x7b; b[10] = 0x7b; return b; })(), [6, 4, 3], "the header (bytes 8-"],
    ["a header that is a list", raw("[1,2]", 0), [6, 4, 3], "the header is not a JSON object"],
    ["truncated data", bytes.slice(0, bytes.length - 10), [6, 4, 3], 'tensor "2.bias" data_offsets [320, 344] run past the end of the data (334 bytes): the file is truncated'],
    ["bytes past the last tensor", (() => { const b = new Uint8Array(bytes.length + 8); b.set(bytes); return b; })(), [6, 4, 3], "bytes [344, 352) of the data belong to no tensor (the file is longer than its header says)"],
    ["overlapping offsets", header((h) => { h["0.bias"].data_offsets = [184, 216]; h["2.weight"].data_offsets = [216, 312]; }), [6, 4, 3], 'tensor "0.bias" data_offsets [184, 216] overlap tensor "0.weight" [0, 192]'],
    ["a gap between tensors", raw(JSON.stringify({ a: { dtype: "F64", shape: [1], data_offsets: [0, 8] }, b: { dtype: "F64", shape: [1], data_offsets: [16, 24] } }), 24), [6, 4, 3], "bytes [8, 16) of the data belong to no tensor"],
    ["a tensor that is not an object", raw(JSON.stringify({ a: 5 }), 0), [6, 4, 3], 'tensor "a" must be an object with dtype, shape and data_offsets'],
    ["a shape that is not whole numbers", raw(JSON.stringify({ a: { dtype: "F64", shape: [0.5], data_offsets: [0, 8] } }), 8), [6, 4, 3], 'tensor "a" has a shape that is not a list of whole numbers: [0.5]'],
    ["offsets not [begin, end]", header((h) => { h["0.bias"].data_offsets = [224, 192]; }), [6, 4, 3], 'tensor "0.bias" has data_offsets that are not [begin, end] with 0 <= begin <= end: [224,192]'],
    ["byte count not matching dtype and shape", header((h) => { h["0.weight"].dtype = "F32"; }), [6, 4, 3], 'tensor "0.weight" of dtype F32 and shape [4, 6] needs 96 bytes, its data_offsets [0, 192] hold 192'],
    ["an integer dtype", header((h) => { h["0.bias"].dtype = "I64"; }), [6, 4, 3], 'tensor "0.bias" has dtype I64; shapegrad reads F64 and F32'],
    ["an unknown dtype", header((h) => { h["0.bias"].dtype = "F128"; }), [6, 4, 3], 'tensor "0.bias" has an unknown dtype "F128"'],
    ["a shape not matching the sizes", header((h) => { h["0.weight"].shape = [6, 4]; }), [6, 4, 3], 'tensor "0.weight" has shape [6, 4], the model needs [4, 6]'],
    ["other sizes than expected", bytes, [6, 5, 3], "expects a model of sizes [6, 5, 3], the file holds [6, 4, 3]"],
    ["NaN in the data", withValue(1, NaN), [6, 4, 3], 'tensor "0.bias" holds NaN at [1]: a model file must hold finite numbers'],
    ["Infinity in the data", withValue(3, Infinity), [6, 4, 3], 'tensor "0.bias" holds Infinity at [3]'],
    ["a missing tensor", specWrite(w.filter((e) => e.name !== "2.bias"), meta), [6, 4, 3], 'missing tensor "2.bias" (bias of layer 2, shape [3])'],
    ["an extra tensor", specWrite([...w, { name: "4.weight", dtype: "F64", shape: [1], values: [0] }], meta), [6, 4, 3], 'unexpected tensor "4.weight"'],
    ["names with a prefix", specWrite(w.map((e) => ({ ...e, name: `layers.${e.name}` })), meta), [6, 4, 3], 'unexpected tensor "layers.0.weight"'],
    ["metadata that is not strings", specWrite(w, { ...meta, version: 1 }), [6, 4, 3], '__metadata__ values must be strings, got 1 for "version"'],
    ["an unknown version", specWrite(w, { ...meta, version: "3" }), [6, 4, 3], 'unknown version "3" (this library reads versions 1 and 2)'],
    ["an unknown activation", specWrite(w, { ...meta, activations: '["gelu","softmax"]' }), [6, 4, 3], 'unknown activation "gelu" in layer 1'],
    ["softmax in a hidden layer", specWrite(w, { ...meta, activations: '["softmax","softmax"]' }), [6, 4, 3], "the architecture is not one shapegrad builds: load expects relu, sigmoid, tanh or identity in layer 1 (softmax only at the output), got softmax"],
    ["an unknown loss", specWrite(w, { ...meta, loss: "hinge" }), [6, 4, 3], 'unknown loss "hinge"'],
    ["sizes that are not JSON", specWrite(w, { ...meta, sizes: "[6,4" }), [6, 4, 3], '__metadata__ "sizes" is not valid JSON'],
  ];
  it.each(damaged)("%s is a clear ModelFormatError", (_what, file, sizes, message) => {
    let thrown: unknown;
    try {
      modelFromSafetensors(file, sizes);
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toBeInstanceOf(ModelFormatError);
    expect((thrown as Error).message).toContain(`modelFromSafetensors: ${message}`);
  });

  it("a version 2 file whose metadata is damaged", () => {
    const v2 = { format: "shapegrad-mlp", version: "2", dtype: "float64", loss: "crossEntropy", input: "[6]", layers: layersJson };
    const cases: [Record<string, string>, string][] = [
      [{ ...v2, layers: layersJson.replace('"dense"', '"lstm"') }, 'unknown layer kind "lstm" at __metadata__ "layers"[0] (model files hold dense, conv2d, maxPool2d, flatten)'],
      [{ ...v2, input: "[7]" }, "the layers do not fit together: sequential layer 1 expects 6 inputs but layer 0 outputs 7"],
      [{ ...v2, input: "[6" }, '__metadata__ "input" is not valid JSON: "[6"'],
      [{ ...v2, dtype: "f64" }, 'expects __metadata__ "dtype" "float64" or "float32", got "f64"'],
      [Object.fromEntries(Object.entries(v2).filter(([k]) => k !== "layers")), '__metadata__ has no "layers"'],
      [{ ...v2, dtype: "float32" }, 'tensor "0.weight" has dtype F64, but the file records a float32 network (F32 tensors)'],
    ];
    for (const [metadata, message] of cases) {
      expect(() => modelFromSafetensors(specWrite(w, metadata), [6, 4, 3], { dtype: metadata.dtype === "float32" ? "float32" : "float64" }), message).toThrow(`modelFromSafetensors: ${message}`);
    }
  });

  it("rejects what is not bytes", () => {
    expect(() => modelFromSafetensors("hello" as never)).toThrow("modelFromSafetensors: expects the file's bytes as a Uint8Array, got string");
  });
});

// ---- convolutional networks ----

const unevenLayers = () => [input(3, 10, 9), conv2d(4, [3, 4], { stride: 2, padding: "same" }), tanh(), maxPool2d([2, 1]), conv2d(2, 2, { padding: 1 }), relu(), flatten(), dense(6), softmax()] as const;
const uneven = randomize(sequential(...unevenLayers()), 4);

describe("convolutional networks in safetensors files", () => {
  const bytesCnn = modelToSafetensors(uneven);
  const file = specRead(bytesCnn);
  it("names: the modules of the equivalent nn.Sequential; an unevenly padded \"same\" conv is ZeroPad2d + Conv2d, two indices", () => {
    expect(Object.keys(file.tensors)).toEqual(["1.weight", "1.bias", "4.weight", "4.bias", "7.weight", "7.bias"]);
    expect(file.metadata!.pytorch).toBe(
      "nn.Sequential(nn.ZeroPad2d((1, 2, 0, 1)), nn.Conv2d(3, 4, kernel_size=(3, 4), stride=(2, 2), padding=(0, 0)), nn.Tanh(), " +
      "nn.MaxPool2d(kernel_size=(2, 1), stride=(2, 1)), nn.Conv2d(4, 2, kernel_size=(2, 2), stride=(1, 1), padding=(1, 1)), nn.ReLU(), " +
      "nn.Flatten(), nn.Linear(36, 6), nn.Softmax(dim=1))",
    );
    expect(JSON.parse(file.metadata!.input!)).toEqual([3, 10, 9]);
    expect(JSON.parse(file.metadata!.layers!).map((l: { kind: string }) => l.kind)).toEqual(["conv2d", "maxPool2d", "conv2d", "flatten", "dense"]);
  });
  it("conv weights are [F, C, KH, KW] tensors holding W row by row: entry [f, c, kh, kw] is W[f][(c*KH + kh)*KW + kw]", () => {
    expect(file.tensors["1.weight"]).toEqual({ dtype: "F64", shape: [4, 3, 3, 4], data_offsets: [0, 4 * 36 * 8] });
    expect(file.tensors["4.weight"]!.shape).toEqual([2, 4, 2, 2]);
    expect(file.tensors["7.weight"]!.shape).toEqual([6, 36]);
    const values = file.values("1.weight"), W = uneven.weights[0];
    const at = (f: number, c: number, kh: number, kw: number) => values[((f * 3 + c) * 3 + kh) * 4 + kw];
    expect(at(2, 1, 0, 3)).toBe(W.data[2 * W.cols + (1 * 3 + 0) * 4 + 3]);
    expect(values).toEqual(Array.from(W.data));
    expect(file.values("1.bias")).toEqual(Array.from(uneven.biases[0].data));
  });
  it("round trip, typed by the layer list: every parameter bit for bit; \"any\" gives the same layers", () => {
    const back = modelFromSafetensors(bytesCnn, [...unevenLayers()]);
    back.weights.forEach((m, l) => expect(m && Array.from(m.data)).toEqual(uneven.weights[l] && Array.from(uneven.weights[l].data)));
    back.biases.forEach((m, l) => expect(m && Array.from(m.data)).toEqual(uneven.biases[l] && Array.from(uneven.biases[l].data)));
    expect(modelFromSafetensors(bytesCnn, "any").layers.map((l) => l.outputShape)).toEqual(uneven.layers.map((l) => l.outputShape));
    expect(() => modelFromSafetensors(bytesCnn)).toThrow("which an Mlp cannot hold");
  });
  it("a float32 CNN: F32 tensors, metadata dtype float32, loaded as float32", () => {
    const f32 = randomize(sequentialWith({ dtype: "float32" }, [input(1, 6, 6), conv2d(2, 3), relu(), flatten(), dense(3), softmax()]), 3);
    const b = specRead(modelToSafetensors(f32));
    expect([b.metadata!.dtype, b.tensors["0.weight"]!.dtype, b.tensors["0.weight"]!.shape]).toEqual(["float32", "F32", [2, 1, 3, 3]]);
    const back = modelFromSafetensors(modelToSafetensors(f32), [input(1, 6, 6), conv2d(2, 3), relu(), flatten(), dense(3), softmax()], { dtype: "float32" });
    expect(Array.from(back.weights[0].data)).toEqual(Array.from(f32.weights[0].data));
  });
  it.each<[string, (h: Record<string, any>) => void, string]>([
    ["a conv weight of another shape", (h) => { h["1.weight"].shape = [4, 3, 4, 3]; }, 'tensor "1.weight" has shape [4, 3, 4, 3], the model needs [4, 3, 3, 4]'],
    ["a conv weight missing", (h) => { h["1.weight.old"] = h["1.weight"]; delete h["1.weight"]; }, 'unexpected tensor "1.weight.old"'],
    ["a layer kind shapegrad does not know", (h) => { h.__metadata__.layers = h.__metadata__.layers.replace('"maxPool2d"', '"avgPool2d"'); }, 'unknown layer kind "avgPool2d" at __metadata__ "layers"[1]'],
    ["layers that do not fit", (h) => { h.__metadata__.input = "[3, 2, 2]"; }, "the layers do not fit together: sequential layer 2 maxPool2d expects a window no larger than its input 1x1, got 2x1"],
  ])("%s is a clear ModelFormatError", (_, edit, message) => {
    const entries = Object.keys(file.tensors).map((name) => ({ name, dtype: "F64" as const, shape: file.tensors[name]!.shape, values: file.values(name) }));
    const bad = specWrite(entries, { ...file.metadata }, edit);
    expect(() => modelFromSafetensors(bad, "any")).toThrow(ModelFormatError);
    expect(() => modelFromSafetensors(bad, "any")).toThrow(`modelFromSafetensors: ${message}`);
  });
});

describe("files made by PyTorch (nn.Sequential.state_dict(), test/fixtures/safetensors/make.py)", () => {
  const ref = JSON.parse(readFileSync(join(fixtures, "torch-outputs.json"), "utf8")) as { x: number[][]; outputs: Record<string, number[][]> };
  const inputs = widen(transpose(fromArray(ref.x.flat(), ref.x.length, 6)));
  const rows = (p: { data: Float64Array; rows: number; cols: number }) => Array.from({ length: p.cols }, (_, j) => Array.from({ length: p.rows }, (_, i) => p.data[i * p.cols + j]!));

  it("float32 Linear-ReLU-Linear-Softmax (tensors sorted bias first, metadata {format: pt}): predictions equal PyTorch's within 1e-6", () => {
    const file = new Uint8Array(readFileSync(join(fixtures, "torch-f32.safetensors")));
    const back = modelFromSafetensors(file, [6, 8, 3]);
    const got = rows(predict(back, inputs as never));
    got.forEach((r, j) => r.forEach((v, i) => expect(Math.abs(v - ref.outputs["torch-f32"]![j]![i]!)).toBeLessThan(1e-6)));
  });

  it("float64 Linear-Tanh-Linear-Tanh-Linear (no metadata), read with hidden tanh and identity output: equal within 1e-12", () => {
    const file = new Uint8Array(readFileSync(join(fixtures, "torch-f64-tanh.safetensors")));
    expect(() => modelFromSafetensors(file)).toThrow("pass the layer sizes");
    const back = modelFromSafetensors(file, [6, 7, 5, 2], { hidden: "tanh", output: "identity" });
    const got = rows(predict(back, inputs as never));
    got.forEach((r, j) => r.forEach((v, i) => expect(Math.abs(v - ref.outputs["torch-f64-tanh"]![j]![i]!)).toBeLessThan(1e-12)));
  });
});

describe("a convolutional network's state_dict made by PyTorch (test/fixtures/safetensors/make.py)", () => {
  const ref = JSON.parse(readFileSync(join(fixtures, "torch-cnn-outputs.json"), "utf8")) as { x: number[]; y: number[] };
  const file = new Uint8Array(readFileSync(join(fixtures, "torch-cnn-f32.safetensors")));
  const layers = () => [
    input(2, 11, 11), conv2d(4, [3, 5], { stride: [2, 1], padding: "same" }), relu(), maxPool2d(2), conv2d(6, 3, { padding: 1 }), tanh(), maxPool2d([3, 2], [1, 2]),
    flatten(), dense(5), softmax(),
  ] as const;

  it("Conv2d (stride (2, 1), padding (1, 2)), ReLU, MaxPool2d, Conv2d, Tanh, MaxPool2d((3, 2), (1, 2)), Flatten, Linear, Softmax: PyTorch's outputs within 1e-6", () => {
    const net = modelFromSafetensors(file, [...layers()]);
    expect(maxAbsDiff(predictRows(net, ref.x, 5), ref.y)).toBeLessThan(1e-6);
    const f32 = modelFromSafetensors(file, [...layers()], { dtype: "float32" });
    expect(f32.dtype).toBe("float32");
  });
  it("without the layer list it cannot be read; a list of another architecture names the tensor that does not fit", () => {
    expect(() => modelFromSafetensors(file, "any")).toThrow("modelFromSafetensors: the file records no architecture");
    expect(() => modelFromSafetensors(file, [input(2, 11, 11), conv2d(4, 3, { stride: [2, 1], padding: "same" }), relu(), maxPool2d(2), conv2d(6, 3, { padding: 1 }), tanh(), maxPool2d([3, 2], [1, 2]), flatten(), dense(5), softmax()]))
      .toThrow('modelFromSafetensors: tensor "0.weight" has shape [4, 2, 3, 5], the model needs [4, 2, 3, 3]');
    expect(() => modelFromSafetensors(file, [input(2, 11, 11), conv2d(4, [3, 5], { stride: [2, 1], padding: "same" }), relu(), conv2d(6, 3, { padding: 1 }), tanh(), flatten(), dense(5), softmax()]))
      .toThrow('modelFromSafetensors: unexpected tensor "3.bias", "3.weight", "7.bias", "7.weight" (the model\'s tensors are "0.weight", "0.bias", "2.weight", "2.bias" and 2 more)');
  });
  it("an F64 file goes into a float32 network only with convert", () => {
    const plain = specWrite([{ name: "0.weight", dtype: "F64", shape: [3, 6], values: Array.from({ length: 18 }, (_, i) => i / 10) }, { name: "0.bias", dtype: "F64", shape: [3], values: [0.1, 0.2, 0.3] }]);
    expect(() => modelFromSafetensors(plain, [6, 3], { dtype: "float32" })).toThrow('modelFromSafetensors: tensor "0.weight" holds F64 numbers; a float32 network takes them only with { convert: true } (each rounded to float32)');
    expect(modelFromSafetensors(plain, [6, 3], { dtype: "float32", convert: true }).biases[0].data[0]).toBe(Math.fround(0.1));
  });
});
