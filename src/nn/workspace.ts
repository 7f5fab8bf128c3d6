/**
 * A workspace: every buffer one forward and backward pass of a network needs for a batch of B
 * examples, allocated once, so that a training step allocates nothing after its first call.
 */
import type { Dyn, SizeArg } from "../shape/dims.js";
import { describe } from "../shape/dims.js";
import { ShapeError, shapeMessage } from "../shape/errors.js";
import type { DType, DataOf, MatrixLike } from "../shape/matrix.js";
import { allocate, checkSize, makeMatrix } from "../shape/matrix.js";
import { longLived, releaseArrays } from "../ops/memory.js";
import type { OutputBuffers } from "./losses/index.js";
import type { LayerBuffers } from "./layer.js";
import type { AnyNetwork } from "./network.js";
import { runtimeOf } from "./network.js";
import type { ActivationsOf, ParamsOf, WeightedSumsOf } from "./types.js";

/** Buffers of network N at batch size B. `z[l]`, `a[l]`, `delta[l]` follow the notes' layer index l. */
export interface Workspace<N extends AnyNetwork, B extends number> {
  readonly net: N;
  readonly batch: B;
  /** z^l = W^l a^(l-1) + b^l for l = 1..L (z[0] is null). */
  readonly z: WeightedSumsOf<N["sizes"], B, N["dtype"]>;
  /** a^l = f(z^l); a[0] is the input x of the last pass. */
  readonly a: ActivationsOf<N["sizes"], B, N["dtype"]>;
  /** delta^l = dE/dz^l for l = 1..L (delta[0] is null). */
  readonly delta: WeightedSumsOf<N["sizes"], B, N["dtype"]>;
  /** The gradient of the mean loss of the last pass. */
  readonly gradients: ParamsOf<N>;
  /** The loss of each example of the last pass. */
  readonly losses: Float64Array;
  /** What `lossAndGradients` returned for the last pass (reused, so a step allocates nothing). */
  readonly result: { loss: number; readonly gradients: ParamsOf<N> };
}

/** A layer's buffers, whose `input` the engine points at a^(l-1) (for layer 1, at each call's x). */
export interface MutableBuffers extends LayerBuffers {
  input: MatrixLike;
}

/** The untyped view the engine loops over (a loop over layers of different shapes cannot keep their literal types). */
export interface WorkspaceView {
  readonly batch: number;
  readonly dtype: DType;
  readonly z: (MatrixLike | null)[];
  readonly a: MatrixLike[];
  readonly delta: (MatrixLike | null)[];
  /** Per layer l (index l), its buffers; index 0 unused. */
  readonly buffers: MutableBuffers[];
  readonly gradients: { readonly weights: (MatrixLike | null)[]; readonly biases: (MatrixLike | null)[] };
  /** Per layer l (index l), its gradient pair, or null for a layer without weights. */
  readonly layerGradients: ({ readonly weights: MatrixLike; readonly bias: MatrixLike } | null)[];
  readonly losses: Float64Array;
  /** The output layer's buffers for the loss; `targets` is set per call. */
  readonly output: { z: DataOf<DType>; a: DataOf<DType>; targets: DataOf<DType>; rows: number; cols: number } & OutputBuffers;
  readonly result: { loss: number; readonly gradients: WorkspaceView["gradients"] };
}

/** A workspace buffer, kept where the kernels read it in place (see ops/memory.ts). */
function buffer(rows: number, cols: number, dtype: DType): MatrixLike {
  return makeMatrix(rows, cols, dtype, longLived(dtype, rows * cols));
}

/**
 * The buffers of `net` for batches of `batch`: with `training`, also the deltas and the gradients.
 * A layer whose activation is the identity (pooling, flatten, a linear output) shares one buffer
 * for z^l and a^l.
 */
