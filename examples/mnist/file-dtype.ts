/**
 * The element type a safetensors file records in its `__metadata__` (shapegrad's model files and
 * checkpoints do). The library's loaders refuse a float32 file loaded as float64 unless told
 * (`{ dtype: "float32" }`, or `convert`); the CLI loads every file in the type it was saved in, so
 * it reads that first. Only the header is read (a checkpoint may be large).
 */
import { closeSync, fstatSync, openSync, readSync } from "node:fs";
import type { DType } from "../../src/index.js";

/**
 * "float64" or "float32" as `path`'s metadata says, or undefined when the file cannot be read, is
 * not safetensors or records no dtype (a PyTorch state_dict): the loader then says what is wrong.
 */
export function safetensorsDType(path: string): DType | undefined {
  let fd: number | undefined;
  try {
    fd = openSync(path, "r");
    const size = Buffer.alloc(8);
    if (readSync(fd, size, 0, 8, 0) !== 8) return undefined;
    const length = Number(size.readBigUInt64LE(0));
    if (length > fstatSync(fd).size - 8) return undefined; // not a header this file can hold: allocate nothing
    const text = Buffer.alloc(length);
    if (readSync(fd, text, 0, length, 8) !== length) return undefined;
    const header: unknown = JSON.parse(text.toString("utf8"));
    const meta: unknown = typeof header === "object" && header !== null && "__metadata__" in header ? header.__metadata__ : undefined;
    const dtype: unknown = typeof meta === "object" && meta !== null && "dtype" in meta ? meta.dtype : undefined;
    return dtype === "float32" || dtype === "float64" ? dtype : undefined;
  } catch {
    return undefined; // unreadable, or not a safetensors header: the loader reports it
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}
