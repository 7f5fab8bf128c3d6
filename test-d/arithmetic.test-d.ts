/** Dimension arithmetic (exact, digit by digit) and the ops and summaries that use it. */
import { expectError, expectType } from "tsd";
import {
  flatten, hcat, mlp, reshape, summary, vcat, widen, zeros,
  type Add, type Dyn, type LayerSummary, type Matrix, type Mul, type ParamCount, type Summary,
} from "../src/index.js";

// Add and Mul, small and large; exact well past ts-toolbelt's +-100 and tuple lengths' ~1,000.
expectType<912>({} as Add<784, 128>);
expectType<2>({} as Add<1, 1>);
expectType<100000>({} as Add<99999, 1>);
expectType<1000000000>({} as Add<999999999, 1>);
expectType<784>({} as Mul<28, 28>);
expectType<47040000>({} as Mul<60000, 784>);
expectType<80779853376>({} as Mul<123456, 654321>);
expectType<0>({} as Mul<0, 784>);
expectType<Dyn>({} as Add<Dyn, 3>);
expectType<Dyn>({} as Mul<784, Dyn>);
expectType<Dyn>({} as Mul<number, 2>);
expectError<47040001>({} as Mul<60000, 784>);
expectError<913>({} as Add<784, 128>);

// flatten / reshape
expectType<Matrix<784, 1>>(flatten(zeros(28, 28)));
expectType<Matrix<28, 28>>(reshape(zeros(784, 1), 28, 28));
expectType<Matrix<2, 6>>(reshape(zeros(3, 4), 2, 6));
expectError(reshape(zeros(784, 1), 27, 29));
expectError(reshape(zeros(3, 4), 5, 2));
expectError(reshape(zeros(3, 4), 0, 12));
expectError(flatten(zeros(2, 2), zeros(5, 1)));

// vcat / hcat: sizes add
expectType<Matrix<5, 4>>(vcat(zeros(3, 4), zeros(2, 4)));
expectType<Matrix<3, 9>>(hcat(zeros(3, 4), zeros(3, 5)));
expectType<Matrix<1000, 784>>(vcat(zeros(600, 784), zeros(400, 784)));
expectError(vcat(zeros(3, 4), zeros(2, 5)));
expectError(hcat(zeros(3, 4), zeros(2, 4)));

// Parameter counts and summaries of networks
expectType<101770>({} as ParamCount<[784, 128, 10]>);
expectType<109386>({} as ParamCount<[784, 128, 64, 10]>);
expectType<0>({} as ParamCount<[784]>);
expectError<101771>({} as ParamCount<[784, 128, 10]>);
expectType<[LayerSummary<1, 784, 128>, LayerSummary<2, 128, 10>]>({} as Summary<[784, 128, 10]>);
expectType<"128x784">({} as Summary<[784, 128, 10]>[0]["weights"]);
expectType<100480>({} as Summary<[784, 128, 10]>[0]["params"]);
const s = summary(mlp([784, 128, 10]));
expectType<101770>(s.params);
expectType<1290>(s.layers[1].params);
expectType<string>(s.table);
expectError(summary(zeros(2, 2)));
expectType<Matrix<4, 2>>(reshape(widen(zeros(2, 4)), 4, 2));
