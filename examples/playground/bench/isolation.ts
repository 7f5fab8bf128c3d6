/**
 * Training speed in the page with and without cross-origin isolation. With the two headers the
 * page gets SharedArrayBuffer, shapegrad's kernel heap is a shared WebAssembly memory, and the
 * parameters, workspaces and optimizer state live in it (the kernels read them in place); without
 * them every product copies its operands into the heap first. The page is built once and served
 * twice (two origins), and each round trains one epoch on each server, alternating which goes
 * first; the figure is the time between the page's performance marks "train:started" (the worker
 * has the model and the digits) and "train:done" (the parameters are back), probes included.
 *
 *   npx tsx examples/playground/bench/isolation.ts [rounds = 5] [architectures = dense,cnn]
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium, type BrowserContext } from "playwright-core";
import { build, preview, type InlineConfig, type PreviewServer } from "vite";
import config from "../vite.config.js";

const rounds = Number(process.argv[2] ?? 5);
const kinds = (process.argv[3] ?? "dense,cnn").split(",");
const FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"];

async function serve(headers: Record<string, string>): Promise<{ server: PreviewServer; url: string }> {
  const inline: InlineConfig = { ...config, configFile: false, logLevel: "error", preview: { ...config.preview, port: 0, strictPort: false, headers } };
  const server = await preview(inline);
  return { server, url: server.resolvedUrls!.local[0]! };
}

/** One epoch of `kind` in a fresh page; returns the page's epoch time and what its footer says about the heap. */
async function epoch(context: BrowserContext, url: string, kind: string): Promise<{ seconds: number; shared: string; accuracy: string }> {
  const page = await context.newPage();
  try {
    await page.goto(url);
    await page.waitForSelector('#footer[data-worker="reported"]');
    await page.selectOption("#architecture", kind);
    await page.fill("#epochs", "1");
    await page.click("#train");
    await page.waitForSelector('#accuracy-figure[data-epoch="1"]', { timeout: 300_000 });
    await page.waitForSelector("#train:not([disabled])");
    const line = (await page.textContent("#progress-line")) ?? "";
    const ms = await page.evaluate(() => performance.getEntriesByName("train:done")[0]!.startTime - performance.getEntriesByName("train:started")[0]!.startTime);
    const seconds = Math.round(ms) / 1000;
    return { seconds, shared: (await page.getAttribute("#footer", "data-shared-heap")) ?? "?", accuracy: /test accuracy ([\d.]+%)/.exec(line)?.[1] ?? "?" };
  } finally {
    await page.close();
  }
}

const median = (v: number[]) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)]!;

await build({ ...config, configFile: false, logLevel: "error" });
const isolated = await serve({ "Cross-Origin-Opener-Policy": "same-origin", "Cross-Origin-Embedder-Policy": "require-corp" });
const plain = await serve({});
const userData = mkdtempSync(join(tmpdir(), "shapegrad-isolation-"));
const context = await chromium.launchPersistentContext(userData, { executablePath: "/usr/bin/chromium", headless: true, args: FLAGS, viewport: { width: 1280, height: 900 } });
try {
  for (const kind of kinds) {
    const on: number[] = [], off: number[] = [], ratios: number[] = [];
    for (let r = 0; r < rounds; r++) {
      const order = r % 2 === 0 ? [isolated, plain] : [plain, isolated];
      const got = new Map<typeof isolated, Awaited<ReturnType<typeof epoch>>>();
      for (const s of order) got.set(s, await epoch(context, s.url, kind));
      const a = got.get(isolated)!, b = got.get(plain)!;
      if (a.shared !== "true" || b.shared !== "false") throw new Error(`expected a shared heap only with the headers, got ${a.shared} and ${b.shared}`);
      on.push(a.seconds); off.push(b.seconds); ratios.push(b.seconds / a.seconds);
      console.log(`${kind} round ${r + 1}: isolated ${a.seconds} s (${a.accuracy}), not isolated ${b.seconds} s (${b.accuracy})`);
    }
    console.log(`${kind}: median isolated ${median(on)} s, not isolated ${median(off)} s; median per-round ratio (not isolated / isolated) ${median(ratios).toFixed(2)}, range ${Math.min(...ratios).toFixed(2)}-${Math.max(...ratios).toFixed(2)}`);
  }
} finally {
  await context.close();
  await isolated.server.close();
  await plain.server.close();
  rmSync(userData, { recursive: true, force: true });
}
