/**
 * Run by kernels-heap.test.ts in a child `node --expose-gc`: heap arrays dropped without
 * freeHeapArray go back to the heap once the garbage collector has collected them
 * (FinalizationRegistry), and the blocks are reused. Prints one JSON line.
 */
import { heapFloat32Array, heapUsage } from "../src/kernels/wasm/heap.js";

const before = heapUsage().live;
(() => {
  for (let i = 0; i < 200; i++) heapFloat32Array(10_000).fill(i); // 40 KB each, dropped at once
})();
const dropped = heapUsage().live - before;
let after = dropped;
for (let round = 0; round < 20 && after > 0; round++) {
  globalThis.gc?.();
  await new Promise((resolve) => setTimeout(resolve, 20)); // cleanup callbacks run as tasks after a collection
  after = heapUsage().live - before;
}
console.log(JSON.stringify({ gcExposed: typeof globalThis.gc === "function", dropped, after, top: heapUsage().top }));
