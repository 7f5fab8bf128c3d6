/**
 * Saving and loading model files in Node (kept out of the main entry so the library stays
 * browser-safe: import from "shapegrad/node"). The format follows the extension: `.json` (the
 * versioned JSON text) or `.safetensors` (binary, any size, readable by PyTorch).
 *
 * Nothing is lost: a model with a NaN or infinite parameter is refused before any file is opened;
 * a save writes a temporary file beside the target, flushes it to disk and renames it over the
 * target, so an interrupted or failed save leaves the previous file as it was; a replaced file
 * keeps its permission bits; a read-only target is refused (as `cp` refuses); every error names
 * the target path, never the temporary file.
 */
import { closeSync, constants, fsyncSync, openSync, readFileSync, renameSync, rmSync, statSync, chmodSync, writeSync, accessSync } from "node:fs";
import { dirname, basename, extname, join } from "node:path";
import type { DType } from "../shape/matrix.js";
import type { AnyNetwork, Mlp } from "../nn/network.js";
import { ModelFormatError } from "./errors.js";
import type { SafetensorsOptions, ExpectedArg, ExpectedKind, Loaded, SafetensorsOptionsFor } from "./expected.js";
import { modelToJSON, readModelJSON } from "./model-json.js";
import { modelChunks, readModelSafetensors } from "./model-safetensors.js";
import { checkFiniteParameters } from "./tensors.js";

/** The file formats `saveModel` and `loadModel` choose by extension. */
export type ModelFileFormat = "json" | "safetensors";

/** The format of `path` from its extension, or an Error naming the operation. */
export function modelFileFormat(op: string, path: string): ModelFileFormat {
  if (typeof path !== "string" || path === "") throw new TypeError(`${op} expects a file path, got ${typeof path === "string" ? "an empty string" : typeof path}`);
  const ext = extname(path).toLowerCase();
  if (ext === ".json") return "json";
  if (ext === ".safetensors") return "safetensors";
  throw new RangeError(`${op} expects a path ending in .json or .safetensors (the extension chooses the format), got ${JSON.stringify(path)}`);
}

/**
 * `saveModel(net, "out/model.safetensors")` or `saveModel(net, "out/model.json")`: atomically
 * replaces the file. Throws, writing nothing, for a non-finite parameter or an unknown extension.
 */
export function saveModel<N extends AnyNetwork>(net: N, path: string): void {
  const format = modelFileFormat("saveModel", path);
  checkFiniteParameters("saveModel", net);
  if (format === "json") writeAtomic("saveModel", path, [new TextEncoder().encode(modelToJSON(net))]);
  else writeAtomic("saveModel", path, modelChunks(net));
}

/** Writes `text` (or bytes) to a temporary file beside `path`, then renames it onto `path` (see the file comment). */
export function writeFileAtomic(path: string, data: string | Uint8Array): void {
  writeAtomic("writeFileAtomic", path, [typeof data === "string" ? new TextEncoder().encode(data) : data]);
}

