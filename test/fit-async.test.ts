/**
 * fitAsync runs fit's loop: same history and parameters for the same options; it awaits its
 * callbacks, lets timers run between steps, and stops on an AbortSignal with the parameters of the
 * last completed step (checked against a synchronous fit's snapshot at that step).
 */
import { describe, expect, it } from "vitest";
import {
  adam, conv2d, dataset, dense, fit, fitAsync, flatten, input, maxPool2d, mlp, relu, rng, sequentialWith, sgd, softmax, TrainingError,
  type AnyNetwork, type Dataset, type Dyn, type Mlp,
} from "../src/index.js";

/** Random inputs, labels from a fixed random linear rule: learnable, not trivial. */
function blobs(n: number, features: number, classes: number, seed: number): Dataset<Dyn, Dyn, Dyn> {
  const r = rng(seed);
  const w = Array.from({ length: classes * features }, () => r.normal());
  const xs: number[][] = [], ys: number[] = [];
  for (let j = 0; j < n; j++) {
    const x = Array.from({ length: features }, () => r.normal());
    let best = 0, bestValue = -Infinity;
    for (let c = 0; c < classes; c++) {
      let s = 0;
      for (let i = 0; i < features; i++) s += w[c * features + i]! * x[i]!;
      if (s > bestValue) { bestValue = s; best = c; }
    }
    xs.push(x);
    ys.push(best);
  }
  return dataset(xs, ys, { features, classes });
}

const makeNet = (sizes: number[], seed: number): Mlp<number[]> => mlp(sizes, { seed });
const params = (net: AnyNetwork) => [...net.weights, ...net.biases].flatMap((m) => (m ? [Float64Array.from(m.data)] : []));
const data = blobs(512, 8, 3, 1);
const options = { epochs: 3, batchSize: 32, seed: 7, validation: blobs(64, 8, 3, 2) };

