/**
 * The playground, end to end, in Debian's Chromium driven by playwright-core: build the page with
 * Vite, serve it on localhost (with the cross-origin isolation headers), and check that the page
 * says truthfully which kernels run; train the dense network one epoch in the Web Worker to >= 85%
 * and the CNN one epoch to >= 93%, recording the main thread's long tasks (the longest must stay
 * under 200 ms) and checking the layer table and the gallery's count against the worker's
 * accuracy; draw a known test digit with mouse strokes and read the CNN's label; save both
 * networks as JSON and as safetensors and load them back; stop a run; type mis-wired conv layers
 * in the code box and find the ShapeError text under each, then Apply a corrected definition. A
 * screenshot of each stage goes to test/browser/artifacts/ (git-ignored).
 *
 * Without /usr/bin/chromium the suite is skipped with a loud message, unless CI is set: then it
 * runs and fails (.ci/run installs chromium with apt-get).
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium, type BrowserContext, type Page } from "playwright-core";
import { build, preview, type PreviewServer } from "vite";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { modelFromJSON, modelFromSafetensors } from "../../src/index.js";
import { packMnist } from "../../examples/playground/plugins/mnist-asset.js";
import { decodeDigits, image, testIndices } from "../../examples/playground/src/data.js";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const config = join(root, "examples/playground/vite.config.ts");
const artifacts = join(root, "test/browser/artifacts");
const CHROMIUM = "/usr/bin/chromium";
const FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"];
const haveChromium = existsSync(CHROMIUM);
const required = !!process.env.CI;

if (!haveChromium && !required) {
  console.warn([
    "",
    "!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!",
    "!! SKIPPED: the playground's browser test needs Debian's chromium at /usr/bin/chromium.   !!",
    "!! Install it with `apt-get install -y chromium` (as .ci/run does); with CI set it runs. !!",
    "!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!",
    "",
  ].join("\n"));
}

/** The digit drawn on the pad: the first test digit of the CLI's split (a 0). */
const DIGIT_POSITION = 0;

