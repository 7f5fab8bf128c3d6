/** Constructors: literal inference without `as const`, element types, Dyn for plain numbers, rejected sizes. */
import { expectAssignable, expectError, expectNotAssignable, expectType } from "tsd";
import {
  assertShape, fill, fromArray, fromRows, identity, oneHot, ones, randomNormal, randomUniform, rng, toDType, toRows, vector, widen, zeros,
  type ColsOf, type DTypeOfData, type Dyn, type ExpectArg, type Matrix, type RandomOptions, type RandomSource, type Rng, type RowsArg,
  type RowsOf, type ShapeError, type ValuesArg,
} from "../src/index.js";

declare const flag: boolean;

expectType<Matrix<3, 4>>(zeros(3, 4));
expectType<Matrix<1, 2>>(ones(1, 2));
expectType<Matrix<2, 2>>(fill(2, 2, 0.5));
expectType<Matrix<3, 3>>(identity(3));
expectType<Matrix<2, 3>>(fromRows([[1, 2, 3], [4, 5, 6]]));
expectType<Matrix<2, 3>>(fromRows([[1, 2, 3], [4, 5, 6]] as const));
expectType<Matrix<3, 1>>(vector([1, 2, 3]));
expectType<Matrix<3, 2>>(fromArray([1, 2, 3, 4, 5, 6], 3, 2));
expectType<Matrix<2, 2>>(randomNormal(2, 2, { rng: rng(1) }));
expectType<Matrix<2, 5>>(randomUniform(2, 5, { rng: rng(1), low: -1, high: 1 }));
expectType<number[][]>(toRows(zeros(2, 2)));
expectType<Rng>(rng(42));
expectType<Matrix<3, 4>>(oneHot([0, 1, 2, 1], 3));
expectType<Matrix<16, 2>>(zeros(0x10, 2)); // any spelling of a whole number
expectType<Matrix<1000, 2>>(zeros(1_000, 2));
expectType<Matrix<100, 2>>(zeros(1e2, 2));

// The element type: the last argument of every constructor; a Float32Array's data is float32.
expectType<Matrix<3, 4, "float32">>(zeros(3, 4, "float32"));
expectType<Matrix<3, 4, "float64">>(zeros(3, 4, "float64"));
expectType<Matrix<1, 2, "float32">>(ones(1, 2, "float32"));
expectType<Matrix<2, 2, "float32">>(fill(2, 2, 0.5, "float32"));
expectType<Matrix<3, 3, "float32">>(identity(3, "float32"));
expectType<Matrix<1, 2, "float32">>(fromRows([[1, 2]], "float32"));
expectType<Matrix<2, 1, "float32">>(vector([1, 2], "float32"));
expectType<Matrix<2, 2, "float32">>(fromArray(new Float32Array(4), 2, 2));
expectType<Matrix<2, 2, "float64">>(fromArray(new Float64Array(4), 2, 2));
expectType<"float32">({} as DTypeOfData<Float32Array>);
expectType<"float64">({} as DTypeOfData<number[]>);
expectType<Matrix<2, 3, "float32">>(toDType(zeros(2, 3), "float32"));
expectType<Matrix<2, 3, "float64">>(toDType(zeros(2, 3, "float32"), "float64"));
expectError(zeros(3, 4, "float16"));
expectError(toDType(zeros(2, 3), "int32"));
expectError(fromRows([[1, 2]], "double"));

// Sizes that are not whole numbers of 1 or more do not compile, in any spelling.
expectError(zeros(0, 4));
expectError(zeros(3, -1));
expectError(ones(2.5, 1));
expectError(zeros(-0, 4));
expectError(zeros(1e400, 4)); // Infinity
expectError(zeros(1e21, 4)); // prints as 1e+21: not a whole number the library can hold
expectType<Matrix<Dyn, 2>>(zeros(NaN, 2)); // NaN has no literal type in TypeScript: a number, checked at run time
expectType<Matrix<Dyn, 2>>(zeros(Infinity, 2)); // the same for the Infinity global (the literal 1e400 is refused)
expectError(fill(1, 0, 1));
expectError(identity(-3));
expectError(fromArray([1], 1, 0));
expectError(randomNormal(0, 1, { rng: rng(1) }));
expectError(randomUniform(1, -2, 1));
expectError(oneHot([0], 0));
expectError(randomNormal(2, 2, {})); // the rng is required: no hidden Math.random
expectType<Matrix<2, 2>>(randomNormal(2, 2, rng(1)));
expectType<Matrix<2, 2>>(randomUniform(2, 2, 42));
expectType<number>(rng(1)());
expectError(randomUniform(2, 2, "42"));
expectError(fill(2, 2, "1"));
expectError(zeros("3", 4));

