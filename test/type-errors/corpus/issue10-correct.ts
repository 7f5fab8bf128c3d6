// Issue 10, section 3: correct programs compile, with the stated types (no marker: no error allowed).
import {
  createWorkspace, dataset, dense, forgetSizes, lossAndGradients, mlp, predict, relu, sequential, summary, widen, zeros,
  type AnyMlp, type Dataset, type Matrix, type Mlp, type Sizes, type Workspace,
} from "../../../src/index.js";
import { is } from "./expect.js";

// C3.1 generic code over sizes
{
  function make<N extends number>(k: N) {
    return zeros(k, 3);
  }
  is<Matrix<7, 3>>()(make(7));
  function block<H extends number>(h: H) {
    return sequential(dense(4, h), relu(), dense(h, 3));
  }
  is<Mlp<[4, 16, 3]>>()(block(16));
  function ws<S extends Sizes, B extends number>(net: Mlp<S>, b: B) {
    return createWorkspace(net, b);
  }
  is<Workspace<Mlp<[4, 8, 3]>, 32>>()(ws(mlp([4, 8, 3]), 32));
  function makeMlp<const S extends number[]>(sizes: S) {
    return mlp(sizes);
  }
  is<Mlp<[784, 128, 10]>>()(makeMlp([784, 128, 10]));
}
// C3.2 generic batch sizes in lossAndGradients and createWorkspace
{
  function step<B extends number>(net: Mlp<[4, 8, 3]>, x: Matrix<4, B>, t: Matrix<3, B>, b: B) {
    const w = createWorkspace(net, b);
    is<Workspace<Mlp<[4, 8, 3]>, B>>()(w);
    is<number>()(lossAndGradients(net, x, t, w).loss);
    return predict(net, x);
  }
  is<Matrix<3, 64>>()(step(mlp([4, 8, 3]), zeros(4, 64), zeros(3, 64), 64));
}
// C3.3 as const lists
{
  const SIZES = [784, 128, 10] as const;
  is<Mlp<[784, 128, 10]>>()(mlp(SIZES));
  is<Mlp<[784, 128, 10]>>()(mlp([784, 128, 10] as const));
  is<Mlp<[784, 128, 10]>>()(sequential(dense(784, 128), relu(), dense(128, 10)));
}
// C3.4 forgetting a network's literal sizes on purpose
{
  const net = mlp([4, 8, 3]);
  const nets: AnyMlp[] = [forgetSizes(net), forgetSizes(mlp([784, 10]))];
  is<Mlp<number[]>>()(forgetSizes(net));
  is<Matrix<number, 2>>()(predict(nets[0]!, widen(zeros(4, 2)) as Matrix<number, 2>));
}
// C3.5 a dataset is reported with the sizes written
{
  is<Dataset<5, 3>>()(dataset([[1, 2, 3, 4, 5]], [0], { features: 5, classes: 3 }));
  is<101770>()(summary(mlp([784, 128, 10])).params);
}
