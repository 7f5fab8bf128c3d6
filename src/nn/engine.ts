/**
 * The loop over layers shared by every network. It never asks which kind a layer is: each layer's
 * kind (layers/) computes z^l and passes the error back, each activation's record (activations/)
 * applies f and f', and the loss's record (losses/) gives E and delta^L. A tuple of differently
 * shaped layers cannot be indexed by a loop variable with its literal types, so the loop works on
 * the workspace's untyped view; every buffer in it was shaped from the network's checked layers.
 */
import type { MatrixLike } from "../shape/matrix.js";
import { activations } from "./activations/index.js";
import { losses } from "./losses/index.js";
import type { AnyNetwork } from "./network.js";
import { runtimeOf } from "./network.js";
import type { WorkspaceView } from "./workspace.js";

/** Forward pass: a^0 = x; for l = 1..L, z^l from a^(l-1) by layer l's kind, and a^l = f(z^l). */
export function forwardInto(net: AnyNetwork, x: MatrixLike, ws: WorkspaceView): void {
  ws.a[0] = x;
  ws.buffers[1]!.input = x;
  for (let l = 1; l <= net.layers.length; l++) {
    const layer = net.layers[l - 1]!, f = activations[layer.activation], buffers = ws.buffers[l]!;
    const wrote = runtimeOf(layer).forward(layer, net.weights[l - 1]!, net.biases[l - 1]!, buffers, f.addBiasThenF);
    if (!wrote) f.f(buffers.z.data, buffers.a.data, buffers.a.rows, buffers.a.cols); // a^l = f(z^l)
  }
}

/**
 * The loss of each example into ws.losses (by the network's loss record), and their mean into
 * ws.result.loss. Written there, not returned: a number returned from a call V8 does not inline is
 * a new heap number (16 bytes) per step, while storing it into a number field reuses the field's
 * box (test/cnn-allocation.test.ts measures a step).
 */
export function lossInto(net: AnyNetwork, targets: MatrixLike, ws: WorkspaceView): void {
  ws.output.targets = targets.data;
  losses[net.loss].value(ws.output, ws.losses);
  const each = ws.losses;
  let total = 0;
  for (let j = 0; j < each.length; j++) total += each[j]!;
  ws.result.loss = total / each.length;
}

/**
 * Backward pass after forwardInto, the notes' four equations from the output down: delta^L from
 * the loss, then for l = L..1 the layer's kind writes dE/dW^l, dE/db^l and (W^l)^T delta^l, and
 * delta^(l-1) = f'(z^(l-1)) (.) (W^l)^T delta^l. Gradients are of the mean loss over the batch.
 */
export function backwardInto(net: AnyNetwork, targets: MatrixLike, ws: WorkspaceView): void {
  const L = net.layers.length;
  ws.output.targets = targets.data;
  losses[net.loss].outputDelta(net.layers[L - 1]!.activation, ws.output, ws.delta[L]!.data); // delta^L
  for (let l = L; l >= 1; l--) {
    const layer = net.layers[l - 1]!, deltaPrevious = l > 1 ? ws.delta[l - 1]! : null;
    runtimeOf(layer).backward(layer, net.weights[l - 1]!, ws.buffers[l]!, ws.delta[l]!, ws.layerGradients[l]!, deltaPrevious);
    if (deltaPrevious) {
      // Hidden layers never hold softmax (checked when the network is built), so f' exists.
      const below = net.layers[l - 2]!;
      activations[below.activation].timesDerivative!(ws.z[l - 1]!.data, ws.a[l - 1]!.data, deltaPrevious.data); // (.) f'(z^(l-1))
    }
  }
}
