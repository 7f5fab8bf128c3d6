/**
 * `npm run export -- --model out/model.json --format onnx|tfjs|safetensors --out DIR`: writes the
 * model for another engine: DIR/model.onnx (ONNX Runtime, PyTorch tooling), DIR/model.json +
 * DIR/group1-shard1of1.bin (TensorFlow.js, Keras via the tensorflowjs converter) or
 * DIR/model.safetensors (PyTorch). `readModelFile` is also how `npm run predict` opens --model.
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, extname, join, resolve } from "node:path";
import { ModelFormatError, modelFromJSON, modelFromOnnx, modelFromTfjs, modelToOnnx, modelToTfjs, TFJS_WEIGHTS_FILE, type AnyMlp } from "../../src/index.js";

export const EXPORT_HELP = `Write a saved model in another engine's format.

Usage: npm run export -- --model out/model.json --format onnx|tfjs|safetensors --out DIR

  --model FILE     a model: shapegrad's model.json, a TF.js model.json (with its .bin files
                   beside it) or a .onnx file
  --format NAME    onnx         DIR/model.onnx (opset 13, float32; ONNX Runtime, PyTorch tooling)
                   tfjs         DIR/model.json + DIR/${TFJS_WEIGHTS_FILE} (TensorFlow.js layers model)
                   safetensors  DIR/model.safetensors (PyTorch nn.Sequential state_dict names)
  --out DIR        the folder to write into (created if missing)
`;

export type ExportFormat = "onnx" | "tfjs" | "safetensors";

/** Where the command writes: normal lines and error lines (stdout and stderr by default). */
export interface ExportIO {
  out(line: string): void;
  err(line: string): void;
}

const consoleIO: ExportIO = { out: (s) => process.stdout.write(`${s}\n`), err: (s) => process.stderr.write(`${s}\n`) };

class UsageError extends Error {}

/**
 * Opens a model file of any format this library imports: `.onnx` (or any non-JSON file) as ONNX;
 * a JSON file by its content: `"format": "shapegrad-mlp"` is shapegrad's own, one with
 * `modelTopology` is TF.js's (its weight files are read from beside it, as the manifest names them).
 */
export function readModelFile(path: string): AnyMlp {
  const bytes = readFileSync(path);
  if (extname(path).toLowerCase() === ".onnx") return modelFromOnnx(bytes);
  if (extname(path).toLowerCase() === ".safetensors") {
    // TODO(merge): modelFromSafetensors (src/io/safetensors.ts) is written on another branch.
    throw new ModelFormatError(`${path}: reading .safetensors needs modelFromSafetensors, which this build does not have yet`);
  }
  let doc: unknown;
  try {
    doc = JSON.parse(bytes.toString("utf8"));
  } catch {
    return modelFromOnnx(bytes); // not JSON: an ONNX file under another name, or a ModelFormatError saying it is not one
  }
  if (typeof doc === "object" && doc !== null && "modelTopology" in doc) return modelFromTfjs(doc, readShards(path, doc));
  return modelFromJSON(bytes.toString("utf8"));
}

/** The weight files a TF.js model.json lists, read from its folder, in manifest order. */
function readShards(path: string, doc: object): Uint8Array[] {
  const manifest = "weightsManifest" in doc ? doc.weightsManifest : undefined;
  if (!Array.isArray(manifest)) return [];
  const paths = manifest.flatMap((g: unknown) => (typeof g === "object" && g !== null && "paths" in g && Array.isArray(g.paths) ? g.paths : []));
  return paths.map((p: unknown) => {
    if (typeof p !== "string") throw new ModelFormatError(`modelFromTfjs: the weights manifest lists a path that is not a string: ${JSON.stringify(p)}`);
    return readFileSync(resolve(dirname(path), p));
  });
}

/** Writes the model in `format` into `dir`; returns the files written. */
export function writeExport(net: AnyMlp, format: ExportFormat, dir: string): string[] {
  mkdirSync(dir, { recursive: true });
  const files: [string, Uint8Array | string][] = [];
  if (format === "onnx") files.push(["model.onnx", modelToOnnx(net)]);
  else if (format === "tfjs") {
    const { modelJson, weights } = modelToTfjs(net);
    files.push(["model.json", JSON.stringify(modelJson)], [TFJS_WEIGHTS_FILE, weights]);
  } else {
    // TODO(merge): files.push(["model.safetensors", modelToSafetensors(net)]) once src/io/safetensors.ts is merged.
    throw new Error("--format safetensors needs modelToSafetensors, which this build does not have yet");
  }
  return files.map(([name, data]) => {
    const path = join(dir, name);
    writeFileSync(path, data);
    return path;
  });
}

function parseArgs(argv: readonly string[]): { model: string; format: ExportFormat; out: string } | "help" {
  const flags: Record<string, string> = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === "--help" || a === "-h") return "help";
    if (a !== "--model" && a !== "--format" && a !== "--out") throw new UsageError(`unknown flag "${a}" (see --help)`);
    const v = argv[++i];
    if (v === undefined || v.startsWith("--")) throw new UsageError(`${a} expects a value`);
    flags[a.slice(2)] = v;
  }
  const { model, format, out } = flags;
  if (!model || !format || !out) throw new UsageError("--model FILE, --format onnx|tfjs|safetensors and --out DIR are all required (see --help)");
  if (format !== "onnx" && format !== "tfjs" && format !== "safetensors") throw new UsageError(`--format expects onnx, tfjs or safetensors, got "${format}"`);
  return { model, format, out };
}

/** Runs the command; returns the exit code (0 done, 1 failed, 2 bad flags). */
export function runExport(argv: readonly string[], io: ExportIO = consoleIO): number {
  let args: ReturnType<typeof parseArgs>;
  try {
    args = parseArgs(argv);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    io.err(`export: ${e.message}`);
    return 2;
  }
  if (args === "help") {
    io.out(EXPORT_HELP.trimEnd());
    return 0;
  }
  try {
    const net = readModelFile(args.model);
    for (const path of writeExport(net, args.format, args.out)) io.out(`wrote ${path} (${readFileSync(path).length.toLocaleString("en-US")} bytes)`);
    io.out(`model [${net.sizes.join(", ")}], activations ${net.activations.join(", ")}`);
    return 0;
  } catch (e) {
    io.err(`export: ${(e as Error).message}`);
    return 1;
  }
}
