/**
 * A workspace: every buffer one forward and backward pass of a network needs for a batch of B
 * examples, allocated once, so that a training step allocates nothing after its first call.
 */
import { ShapeError, shapeMessage } from "../shape/errors.js";
import type { AnyColumn, AnyMatrix } from "../shape/matrix.js";
import { checkSize } from "../shape/matrix.js";
import type { Size } from "../shape/dims.js";
import type { SizeArg } from "../ops/create.js";
import { widen, zeros } from "../ops/create.js";
import type { Mlp } from "./network.js";
import type { ActivationsOf, Gradients, Sizes, WeightedSumsOf } from "./types.js";

/** Buffers of one network at one batch size. `z[l]`, `a[l]`, `delta[l]` follow the notes' layer index l. */
export interface Workspace<S extends Sizes, B extends number> {
  readonly net: Mlp<S>;
  readonly batch: B;
  /** z^l = W^l a^(l-1) + b^l for l = 1..L (z[0] is null). */
  readonly z: WeightedSumsOf<S, B>;
  /** a^l = f(z^l); a[0] is the input x of the last pass. */
  readonly a: ActivationsOf<S, B>;
  /** delta^l = dE/dz^l for l = 1..L (delta[0] is null). */
  readonly delta: WeightedSumsOf<S, B>;
  /** The gradient of the mean loss of the last pass. */
  readonly gradients: Gradients<S>;
  /** The loss of each example of the last pass. */
  readonly losses: Float64Array;
  /** What `lossAndGradients` returned for the last pass (reused, so a step allocates nothing). */
  readonly result: { loss: number; readonly gradients: Gradients<S> };
}

/** The untyped view the engine loops over (see layerWeights in network.ts for why a loop needs it). */
export interface WorkspaceView {
  readonly batch: number;
  readonly z: (AnyMatrix | null)[];
  readonly a: AnyMatrix[];
  readonly delta: (AnyMatrix | null)[];
  readonly gradients: { readonly weights: AnyMatrix[]; readonly biases: AnyColumn[] };
  readonly losses: Float64Array;
  readonly result: { loss: number; readonly gradients: WorkspaceView["gradients"] };
}

/** `createWorkspace(net, 64)`: buffers for batches of 64 examples. */
export function createWorkspace<S extends Sizes, B extends number>(net: Mlp<S>, batch: SizeArg<B, "createWorkspace">): Workspace<S, Size<B>> {
  checkSize("createWorkspace", batch);
  const sizes = net.sizes;
  const col = (n: number): AnyMatrix => widen(zeros(n, batch as number));
  const gradients = {
    weights: sizes.slice(1).map((n, l) => widen(zeros(n, sizes[l]!))),
    biases: sizes.slice(1).map((n) => zeros(n, 1)),
  };
  const view: WorkspaceView = {
    batch: batch as number,
    z: sizes.map((n, l) => (l === 0 ? null : col(n))),
    a: sizes.map((n) => col(n)),
    delta: sizes.map((n, l) => (l === 0 ? null : col(n))),
    gradients,
    losses: new Float64Array(batch as number),
    result: { loss: Number.NaN, gradients },
  };
  // view's arrays are built from net.sizes exactly as WeightedSumsOf / ActivationsOf / Gradients
  // spell them out; a map over sizes cannot produce the tuple types themselves.
  return { net, ...view } as unknown as Workspace<S, Size<B>>;
}

/** The untyped view of a workspace. */
export function viewOf<S extends Sizes, B extends number>(ws: Workspace<S, B>): WorkspaceView {
  return ws as unknown as WorkspaceView;
}

/** Throws unless `ws` was made for `net` and for `batch` examples. */
export function checkWorkspace(op: string, ws: { readonly net: unknown; readonly batch: number }, net: unknown, batch: number): void {
  if (ws.net !== net) throw new ShapeError(shapeMessage(op, "a workspace created for this network", "one of another network"));
  if (ws.batch !== batch) throw new ShapeError(shapeMessage(op, `a workspace for batches of ${batch}`, `one for ${ws.batch}`));
}