export function createBuffers(net: AnyNetwork, batch: number, training: boolean): WorkspaceView {
  const { sizes, dtype, layers } = net;
  // a[0] stands for the input until the first pass points it at that pass's x: ordinary memory, not
  // a heap block (the engine replaces it, so releaseBuffers could not give such a block back).
  const a = sizes.map((n, l) => (l === 0 ? makeMatrix(n, batch, dtype, allocate(dtype, n * batch)) : buffer(n, batch, dtype)));
  const z = sizes.map((n, l) => (l === 0 ? null : layers[l - 1]!.activation === "identity" ? a[l]! : buffer(n, batch, dtype)));
  const delta = sizes.map((n, l) => (l === 0 || !training ? null : buffer(n, batch, dtype)));
  const weights = net.weights.map((w) => (w && training ? buffer(w.rows, w.cols, dtype) : null));
  const biases = net.biases.map((b) => (b && training ? buffer(b.rows, 1, dtype) : null));
  const gradients = { weights, biases };
  const buffers: MutableBuffers[] = [{ input: a[0]!, z: a[0]!, a: a[0]!, batch, scratch: { values: allocate(dtype, 0), indices: new Int32Array(0) } }];
  layers.forEach((layer, i) => {
    const [values, indices] = runtimeOf(layer).scratch(layer, batch);
    buffers.push({ input: a[i]!, z: z[i + 1]!, a: a[i + 1]!, batch, scratch: { values: longLived(dtype, values), indices: new Int32Array(indices) } });
  });
  const layerGradients = [null, ...weights.map((w, i) => (w ? { weights: w, bias: biases[i]! } : null))];
  const L = sizes.length - 1;
  const output = { z: z[L]!.data, a: a[L]!.data, targets: a[L]!.data, rows: sizes[L]!, cols: batch };
  return { batch, dtype, z, a, delta, buffers, gradients, layerGradients, losses: new Float64Array(batch), output, result: { loss: Number.NaN, gradients } };
}

/**
 * Gives the heap blocks of buffers made by `createBuffers` back at once (they must not be used
 * afterwards). fit and evaluate do so for their own buffers when they end: a block returns anyway
 * when its array is garbage collected, but the collector does not see WebAssembly memory, and a
 * CNN's buffers (tens of MB) made by each `fit` call grew the heap by that much per call until a
 * collection happened to run. a[0] is skipped: the engine points it at each call's input.
 */
export function releaseBuffers(view: WorkspaceView): void {
  const matrices = [...view.a.slice(1), ...view.z, ...view.delta, ...view.gradients.weights, ...view.gradients.biases];
  releaseArrays([...matrices.map((m) => m?.data), ...view.buffers.slice(1).map((b) => b.scratch.values)]);
}

/** `createWorkspace(net, 64)`: buffers for batches of 64 examples. */
export function createWorkspace<N extends AnyNetwork, B extends number>(net: N, batch: SizeArg<B, "createWorkspace">): Workspace<N, B> {
  checkNetwork("createWorkspace", net);
  checkSize("createWorkspace", batch);
  const view = createBuffers(net, batch as number, true);
  // view's arrays are built from net.sizes and net's parameters exactly as Workspace<N, B> spells
  // them out; a map over sizes cannot produce the tuple types themselves.
  return Object.assign(view, { net }) as unknown as Workspace<N, B>;
}

/** The untyped view of a workspace. */
export function viewOf<N extends AnyNetwork, B extends number>(ws: Workspace<N, B>): WorkspaceView {
  return ws as unknown as WorkspaceView;
}

/** Throws unless `ws` was made by createWorkspace for `net` and for `batch` examples. */
export function checkWorkspace(op: string, ws: unknown, net: unknown, batch: number): WorkspaceView {
  const w = ws as { readonly net?: unknown; readonly batch?: unknown; readonly buffers?: unknown };
  if (typeof ws !== "object" || ws === null || !Array.isArray(w.buffers)) throw new ShapeError(shapeMessage(op, "a workspace from createWorkspace", describe(ws)));
  if (w.net !== net) throw new ShapeError(shapeMessage(op, "a workspace created for this network", "one of another network"));
  if (w.batch !== batch) throw new ShapeError(shapeMessage(op, `a workspace for batches of ${batch}`, `one for ${String(w.batch)}`));
  return ws as WorkspaceView;
}

/** Throws unless `net` looks like a network this library built (plain-JavaScript callers). */
export function checkNetwork(op: string, net: unknown): asserts net is AnyNetwork {
  const n = net as Partial<AnyNetwork> | null;
  const ok = typeof net === "object" && n !== null && Array.isArray(n.layers) && Array.isArray(n.sizes) && Array.isArray(n.weights) && Array.isArray(n.biases);
  if (!ok) throw new TypeError(`${op} expects a network (from mlp or sequential), got ${describe(net)}`);
}

export type { Dyn };
