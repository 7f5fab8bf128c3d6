/**
 * trainInWorker / serveTraining over Node's worker_threads: the worker trains exactly what fit
 * would (same parameters, bit for bit), reports every batch and epoch, runs its own hooks, stops on
 * an AbortSignal with the parameters of its last completed step, and moves (not copies) the
 * parameters back: its own buffers are detached after the final message.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { Worker } from "node:worker_threads";
import { build } from "esbuild";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  conv2d, dataset, dense, fit, flatten, input, maxPool2d, mlp, adam, relu, rng, sequentialWith, sgd, softmax, tanh, trainInWorker,
  type AnyNetwork, type BatchLog, type Dataset, type Dyn, type Mlp, type OptimizerSpec,
} from "../src/index.js";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
let folder = "";
let bundleUrl = "";
const workers: Worker[] = [];

function blobs(n: number, features: number, classes: number, seed: number): Dataset<Dyn, Dyn, Dyn> {
  const r = rng(seed);
  const xs: number[][] = [], ys: number[] = [];
  for (let j = 0; j < n; j++) {
    const c = j % classes;
    xs.push(Array.from({ length: features }, (_, i) => (i % classes === c ? 1.5 : 0) + r.normal()));
    ys.push(c);
  }
  return dataset(xs, ys, { features, classes });
}

/** A worker that serves training with a named dataset, a hook, and a probe of its last network's buffers. */
function startWorker(): Worker {
  const code = `
    const { parentPort } = require("node:worker_threads");
    import(${JSON.stringify(bundleUrl)}).then((sg) => {
      let last;
      const r = sg.rng(5);
      const xs = [], ys = [];
      for (let j = 0; j < 300; j++) { const c = j % 3; xs.push(Array.from({ length: 6 }, (_, i) => (i % 3 === c ? 1.5 : 0) + r.normal())); ys.push(c); }
      sg.serveTraining(parentPort, {
        datasets: { blobs: () => sg.dataset(xs, ys, { features: 6, classes: 3 }) },
        onBatchEnd: (net, log) => { last = net; return { batch: log.batch, firstWeight: net.weights[0].data[0] }; },
        onEpochEnd: (net, log) => ({ epoch: log.epoch }),
      });
      parentPort.on("message", (m) => { if (m === "probe") parentPort.postMessage({ probe: last ? last.weights.map((w) => (w.data.buffer instanceof SharedArrayBuffer ? "shared" : w.data.byteLength)) : null }); });
      parentPort.postMessage("ready");
    });
  `;
  const worker = new Worker(code, { eval: true });
  workers.push(worker);
  return worker;
}

function ready(worker: Worker): Promise<void> {
  return new Promise((done) => worker.once("message", () => done()));
}

const makeNet = (sizes: number[], seed: number): Mlp<number[]> => mlp(sizes, { seed });
const params = (net: AnyNetwork) => [...net.weights, ...net.biases].flatMap((m) => (m ? [Float64Array.from(m.data)] : []));

/** A small CNN over 1x8x8 images (sizes typed number, as the blobs' are): convolution, pooling, a "same" convolution, flatten, two dense layers. */
const makeCnn = (seed: number) => sequentialWith({ seed }, [
  input(1, 8 as number, 8 as number), conv2d(4, 3), relu(), maxPool2d(2), conv2d(6, 3, { padding: "same" }), tanh(), flatten(), dense(12), relu(), dense(3 as number), softmax(),
]);

beforeAll(async () => {
  folder = mkdtempSync(join(tmpdir(), "shapegrad-worker-"));
  const bundle = await build({ entryPoints: [join(root, "src/index.ts")], bundle: true, platform: "node", format: "esm", write: false, logLevel: "silent" });
  writeFileSync(join(folder, "shapegrad.mjs"), bundle.outputFiles[0]!.text);
  bundleUrl = pathToFileURL(join(folder, "shapegrad.mjs")).href;
});

afterAll(async () => {
  await Promise.all(workers.map((w) => w.terminate()));
  rmSync(folder, { recursive: true, force: true });
});

