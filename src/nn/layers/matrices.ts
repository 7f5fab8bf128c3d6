/** The one bridge from the engine's untyped buffers to the typed ops (see `asMatrix`). */
import type { Dyn } from "../../shape/dims.js";
import type { DType, Matrix, MatrixLike } from "../../shape/matrix.js";

/**
 * A buffer of the engine as a matrix of run-time shape. The engine loops over layers of different
 * shapes, which no loop variable can type; its buffers were made by the library (workspaces,
 * parameters) as matrices, and every op called on them checks shapes and element types at run time.
 */
export function asMatrix(m: MatrixLike): Matrix<Dyn, Dyn, DType> {
  return m as Matrix<Dyn, Dyn, DType>;
}

/** A bias buffer of the engine as a column of run-time length (see `asMatrix`). */
export function asColumn(m: MatrixLike): Matrix<Dyn, 1, DType> {
  return m as Matrix<Dyn, 1, DType>;
}
