/**
 * Resuming: the RNG's and the optimizers' state, fit's initialEpoch / shuffleState, checkpoints,
 * and `npm run train -- --resume DIR`. The reference is the uninterrupted run: a run of N epochs
 * must equal, bit for bit in every parameter, K epochs + a resume for N - K, on real MNIST digits.
 * Also: fit stops with TrainingError when an update overflows, the parameters put back.
 */
import { existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  adam, conv2d, dataset, dense, fit, flatten, input, lossAndGradients, maxPool2d, mlp, ModelFormatError, momentum, relu, rng, rngFromState,
  sequential, sequentialWith, sgd, softmax, split, tanh, TrainingError, zeros,
  type EpochLog, type Optimizer, type ShuffleState,
} from "../src/index.js";
import { concatChunks, safetensorsChunks } from "../src/io/safetensors.js";
import { CHECKPOINT_FILE, loadCheckpoint, loadModel, saveCheckpoint, saveModel } from "../src/node.js";
import { loadMnist } from "../examples/mnist/load.js";
import { runTraining } from "../examples/mnist/main.js";
import { capturedOutput } from "../examples/mnist/output.js";
import { runPredict } from "../examples/mnist/predict.js";

const folder = () => mkdtempSync(join(tmpdir(), "shapegrad-ckpt-"));
const bytesOf = (net: { weights: readonly ({ data: Float64Array | Float32Array } | null)[]; biases: readonly ({ data: Float64Array | Float32Array } | null)[] }) =>
  Buffer.concat([...net.weights, ...net.biases].flatMap((m) => (m ? [Buffer.from(m.data.buffer, m.data.byteOffset, m.data.byteLength)] : [])));

describe("rng state", () => {
  it("rngFromState(r.state()) continues the same sequence, a pending normal number included", () => {
    const r = rng(11);
    for (let i = 0; i < 5; i++) r.next();
    r.normal(); // leaves the second number of the Box-Muller pair pending
    const copy = rngFromState(JSON.parse(JSON.stringify(r.state())));
    expect(r.state().spare).not.toBeNull();
    const a = [r.normal(), r.next(), r.normal(), r.int(1000), r.next()];
    const b = [copy.normal(), copy.next(), copy.normal(), copy.int(1000), copy.next()];
    expect(b).toEqual(a);
    expect(rngFromState(rng(3).state()).next()).toBe(rng(3).next());
  });
  it.each([
    [{ sfc32: [1, 2, 3], spare: null }, "rngFromState expects sfc32: four whole numbers in 0..4294967295, got [1,2,3]"],
    [{ sfc32: [1, 2, 3, 2 ** 32], spare: null }, "got [1,2,3,4294967296]"],
    [{ sfc32: [1, 2, 3, 4], spare: NaN }, "rngFromState expects spare a finite number or null, got NaN"],
    [null, "rngFromState expects sfc32"],
  ])("rejects %j", (state, message) => {
    expect(() => rngFromState(state as never)).toThrow(message);
  });
});

