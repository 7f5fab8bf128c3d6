/**
 * `node --experimental-wasm-relaxed-simd bench/profile/predict-small.mjs [rounds]`: batch-1 predict
 * at 784-128-10 against its first product alone (W^1 x, 128 x 784 weights, on the same network's
 * resident arrays), float64 and float32, alternated in this process (ROUNDS, default 9, each
 * sample at least 150 ms): microseconds per call, and the GB/s at which the product reads W^1.
 * docs/performance.md uses it for the float64 predict target at 784-128-10.
 */
import { fromArray, matmul, mlp, predict, widen, zeros } from "../../dist/index.js";

const rounds = Number(process.argv[2] ?? "9");
const cases = ["float64", "float32"].flatMap((dtype) => {
  const net = widen(mlp([784, 128, 10], { seed: 1, dtype }));
  const data = dtype === "float32" ? new Float32Array(784) : new Float64Array(784);
  for (let i = 0; i < 784; i++) data[i] = ((i * 37) % 255) / 255;
  const x = widen(fromArray(data, 784, 1)), out = widen(zeros(10, 1, dtype)), z = widen(zeros(128, 1, dtype));
  const bytes = 128 * 784 * (dtype === "float32" ? 4 : 8);
  return [
    { name: `predict ${dtype}`, run: () => predict(net, x, out), bytes: 0, us: [] },
    { name: `W^1 x alone ${dtype}`, run: () => matmul(net.weights[0], x, z), bytes, us: [] },
  ];
});
for (const c of cases) for (let i = 0; i < 20000; i++) c.run();
for (let r = 0; r < rounds; r++) {
  for (const c of r % 2 === 0 ? cases : [...cases].reverse()) {
    let n = 0;
    const t0 = performance.now();
    do { for (let i = 0; i < 100; i++) c.run(); n += 100; } while (performance.now() - t0 < 150);
    c.us.push(((performance.now() - t0) * 1000) / n);
  }
}
for (const c of cases) {
  const s = [...c.us].sort((a, b) => a - b), med = s[s.length >> 1];
  const rate = c.bytes ? `, ${(c.bytes / (med * 1e-6) / 1e9).toFixed(1)} GB/s of weights` : "";
  process.stdout.write(`${c.name}: ${med.toFixed(2)} us (${s[0].toFixed(2)}-${s[s.length - 1].toFixed(2)})${rate}\n`);
}
