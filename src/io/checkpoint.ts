/**
 * Checkpoints: everything `fit` needs to continue an interrupted run exactly, in ONE file,
 * `DIR/checkpoint.safetensors`, replaced atomically (so a crash while saving leaves the previous
 * checkpoint whole, never a model of one epoch beside an optimizer of another):
 *
 * - `model.0.weight`, `model.0.bias`, ...: the network (names of tensors.ts, prefixed `model.`);
 * - `optimizer.m.0.weight`, `optimizer.v.0.weight`, ... (Adam), `optimizer.velocity.0.weight`, ...
 *   (momentum): the optimizer's buffers, shaped like the parameters;
 * - `shuffle.order` (I32): the examples' order after the last epoch;
 * - `__metadata__`: format "shapegrad-checkpoint", version, the model's sizes, activations, loss
 *   and dtype, the epoch, the optimizer's name, settings and step count, the fit settings, the
 *   shuffling generator's state, the history so far and the caller's own strings, as JSON texts.
 */
import { mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { DType } from "../shape/matrix.js";
import type { AnyMlp, AnyNetwork, Mlp } from "../nn/network.js";
import type { RngState } from "../ops/random.js";
import { rngFromState } from "../ops/random.js";
import type { Optimizer, OptimizerSettings, OptimizerState } from "../optim/optimizer.js";
import { adam } from "../optim/adam.js";
import { momentum } from "../optim/momentum.js";
import { sgd } from "../optim/sgd.js";
import type { EpochLog, ShuffleState } from "../train/fit.js";
import { describeNetwork } from "./architecture.js";
import { ModelFormatError } from "./errors.js";
import type { Fail } from "./errors.js";
import type { FileFacts, LoadOptions, Settings, ExpectedArg, ExpectedKind, Loaded } from "./expected.js";
import { loadSettings } from "./expected.js";
import { MODEL_FORMAT } from "./model-json.js";
import { checkEntry, fileFacts, modelFromHeader, modelMetadata, modelTensors } from "./model-safetensors.js";
import type { TensorEntry, TensorToWrite } from "./safetensors.js";
import { readFloats, readInt32, readSafetensorsHeader, safetensorsChunks } from "./safetensors.js";
import { checkFiniteParameters, firstNonFinite, tensorData, tensorIndex, tensorLayout } from "./tensors.js";
import { writeAtomic } from "./file.js";

export const CHECKPOINT_FORMAT = "shapegrad-checkpoint";
/** Version 2 holds any network (its architecture as in model files); version 1 files (dense networks) still load. */
export const CHECKPOINT_VERSION = 2;
/** The file a checkpoint folder holds. */
export const CHECKPOINT_FILE = "checkpoint.safetensors";

/** The settings of `fit` that a resumed run must repeat (defaults as in `fit`). */
export interface CheckpointFitSettings {
  /** The run's planned number of epochs. */
  readonly epochs: number;
  readonly batchSize?: number;
  readonly seed?: number;
  readonly shuffle?: boolean;
}

/** What `saveCheckpoint` writes. */
export interface CheckpointInput<N extends AnyNetwork = AnyNetwork> {
  readonly net: N;
  readonly optimizer: Optimizer;
  /** Epochs completed. */
  readonly epoch: number;
  readonly fit: CheckpointFitSettings;
  /** The shuffling state after `epoch` (fit's `onEpochEnd` second argument); without it a resume replays the shuffles from the seed. */
  readonly shuffle?: ShuffleState;
  /** The epochs so far (e.g. `history.epochs`), to continue curves. */
  readonly history?: readonly EpochLog[];
  /** The caller's own strings (e.g. command-line settings), returned as they were. */
  readonly metadata?: Readonly<Record<string, string>>;
}

/** The options to spread into `fit` to continue: `fit(c.net, train, { ...c.fitOptions, validation })`. */
export interface ResumeOptions {
  readonly epochs: number;
  readonly batchSize: number;
  readonly seed: number;
  readonly shuffle: boolean;
  readonly optimizer: Optimizer;
  readonly initialEpoch: number;
  readonly shuffleState?: ShuffleState;
}

/** What `loadCheckpoint` returns: the network and an optimizer holding the saved state, and the rest. */
export interface Checkpoint<N extends AnyNetwork = AnyMlp> {
  readonly net: N;
  readonly optimizer: Optimizer;
  readonly epoch: number;
  readonly fit: Required<CheckpointFitSettings>;
  readonly shuffle: ShuffleState | undefined;
  readonly history: EpochLog[];
  readonly metadata: Record<string, string>;
  readonly fitOptions: ResumeOptions;
}

/**
 * `saveCheckpoint("out", { net, optimizer, epoch, fit: { epochs, batchSize, seed }, shuffle })`:
 * writes `out/checkpoint.safetensors` atomically (creating the folder). Refuses non-finite
 * parameters or optimizer buffers, leaving any previous checkpoint as it was.
 */
export function saveCheckpoint<N extends AnyNetwork>(dir: string, input: CheckpointInput<N>): void {
  const op = "saveCheckpoint";
  const { net, optimizer, epoch } = input;
  if (typeof optimizer?.getState !== "function") throw new TypeError(`${op} expects an optimizer (sgd, momentum or adam), got ${String(optimizer)}`);
  if (!Number.isSafeInteger(epoch) || epoch < 0) throw new RangeError(`${op} expects epoch a whole number of 0 or more, got ${String(epoch)}`);
  const fit = fitSettings(op, input.fit, (m) => new RangeError(`${op} ${m}`));
  checkFiniteParameters(op, net);
  const arch = describeNetwork(op, net);
  const state = optimizer.getState(net);
  const tensors: TensorToWrite[] = modelTensors(net, "model.");
  for (const [buffer, params] of Object.entries(state.buffers)) {
    for (const spec of tensorLayout(arch)) {
      const data = tensorData(params, spec);
      const at = firstNonFinite(data);
      if (at >= 0) throw new RangeError(`${op} refuses to save an optimizer state holding ${data[at]} in buffer ${buffer}, tensor "${spec.name}" at ${tensorIndex(spec.shape, at)}; nothing was written`);
      tensors.push({ name: `optimizer.${buffer}.${spec.name}`, shape: spec.shape, data });
    }
  }
  if (input.shuffle !== undefined) tensors.push({ name: "shuffle.order", shape: [input.shuffle.order.length], data: Int32Array.from(input.shuffle.order) });
  const metadata: Record<string, string> = {
    ...modelMetadata(arch),
    format: CHECKPOINT_FORMAT,
    version: String(CHECKPOINT_VERSION),
    epoch: String(epoch),
    optimizer: JSON.stringify({ name: state.name, settings: state.settings, steps: state.steps }),
    fit: JSON.stringify(fit),
    history: JSON.stringify(input.history ?? []),
    user: JSON.stringify(input.metadata ?? {}),
  };
  if (input.shuffle !== undefined) metadata.rng = JSON.stringify(input.shuffle.rng);
  mkdirSync(dir, { recursive: true });
  writeAtomic(op, join(dir, CHECKPOINT_FILE), safetensorsChunks(tensors, metadata));
}

/**
 * `loadCheckpoint("out", [784, 128, 10])`: the network (typed by the expected architecture, as
 * `loadModel` types it: sizes, the layer list, "any", or nothing for a dense network), an
 * optimizer of the saved kind and settings holding the saved state, the epoch, and `fitOptions` to
 * continue. A damaged or inconsistent file is a ModelFormatError naming the file and what is wrong.
 */
export function loadCheckpoint<const E extends ExpectedKind, D extends DType = "float64">(dir: string, expected: ExpectedArg<E, "loadCheckpoint">, options?: LoadOptions<D>): Checkpoint<Loaded<E, D>>;
export function loadCheckpoint(dir: string): Checkpoint<Mlp<number[]>>;
export function loadCheckpoint(dir: string, expected?: unknown, options?: LoadOptions<DType>): unknown {
  const op = "loadCheckpoint";
  const path = join(dir, CHECKPOINT_FILE);
  const fail = (message: string) => new ModelFormatError(`${path}: ${message}`, op);
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw Object.assign(new Error(`loadCheckpoint cannot read ${path}: ${code === "ENOENT" ? "no such file (is this the folder of a run that saved checkpoints?)" : (e as Error).message}`, { cause: e }), { code });
  }
  const header = readSafetensorsHeader(bytes, fail);
  const meta = header.metadata ?? {};
  if (meta.format !== CHECKPOINT_FORMAT) throw fail(`expects format "${CHECKPOINT_FORMAT}" in __metadata__, got ${JSON.stringify(meta.format)}`);
  if (meta.version !== "1" && meta.version !== String(CHECKPOINT_VERSION)) throw fail(`unknown version ${JSON.stringify(meta.version)} (this library reads versions 1 and ${CHECKPOINT_VERSION})`);
  const epoch = Number(meta.epoch);
  if (!Number.isSafeInteger(epoch) || epoch < 0) throw fail(`expects epoch a whole number of 0 or more, got ${JSON.stringify(meta.epoch)}`);
  const fit = fitSettings("expects", json(meta, "fit", fail), fail);
  // Each field is checked where it is used: name and settings by makeOptimizer, steps by setState.
  const saved = (json(meta, "optimizer", fail) ?? {}) as { name?: unknown; settings?: OptimizerSettings; steps?: unknown };
  const optimizer = makeOptimizer(saved, fail);
  // Checkpoint version 1 holds a model of metadata version 1, version 2 one of version 2.
  const facts = fileFacts({ ...meta, format: MODEL_FORMAT, version: meta.version }, fail);
  const { dtype, convert } = loadSettings(op, options);
  const settings: Settings = { dtype, convert };
  const net = modelFromHeader(bytes, header, facts, expected, options, "model.", fail, (name) => !name.startsWith("model."), op);
  restoreOptimizer(bytes, header.tensors, net, facts, settings, optimizer, saved.steps, fail);
  const shuffle = readShuffle(bytes, header.tensors, meta, fail);
  const history = json(meta, "history", fail);
  const user = json(meta, "user", fail);
  if (!Array.isArray(history)) throw fail("expects history a JSON list");
  history.forEach((e: unknown, i) => {
    const log = e as Record<string, unknown> | null;
    const numbers = ["epoch", "epochs", "loss", "accuracy", "seconds"].every((k) => typeof log?.[k] === "number");
    const optional = ["validationLoss", "validationAccuracy"].every((k) => log?.[k] === undefined || typeof log[k] === "number");
    if (typeof e !== "object" || e === null || !numbers || !optional) throw fail(`expects history entry ${i} an epoch log (epoch, epochs, loss, accuracy, seconds), got ${JSON.stringify(e)}`);
  });
  if (typeof user !== "object" || user === null || Object.values(user).some((v) => typeof v !== "string")) throw fail("expects user metadata a JSON object of strings");
  return {
    // history and user were checked entry by entry above.
    net, optimizer, epoch, fit, shuffle, history: history as EpochLog[], metadata: user as Record<string, string>,
    fitOptions: { ...fit, optimizer, initialEpoch: epoch, ...(shuffle ? { shuffleState: shuffle } : {}) },
  };
}

