/**
 * Instantiating the assembled kernels (kernels.generated.ts): every module imports the kernel
 * heap's memory, so they all read and write the same arrays. Two sets exist: "plain" (WebAssembly
 * SIMD: mul then add) and "relaxed" (relaxed SIMD's fused multiply-add, where the runtime validates
 * it). The set in use is chosen once, at first use, by validating a tiny probe module
 * (`WebAssembly.validate`), and can be forced with `setSimdVariant` (the tests run both).
 */
import { MODULES, RELAXED_PROBE } from "./kernels.generated.js";
import { kernelHeap } from "./heap.js";

/** The packed matrix product's exports (gemm-f64.wat, gemm-f32.wat); addresses are byte offsets. */
export interface GemmExports {
  /** C (+)= alpha packed A times packed B, over nPanels x mPanels blocks and kc steps of k; ldc bytes per row of C. */
  readonly kernel: (pa: number, pb: number, pc: number, mPanels: number, nPanels: number, kc: number, first: number, ldc: number, alpha: number) => void;
}

/** The float32 kernel's second entry (gemm-f32.wat): op(A) read in place, block ip's row r at pa + ip panelStep + r rowStep, aStep bytes per step. */
export interface InPlaceExports {
  readonly kernelInPlace: (
    pa: number, rowStep: number, aStep: number, panelStep: number, pb: number, pc: number,
    mPanels: number, nPanels: number, kc: number, first: number, ldc: number, alpha: number,
  ) => void;
}

/** Packing and copying out, in the element type of A, B and C (gemm-f64.wat, gemm-f32.wat, convert-f32.wat). */
export interface PackExports {
  /** Packs `lines` lines (rows of op(A) or columns of op(B)) into panels of `width` lines. */
  readonly pack: (src: number, line: number, lines: number, width: number, kc: number, dst: number) => void;
  /** The same panels from a layout whose values for one step of k are contiguous (`stride` bytes per step). */
  readonly packRows: (src: number, stride: number, lines: number, width: number, kc: number, dst: number) => void;
  /** Writes (or adds, when accumulate = 1) alpha times the m x n part of the padded C into the matrix at dst. */
  readonly copyOut: (pc: number, ldc: number, m: number, n: number, dst: number, accumulate: number, alpha: number) => void;
}

/** The matrix-vector kernels (matvec-f32.wat, matvec-f64.wat). */
export interface MatvecExports {
  readonly gemvN: (w: number, ldw: number, m: number, k: number, x: number, y: number, incy: number, alpha: number, acc: number) => void;
  readonly gemvT: (w: number, ldw: number, m: number, k: number, x: number, incx: number, y: number, alpha: number, acc: number) => void;
  readonly rank1: (x: number, incx: number, m: number, y: number, n: number, c: number, ldc: number, alpha: number, acc: number) => void;
  readonly gather: (src: number, stride: number, count: number, dst: number) => void;
  readonly scatter: (src: number, count: number, dst: number, stride: number, acc: number) => void;
}

/** The optimizer updates (update-f32.wat, update-f64.wat) on arrays in the heap. */
export interface UpdateExports {
  readonly adam: (w: number, g: number, m: number, v: number, n: number, beta1: number, beta2: number, stepSize: number, eps: number) => void;
  readonly momentum: (w: number, g: number, v: number, n: number, beta: number, rate: number) => void;
  readonly axpy: (x: number, s: number, out: number, n: number) => void;
  /** 1 when the n entries at p are all finite, else 0. */
  readonly allFinite: (p: number, n: number) => number;
  /** memory.copy of `bytes` bytes from src to dst. */
  readonly copy: (src: number, dst: number, bytes: number) => void;
}

/** The ReLU steps of a training step (relu-f32.wat, relu-f64.wat) on arrays in the heap. */
export interface ReluExports {
  /** z[i][j] += bias[i], then a[i][j] = z[i][j] < 0 ? 0 : z[i][j], for a rows x cols z. */
  readonly addBiasThenF: (z: number, rows: number, cols: number, bias: number, a: number) => void;
  /** g = f'(z) (.) g over n entries (a NaN z gives NaN). */
  readonly timesDerivative: (z: number, g: number, n: number) => void;
}

/** The row sums (rowsum-f32.wat, rowsum-f64.wat): out[i] = sum over j of m[i][j], summed in float64 from j = 0 up. */
export interface RowSumExports {
  readonly sumRows: (m: number, rows: number, cols: number, out: number) => void;
}

