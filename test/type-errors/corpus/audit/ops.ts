// Audit: the ops' out arguments, element types and the remaining shape laws.
import {
  addBias, argmax, hadamard, matmul, matmulTransB, scale, sumColumns, toDType, transpose, zeros, type Matrix,
} from "../../../../src/index.js";
import { is } from "../expect.js";

// X01 transpose into itself (square): the shapes fit, the aliasing is checked at run time
{
  const m = zeros(3, 3);
  void transpose(m, m); // HOLE: that out is the same matrix as the input is not a shape; transpose throws at run time
}
// X02 sumColumns into a column of the wrong length
{
  void sumColumns(zeros(3, 4), zeros(4, 1));
  //                           ^^^^^^^^^^^ sumColumns expects out of shape 3x1, got out 4x1
}
// X03 argmax into an array literal of the right length
{
  is<number[]>()(argmax(zeros(3, 2), [0, 0]));
}
// X04 scale into an out of the other element type
{
  void scale(zeros(2, 2), 3, zeros(2, 2, "float32"));
  //                         ^^^^^^^^^^^^^^^^^^^^^^ scale expects float64 like the first operand (convert with toDType), got float32
}
// X05 hadamard with a transposed operand
{
  void hadamard(zeros(3, 4), zeros(4, 3));
  //                         ^^^^^^^^^^^ hadamard expects b of shape 3x4 like a, got 3x4 and 4x3
}
// X06 addBias with a row instead of a column
{
  void addBias(zeros(3, 4), zeros(1, 3));
  //                        ^^^^^^^^^^^ addBias expects a bias of shape 3x1, got 3x4 plus 1x3
}
// X07 matmulTransB with the operands' roles right
{
  is<Matrix<128, 784>>()(matmulTransB(zeros(128, 64), zeros(784, 64)));
}
// X08 an op after toDType: both float32
{
  is<Matrix<3, 5, "float32">>()(matmul(toDType(zeros(3, 4), "float32"), zeros(4, 5, "float32")));
}
// X09 an out of the right shape written with the other dimension order
{
  void matmul(zeros(3, 4), zeros(4, 5), zeros(5, 3));
  //                                    ^^^^^^^^^^^ matmul expects out of shape 3x5, got out 5x3
}
// X10 transpose into a correctly transposed out
{
  is<Matrix<4, 3>>()(transpose(zeros(3, 4), zeros(4, 3)));
}
