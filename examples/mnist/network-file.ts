/**
 * Model files for the networks `saveModel` cannot write yet: a CNN, and a float32 network (main's
 * src/io writes float64 dense networks). A stopgap until src/io learns them (the `formats`
 * branch): TODO(merge) replace `saveNetwork` / `readNetwork` by `saveModel` / `loadModel`.
 *
 * The file is a safetensors file like the library's: an 8-byte little-endian header length, a JSON
 * header, the raw little-endian numbers. Tensors carry the `state_dict` names of the equivalent
 * PyTorch `nn.Sequential` (one module per layer and per activation other than identity), in
 * PyTorch's shapes: a convolution's F x (C*KH*KW) weight matrix is `[F, C, KH, KW]`, a dense
 * layer's `[out, in]`, so the numbers are stored as they are. `__metadata__` holds the format name
 * `shapegrad-cli-network`, the input shape, and the layers with their activations, from which the
 * reader rebuilds the network through `sequentialWith` (so every shape is checked again).
 */
import {
  conv2d, dense, flatten, input, maxPool2d, ModelFormatError, sequentialWith, sigmoid, softmax, tanh, relu, identity,
  type AnyLayer, type AnyMlp, type AnyNetwork, type DType, type LayerArg,
} from "../../src/index.js";
import { writeFileAtomic } from "../../src/node.js";

export const NETWORK_FORMAT = "shapegrad-cli-network";
const VERSION = "1";

/** True for a float64 network of dense layers only: the networks `saveModel` and the exporters take. */
export function isMlp(net: AnyNetwork): net is AnyMlp {
  return net.dtype === "float64" && net.layers.every((l) => l.kind === "dense");
}

/** One layer as stored: its spec's fields (kind first) and its activation. */
interface StoredLayer {
  readonly spec: Record<string, unknown>;
  readonly activation: string;
}

interface Tensor { readonly name: string; readonly shape: number[]; readonly data: Float64Array | Float32Array }

/** The tensors of `net` in file order, named by nn.Sequential module index. */
function tensorsOf(net: AnyNetwork): Tensor[] {
  const tensors: Tensor[] = [];
  let module = 0;
  net.layers.forEach((layer, l) => {
    const w = net.weights[l], b = net.biases[l];
    if (layer.weightShape && w && b) {
      const shape = layer.kind === "conv2d" ? [layer.weightShape[0], layer.inputShape[0]!, ...kernelOf(layer)] : [...layer.weightShape];
      tensors.push({ name: `${module}.weight`, shape, data: w.data }, { name: `${module}.bias`, shape: [layer.weightShape[0]], data: b.data });
    }
    module += layer.activation === "identity" ? 1 : 2;
  });
  return tensors;
}

function kernelOf(layer: AnyLayer): [number, number] {
  const kernel: unknown = (layer.spec as { readonly kernel?: unknown }).kernel;
  if (!Array.isArray(kernel) || kernel.length !== 2) throw new Error(`saveNetwork: conv2d layer without a kernel size`);
  return [Number(kernel[0]), Number(kernel[1])];
}

