/**
 * Checkpoints of `npm run train`: after every epoch an mlp run saves `--out/checkpoint.safetensors`
 * (network, optimizer state, epoch, shuffling state, history and the run's flags); `--resume DIR`
 * loads it and continues with the saved flags, so the resumed run ends with exactly the parameters
 * of an uninterrupted one.
 */
import { join } from "node:path";
import type { AnyMlp, EpochLog, History, Optimizer, ShuffleState } from "../../src/index.js";
import { CHECKPOINT_FILE, loadCheckpoint, saveCheckpoint, type ResumeOptions } from "../../src/node.js";
import { DEFAULTS, RESUME_FLAGS, UsageError, type TrainOptions } from "./cli.js";
import type { DigitNet } from "./model.js";

/** The saved run: its flags (with --epochs, --out and --backend as given now), network, fit options and history. */
export interface Resumed {
  readonly options: TrainOptions;
  readonly net: AnyMlp & DigitNet<"float64">;
  readonly fitOptions: ResumeOptions;
  readonly history: EpochLog[];
}

/** The flags saved in a checkpoint: the options without --resume and --out, limitPerClass null for "all". */
type SavedFlags = Omit<TrainOptions, "resume" | "out" | "limitPerClass"> & { readonly limitPerClass: number | null };

function isDigitMlp(net: AnyMlp): net is AnyMlp & DigitNet<"float64"> {
  return net.sizes[0] === 784 && net.sizes[net.sizes.length - 1] === 10;
}

/**
 * Loads `o.resume`'s checkpoint; the flags of RESUME_FLAGS given now (`given`) override the saved
 * ones. Throws an Error naming the folder when there is nothing to continue.
 */
export function resumeRun(o: TrainOptions & { readonly resume: string }, given: readonly string[]): Resumed {
  const ckpt = loadCheckpoint(o.resume);
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
  const sizes = [784, ...options.hidden, 10];
  if (!isDigitMlp(ckpt.net) || ckpt.net.sizes.join() !== sizes.join()) {
    throw new Error(`--resume ${o.resume}: the checkpoint holds a ${ckpt.net.sizes.join("-")} network, its flags say ${sizes.join("-")}`);
  }
  if (ckpt.epoch >= options.epochs) throw new Error(`--resume ${o.resume}: the run already did ${ckpt.epoch} of ${options.epochs} epochs (give --epochs N above ${ckpt.epoch} to train more)`);
  return { options, net: ckpt.net, fitOptions: { ...ckpt.fitOptions, epochs: options.epochs }, history: ckpt.history };
}

/** The checkpoint's path in a folder. */
export const checkpointPath = (dir: string) => join(dir, CHECKPOINT_FILE);

/** Saves the checkpoint of epoch `log.epoch` into `o.out`, with the run's flags. */
export function checkpointEpoch(o: TrainOptions, net: AnyMlp, optimizer: Optimizer, log: EpochLog, shuffle: ShuffleState, history: readonly EpochLog[]): void {
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
