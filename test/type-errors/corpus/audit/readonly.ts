// Audit: a network's lists and a workspace's buffers cannot be reordered or replaced.
import { createWorkspace, dense, forward, lossAndGradients, mlp, predict, relu, sequential, zeros, type Matrix } from "../../../../src/index.js";
import { is } from "../expect.js";

// R01 reverse the weights
{
  mlp([4, 8, 3]).weights.reverse();
  //                     ^^^^^^^ ~ Property 'reverse' does not exist on type 'readonly [
}
// R02 replace one weight matrix
{
  const net = mlp([4, 8, 3]);
  net.weights[0] = net.weights[0];
  //          ^ ~ Cannot assign to '0' because it is a read-only property.
}
// R03 sort the biases
{
  mlp([4, 8, 3]).biases.sort();
  //                    ^^^^ ~ Property 'sort' does not exist on type 'readonly [
}
// R04 reverse the sizes
{
  mlp([4, 8, 3]).sizes.reverse();
  //                   ^^^^^^^ ~ Property 'reverse' does not exist on type 'readonly [
}
// R05 the layers of a sequential network
{
  sequential(dense(4, 8), relu(), dense(8, 3)).layers.reverse();
  //                                                  ^^^^^^^ ~ Property 'reverse' does not exist on type 'readonly [
}
// R06 the gradients returned by lossAndGradients
{
  const net = mlp([4, 8, 3]);
  lossAndGradients(net, zeros(4, 2), zeros(3, 2)).gradients.biases.reverse();
  //                                                               ^^^^^^^ ~ Property 'reverse' does not exist on type 'readonly [
}
// R07 a workspace's activations
{
  createWorkspace(mlp([4, 8, 3]), 2).a.reverse();
  //                                   ^^^^^^^ ~ Property 'reverse' does not exist on type 'readonly [
}
// R08 a forward pass's weighted inputs
{
  forward(mlp([4, 8, 3]), zeros(4, 2)).z.reverse();
  //                                     ^^^^^^^ ~ Property 'reverse' does not exist on type 'readonly [
}
// R09 the weights into a mutable array type
{
  const list: Matrix<number, number>[] = mlp([4, 8, 3]).weights;
  //    ^^^^ ~ The type 'readonly [Matrix<8, 4, "float64">, Matrix<3, 8, "float64">]' is 'readonly' and cannot be assigned to the mutable type 'Matrix<number, number, "float64">[]'.
  void list;
}
// R10 reading is fine, and the numbers inside may change (that is what the optimizers do)
{
  const net = mlp([4, 8, 3]);
  is<Matrix<8, 4>>()(net.weights[0]);
  net.weights[0].data[0] = 1;
  is<readonly [4, 8, 3]>()(net.sizes);
}
// R11 Array.prototype.reverse borrowed with call: the standard library types accept any this
{
  Array.prototype.reverse.call(mlp([4, 8, 3]).weights); // HOLE: lib.d.ts types Function.call's this loosely; the next use of the network throws a ShapeError
}
// R12 Object.assign onto the weights
{
  const net = mlp([4, 8, 3]);
  Object.assign(net.weights, [net.weights[1], net.weights[0]]); // HOLE: Object.assign accepts any target object; the next use throws a ShapeError
}
// R13 a forged network: the fields spread from a real one, the weights swapped
{
  const net = mlp([4, 8, 3]);
  const forged = { ...net, weights: [net.weights[1], net.weights[0]] as const };
  void predict(forged, zeros(4, 2)); // HOLE: networks carry no brand (src/nn/network.ts), so a spread copy with other weights passes; predict throws a ShapeError
}
// R14 a copy of the weights can be reordered freely (it is the caller's array)
{
  const copy = [...mlp([4, 8, 3]).weights].reverse();
  is<(Matrix<8, 4> | Matrix<3, 8>)[]>()(copy);
}