// A union of sizes is refused at every constructor (it would compare equal to itself).
expectError(zeros(flag ? 3 : 4, 2));
expectError(ones(2, flag ? 3 : 4));
expectError(fill(flag ? 2 : 3, 2, 1));
expectError(identity(flag ? 2 : 3));
expectError(fromArray([1, 2, 3, 4], flag ? 2 : 4, 2));
expectError(randomNormal(flag ? 2 : 3, 2, 1));
expectError(randomUniform(2, flag ? 2 : 3, 1));
expectError(zeros(flag ? 0 : 3, 4)); // a union with a bad size: refused, not `boolean`-checked
expectError(oneHot([0, 1], flag ? 2 : 3));

// Empty and ragged literals do not compile.
expectError(fromRows([[1, 2, 3], [4, 5]]));
expectError(fromRows([]));
expectError(fromRows([[]]));
expectError(vector([]));
expectError(oneHot([], 3));
expectType<2>({} as RowsOf<[[1, 2], [3, 4]]>);
expectType<2>({} as ColsOf<[[1, 2], [3, 4]]>);
expectType<Dyn>({} as ColsOf<number[][]>);
expectType<Dyn>({} as ColsOf<[[1, 2], [3]]>);
expectType<ShapeError<"fromRows expects rows of one length, got rows of different lengths">>({} as RowsArg<[[1, 2], [3]]>);
expectType<[[1, 2]]>({} as RowsArg<[[1, 2]]>);
expectType<ShapeError<"vector expects at least one number, got none">>({} as ValuesArg<[]>);
expectType<[1, 2]>({} as ValuesArg<[1, 2]>);

// Labels: literal labels past the class count do not compile.
expectError(oneHot([0, 5], 3));
expectError(oneHot([0, -1], 3));
expectError(oneHot([0, 1.5], 3));
expectType<Matrix<3, 2>>(oneHot([0, 2], 3));
expectType<Matrix<3, Dyn>>(oneHot([0, 5] as number[], 3)); // labels known at run time: checked then

// A plain number is not a literal: the size becomes Dyn, on purpose and visibly.
let n = 128;
n += 0;
expectType<Matrix<Dyn, 3>>(zeros(n, 3));
expectType<Matrix<Dyn, Dyn>>(fromRows([[1, 2]] as number[][]));
expectType<Matrix<Dyn, 1>>(vector([1, 2] as number[]));
expectType<Matrix<3, Dyn>>(oneHot([0, 1] as number[], 3));
// ...and cannot stand where a literal size is expected until assertShape has checked it.
expectError<Matrix<128, 3>>(zeros(n, 3));
expectType<Matrix<128, 3>>(assertShape(zeros(n, 3), 128, 3));
expectType<Matrix<3, 4, "float32">>(assertShape(widen(zeros(3, 4, "float32")), 3, 4));
expectError(assertShape(zeros(n, 3), 0, 3));
expectError(assertShape(zeros(3, 4), 4, 3)); // contradicts the literal sizes: it would always throw
expectError(assertShape(zeros(3, 4), 3, 5));
expectType<Matrix<3, 4>>(assertShape(zeros(3, 4), 3, 4));
expectError(assertShape(widen(zeros(3, 4)), flag ? 3 : 4, 4));
expectType<3>({} as ExpectArg<3, number, "assertShape", 3, 4, number, number>);
expectType<Matrix<Dyn, Dyn>>(widen(zeros(2, 2)));
expectError(widen([1, 2]));
expectAssignable<RandomOptions>({ rng: rng(1) });
expectAssignable<RandomSource<{ readonly mean?: number }>>(7);
expectNotAssignable<RandomSource<{ readonly mean?: number }>>({ mean: 2 });
