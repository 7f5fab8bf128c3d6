/**
 * Dimension arithmetic (exact, digit by digit) at small, large and edge values: exact to 2^53,
 * `number` (Dyn) past it or for any operand that is not a whole-number literal; never a wrong literal.
 */
import { expectError, expectType } from "tsd";
import { flatten, hcat, reshape, vcat, widen, zeros, type Add, type Div, type Dyn, type LessThan, type Matrix, type Mul, type Product, type Sub } from "../src/index.js";

// Add
expectType<912>({} as Add<784, 128>);
expectType<2>({} as Add<1, 1>);
expectType<0>({} as Add<0, 0>);
expectType<100000>({} as Add<99999, 1>);
expectType<1000000000>({} as Add<999999999, 1>);
expectType<9007199254740992>({} as Add<9007199254740991, 1>); // 2^53, the last exact sum
expectType<Dyn>({} as Add<9007199254740992, 1>); // past 2^53: a JavaScript number skips integers there
expectType<Dyn>({} as Add<Dyn, 3>);
expectType<Dyn>({} as Add<2.5, 1>);
expectType<Dyn>({} as Add<-1, 1>);
expectError<913>({} as Add<784, 128>);

// Mul
expectType<784>({} as Mul<28, 28>);
expectType<47040000>({} as Mul<60000, 784>);
expectType<80779853376>({} as Mul<123456, 654321>);
expectType<0>({} as Mul<0, 784>);
expectType<1>({} as Mul<1, 1>);
expectType<9007199254740992>({} as Mul<4503599627370496, 2>); // 2^52 * 2
expectType<Dyn>({} as Mul<4503599627370497, 2>); // 2^53 + 2
expectType<Dyn>({} as Mul<94906267, 94906267>); // about 9.007e15 > 2^53
expectType<Dyn>({} as Mul<784, Dyn>);
expectType<Dyn>({} as Mul<number, 2>);
expectError<47040001>({} as Mul<60000, 784>);

// Sub (negative when b > a)
expectType<23>({} as Sub<28, 5>);
expectType<0>({} as Sub<5, 5>);
expectType<-23>({} as Sub<5, 28>);
expectType<1>({} as Sub<1000000, 999999>);
expectType<9007199254740991>({} as Sub<9007199254740992, 1>);
expectType<-9007199254740992>({} as Sub<0, 9007199254740992>);
expectType<9007199254740991>({} as Sub<9007199254740993, 1>); // that literal IS 2^53 in JavaScript (it rounds)
expectType<Dyn>({} as Sub<9007199254740994, 1>); // an operand past 2^53
expectType<Dyn>({} as Sub<Dyn, 1>);
expectError<22>({} as Sub<28, 5>);

// Div (floor)
expectType<11>({} as Div<23, 2>);
expectType<12>({} as Div<24, 2>);
expectType<0>({} as Div<1, 2>);
expectType<1>({} as Div<7, 7>);
expectType<0>({} as Div<0, 7>);
expectType<4503599627370496>({} as Div<9007199254740992, 2>);
expectType<1>({} as Div<9007199254740992, 9007199254740992>);
expectType<142857142857>({} as Div<999999999999, 7>);
expectType<Dyn>({} as Div<5, 0>); // no quotient: unknown, not a wrong literal
expectType<Dyn>({} as Div<Dyn, 2>);
expectType<Dyn>({} as Div<7, 2.5>);
expectError<12>({} as Div<23, 2>);

// LessThan
expectType<true>({} as LessThan<3, 5>);
expectType<false>({} as LessThan<5, 3>);
expectType<false>({} as LessThan<5, 5>);
expectType<true>({} as LessThan<99, 100>);
expectType<true>({} as LessThan<9007199254740991, 9007199254740992>);
expectType<false>({} as LessThan<1000000, 999999>);
expectType<boolean>({} as LessThan<Dyn, 3>);
expectType<boolean>({} as LessThan<3, -1>);
expectError<false>({} as LessThan<3, 5>);

// Every digit pair, with carries and borrows along whole numbers (the digit tables of arithmetic.ts)
expectType<1082152022374638>({} as Mul<12345678, 87654321>);
expectType<11111111101110>({} as Add<1234567890123, 9876543210987>);
expectType<8641975320>({} as Sub<9876543210, 1234567890>);
expectType<700038>({} as Div<8641975320, 12345>);
expectType<Dyn>({} as Add<1234567890123456, 8765432109876543>); // 9999999999999999 > 2^53
expectType<true>({} as LessThan<1234567890, 1234567891>);
expectType<false>({} as LessThan<9876543210, 9876543201>);

// Product: the values in one example of a shape
expectType<576>({} as Product<[16, 6, 6]>);
expectType<784>({} as Product<[1, 28, 28]>);
expectType<10>({} as Product<[10]>);
expectType<1>({} as Product<[]>);
expectType<150528>({} as Product<[3, 224, 224]>);
expectType<Dyn>({} as Product<[16, Dyn, 6]>);
expectType<Dyn>({} as Product<number[]>); // a shape of unknown length: unknown, not the product of nothing
expectType<Dyn>({} as Product<[2, ...number[]]>);
expectType<Dyn>({} as Product<[100000000, 100000000]>); // 1e16 > 2^53
expectError<577>({} as Product<[16, 6, 6]>);

// flatten / reshape compute element counts with Mul
expectType<Matrix<784, 1>>(flatten(zeros(28, 28)));
expectType<Matrix<Dyn, 1>>(flatten(widen(zeros(28, 28))));
expectType<Matrix<28, 28>>(reshape(zeros(784, 1), 28, 28));
expectType<Matrix<2, 6>>(reshape(zeros(3, 4), 2, 6));
expectType<Matrix<4, 2>>(reshape(widen(zeros(2, 4)), 4, 2));
expectError(reshape(zeros(784, 1), 27, 29));
expectError(reshape(zeros(3, 4), 5, 2));
expectError(reshape(zeros(3, 4), 0, 12));
expectError(flatten(zeros(2, 2), zeros(5, 1)));

// vcat / hcat: sizes add
expectType<Matrix<5, 4>>(vcat(zeros(3, 4), zeros(2, 4)));
expectType<Matrix<3, 9>>(hcat(zeros(3, 4), zeros(3, 5)));
expectType<Matrix<1000, 784>>(vcat(zeros(600, 784), zeros(400, 784)));
expectType<Matrix<Dyn, 4>>(vcat(widen(zeros(3, 4)) as Matrix<Dyn, 4>, zeros(2, 4)));
expectError(vcat(zeros(3, 4), zeros(2, 5)));
expectError(hcat(zeros(3, 4), zeros(2, 4)));
expectError(vcat(zeros(3, 4), zeros(2, 4, "float32")));
