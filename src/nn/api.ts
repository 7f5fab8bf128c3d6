/**
 * The network's public operations: forward, predict, backward, lossAndGradients. Each states its
 * shapes in its signature (inputs In x B, targets Out x B, of the network's element type) and
 * checks them again at run time. They take any network N (an `Mlp`, a convolutional `Network`)
 * and read its sizes from N.
 */
import type { ShowDim } from "../shape/dims.js";
import type { Fits, Fits2, DType, Matrix, MatrixLike, SameDType } from "../shape/matrix.js";
import { allocate, checkMatrix, dtypeOf, makeMatrix } from "../shape/matrix.js";
import { describe } from "../shape/dims.js";
import type { InputMessage, ShapeMessage, TargetsMessage } from "../shape/errors.js";
import { ShapeError, dtypeMessage, inputMessage, shapeMessage, targetsMessage } from "../shape/errors.js";
import { checkAllFinite, checkFinite } from "../ops/create.js";
import type { OutArg } from "../ops/out.js";
import { result } from "../ops/out.js";
import { backwardInto, forwardInto, lossInto } from "./engine.js";
import type { AnyNetwork } from "./network.js";
import type { ActivationsOf, InputSize, OutputSize, ParamsOf, WeightedSumsOf } from "./types.js";
import type { Workspace, WorkspaceView } from "./workspace.js";
import { checkNetwork, checkWorkspace, createBuffers, createWorkspace, viewOf } from "./workspace.js";

/** `InputSizeOf<Mlp<[784, 128, 10]>>` is `784`: the values in one example a network takes. */
export type InputSizeOf<N extends AnyNetwork> = InputSize<N["sizes"]>;
/** `OutputSizeOf<Mlp<[784, 128, 10]>>` is `10`. */
export type OutputSizeOf<N extends AnyNetwork> = OutputSize<N["sizes"]>;

/** What `forward` keeps for backprop: z^l and a^l of every layer, typed per layer. */
export interface ForwardPass<N extends AnyNetwork, B extends number> {
  readonly net: N;
  readonly batch: B;
  /** z[l] = z^l = W^l a^(l-1) + b^l (z[0] is null). */
  readonly z: WeightedSumsOf<N["sizes"], B, N["dtype"]>;
  /** a[l] = a^l = f(z^l); a[0] = x, a[L] the output (softmax probabilities). */
  readonly a: ActivationsOf<N["sizes"], B, N["dtype"]>;
}

/** The inputs argument: `Matrix<In, B>` of the network's element type when its row count is the network's input size, else a ShapeError. */
export type InputsArg<N extends AnyNetwork, Op extends string, R extends number, B extends number, D extends DType> =
  Fits<R, InputSizeOf<N>, SameDType<Op, N["dtype"], D, Matrix<R, B, D>>, ShapeError<InputMessage<Op, InputSizeOf<N>, R, B>>>;

/** The targets argument: `Matrix<Out, B>` (outputs x examples), else a ShapeError. */
export type TargetsArg<N extends AnyNetwork, Op extends string, B extends number, TR extends number, TC extends number, D extends DType> =
  Fits2<TR, TC, OutputSizeOf<N>, B, SameDType<Op, N["dtype"], D, Matrix<TR, TC, D>>, ShapeError<TargetsMessage<Op, OutputSizeOf<N>, B, TR, TC>>>;

/** Run-time check of the inputs: a matrix of the net's input size and element type, all numbers finite. */
export function checkInputs(op: string, net: AnyNetwork, x: unknown): MatrixLike {
  checkNetwork(op, net);
  checkMatrix(op, x);
  if (x.rows !== net.sizes[0]) throw new ShapeError(inputMessage(op, net.sizes[0]!, x.rows, x.cols));
  if (dtypeOf(x.data) !== net.dtype) throw new ShapeError(dtypeMessage(op, net.dtype, dtypeOf(x.data)));
  checkAllFinite(op, x.data);
  return x;
}

/** Run-time check of the targets: outputs x batch, the net's element type, all numbers finite. */
export function checkTargets(op: string, net: AnyNetwork, t: unknown, batch: number): MatrixLike {
  checkMatrix(op, t);
  const out = net.sizes[net.sizes.length - 1]!;
  if (t.rows !== out || t.cols !== batch) throw new ShapeError(targetsMessage(op, out, batch, t.rows, t.cols));
  if (dtypeOf(t.data) !== net.dtype) throw new ShapeError(dtypeMessage(op, net.dtype, dtypeOf(t.data)));
  checkAllFinite(op, t.data);
  return t;
}

