// Issue 10, section 2: structure mistakes, each a compile error whose text names the layer's position.
import {
  argmax, assertShape, dense, flatten, identity, input, mlp, modelFromJSON, oneHot, relu, sequential, sigmoid, softmax, vector, zeros,
} from "../../../src/index.js";

// S2.1 softmax() anywhere but last
{
  void sequential(dense(4, 8), softmax(), dense(8, 3));
  //                           ^^^^^^^^^ sequential layer 2 expects softmax() only as the last layer, got softmax at layer 2 of 3
  void sequential(dense(4, 8), softmax(), dense(8, 3), softmax());
  //                           ^^^^^^^^^ sequential layer 2 expects softmax() only as the last layer, got softmax at layer 2 of 4
}
// S2.2 two activations in a row
{
  void sequential(dense(4, 8), relu(), sigmoid(), dense(8, 3));
  //                                   ^^^^^^^^^ sequential layer 3 expects sigmoid() right after a dense or conv2d layer, got two activations in a row
}
// S2.3 an activation first
{
  void sequential(relu(), dense(4, 8));
  //              ^^^^^^ sequential layer 1 expects relu() right after a dense or conv2d layer, got it first
  void sequential(input(4), identity(), dense(8));
  //                        ^^^^^^^^^^ sequential layer 2 expects identity() right after a dense or conv2d layer, got it after a layer without weights
}
// S2.4 no layer with weights at all
{
  void sequential(input(4), flatten());
  //                        ^^^^^^^^^ sequential expects at least one dense or conv2d layer, got none
  void sequential(input(1, 4, 4), flatten(), flatten());
  //                                         ^^^^^^^^^ sequential expects at least one dense or conv2d layer, got none
}
// S2.5 mlp([784]) and mlp([]): a network needs at least one layer
{
  void mlp([784]);
  //       ^^^^^ mlp expects at least two sizes (inputs and outputs), got 1
  void mlp([]);
  //       ^^ mlp expects at least two sizes (inputs and outputs), got 0
}
// S2.6 the sizes of a model file are checked like mlp's
{
  void modelFromJSON("{}", [784, 10]);
  void modelFromJSON("{}", [784, 0, 10]);
  //                             ^ modelFromJSON expects sizes that are whole numbers 1 or more, got 0
}
// S2.7 a matrix with 0 rows or columns
{
  void vector([]);
  //          ^^ vector expects at least one number, got none
  void oneHot([], 3);
  //          ^^ oneHot expects at least one label, got none
}
// S2.8 assertShape with literal sizes that contradict the matrix's literal sizes (it always throws)
{
  void assertShape(zeros(3, 4), 4, 3);
  //                            ^ assertShape expects 4x3, got 3x4
}
// S2.9 a literal label past the class count, a literal out of the wrong length
{
  void oneHot([0, 5], 3);
  //              ^ oneHot expects whole-number labels in 0..2, got 5 at index 1
  void argmax(zeros(10, 32), [0, 0, 0, 0, 0]);
  //                         ^^^^^^^^^^^^^^^ argmax expects out of length 32 (one per column), got 5
  void argmax(zeros(10, 32), new Int32Array(5)); // an Int32Array's length is not in its type: checked at run time
}
