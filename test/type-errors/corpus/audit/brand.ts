// Audit: only the library makes a Matrix; structural look-alikes, spreads, intersections and Omit tricks.
import { add, matmul, relu, zeros, type Matrix, type MatrixLike } from "../../../../src/index.js";
import { is } from "../expect.js";

// B01 a plain object with the fields of a matrix
{
  const fake = { rows: 3, cols: 4, dtype: "float64", data: new Float64Array(12) } as const;
  void matmul(fake, zeros(4, 2));
  //          ^^^^ ~ 'Matrix<3, 4, "float64">'
}
// B02 Omit the columns and put a union back
{
  const m = zeros(3, 4);
  const bent: Omit<typeof m, "cols"> & { readonly cols: 4 | 5 } = m;
  void matmul(bent, zeros(5, 2));
  //          ^^^^ ~ 'Matrix<3, 4, "float64">'
}
// B03 the plain-object bypass of issue 10 (a union of column counts through a structural type)
{
  const s1: { readonly rows: 3; readonly cols: 4 | 5; readonly data: Float64Array } = zeros(3, 4);
  const a: Matrix<3, 4 | 5> = s1;
  //    ^ ~ is missing the following properties from type 'Matrix<3, 4 | 5, "float64">': dtype, [matrixBrand]
  void a;
}
// B04 an intersection of two shapes
{
  const both = zeros(3, 4) as Matrix<3, 4> & Matrix<3, 5>;
  void matmul(both, zeros(5, 2));
  //                ^^^^^^^^^^^ matmul expects b.rows = a.cols = Dyn, got DynxDyn times 5x2
}
// B05 a spread copy of a matrix is a matrix of the same shape (the same fields, a valid matrix at run time)
{
  const m = zeros(3, 4);
  is<Matrix<3, 5>>()(matmul({ ...m }, zeros(4, 5)));
}
// B06 a spread copy with another column count
{
  const m = zeros(3, 4);
  void matmul({ ...m, cols: 5 as const }, zeros(5, 2));
  //                  ^^^^ ~ '5' is not assignable to type '4'
}
// B07 Object.assign that changes a field
{
  const m = Object.assign(zeros(3, 4), { cols: 5 as const });
  void matmul(m, zeros(5, 2));
  //             ^^^^^^^^^^^ matmul expects b.rows = a.cols = Dyn, got DynxDyn times 5x2
}
// B08 a MatrixLike (what plain JavaScript sees) where a Matrix is expected
{
  const like: MatrixLike = zeros(3, 4);
  void relu(like);
  //        ^^^^ ~ 'Matrix<number, number, "float64">'
}
// B09 a matrix as a MatrixLike: widening to the structural view is fine
{
  const like: MatrixLike = zeros(3, 4);
  is<MatrixLike>()(like);
}
// B10 a Float32Array in a float64 matrix's shape
{
  const m = zeros(2, 2);
  const mixed: { readonly rows: 2; readonly cols: 2; readonly dtype: "float64"; readonly data: Float32Array } = { ...m, data: new Float32Array(4) };
  void add(m, mixed);
  //          ^^^^^ ~ 'Matrix<2, 2, "float64">'
}
// B11 a readonly field cannot be reassigned to another size
{
  const m = zeros(3, 4);
  m.cols = 4;
  //^^^^ ~ Cannot assign to 'cols' because it is a read-only property.
}
