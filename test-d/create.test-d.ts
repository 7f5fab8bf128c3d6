/** Constructors: literal inference without `as const`, Dyn for plain numbers, rejected sizes. */
import { expectError, expectType } from "tsd";
import {
  assertShape, fill, fromArray, fromRows, identity, oneHot, ones, randomNormal, randomUniform, rng, toRows, vector, widen, zeros,
  type Dyn, type Matrix, type Rng, type RowsOf, type ColsOf,
} from "../src/index.js";

expectType<Matrix<3, 4>>(zeros(3, 4));
expectType<Matrix<1, 2>>(ones(1, 2));
expectType<Matrix<2, 2>>(fill(2, 2, 0.5));
expectType<Matrix<3, 3>>(identity(3));
expectType<Matrix<2, 3>>(fromRows([[1, 2, 3], [4, 5, 6]]));
expectType<Matrix<3, 1>>(vector([1, 2, 3]));
expectType<Matrix<3, 2>>(fromArray([1, 2, 3, 4, 5, 6], 3, 2));
expectType<Matrix<2, 2>>(randomNormal(2, 2, { rng: rng(1) }));
expectType<Matrix<2, 5>>(randomUniform(2, 5, { rng: rng(1), low: -1, high: 1 }));
expectType<number[][]>(toRows(zeros(2, 2)));
expectType<Rng>(rng(42));
expectType<Matrix<3, 4>>(oneHot([0, 1, 2, 1], 3));

// Sizes that are not whole numbers of 1 or more do not compile.
expectError(zeros(0, 4));
expectError(zeros(3, -1));
expectError(ones(2.5, 1));
expectError(fill(1, 0, 1));
expectError(identity(-3));
expectError(fromArray([1], 1, 0));
expectError(randomNormal(0, 1, { rng: rng(1) }));
expectError(oneHot([0], 0));
expectError(randomNormal(2, 2, {})); // the rng is required: no hidden Math.random
expectType<Matrix<2, 2>>(randomNormal(2, 2, rng(1)));
expectType<Matrix<2, 2>>(randomUniform(2, 2, 42));
expectType<number>(rng(1)());
expectError(randomUniform(2, 2, "42"));
expectError(fill(2, 2, "1"));

// Ragged literal rows do not compile.
expectError(fromRows([[1, 2, 3], [4, 5]]));
expectType<2>({} as RowsOf<[[1, 2], [3, 4]]>);
expectType<2>({} as ColsOf<[[1, 2], [3, 4]]>);
expectType<Dyn>({} as ColsOf<number[][]>);

// A plain number is not a literal: the size becomes Dyn, on purpose and visibly.
let n = 128;
expectType<Matrix<Dyn, 3>>(zeros(n, 3));
expectType<Matrix<Dyn, Dyn>>(fromRows([[1, 2]] as number[][]));
expectType<Matrix<Dyn, 1>>(vector([1, 2] as number[]));
expectType<Matrix<3, Dyn>>(oneHot([0, 1] as number[], 3));
// ...and cannot stand where a literal size is expected until assertShape has checked it.
expectError<Matrix<128, 3>>(zeros(n, 3));
expectType<Matrix<128, 3>>(assertShape(zeros(n, 3), 128, 3));
expectError(assertShape(zeros(n, 3), 0, 3));
expectType<Matrix<Dyn, Dyn>>(widen(zeros(2, 2)));
