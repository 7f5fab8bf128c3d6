/** Row-oriented entry points: fromExamples (features x examples) and predictRows. */
import { expectError, expectType } from "tsd";
import { fromExamples, mlp, predictRows, type Matrix } from "../src/index.js";

expectType<Matrix<2, 3>>(fromExamples([[0, 1], [1, 0], [1, 1]]));
expectType<Matrix<2, 3, "float32">>(fromExamples([[0, 1], [1, 0], [1, 1]], "float32"));
expectError(fromExamples([[0, 1], [1]]));
expectError(fromExamples([]));
expectType<number[][]>(predictRows(mlp([2, 3]), [[0, 1]]));
expectError(predictRows(mlp([2, 3]), "rows"));
