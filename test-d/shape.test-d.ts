/**
 * The shape core: the Matrix type (brand, invariance, element type), sizes (Dyn, unions refused,
 * generic sizes let through), and the helper types every op's signature is made of.
 */
import { expectAssignable, expectError, expectNotAssignable, expectType } from "tsd";
import {
  add, assertShape, matmul, toDType, widen, zeros,
  type AnyColumn, type AnyMatrix, type BadSize, type DataOf, type DType, type Dyn, type Fits, type Fits2, type IsUnion, type Matrix,
  type MatrixLike, type Reject, type SameDType, type Shape, type ShapeError, type ShowDim, type ShowShape, type SizeArg, type SizeProblem,
} from "../src/index.js";

declare const m34: Matrix<3, 4>;
declare const flag: boolean;

// Invariance: a 3x4 matrix is no other shape, not even a wider one, and no other element type.
expectNotAssignable<Matrix<4, 3>>(m34);
expectNotAssignable<Matrix<3, 5>>(m34);
expectNotAssignable<Matrix<3, 4 | 5>>(m34);
expectNotAssignable<Matrix<number, 4>>(m34);
expectNotAssignable<Matrix<Dyn, Dyn>>(m34);
expectNotAssignable<Matrix<3, 4, "float32">>(m34);
expectNotAssignable<Matrix<3, 4, DType>>(m34);
expectAssignable<Matrix<3, 4>>(m34);
expectAssignable<MatrixLike>(m34);
expectType<3>(m34.rows);
expectType<4>(m34.cols);
expectType<"float64">(m34.dtype);
expectType<Float64Array>(m34.data);
expectType<Float32Array>(zeros(3, 4, "float32").data);

// The brand: only the library makes a Matrix. A plain object with the same fields is not one, and
// types built from a matrix's properties keep the brand's sizes (the invariance bypass of issue 10).
expectNotAssignable<Matrix<3, 4>>({ rows: 3, cols: 4, dtype: "float64", data: new Float64Array(12) } as const);
const s1: { readonly rows: 3; readonly cols: 4 | 5; readonly dtype: "float64"; readonly data: Float64Array } = zeros(3, 4);
expectNotAssignable<Matrix<3, 4 | 5>>(s1);
expectError(matmul(s1, zeros(4, 2)));
declare const omitted: Omit<Matrix<3, 4>, "cols"> & { readonly cols: 4 | 5 };
expectNotAssignable<Matrix<3, 4 | 5>>(omitted);
expectNotAssignable<Matrix<3, 4>>(omitted);
expectError(matmul(omitted, zeros(4, 2)));
expectError(matmul(omitted, zeros(5, 2)));
declare const spread: { readonly rows: 3; readonly cols: 5 } & Omit<Matrix<3, 4>, "rows" | "cols">;
expectError(matmul(zeros(2, 3), spread));

// The union-inference hole: a 3x4 times a 5x5 does not compile (K would be inferred as 4 | 5).
expectError(matmul(zeros(3, 4), zeros(5, 5)));
expectError(matmul(m34, m34));
expectType<Matrix<3, 5>>(matmul(zeros(3, 4), zeros(4, 5)));
// Union sizes are refused where they enter, and where two equal unions would meet in an op.
expectError(matmul(zeros(2, flag ? 3 : 4), zeros(flag ? 4 : 3, 5)));
function make<N extends number>(n: N) {
  return zeros(n, 3);
}
function make2<N extends number>(n: N) {
  return zeros(3, n);
}
expectType<Matrix<3 | 4, 3>>(make(flag ? 3 : 4)); // the caller's generic function lets the union in...
expectError(matmul(make2(flag ? 3 : 4), make(flag ? 4 : 3))); // ...but no op compares it as one size
expectError(add(make(flag ? 3 : 4), make(flag ? 4 : 3)));
expectType<Matrix<3, 3>>(matmul(make2(3), make(3)));

