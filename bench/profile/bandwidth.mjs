/**
 * `node bench/profile/bandwidth.mjs [MB] [rounds]`: the machine's memory bandwidth as JavaScript and
 * WebAssembly see it, over a buffer of MB megabytes (default 128, far past the caches): a sum of a
 * Float64Array and a Float64Array copy (`set`) in JavaScript, and a SIMD sum (f64x2, 4 accumulators)
 * and `memory.copy` in a WebAssembly memory (assembled here with wabt, as build:wasm does).
 * GB/s counts bytes read (sum) or read + written (copy). Median (min-max) of ROUNDS (default 9).
 */
import wabtFactory from "wabt";

const [mbArg = "128", roundsArg = "9"] = process.argv.slice(2);
const bytes = Number(mbArg) * 2 ** 20, rounds = Number(roundsArg);
const wat = `(module (memory (export "memory") ${Math.ceil((2 * bytes) / 65536) + 1})
  (func (export "sum") (param $n i32) (result f64) (local $i i32) (local $a v128) (local $b v128) (local $c v128) (local $d v128)
    (loop $l
      (local.set $a (f64x2.add (local.get $a) (v128.load (local.get $i))))
      (local.set $b (f64x2.add (local.get $b) (v128.load offset=16 (local.get $i))))
      (local.set $c (f64x2.add (local.get $c) (v128.load offset=32 (local.get $i))))
      (local.set $d (f64x2.add (local.get $d) (v128.load offset=48 (local.get $i))))
      (local.set $i (i32.add (local.get $i) (i32.const 64)))
      (br_if $l (i32.lt_u (local.get $i) (local.get $n))))
    (local.set $a (f64x2.add (f64x2.add (local.get $a) (local.get $b)) (f64x2.add (local.get $c) (local.get $d))))
    (f64.add (f64x2.extract_lane 0 (local.get $a)) (f64x2.extract_lane 1 (local.get $a))))
  (func (export "copy") (param $n i32) (memory.copy (local.get $n) (i32.const 0) (local.get $n))))`;
const wabt = await wabtFactory();
const module = wabt.parseWat("bandwidth.wat", wat, { simd: true, bulk_memory: true });
const { instance } = await WebAssembly.instantiate(module.toBinary({}).buffer);
const { sum, copy, memory } = instance.exports;

const a = new Float64Array(bytes / 8).map((_, i) => i % 7), b = new Float64Array(bytes / 8);
new Float64Array(memory.buffer, 0, bytes / 8).set(a);
const jsSum = () => { let s0 = 0, s1 = 0; for (let i = 0; i < a.length; i += 2) { s0 += a[i]; s1 += a[i + 1]; } return s0 + s1; };
const kinds = {
  "js Float64Array sum (read)": [() => jsSum(), bytes],
  "js Float64Array copy (set; read + write)": [() => b.set(a), 2 * bytes],
  "wasm f64x2 sum (read)": [() => sum(bytes), bytes],
  "wasm memory.copy (read + write)": [() => copy(bytes), 2 * bytes],
};
const gbs = Object.fromEntries(Object.keys(kinds).map((k) => [k, []]));
for (let r = 0; r < rounds; r++) {
  for (const [k, [f, moved]] of Object.entries(kinds)) {
    f();
    const t0 = performance.now();
    f(); f();
    gbs[k].push((2 * moved) / ((performance.now() - t0) / 1000) / 1e9);
  }
}
for (const [k, xs] of Object.entries(gbs)) {
  const s = [...xs].sort((x, y) => x - y);
  process.stdout.write(`${k}: ${s[s.length >> 1].toFixed(1)} (${s[0].toFixed(1)}-${s[s.length - 1].toFixed(1)}) GB/s over ${mbArg} MB\n`);
}
