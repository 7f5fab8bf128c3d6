/**
 * `node --experimental-wasm-relaxed-simd bench/profile/predict.mjs [rounds]`: batch-1 predict at
 * 784-1024-1024-10 in float64 and float32, alternated in this process (ROUNDS, default 9, each
 * sample at least 200 ms): microseconds per call, the bytes of weights and biases each call reads,
 * and the GB/s that makes. Compare with bandwidth.mjs.
 */
import { build } from "./cases.mjs";

const rounds = Number(process.argv[2] ?? "9");
const cases = ["predict-1024-f64", "predict-1024-f32"].map((name) => ({ name, ...build(name), us: [] }));
for (const c of cases) for (let i = 0; i < 20; i++) c.run();
for (let r = 0; r < rounds; r++) {
  for (const c of r % 2 === 0 ? cases : [...cases].reverse()) {
    let n = 0;
    const t0 = performance.now();
    do { c.run(); n++; } while (performance.now() - t0 < 200);
    c.us.push(((performance.now() - t0) * 1000) / n);
  }
}
for (const c of cases) {
  const s = [...c.us].sort((a, b) => a - b), med = s[s.length >> 1];
  const gb = (us) => (c.bytes / (us * 1e-6) / 1e9).toFixed(1);
  process.stdout.write(`${c.name}: ${med.toFixed(0)} us (${s[0].toFixed(0)}-${s[s.length - 1].toFixed(0)}), ${(c.bytes / 1e6).toFixed(2)} MB of weights per call, ${gb(med)} GB/s (${gb(s[s.length - 1])}-${gb(s[0])}), ${(c.flops / (med * 1e3)).toFixed(2)} GFLOP/s\n`);
}