describe("trainInWorker with worker_threads", () => {
  const train = blobs(400, 6, 3, 1), test = blobs(90, 6, 3, 2);
  const adamSpec: OptimizerSpec = { name: "adam", learningRate: 0.01 };

  it("trains what fit trains, reports every batch and epoch, and writes the parameters into net", async () => {
    const worker = startWorker();
    await ready(worker);
    const net = makeNet([6, 12, 3], 3), reference = makeNet([6, 12, 3], 3);
    const batches: BatchLog[] = [], epochs: unknown[] = [];
    let backend = "";
    const history = await trainInWorker(worker, net, train, {
      epochs: 3, batchSize: 32, seed: 9, optimizer: adamSpec, validation: test,
      onStart: (info) => { backend = info.backend; },
      onBatchEnd: (log) => batches.push(log), onEpochEnd: (log, extra) => epochs.push([log.epoch, extra]),
    });
    const expected = fit(reference, train, { epochs: 3, batchSize: 32, seed: 9, optimizer: adam({ learningRate: 0.01 }), validation: test });
    expect(history.loss).toEqual(expected.loss);
    expect(history.validationAccuracy).toEqual(expected.validationAccuracy);
    expect(params(net)).toEqual(params(reference));
    expect(batches.length).toBe(3 * 13);
    expect(epochs).toEqual([[1, { epoch: 1 }], [2, { epoch: 2 }], [3, { epoch: 3 }]]);
    expect(["js", "wasm"]).toContain(backend);
    expect(history.validationAccuracy[2]).toBeGreaterThan(0.8);
  });

  it("trains a CNN as fit does (the worker loads any architecture), and the hooks see its layers", async () => {
    const worker = startWorker();
    await ready(worker);
    const images = blobs(120, 64, 3, 6), held = blobs(30, 64, 3, 7);
    const net = makeCnn(4), reference = makeCnn(4);
    const extras: unknown[] = [];
    const history = await trainInWorker(worker, net, images, {
      epochs: 2, batchSize: 16, seed: 3, optimizer: adamSpec, validation: held, onBatchEnd: (_log, extra) => extras.push(extra),
    });
    const expected = fit(reference, images, { epochs: 2, batchSize: 16, seed: 3, optimizer: adam({ learningRate: 0.01 }), validation: held });
    expect(history.loss).toEqual(expected.loss);
    expect(history.validationAccuracy).toEqual(expected.validationAccuracy);
    // Bit for bit, every weight and bias of the three layers that have them (conv, conv, dense, dense).
    expect(params(net)).toEqual(params(reference));
    expect(params(net).length).toBe(8);
    // The worker's hook received the convolutional network: its first W is the conv's 4 x 9 filters.
    expect(extras.length).toBe(2 * 8);
    expect((extras.at(-1) as { firstWeight: number }).firstWeight).toBe(net.weights[0].data[0]);
  });

  it("refuses a float32 network before posting anything (the protocol carries float64 arrays)", async () => {
    const worker = startWorker();
    await ready(worker);
    const f32 = sequentialWith({ seed: 1, dtype: "float32" }, [input(6), dense(4), relu(), dense(3), softmax()]);
    await expect(trainInWorker(worker, f32, { named: "blobs" }, { epochs: 1, optimizer: adamSpec }))
      .rejects.toThrow("trainInWorker expects a float64 network (the worker protocol carries float64 arrays), got a float32 one");
  });

  it("uses the worker's named datasets and hooks, and transfers the parameter buffers back", async () => {
    const worker = startWorker();
    await ready(worker);
    const net = makeNet([6, 12, 3], 3);
    const extras: unknown[] = [];
    await trainInWorker(worker, net, { named: "blobs" }, {
      epochs: 1, batchSize: 100, optimizer: { name: "sgd", learningRate: 0.1 }, onBatchEnd: (_log, extra) => extras.push(extra),
    });
    expect(extras.map((e) => (e as { batch: number }).batch)).toEqual([1, 2, 3]);
    expect((extras[2] as { firstWeight: number }).firstWeight).toBe(net.weights[0].data[0]);
    const probe = new Promise((done) => worker.on("message", (m) => { if (m?.probe !== undefined) done(m.probe); }));
    worker.postMessage("probe");
    // No copy on the way back: the worker's arrays were moved to this thread (empty there now), or,
    // where they live in the worker's shared kernel heap, this thread read that memory directly.
    for (const entry of (await probe) as unknown[]) expect([0, "shared"]).toContain(entry);
  });

  it("stops on abort, with the parameters of the worker's last completed step", async () => {
    const worker = startWorker();
    await ready(worker);
    const big = blobs(3000, 6, 3, 4);
    const net = makeNet([6, 12, 3], 3);
    const controller = new AbortController();
    let received = 0;
    const run = trainInWorker(worker, net, big, {
      epochs: 20, batchSize: 10, seed: 1, optimizer: adamSpec, signal: controller.signal,
      onBatchEnd: () => { if (++received === 3) controller.abort(); },
    });
    await expect(run).rejects.toMatchObject({ name: "AbortError" });
    // Every batch log arrives before the final message, so `received` steps were completed.
    expect(received).toBeGreaterThanOrEqual(3);
    expect(received).toBeLessThan(20 * 300);
    const reference = makeNet([6, 12, 3], 3);
    let snapshot: Float64Array[] = [], step = 0;
    fit(reference, big, {
      epochs: Math.ceil(received / 300), batchSize: 10, seed: 1, optimizer: adam({ learningRate: 0.01 }),
      onBatchEnd: () => { if (++step === received) snapshot = params(reference); },
    });
    expect(params(net)).toEqual(snapshot);
  });

  it("rejects with the worker's error: unknown dataset, bad optimizer, diverging loss", async () => {
    const worker = startWorker();
    await ready(worker);
    const net = makeNet([6, 12, 3], 3);
    await expect(trainInWorker(worker, net, { named: "nope" }, { epochs: 1, optimizer: adamSpec }))
      .rejects.toThrow("serveTraining expects data named one of blobs, got nope");
    // @ts-expect-error: not an optimizer name
    await expect(trainInWorker(worker, net, train, { epochs: 1, optimizer: { name: "rmsprop" } }))
      .rejects.toThrow('trainInWorker expects optimizer { name: "sgd" | "momentum" | "adam", ... }, got {"name":"rmsprop"}');
    // @ts-expect-error: an optimizer object holds functions and cannot be posted
    await expect(trainInWorker(worker, net, train, { epochs: 1, optimizer: adam() })).rejects.toThrow("(an optimizer object cannot be posted to a worker), got an optimizer object");
    const wild = dataset([[1e300, 0, 0, 0, 0, 0]], [0], { features: 6 as number, classes: 3 as number });
    await expect(trainInWorker(worker, net, wild, { epochs: 3, optimizer: { name: "sgd", learningRate: 1 } })).rejects.toMatchObject({ name: "TrainingError" });
    // The parameters from before the failing step, as fit keeps them.
    const reference = makeNet([6, 12, 3], 3);
    expect(() => fit(reference, wild, { epochs: 3, optimizer: sgd({ learningRate: 1 }) })).toThrow("fit stopped at epoch");
    expect(params(net)).toEqual(params(reference));
    expect(params(net).every((p) => p.every(Number.isFinite))).toBe(true);
    await expect(trainInWorker(worker, net, blobs(3, 5, 3, 1), { epochs: 1, optimizer: adamSpec })).rejects.toThrow("trainInWorker expects inputs with 6 rows");
    const broken = makeNet([6, 12, 3], 3);
    broken.weights[1].data[4] = Number.NaN;
    await expect(trainInWorker(worker, broken, { named: "blobs" }, { epochs: 1, optimizer: adamSpec })).rejects.toThrow(
      'trainInWorker expects a network with finite parameters (it posts them to the worker as a safetensors file): modelToSafetensors refuses to save a model with a non-finite parameter: NaN in tensor "2.weight" at [0, 4] (weights[1]); nothing was written');
  });
});
