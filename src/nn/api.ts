/**
 * The network's public operations: forward, predict, backward, lossAndGradients. Each states its
 * shapes in its signature (inputs In x B, targets Out x B) and checks them again at run time.
 */
import type { InputMessage, TargetsMessage } from "../shape/errors.js";
import { ShapeError, inputMessage, shapeMessage, targetsMessage } from "../shape/errors.js";
import type { AnyMatrix, Fits, Fits2, Matrix } from "../shape/matrix.js";
import { checkMatrix } from "../shape/matrix.js";
import { checkAllFinite } from "../ops/create.js";
import { backwardInto, forwardInto, lossInto } from "./engine.js";
import type { Mlp } from "./network.js";
import type { ActivationsOf, Gradients, InputSize, OutputSize, Sizes, WeightedSumsOf } from "./types.js";
import type { Workspace } from "./workspace.js";
import { checkWorkspace, createWorkspace, viewOf } from "./workspace.js";

/** What `forward` keeps for backprop: z^l and a^l of every layer, typed per layer. */
export interface ForwardPass<S extends Sizes, B extends number> {
  readonly net: Mlp<S>;
  readonly batch: B;
  /** z[l] = z^l = W^l a^(l-1) + b^l (z[0] is null). */
  readonly z: WeightedSumsOf<S, B>;
  /** a[l] = a^l = f(z^l); a[0] = x, a[L] the output (softmax probabilities). */
  readonly a: ActivationsOf<S, B>;
}

/** The inputs argument: `Matrix<In, B>` when its row count is the network's input size, else a ShapeError. */
export type InputsArg<S extends Sizes, Op extends string, R extends number, B extends number> =
  Fits<R, InputSize<S>, Matrix<R, B>, ShapeError<InputMessage<Op, InputSize<S>, R, B>>>;

/** The targets argument: `Matrix<Out, B>` (outputs x examples), else a ShapeError. */
export type TargetsArg<S extends Sizes, Op extends string, B extends number, TR extends number, TC extends number> =
  Fits2<TR, TC, OutputSize<S>, B, Matrix<TR, TC>, ShapeError<TargetsMessage<Op, OutputSize<S>, B, TR, TC>>>;

/** Run-time check of the inputs: a matrix of the net's input size, all numbers finite. */
export function checkInputs(op: string, net: { readonly sizes: Sizes }, x: unknown): AnyMatrix {
  checkMatrix(op, x);
  if (x.rows !== net.sizes[0]) throw new ShapeError(inputMessage(op, net.sizes[0]!, x.rows, x.cols));
  checkAllFinite(op, x.data);
  return x;
}

/** Run-time check of the targets: outputs x batch, all numbers finite. */
export function checkTargets(op: string, net: { readonly sizes: Sizes }, t: unknown, batch: number): AnyMatrix {
  checkMatrix(op, t);
  const out = net.sizes[net.sizes.length - 1]!;
  if (t.rows !== out || t.cols !== batch) throw new ShapeError(targetsMessage(op, out, batch, t.rows, t.cols));
  checkAllFinite(op, t.data);
  return t;
}

/** `forward(net, x)`: x is In x B; keeps z^l and a^l of every layer for `backward`. */
export function forward<S extends Sizes, R extends number, B extends number>(
  net: Mlp<S>, x: InputsArg<S, "forward", R, B>,
): ForwardPass<S, B> {
  const inputs = checkInputs("forward", net, x);
  const ws = createWorkspace(net, inputs.cols);
  forwardInto(net, inputs, viewOf(ws));
  // The workspace was created for net at batch inputs.cols, which is B.
  return ws as unknown as ForwardPass<S, B>;
}

/** `predict(net, x)`: the output a^L for inputs x (In x B), as Out x B (softmax probabilities per column). */
export function predict<S extends Sizes, R extends number, B extends number>(
  net: Mlp<S>, x: InputsArg<S, "predict", R, B>,
): Matrix<OutputSize<S>, B> {
  const inputs = checkInputs("predict", net, x);
  const ws = viewOf(createWorkspace(net, inputs.cols));
  forwardInto(net, inputs, ws);
  // a^L is OutputSize<S> x B by construction of the workspace.
  return ws.a[ws.a.length - 1] as unknown as Matrix<OutputSize<S>, B>;
}

/** `backward(net, pass, targets)`: dE/dW^l and dE/db^l of the mean loss, typed like the parameters. */
export function backward<S extends Sizes, B extends number, TR extends number, TC extends number>(
  net: Mlp<S>, pass: ForwardPass<NoInfer<S>, B>, targets: TargetsArg<S, "backward", B, TR, TC>,
): Gradients<S> {
  if (pass.net !== net) throw new ShapeError(shapeMessage("backward", "the forward pass of this network", "the pass of another network"));
  const t = checkTargets("backward", net, targets, pass.batch);
  // A ForwardPass is a Workspace (forward creates it), so it has room for the gradients too.
  const ws = viewOf(pass as unknown as Workspace<S, B>);
  backwardInto(net, t, ws);
  // The workspace's gradient buffers were built from net.sizes, which Gradients<S> spells out.
  return ws.gradients as unknown as Gradients<S>;
}

/** The mean loss over a batch and its gradients. */
export interface LossAndGradients<S extends Sizes> {
  /** Mean of the per-example losses. */
  readonly loss: number;
  readonly gradients: Gradients<S>;
}

/**
 * `lossAndGradients(net, x, targets)`: forward, the mean loss over the batch (cross-entropy in the
 * log-sum-exp form, or mean squared error) and backward. With a `workspace` (from
 * `createWorkspace(net, B)`) nothing is allocated: the result is `workspace.result`, and the
 * gradients live in `workspace.gradients`, both overwritten by the next call with that workspace.
 */
export function lossAndGradients<S extends Sizes, R extends number, B extends number, TR extends number, TC extends number>(
  net: Mlp<S>, x: InputsArg<S, "lossAndGradients", R, B>, targets: TargetsArg<S, "lossAndGradients", B, TR, TC>,
  workspace?: Workspace<NoInfer<S>, NoInfer<B>>,
): LossAndGradients<S> {
  const inputs = checkInputs("lossAndGradients", net, x);
  const t = checkTargets("lossAndGradients", net, targets, inputs.cols);
  if (workspace) checkWorkspace("lossAndGradients", workspace, net, inputs.cols);
  const ws = workspace ? viewOf(workspace) : viewOf(createWorkspace(net, inputs.cols));
  forwardInto(net, inputs, ws);
  ws.result.loss = lossInto(net, t, ws);
  backwardInto(net, t, ws);
  // As in backward: the gradient buffers were built from net.sizes.
  return ws.result as unknown as LossAndGradients<S>;
}
