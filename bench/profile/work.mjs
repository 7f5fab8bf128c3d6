/**
 * `node --cpu-prof bench/profile/work.mjs CASE [seconds] [--products]`: runs one case of cases.mjs
 * for a while (default 8 s), to be profiled; with --products, only the products of its step.
 */
import { build } from "./cases.mjs";
const args = process.argv.slice(2);
const onlyProducts = args.includes("--products");
const [name, seconds = "8"] = args.filter((a) => a !== "--products");
const built = build(name);
const run = onlyProducts ? built.products : built.run;
if (!run) throw new Error(`work: case ${name} has no products of its own`);
for (let i = 0; i < 5; i++) run(); // warm-up
const t0 = performance.now();
let n = 0;
while (performance.now() - t0 < Number(seconds) * 1000) { run(); n++; }
const ms = (performance.now() - t0) / n;
process.stdout.write(`${name}${onlyProducts ? " (products only)" : ""}: ${n} runs, ${ms.toFixed(3)} ms each, ${(built.flops / ms / 1e6).toFixed(1)} GFLOP/s of the step's products\n`);
