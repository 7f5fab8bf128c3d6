/**
 * Checkpoints of `npm run train`: after every epoch the run saves `--out/checkpoint.safetensors`
 * (network, optimizer state, epoch, shuffling state, history and the run's flags); `--resume DIR`
 * loads it and continues with the saved flags, so the resumed run ends with exactly the parameters
 * of an uninterrupted one. Also the model files the run writes at the end.
 */
import { join } from "node:path";
import type { AnyMlp, EpochLog, History, Mlp, Optimizer, ShuffleState, Sizes } from "../../src/index.js";
import { loadCheckpoint, saveCheckpoint, saveModel, type ResumeOptions } from "../../src/node.js";
import { UsageError, type TrainOptions } from "./cli.js";

/** Flags that may change when resuming; the others are the checkpoint's. */
export const RESUME_FLAGS = ["--resume", "--epochs", "--out", "--backend"];

/** Models up to this many parameters are also written as model.json (readable text, about 20 bytes a number). */
export const JSON_LIMIT = 1_000_000;

/** The saved run: its flags (with --epochs, --out and --backend as given now), network, fit options and history. */
export interface Resumed {
  readonly options: TrainOptions;
  readonly net: AnyMlp;
  readonly fitOptions: ResumeOptions;
  readonly history: EpochLog[];
}

/** Loads `o.resume`'s checkpoint; the flags given now that may change (`given`) override the saved ones. */
export function resumeRun(o: TrainOptions & { readonly resume: string }, given: ReadonlySet<string>): Resumed {
  const ckpt = loadCheckpoint(o.resume);
  const text = ckpt.metadata.cli;
  if (text === undefined) throw new UsageError(`--resume ${o.resume}: the checkpoint was not written by npm run train`);
  const saved = JSON.parse(text) as TrainOptions & { limitPerClass: number | null };
  const options: TrainOptions = {
    ...saved,
    limitPerClass: saved.limitPerClass ?? Infinity,
    epochs: given.has("--epochs") ? o.epochs : saved.epochs,
    out: given.has("--out") ? o.out : o.resume,
    backend: given.has("--backend") ? o.backend : saved.backend,
    resume: o.resume,
  };
  const sizes = [784, ...options.hidden, 10];
  if (ckpt.net.sizes.join() !== sizes.join()) throw new Error(`--resume ${o.resume}: the checkpoint holds a ${ckpt.net.sizes.join("-")} network, its flags say ${sizes.join("-")}`);
  if (ckpt.epoch >= options.epochs) throw new UsageError(`--resume ${o.resume}: the run already did ${ckpt.epoch} of ${options.epochs} epochs (give --epochs N above ${ckpt.epoch} to train more)`);
  return { options, net: ckpt.net, fitOptions: { ...ckpt.fitOptions, epochs: options.epochs }, history: ckpt.history };
}

/** Saves the checkpoint of epoch `log.epoch` into `o.out`. */
export function checkpointEpoch<S extends Sizes>(o: TrainOptions, net: Mlp<S>, optimizer: Optimizer, log: EpochLog, shuffle: ShuffleState, history: readonly EpochLog[]): void {
  const { resume: _resume, out: _out, ...flags } = o;
  saveCheckpoint(o.out, {
    net, optimizer, epoch: log.epoch, shuffle, history,
    fit: { epochs: o.epochs, batchSize: o.batchSize, seed: o.seed, shuffle: true },
    metadata: { cli: JSON.stringify({ ...flags, limitPerClass: o.limitPerClass === Infinity ? null : o.limitPerClass }) },
  });
}

/** The history of the epochs before the resume, then this run's. */
export function joinHistory(before: readonly EpochLog[], h: History): History {
  const epochs = [...before, ...h.epochs];
  return {
    epochs,
    loss: epochs.map((e) => e.loss),
    accuracy: epochs.map((e) => e.accuracy),
    validationLoss: epochs.flatMap((e) => (e.validationLoss === undefined ? [] : [e.validationLoss])),
    validationAccuracy: epochs.flatMap((e) => (e.validationAccuracy === undefined ? [] : [e.validationAccuracy])),
    stoppedEarly: h.stoppedEarly,
  };
}

/** Writes out/model.safetensors, and out/model.json too for models of at most JSON_LIMIT parameters; returns the paths. */
export function saveModels<S extends Sizes>(net: Mlp<S>, out: string): string[] {
  const count = net.sizes.reduce((n, size, l) => (l === 0 ? 0 : n + size * (net.sizes[l - 1]! + 1)), 0);
  const paths = [join(out, "model.safetensors"), ...(count <= JSON_LIMIT ? [join(out, "model.json")] : [])];
  for (const p of paths) saveModel(net, p);
  return paths;
}
