/** Data held one example per row (as TensorFlow.js and brain.js users hold it): fromExamples and predictRows, against naive transposes. */
import { describe, expect, it } from "vitest";
import { assertShape, fromExamples, fromRows, mlp, predict, predictRows, ShapeError } from "../src/index.js";
import { naiveTranspose, randomRows, rowsOf } from "./helpers.js";

describe("examples as rows", () => {
  it("fromExamples is the transpose of fromRows: features x examples", () => {
    const rows = randomRows(5, 3, 7);
    const m = fromExamples(rows);
    expect([m.rows, m.cols]).toEqual([3, 5]);
    expect(rowsOf(m)).toEqual(naiveTranspose(rowsOf(fromRows(rows))));
    expect(fromExamples(rows, "float32").data).toBeInstanceOf(Float32Array);
  });

  it("predictRows returns one row of outputs per example, equal to predict's columns", () => {
    const net = mlp([4, 6, 3], { seed: 2 });
    const rows = randomRows(4, 4, 3); // a square batch: the case a shape check cannot catch
    const byRows = predictRows(net, rows);
    const byColumns = rowsOf(predict(net, assertShape(fromExamples(rows), 4, 4)));
    expect(byRows).toEqual(naiveTranspose(byColumns));
    byRows.forEach((p) => expect(p.reduce((s, v) => s + v, 0)).toBeCloseTo(1, 12));
  });

  it("names the row that does not fit", () => {
    const net = mlp([4, 3]);
    expect(() => predictRows(net, [[1, 2, 3, 4], [1, 2, 3]])).toThrow(new ShapeError("predictRows expects rows of 4 values (one example per row), got 3 in row 1"));
    expect(() => predictRows(net, [])).toThrow("predictRows expects at least one row (one example per row), got none");
    expect(() => predictRows(net, [[1, 2, 3, Number.NaN]])).toThrow("predictRows expects finite numbers, got NaN at row 0 value 3");
  });
});