describe("fitAsync", () => {
  it("gives the same history and parameters as fit", async () => {
    const a = makeNet([8, 16, 3], 1), b = makeNet([8, 16, 3], 1);
    const syncHistory = fit(a, data, { ...options, optimizer: adam({ learningRate: 0.01 }) });
    const asyncHistory = await fitAsync(b, data, { ...options, optimizer: adam({ learningRate: 0.01 }) });
    expect(asyncHistory.loss).toEqual(syncHistory.loss);
    expect(asyncHistory.validationAccuracy).toEqual(syncHistory.validationAccuracy);
    expect(asyncHistory.accuracy[2]).toBeGreaterThan(0.8);
    expect(params(b)).toEqual(params(a));
  });

  it("trains a convolutional network as fit does", async () => {
    const cnn = () => sequentialWith({ seed: 2 }, [input(1, 4 as number, 4 as number), conv2d(3, 2), relu(), maxPool2d(3, 1), flatten(), dense(3 as number), softmax()]);
    const images = blobs(96, 16, 3, 3);
    const a = cnn(), b = cnn();
    const syncHistory = fit(a, images, { epochs: 2, batchSize: 16, seed: 5, optimizer: adam({ learningRate: 0.01 }) });
    const asyncHistory = await fitAsync(b, images, { epochs: 2, batchSize: 16, seed: 5, optimizer: adam({ learningRate: 0.01 }) });
    expect(asyncHistory.loss).toEqual(syncHistory.loss);
    expect(params(b)).toEqual(params(a));
    expect(params(a)).not.toEqual(params(cnn()));
  });

  it("awaits onBatchEnd: no step runs while a callback's promise is pending", async () => {
    const net = makeNet([8, 16, 3], 1);
    let changedDuringCallback = 0, calls = 0;
    await fitAsync(net, data, {
      epochs: 1, batchSize: 128, optimizer: sgd({ learningRate: 0.1 }),
      onBatchEnd: async () => {
        calls++;
        const before = params(net);
        await new Promise((resolve) => setTimeout(resolve, 5));
        if (JSON.stringify(params(net)) !== JSON.stringify(before)) changedDuringCallback++;
      },
    });
    expect(calls).toBe(4);
    expect(changedDuringCallback).toBe(0);
  });

  it("stops when onEpochEnd resolves to false", async () => {
    const net = makeNet([8, 16, 3], 1);
    const h = await fitAsync(net, data, { epochs: 5, optimizer: adam(), onEpochEnd: async (e) => e.epoch < 2 });
    expect(h.epochs.length).toBe(2);
    expect(h.stoppedEarly).toBe(true);
  });

  it("lets a timer fire between steps (fit does not)", async () => {
    const big = blobs(4096, 64, 10, 3);
    const run = async (train: (net: Mlp<number[]>) => Promise<unknown>) => {
      const net = makeNet([64, 128, 10], 1);
      let ticks = 0, last = performance.now(), longestGap = 0;
      const timer = setInterval(() => {
        const now = performance.now();
        longestGap = Math.max(longestGap, now - last);
        last = now;
        ticks++;
      }, 1);
      const started = performance.now();
      await train(net);
      const ms = performance.now() - started;
      clearInterval(timer);
      longestGap = Math.max(longestGap, performance.now() - last);
      return { ticks, ms, longestGap };
    };
    // 4 epochs (512 steps, about 0.2 ms each with the ReLU steps in WebAssembly): at 2 epochs the
    // run took 43-48 ms and the 1 ms timer fired 39-44 times, under the 50 asked below.
    const blocking = await run(async (net) => fit(net, big, { epochs: 4, batchSize: 32, optimizer: adam() }));
    const yielding = await run((net) => fitAsync(net, big, { epochs: 4, batchSize: 32, optimizer: adam() }));
    console.log(`timer during 4 epochs of 4,096 (batch 32): fit ${blocking.ticks} ticks in ${blocking.ms.toFixed(0)} ms (longest gap ${blocking.longestGap.toFixed(0)} ms); ` +
      `fitAsync ${yielding.ticks} ticks in ${yielding.ms.toFixed(0)} ms (longest gap ${yielding.longestGap.toFixed(1)} ms)`);
    expect(blocking.ticks).toBe(0);
    // 512 steps: the timer runs between them, never far apart.
    expect(yielding.ticks).toBeGreaterThan(50);
    expect(yielding.longestGap).toBeLessThan(Math.max(50, blocking.ms / 4));
  });

  it("aborts between steps, keeping the parameters of the last completed step", async () => {
    const net = makeNet([8, 16, 3], 1);
    const controller = new AbortController();
    let atAbort: Float64Array[] = [];
    const run = fitAsync(net, data, {
      ...options, optimizer: adam({ learningRate: 0.01 }), signal: controller.signal,
      onBatchEnd: (b) => {
        if (b.epoch === 2 && b.batch === 5) {
          atAbort = params(net);
          controller.abort();
        }
      },
    });
    await expect(run).rejects.toMatchObject({ name: "AbortError" });
    expect(params(net)).toEqual(atAbort);
    // The same state from an independent synchronous run, snapshotted after the same step.
    const reference = makeNet([8, 16, 3], 1);
    let snapshot: Float64Array[] = [];
    fit(reference, data, { ...options, optimizer: adam({ learningRate: 0.01 }), onBatchEnd: (b) => { if (b.epoch === 2 && b.batch === 5) snapshot = params(reference); } });
    expect(params(net)).toEqual(snapshot);
  });

  it("aborts from a timer while training, with the signal's reason", async () => {
    const net = makeNet([64, 128, 10], 1);
    const controller = new AbortController();
    let last: Float64Array[] = params(net), steps = 0;
    setTimeout(() => controller.abort(new Error("stop now")), 20);
    await expect(fitAsync(net, blobs(4096, 64, 10, 3), {
      epochs: 50, batchSize: 32, optimizer: adam(), signal: controller.signal,
      onBatchEnd: () => { last = params(net); steps++; },
    })).rejects.toThrow("stop now");
    expect(steps).toBeGreaterThan(0);
    expect(steps).toBeLessThan(50 * 128);
    expect(params(net)).toEqual(last);
  });

  it("does nothing with an already aborted signal", async () => {
    const net = makeNet([8, 16, 3], 1);
    const before = params(net);
    await expect(fitAsync(net, data, { epochs: 1, optimizer: adam(), signal: AbortSignal.abort() })).rejects.toMatchObject({ name: "AbortError" });
    expect(params(net)).toEqual(before);
  });

  it("rejects bad options with messages naming fitAsync, before changing anything", async () => {
    const net = makeNet([8, 16, 3], 1);
    const before = params(net);
    await expect(fitAsync(net, data, { epochs: 0, optimizer: adam() })).rejects.toThrow("fitAsync expects epochs a whole number of 1 or more, got 0");
    await expect(fitAsync(net, data, { epochs: 1, batchSize: 2.5, optimizer: adam() })).rejects.toThrow("fitAsync expects batchSize a whole number of 1 or more, got 2.5");
    // @ts-expect-error: a signal must be an AbortSignal
    await expect(fitAsync(net, data, { epochs: 1, optimizer: adam(), signal: "stop" })).rejects.toThrow("fitAsync expects options.signal to be an AbortSignal, got stop");
    await expect(fitAsync(net, blobs(4, 7, 3, 1), { epochs: 1, optimizer: adam() })).rejects.toThrow("fitAsync expects inputs with 8 rows");
    expect(params(net)).toEqual(before);
  });

  it("rejects with a TrainingError when the loss diverges, keeping the last finite parameters", async () => {
    const net = makeNet([8, 16, 3], 1);
    let last: Float64Array[] = params(net);
    const wild = dataset([[1e300, 0, 0, 0, 0, 0, 0, 0]], [0], { features: 8 as number, classes: 3 as number });
    await expect(fitAsync(net, wild, { epochs: 3, optimizer: sgd({ learningRate: 1 }), onBatchEnd: () => { last = params(net); } })).rejects.toBeInstanceOf(TrainingError);
    expect(params(net).every((p) => p.every(Number.isFinite))).toBe(true);
    expect(params(net)).toEqual(last);
  });
});
