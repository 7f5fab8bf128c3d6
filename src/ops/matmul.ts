/**
 * Matrix products. The three products of backpropagation each have their own op, so none needs a
 * transpose in memory:
 * - `matmul(W, a)`: W a, the forward pass z = W a + b          (R x K)(K x C) -> R x C
 * - `matmulTransA(W, delta)`: W^T delta, the backward recursion (K x R)^T(K x C) -> R x C
 * - `matmulTransB(delta, a)`: delta a^T, the weight gradient     (R x K)(C x K)^T -> R x C
 * A mismatch is a compile error whose text is the ShapeError thrown at run time.
 */
import { gemmKernel as gemm } from "../kernels/backend.js";
import { transposeInto } from "../kernels/elementwise.js";
import type { MatmulMessage, MatmulTransAMessage, MatmulTransBMessage } from "../shape/errors.js";
import { ShapeError, matmulMessage, matmulTransAMessage, matmulTransBMessage, shapeMessage } from "../shape/errors.js";
import type { DType, Fits, Matrix, MatrixLike, SameDType } from "../shape/matrix.js";
import type { OutArg } from "./out.js";
import { dyn, result, sameDType } from "./out.js";
import { dtypeOf } from "../shape/matrix.js";

/** The body shared by the products once their shapes are checked: out (m x n) = alpha op(x) op(y), inner size k. */
function product<R extends number, C extends number, D extends DType>(
  op: string, transA: boolean, transB: boolean, m: number, n: number, k: number,
  x: MatrixLike, y: MatrixLike, out: unknown, alpha = 1,
): Matrix<R, C, D> {
  const o = result<R, C, D>(op, m, n, sameDType(op, x, y), out);
  gemm(transA, transB, m, n, k, x.data, y.data, o.data, false, alpha);
  return o;
}

/** `matmul(a, b)`: (R x K)(K x C) -> R x C. `matmul(zeros(3, 4), zeros(4, 5))` is a `Matrix<3, 5>`. */
export function matmul<
  R extends number, K extends number, K2 extends number, C extends number, D extends DType = "float64", D2 extends DType = D,
  R3 extends number = R, C3 extends number = C, D3 extends DType = D,
>(
  a: Matrix<R, K, D>,
  b: Fits<K2, K, SameDType<"matmul", D, D2, Matrix<K2, C, D2>>, ShapeError<MatmulMessage<R, K, K2, C>>>,
  out?: OutArg<"matmul", R, C, D, R3, C3, D3>,
): Matrix<R, C, D> {
  const x = dyn("matmul", a), y = dyn("matmul", b);
  if (x.cols !== y.rows) throw new ShapeError(matmulMessage(x.rows, x.cols, y.rows, y.cols));
  return product("matmul", false, false, x.rows, y.cols, x.cols, x, y, out);
}

/** `matmulTransA(a, b)` = a^T b: (K x R)^T (K x C) -> R x C. Backprop's W^T delta. */
export function matmulTransA<
  K extends number, R extends number, K2 extends number, C extends number, D extends DType = "float64", D2 extends DType = D,
  R3 extends number = R, C3 extends number = C, D3 extends DType = D,
>(
  a: Matrix<K, R, D>,
  b: Fits<K2, K, SameDType<"matmulTransA", D, D2, Matrix<K2, C, D2>>, ShapeError<MatmulTransAMessage<K, R, K2, C>>>,
  out?: OutArg<"matmulTransA", R, C, D, R3, C3, D3>,
): Matrix<R, C, D> {
  const x = dyn("matmulTransA", a), y = dyn("matmulTransA", b);
  if (x.rows !== y.rows) throw new ShapeError(matmulTransAMessage(x.rows, x.cols, y.rows, y.cols));
  return product("matmulTransA", true, false, x.cols, y.cols, x.rows, x, y, out);
}

/** `matmulTransB(a, b)` = a b^T: (R x K)(C x K)^T -> R x C. Backprop's delta a^T, summed over the batch. */
export function matmulTransB<
  R extends number, K extends number, C extends number, K2 extends number, D extends DType = "float64", D2 extends DType = D,
  R3 extends number = R, C3 extends number = C, D3 extends DType = D,
>(
  a: Matrix<R, K, D>,
  b: Fits<K2, K, SameDType<"matmulTransB", D, D2, Matrix<C, K2, D2>>, ShapeError<MatmulTransBMessage<R, K, C, K2>>>,
  out?: OutArg<"matmulTransB", R, C, D, R3, C3, D3>,
): Matrix<R, C, D> {
  const x = dyn("matmulTransB", a), y = dyn("matmulTransB", b);
  if (x.cols !== y.cols) throw new ShapeError(matmulTransBMessage(x.rows, x.cols, y.rows, y.cols));
  return product("matmulTransB", false, true, x.rows, y.rows, x.cols, x, y, out);
}

/**
 * `matmulTransBScaled(a, b, s, out)` = s a b^T, the same checks and message as `matmulTransB`; the
 * factor is applied as each block of the product is written, so it costs no pass over the result.
 * Backprop's mean weight gradient delta a^T / B (src/nn/backprop.ts). Internal: the public spelling
 * is `scale(matmulTransB(a, b), s)`.
 */
export function matmulTransBScaled<R extends number, K extends number, C extends number, D extends DType>(
  a: Matrix<R, K, D>, b: Matrix<C, K, D>, s: number, out?: Matrix<R, C, D>,
): Matrix<R, C, D> {
  const x = dyn("matmulTransB", a), y = dyn("matmulTransB", b);
  if (x.cols !== y.cols) throw new ShapeError(matmulTransBMessage(x.rows, x.cols, y.rows, y.cols));
  return product("matmulTransB", false, true, x.rows, y.rows, x.cols, x, y, out, s);
}

/** `transpose(m)`: R x C -> C x R (a copy). */
export function transpose<R extends number, C extends number, D extends DType = "float64", R3 extends number = C, C3 extends number = R, D3 extends DType = D>(
  m: Matrix<R, C, D>, out?: OutArg<"transpose", C, R, D, R3, C3, D3>,
): Matrix<C, R, D> {
  const x = dyn("transpose", m);
  const o = result<C, R, D>("transpose", x.cols, x.rows, dtypeOf(x.data), out);
  if (o.data === x.data) throw new ShapeError(shapeMessage("transpose", "out to be another matrix than m", "the same matrix"));
  transposeInto(x.data, x.rows, x.cols, o.data);
  return o;
}
