/**
 * shapegrad/node model files: the format by extension, nothing lost (non-finite parameters
 * refused, the previous file kept, errors naming the target, modes kept, read-only files refused),
 * byte-order marks, and a model too large for JSON.
 */
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import {
  conv2d, dense, flatten, fromArray, input, maxPool2d, mlp, modelToJSON, ModelFormatError, predict, relu, sequential, softmax, tanh, transpose, widen,
} from "../src/index.js";
import { loadModel, saveModel, writeFileAtomic } from "../src/node.js";
import { inputRows, predictRows, randomize } from "./interop-helpers.js";

const folder = () => mkdtempSync(join(tmpdir(), "shapegrad-files-"));
const net = mlp([5, 7, 3], { seed: 2, hidden: "tanh" });
const x = widen(transpose(fromArray([0.1, 0.2, 0.3, 0.4, 0.5, 1, -1, 2, -2, 0], 2, 5)));
const same = (a: { weights: readonly { data: Float64Array }[]; biases: readonly { data: Float64Array }[] }) => {
  a.weights.forEach((w, l) => expect(Buffer.from(w.data.buffer, w.data.byteOffset, w.data.byteLength).equals(Buffer.from(net.weights[l]!.data.buffer, net.weights[l]!.data.byteOffset, net.weights[l]!.data.byteLength))).toBe(true));
  a.biases.forEach((b, l) => expect(Buffer.from(b.data.buffer, b.data.byteOffset, b.data.byteLength).equals(Buffer.from(net.biases[l]!.data.buffer, net.biases[l]!.data.byteOffset, net.biases[l]!.data.byteLength))).toBe(true));
};

describe("saveModel / loadModel choose the format by extension", () => {
  it.each(["model.safetensors", "model.json", "MODEL.SAFETENSORS"])("%s round-trips every parameter bit for bit", (name) => {
    const dir = folder();
    saveModel(net, join(dir, name));
    const back = loadModel(join(dir, name), [5, 7, 3]);
    same(back);
    expect(back.activations).toEqual(["tanh", "softmax"]);
    expect(predict(back, x as never).data).toEqual(predict(net, x as never).data);
    expect(readdirSync(dir)).toEqual([name]); // no temporary file left
  });

  it("the .safetensors file starts with its header length, then a JSON header", () => {
    const dir = folder();
    saveModel(net, join(dir, "m.safetensors"));
    const b = readFileSync(join(dir, "m.safetensors"));
    const n = Number(b.readBigUInt64LE(0));
    expect(JSON.parse(b.subarray(8, 8 + n).toString()).__metadata__.format).toBe("shapegrad-mlp");
  });

  it("an unknown extension is refused on save and load, writing nothing", () => {
    const dir = folder();
    expect(() => saveModel(net, join(dir, "model.bin"))).toThrow('saveModel expects a path ending in .json or .safetensors (the extension chooses the format), got "');
    expect(() => loadModel(join(dir, "model.bin"))).toThrow("loadModel expects a path ending in .json or .safetensors");
    expect(readdirSync(dir)).toEqual([]);
  });

  it("loads a float32 file written by PyTorch, read from disk (a Node Buffer)", () => {
    const file = join(dirname(fileURLToPath(import.meta.url)), "fixtures/safetensors/torch-f32.safetensors");
    expect(loadModel(file, [6, 8, 3]).sizes).toEqual([6, 8, 3]);
  });
});

