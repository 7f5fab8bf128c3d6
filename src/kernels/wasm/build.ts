/**
 * `npm run build:wasm`: assembles every `*.wat` module here with the wabt package (from the npm
 * registry) and writes the binaries, base64-encoded, to kernels.generated.ts (git-ignored), which
 * module.ts instantiates. Run by `npm ci` (prepare), `npm run build` and `npm test`. Also writes
 * gemm-f32.generated.ts, the TypeScript kernel over Float32Array (see below).
 *
 * Each module is emitted in up to four variants:
 * - plain or relaxed: the sources write a multiply-add as the macro `(f32x4.madd a b c)` /
 *   `(f64x2.madd a b c)` (a b + c), expanded here into `mul` then `add` (WebAssembly SIMD, every
 *   runtime with SIMD) or into `relaxed_madd` (relaxed SIMD: one fused instruction where the CPU
 *   has FMA; Node 22+, Chromium, Node 20 with --experimental-wasm-relaxed-simd). Modules without
 *   the macro have no relaxed variant.
 * - local or shared memory: every module imports the kernel heap's memory as env.memory, declared
 *   `(memory 1)` in the source; the shared variant declares it `(memory 1 65536 shared)`, because
 *   an import must match the memory's sharedness (heap.ts uses a shared memory where it can, so
 *   that growing it never detaches the typed arrays handed out of it).
 * Plus a probe: the smallest module using relaxed SIMD, which module.ts validates at load time.
 */
import { readFileSync, readdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import wabtFactory from "wabt";

const here = dirname(fileURLToPath(import.meta.url));
const wabt = await wabtFactory();
const features = { simd: true, relaxed_simd: true, threads: true, bulk_memory: true };

/** One balanced S-expression or atom from `at`; returns its text and where it ends. */
function readExpression(text: string, at: number): [string, number] {
  while (/\s/.test(text[at]!)) at++;
  const start = at;
  if (text[at] !== "(") {
    while (at < text.length && !/[\s()]/.test(text[at]!)) at++;
    return [text.slice(start, at), at];
  }
  let depth = 0;
  do {
    if (text[at] === "(") depth++;
    else if (text[at] === ")") depth--;
    at++;
  } while (depth > 0 && at < text.length);
  if (depth !== 0) throw new Error(`build:wasm: unbalanced parentheses after offset ${start}`);
  return [text.slice(start, at), at];
}

/** Expands every `(T.madd a b c)` (T = f32x4 or f64x2) into the plain or the relaxed form. */
export function expandMadd(text: string, relaxed: boolean): string {
  const macro = /\((f32x4|f64x2)\.madd\b/g;
  let out = "", last = 0;
  for (let m = macro.exec(text); m !== null; m = macro.exec(text)) {
    const type = m[1]!;
    let at = m.index + m[0].length;
    const args: string[] = [];
    for (let i = 0; i < 3; i++) {
      const [arg, end] = readExpression(text, at);
      args.push(expandMadd(arg, relaxed));
      at = end;
    }
    while (/\s/.test(text[at]!)) at++;
    if (text[at] !== ")") throw new Error(`build:wasm: ${type}.madd takes three operands (offset ${m.index})`);
    const [a, b, c] = args;
    out += text.slice(last, m.index) + (relaxed ? `(${type}.relaxed_madd ${a} ${b} ${c})` : `(${type}.add (${type}.mul ${a} ${b}) ${c})`);
    last = at + 1;
    macro.lastIndex = last;
  }
  return out + text.slice(last);
}

const MEMORY = '(import "env" "memory" (memory 1))';

function assemble(name: string, text: string): string {
  const module = wabt.parseWat(name, text, features);
  // wabt's typings declare validate() without arguments, but without the features it validates
  // against its defaults (no threads, so no shared memory); Reflect.apply passes them untyped.
  Reflect.apply(module.validate, module, [features]);
  const { buffer } = module.toBinary({ log: false });
  module.destroy();
  if (!text.includes("relaxed_madd") && !WebAssembly.validate(new Uint8Array(buffer))) throw new Error(`build:wasm: ${name} does not validate in this Node`);
  return Buffer.from(buffer).toString("base64");
}

/** The variants of one .wat file, by name: plain, plainShared, and relaxed, relaxedShared when it uses the macro. */
function variants(file: string): Record<string, string> {
  const source = readFileSync(join(here, file), "utf8");
  if (!source.includes(MEMORY)) throw new Error(`build:wasm: ${file} must import its memory as ${MEMORY}`);
  const out: Record<string, string> = {};
  const relaxedToo = /\((f32x4|f64x2)\.madd\b/.test(source);
  for (const relaxed of relaxedToo ? [false, true] : [false]) {
    const local = expandMadd(source, relaxed);
    const shared = local.replace(MEMORY, '(import "env" "memory" (memory 1 65536 shared))');
    const key = relaxed ? "relaxed" : "plain";
    out[key] = assemble(file, local);
    out[`${key}Shared`] = assemble(file, shared);
  }
  return out;
}

const files = readdirSync(here).filter((f) => f.endsWith(".wat")).sort();
const modules = Object.fromEntries(files.map((f) => [f.replace(/\.wat$/, ""), variants(f)]));
const probe = assemble("probe.wat", "(module (func (param v128) (result v128) (f32x4.relaxed_madd (local.get 0) (local.get 0) (local.get 0))))");
writeFileSync(
  join(here, "kernels.generated.ts"),
  `// Generated by src/kernels/wasm/build.ts from ${files.join(", ")}. Do not edit; not committed.\n` +
    `export const MODULES = ${JSON.stringify(modules, null, 2)} as const;\n` +
    `/** The smallest module that uses relaxed SIMD (f32x4.relaxed_madd): valid exactly where relaxed SIMD is. */\n` +
    `export const RELAXED_PROBE = "${probe}";\n`,
);

// The TypeScript kernel over Float32Array: gemm.ts with its element type replaced. A separate
// function (not gemm.ts made generic) so that V8 keeps monomorphic type feedback for each array
// type: a generic kernel fed both would run polymorphic loads in its innermost loop.
const ts = readFileSync(join(here, "..", "gemm.ts"), "utf8");
writeFileSync(
  join(here, "..", "gemm-f32.generated.ts"),
  "// Generated by src/kernels/wasm/build.ts from gemm.ts (Float64Array -> Float32Array). Do not edit; not committed.\n" +
    ts.replace(/Float64Array/g, "Float32Array"),
);
const sizes = Object.entries(modules).map(([name, v]) => `${name} ${Buffer.from(v.plain!, "base64").length} B`).join(", ");
console.log(`wasm: ${sizes} (x2 shared, + relaxed) -> kernels.generated.ts; gemm.ts -> gemm-f32.generated.ts`);
