/** Instantiating the assembled kernels: decode the base64 text, validate, compile synchronously (each under 1 KB). */

/** What each kernel module exports (see gemm.wat and gemm-f32.wat); addresses are byte offsets. */
export interface GemmModule {
  readonly memory: WebAssembly.Memory;
  /** C (+)= packed A times packed B, over nPanels x mPanels blocks and kc steps of k. */
  readonly kernel: (pa: number, pb: number, pc: number, mPanels: number, nPanels: number, kc: number, first: number) => void;
  /** Packs `lines` float64 lines (rows of op(A) or columns of op(B)) into panels of `width` lines. */
  readonly pack: (src: number, line: number, lines: number, width: number, kc: number, dst: number) => void;
  /** The same panels from a layout whose values for one step of k are contiguous (`stride` bytes per step). */
  readonly packRows: (src: number, stride: number, lines: number, width: number, kc: number, dst: number) => void;
  /** Copies (or adds, when accumulate = 1) alpha times the m x n part of the padded C into a float64 matrix. */
  readonly copyOut: (pc: number, ldc: number, m: number, n: number, dst: number, accumulate: number, alpha: number) => void;
}

function decode(base64: string): Uint8Array<ArrayBuffer> {
  const text = atob(base64);
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
  return bytes;
}

/** The module, or null where WebAssembly SIMD is not available. */
export function instantiate(base64: string): GemmModule | null {
  try {
    const bytes = decode(base64);
    if (typeof WebAssembly === "undefined" || !WebAssembly.validate(bytes)) return null;
    const instance = new WebAssembly.Instance(new WebAssembly.Module(bytes), {});
    // The module exports exactly these five (gemm.wat, gemm-f32.wat); WebAssembly's exports are untyped.
    return instance.exports as unknown as GemmModule;
  } catch {
    return null;
  }
}

/** Grows the module's memory to at least `bytes` and returns its buffer. */
export function memoryOf(g: GemmModule, bytes: number): ArrayBuffer {
  const have = g.memory.buffer.byteLength;
  if (have < bytes) g.memory.grow(Math.ceil((bytes - have) / 65536));
  return g.memory.buffer;
}
