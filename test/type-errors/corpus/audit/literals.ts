// Audit: huge, tiny, negative, fractional, NaN and Infinity literals; Dyn mixed with literals.
import {
  add, assertShape, dense, flatten, matmul, mlp, oneHot, predict, reshape, vcat, widen, zeros, type Dyn, type Matrix,
} from "../../../../src/index.js";
import { is } from "../expect.js";

// L01 1e21 prints as 1e+21: not a whole number the library can hold
{
  void zeros(1e21, 2);
  //         ^^^^ zeros expects sizes that are whole numbers 1 or more, got 1e+21
}
// L02 2^53, the largest whole number a JavaScript number holds exactly
{
  is<Matrix<9007199254740992, 1>>()(zeros(9007199254740992, 1));
}
// L03 a computed power is a number (Dyn), checked at run time
{
  is<Matrix<Dyn, 1>>()(zeros(2 ** 10, 1));
}
// L04 minus zero
{
  void zeros(-0, 2);
  //         ^^ zeros expects sizes that are whole numbers 1 or more, got 0
}
// L05 a fraction
{
  void zeros(0.5, 2);
  //         ^^^ zeros expects sizes that are whole numbers 1 or more, got 0.5
}
// L06 a tiny number in exponent notation
{
  void zeros(1e-7, 2);
  //         ^^^^ zeros expects sizes that are whole numbers 1 or more, got 1e-7
}
// L07 a product past 2^53 widens to Dyn, never a wrong literal
{
  is<Matrix<Dyn, 1>>()(flatten(zeros(100000000, 100000000)));
}
// L08 a dense layer of 1e21 neurons
{
  void dense(10, 1e21);
  //             ^^^^ dense expects sizes that are whole numbers 1 or more, got 1e+21
}
// L09 Infinity as a literal (1e400)
{
  void mlp([784, 1e400]);
  //             ^^^^^ mlp expects sizes that are whole numbers 1 or more, got Infinity
}
// L10 a label written 1e21
{
  void oneHot([1e21], 3);
  //           ^^^^ oneHot expects whole-number labels in 0..2, got 1e+21 at index 0
}
// L11 -0 and 2.0 as labels are the labels 0 and 2
{
  is<Matrix<3, 2>>()(oneHot([-0, 2.0], 3));
}
// L12 hexadecimal, binary and separated literals are whole numbers like any other
{
  is<Matrix<16, 2>>()(zeros(0x10, 0b10));
  is<Matrix<1000, 1>>()(zeros(1_000, 1));
}
// D01 a Dyn matrix added to a literal one
{
  const n: number = 3;
  void add(zeros(n, 4), zeros(3, 4));
  //                    ^^^^^^^^^^^ add expects b of shape Dynx4 like a, got Dynx4 and 3x4
}
// D02 Dyn times Dyn: checked at run time
{
  const n: number = 3;
  is<Matrix<Dyn, Dyn>>()(matmul(zeros(n, n), zeros(n, n)));
}
// D03 assertShape, then the literal product
{
  const n: number = 4;
  is<Matrix<3, 5>>()(matmul(zeros(3, 4), assertShape(zeros(n, 5), 4, 5)));
}
// D04 predict with a batch known only at run time
{
  const b: number = 32;
  is<Matrix<10, Dyn>>()(predict(mlp([784, 10]), zeros(784, b)));
}
// D05 a network of run-time sizes given a literal matrix
{
  const sizes: number[] = [784, 10];
  void predict(mlp(sizes), zeros(784, 2));
  //                       ^^^^^^^^^^^^^ predict expects x with Dyn rows (one column per example), got 784x2
}
// D06 a matrix of Dyn features given to a literal network
{
  void predict(mlp([784, 10]), widen(zeros(784, 2)));
  //                           ^^^^^^^^^^^^^^^^^^^^ predict expects x with 784 rows (one column per example), got DynxDyn
}
// D07 two Dyn matrices added: one size known only at run time on both sides (checked then)
{
  const n: number = 3, m: number = 3;
  is<Matrix<Dyn, 4>>()(add(zeros(n, 4), zeros(m, 4)));
}
// D08 reshape of a Dyn matrix to literal sizes (checked at run time)
{
  is<Matrix<4, 2>>()(reshape(widen(zeros(2, 4)), 4, 2));
}
// D09 vcat of Dyn rows on a literal matrix
{
  const n: number = 2;
  is<Matrix<Dyn, 4>>()(vcat(zeros(n, 4), zeros(3, 4)));
}
// D10 Dyn where a literal size is expected, assigned
{
  const n: number = 3;
  const m: Matrix<3, 4> = zeros(n, 4);
  //    ^ ~ 'Matrix<number, 4, "float64">' is not assignable to type 'Matrix<3, 4, "float64">'
  void m;
}
