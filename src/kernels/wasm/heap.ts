/**
 * The kernel heap: the one WebAssembly.Memory that every kernel module imports, and a small
 * allocator over it.
 *
 * Where the runtime allows it (Node; browsers only when cross-origin isolated) the memory is
 * shared (`WebAssembly.Memory({ shared: true, maximum })`): growing a shared memory never moves or
 * detaches it, so Float32Array / Float64Array views handed out of it (`heapFloat32Array`) stay
 * valid for good, and a product whose operands live there reads them in place instead of copying
 * them in (`isResident`). Elsewhere the memory is an ordinary one: growing it detaches every view,
 * so nothing is handed out, `heapFloat32Array` returns an ordinary array and every product copies
 * its operands into scratch, as before.
 *
 * The allocator: blocks of 64-byte multiples (cache lines; any float64 view is aligned), first fit
 * in an address-ordered free list with neighbours merged on release, else from the top, growing
 * the memory. A training program allocates a few dozen long-lived blocks (weights, gradients,
 * workspace buffers) and one scratch block that only grows, so the list stays short.
 */

const PAGE = 65536;
const LINE = 64;
/** 4 GiB, WebAssembly's limit for 32-bit addresses; the shared variant of each module declares it. */
const MAX_PAGES = 65536;

interface Heap {
  readonly memory: WebAssembly.Memory;
  readonly shared: boolean;
  /** memory.buffer as last seen, and views of it; replaced when this file grows the memory */
  buffer: ArrayBuffer | SharedArrayBuffer;
  f32: Float32Array;
  f64: Float64Array;
  /** next free byte above every block */
  top: number;
  /** free blocks below top, by address: [offset, bytes] */
  readonly free: [number, number][];
  /** bytes of each live block, by offset */
  readonly sizes: Map<number, number>;
}

let heap: Heap | undefined;

/** Every buffer object the shared memory has had (a grow gives memory.buffer a new object over the same memory). */
const heapBuffers = new WeakSet<ArrayBufferLike>();

function createMemory(): { memory: WebAssembly.Memory; shared: boolean } {
  // A shared memory needs SharedArrayBuffer (absent in browsers that are not cross-origin
  // isolated) and a maximum, whose address space the engine reserves up front; try 4 GiB, then
  // 1 GiB for engines that refuse that much.
  if (typeof SharedArrayBuffer !== "undefined") {
    for (const maximum of [MAX_PAGES, MAX_PAGES / 4]) {
      try {
        return { memory: new WebAssembly.Memory({ initial: 1, maximum, shared: true }), shared: true };
      } catch {
        // too large a reservation, or shared memory unsupported: try the next
      }
    }
  }
  return { memory: new WebAssembly.Memory({ initial: 1 }), shared: false };
}

function refresh(h: Heap): void {
  h.buffer = h.memory.buffer;
  if (h.shared) heapBuffers.add(h.buffer);
  h.f32 = new Float32Array(h.buffer);
  h.f64 = new Float64Array(h.buffer);
}

/** The heap, created on first use; undefined where WebAssembly is absent. */
export function kernelHeap(): Heap | undefined {
  if (heap === undefined && typeof WebAssembly !== "undefined") {
    const { memory, shared } = createMemory();
    heap = { memory, shared, buffer: memory.buffer, f32: new Float32Array(0), f64: new Float64Array(0), top: LINE, free: [], sizes: new Map() };
    refresh(heap);
  }
  return heap;
}

/** True when the heap's memory is shared, so that arrays can live in it (see the file comment). */
export function heapIsShared(): boolean {
  return kernelHeap()?.shared ?? false;
}

/** Byte offset of a new block of at least `bytes`, or undefined when the memory cannot grow that far. */
export function allocate(bytes: number): number | undefined {
  const h = kernelHeap();
  if (h === undefined) return undefined;
  const size = Math.max(LINE, Math.ceil(bytes / LINE) * LINE);
  for (let i = 0; i < h.free.length; i++) {
    const [at, have] = h.free[i]!;
    if (have < size) continue;
    if (have === size) h.free.splice(i, 1);
    else h.free[i] = [at + size, have - size];
    h.sizes.set(at, size);
    return at;
  }
  const at = h.top, end = at + size;
  if (end > h.buffer.byteLength) {
    const have = h.buffer.byteLength / PAGE;
    // at least an eighth more each time, so a slowly growing program grows the memory rarely
    const want = Math.max(Math.ceil(end / PAGE), Math.ceil(have * 1.125));
    try {
      h.memory.grow(want - have);
    } catch {
      try {
        h.memory.grow(Math.ceil(end / PAGE) - have);
      } catch {
        return undefined; // RangeError: over the maximum, or out of memory
      }
    }
    refresh(h);
  }
  h.top = end;
  h.sizes.set(at, size);
  return at;
}

