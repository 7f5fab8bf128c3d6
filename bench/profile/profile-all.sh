#!/bin/sh
# Profiles every case of cases.mjs and the `npm run train` job into $1 (default /tmp/shapegrad-prof),
# one after the other (never in parallel: the machine has 2 shared cores), then summarises them.
set -e
out=${1:-/tmp/shapegrad-prof}
here=$(dirname "$0")
mkdir -p "$out"
uptime > "$out/load.txt"
for c in step-128-b64-f64 step-128-b64-f32 step-1024-b64-f64 step-1024-b64-f32 step-1024-b256-f64 step-1024-b256-f32 predict-1024-f64 predict-1024-f32; do
  node --experimental-wasm-relaxed-simd --cpu-prof --cpu-prof-dir="$out" --cpu-prof-name="$c.cpuprofile" "$here/work.mjs" "$c" 8
done
for d in float64 float32; do
  node --cpu-prof --cpu-prof-dir="$out" --cpu-prof-name="train-$d.cpuprofile" "$here/../../examples/mnist/run.mjs" train --dtype "$d" > "$out/train-$d.txt"
done
for c in step-128-b64-f32 step-1024-b64-f32 step-1024-b256-f32; do
  node --experimental-wasm-relaxed-simd --cpu-prof --cpu-prof-dir="$out" --cpu-prof-name="products-$c.cpuprofile" "$here/work.mjs" "$c" 8 --products
done
uptime >> "$out/load.txt"
node "$here/summarize.mjs" "$out"/*.cpuprofile