describe("nothing lost", () => {
  it.each(["model.json", "model.safetensors"])("%s: a NaN parameter is refused, naming tensor and index, and the good file stays", (name) => {
    const dir = folder();
    const path = join(dir, name);
    saveModel(net, path);
    const good = readFileSync(path);
    const broken = mlp([5, 7, 3], { seed: 2 });
    broken.weights[0].data[2 * 5 + 4] = NaN;
    expect(() => saveModel(broken, path)).toThrow('saveModel refuses to save a model with a non-finite parameter: NaN in tensor "0.weight" at [2, 4] (weights[0]); nothing was written');
    broken.weights[0].data[14] = 0;
    broken.biases[1].data[2] = Infinity;
    expect(() => saveModel(broken, path)).toThrow('Infinity in tensor "2.bias" at [2] (biases[1])');
    expect(readFileSync(path).equals(good)).toBe(true);
    expect(readdirSync(dir)).toEqual([name]);
    expect(() => modelToJSON(broken)).toThrow("modelToJSON refuses to save a model with a non-finite parameter");
  });

  it.each(["cnn.json", "cnn.safetensors"])("%s: a NaN in a conv kernel is refused, naming the tensor and its [f, c, kh, kw] index; the good file stays", (name) => {
    const dir = folder();
    const path = join(dir, name);
    const cnn = sequential(input(1, 6, 6), conv2d(2, 3), relu(), maxPool2d(2), flatten(), dense(3), softmax());
    saveModel(cnn, path);
    const good = readFileSync(path);
    cnn.weights[0].data[1 * 9 + 2 * 3 + 1] = NaN;
    expect(() => saveModel(cnn, path)).toThrow('saveModel refuses to save a model with a non-finite parameter: NaN in tensor "0.weight" at [1, 0, 2, 1] (weights[0]); nothing was written');
    cnn.weights[0].data[16] = 0;
    cnn.biases[3].data[2] = -Infinity;
    expect(() => saveModel(cnn, path)).toThrow('-Infinity in tensor "4.bias" at [2] (biases[3])');
    expect(readFileSync(path).equals(good)).toBe(true);
    expect(readdirSync(dir)).toEqual([name]);
  });

  it("a missing folder: the error names the target path and the folder, not the temporary file", () => {
    const dir = folder();
    const target = join(dir, "missing", "model.safetensors");
    let message = "";
    try {
      saveModel(net, target);
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toBe(`saveModel cannot write ${target}: the folder ${join(dir, "missing")} does not exist; any previous file there is unchanged`);
    expect(message).not.toMatch(/\.tmp/);
  });

  it("a target that is a folder, or below a file", () => {
    const dir = folder();
    mkdirSync(join(dir, "model.json"));
    expect(() => saveModel(net, join(dir, "model.json"))).toThrow(`saveModel cannot write ${join(dir, "model.json")}: it is a folder`);
    writeFileSync(join(dir, "file"), "x");
    expect(() => saveModel(net, join(dir, "file", "model.json"))).toThrow(`saveModel cannot write ${join(dir, "file", "model.json")}: a part of the folder ${join(dir, "file")} is a file, not a folder`);
    expect(readdirSync(dir).sort()).toEqual(["file", "model.json"]);
  });

  it("a save over an existing file keeps its mode (0640 stays 0640, 0600 stays 0600)", () => {
    const dir = folder();
    for (const mode of [0o640, 0o600, 0o664]) {
      const path = join(dir, `m${mode.toString(8)}.safetensors`);
      writeFileSync(path, "old");
      chmodSync(path, mode);
      saveModel(net, path);
      expect(statSync(path).mode & 0o777).toBe(mode);
      same(loadModel(path, [5, 7, 3]));
    }
  });

  it("a read-only (0444) model is not replaced, as cp refuses it; the error says how to proceed", () => {
    const dir = folder();
    const path = join(dir, "model.json");
    saveModel(net, path);
    chmodSync(path, 0o444);
    const before = readFileSync(path);
    expect(() => saveModel(mlp([5, 7, 3], { seed: 9 }), path)).toThrow(`saveModel will not replace ${path}: the file is read-only (mode 0444); make it writable (chmod u+w) or remove it first`);
    expect(readFileSync(path).equals(before)).toBe(true);
    expect(statSync(path).mode & 0o777).toBe(0o444);
    expect(readdirSync(dir)).toEqual(["model.json"]);
  });

  it("writeFileAtomic takes text or bytes and names the target on failure", () => {
    const dir = folder();
    writeFileAtomic(join(dir, "a.txt"), "text");
    writeFileAtomic(join(dir, "b.bin"), new Uint8Array([1, 2, 3]));
    expect(readFileSync(join(dir, "a.txt"), "utf8")).toBe("text");
    expect([...readFileSync(join(dir, "b.bin"))]).toEqual([1, 2, 3]);
    expect(() => writeFileAtomic(join(dir, "no", "c.txt"), "x")).toThrow(`writeFileAtomic cannot write ${join(dir, "no", "c.txt")}: the folder ${join(dir, "no")} does not exist`);
  });
});

describe("loadModel errors name the file", () => {
  it("a JSON file starting with a UTF-8 byte-order mark loads (a dense network, a CNN by its layer list)", () => {
    const dir = folder();
    writeFileSync(join(dir, "bom.json"), Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(modelToJSON(net))]));
    same(loadModel(join(dir, "bom.json"), [5, 7, 3]));
    const cnn = randomize(sequential(input(2, 6, 6), conv2d(3, 3, { stride: 2, padding: "same" }), relu(), maxPool2d(2), flatten(), dense(4), softmax()), 5);
    writeFileSync(join(dir, "cnn.json"), Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(modelToJSON(cnn))]));
    const back = loadModel(join(dir, "cnn.json"), [input(2, 6, 6), conv2d(3, 3, { stride: 2, padding: "same" }), relu(), maxPool2d(2), flatten(), dense(4), softmax()]);
    expect(Array.from(back.weights[0].data)).toEqual(Array.from(cnn.weights[0].data));
    expect(() => loadModel(join(dir, "cnn.json"))).toThrow(`loadModel: ${join(dir, "cnn.json")}: the file holds a network with layer 1 conv2d(3, [3, 3]`);
  });

  it.each(["cnn.safetensors", "cnn.json"])("%s: a CNN saves and loads, typed by its layer list or as any, the same predictions", (name) => {
    const dir = folder();
    const cnn = randomize(sequential(input(1, 9, 9), conv2d(4, [3, 2]), tanh(), maxPool2d(2, 1), conv2d(2, 3, { padding: 1 }), relu(), flatten(), dense(3), softmax()), 6);
    saveModel(cnn, join(dir, name));
    const back = loadModel(join(dir, name), [input(1, 9, 9), conv2d(4, [3, 2]), tanh(), maxPool2d(2, 1), conv2d(2, 3, { padding: 1 }), relu(), flatten(), dense(3), softmax()]);
    const rows = inputRows(3, 81, 8);
    expect(predictRows(back, rows, 3)).toEqual(predictRows(cnn, rows, 3));
    expect(predictRows(loadModel(join(dir, name), "any"), rows, 3)).toEqual(predictRows(cnn, rows, 3));
    expect(() => loadModel(join(dir, name), [input(1, 9, 9), conv2d(4, [3, 2]), relu(), maxPool2d(2, 1), conv2d(2, 3, { padding: 1 }), relu(), flatten(), dense(3), softmax()]))
      .toThrow(`loadModel: ${join(dir, name)}: expects layer 1 to be conv2d(4, [3, 2], { stride: [1, 1], padding: "valid" }) + relu (as the layer list says), the file holds conv2d(4, [3, 2], { stride: [1, 1], padding: "valid" }) + tanh`);
    expect(readdirSync(dir)).toEqual([name]);
  });

  it("a damaged file is a ModelFormatError naming the path; a missing file says so", () => {
    const dir = folder();
    const path = join(dir, "model.safetensors");
    saveModel(net, path);
    const whole = readFileSync(path), data = 8 + Number(whole.readBigUInt64LE(0));
    writeFileSync(path, whole.subarray(0, data + 84));
    expect(() => loadModel(path, [5, 7, 3])).toThrow(ModelFormatError);
    expect(() => loadModel(path, [5, 7, 3])).toThrow(`loadModel: ${path}: tensor "0.weight" data_offsets [0, 280] run past the end of the data (84 bytes): the file is truncated`);
    writeFileSync(join(dir, "m.json"), "{");
    expect(() => loadModel(join(dir, "m.json"))).toThrow(`loadModel: ${join(dir, "m.json")}: the text is not valid JSON`);
    expect(() => loadModel(join(dir, "nothing.json"))).toThrow(`loadModel cannot read ${join(dir, "nothing.json")}: no such file`);
  });
});

describe("a model too large for JSON", () => {
  it("784-4096-4096-4096-10 (36.8 M parameters, 295 MB) saves and loads as .safetensors, bit for bit", () => {
    const big = mlp([784, 4096, 4096, 4096, 10], { seed: 1, init: "glorot" }); // uniform: quicker to draw than He's normals
    const dir = folder();
    const path = join(dir, "big.safetensors");
    saveModel(big, path);
    expect(statSync(path).size).toBeGreaterThan(36_806_666 * 8);
    const back = loadModel(path, [784, 4096, 4096, 4096, 10]);
    const bytes = (a: Float64Array | Float32Array) => Buffer.from(a.buffer, a.byteOffset, a.byteLength); // the array alone, not the kernel heap it may live in
    back.weights.forEach((w, l) => expect(Buffer.compare(bytes(w.data), bytes(big.weights[l]!.data))).toBe(0));
    rmSync(dir, { recursive: true, force: true });
    expect(existsSync(path)).toBe(false);
  });
});
