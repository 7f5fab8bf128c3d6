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
import { fromArray, mlp, modelFromSafetensors, modelToSafetensors, ModelFormatError, predict, transpose, widen } from "../src/index.js";
import { littleEndianBytes, readFloats } from "../src/io/safetensors.js";

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
const meta = { format: "shapegrad-mlp", version: "1", sizes: "[6,4,3]", activations: '["relu","softmax"]', loss: "crossEntropy", dtype: "float64" };

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
  it("metadata: format, version, sizes, activations, loss, dtype, all strings", () => {
    expect(file.metadata).toEqual(meta);
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

  it("a file written in another tensor order, in F32, with padding and extra metadata, loads", () => {
    const reordered = ours(net).reverse().map((e) => ({ ...e, dtype: "F32" as const }));
    const file = specWrite(reordered, { ...meta, author: "someone", dtype: "float32" });
    const back = modelFromSafetensors(file, [6, 4, 3]);
    back.weights.forEach((w, l) => expect(Array.from(w.data)).toEqual(Array.from(net.weights[l]!.data, Math.fround)));
    back.biases.forEach((b, l) => expect(Array.from(b.data)).toEqual(Array.from(net.biases[l]!.data, Math.fround)));
  });

  it("a file without metadata needs sizes; activations default to ReLU hidden layers and a softmax output", () => {
    const plain = specWrite(ours(net));
    expect(() => modelFromSafetensors(plain)).toThrow('modelFromSafetensors: the file has no shapegrad metadata (format "shapegrad-mlp"): pass the layer sizes');
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
    ["an unknown version", specWrite(w, { ...meta, version: "2" }), [6, 4, 3], 'unknown version "2" (this library reads version 1)'],
    ["an unknown activation", specWrite(w, { ...meta, activations: '["gelu","softmax"]' }), [6, 4, 3], 'unknown activation "gelu" in layer 1'],
    ["softmax in a hidden layer", specWrite(w, { ...meta, activations: '["softmax","softmax"]' }), [6, 4, 3], "mlp expects relu, sigmoid, tanh or identity in layer 1 (softmax only at the output), got softmax"],
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

  it("rejects what is not bytes", () => {
    expect(() => modelFromSafetensors("hello" as never)).toThrow("modelFromSafetensors: expects the file's bytes as a Uint8Array, got string");
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