/** `saveNetwork(net, "out/model.safetensors")`: atomically, refusing a NaN or infinite parameter (nothing written). */
export function saveNetwork(net: AnyNetwork, path: string): void {
  if (new Uint8Array(new Uint16Array([1]).buffer)[0] !== 1) throw new Error("saveNetwork: this stopgap writes little-endian hosts only");
  const tensors = tensorsOf(net);
  for (const t of tensors) {
    const at = t.data.findIndex((v) => !Number.isFinite(v));
    if (at >= 0) throw new RangeError(`saveNetwork refuses to save a model with a non-finite parameter: ${t.data[at]} in tensor "${t.name}" at ${at}; nothing was written`);
  }
  const layers: StoredLayer[] = net.layers.map((l) => ({ spec: { ...l.spec }, activation: l.activation }));
  const header: Record<string, unknown> = {
    __metadata__: {
      format: NETWORK_FORMAT, version: VERSION, dtype: net.dtype, loss: net.loss,
      input: JSON.stringify(net.layers[0]!.inputShape), layers: JSON.stringify(layers),
    },
  };
  let offset = 0;
  for (const t of tensors) {
    header[t.name] = { dtype: t.data instanceof Float32Array ? "F32" : "F64", shape: t.shape, data_offsets: [offset, offset + t.data.byteLength] };
    offset += t.data.byteLength;
  }
  const json = JSON.stringify(header);
  const headerLength = Math.ceil(Buffer.byteLength(json) / 8) * 8; // data starts at a multiple of 8
  const bytes = Buffer.alloc(8 + headerLength + offset, 0x20);
  bytes.writeBigUInt64LE(BigInt(headerLength), 0);
  bytes.write(json, 8);
  let at = 8 + headerLength;
  for (const t of tensors) {
    bytes.set(new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength), at);
    at += t.data.byteLength;
  }
  writeFileAtomic(path, bytes);
}

const fail = (path: string, message: string) => new ModelFormatError(`${path}: ${message}`, "readNetwork");

