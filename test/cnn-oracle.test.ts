/**
 * Convolutional networks against reference vectors computed outside this project by TensorFlow.js
 * (cpu backend, float32, automatic differentiation), each checked by its generator against an
 * independent float64 computation: test/fixtures/cnn (README.md there: how they were made). Every
 * output, per-example loss, the mean loss and every gradient must agree within 1e-5 relative to the
 * largest magnitude of its array, on every backend and for float32 networks.
 */
import { createHash } from "node:crypto";
import { readFileSync, readdirSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createWorkspace, lossAndGradients, setBackend, toDType, type DType } from "../src/index.js";
import { columns, networkOf, readCase, type CnnCase } from "./fixtures/cnn/load.js";
import { relativeError } from "./helpers.js";

const folder = join(resolve(dirname(fileURLToPath(import.meta.url))), "fixtures/cnn");
const files = readdirSync(folder).filter((f) => f.endsWith(".json")).sort();
const TOLERANCE = 1e-5;

/** Runs the case's network on its batch and returns each array's error relative to its largest magnitude. */
function compare(c: CnnCase, dtype: DType = "float64"): Record<string, number> {
  const net = networkOf(c, dtype);
  const x = toDType(columns(c.inputs), dtype), t = toDType(columns(c.targets), dtype);
  const ws = createWorkspace(net, c.inputs.length);
  const { loss, gradients } = lossAndGradients(net, x, t, ws);
  const output = ws.a[ws.a.length - 1]!, B = output.cols;
  const perExample = c.outputs.flatMap((_, b) => Array.from({ length: output.rows }, (_, k) => output.data[k * B + b]!));
  const errors: Record<string, number> = {
    outputs: relativeError(perExample, c.outputs.flat()),
    losses: relativeError(ws.losses, c.losses),
    loss: relativeError([loss], [c.loss]),
  };
  c.layers.slice(1).forEach((layer, l) => {
    const w = gradients.weights[l], b = gradients.biases[l], cw = c.gradients.weights[l], cb = c.gradients.biases[l];
    if (!w !== !cw || !b !== !cb) errors[`layer ${l + 1} has weights in one and not the other`] = Infinity;
    if (w && cw) errors[`gradients.weights[${l}] (${layer.kind})`] = relativeError(w.data, cw.flat());
    if (b && cb) errors[`gradients.biases[${l}] (${layer.kind})`] = relativeError(b.data, cb);
  });
  return errors;
}

/** The largest entry of `rows` moved by 1e-3 of the largest magnitude: 100 times the tolerance. */
function nudgeLargest(rows: number[][]): void {
  const big = Math.max(...rows.flat().map(Math.abs)), row = rows.find((r) => r.some((v) => Math.abs(v) === big))!;
  row[row.findIndex((v) => Math.abs(v) === big)]! += 1e-3 * big;
}

it("the folder holds the vectors listed in its README, unchanged (SHA-256)", () => {
  const listed = [...readFileSync(join(folder, "README.md"), "utf8").matchAll(/^\| (\S+\.json) \| ([0-9a-f]{64}) \|$/gm)].map((m) => [m[1]!, m[2]!]);
  const actual = files.map((f) => [f, createHash("sha256").update(readFileSync(join(folder, f))).digest("hex")]);
  expect(actual).toEqual(listed.sort((p, q) => p[0]!.localeCompare(q[0]!)));
  expect(actual.length).toBeGreaterThanOrEqual(4);
});

describe.each([
  ["js", "float64"], ["wasm", "float64"], ["wasm-f32", "float64"], ["js", "float32"], ["wasm", "float32"],
] as const)("TF.js CNN reference vectors (%s kernels, %s network)", (backend, dtype) => {
  beforeAll(() => void setBackend(backend));
  afterAll(() => void setBackend("auto"));

  it.each(files)("%s: outputs, per-example losses, mean loss and every gradient within 1e-5", (file) => {
    const errors = compare(readCase(join(folder, file)), dtype);
    if (process.env.ORACLE_REPORT) console.log(`${backend} ${dtype} ${file} worst ${Math.max(...Object.values(errors)).toExponential(2)}`);
    for (const [name, error] of Object.entries(errors)) expect({ name, error }).toEqual({ name, error: expect.toSatisfy((e: number) => e < TOLERANCE) });
  });
});

describe("a corrupted vector fails the comparison", () => {
  const corruptions: readonly (readonly [string, string, (c: CnnCase) => void])[] = [
    ["an output", "outputs", (c) => nudgeLargest(c.outputs)],
    ["a per-example loss", "losses", (c) => nudgeLargest([c.losses])],
    ["the mean loss", "loss", (c) => void (c.loss *= 1.001)],
    ["the first conv's weight gradient", "gradients.weights[0] (conv2d)", (c) => nudgeLargest(c.gradients.weights[0]!)],
    ["the first conv's bias gradient", "gradients.biases[0] (conv2d)", (c) => nudgeLargest([c.gradients.biases[0]!])],
  ];
  it.each(files)("%s", (file) => {
    for (const [what, field, corrupt] of corruptions) {
      const c = readCase(join(folder, file));
      expect(compare(c)[field], `${what} before`).toBeLessThan(TOLERANCE);
      corrupt(c);
      expect(compare(c)[field], `${what} after`).toBeGreaterThan(TOLERANCE);
    }
  });
});
