import { describe, expect, it } from "vitest";
import { flatten, fromRows, hcat, mlp, reshape, summary, vcat, widen, zeros, ShapeError } from "../src/index.js";
import { rowsOf } from "./helpers.js";

describe("flatten, reshape, vcat, hcat", () => {
  const m = fromRows([[1, 2, 3], [4, 5, 6]]);
  it("keep row-major order", () => {
    expect(rowsOf(flatten(m))).toEqual([[1], [2], [3], [4], [5], [6]]);
    expect(rowsOf(reshape(m, 3, 2))).toEqual([[1, 2], [3, 4], [5, 6]]);
    expect(rowsOf(vcat(m, fromRows([[7, 8, 9]])))).toEqual([[1, 2, 3], [4, 5, 6], [7, 8, 9]]);
    expect(rowsOf(hcat(m, fromRows([[7], [8]])))).toEqual([[1, 2, 3, 7], [4, 5, 6, 8]]);
  });
  it("reshape of a 28x28 image and back", () => {
    const img = zeros(28, 28);
    img.data[29] = 1;
    const col = flatten(img);
    expect(col.data[29]).toBe(1);
    expect(reshape(col, 28, 28).data).toEqual(img.data);
  });
  it("throw the compile-time text at run time", () => {
    expect(() => reshape(widen(m), 4, 2)).toThrow(new ShapeError("reshape expects rows x cols = 6 numbers like 2x3, got 4x2 = 8"));
    expect(() => vcat(widen(m), widen(zeros(1, 2)))).toThrow(new ShapeError("vcat expects b with 3 columns like a, got 2x3 and 1x2"));
    expect(() => hcat(widen(m), widen(zeros(3, 1)))).toThrow(new ShapeError("hcat expects b with 2 rows like a, got 2x3 and 3x1"));
  });
});

describe("summary", () => {
  it("lists each layer's shapes and parameters, and the total, as the types compute them", () => {
    const s = summary(mlp([784, 128, 10]));
    expect(s.params).toBe(101770);
    expect(s.layers).toEqual([
      { layer: 1, kind: "dense", input: [784], output: [128], weights: "128x784", bias: "128x1", params: 100480 },
      { layer: 2, kind: "dense", input: [128], output: [10], weights: "10x128", bias: "10x1", params: 1290 },
    ]);
    expect(s.table.split("\n")).toEqual([
      "layer  kind   activation  input  output  weights  bias    params",
      "1      dense  relu        784    128     128x784  128x1  100,480",
      "2      dense  softmax     128    10      10x128   10x1     1,290",
      "total parameters 101,770 (loss crossEntropy, float64)",
    ]);
  });
});