describe.skipIf(!haveChromium && !required)("playground in Chromium", () => {
  let server: PreviewServer | undefined;
  let context: BrowserContext | undefined;
  let page: Page;
  let userData = "";
  const timings: Record<string, number> = {};
  const requests: string[] = [];
  const errors: string[] = [];

  beforeAll(async () => {
    if (!haveChromium) throw new Error(`CI is set and ${CHROMIUM} is missing: .ci/run installs it with apt-get install -y chromium`);
    mkdirSync(artifacts, { recursive: true });
    // The code box checks against the library's declarations; npm test has built them already.
    if (!existsSync(join(root, "dist/index.d.ts"))) execFileSync(join(root, "node_modules/.bin/tsc"), ["-p", join(root, "tsconfig.build.json")], { stdio: "inherit" });
    let t = performance.now();
    await build({ configFile: config, logLevel: "error" });
    timings.buildSeconds = (performance.now() - t) / 1000;
    server = await preview({ configFile: config, logLevel: "error", preview: { port: 0, host: "127.0.0.1", strictPort: false } });
    const url = server.resolvedUrls?.local[0];
    if (!url) throw new Error("vite preview gave no local address");
    userData = mkdtempSync(join(tmpdir(), "shapegrad-chromium-"));
    t = performance.now();
    context = await chromium.launchPersistentContext(userData, {
      executablePath: CHROMIUM, headless: true, args: FLAGS, viewport: { width: 1280, height: 900 }, deviceScaleFactor: 1,
    });
    page = context.pages()[0] ?? await context.newPage();
    page.on("pageerror", (e) => errors.push(e.message));
    page.on("console", (m) => { if (m.type() === "error") errors.push(m.text()); });
    page.on("request", (r) => requests.push(r.url()));
    // Long tasks from the first moment of the page (buffered), kept with their start times.
    await page.addInitScript(() => {
      const w = window as unknown as { longTasks: { start: number; duration: number }[] };
      w.longTasks = [];
      new PerformanceObserver((list) => {
        for (const e of list.getEntries()) w.longTasks.push({ start: e.startTime, duration: e.duration });
      }).observe({ type: "longtask", buffered: true });
    });
    await page.goto(url);
    await page.waitForFunction(() => document.getElementById("footer")!.textContent!.includes("Kernels"));
    timings.launchAndLoadSeconds = (performance.now() - t) / 1000;
    expect(errors).toEqual([]);
  }, 240_000);

  afterAll(async () => {
    await context?.close();
    await server?.close();
    if (userData) rmSync(userData, { recursive: true, force: true });
    console.log(`playground timings: ${JSON.stringify(timings)}`);
  });

  it("says which kernels run: relaxed SIMD where the browser validates it, a shared kernel heap when cross-origin isolated", async () => {
    await page.waitForSelector('#footer[data-worker="reported"]', { timeout: 30_000 });
    // An independent probe (i8x16.relaxed_swizzle; the library probes with f32x4.relaxed_madd) and
    // the page's own isolation: the footer, written from the worker's report, must agree with both.
    const facts = await page.evaluate(() => ({
      relaxed: WebAssembly.validate(new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 96, 0, 1, 123, 3, 2, 1, 0, 10, 15, 1, 13, 0, 65, 1, 253, 15, 65, 2, 253, 15, 253, 128, 2, 11])),
      isolated: self.crossOriginIsolated,
      shared: typeof SharedArrayBuffer === "function",
    }));
    // Chromium has relaxed SIMD, and the test's server sends the isolation headers (vite.config.ts).
    expect(facts).toEqual({ relaxed: true, isolated: true, shared: true });
    const footer = page.locator("#footer");
    expect(await footer.getAttribute("data-variant")).toBe(facts.relaxed ? "relaxed" : "plain");
    expect(await footer.getAttribute("data-shared-heap")).toBe(String(facts.isolated));
    expect(await footer.textContent()).toContain("Kernels in the training worker: WebAssembly relaxed SIMD");
    expect(await footer.textContent()).toContain("the kernel heap is shared memory");
  });

  it("trains the dense network one epoch in a Web Worker to >= 85% test accuracy; no main-thread task reaches 200 ms", async () => {
    await page.screenshot({ path: join(artifacts, "0-loaded.png"), fullPage: true });
    await page.fill("#epochs", "1");
    const run = await trainAndWatch(page, "dense");
    timings.denseTrainSeconds = run.seconds;
    timings.denseTestAccuracy = run.accuracy;
    timings.denseLongestTaskMs = run.longest;
    await page.screenshot({ path: join(artifacts, "1-trained.png"), fullPage: true });
    expect(run.accuracy).toBeGreaterThanOrEqual(0.85);
    expect(run.longest).toBeLessThan(200);
    expect(run.misread).toBe(Math.round(2000 * (1 - run.exactAccuracy)));
    expect(await page.textContent("#progress-line")).toContain("in a Web Worker");
  }, 180_000);

  it("saves the dense network as JSON and as safetensors and loads each back", async () => {
    for (const format of ["json", "safetensors"] as const) {
      const file = await saveAndReload(page, format);
      const saved = format === "json" ? modelFromJSON(readFileSync(file, "utf8"), "any") : modelFromSafetensors(readFileSync(file), "any");
      expect(saved.sizes).toEqual([784, 128, 10]);
    }
  }, 60_000);

  it("trains the CNN one epoch in the worker to >= 93% test accuracy, with its layer table; no main-thread task reaches 200 ms", async () => {
    // Seed 1, whatever "New weights" drew before: the run the threshold below was measured on.
    await page.fill("#seed", "1");
    await page.locator("#seed").dispatchEvent("change");
    await page.selectOption("#architecture", "cnn");
    expect(await page.inputValue("#batchSize")).toBe("32");
    expect(await page.inputValue("#learningRate")).toBe("0.002");
    expect(await page.textContent("#architecture-line")).toContain("1×28×28 → 8×24×24 → 8×12×12 → 16×12×12 → 16×6×6 → 576 → 10");
    const run = await trainAndWatch(page, "cnn");
    timings.cnnTrainSeconds = run.seconds;
    timings.cnnTestAccuracy = run.accuracy;
    timings.cnnLongestTaskMs = run.longest;
    timings.cnnLongTasksDuringTraining = run.longTasks;
    // 93%: above every CNN whose convolutions stayed at their random start (89.40, 92.10, 89.90%
    // for seeds 1-3) and every dense 784-128-10 (89.80, 90.30, 90.40%), below every trained CNN
    // (94.35, 95.25, 93.25%): passing it shows that the convolutions learned. Seed 1 here; it gave
    // 94.35% in Node and in this browser (examples/playground/bench/cnn-threshold.ts).
    expect(run.accuracy).toBeGreaterThanOrEqual(0.93);
    expect(run.longest).toBeLessThan(200);
    expect(run.misread).toBe(Math.round(2000 * (1 - run.exactAccuracy)));
    // The table: each layer's kind, shapes [C, H, W], W and b, the z/a/delta shape, and the norms
    // (a positive number, or "–" for dE/dW of a layer without weights).
    const rows = await page.locator("#layers tbody tr").evaluateAll((trs) => trs.map((tr) => Array.from(tr.querySelectorAll("td"), (td) => td.textContent ?? "")));
    expect(rows.map((r) => r.slice(0, 6))).toEqual([
      ["0", "input", "", "1×28×28", "", "a0 = x: 784 × 32"],
      ["1", "conv2d, relu", "1×28×28", "8×24×24", "8 × 25, 8 × 1", "4608 × 32"],
      ["2", "maxPool2d", "8×24×24", "8×12×12", "–", "1152 × 32"],
      ["3", "conv2d, relu", "8×12×12", "16×12×12", "16 × 200, 16 × 1", "2304 × 32"],
      ["4", "maxPool2d", "16×12×12", "16×6×6", "–", "576 × 32"],
      ["5", "flatten", "16×6×6", "576", "–", "576 × 32"],
      ["6", "dense, softmax", "576", "10", "10 × 576, 10 × 1", "10 × 32"],
    ]);
    for (const r of rows.slice(1)) {
      expect(Number(r[7])).toBeGreaterThan(0);
      if (r[4] === "–") expect(r[8]).toBe("–");
      else expect(Number(r[8])).toBeGreaterThan(0);
    }
    await page.screenshot({ path: join(artifacts, "5-cnn-trained.png"), fullPage: true });
  }, 180_000);

  it("reads a test digit drawn on the pad with mouse strokes (the trained CNN)", async () => {
    const digits = decodeDigits(packMnist(root));
    const index = testIndices(digits)[DIGIT_POSITION]!;
    const label = digits.labels[index]!;
    const pixels = image(digits, index);
    const pad = (await page.locator("#pad").boundingBox())!;
    const cell = pad.width / 28;
    // The pen traces the digit's centre lines (its skeleton), as a hand would: the pad's brush gives
    // the strokes their width back. Each pair of neighbouring skeleton pixels is one short stroke.
    const line = skeleton(Array.from(pixels, (v) => v > 0.4));
    const at = (p: number) => ({ x: pad.x + ((p % 28) + 0.5) * cell, y: pad.y + (Math.floor(p / 28) + 0.5) * cell });
    for (let p = 0; p < 784; p++) {
      if (!line[p]) continue;
      const x = p % 28;
      const next = [x < 27 ? p + 1 : -1, x > 0 ? p + 27 : -1, p + 28, x < 27 ? p + 29 : -1].filter((q) => q >= 0 && q < 784 && line[q]);
      for (const q of next.length ? next : [p]) {
        await page.mouse.move(at(p).x, at(p).y);
        await page.mouse.down();
        await page.mouse.move(at(q).x, at(q).y, { steps: 2 });
        await page.mouse.up();
      }
    }
    await page.waitForFunction(() => document.getElementById("prediction")!.textContent !== "?");
    await page.waitForTimeout(100);
    const predicted = await page.textContent("#prediction");
    await page.locator("#draw").screenshot({ path: join(artifacts, "2-drawn.png") });
    // The picture for the README: the page's first two rows after training and drawing.
    const bottom = await page.locator("#draw").evaluate((el) => el.getBoundingClientRect().bottom + window.scrollY + 16);
    await page.screenshot({ path: join(artifacts, "readme.png"), clip: { x: 0, y: 0, width: 1280, height: Math.ceil(bottom) }, fullPage: true });
    expect(predicted).toBe(String(label));
  }, 120_000);

  it("saves the CNN as safetensors and as JSON and loads each back: the same predictions", async () => {
    for (const format of ["safetensors", "json"] as const) {
      const file = await saveAndReload(page, format);
      const saved = format === "json" ? modelFromJSON(readFileSync(file, "utf8"), "any") : modelFromSafetensors(readFileSync(file), "any");
      expect(saved.layers.map((l) => l.kind)).toEqual(["conv2d", "maxPool2d", "conv2d", "maxPool2d", "flatten", "dense"]);
      expect(saved.shapes).toEqual([[1, 28, 28], [8, 24, 24], [8, 12, 12], [16, 12, 12], [16, 6, 6], [576], [10]]);
    }
    expect(await page.textContent("#architecture-line")).toContain("1×28×28 → 8×24×24");
  }, 60_000);

  it("stops training on Stop, keeping the weights of the last step", async () => {
    await page.fill("#epochs", "3");
    await page.click("#train");
    await expect.poll(() => page.textContent("#progress-line"), { timeout: 60_000 }).toMatch(/epoch 1 of 3 · batch (\d{2,3}) of 250/);
    await page.click("#stop");
    await expect.poll(() => page.textContent("#progress-line"), { timeout: 30_000 }).toMatch(/^stopped after step \d+: the network keeps the weights of that step$/);
    expect(await page.isEnabled("#train")).toBe(true);
  }, 120_000);

  it("shows the compiler's ShapeError under a mis-wired conv layer, and applies a corrected definition", async () => {
    // The compiler, CodeMirror and the type files are fetched only when the box opens.
    const lazy = /checker-worker|codebox/;
    expect(requests.filter((u) => lazy.test(u))).toEqual([]);
    await page.click("#compiler summary");
    const status = page.locator("#compile-status");
    await expect.poll(() => status.textContent(), { timeout: 60_000 }).toContain("✓ compiles");
    expect(requests.filter((u) => lazy.test(u)).length).toBe(2);
    // The box holds the CNN's definition.
    expect(await page.locator(".cm-content").textContent()).toContain('conv2d(16, 5, { padding: "same" }), relu(),');
    const error = page.locator(".cm-shape-diagnostic .shape-error");

    // A kernel larger than its input: 13 x 13 on the 12 x 12 maps that the first pooling leaves.
    let t = performance.now();
    await retype(page, 'conv2d(16, 5, { padding: "same" })', "conv2d(16, 13), relu(),");
    await expect.poll(() => error.textContent(), { timeout: 30_000 }).toBe("ShapeError: sequential layer 5 conv2d expects a kernel no larger than its input 12x12, got 13x13");
    timings.shapeErrorSeconds = (performance.now() - t) / 1000;
    expect(await lineAbove(page)).toContain("conv2d(16, 13)");
    expect(await page.isDisabled("#apply")).toBe(true);
    await page.locator("#compiler").screenshot({ path: join(artifacts, "3-shape-error.png") });

    // Fixed, then a dense layer one input short of the flatten's 576.
    await retype(page, "conv2d(16, 13)", 'conv2d(16, 5, { padding: "same" }), relu(),');
    await expect.poll(() => status.textContent(), { timeout: 30_000 }).toContain("✓ compiles");
    t = performance.now();
    await retype(page, "dense(10)", "dense(575, 10), softmax(),");
    await expect.poll(() => error.textContent(), { timeout: 30_000 }).toBe("ShapeError: sequential layer 9 expects 575 inputs but layer 8 outputs 576");
    timings.shapeErrorDenseSeconds = (performance.now() - t) / 1000;
    expect(await lineAbove(page)).toContain("dense(575, 10)");
    expect(await page.isDisabled("#apply")).toBe(true);
    await page.locator("#compiler").screenshot({ path: join(artifacts, "3b-shape-error-dense.png") });

    // Corrected and changed: 12 filters of 3 x 3 first (28 -> 26 -> 13 -> 13 -> 6), then 16 x 6 x 6 = 576.
    await retype(page, "conv2d(8, 5)", "conv2d(12, 3), relu(),");
    await retype(page, "dense(575, 10)", "dense(576, 10), softmax(),");
    await expect.poll(() => status.textContent(), { timeout: 30_000 }).toContain("✓ compiles");
    expect(await page.locator(".cm-shape-diagnostic").count()).toBe(0);
    await page.click("#apply");
    expect(await page.textContent("#architecture-line")).toContain("1×28×28 → 12×26×26 → 12×13×13 → 16×13×13 → 16×6×6 → 576 → 10");
    expect(await page.inputValue("#architecture")).toBe("custom");
    await page.screenshot({ path: join(artifacts, "4-applied.png"), fullPage: true });
  }, 120_000);

  it("logged no page errors", () => {
    expect(errors).toEqual([]);
  });
});

