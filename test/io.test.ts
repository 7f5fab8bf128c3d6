import { mkdtempSync, readFileSync, writeFileSync, readdirSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { fromRows, mlp, modelFromJSON, modelToJSON, predict, transpose, widen, ModelFormatError } from "../src/index.js";
import { loadModel, saveModel, writeFileAtomic } from "../src/node.js";

const net = mlp([4, 6, 3], { seed: 5 });
net.biases[0].data.set([0.1, -0.2, 0.3, 0, 0.5, -1e-7]);
const text = modelToJSON(net);
const x = widen(transpose(fromRows([[0.1, 0.2, 0.3, 0.4], [1, 0, -1, 2]])));

describe("model JSON", () => {
  it("round trip: identical parameters and predictions, fully typed by the expected sizes", () => {
    const back = modelFromJSON(text, [4, 6, 3]);
    expect(back.sizes).toEqual([4, 6, 3]);
    back.weights.forEach((w, l) => expect(w.data).toEqual(net.weights[l]!.data));
    expect(predict(back, x as never).data).toEqual(predict(net, x as never).data);
    expect(modelFromJSON(text).activations).toEqual(["relu", "softmax"]);
  });

  const doc = () => JSON.parse(text);
  const edit = (f: (d: Record<string, unknown>) => void) => { const d = doc(); f(d); return JSON.stringify(d); };
  const damaged: [string, string, string][] = [
    ["truncated text", text.slice(0, text.length / 2), "the text is not valid JSON (truncated or damaged)"],
    ["empty text", "", "the text is not valid JSON (it is empty)"],
    ["not JSON", "hello", "the text is not valid JSON"],
    ["{}", "{}", 'missing field "format"'],
    ["an array", "[]", "expects a JSON object"],
    ["wrong sizes", text, "expects a model of sizes [4, 7, 3], the file holds [4, 6, 3]"],
    ["missing weights", edit((d) => delete d.weights), 'missing field "weights"'],
    ["extra field", edit((d) => (d.extra = 1)), 'unexpected field "extra"'],
    ["missing layer", edit((d) => (d.weights as unknown[]).pop()), "expects weights to hold 2 entries, got 1"],
    ["extra layer", edit((d) => (d.biases as unknown[]).push([1])), "expects biases to hold 2 entries, got 3"],
    ["short row", edit((d) => ((d.weights as number[][][])[1]![2]!.pop())), "expects weights[1][2] to hold 6 entries, got 5"],
    ["NaN written as null", edit((d) => ((d.biases as (number | null)[][])[0]![1] = null)), "expects finite numbers, got null at biases[0][1]"],
    ["Infinity written as a string", edit((d) => ((d.weights as unknown[][][])[0]![0]![0] = "Infinity")), 'expects finite numbers, got "Infinity" at weights[0][0][0]'],
    ["huge number parsed to Infinity", text.replace(/"biases":\[\[0\.1/, '"biases":[[1e999'), "expects finite numbers, got Infinity at biases[0][0]"],
    ["unknown version", edit((d) => (d.version = 2)), "unknown version 2 (this library reads version 1)"],
    ["unknown format", edit((d) => (d.format = "keras")), 'expects format "shapegrad-mlp", got "keras"'],
    ["unknown activation", edit((d) => ((d.activations as string[])[0] = "gelu")), 'unknown activation "gelu" in layer 1'],
    ["bad sizes", edit((d) => (d.sizes = [4, -6, 3])), "expects sizes to be at least two whole numbers of 1 or more"],
  ];
  it.each(damaged)("%s is a clear ModelFormatError", (_name, bad, message) => {
    const expected = _name === "wrong sizes" ? [4, 7, 3] : [4, 6, 3];
    expect(() => modelFromJSON(bad, expected)).toThrow(ModelFormatError);
    expect(() => modelFromJSON(bad, expected)).toThrow(message);
  });
});

describe("model files", () => {
  it("saveModel and loadModel round trip", () => {
    const dir = mkdtempSync(join(tmpdir(), "shapegrad-"));
    const path = join(dir, "model.json");
    saveModel(net, path);
    expect(predict(loadModel(path, [4, 6, 3]), x as never).data).toEqual(predict(net, x as never).data);
    expect(readdirSync(dir)).toEqual(["model.json"]); // no temporary file left behind
  });

  it("a save that fails leaves the previous file intact and no temporary file", () => {
    const dir = mkdtempSync(join(tmpdir(), "shapegrad-"));
    const path = join(dir, "model.json");
    writeFileSync(path, "previous model");
    mkdirSync(join(dir, "target-is-a-folder"));
    expect(() => writeFileAtomic(join(dir, "target-is-a-folder"), "new")).toThrow();
    expect(readFileSync(path, "utf8")).toBe("previous model");
    expect(readdirSync(dir).sort()).toEqual(["model.json", "target-is-a-folder"]);
  });
});
