// Audit: spreads, const tuples, optional and variadic tuples, in sequential and mlp.
import { dense, mlp, relu, sequential, sequentialWith, softmax, type Dense, type LayerArg, type Mlp, type Network, type AnyLayer } from "../../../../src/index.js";
import { is } from "../expect.js";

// S01 a const tuple of layers with a mismatch, spread
{
  const layers = [dense(4, 8), relu(), dense(9, 3)] as const;
  void sequential(...layers);
  //              ^^^^^^^^^ sequential layer 3 expects 9 inputs but layer 1 outputs 8
}
// S02 a const tuple of layers, spread
{
  const layers = [dense(4, 8), relu(), dense(8, 3), softmax()] as const;
  is<Mlp<[4, 8, 3]>>()(sequential(...layers));
}
// S03 two const tuples spread one after the other
{
  const head = [dense(4, 8), relu()] as const;
  const tail = [dense(8, 3), softmax()] as const;
  is<Mlp<[4, 8, 3]>>()(sequential(...head, ...tail));
}
// S04 two const tuples that do not meet
{
  const head = [dense(4, 8), relu()] as const;
  const tail = [dense(7, 3), softmax()] as const;
  void sequential(...head, ...tail);
  //                       ^^^^^^^ sequential layer 3 expects 7 inputs but layer 1 outputs 8
}
// S05 an optional element
{
  const layers: [Dense<4, 8>, Dense<8, 3>?] = [dense(4, 8)];
  void sequential(...layers);
  //              ^^^^^^^^^ ~ 'Dense<8, 3> | undefined' is not assignable to parameter of type 'LayerSpec'
}
// S06 a variadic tuple whose fixed ends cannot meet
{
  const layers: [Dense<4, 8>, ...Dense<8, 8>[], Dense<9, 3>] = [dense(4, 8), dense(9, 3)];
  void sequential(...layers); // HOLE: a list of unknown length is checked at run time (src/nn/flow.ts checks fixed positions only); sequential throws
}
// S07 a run-time list of layers: a network of run-time shapes
{
  const list: [LayerArg, ...LayerArg[]] = [dense(4, 8), relu(), dense(8, 3)];
  is<Network<readonly AnyLayer[]>>()(sequential(...list));
}
// S08 mlp with a const tuple spread in the middle
{
  const HIDDEN = [128, 64] as const;
  is<Mlp<[784, 128, 64, 10]>>()(mlp([784, ...HIDDEN, 10]));
}
// S09 mlp with a bad size inside a spread const tuple
{
  const HIDDEN = [128, 0] as const;
  void mlp([784, ...HIDDEN, 10]);
  //                        ^^ mlp expects sizes that are whole numbers 1 or more, got 0
}
// S10 mlp with sizes known at run time in the middle
{
  const hidden: number[] = [128];
  is<Mlp<[784, ...number[], 10]>>()(mlp([784, ...hidden, 10]));
}
// S11 mlp with a string size
{
  void mlp([784, "128", 10]);
  //             ^^^^^ ~ 'string' is not assignable to type 'number'
}
// S12 sequentialWith with a spread list and options
{
  const layers = [dense(4, 8), relu(), dense(8, 3)] as const;
  is<Mlp<[4, 8, 3], "float32">>()(sequentialWith({ dtype: "float32", seed: 2 }, [...layers]));
}
// S13 sequentialWith with a mismatch inside the list
{
  void sequentialWith({ seed: 1 }, [dense(4, 8), relu(), dense(7, 3)]);
  //                                                     ^^^^^^^^^^^ sequential layer 3 expects 7 inputs but layer 1 outputs 8
}
// S14 mlp of an empty spread
{
  const none = [] as const;
  void mlp([...none]);
  //       ^^^^^^^^^ mlp expects at least two sizes (inputs and outputs), got 0
}
