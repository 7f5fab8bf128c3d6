/**
 * `npm run train | predict | export -- [flags]`: bundles examples/mnist/bin-NAME.ts (and the
 * library sources it imports) with esbuild into one JavaScript file, then runs it in this process
 * with plain Node. Measured against running the TypeScript through tsx (docs/cli.md,
 * "Measurements"): the same results, about 50 MB less memory (tsx keeps a second JavaScript heap
 * for its module loader) and no slower start (the bundle takes about 0.1 s).
 *
 * The bundle goes to node_modules/.cache/shapegrad/NAME.mjs (rebuilt every run: it is only a cache).
 */
import { spawnSync } from "node:child_process";
import { setFlagsFromString } from "node:v8";
import { mkdirSync, renameSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const commands = ["train", "predict", "export"];
const [name, ...args] = process.argv.slice(2);
if (!commands.includes(name ?? "")) {
  process.stderr.write(`run.mjs expects one of ${commands.join(", ")}, got ${JSON.stringify(name)}\n`);
  process.exit(2);
}
const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const cache = join(root, "node_modules", ".cache", "shapegrad");
mkdirSync(cache, { recursive: true }); // our own folder inside node_modules, never a user's path
const outfile = join(cache, `${name}.mjs`);
// esbuild's own program, in a process of its own: its JavaScript API would add about 15 MB to this
// one. Written beside, then renamed over the bundle: two commands started at once never read half a file.
const partial = `${outfile}.${process.pid}.tmp`;
const built = spawnSync(join(root, "node_modules", ".bin", "esbuild"), [
  join(root, "examples", "mnist", `bin-${name}.ts`), `--outfile=${partial}`,
  "--bundle", "--platform=node", "--format=esm", "--target=node20", "--log-level=warning",
], { stdio: ["ignore", "inherit", "inherit"], shell: process.platform === "win32" });
if (built.status !== 0) {
  process.stderr.write(`run.mjs: esbuild could not bundle bin-${name}.ts (${built.error?.message ?? `exit code ${built.status}`})\n`);
  process.exit(1);
}
renameSync(partial, outfile);
// Relaxed SIMD (one fused multiply-add per step of the WebAssembly products) is on by default from
// Node 22 and in browsers; Node 20 has it behind a V8 flag, turned on here before any WebAssembly is
// compiled (the kernels choose their variant by validating a probe at first use). Measured on the
// default job in float64: training 3.7 s without, 3.3 s with, the same 95.10% (docs/cli.md).
const RELAXED_PROBE = "AGFzbQEAAAABBgFgAXsBewMCAQAKDQELACAAIAAgAP2FAgs="; // a function of one f32x4.relaxed_madd
if (!WebAssembly.validate(Buffer.from(RELAXED_PROBE, "base64")) && process.versions.node.startsWith("20.")) {
  setFlagsFromString("--experimental-wasm-relaxed-simd");
}
process.argv = [process.argv[0], outfile, ...args];
await import(pathToFileURL(outfile).href);
