/** Summaries and parameter counts: exact for literal sizes, `number` (never a wrong literal) otherwise. */
import { expectError, expectType } from "tsd";
import {
  dense, mlp, relu, sequential, summary, zeros,
  type Dyn, type LayerParams, type LayerSummary, type ModelSummary, type Mlp, type ParamCount, type ParamCountOf, type Sum, type Summary,
  type WeightParams,
} from "../src/index.js";

expectType<101770>({} as ParamCount<[784, 128, 10]>);
expectType<109386>({} as ParamCount<[784, 128, 64, 10]>);
expectType<0>({} as ParamCount<[784]>);
expectType<number>({} as ParamCount<number[]>);
expectType<number>({} as ParamCount<[784, ...number[], 10]>);
expectError<101771>({} as ParamCount<[784, 128, 10]>);
expectType<100480>({} as LayerParams<784, 128>);
expectType<40>({} as LayerParams<4, 8>);
expectType<Dyn>({} as LayerParams<Dyn, 8>);
expectType<208>({} as WeightParams<[8, 25]>);
expectType<0>({} as WeightParams<null>);
expectType<6>({} as Sum<[1, 2, 3]>);
expectType<0>({} as Sum<[]>);
expectType<number>({} as Sum<number[]>);
expectType<Dyn>({} as Sum<[1, Dyn]>);

const net = mlp([784, 128, 10]);
const s = summary(net);
expectType<ModelSummary<Mlp<[784, 128, 10]>>>(s);
expectType<101770>(s.params);
expectType<101770>({} as ParamCountOf<typeof net>);
expectType<LayerSummary<1, "dense", [784], [128], [128, 784]>>(s.layers[0]);
expectType<Summary<Mlp<[784, 128, 10]>>>(s.layers);
expectType<"128x784">(s.layers[0].weights);
expectType<"10x1">(s.layers[1].bias);
expectType<100480>(s.layers[0].params);
expectType<1290>(s.layers[1].params);
expectType<2>(s.layers[1].layer);
expectType<string>(s.table);
expectError(summary(zeros(2, 2)));
expectError(summary());

// Sizes not known while compiling: counts are number, rows have number shapes, never a wrong literal.
declare const sizes: number[];
const any = summary(mlp(sizes));
expectType<number>(any.params);
expectType<number>(any.layers[0]!.params);
expectType<number>(any.layers[0]!.layer);
expectType<[number]>(any.layers[0]!.input);
declare const hidden: number[];
const mid = summary(mlp([784, ...hidden, 10]));
expectType<number>(mid.params);
expectType<number>({} as ParamCountOf<Mlp<[784, ...number[], 10]>>);

// A union of networks (flag ? a : b): the union of their counts, each computed for one network.
declare const flag: boolean;
expectType<67 | 139>(summary(flag ? mlp([4, 8, 3]) : mlp([4, 8, 8, 3])).params);
expectType<67 | 139>({} as ParamCount<[4, 8, 3] | [4, 8, 8, 3]>);
expectType<3 | 12>({} as Sum<[1, 2] | [3, 4, 5]>);

// A sequential of dense layers summarises like the same mlp.
expectType<101770>(summary(sequential(dense(784, 128), relu(), dense(128, 10))).params);
