/**
 * The playground's build: `npm run playground:build` writes a static folder (examples/playground/dist)
 * that any static host can serve; `npm run playground` builds it and serves it on localhost.
 */
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { defineConfig } from "vite";
import { mnistAsset } from "./plugins/mnist-asset.js";
import { typeFiles } from "./plugins/type-files.js";

const here = dirname(fileURLToPath(import.meta.url));
const repo = resolve(here, "../..");

/**
 * Cross-origin isolation: with these two headers on the page and its workers, the browser gives
 * the page SharedArrayBuffer, so shapegrad's kernel heap is a shared WebAssembly memory and the
 * kernels read parameters and buffers in place (see docs/playground.md). The same headers are in
 * public/_headers for static hosts that read that file. PLAYGROUND_ISOLATION=off serves the page
 * without them (to measure the difference).
 */
export const isolationHeaders: Record<string, string> = process.env.PLAYGROUND_ISOLATION === "off" ? {} : {
  "Cross-Origin-Opener-Policy": "same-origin",
  "Cross-Origin-Embedder-Policy": "require-corp",
};

export default defineConfig({
  root: here,
  base: "./",
  plugins: [mnistAsset(repo), typeFiles(repo)],
  // Workers are bundled on their own, with their own plugins: the checker reads the type files.
  worker: { format: "es", plugins: () => [typeFiles(repo)] },
  build: {
    outDir: resolve(here, "dist"),
    emptyOutDir: true,
    target: "es2022",
    // The TypeScript compiler (about 3 MB minified) is a chunk of its own, loaded only when the code box opens.
    chunkSizeWarningLimit: 4500,
    // The slow plugin callbacks are the compiler's worker bundle and packing the digits: expected.
    rolldownOptions: { checks: { pluginTimings: false } },
  },
  server: { fs: { allow: [repo] }, headers: isolationHeaders },
  preview: { host: "127.0.0.1", headers: isolationHeaders },
});
