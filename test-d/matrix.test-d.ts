/** The Matrix type: literal dimensions, invariance (the union hole), Dyn, and the helper types. */
import { expectAssignable, expectError, expectNotAssignable, expectType } from "tsd";
import {
  matmul, zeros, widen, assertShape,
  type BadSize, type Dyn, type Fits, type Fits2, type Matrix, type ShowDim, type ShowShape, type Size, type AnyMatrix, type AnyColumn,
} from "../src/index.js";

declare const m34: Matrix<3, 4>;

// Invariance: a 3x4 matrix is no other shape, not even a wider one.
expectNotAssignable<Matrix<4, 3>>(m34);
expectNotAssignable<Matrix<3, 5>>(m34);
expectNotAssignable<Matrix<3, 4 | 5>>(m34);
expectNotAssignable<Matrix<number, 4>>(m34);
expectNotAssignable<Matrix<Dyn, Dyn>>(m34);
expectAssignable<Matrix<3, 4>>(m34);

// The union hole: without invariance TypeScript would infer K = 4 | 5 and accept this.
expectError(matmul(zeros(3, 4), zeros(5, 5)));
expectError(matmul(m34, m34));
expectType<Matrix<3, 5>>(matmul(zeros(3, 4), zeros(4, 5)));

// Dyn: a size known only at run time; equal to itself only.
declare const d: Matrix<Dyn, 4>;
expectNotAssignable<Matrix<3, 4>>(d);
expectType<Matrix<Dyn, 5>>(matmul(d, zeros(4, 5)));
expectError(matmul(zeros(3, 128), zeros(128 as number, 3))); // Dyn rows must be narrowed first
expectType<Matrix<3, 4>>(assertShape(d, 3, 4));
expectType<AnyMatrix>(widen(m34));
expectAssignable<AnyColumn>(zeros(7 as number, 1));
expectNotAssignable<Matrix<3, 4>>(widen(m34));

// Size normalises number to Dyn; ShowDim / ShowShape print shapes as messages do.
expectType<3>({} as Size<3>);
expectType<Dyn>({} as Size<number>);
expectType<Dyn>({} as Size<Dyn>);
expectType<"3">({} as ShowDim<3>);
expectType<"Dyn">({} as ShowDim<Dyn>);
expectType<"3x4">({} as ShowShape<3, 4>);
expectType<"Dynx1">({} as ShowShape<Dyn, 1>);
expectError<"4">({} as ShowDim<3>);

// BadSize flags literals that cannot be sizes.
expectType<true>({} as BadSize<0>);
expectType<true>({} as BadSize<-1>);
expectType<true>({} as BadSize<2.5>);
expectType<false>({} as BadSize<784>);
expectType<false>({} as BadSize<number>);
expectType<false>({} as BadSize<Dyn>);

// Fits: equal sizes both ways.
expectType<"ok">({} as Fits<3, 3, "ok", "no">);
expectType<"no">({} as Fits<3, 4, "ok", "no">);
expectType<"no">({} as Fits<Dyn, 4, "ok", "no">);
expectType<"no">({} as Fits<4, Dyn, "ok", "no">);
expectType<"ok">({} as Fits<Dyn, Dyn, "ok", "no">);
expectType<"ok">({} as Fits2<3, 4, 3, 4, "ok", "no">);
expectType<"no">({} as Fits2<3, 4, 4, 3, "ok", "no">);
expectError<"ok">({} as Fits<3, 4, "ok", "no">);
