/** Instantiating the assembled kernels: decode the base64 text, validate, compile synchronously (each under 1 KB). */

/** What each kernel module exports (see gemm.wat and gemm-f32.wat). */
export interface GemmModule {
  readonly memory: WebAssembly.Memory;
  readonly kernel: (pa: number, pb: number, pc: number, mPanels: number, nPanels: number, kc: number, first: number) => void;
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
    // The module exports exactly these two; WebAssembly's exports are untyped.
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
