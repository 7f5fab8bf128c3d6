/**
 * 01: matrices with their shapes in their types. Run: npx tsx examples/01-matrices.ts
 * Hover over each constant in an editor to see its type.
 */
import {
  addBias, fromRows, matmul, matmulTransA, matmulTransB, relu, softmax, sumColumns, toRows, transpose, vector, zeros, assertShape, widen,
} from "../src/index.js";
import { isMain } from "./is-main.js";

export function main(log: (...args: unknown[]) => void = console.log): void {
  const W = fromRows([[1, 0, -1], [2, 1, 0]]); // Matrix<2, 3>: 2 neurons, 3 inputs
  const x = vector([1, 2, 3]); //                  Matrix<3, 1>: one example, a column
  const b = vector([0.5, -0.5]); //                Matrix<2, 1>
  const z = addBias(matmul(W, x), b); //           Matrix<2, 1>: z = W x + b
  log("z = W x + b =", toRows(z));
  log("relu(z) =", toRows(relu(z)), " softmax(z) =", toRows(softmax(z)));

  // A batch: examples are columns, so W times a 3 x 4 batch is 2 x 4, and the bias is added to each column.
  const batch = fromRows([[1, 0, 0, 1], [0, 1, 0, 1], [0, 0, 1, 1]]); // Matrix<3, 4>
  const Z = addBias(matmul(W, batch), b); //                           Matrix<2, 4>
  log("W X + b =", toRows(Z));
  log("sum over the batch =", toRows(sumColumns(Z))); //              Matrix<2, 1>

  // Backprop's transposed products, without a transpose in memory:
  const delta = zeros(2, 4);
  log("W^T delta is", matmulTransA(W, delta).rows, "x", matmulTransA(W, delta).cols); //  Matrix<3, 4>
  log("delta X^T is", matmulTransB(delta, batch).rows, "x", matmulTransB(delta, batch).cols); // Matrix<2, 3>
  log("X^T is", transpose(batch).rows, "x", transpose(batch).cols);

  // Sizes from run-time data are Dyn until checked:
  const rows: number[][] = JSON.parse("[[1, 2, 3], [4, 5, 6]]");
  const loaded = fromRows(rows); //                Matrix<Dyn, Dyn>
  const checked = assertShape(loaded, 2, 3); //    Matrix<2, 3>, or a ShapeError at run time
  log("checked", checked.rows, "x", checked.cols, "; widened back:", widen(checked).rows);
}

if (isMain(import.meta.url)) main();
