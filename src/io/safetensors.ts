/**
 * The safetensors container (the format of Hugging Face's `safetensors`, read by PyTorch, JAX,
 * TensorFlow and others): an 8-byte little-endian header length N, N bytes of JSON header
 * `{ name: { dtype, shape, data_offsets: [begin, end] }, "__metadata__": { string: string } }`,
 * then the raw little-endian numbers, offsets counted from the end of the header.
 *
 * This file knows the container only (no networks); it is browser-safe (no Node module). Decoding
 * checks everything the header claims against the bytes before any number is read.
 */

/** A float tensor to write: its numbers are written as they are (F64 for a Float64Array, F32 for a Float32Array). */
export interface TensorToWrite {
  readonly name: string;
  readonly shape: readonly number[];
  readonly data: Float64Array | Float32Array | Int32Array;
}

/** A tensor entry of a decoded header; `begin` and `end` are absolute byte offsets in the file. */
export interface TensorEntry {
  readonly name: string;
  readonly dtype: string;
  readonly shape: readonly number[];
  readonly begin: number;
  readonly end: number;
}

/** A decoded (and checked) header. */
export interface SafetensorsHeader {
  readonly tensors: ReadonlyMap<string, TensorEntry>;
  /** The `__metadata__` map, or undefined when the file has none. */
  readonly metadata: Readonly<Record<string, string>> | undefined;
}

/** Bytes per element of every dtype of the safetensors specification. */
const itemSizes: Readonly<Record<string, number>> = {
  BOOL: 1, U8: 1, I8: 1, F8_E5M2: 1, F8_E4M3: 1, I16: 2, U16: 2, F16: 2, BF16: 2, I32: 4, U32: 4, F32: 4, I64: 8, U64: 8, F64: 8,
};

/** True on little-endian hosts (all current browsers' and Node's platforms), where a typed array's bytes are already the file's. */
export const hostIsLittleEndian = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

function dtypeOf(data: TensorToWrite["data"]): string {
  return data instanceof Float64Array ? "F64" : data instanceof Float32Array ? "F32" : "I32";
}

/**
 * The file as a list of byte chunks: the length and header (padded with spaces so the data starts
 * at a multiple of 8, as Python's safetensors does), then each tensor's bytes. On a little-endian
 * host the tensor chunks are views of the typed arrays themselves: nothing is copied per number.
 */
export function safetensorsChunks(tensors: readonly TensorToWrite[], metadata: Readonly<Record<string, string>>): Uint8Array[] {
  const header: Record<string, unknown> = { __metadata__: metadata };
  let offset = 0;
  for (const t of tensors) {
    const end = offset + t.data.byteLength;
    header[t.name] = { dtype: dtypeOf(t.data), shape: [...t.shape], data_offsets: [offset, end] };
    offset = end;
  }
  let json = new TextEncoder().encode(JSON.stringify(header));
  const padded = Math.ceil((8 + json.length) / 8) * 8 - 8;
  if (padded !== json.length) {
    const spaced = new Uint8Array(padded).fill(0x20);
    spaced.set(json);
    json = spaced;
  }
  const head = new Uint8Array(8 + json.length);
  new DataView(head.buffer).setBigUint64(0, BigInt(json.length), true);
  head.set(json, 8);
  return [head, ...tensors.map((t) => littleEndianBytes(t.data, hostIsLittleEndian))];
}

/** The bytes of `data` in little-endian order: a view on little-endian hosts, a converted copy otherwise. */
export function littleEndianBytes(data: TensorToWrite["data"], littleHost: boolean): Uint8Array {
  if (littleHost) return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  const out = new Uint8Array(data.byteLength);
  const view = new DataView(out.buffer);
  const size = data.BYTES_PER_ELEMENT;
  for (let i = 0; i < data.length; i++) {
    if (data instanceof Float64Array) view.setFloat64(i * size, data[i]!, true);
    else if (data instanceof Float32Array) view.setFloat32(i * size, data[i]!, true);
    else view.setInt32(i * size, data[i]!, true);
  }
  return out;
}

/** Joins chunks into one array (for callers that want the file in memory). */
export function concatChunks(chunks: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

/**
 * Reads and checks the header of a safetensors file: its length against the file, the JSON, each
 * entry's dtype, shape and offsets, and that the tensors tile the data exactly (no overlap, no gap,
 * nothing past the end). `fail(message)` builds the error to throw (the caller's error type).
 */
export function readSafetensorsHeader(bytes: unknown, fail: (message: string) => Error): SafetensorsHeader {
  if (!(bytes instanceof Uint8Array)) throw fail(`expects the file's bytes as a Uint8Array, got ${bytes === null ? "null" : typeof bytes}`);
  if (bytes.length < 8) throw fail(`the file is ${bytes.length} bytes, too short for the 8-byte header length (truncated or not a safetensors file)`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const length = view.getBigUint64(0, true);
  if (length > BigInt(bytes.length - 8)) {
    throw fail(`the header length ${length} (bytes 0-7) runs past the end of the file (${bytes.length} bytes): truncated or not a safetensors file`);
  }
  const start = 8 + Number(length);
  let header: unknown;
  try {
    header = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(bytes.subarray(8, start)));
  } catch (e) {
    throw fail(`the header (bytes 8-${start - 1}) is not valid JSON: ${(e as Error).message}`);
  }
  if (typeof header !== "object" || header === null || Array.isArray(header)) throw fail("the header is not a JSON object");
  const dataLength = bytes.length - start;
  const tensors = new Map<string, TensorEntry>();
  let metadata: Record<string, string> | undefined;
  for (const [name, value] of Object.entries(header)) {
    if (name === "__metadata__") metadata = checkMetadata(value, fail);
    else tensors.set(name, checkEntry(name, value, start, dataLength, fail));
  }
  checkTiling([...tensors.values()], start, dataLength, fail);
  return { tensors, metadata };
}

function checkMetadata(value: unknown, fail: (message: string) => Error): Record<string, string> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) throw fail("__metadata__ must be a JSON object of strings");
  for (const [k, v] of Object.entries(value)) {
    if (typeof v !== "string") throw fail(`__metadata__ values must be strings, got ${JSON.stringify(v)} for "${k}"`);
  }
  return value as Record<string, string>;
}

