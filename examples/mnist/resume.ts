/**
 * Checkpoints of `npm run train`: after every epoch a run (mlp or CNN, float64 or float32) saves `--out/checkpoint.safetensors`
 * (network, optimizer state, epoch, shuffling state, history and the run's flags); `--resume DIR`
 * loads it and continues with the saved flags, so the resumed run ends with exactly the parameters
 * of an uninterrupted one.
 */
import { join } from "node:path";
import type { AnyNetwork, EpochLog, History, Optimizer, ShuffleState } from "../../src/index.js";
import { CHECKPOINT_FILE, loadCheckpoint, saveCheckpoint, type ResumeOptions } from "../../src/node.js";
import { DEFAULTS, RESUME_FLAGS, UsageError, type TrainOptions } from "./cli.js";
import { safetensorsDType } from "./file-dtype.js";
import { buildNetwork, type AnyDigitNet } from "./model.js";

/** The saved run: its flags (with --epochs, --out and --backend as given now), network, fit options and history. */
export interface Resumed {
  readonly options: TrainOptions;
  readonly net: AnyDigitNet;
  readonly fitOptions: ResumeOptions;
  readonly history: EpochLog[];
}

/** The flags saved in a checkpoint: the options without --resume and --out, limitPerClass null for "all". */
type SavedFlags = Omit<TrainOptions, "resume" | "out" | "limitPerClass"> & { readonly limitPerClass: number | null };

function isDigitNet(net: AnyNetwork): net is AnyNetwork & AnyDigitNet {
  return net.sizes[0] === 784 && net.sizes[net.sizes.length - 1] === 10;
}

/** The checkpoint in `dir`, its network in the element type it was saved in (whatever its layers). */
function loadRun(dir: string) {
  return safetensorsDType(checkpointPath(dir)) === "float32" ? loadCheckpoint(dir, "any", { dtype: "float32" }) : loadCheckpoint(dir, "any");
}

/** "784-128-10 float64 mlp" or "784-...-10 float32 network of conv2d, maxPool2d, ...": what a flag mismatch names. */
function architectureOf(net: AnyNetwork): string {
  const kinds = net.layers.map((l) => l.kind);
  return kinds.every((k) => k === "dense") ? `${net.sizes.join("-")} ${net.dtype} mlp` : `${net.dtype} network of ${kinds.join(", ")} layers (sizes ${net.sizes.join("-")})`;
}

/**
 * The same layers (kind, shapes in and out, weight shape, activation), loss and element type. Not
 * the specs: a loaded dense layer states its inputs (384) where the built one says "auto".
 */
function sameArchitecture(a: AnyNetwork, b: AnyNetwork): boolean {
  const layers = (n: AnyNetwork) => JSON.stringify(n.layers.map((l) => [l.kind, l.inputShape, l.outputShape, l.weightShape, l.activation]));
  return a.dtype === b.dtype && a.loss === b.loss && layers(a) === layers(b);
}

/**
 * Loads `o.resume`'s checkpoint; the flags of RESUME_FLAGS given now (`given`) override the saved
 * ones. Throws an Error naming the folder when there is nothing to continue.
 */
export function resumeRun(o: TrainOptions & { readonly resume: string }, given: readonly string[]): Resumed {
  const ckpt = loadRun(o.resume);
  const text = ckpt.metadata.cli;
  if (text === undefined) throw new UsageError(`--resume ${o.resume}: the checkpoint was not written by npm run train`);
  // Flags of a checkpoint from before --model, --dtype and --augment existed take their defaults.
  const read = JSON.parse(text) as Partial<SavedFlags>;
  const saved = { ...read, model: read.model ?? DEFAULTS.model, dtype: read.dtype ?? DEFAULTS.dtype, augment: read.augment ?? DEFAULTS.augment } as SavedFlags;
  const has = (flag: (typeof RESUME_FLAGS)[number]) => given.includes(flag);
  const options: TrainOptions = {
    ...saved,
    limitPerClass: saved.limitPerClass ?? Infinity,
    epochs: has("--epochs") ? o.epochs : saved.epochs,
    out: o.out,
    backend: has("--backend") ? o.backend : saved.backend,
    resume: o.resume,
  };
  // The network the saved flags build (its initial numbers are not used): the checkpoint must hold that one.
  const expected = buildNetwork(options, options.dtype);
  const net: AnyNetwork = ckpt.net;
  if (!isDigitNet(net) || !sameArchitecture(net, expected)) {
    throw new Error(`--resume ${o.resume}: the checkpoint holds a ${architectureOf(net)}, its flags say ${architectureOf(expected)}`);
  }
  if (ckpt.epoch >= options.epochs) throw new Error(`--resume ${o.resume}: the run already did ${ckpt.epoch} of ${options.epochs} epochs (give --epochs N above ${ckpt.epoch} to train more)`);
  return { options, net, fitOptions: { ...ckpt.fitOptions, epochs: options.epochs }, history: ckpt.history };
}

/** The checkpoint's path in a folder. */
export const checkpointPath = (dir: string) => join(dir, CHECKPOINT_FILE);

/** Saves the checkpoint of epoch `log.epoch` into `o.out`, with the run's flags. */
export function checkpointEpoch(o: TrainOptions, net: AnyNetwork, optimizer: Optimizer, log: EpochLog, shuffle: ShuffleState, history: readonly EpochLog[]): void {
  const { resume: _resume, out: _out, ...flags } = o;
  const saved: SavedFlags = { ...flags, limitPerClass: o.limitPerClass === Infinity ? null : o.limitPerClass };
  saveCheckpoint(o.out, {
    net, optimizer, epoch: log.epoch, shuffle, history,
    fit: { epochs: o.epochs, batchSize: o.batchSize, seed: o.seed, shuffle: true },
    metadata: { cli: JSON.stringify(saved) },
  });
}

/** A run's history from its epoch logs (a resumed run's earlier epochs first). */
export function historyOf(epochs: readonly EpochLog[], stoppedEarly = false): History {
  return {
    epochs: [...epochs],
    loss: epochs.map((e) => e.loss),
    accuracy: epochs.map((e) => e.accuracy),
    validationLoss: epochs.flatMap((e) => (e.validationLoss === undefined ? [] : [e.validationLoss])),
    validationAccuracy: epochs.flatMap((e) => (e.validationAccuracy === undefined ? [] : [e.validationAccuracy])),
    stoppedEarly,
  };
}