/** The atomic write behind every save: chunks are written in order, so a large model is never joined in memory. */
export function writeAtomic(op: string, path: string, chunks: readonly Uint8Array[]): void {
  const mode = existingMode(op, path);
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.${Date.now()}.tmp`);
  let fd: number | undefined;
  try {
    fd = openSync(tmp, "wx", mode ?? 0o666);
    for (const chunk of chunks) writeAll(fd, chunk);
    if (mode !== undefined) chmodSync(tmp, mode); // the umask applies to openSync's mode, not to chmod
    fsyncSync(fd);
    closeSync(fd);
    fd = undefined;
    renameSync(tmp, path);
  } catch (e) {
    if (fd !== undefined) closeSync(fd);
    try {
      rmSync(tmp, { force: true });
    } catch {
      // nothing was created (e.g. the folder is missing or is a file): nothing to remove
    }
    throw saveError(op, path, e);
  }
}

function writeAll(fd: number, chunk: Uint8Array): void {
  // writeSync may write less than asked (large buffers): loop until the chunk is out.
  for (let at = 0; at < chunk.length;) at += writeSync(fd, chunk, at, Math.min(chunk.length - at, 1 << 30));
}

/** The permission bits of an existing target (kept by the save), after refusing a read-only or non-file target. */
function existingMode(op: string, path: string): number | undefined {
  let stats;
  try {
    stats = statSync(path);
  } catch {
    return undefined; // no file yet: nothing to keep (a missing folder is reported by the write itself)
  }
  if (stats.isDirectory()) throw new Error(`${op} cannot write ${path}: it is a folder`);
  const mode = stats.mode & 0o7777;
  const octal = mode.toString(8).padStart(4, "0");
  // No write bit at all: someone made the model read-only to protect it (root could still rename over it).
  if ((mode & 0o222) === 0) throw new Error(`${op} will not replace ${path}: the file is read-only (mode ${octal}); make it writable (chmod u+w) or remove it first`);
  try {
    accessSync(path, constants.W_OK);
  } catch {
    throw new Error(`${op} will not replace ${path}: this user may not write it (mode ${octal}, another owner)`);
  }
  return mode;
}

/** An error that names the target path and says why, keeping the system error as `cause`. */
function saveError(op: string, path: string, e: unknown): Error {
  const code = (e as NodeJS.ErrnoException).code;
  const why =
    code === "ENOENT" ? `the folder ${dirname(path)} does not exist` :
    code === "ENOTDIR" ? `a part of the folder ${dirname(path)} is a file, not a folder` :
    code === "EACCES" || code === "EPERM" ? `permission denied in the folder ${dirname(path)}` :
    code === "EISDIR" ? "it is a folder" :
    code === "ENOSPC" ? "the disk is full" :
    code === "EROFS" ? "the file system is read-only" :
    String((e as Error).message ?? e).replaceAll(/\S*\.tmp\b/g, "the temporary file");
  const error = new Error(`${op} cannot write ${path}: ${why}; any previous file there is unchanged`, { cause: e });
  if (code !== undefined) Object.assign(error, { code });
  return error;
}

/**
 * `loadModel("out/model.safetensors", [784, 128, 10])`: a typed `Mlp<[784, 128, 10]>`;
 * `loadModel("out/model.json", [input(1, 28, 28), conv2d(8, 5), relu(), ...])`: the `Network` that
 * `sequential` of those layers is; `loadModel(path, "any")`: whatever the file holds;
 * `loadModel(path)`: the dense network it holds. A damaged or different file is a ModelFormatError
 * naming the file and what is wrong with it. The extension chooses the format; a JSON file may
 * start with a UTF-8 byte-order mark. Options: `{ dtype, convert }`, and for a safetensors file
 * without shapegrad metadata loaded by its sizes, `{ hidden, output, loss }` (see `modelFromSafetensors`).
 */
export function loadModel<const E extends ExpectedKind, D extends DType = "float64">(path: string, expected: ExpectedArg<E, "loadModel">, options?: SafetensorsOptionsFor<E, D>): Loaded<E, D>;
export function loadModel(path: string): Mlp<number[]>;
export function loadModel(path: string, expected?: unknown, options?: SafetensorsOptions<DType>): unknown {
  const format = modelFileFormat("loadModel", path);
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw Object.assign(new Error(`loadModel cannot read ${path}: ${code === "ENOENT" ? "no such file" : code === "EISDIR" ? "it is a folder" : (e as Error).message}`, { cause: e }), { code });
  }
  try {
    return format === "safetensors" ? readModelSafetensors("loadModel", bytes, expected, options) : readModelJSON("loadModel", bytes.toString("utf8"), expected, options);
  } catch (e) {
    // The same message, with the file's path in front.
    if (e instanceof ModelFormatError) throw new ModelFormatError(`${path}: ${e.detail}`, "loadModel");
    throw e;
  }
}