function checkEntry(name: string, value: unknown, start: number, dataLength: number, fail: (message: string) => Error): TensorEntry {
  if (typeof value !== "object" || value === null) throw fail(`tensor "${name}" must be an object with dtype, shape and data_offsets`);
  const { dtype, shape, data_offsets: offsets } = value as Record<string, unknown>;
  const size = typeof dtype === "string" ? itemSizes[dtype] : undefined;
  if (size === undefined) throw fail(`tensor "${name}" has an unknown dtype ${JSON.stringify(dtype)}`);
  if (!Array.isArray(shape) || !shape.every((n) => Number.isSafeInteger(n) && n >= 0)) throw fail(`tensor "${name}" has a shape that is not a list of whole numbers: ${JSON.stringify(shape)}`);
  if (!Array.isArray(offsets) || offsets.length !== 2 || !offsets.every((n) => Number.isSafeInteger(n) && n >= 0) || offsets[0] > offsets[1]) {
    throw fail(`tensor "${name}" has data_offsets that are not [begin, end] with 0 <= begin <= end: ${JSON.stringify(offsets)}`);
  }
  const [begin, end] = offsets as [number, number];
  if (end > dataLength) throw fail(`tensor "${name}" data_offsets [${begin}, ${end}] run past the end of the data (${dataLength} bytes): the file is truncated`);
  const count = (shape as number[]).reduce((p, n) => p * n, 1);
  if ((end - begin) !== count * size) {
    throw fail(`tensor "${name}" of dtype ${dtype} and shape [${shape.join(", ")}] needs ${count * size} bytes, its data_offsets [${begin}, ${end}] hold ${end - begin}`);
  }
  return { name, dtype: dtype as string, shape: shape as number[], begin: start + begin, end: start + end };
}

/** The tensors must cover the data exactly once: sorted by offset, each starts where the previous ends. */
function checkTiling(entries: TensorEntry[], start: number, dataLength: number, fail: (message: string) => Error): void {
  const sorted = [...entries].sort((a, b) => a.begin - b.begin || a.end - b.end);
  let at = start, previous: TensorEntry | undefined;
  for (const e of sorted) {
    if (e.begin < at) throw fail(`tensor "${e.name}" data_offsets [${e.begin - start}, ${e.end - start}] overlap tensor "${previous!.name}" [${previous!.begin - start}, ${previous!.end - start}]`);
    if (e.begin > at) throw fail(`bytes [${at - start}, ${e.begin - start}) of the data belong to no tensor`);
    at = e.end;
    previous = e;
  }
  if (at !== start + dataLength) throw fail(`bytes [${at - start}, ${dataLength}) of the data belong to no tensor (the file is longer than its header says)`);
}

/**
 * Copies tensor `entry` (F64 or F32) into `out`, converting F32 to F64 or back as `out` requires.
 * On a little-endian host with matching dtypes this is one byte copy.
 */
export function readFloats(bytes: Uint8Array, entry: TensorEntry, out: Float64Array | Float32Array, littleHost = hostIsLittleEndian): void {
  const source = bytes.subarray(entry.begin, entry.end);
  const wide = entry.dtype === "F64";
  const sameType = wide === out instanceof Float64Array;
  if (littleHost && sameType) {
    new Uint8Array(out.buffer, out.byteOffset, out.byteLength).set(source);
  } else if (littleHost) {
    // An aligned copy of the bytes, viewed as the file's type; `set` converts each number. (Not
    // source.slice(): on a Node Buffer, slice is a view of the whole file, not a copy.)
    const copy = new Uint8Array(source);
    out.set(wide ? new Float64Array(copy.buffer) : new Float32Array(copy.buffer));
  } else {
    const view = new DataView(source.buffer, source.byteOffset, source.byteLength);
    for (let i = 0; i < out.length; i++) out[i] = wide ? view.getFloat64(i * 8, true) : view.getFloat32(i * 4, true);
  }
}

/** Reads an I32 tensor into a new Int32Array. */
export function readInt32(bytes: Uint8Array, entry: TensorEntry, littleHost = hostIsLittleEndian): Int32Array {
  const source = bytes.subarray(entry.begin, entry.end);
  if (littleHost) return new Int32Array(new Uint8Array(source).buffer);
  const view = new DataView(source.buffer, source.byteOffset, source.byteLength);
  return Int32Array.from({ length: source.length / 4 }, (_, i) => view.getInt32(i * 4, true));
}