function json(meta: Readonly<Record<string, string>>, key: string, fail: (m: string) => Error): unknown {
  const text = meta[key];
  if (text === undefined) throw fail(`__metadata__ has no "${key}"`);
  try {
    return JSON.parse(text);
  } catch {
    throw fail(`__metadata__ "${key}" is not valid JSON`);
  }
}

function fitSettings(what: string, v: unknown, fail: (m: string) => Error): Required<CheckpointFitSettings> {
  const f = (v ?? {}) as Partial<Record<keyof CheckpointFitSettings, unknown>>;
  const whole = (name: string, x: unknown, min: number) => {
    if (!Number.isSafeInteger(x) || (x as number) < min) throw fail(`${what} fit.${name} a whole number of ${min} or more, got ${String(x)}`);
    return x as number;
  };
  if (f.shuffle !== undefined && typeof f.shuffle !== "boolean") throw fail(`${what} fit.shuffle true or false, got ${String(f.shuffle)}`);
  return { epochs: whole("epochs", f.epochs, 1), batchSize: whole("batchSize", f.batchSize ?? 32, 1), seed: whole("seed", f.seed ?? 0, 0), shuffle: f.shuffle ?? true };
}

function makeOptimizer(saved: { name?: unknown; settings?: OptimizerSettings }, fail: (m: string) => Error): Optimizer {
  const s = saved.settings;
  if (typeof s !== "object" || s === null || typeof s.learningRate !== "number") throw fail(`expects optimizer settings with a learningRate, got ${JSON.stringify(s)}`);
  try {
    if (saved.name === "sgd") return sgd({ learningRate: s.learningRate });
    if (saved.name === "momentum") return momentum({ learningRate: s.learningRate, ...(s.beta !== undefined ? { beta: s.beta } : {}) });
    if (saved.name === "adam") return adam({ ...s });
  } catch (e) {
    throw fail(`optimizer settings: ${(e as Error).message}`);
  }
  throw fail(`unknown optimizer ${JSON.stringify(saved.name)} (sgd, momentum or adam)`);
}

