/**
 * The main entry is browser-safe: bundled by esbuild for the browser platform (which fails on any
 * Node built-in), it runs in a bare JavaScript context that has only what a browser page has
 * (no process, require, Buffer or fs), WebAssembly kernel included.
 */
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { runInNewContext } from "node:vm";
import { build } from "esbuild";
import { describe, expect, it } from "vitest";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");

describe("browser bundle", () => {
  it("bundles for the browser and trains XOR in a context without Node's globals", async () => {
    const bundle = await build({
      entryPoints: [join(root, "src/index.ts")], bundle: true, platform: "browser", format: "iife", globalName: "shapegrad", write: false, logLevel: "silent",
    });
    const code = bundle.outputFiles[0]!.text;
    const page = { atob, WebAssembly, performance, Math, result: undefined as unknown };
    runInNewContext(`${code}
      const sg = shapegrad;
      const backend = sg.setBackend("auto");
      const data = sg.dataset([[0, 0], [0, 1], [1, 0], [1, 1]], [0, 1, 1, 0], { features: 2, classes: 2 });
      const net = sg.mlp([2, 8, 2], { seed: 1 });
      sg.fit(net, data, { epochs: 300, batchSize: 4, optimizer: sg.adam({ learningRate: 0.02 }) });
      const big = sg.matmul(sg.fill(16, 16, 1), sg.fill(16, 16, 2));
      result = { backend, accuracy: sg.evaluate(net, data).accuracy, product: big.data[0], hasProcess: typeof process, hasRequire: typeof require };
    `, page);
    expect(page.result).toEqual({ backend: "wasm", accuracy: 1, product: 32, hasProcess: "undefined", hasRequire: "undefined" });
  });
});