/** `forward(net, x)`: x is In x B; keeps z^l and a^l of every layer for `backward`. */
export function forward<N extends AnyNetwork, R extends number, B extends number, D extends DType = N["dtype"]>(
  net: N, x: InputsArg<N, "forward", R, B, D>,
): ForwardPass<N, B> {
  const inputs = checkInputs("forward", net, x);
  const ws = createWorkspace(net, inputs.cols);
  forwardInto(net, inputs, viewOf(ws));
  // The workspace was created for net at batch inputs.cols, which is B.
  return ws as unknown as ForwardPass<N, B>;
}

/** Forward-only buffers per network and batch size, so `predict` allocates nothing after its first call (with `out`). */
const inference = new WeakMap<AnyNetwork, Map<number, WorkspaceView>>();

function inferenceBuffers(net: AnyNetwork, batch: number): WorkspaceView {
  let byBatch = inference.get(net);
  if (byBatch === undefined) inference.set(net, (byBatch = new Map()));
  let ws = byBatch.get(batch);
  if (ws === undefined) {
    if (byBatch.size >= 8) byBatch.clear(); // a few batch sizes per network; many cannot grow without bound
    byBatch.set(batch, (ws = createBuffers(net, batch, false)));
  }
  return ws;
}

/**
 * `predict(net, x)`: the output a^L for inputs x (In x B), as Out x B (softmax probabilities per
 * column). Runs on forward-only buffers kept per network and batch size; with `out` (an Out x B
 * matrix) it allocates nothing after its first call for that batch size.
 */
export function predict<
  N extends AnyNetwork, R extends number, B extends number, D extends DType = N["dtype"],
  R3 extends number = OutputSizeOf<N>, C3 extends number = B, D3 extends DType = N["dtype"],
>(
  net: N, x: InputsArg<N, "predict", R, B, D>, out?: OutArg<"predict", OutputSizeOf<N>, B, N["dtype"], R3, C3, D3>,
): Matrix<OutputSizeOf<N>, B, N["dtype"]> {
  const inputs = checkInputs("predict", net, x);
  const ws = inferenceBuffers(net, inputs.cols);
  forwardInto(net, inputs, ws);
  const output = ws.a[ws.a.length - 1]!;
  const o = result<OutputSizeOf<N>, B, N["dtype"]>("predict", output.rows, output.cols, net.dtype, out);
  o.data.set(output.data);
  return o;
}

/**
 * `predictRows(net, [[...784 numbers], [...]])`: one example per row in, one row of outputs per
 * example out (`number[][]`), for callers holding data as TensorFlow.js does ([batch, features]).
 * Each row must have the network's input size; nothing is transposed by guesswork.
 */
export function predictRows<N extends AnyNetwork>(net: N, rows: readonly ArrayLike<number>[]): number[][] {
  checkNetwork("predictRows", net);
  if (!Array.isArray(rows) || rows.length === 0) throw new ShapeError(shapeMessage("predictRows", "at least one row (one example per row)", Array.isArray(rows) ? "none" : describe(rows)));
  const n = net.sizes[0]!, b = rows.length;
  const x = allocate(net.dtype, n * b);
  rows.forEach((row: unknown, j) => {
    const r = row as ArrayLike<number> | null;
    if (r == null || typeof r.length !== "number" || r.length !== n) {
      throw new ShapeError(shapeMessage("predictRows", `rows of ${n} values (one example per row)`, `${r == null || typeof r.length !== "number" ? describe(row) : r.length} in row ${j}`));
    }
    for (let i = 0; i < n; i++) {
      const v = r[i]!;
      if (typeof v !== "number" || !Number.isFinite(v)) checkFinite("predictRows", v, `row ${j} value ${i}`);
      x[i * b + j] = v;
    }
  });
  const inputs = makeMatrix(n, b, net.dtype, x);
  const ws = inferenceBuffers(net, b);
  forwardInto(net, inputs, ws);
  const output = ws.a[ws.a.length - 1]!, k = output.rows;
  return Array.from({ length: b }, (_, j) => Array.from({ length: k }, (_, i) => output.data[i * b + j]!));
}