/** Trains the chosen network one epoch, recording the page's long tasks from the click until Train is enabled again. */
async function trainAndWatch(page: Page, name: string) {
  const t = performance.now();
  const from = await page.evaluate(() => performance.now());
  await page.click("#train");
  await page.waitForSelector('#accuracy-figure[data-epoch="1"]', { timeout: 120_000 });
  await page.waitForSelector("#train:not([disabled])", { timeout: 60_000 });
  const seconds = (performance.now() - t) / 1000;
  const to = await page.evaluate(() => performance.now());
  const tasks = await page.evaluate(() => (window as unknown as { longTasks: { start: number; duration: number }[] }).longTasks);
  const during = tasks.filter((task) => task.start + task.duration >= from && task.start <= to);
  await page.waitForFunction(() => document.querySelectorAll("#gallery figure").length > 0, null, { timeout: 60_000 });
  const line = (await page.textContent("#progress-line")) ?? "";
  // The worker's accuracy over the 2,000 test digits, to two decimals (0.05% is one digit).
  const exactAccuracy = Number(/test accuracy (\d+\.\d+)%/.exec(line)?.[1]) / 100;
  // The gallery predicts the 2,000 digits again on the main thread, with the parameters the worker sent back.
  const misread = Number(/^(\d+) of 2,000 test digits misread/.exec((await page.textContent("#gallery p")) ?? "")?.[1]);
  console.log(`${name}: ${line}; long tasks during training (ms): ${JSON.stringify(during.map((x) => Math.round(x.duration)))}`);
  return {
    seconds, exactAccuracy, misread, accuracy: parseFloat((await page.textContent("#accuracy-figure")) ?? "") / 100,
    longest: Math.max(0, ...during.map((task) => task.duration)), longTasks: during.length,
  };
}