describe("optimizer state", () => {
  const x = zeros(4, 3), t = zeros(3, 3);
  x.data.set([0.1, 0.5, -0.3, 1, 0.2, 0.2, -1, 0.4, 0.9, 0.3, 0.3, -0.2]);
  t.data.set([1, 0, 0, 0, 1, 0, 0, 0, 1]);
  const make: [string, () => Optimizer, string[]][] = [
    ["sgd", () => sgd({ learningRate: 0.1 }), []],
    ["momentum", () => momentum({ learningRate: 0.1, beta: 0.8 }), ["velocity"]],
    ["adam", () => adam({ learningRate: 0.01, beta1: 0.85 }), ["m", "v"]],
  ];
  it.each(make)("%s: a fresh optimizer given getState's copy continues bit for bit", (_name, create, buffers) => {
    const a = mlp([4, 5, 3], { seed: 1 }), opt = create();
    const step = (net: typeof a, o: Optimizer) => o.step(net, lossAndGradients(net, x, t).gradients);
    step(a, opt); step(a, opt);
    const state = opt.getState(a);
    expect(Object.keys(state.buffers)).toEqual(buffers);
    expect(state.steps).toBe(2);
    const b = mlp([4, 5, 3], { seed: 99 });
    a.weights.forEach((w, l) => b.weights[l].data.set(w.data));
    a.biases.forEach((w, l) => b.biases[l].data.set(w.data));
    const resumed = create();
    resumed.setState(b, state);
    for (let i = 0; i < 3; i++) { step(a, opt); step(b, resumed); }
    expect(bytesOf(b).equals(bytesOf(a))).toBe(true);
    // The control: without the state the same steps end elsewhere (for the stateful rules).
    const c = mlp([4, 5, 3], { seed: 99 });
    if (buffers.length > 0) {
      step(c, create());
      expect(bytesOf(c).equals(bytesOf(a))).toBe(false);
    }
  });

  it("getState returns copies; setState checks name, buffers, shapes, finiteness and steps, changing nothing on error", () => {
    const net = mlp([4, 5, 3], { seed: 1 }), opt = adam();
    opt.step(net, lossAndGradients(net, x, t).gradients);
    const s = opt.getState(net);
    s.buffers.m!.weights[0].data[0] = 1234;
    expect(opt.getState(net).buffers.m!.weights[0].data[0]).not.toBe(1234);
    const good = opt.getState(net);
    expect(() => opt.setState(net, { ...good, name: "momentum" })).toThrow("adam.setState expects the state of a adam optimizer, got momentum");
    expect(() => opt.setState(net, { ...good, steps: -1 })).toThrow("adam.setState expects steps a whole number of 0 or more, got -1");
    expect(() => opt.setState(net, { ...good, buffers: { m: good.buffers.m! } })).toThrow("adam.setState expects buffers m, v, got m");
    const other = adam().getState(mlp([4, 6, 3]));
    expect(() => opt.setState(net, other as never)).toThrow("adam.setState buffer m expects gradient 0 of shape 5x4, got 6x4");
    s.buffers.v!.biases[1].data[2] = NaN;
    expect(() => opt.setState(net, s)).toThrow("adam.setState expects finite numbers in buffer v, got NaN or Infinity in matrix 3");
    expect(opt.getState(net).buffers.m!.weights[0].data).toEqual(good.buffers.m!.weights[0].data);
    expect(opt.getState(net).steps).toBe(1);
  });
});