/** One instance of every module, all on the kernel heap's memory. */
export interface KernelSet {
  readonly variant: SimdVariant;
  readonly f64: GemmExports & PackExports;
  readonly f32: GemmExports & PackExports & InPlaceExports;
  /** float64 A, B and C packed into float32 panels and back (the "wasm-f32" backend) */
  readonly convert: PackExports;
  readonly mv32: MatvecExports;
  readonly mv64: MatvecExports;
  readonly up32: UpdateExports;
  readonly up64: UpdateExports;
  readonly relu32: ReluExports;
  readonly relu64: ReluExports;
  readonly sum32: RowSumExports;
  readonly sum64: RowSumExports;
}

/** "plain": WebAssembly SIMD (f32x4.mul + f32x4.add); "relaxed": relaxed SIMD's relaxed_madd. */
export type SimdVariant = "plain" | "relaxed";

function decode(base64: string): Uint8Array<ArrayBuffer> {
  const text = atob(base64);
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
  return bytes;
}

type ModuleName = keyof typeof MODULES;

/** The binary of one module in a variant, for the heap's kind of memory. */
function binary(name: ModuleName, variant: SimdVariant, shared: boolean): Uint8Array<ArrayBuffer> {
  const v: Record<string, string> = MODULES[name];
  const key = (v[variant] === undefined ? "plain" : variant) + (shared ? "Shared" : ""); // modules without multiply-adds have no relaxed variant
  return decode(v[key]!);
}

const names = Object.keys(MODULES) as ModuleName[];
const sets: Partial<Record<SimdVariant, KernelSet | null>> = {};

function instantiateSet(variant: SimdVariant): KernelSet | null {
  const heap = kernelHeap();
  if (heap === undefined) return null;
  try {
    const exports: Record<string, unknown> = {};
    for (const name of names) {
      const bytes = binary(name, variant, heap.shared);
      if (!WebAssembly.validate(bytes)) return null;
      exports[name] = new WebAssembly.Instance(new WebAssembly.Module(bytes), { env: { memory: heap.memory } }).exports;
    }
    // Each module exports exactly the functions its interface lists (the .wat files); WebAssembly's
    // exports are untyped, so the shape is asserted here and checked by the kernel tests.
    const e = exports as unknown as {
      "gemm-f64": GemmExports & PackExports; "gemm-f32": GemmExports & PackExports & InPlaceExports; "convert-f32": PackExports;
      "matvec-f32": MatvecExports; "matvec-f64": MatvecExports; "update-f32": UpdateExports; "update-f64": UpdateExports;
      "relu-f32": ReluExports; "relu-f64": ReluExports; "rowsum-f32": RowSumExports; "rowsum-f64": RowSumExports;
    };
    return {
      variant, f64: e["gemm-f64"], f32: e["gemm-f32"], convert: e["convert-f32"], mv32: e["matvec-f32"], mv64: e["matvec-f64"],
      up32: e["update-f32"], up64: e["update-f64"], relu32: e["relu-f32"], relu64: e["relu-f64"],
      sum32: e["rowsum-f32"], sum64: e["rowsum-f64"],
    };
  } catch {
    return null;
  }
}

/** The kernels in a variant (instantiated once), or null where the runtime lacks it. */
function setOf(variant: SimdVariant): KernelSet | null {
  if (!(variant in sets)) sets[variant] = instantiateSet(variant);
  return sets[variant]!;
}

let relaxedProbe: boolean | undefined;

/** True when the runtime validates relaxed SIMD (Node 22+, Chromium; Node 20 with --experimental-wasm-relaxed-simd). */
export function relaxedSimdAvailable(): boolean {
  if (relaxedProbe === undefined) relaxedProbe = typeof WebAssembly !== "undefined" && WebAssembly.validate(decode(RELAXED_PROBE));
  return relaxedProbe;
}

let chosen: KernelSet | null | undefined;

/** The kernels in use: relaxed where the probe validates, else plain; null without WebAssembly SIMD. */
export function kernels(): KernelSet | null {
  if (chosen === undefined) chosen = (relaxedSimdAvailable() ? setOf("relaxed") : null) ?? setOf("plain");
  return chosen;
}

/**
 * Forces a variant ("auto" = the load-time choice above); returns the variant now in use. Throws
 * when the runtime lacks it. Both variants compute the same products to within rounding (relaxed
 * multiply-adds may be fused: one rounding instead of two).
 */
export function setSimdVariant(variant: SimdVariant | "auto"): SimdVariant {
  if (variant === "auto") {
    chosen = undefined;
  } else {
    const set = variant === "relaxed" && !relaxedSimdAvailable() ? null : setOf(variant);
    if (set === null) throw new Error(`setSimdVariant: this runtime lacks ${variant === "relaxed" ? "relaxed SIMD (Node 20 needs --experimental-wasm-relaxed-simd)" : "WebAssembly SIMD"}`);
    chosen = set;
  }
  const set = kernels();
  if (set === null) throw new Error("setSimdVariant: this runtime lacks WebAssembly SIMD");
  return set.variant;
}