/**
 * The pass argument of `backward`: a forward pass of this network (compared both ways, so a union of
 * networks is refused too), else a ShapeError with the run-time check's words.
 */
export type PassArg<N extends AnyNetwork, PN extends AnyNetwork, B extends number> = [PN, N] extends [N, PN]
  ? ForwardPass<PN, B>
  : ShapeError<ShapeMessage<"backward", "the forward pass of this network", "the pass of another network">>;

/** `backward(net, pass, targets)`: dE/dW^l and dE/db^l of the mean loss, typed like the parameters. */
export function backward<
  N extends AnyNetwork, B extends number, TR extends number, TC extends number, D extends DType = N["dtype"], PN extends AnyNetwork = N,
>(
  net: N, pass: PassArg<N, PN, B>, targets: TargetsArg<N, "backward", B, TR, TC, D>,
): ParamsOf<N> {
  // PassArg is ForwardPass<PN, B> in every call that compiles (and PN is N); plain JavaScript may pass
  // anything, so read it as a possible pass and check that it is this network's.
  const given: unknown = pass;
  const p = given as { readonly net?: unknown; readonly batch: number } | null | undefined;
  if (p?.net !== net) throw new ShapeError(shapeMessage("backward", "the forward pass of this network", "the pass of another network"));
  const t = checkTargets("backward", net, targets, p.batch);
  // A ForwardPass is a Workspace (forward creates it), so it has room for the gradients too.
  const ws = viewOf(pass as unknown as Workspace<N, B>);
  backwardInto(net, t, ws);
  // The workspace's gradient buffers were built from net's parameters, which ParamsOf<N> spells out.
  return ws.gradients as unknown as ParamsOf<N>;
}

/** The mean loss over a batch and its gradients. */
export interface LossAndGradients<N extends AnyNetwork> {
  /** Mean of the per-example losses. */
  readonly loss: number;
  readonly gradients: ParamsOf<N>;
}

/**
 * The workspace argument of `lossAndGradients`: one made for this network and this batch size, else
 * a ShapeError. The networks are compared both ways, so a workspace of one network is refused for a
 * union of networks (`flag ? a : b`), which may be the other one at run time.
 */
export type WorkspaceArg<N extends AnyNetwork, B extends number, WN extends AnyNetwork, WB extends number> =
  [WN, N] extends [N, WN] ? Fits<WB, B, Workspace<WN, WB>, ShapeError<`lossAndGradients expects a workspace for batches of ${ShowDim<B>}, got one for ${ShowDim<WB>}`>>
  : ShapeError<"lossAndGradients expects a workspace created for this network, got one of another network">;

/**
 * `lossAndGradients(net, x, targets)`: forward, the mean loss over the batch (cross-entropy in the
 * log-sum-exp form, or mean squared error) and backward. With a `workspace` (from
 * `createWorkspace(net, B)`) nothing is allocated: the result is `workspace.result`, and the
 * gradients live in `workspace.gradients`, both overwritten by the next call with that workspace.
 */
export function lossAndGradients<
  N extends AnyNetwork, R extends number, B extends number, TR extends number, TC extends number,
  D extends DType = N["dtype"], D2 extends DType = N["dtype"], WN extends AnyNetwork = N, WB extends number = B,
>(
  net: N, x: InputsArg<N, "lossAndGradients", R, B, D>, targets: TargetsArg<N, "lossAndGradients", B, TR, TC, D2>,
  workspace?: WorkspaceArg<N, B, WN, WB>,
): LossAndGradients<N> {
  const inputs = checkInputs("lossAndGradients", net, x);
  const t = checkTargets("lossAndGradients", net, targets, inputs.cols);
  const ws = workspace === undefined ? viewOf(createWorkspace(net, inputs.cols)) : checkWorkspace("lossAndGradients", workspace, net, inputs.cols);
  forwardInto(net, inputs, ws);
  lossInto(net, t, ws); // ws.result.loss
  backwardInto(net, t, ws);
  // As in backward: the gradient buffers were built from net's parameters.
  return ws.result as unknown as LossAndGradients<N>;
}
