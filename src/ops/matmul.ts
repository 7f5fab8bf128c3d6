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
import type { Fits, Matrix } from "../shape/matrix.js";
import { dyn, result } from "./out.js";

/** The body shared by the products once their shapes are checked: out (m x n) = alpha op(x) op(y), inner size k. */
function product<R extends number, C extends number>(
  op: string, transA: boolean, transB: boolean, m: number, n: number, k: number,
  x: { readonly data: Float64Array }, y: { readonly data: Float64Array }, out: Matrix<R, C> | undefined, alpha = 1,
): Matrix<R, C> {
  const o = result(op, m, n, out);
  gemm(transA, transB, m, n, k, x.data, y.data, o.data, false, alpha);
  return o;
}

/** `matmul(a, b)`: (R x K)(K x C) -> R x C. `matmul(zeros(3, 4), zeros(4, 5))` is a `Matrix<3, 5>`. */
export function matmul<R extends number, K extends number, K2 extends number, C extends number>(
  a: Matrix<R, K>,
  b: Fits<K2, K, Matrix<K2, C>, ShapeError<MatmulMessage<R, K, K2, C>>>,
  out?: Matrix<NoInfer<R>, NoInfer<C>>,
): Matrix<R, C> {
  const x = dyn("matmul", a), y = dyn("matmul", b);
  if (x.cols !== y.rows) throw new ShapeError(matmulMessage(x.rows, x.cols, y.rows, y.cols));
  return product("matmul", false, false, x.rows, y.cols, x.cols, x, y, out);
}

/** `matmulTransA(a, b)` = a^T b: (K x R)^T (K x C) -> R x C. Backprop's W^T delta. */
export function matmulTransA<K extends number, R extends number, K2 extends number, C extends number>(
  a: Matrix<K, R>,
  b: Fits<K2, K, Matrix<K2, C>, ShapeError<MatmulTransAMessage<K, R, K2, C>>>,
  out?: Matrix<NoInfer<R>, NoInfer<C>>,
): Matrix<R, C> {
  const x = dyn("matmulTransA", a), y = dyn("matmulTransA", b);
  if (x.rows !== y.rows) throw new ShapeError(matmulTransAMessage(x.rows, x.cols, y.rows, y.cols));
  return product("matmulTransA", true, false, x.cols, y.cols, x.rows, x, y, out);
}

/** `matmulTransB(a, b)` = a b^T: (R x K)(C x K)^T -> R x C. Backprop's delta a^T, summed over the batch. */
export function matmulTransB<R extends number, K extends number, C extends number, K2 extends number>(
  a: Matrix<R, K>,
  b: Fits<K2, K, Matrix<C, K2>, ShapeError<MatmulTransBMessage<R, K, C, K2>>>,
  out?: Matrix<NoInfer<R>, NoInfer<C>>,
): Matrix<R, C> {
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
export function matmulTransBScaled<R extends number, K extends number, C extends number, K2 extends number>(
  a: Matrix<R, K>,
  b: Fits<K2, K, Matrix<C, K2>, ShapeError<MatmulTransBMessage<R, K, C, K2>>>,
  s: number,
  out?: Matrix<NoInfer<R>, NoInfer<C>>,
): Matrix<R, C> {
  const x = dyn("matmulTransB", a), y = dyn("matmulTransB", b);
  if (x.cols !== y.cols) throw new ShapeError(matmulTransBMessage(x.rows, x.cols, y.rows, y.cols));
  return product("matmulTransB", false, true, x.rows, y.rows, x.cols, x, y, out, s);
}

/** `transpose(m)`: R x C -> C x R (a copy). */
export function transpose<R extends number, C extends number>(m: Matrix<R, C>, out?: Matrix<NoInfer<C>, NoInfer<R>>): Matrix<C, R> {
  const x = dyn("transpose", m);
  const o = result("transpose", x.cols, x.rows, out);
  if (o.data === x.data) throw new ShapeError(shapeMessage("transpose", "out to be another matrix than m", "the same matrix"));
  transposeInto(x.data, x.rows, x.cols, o.data);
  return o;
}
