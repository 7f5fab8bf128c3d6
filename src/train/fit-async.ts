/**
 * `fitAsync(net, data, options)`: the same training loop as `fit` (one generator, `trainingLoop`),
 * driven asynchronously so that a page or a server stays responsive: it awaits `onBatchEnd` and
 * `onEpochEnd`, gives the event loop a turn after every batch (timers, messages, input run between
 * steps), and stops when an `AbortSignal` fires, keeping the parameters of the last completed step.
 */
import type { Dyn } from "../shape/dims.js";
import type { DType } from "../shape/matrix.js";
import type { AnyNetwork } from "../nn/network.js";
import type { InputSizeOf, OutputSizeOf } from "../nn/api.js";
import type { Dataset } from "../data/dataset.js";
import type { BatchLog, EpochLog, FitOptions, History } from "./fit.js";
import { trainingLoop } from "./fit.js";

/**
 * What `fitAsync` needs of an `AbortSignal` (a DOM or Node `AbortSignal` fits). Spelled out here so
 * that the declarations do not depend on the DOM library.
 */
export interface AbortSignalLike {
  readonly aborted: boolean;
  readonly reason?: unknown;
}

/** Options of `fitAsync`: those of `fit`, with callbacks that may return promises, and a signal. */
export interface FitAsyncOptions<In extends number, Out extends number, V extends number = Dyn, DV extends DType = "float64">
  extends Omit<FitOptions<In, Out, V, DV>, "onBatchEnd" | "onEpochEnd"> {
  /** Awaited before the next step. */
  readonly onBatchEnd?: (log: BatchLog) => void | Promise<void>;
  /** Awaited; return (or resolve to) `false` to stop after this epoch. */
  readonly onEpochEnd?: (log: EpochLog) => void | boolean | Promise<void | boolean>;
  /** Checked before every step: once aborted, `fitAsync` rejects with `signal.reason` and the parameters stay those of the last completed step. */
  readonly signal?: AbortSignalLike;
}

/**
 * `await fitAsync(net, train, { epochs: 5, optimizer: adam(), signal })`: `fit` that does not block.
 * Resolves to the same History as `fit` with the same options (same seed, same steps, same numbers);
 * rejects on bad data or options (before any parameter changes), on a TrainingError, or with the
 * signal's reason when aborted.
 */
export async function fitAsync<Net extends AnyNetwork, N extends number, V extends number = Dyn, D extends DType = "float64", DV extends DType = "float64">(
  net: Net, data: Dataset<InputSizeOf<Net>, OutputSizeOf<Net>, N, D>, options: FitAsyncOptions<InputSizeOf<Net>, OutputSizeOf<Net>, V, DV>,
): Promise<History> {
  const signal = options.signal;
  if (signal !== undefined && typeof signal?.aborted !== "boolean") throw new TypeError(`fitAsync expects options.signal to be an AbortSignal, got ${String(signal)}`);
  const loop = trainingLoop(net, data, options, "fitAsync");
  let stop = false;
  for (;;) {
    // Between steps only: an abort leaves the parameters of the last completed step.
    if (signal?.aborted) throw abortReason(signal);
    const next = loop.next(stop);
    if (next.done) return next.value;
    const event = next.value;
    if (event.kind === "batch") await options.onBatchEnd?.(event.log);
    else stop = (await options.onEpochEnd?.(event.log)) === false;
    await yieldToEventLoop();
  }
}

/** The signal's reason (an AbortError DOMException for `controller.abort()`), or an AbortError of our own. */
function abortReason(signal: AbortSignalLike): unknown {
  if (signal.reason !== undefined) return signal.reason;
  const error = new Error("fitAsync was aborted; the parameters are those of the last completed step");
  error.name = "AbortError";
  return error;
}

let channel: { port: { postMessage(message: null): void }; waiting: (() => void)[] } | undefined;

/**
 * One turn of the event loop. Node: `setImmediate` (runs after timers and I/O that are due).
 * Browsers and workers: a MessageChannel message, a task like a timer's, without the 4 ms clamp of
 * nested `setTimeout(0)`. Elsewhere: `setTimeout(0)`.
 */
export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => {
    if (typeof setImmediate === "function") {
      setImmediate(resolve);
      return;
    }
    if (typeof MessageChannel === "function") {
      if (!channel) {
        const { port1, port2 } = new MessageChannel();
        const waiting: (() => void)[] = [];
        port1.onmessage = () => waiting.shift()?.();
        channel = { port: port2, waiting };
      }
      channel.waiting.push(resolve);
      channel.port.postMessage(null);
      return;
    }
    setTimeout(resolve, 0);
  });
}
