/**
 * `npm run export -- --model out/model.safetensors --format onnx|tfjs|safetensors --out DIR`: writes
 * the model for another engine: DIR/model.onnx (ONNX Runtime, PyTorch tooling), DIR/model.json +
 * DIR/group1-shard1of1.bin (TensorFlow.js, Keras via the tensorflowjs converter) or
 * DIR/model.safetensors (PyTorch). `readModelFile` is also how `npm run predict` opens --model.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { dirname, extname, join, resolve } from "node:path";
import {
  ModelFormatError, modelFromJSON, modelFromOnnx, modelFromTfjs, modelToOnnx, modelToSafetensors, modelToTfjs, TFJS_WEIGHTS_FILE,
  type AnyNetwork,
} from "../../src/index.js";
import { loadModel } from "../../src/node.js";
import { EXPORT_HELP, UsageError, parseExportArgs, prepareOutFolder, type ExportFormat, type ExportOptions } from "./cli.js";
import { safetensorsDType } from "./file-dtype.js";
import { consoleOutput, type Output } from "./output.js";

/** A file's bytes, or an Error naming the file and saying why in words ("no such file"). */
export function readBytes(path: string): Buffer {
  try {
    return readFileSync(path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === "ENOENT" ? "no such file" : code === "EISDIR" ? "it is a folder" : code === "EACCES" ? "permission denied" : message(e);
    throw new Error(`cannot read ${path}: ${why}`, { cause: e });
  }
}

/** A file's text without the UTF-8 byte-order mark some editors put first (JSON.parse rejects it). */
export function readText(path: string): string {
  const text = readBytes(path).toString("utf8");
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

const message = (e: unknown) => (e instanceof Error ? e.message : String(e));

/**
 * Opens a model file of any format this project reads, whatever network it holds (dense layers,
 * convolutions, pooling): `.onnx` (or any file that is neither JSON nor safetensors) as ONNX;
 * `.safetensors` as shapegrad's own or PyTorch's (an nn.Sequential of Linear layers, which records
 * no architecture: refused, naming what to pass); a JSON file by its content: one with
 * `modelTopology` is TF.js's (its weight files are read from beside it, as the manifest names
 * them), any other shapegrad's model.json. A shapegrad file is loaded in the element type it
 * records (a float32 run's model stays float32); the other engines' float32 numbers widen exactly
 * into a float64 network.
 */
export function readModelFile(path: string): AnyNetwork {
  const bytes = readBytes(path);
  const ext = extname(path).toLowerCase();
  if (ext === ".onnx") return modelFromOnnx(bytes, "any");
  if (ext === ".safetensors") {
    return safetensorsDType(path) === "float32" ? loadModel(path, "any", { dtype: "float32" }) : loadModel(path, "any");
  }
  let doc: unknown;
  const text = bytes.toString("utf8").replace(/^\ufeff/, "");
  try {
    doc = JSON.parse(text);
  } catch {
    return modelFromOnnx(bytes, "any"); // not JSON: an ONNX file under another name, or a ModelFormatError saying it is not one
  }
  if (typeof doc === "object" && doc !== null && "modelTopology" in doc) return modelFromTfjs(doc, readShards(path, doc), "any");
  const dtype = typeof doc === "object" && doc !== null && "dtype" in doc ? doc.dtype : undefined;
  return dtype === "float32" ? modelFromJSON(text, "any", { dtype: "float32" }) : modelFromJSON(text, "any");
}

/** The weight files a TF.js model.json lists, read from its folder, in manifest order. */
function readShards(path: string, doc: object): Uint8Array[] {
  const manifest = "weightsManifest" in doc ? doc.weightsManifest : undefined;
  if (!Array.isArray(manifest)) return [];
  const paths = manifest.flatMap((g: unknown) => (typeof g === "object" && g !== null && "paths" in g && Array.isArray(g.paths) ? g.paths : []));
  return paths.map((p: unknown) => {
    if (typeof p !== "string") throw new ModelFormatError(`modelFromTfjs: the weights manifest lists a path that is not a string: ${JSON.stringify(p)}`);
    return readBytes(resolve(dirname(path), p));
  });
}

/** The files of each format, in the order they are written. */
export const EXPORT_FILES: Readonly<Record<ExportFormat, readonly string[]>> = {
  onnx: ["model.onnx"], tfjs: ["model.json", TFJS_WEIGHTS_FILE], safetensors: ["model.safetensors"],
};

/** Writes the model in `format` into the folder `dir` (which must exist); returns the paths written. */
export function writeExport(net: AnyNetwork, format: ExportFormat, dir: string): string[] {
  const contents: (Uint8Array | string)[] = [];
  if (format === "onnx") contents.push(modelToOnnx(net));
  else if (format === "tfjs") {
    const { modelJson, weights } = modelToTfjs(net);
    contents.push(JSON.stringify(modelJson), weights);
  } else contents.push(modelToSafetensors(net));
  return EXPORT_FILES[format].map((name, i) => {
    const path = join(dir, name);
    writeFileSync(path, contents[i]!);
    return path;
  });
}

/** Runs the command; returns the exit code (0 done, 1 failed, 2 bad flags or an unusable --out). */
export function runExport(argv: readonly string[], out: Pick<Output, "line" | "error"> = consoleOutput()): number {
  let options: ExportOptions | "help";
  try {
    options = parseExportArgs(argv);
    if (options !== "help") prepareOutFolder(options.out);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    out.error(`export: ${e.message}`);
    return 2;
  }
  if (options === "help") {
    out.line(EXPORT_HELP.trimEnd());
    return 0;
  }
  try {
    const net = readModelFile(options.model);
    for (const path of writeExport(net, options.format, options.out)) out.line(`wrote ${path} (${readFileSync(path).length.toLocaleString("en-US")} bytes)`);
    out.line(describeModel(net));
    return 0;
  } catch (e) {
    out.error(`export: ${message(e)}`);
    return 1;
  }
}

/**
 * The model in one line: a dense network by its sizes and activations (`model [784, 128, 10],
 * activations relu, softmax`); any other by its layers and their output shapes
 * (`model 1x28x28 -> conv2d 16x24x24 relu -> maxPool2d 16x12x12 -> ... -> dense 10 softmax`).
 */
export function describeModel(net: AnyNetwork): string {
  if (net.layers.every((l) => l.kind === "dense")) return `model [${net.sizes.join(", ")}], activations ${net.activations.join(", ")}`;
  const layers = net.layers.map((l) => `${l.kind} ${l.outputShape.join("x")}${l.activation === "identity" ? "" : ` ${l.activation}`}`);
  return `model ${[net.layers[0]!.inputShape.join("x"), ...layers].join(" -> ")}`;
}
