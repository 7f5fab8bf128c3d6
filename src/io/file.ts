/**
 * Saving and loading model files in Node (kept out of the main entry so the library stays
 * browser-safe: import from "shapegrad/node"). A save writes a temporary file and renames it over
 * the target, so an interrupted save never destroys the previous model.
 */
import { readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { dirname, basename, join } from "node:path";
import type { Mlp } from "../nn/network.js";
import type { Sizes } from "../nn/types.js";
import { modelFromJSON, modelToJSON } from "./model-json.js";

/** `saveModel(net, "out/model.json")`: atomically replaces the file. */
export function saveModel<S extends Sizes>(net: Mlp<S>, path: string): void {
  writeFileAtomic(path, modelToJSON(net));
}

/** Writes `text` to a temporary file beside `path`, then renames it onto `path`. */
export function writeFileAtomic(path: string, text: string): void {
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.${Date.now()}.tmp`);
  try {
    writeFileSync(tmp, text);
    renameSync(tmp, path);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw e;
  }
}

/** `loadModel("out/model.json", [784, 128, 10])`: a typed `Mlp<[784, 128, 10]>`, or a ModelFormatError. */
export function loadModel<const S extends number[]>(path: string, sizes: S): Mlp<S>;
export function loadModel(path: string): Mlp<number[]>;
export function loadModel(path: string, sizes?: number[]): Mlp<number[]> {
  const text = readFileSync(path, "utf8");
  return sizes === undefined ? modelFromJSON(text) : modelFromJSON(text, sizes);
}