describe("fit: an update that overflows", () => {
  const data = dataset([[300, -200, 100], [-100, 400, 250], [50, 60, -70]], [0, 1, 2], { features: 3, classes: 3 });
  it.each([
    ["sgd", sgd({ learningRate: 1e306 })],
    ["momentum", momentum({ learningRate: 1e306 })],
    ["adam", adam({ learningRate: 1.7e308 })],
  ] as const)("%s: stops with TrainingError, the parameters those from before the step", (_name, optimizer) => {
    const net = mlp([3, 4, 3], { seed: 1 });
    const before = Buffer.from(bytesOf(net));
    let thrown: unknown;
    try {
      fit(net, data, { epochs: 3, batchSize: 3, optimizer });
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toBeInstanceOf(TrainingError);
    expect((thrown as Error).message).toBe("fit stopped at epoch 1 batch 1: the updated parameters became NaN or infinite; the parameters from before this step are kept (try a smaller learning rate)");
    expect(bytesOf(net).equals(before)).toBe(true);
  });
});

describe("fit: initialEpoch and shuffleState", () => {
  const data = dataset([[1, 0], [0, 1], [1, 1], [0, 0]], [0, 1, 1, 0], { features: 2, classes: 2 });
  const net = mlp([2, 3, 2], { seed: 1 });
  it.each([
    [{ initialEpoch: -1 }, "fit expects initialEpoch a whole number from 0 to epochs (3), got -1"],
    [{ initialEpoch: 4 }, "fit expects initialEpoch a whole number from 0 to epochs (3), got 4"],
    [{ initialEpoch: 1, shuffleState: { rng: rng(1).state(), order: [0, 1, 2] } }, "fit expects shuffleState.order to list the 4 examples, got 3 entries"],
    [{ initialEpoch: 1, shuffleState: { rng: rng(1).state(), order: [0, 1, 1, 3] } }, "fit expects shuffleState.order to be an order of 0..3, got 1 at 2"],
    [{ initialEpoch: 1, shuffleState: { rng: { sfc32: [1], spare: null }, order: [0, 1, 2, 3] } }, "rngFromState expects sfc32"],
  ])("rejects %j before any change", (extra, message) => {
    const before = Buffer.from(bytesOf(net));
    expect(() => fit(net, data, { epochs: 3, optimizer: sgd({ learningRate: 0.1 }), ...(extra as { initialEpoch: number; shuffleState?: ShuffleState }) })).toThrow(message);
    expect(bytesOf(net).equals(before)).toBe(true);
  });
  it("initialEpoch = epochs trains nothing; epochs are numbered from initialEpoch + 1", () => {
    expect(fit(net, data, { epochs: 2, initialEpoch: 2, optimizer: sgd({ learningRate: 0.1 }) }).epochs).toEqual([]);
    const h = fit(net, data, { epochs: 4, initialEpoch: 2, optimizer: sgd({ learningRate: 0.1 }) });
    expect(h.epochs.map((e) => [e.epoch, e.epochs])).toEqual([[3, 4], [4, 4]]);
  });
});

describe("a resumed run equals the uninterrupted one, bit for bit (real MNIST digits)", () => {
  const { train, test } = split(loadMnist(25), { testFraction: 0.2, seed: 2 });
  const settings = { epochs: 4, batchSize: 16, seed: 5 };
  const optimizers: [string, () => Optimizer][] = [
    ["sgd", () => sgd({ learningRate: 0.05 })],
    ["momentum", () => momentum({ learningRate: 0.02, beta: 0.9 })],
    ["adam", () => adam({ learningRate: 2e-3 })],
  ];
  const uninterrupted = (create: () => Optimizer) => {
    const net = mlp([784, 12, 10], { seed: 4 });
    const h = fit(net, train, { ...settings, optimizer: create(), validation: test });
    return { net, h };
  };

  it.each(optimizers)("%s: 2 epochs, saveCheckpoint, loadCheckpoint, 2 more = 4 epochs", (_name, create) => {
    const reference = uninterrupted(create);
    const dir = folder();
    const net = mlp([784, 12, 10], { seed: 4 });
    const optimizer = create();
    const logs: EpochLog[] = [];
    fit(net, train, {
      ...settings, epochs: 2, optimizer, validation: test,
      onEpochEnd: (log, shuffle) => {
        logs.push(log);
        saveCheckpoint(dir, { net, optimizer, epoch: log.epoch, shuffle, history: logs, fit: settings });
      },
    });
    expect(readdirSync(dir)).toEqual([CHECKPOINT_FILE]);
    const c = loadCheckpoint(dir, [784, 12, 10]);
    expect([c.epoch, c.fit, c.history.length, c.optimizer.name]).toEqual([2, { ...settings, shuffle: true }, 2, optimizer.name]);
    const rest = fit(c.net, train, { ...c.fitOptions, validation: test });
    expect(bytesOf(c.net).equals(bytesOf(reference.net))).toBe(true);
    expect(rest.epochs.map((e) => e.epoch)).toEqual([3, 4]);
    expect(rest.loss).toEqual(reference.h.loss.slice(2));
    expect(rest.validationAccuracy).toEqual(reference.h.validationAccuracy.slice(2));
  });

  it("without a saved shuffle state, initialEpoch replays the shuffles from the seed: the same result", () => {
    const reference = uninterrupted(optimizers[2]![1]);
    const net = mlp([784, 12, 10], { seed: 4 });
    const optimizer = optimizers[2]![1]();
    fit(net, train, { ...settings, epochs: 2, optimizer });
    fit(net, train, { ...settings, optimizer, initialEpoch: 2 });
    expect(bytesOf(net).equals(bytesOf(reference.net))).toBe(true);
  });

  it("the controls: a resume that restarts the shuffling, or the optimizer, ends elsewhere", () => {
    const reference = uninterrupted(optimizers[2]![1]);
    const restartShuffle = mlp([784, 12, 10], { seed: 4 }), o1 = optimizers[2]![1]();
    fit(restartShuffle, train, { ...settings, epochs: 2, optimizer: o1 });
    fit(restartShuffle, train, { ...settings, epochs: 2, optimizer: o1 });
    expect(bytesOf(restartShuffle).equals(bytesOf(reference.net))).toBe(false);
    const restartOptimizer = mlp([784, 12, 10], { seed: 4 });
    fit(restartOptimizer, train, { ...settings, epochs: 2, optimizer: optimizers[2]![1]() });
    fit(restartOptimizer, train, { ...settings, optimizer: optimizers[2]![1](), initialEpoch: 2 });
    expect(bytesOf(restartOptimizer).equals(bytesOf(reference.net))).toBe(false);
  });
});

describe("checkpoint files", () => {
  const net = mlp([6, 5, 3], { seed: 1 });
  const optimizer = adam();
  const x = zeros(6, 2), t = zeros(3, 2);
  t.data.set([1, 0, 0, 1, 0, 0]);
  optimizer.step(net, lossAndGradients(net, x, t).gradients);
  const input = { net, optimizer, epoch: 3, fit: { epochs: 10, batchSize: 8, seed: 2 }, metadata: { note: "hello" } };

  it("holds the model (prefix model.), Adam's m and v, the metadata; without a shuffle state, none is returned", () => {
    const dir = folder();
    saveCheckpoint(dir, input);
    const bytes = readFileSync(join(dir, CHECKPOINT_FILE));
    const header = JSON.parse(bytes.subarray(8, 8 + Number(bytes.readBigUInt64LE(0))).toString());
    expect(Object.keys(header).filter((k) => k !== "__metadata__").sort()).toEqual([
      "model.0.bias", "model.0.weight", "model.2.bias", "model.2.weight",
      "optimizer.m.0.bias", "optimizer.m.0.weight", "optimizer.m.2.bias", "optimizer.m.2.weight",
      "optimizer.v.0.bias", "optimizer.v.0.weight", "optimizer.v.2.bias", "optimizer.v.2.weight",
    ]);
    expect(header.__metadata__).toMatchObject({ format: "shapegrad-checkpoint", version: "2", epoch: "3", input: "[6]", dtype: "float64" });
    const c = loadCheckpoint(dir);
    expect([c.shuffle, c.metadata, c.fitOptions.initialEpoch, c.fitOptions.batchSize]).toEqual([undefined, { note: "hello" }, 3, 8]);
    expect(c.optimizer.getState(c.net).steps).toBe(1);
    expect(c.optimizer.getState(c.net).buffers.v!.weights[1].data).toEqual(optimizer.getState(net).buffers.v!.weights[1].data);
  });

  it("a failed save (a NaN parameter) leaves the previous checkpoint whole", () => {
    const dir = folder();
    saveCheckpoint(dir, input);
    const before = readFileSync(join(dir, CHECKPOINT_FILE));
    const broken = mlp([6, 5, 3], { seed: 1 });
    broken.biases[0].data[4] = NaN;
    expect(() => saveCheckpoint(dir, { ...input, net: broken, optimizer: adam() })).toThrow('saveCheckpoint refuses to save a model with a non-finite parameter: NaN in tensor "0.bias" at [4]');
    expect(readFileSync(join(dir, CHECKPOINT_FILE)).equals(before)).toBe(true);
    expect(readdirSync(dir)).toEqual([CHECKPOINT_FILE]);
  });

  it("names what is wrong: no checkpoint, a model file instead, wrong sizes, a missing optimizer tensor", () => {
    const dir = folder();
    expect(() => loadCheckpoint(dir)).toThrow(`loadCheckpoint cannot read ${join(dir, CHECKPOINT_FILE)}: no such file`);
    saveModel(net, join(dir, CHECKPOINT_FILE));
    expect(() => loadCheckpoint(dir)).toThrow(ModelFormatError);
    expect(() => loadCheckpoint(dir)).toThrow(`loadCheckpoint: ${join(dir, CHECKPOINT_FILE)}: expects format "shapegrad-checkpoint" in __metadata__, got "shapegrad-mlp"`);
    saveCheckpoint(dir, input);
    expect(() => loadCheckpoint(dir, [6, 4, 3])).toThrow("expects a model of sizes [6, 4, 3], the file holds [6, 5, 3]");
    // Rename one tensor in the header (same length, so the file stays consistent otherwise).
    const path = join(dir, CHECKPOINT_FILE);
    writeFileSync(path, Buffer.from(readFileSync(path).toString("latin1").replace('"optimizer.v.2.bias"', '"optimizer.w.2.bias"'), "latin1"));
    expect(() => loadCheckpoint(dir)).toThrow('missing tensor "optimizer.v.2.bias" (adam\'s v for bias of layer 2)');
  });

  it("a damaged history entry is named", () => {
    const dir = folder();
    saveCheckpoint(dir, { ...input, history: [{ epoch: 1, loss: "x" }] as never });
    expect(() => loadCheckpoint(dir)).toThrow('expects history entry 0 an epoch log (epoch, epochs, loss, accuracy, seconds), got {"epoch":1,"loss":"x"}');
  });

  it("a checkpoint is not a model file: loadModel names its unexpected tensors", () => {
    const dir = folder();
    saveCheckpoint(dir, input);
    expect(() => loadModel(join(dir, CHECKPOINT_FILE), [6, 5, 3])).toThrow(`loadModel: ${join(dir, CHECKPOINT_FILE)}: unexpected tensor "model.0.weight", "model.0.bias", "model.2.weight", "model.2.bias" and 8 more (the model's tensors are "0.weight", "0.bias", "2.weight", "2.bias")`);
  });
});

describe("checkpoints of convolutional networks", () => {
  const { train, test } = split(loadMnist(15), { testFraction: 0.2, seed: 3 });
  const layers = () => [input(1, 28, 28), conv2d(3, 5, { stride: 2 }), relu(), maxPool2d(2), conv2d(4, 3, { padding: "same" }), tanh(), flatten(), dense(10), softmax()] as const;
  const settings = { epochs: 3, batchSize: 16, seed: 6 };

  it.each<[string, () => Optimizer]>([["momentum", () => momentum({ learningRate: 0.02 })], ["adam", () => adam({ learningRate: 3e-3 })]])(
    "%s: 1 epoch, checkpoint, resume for 2 = 3 epochs uninterrupted, every parameter bit for bit",
    (_name, create) => {
      const reference = sequentialWith({ seed: 2 }, [...layers()]);
      fit(reference, train, { ...settings, optimizer: create() });
      const dir = folder();
      const net = sequentialWith({ seed: 2 }, [...layers()]), optimizer = create();
      fit(net, train, { ...settings, epochs: 1, optimizer, onEpochEnd: (log, shuffle) => saveCheckpoint(dir, { net, optimizer, epoch: log.epoch, shuffle, fit: settings }) });
      const c = loadCheckpoint(dir, [...layers()]);
      expect(c.net.layers.map((l) => l.kind)).toEqual(["conv2d", "maxPool2d", "conv2d", "flatten", "dense"]);
      fit(c.net, train, { ...c.fitOptions, validation: test });
      expect(bytesOf(c.net).equals(bytesOf(reference))).toBe(true);
      // the control: the same resume with a fresh optimizer ends elsewhere
      const d = loadCheckpoint(dir, [...layers()]);
      fit(d.net, train, { ...d.fitOptions, optimizer: create() });
      expect(bytesOf(d.net).equals(bytesOf(reference))).toBe(false);
    },
  );

  it("holds the conv layers' optimizer state as [F, C, KH, KW] tensors; a layer list of another architecture is named", () => {
    const net = sequential(...layers()), optimizer = adam();
    const t = zeros(10, 2);
    t.data.set([1, 0, 0, 1]);
    optimizer.step(net, lossAndGradients(net, zeros(784, 2), t).gradients);
    const dir = folder();
    saveCheckpoint(dir, { net, optimizer, epoch: 1, fit: settings });
    const bytes = readFileSync(join(dir, CHECKPOINT_FILE));
    const header = JSON.parse(bytes.subarray(8, 8 + Number(bytes.readBigUInt64LE(0))).toString());
    expect(header["optimizer.m.0.weight"].shape).toEqual([3, 1, 5, 5]);
    expect(header["optimizer.v.3.weight"].shape).toEqual([4, 3, 3, 3]);
    expect(header["model.6.weight"].shape).toEqual([10, 4 * 6 * 6]);
    const c = loadCheckpoint(dir, "any");
    expect(c.optimizer.getState(c.net).buffers.m!.weights[2]!.data).toEqual(optimizer.getState(net).buffers.m!.weights[2]!.data);
    expect(() => loadCheckpoint(dir, [input(1, 28, 28), conv2d(3, 5, { stride: 2 }), relu(), maxPool2d(2), conv2d(4, 3), tanh(), flatten(), dense(10), softmax()]))
      .toThrow(`loadCheckpoint: ${join(dir, CHECKPOINT_FILE)}: expects layer 3 to be conv2d(4, [3, 3], { stride: [1, 1], padding: "valid" }) + tanh (as the layer list says), the file holds conv2d(4, [3, 3], { stride: [1, 1], padding: "same" }) + tanh`);
    expect(() => loadCheckpoint(dir)).toThrow("which an Mlp cannot hold");
  });

  it("a float32 network's checkpoint is float32 throughout, and loads as float32 (or converted)", () => {
    const net = sequentialWith({ dtype: "float32", seed: 1 }, [input(1, 28, 28), conv2d(2, 5, { stride: 3 }), relu(), flatten(), dense(10), softmax()]);
    const optimizer = adam();
    fit(net, train, { epochs: 1, batchSize: 32, optimizer });
    const dir = folder();
    saveCheckpoint(dir, { net, optimizer, epoch: 1, fit: { epochs: 2 } });
    const bytes = readFileSync(join(dir, CHECKPOINT_FILE));
    const header = JSON.parse(bytes.subarray(8, 8 + Number(bytes.readBigUInt64LE(0))).toString());
    expect([header.__metadata__.dtype, header["model.0.weight"].dtype, header["optimizer.v.0.weight"].dtype]).toEqual(["float32", "F32", "F32"]);
    expect(() => loadCheckpoint(dir, "any")).toThrow('the file holds a float32 network; load it with { dtype: "float32" }');
    const c = loadCheckpoint(dir, "any", { dtype: "float32" });
    expect(bytesOf(c.net).equals(bytesOf(net))).toBe(true);
    expect(loadCheckpoint(dir, "any", { convert: true }).net.dtype).toBe("float64");
  });

  it("a version 1 checkpoint (dense networks, before convolutions) still loads", () => {
    const net = mlp([6, 5, 3], { seed: 1 }), optimizer = momentum({ learningRate: 0.1 });
    const tensors = ["0.weight", "0.bias", "2.weight", "2.bias"].map((name, k) => ({ name, shape: k % 2 === 0 ? [[5, 6], [3, 5]][k / 2]! : [[5], [3]][(k - 1) / 2]!, data: (k % 2 === 0 ? net.weights : net.biases)[k >> 1]!.data }));
    const file = concatChunks(safetensorsChunks([...tensors.map((t) => ({ ...t, name: `model.${t.name}` })), ...tensors.map((t) => ({ ...t, name: `optimizer.velocity.${t.name}`, data: new Float64Array(t.data.length).fill(0.5) }))], {
      format: "shapegrad-checkpoint", version: "1", sizes: "[6,5,3]", activations: '["relu","softmax"]', loss: "crossEntropy", dtype: "float64",
      epoch: "2", optimizer: JSON.stringify({ name: "momentum", settings: { learningRate: 0.1, beta: 0.9 }, steps: 7 }), fit: JSON.stringify({ epochs: 5 }), history: "[]", user: "{}",
    }));
    const dir = folder();
    writeFileSync(join(dir, CHECKPOINT_FILE), file);
    const c = loadCheckpoint(dir, [6, 5, 3]);
    expect(bytesOf(c.net).equals(bytesOf(net))).toBe(true);
    expect([c.epoch, c.optimizer.getState(c.net).steps, c.optimizer.getState(c.net).buffers.velocity!.biases[1].data[2]]).toEqual([2, 7, 0.5]);
  });
});

describe("npm run train -- --resume DIR", () => {
  const capture = () => {
    const out = capturedOutput(false);
    return { out, lines: out.lines, errors: out.errors };
  };
  const flags = ["--limit-per-class", "30", "--hidden", "16", "--seed", "3", "--batch-size", "32"];
  const params = (dir: string) => bytesOf(loadModel(join(dir, "model.safetensors"), [784, 16, 10]));

  it("3 epochs = 1 epoch, then --resume with --epochs 3: every parameter bit for bit, history and checkpoint continued", () => {
    const a = folder(), b = folder();
    expect(runTraining([...flags, "--epochs", "3", "--out", a], capture().out)).toBe(0);
    expect(runTraining([...flags, "--epochs", "1", "--out", b], capture().out)).toBe(0);
    expect(loadCheckpoint(b).epoch).toBe(1);
    const { out, lines } = capture();
    expect(runTraining(["--resume", b, "--epochs", "3"], out)).toBe(0);
    expect(lines[0]).toBe(`resuming ${join(b, CHECKPOINT_FILE)} after epoch 1`);
    expect(lines.filter((l) => l.startsWith("epoch ")).map((l) => l.slice(0, 9))).toEqual(["epoch 2/3", "epoch 3/3"]);
    expect(params(b).equals(params(a))).toBe(true);
    expect(loadCheckpoint(b).epoch).toBe(3);
    const history = (d: string) => JSON.parse(readFileSync(join(d, "history.json"), "utf8"));
    expect(history(b).loss).toEqual(history(a).loss);
    expect(existsSync(join(b, "model.json"))).toBe(true); // small models are also written as JSON
    const printed = capture();
    expect(runPredict(["--model", join(b, "model.safetensors"), "--input", join(b, "sample-digits.json")], printed.out)).toBe(0);
    expect(printed.lines).toHaveLength(8);
  });

  it("refuses other flags with --resume, and a run that is already complete", () => {
    const dir = folder();
    expect(runTraining([...flags, "--epochs", "1", "--out", dir], capture().out)).toBe(0);
    const { out, lines, errors } = capture();
    expect(runTraining(["--resume", dir, "--lr", "0.1"], out)).toBe(2);
    expect([lines, errors]).toEqual([[], ["train: --resume continues a run with its saved settings; only --epochs, --out and --backend may be given with it, got --lr"]]);
    const second = capture();
    expect(runTraining(["--resume", dir], second.out)).toBe(1);
    expect(second.errors).toEqual([`train: --resume ${dir}: the run already did 1 of 1 epochs (give --epochs N above 1 to train more)`]);
  });
});