/**
 * Saves the model in a format, draws new weights, loads the file back: the gallery's count of
 * misread test digits (2,000 predictions) and the drawing's bars (when there is a drawing) must
 * be those of before.
 */
async function saveAndReload(page: Page, format: "json" | "safetensors"): Promise<string> {
  const bars = () => page.textContent("#bars");
  const gallery = () => page.textContent("#gallery p");
  const before = { bars: await bars(), gallery: await gallery() };
  expect(before.gallery).toMatch(/^\d+ of 2,000 test digits misread/);
  const [download] = await Promise.all([page.waitForEvent("download"), page.click(`#save-${format}`)]);
  const file = join(artifacts, `model.${format}`);
  await download.saveAs(file);
  await page.click("#reset");
  expect(await gallery()).toBe("Train first: the mistakes appear here.");
  if (/%/.test(before.bars ?? "")) expect(await bars()).not.toBe(before.bars);
  await page.setInputFiles("#load", file);
  await expect.poll(() => page.textContent("#message")).toContain(`Loaded model.${format} (${format === "json" ? "JSON" : "safetensors"}): `);
  await expect.poll(gallery, { timeout: 30_000 }).toBe(before.gallery);
  expect(await bars()).toBe(before.bars);
  return file;
}

/** The editor line right above the (first) diagnostic widget. */
async function lineAbove(page: Page): Promise<string> {
  return page.locator(".cm-shape-diagnostic").first().evaluate((el) => {
    let line = el.previousElementSibling;
    while (line && !line.classList.contains("cm-line")) line = line.previousElementSibling;
    return line?.textContent ?? "";
  });
}

