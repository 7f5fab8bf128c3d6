/**
 * What an array in the kernel heap costs to make and free, against an ordinary typed array:
 * heapFloat32Array (allocate, zero, register with the FinalizationRegistry) + freeHeapArray, for a
 * bias-sized, a 784-128-10-weight-sized and a 1024x1024-weight-sized array. CPU time, median of 5.
 *
 *   node --import tsx bench/kernels/heap.ts
 */
import { freeHeapArray, heapFloat32Array } from "../../src/kernels/wasm/heap.js";
import { median, secondsPerCall } from "./shapes.js";

let sink = 0;
console.log("| length | new Float32Array (us) | heapFloat32Array + freeHeapArray (us) |\n|---:|---:|---:|");
for (const n of [128, 100352, 1048576]) {
  const plain: number[] = [], heap: number[] = [];
  for (let r = 0; r < 5; r++) {
    plain.push(secondsPerCall(() => { sink += new Float32Array(n).length; }, 100) * 1e6);
    heap.push(secondsPerCall(() => { const x = heapFloat32Array(n); sink += x.length; freeHeapArray(x); }, 100) * 1e6);
  }
  console.log(`| ${n} | ${median(plain).toFixed(2)} | ${median(heap).toFixed(2)} |`);
}
if (sink < 0) console.log(sink);