/** Reads the optimizer's buffers (names from the optimizer's own state) and hands them to setState, which checks them. */
function restoreOptimizer(
  bytes: Uint8Array, tensors: ReadonlyMap<string, TensorEntry>, net: AnyNetwork, facts: FileFacts, settings: Settings,
  optimizer: Optimizer, steps: unknown, fail: Fail,
): void {
  const fresh = optimizer.getState(net); // zero buffers of the right names, shapes and element type, to read into
  const layout = tensorLayout(facts.architecture ?? describeNetwork("loadCheckpoint", net), fail);
  const wanted = new Set<string>();
  for (const [buffer, params] of Object.entries(fresh.buffers)) {
    for (const spec of layout) {
      const name = `optimizer.${buffer}.${spec.name}`;
      wanted.add(name);
      const entry = tensors.get(name);
      if (entry === undefined) throw fail(`missing tensor "${name}" (${optimizer.name}'s ${buffer} for ${spec.kind} of layer ${spec.layer + 1})`);
      checkEntry(entry, spec.shape, facts, settings, fail);
      readFloats(bytes, entry, tensorData(params, spec));
    }
  }
  const extra = [...tensors.keys()].filter((k) => k.startsWith("optimizer.") && !wanted.has(k));
  if (extra.length > 0) throw fail(`unexpected tensor ${extra.map((k) => JSON.stringify(k)).join(", ")} for a ${optimizer.name} optimizer`);
  const others = [...tensors.keys()].filter((k) => !k.startsWith("optimizer.") && !k.startsWith("model.") && k !== "shuffle.order");
  if (others.length > 0) throw fail(`unexpected tensor ${others.map((k) => JSON.stringify(k)).join(", ")}`);
  try {
    // setState checks steps (a whole number of 0 or more), as it checks every other field.
    optimizer.setState(net, { ...fresh, steps: steps as number } satisfies OptimizerState<AnyNetwork>);
  } catch (e) {
    throw fail(`optimizer state: ${(e as Error).message}`);
  }
}

function readShuffle(
  bytes: Uint8Array, tensors: ReadonlyMap<string, TensorEntry>,
  meta: Readonly<Record<string, string>>, fail: (m: string) => Error,
): ShuffleState | undefined {
  const entry = tensors.get("shuffle.order");
  if (entry === undefined && meta.rng === undefined) return undefined;
  if (entry === undefined || meta.rng === undefined) throw fail(`expects both "shuffle.order" and __metadata__ "rng", or neither`);
  if (entry.dtype !== "I32" || entry.shape.length !== 1) throw fail(`expects "shuffle.order" a list of I32, got ${entry.dtype} of shape [${entry.shape.join(", ")}]`);
  const rngState = json(meta, "rng", fail) as RngState; // checked by rngFromState just below
  try {
    rngFromState(rngState);
  } catch (e) {
    throw fail(`rng: ${(e as Error).message}`);
  }
  // fit checks that the order lists every example once, against the data it is given.
  return { rng: rngState, order: Array.from(readInt32(bytes, entry)) };
}