/** The `__metadata__` of a safetensors file, or undefined when it has none or is not one. */
export function safetensorsMetadata(bytes: Uint8Array): Record<string, unknown> | undefined {
  if (bytes.length < 8) return undefined;
  const length = Number(new DataView(bytes.buffer, bytes.byteOffset, 8).getBigUint64(0, true));
  if (length > bytes.length - 8) return undefined;
  try {
    const header: unknown = JSON.parse(Buffer.from(bytes.subarray(8, 8 + length)).toString("utf8"));
    const meta: unknown = typeof header === "object" && header !== null ? (header as Record<string, unknown>).__metadata__ : undefined;
    return typeof meta === "object" && meta !== null ? (meta as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** The layer argument `sequentialWith` takes for a stored layer, through the public constructors (which check every value). */
function layerArg(path: string, stored: unknown, at: number): LayerArg[] {
  const s = (typeof stored === "object" && stored !== null ? stored : {}) as Partial<StoredLayer>;
  const spec = (s.spec ?? {}) as Record<string, unknown>;
  const f = { relu, sigmoid, tanh, softmax, identity }[String(s.activation)];
  if (f === undefined) throw fail(path, `layer ${at}: unknown activation ${JSON.stringify(s.activation)}`);
  const pairOf = (v: unknown): [number, number] => (Array.isArray(v) && v.length === 2 ? [Number(v[0]), Number(v[1])] : [NaN, NaN]);
  let layer: LayerArg;
  try {
    if (spec.kind === "conv2d") layer = conv2d(Number(spec.filters), pairOf(spec.kernel), { stride: pairOf(spec.stride), padding: spec.padding as "valid" });
    else if (spec.kind === "maxPool2d") layer = maxPool2d(pairOf(spec.size), pairOf(spec.stride));
    else if (spec.kind === "flatten") layer = flatten();
    else if (spec.kind === "dense") layer = dense(Number(spec.outputs));
    else throw new Error(`unknown layer kind ${JSON.stringify(spec.kind)}`);
  } catch (e) {
    throw fail(path, `layer ${at}: ${e instanceof Error ? e.message : String(e)}`);
  }
  return s.activation === "identity" ? [layer] : [layer, f()];
}

/**
 * Reads a file written by `saveNetwork`: rebuilds the network from its layers, then checks every
 * tensor (present, dtype, shape, offsets inside the data, finite) before copying it in.
 */
export function readNetwork(bytes: Uint8Array, path: string): AnyNetwork {
  const meta = safetensorsMetadata(bytes);
  if (meta?.format !== NETWORK_FORMAT) throw fail(path, `expects format "${NETWORK_FORMAT}" in __metadata__, got ${JSON.stringify(meta?.format)}`);
  if (meta.version !== VERSION) throw fail(path, `expects version ${VERSION}, got ${JSON.stringify(meta.version)}`);
  const dtype = meta.dtype;
  if (dtype !== "float64" && dtype !== "float32") throw fail(path, `expects dtype float64 or float32, got ${JSON.stringify(dtype)}`);
  let shape: unknown, layers: unknown;
  try {
    shape = JSON.parse(String(meta.input));
    layers = JSON.parse(String(meta.layers));
  } catch {
    throw fail(path, "the input shape or the layer list in __metadata__ is not JSON");
  }
  if (!Array.isArray(shape) || (shape.length !== 1 && shape.length !== 3)) throw fail(path, `expects an input shape of 1 or 3 sizes, got ${JSON.stringify(shape)}`);
  if (!Array.isArray(layers) || layers.length === 0) throw fail(path, "expects a non-empty layer list");
  const args: LayerArg[] = [input(...(shape as [number, number, number])), ...layers.flatMap((l, i) => layerArg(path, l, i + 1))];
  let net: AnyNetwork;
  try {
    net = buildFrom(args, dtype);
  } catch (e) {
    throw fail(path, `the layers do not fit together: ${e instanceof Error ? e.message : String(e)}`);
  }
  if (net.loss !== meta.loss) throw fail(path, `expects loss ${net.loss} for these layers, got ${JSON.stringify(meta.loss)}`);
  copyTensors(bytes, path, net);
  return net;
}

function buildFrom(args: LayerArg[], dtype: DType): AnyNetwork {
  const [first, ...rest] = args;
  // A list read at run time: sequentialWith checks every layer against its input shape as it builds.
  return sequentialWith({ dtype }, [first!, ...rest]);
}

function copyTensors(bytes: Uint8Array, path: string, net: AnyNetwork): void {
  const length = Number(new DataView(bytes.buffer, bytes.byteOffset, 8).getBigUint64(0, true));
  const header = JSON.parse(Buffer.from(bytes.subarray(8, 8 + length)).toString("utf8")) as Record<string, unknown>;
  const start = 8 + length, want = tensorsOf(net);
  const names = Object.keys(header).filter((k) => k !== "__metadata__");
  const extra = names.filter((n) => !want.some((t) => t.name === n));
  if (extra.length > 0) throw fail(path, `unexpected tensor ${extra.map((n) => JSON.stringify(n)).join(", ")}`);
  for (const t of want) {
    const entry = header[t.name] as { dtype?: unknown; shape?: unknown; data_offsets?: unknown } | undefined;
    if (entry === undefined) throw fail(path, `missing tensor "${t.name}"`);
    const dtype = t.data instanceof Float32Array ? "F32" : "F64";
    if (entry.dtype !== dtype) throw fail(path, `tensor "${t.name}" expects dtype ${dtype}, got ${JSON.stringify(entry.dtype)}`);
    if (JSON.stringify(entry.shape) !== JSON.stringify(t.shape)) throw fail(path, `tensor "${t.name}" expects shape ${JSON.stringify(t.shape)}, got ${JSON.stringify(entry.shape)}`);
    const [begin, end] = Array.isArray(entry.data_offsets) ? entry.data_offsets.map(Number) : [NaN, NaN];
    if (!Number.isSafeInteger(begin) || end! - begin! !== t.data.byteLength || begin! < 0 || start + end! > bytes.length) {
      throw fail(path, `tensor "${t.name}" expects ${t.data.byteLength} bytes inside the file's ${bytes.length - start} bytes of data, got offsets ${JSON.stringify(entry.data_offsets)}`);
    }
    const copy = new Uint8Array(t.data.byteLength);
    copy.set(bytes.subarray(start + begin!, start + end!));
    const values = t.data instanceof Float32Array ? new Float32Array(copy.buffer) : new Float64Array(copy.buffer);
    const bad = values.findIndex((v) => !Number.isFinite(v));
    if (bad >= 0) throw fail(path, `tensor "${t.name}" holds ${values[bad]} at ${bad}`);
    t.data.set(values);
  }
}
