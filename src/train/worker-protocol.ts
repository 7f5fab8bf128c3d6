/**
 * The messages between `trainInWorker` (the page, or Node's main thread) and `serveTraining` (a Web
 * Worker, or a `worker_threads` worker), and the two kinds of message endpoint they run over.
 *
 * The model travels once as the bytes of a safetensors file (`modelToSafetensors`, any architecture;
 * its buffer is transferred; for 784-128-10 it is written in 0.6 ms where JSON text took 17-19 ms
 * on the posting thread, and read in 1.4-1.6 ms where JSON took 14-16 ms: see
 * examples/playground/bench/model-posting.ts); progress travels as small logs (no parameters); the
 * trained parameters travel back once, without a copy: as transferred ArrayBuffers (moved), or, for
 * arrays in the shared kernel heap (src/ops/memory.ts), as views of that shared memory.
 */
import type { Backend } from "../kernels/backend.js";
import type { AdamOptions } from "../optim/adam.js";
import type { MomentumOptions } from "../optim/momentum.js";
import type { SgdOptions } from "../optim/sgd.js";
import type { BatchLog, EarlyStopping, EpochLog, History } from "./fit.js";

/**
 * An optimizer by name and options. An optimizer object (`adam()`) holds functions, which cannot be
 * posted to a worker, so it is refused (`step?: never`).
 */
export type OptimizerSpec =
  | ({ readonly name: "sgd"; readonly step?: never } & SgdOptions)
  | ({ readonly name: "momentum"; readonly step?: never } & MomentumOptions)
  | ({ readonly name: "adam"; readonly step?: never } & AdamOptions);

/** A dataset the worker already holds, by the name its `serveTraining` was given. */
export interface NamedData {
  readonly named: string;
}

/** A dataset posted with the request: each matrix's size and numbers (copied once). */
export interface PostedData {
  readonly inputs: { readonly rows: number; readonly cols: number; readonly data: Float64Array };
  readonly targets: { readonly rows: number; readonly cols: number; readonly data: Float64Array };
}

/** The fit options that can cross to a worker. */
export interface WorkerFitOptions {
  readonly epochs: number;
  readonly optimizer: OptimizerSpec;
  readonly batchSize?: number;
  readonly seed?: number;
  readonly shuffle?: boolean;
  readonly earlyStopping?: EarlyStopping;
}

/** Page to worker: start training. */
export interface TrainRequest {
  readonly type: "shapegrad:train";
  readonly id: number;
  /** `modelToSafetensors(net)`: the architecture and the parameters. */
  readonly model: Uint8Array;
  readonly data: NamedData | PostedData;
  readonly validation?: NamedData | PostedData;
  readonly options: WorkerFitOptions;
  readonly backend?: Backend | "auto";
}

/** Page to worker: stop after the current step. */
export interface StopRequest {
  readonly type: "shapegrad:stop";
  readonly id: number;
}

/** The parameters as they stand: W^l and b^l numbers, layer by layer, their buffers transferred. */
export interface ParameterBuffers {
  readonly weights: Float64Array[];
  readonly biases: Float64Array[];
}

/** Worker to page. `extra` is what the worker's own hook returned for that batch or epoch. */
export type WorkerReply =
  | { readonly type: "shapegrad:started"; readonly id: number; readonly backend: Backend }
  | { readonly type: "shapegrad:batch"; readonly id: number; readonly log: BatchLog; readonly extra?: unknown }
  | { readonly type: "shapegrad:epoch"; readonly id: number; readonly log: EpochLog; readonly extra?: unknown }
  | { readonly type: "shapegrad:done"; readonly id: number; readonly history: History; readonly parameters: ParameterBuffers }
  | {
    readonly type: "shapegrad:failed"; readonly id: number; readonly name: string; readonly message: string;
    /** The parameters of the last completed step, when training had started. */
    readonly parameters?: ParameterBuffers;
  };

/** What a message listener receives from an EventTarget (a Web Worker, a worker's global scope). */
export interface MessageEventLike {
  readonly data?: unknown;
  readonly message?: unknown;
}

/** A browser endpoint: a `Worker`, or a worker's global scope (`self`). */
export interface WebEndpoint {
  postMessage(message: unknown, options: { transfer: ArrayBuffer[] }): void;
  addEventListener(type: "message" | "error", listener: (event: MessageEventLike) => void): void;
  removeEventListener(type: "message" | "error", listener: (event: MessageEventLike) => void): void;
}

/** A Node endpoint: a `worker_threads` `Worker`, or `parentPort` inside one. */
export interface NodeEndpoint {
  postMessage(value: unknown, transferList: ArrayBuffer[]): void;
  on(event: "message" | "error", listener: (value: unknown) => void): unknown;
  off(event: "message" | "error", listener: (value: unknown) => void): unknown;
}

/** Either kind of endpoint. */
export type Endpoint = WebEndpoint | NodeEndpoint;

function isNode(endpoint: Endpoint): endpoint is NodeEndpoint {
  return "on" in endpoint && typeof endpoint.on === "function";
}

/** Posts a message, moving (not copying) the listed buffers. */
export function post(endpoint: Endpoint, message: TrainRequest | StopRequest | WorkerReply, transfer: ArrayBuffer[] = []): void {
  if (isNode(endpoint)) endpoint.postMessage(message, transfer);
  else endpoint.postMessage(message, { transfer });
}

/** Listens for messages and errors; returns the function that stops listening. */
export function listen(endpoint: Endpoint, onMessage: (data: unknown) => void, onError: (error: unknown) => void = () => {}): () => void {
  if (isNode(endpoint)) {
    endpoint.on("message", onMessage);
    endpoint.on("error", onError);
    return () => {
      endpoint.off("message", onMessage);
      endpoint.off("error", onError);
    };
  }
  const message = (event: MessageEventLike) => onMessage(event.data);
  const error = (event: MessageEventLike) => onError(event);
  endpoint.addEventListener("message", message);
  endpoint.addEventListener("error", error);
  return () => {
    endpoint.removeEventListener("message", message);
    endpoint.removeEventListener("error", error);
  };
}

/** Whether a message is one of this protocol's (a page may post its own messages on the same worker). */
export function isProtocolMessage(data: unknown): data is { readonly type: string; readonly id: number } {
  return typeof data === "object" && data !== null && "type" in data && typeof data.type === "string" &&
    data.type.startsWith("shapegrad:") && "id" in data && typeof data.id === "number";
}

/** The distinct buffers under a list of arrays (posting the same buffer twice is an error). */
export function buffersOf(arrays: readonly { readonly buffer: ArrayBufferLike }[]): ArrayBuffer[] {
  const set = new Set<ArrayBuffer>();
  for (const a of arrays) if (a.buffer instanceof ArrayBuffer) set.add(a.buffer);
  return [...set];
}