/** Returns the block at `at` (from `allocate`) to the heap. */
export function release(at: number): void {
  const h = kernelHeap();
  const size = h?.sizes.get(at);
  if (h === undefined || size === undefined) throw new Error(`release: no block at byte ${at} of the kernel heap`);
  h.sizes.delete(at);
  let i = 0;
  while (i < h.free.length && h.free[i]![0] < at) i++;
  h.free.splice(i, 0, [at, size]);
  // merge with the next block, then with the previous one, then give the last block back to the top
  const next = h.free[i + 1];
  if (next !== undefined && at + size === next[0]) h.free.splice(i, 2, [at, size + next[1]]);
  const prev = h.free[i - 1];
  if (prev !== undefined && prev[0] + prev[1] === at) h.free.splice(i - 1, 2, [prev[0], prev[1] + h.free[i]![1]]);
  const last = h.free[h.free.length - 1];
  if (last !== undefined && last[0] + last[1] === h.top) {
    h.top = last[0];
    h.free.pop();
  }
}

/** Bytes in live blocks and the top of the heap (for tests and measurements). */
export function heapUsage(): { live: number; top: number; blocks: number; freeBlocks: number } {
  const h = kernelHeap();
  if (h === undefined) return { live: 0, top: 0, blocks: 0, freeBlocks: 0 };
  let live = 0;
  for (const size of h.sizes.values()) live += size;
  return { live, top: h.top, blocks: h.sizes.size, freeBlocks: h.free.length };
}

/** The heap's memory as float32 and float64 views, current after every growth made here. */
export function heapViews(): { f32: Float32Array; f64: Float64Array; buffer: ArrayBufferLike } | undefined {
  return kernelHeap();
}

/** True when x lies in the shared kernel heap, so a product can read and write it in place. */
export function isResident(x: Float32Array | Float64Array): boolean {
  return heap !== undefined && heap.shared && heapBuffers.has(x.buffer);
}

// Blocks of arrays that were dropped without `freeHeapArray` go back when the array is collected.
// The registry holds the array weakly: a subarray of it does not keep the block (see heapFloat32Array).
const registry = typeof FinalizationRegistry === "undefined" ? undefined : new FinalizationRegistry<number>((at) => release(at));

function heapArray<T extends Float32Array | Float64Array>(length: number, bytesPer: number, make: (buffer: ArrayBufferLike, at: number) => T): T | undefined {
  if (!heapIsShared()) return undefined;
  const at = allocate(length * bytesPer);
  if (at === undefined) return undefined;
  const view = make(kernelHeap()!.buffer, at);
  view.fill(0);
  registry?.register(view, at, view);
  return view;
}

/**
 * A zeroed Float32Array of `length` in the kernel heap where the heap is shared (products then
 * read and write it in place), else an ordinary one. Its block returns to the heap by
 * `freeHeapArray(x)`, or when x is garbage collected (FinalizationRegistry): a subarray of x does
 * not keep the block alive, so keep x itself while any view of it is in use.
 */
export function heapFloat32Array(length: number): Float32Array {
  return heapArray(length, 4, (buffer, at) => new Float32Array(buffer, at, length)) ?? new Float32Array(length);
}

/** The float64 twin of `heapFloat32Array`. */
export function heapFloat64Array(length: number): Float64Array {
  return heapArray(length, 8, (buffer, at) => new Float64Array(buffer, at, length)) ?? new Float64Array(length);
}

/** Returns x's block to the heap at once (x must not be used afterwards); does nothing for an ordinary array. */
export function freeHeapArray(x: Float32Array | Float64Array): void {
  if (!isResident(x) || registry === undefined) return;
  if (registry.unregister(x)) release(x.byteOffset);
}