// Dyn: a size known only at run time (plain number); equal to itself only.
declare const d: Matrix<Dyn, 4>;
expectType<Matrix<number, 4>>(d);
expectNotAssignable<Matrix<3, 4>>(d);
expectType<Matrix<Dyn, 5>>(matmul(d, zeros(4, 5)));
expectError(matmul(zeros(3, 128), zeros(128 as number, 3))); // Dyn rows must be narrowed first
expectError(add(d, zeros(3, 4)));
expectType<Matrix<3, 4>>(assertShape(d, 3, 4));
expectType<AnyMatrix>(widen(m34));
expectType<Matrix<Dyn, Dyn, "float32">>(widen(zeros(2, 2, "float32")));
expectType<AnyMatrix<"float32">>(widen(zeros(2, 2, "float32")));
expectAssignable<AnyColumn>(zeros(7 as number, 1));
expectNotAssignable<AnyColumn>(zeros(7, 1));
expectNotAssignable<Matrix<3, 4>>(widen(m34));
expectType<Matrix<3, 4, "float32">>(toDType(m34, "float32"));

// Element types
expectType<Float32Array>({} as DataOf<"float32">);
expectType<Float64Array>({} as DataOf<"float64">);
expectAssignable<DType>("float32");
expectNotAssignable<DType>("float16");
expectType<"ok">({} as SameDType<"add", "float32", "float32", "ok">);
expectType<ShapeError<"add expects float64 like the first operand (convert with toDType), got float32">>({} as SameDType<"add", "float64", "float32", "ok">);
expectError<"ok">({} as SameDType<"add", "float64", "float32", "ok">);

// ShowDim / ShowShape print shapes as messages do; Shape is one example's shape.
expectType<"3">({} as ShowDim<3>);
expectType<"Dyn">({} as ShowDim<Dyn>);
expectType<"3x4">({} as ShowShape<3, 4>);
expectType<"Dynx1">({} as ShowShape<Dyn, 1>);
expectError<"4">({} as ShowDim<3>);
expectAssignable<Shape>([1, 28, 28] as const);
expectNotAssignable<Shape>(["1"]);

// Which literals are sizes, what is wrong with one, and the type a size argument is checked against.
expectType<true>({} as BadSize<0>);
expectType<true>({} as BadSize<-1>);
expectType<true>({} as BadSize<2.5>);
expectType<true>({} as BadSize<1e21>);
expectType<false>({} as BadSize<784>);
expectType<false>({} as BadSize<number>);
expectType<true>({} as IsUnion<3 | 4>);
expectType<false>({} as IsUnion<3>);
expectType<false>({} as IsUnion<number>);
expectType<never>({} as SizeProblem<3, "zeros">);
expectType<never>({} as SizeProblem<number, "zeros">);
expectType<"zeros expects sizes that are whole numbers 1 or more, got 0">({} as SizeProblem<0, "zeros">);
expectType<"zeros expects each size to be one number (write a plain number for a size known at run time, Dyn), got a union of sizes">({} as SizeProblem<3 | 4, "zeros">);
expectType<3>({} as SizeArg<3, "zeros">);
expectType<number>({} as SizeArg<number, "zeros">);
expectType<ShapeError<"zeros expects sizes that are whole numbers 1 or more, got 0">>({} as SizeArg<0, "zeros">);
expectType<"no">({} as Reject<0, "no">);
expectType<"no">({} as Reject<2.5, "no">);
function generic<N extends number>(n: N) {
  expectAssignable<Reject<N, "no">>(n); // for a type parameter the lookup gives unknown: checked at run time
  return zeros(n, 2);
}
expectType<Matrix<5, 2>>(generic(5));

// Fits: equal sizes both ways; a union is never equal to itself (it may hold two sizes).
expectType<"ok">({} as Fits<3, 3, "ok", "no">);
expectType<"no">({} as Fits<3, 4, "ok", "no">);
expectType<"no">({} as Fits<Dyn, 4, "ok", "no">);
expectType<"no">({} as Fits<4, Dyn, "ok", "no">);
expectType<"ok">({} as Fits<Dyn, Dyn, "ok", "no">);
expectType<"ok">({} as Fits2<3, 4, 3, 4, "ok", "no">);
expectType<"no">({} as Fits2<3, 4, 4, 3, "ok", "no">);
expectError<"ok">({} as Fits<3, 4, "ok", "no">);
expectNotAssignable<Fits<3 | 4, 3 | 4, { ok: true }, ShapeError<"f expects x, got y">>>({ ok: true } as const);