/** Zhang-Suen thinning of a 28 x 28 binary image: the one-pixel-wide centre lines of its strokes. */
function skeleton(image: boolean[]): boolean[] {
  const img = [...image];
  const at = (x: number, y: number) => (x >= 0 && x < 28 && y >= 0 && y < 28 && img[y * 28 + x] ? 1 : 0);
  for (let changed = true; changed;) {
    changed = false;
    for (const pass of [0, 1]) {
      const remove: number[] = [];
      for (let y = 0; y < 28; y++) {
        for (let x = 0; x < 28; x++) {
          if (!img[y * 28 + x]) continue;
          // Neighbours P2..P9, clockwise from north.
          const n = [at(x, y - 1), at(x + 1, y - 1), at(x + 1, y), at(x + 1, y + 1), at(x, y + 1), at(x - 1, y + 1), at(x - 1, y), at(x - 1, y - 1)];
          const b = n.reduce((s, v) => s + v, 0);
          let a = 0;
          for (let i = 0; i < 8; i++) if (n[i] === 0 && n[(i + 1) % 8] === 1) a++;
          const [p2, , p4, , p6, , p8] = n;
          const ok = pass === 0 ? p2! * p4! * p6! === 0 && p4! * p6! * p8! === 0 : p2! * p4! * p8! === 0 && p2! * p6! * p8! === 0;
          if (b >= 2 && b <= 6 && a === 1 && ok) remove.push(y * 28 + x);
        }
      }
      for (const p of remove) img[p] = false;
      if (remove.length) changed = true;
    }
  }
  return img;
}

/** Replaces the editor line containing `find` by `text`, typed key by key. */
async function retype(page: Page, find: string, text: string): Promise<void> {
  await page.locator(".cm-line", { hasText: find }).click();
  await page.keyboard.press("End");
  await page.keyboard.press("Shift+Home");
  // insertText, not type(): typed key by key, the editor's bracket completion raced the keys on a
  // loaded machine (one run in several left a line that read as another mistake).
  await page.keyboard.insertText(text);
}
