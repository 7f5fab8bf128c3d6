/**
 * Reference vectors computed outside this project (TensorFlow.js automatic differentiation, checked
 * against an independent float64 computation): every `*.json` in test/fixtures/oracle, or in
 * ORACLE_DIR when it is set. Where they came from, and their format: test/fixtures/oracle/README.md.
 */
import { createHash } from "node:crypto";
import { readFileSync, readdirSync, existsSync, statSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createWorkspace, fromRows, lossAndGradients, mlp, oneHot, setBackend, transpose, widen, type AnyMlp,
} from "../src/index.js";
import { relativeError } from "./helpers.js";

interface OracleCase {
  sizes: number[];
  weights: number[][][];
  biases: number[][];
  inputs: number[][];
  labels: number[];
  outputs: number[][];
  losses: number[];
  loss: number;
  gradients: { weights: number[][][]; biases: number[][] };
}

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const vendored = join(root, "test/fixtures/oracle");
const folder = process.env.ORACLE_DIR ? resolve(root, process.env.ORACLE_DIR) : vendored;
const files = oracleFiles(folder);

/** The `*.json` files of the folder; no folder, or no vector in it, stops this test file loudly. */
function oracleFiles(dir: string): string[] {
  const where = process.env.ORACLE_DIR ? `ORACLE_DIR=${process.env.ORACLE_DIR} (${dir})` : dir;
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new Error(`oracle test: ${where} is not a folder`);
  const found = readdirSync(dir).filter((f) => f.endsWith(".json")).sort();
  if (found.length === 0) throw new Error(`oracle test: ${where} holds no *.json reference vectors, so nothing would be compared`);
  return found;
}
const TOLERANCE = 1e-5;

/** Runs the network on a case and returns each array's relative error (1e-5 allowed). */
function compare(c: OracleCase): Record<string, number> {
  const net: AnyMlp = mlp(c.sizes);
  net.weights.forEach((w, l) => w.data.set(c.weights[l]!.flat()));
  net.biases.forEach((b, l) => b.data.set(c.biases[l]!));
  const x = transpose(widen(fromRows(c.inputs))); // examples as columns
  const t = widen(oneHot(c.labels, c.sizes[c.sizes.length - 1]!));
  const ws = createWorkspace(net, c.inputs.length);
  const { loss, gradients } = lossAndGradients(net, x, t, ws);
  const output = ws.a[ws.a.length - 1]!;
  const errors: Record<string, number> = {
    outputs: relativeError(transpose(output).data, c.outputs.flat()),
    losses: relativeError(ws.losses, c.losses),
    loss: relativeError([loss], [c.loss]),
  };
  gradients.weights.forEach((g, l) => (errors[`gradients.weights[${l}]`] = relativeError(g.data, c.gradients.weights[l]!.flat())));
  gradients.biases.forEach((g, l) => (errors[`gradients.biases[${l}]`] = relativeError(g.data, c.gradients.biases[l]!)));
  return errors;
}

const load = (f: string): OracleCase => JSON.parse(readFileSync(join(folder, f), "utf8"));

describe("the vendored reference vectors", () => {
  it("are the files listed in their README, unchanged (SHA-256)", () => {
    const listed = [...readFileSync(join(vendored, "README.md"), "utf8").matchAll(/^\| (\S+\.json) \| ([0-9a-f]{64}) \|$/gm)].map((m) => [m[1]!, m[2]!]);
    const actual = readdirSync(vendored).filter((f) => f.endsWith(".json")).sort()
      .map((f) => [f, createHash("sha256").update(readFileSync(join(vendored, f))).digest("hex")]);
    expect(actual).toEqual(listed);
    expect(actual.length).toBeGreaterThanOrEqual(5);
  });
});

// The float32 kernel too: the vectors were computed in float32 and agree with float64 to 3e-7.
describe.each(["js", "wasm", "wasm-f32"] as const)(`oracle vectors in ${folder} (%s kernels)`, (backend) => {
  beforeAll(() => void setBackend(backend));
  afterAll(() => void setBackend("auto"));
  it("the folder holds reference vectors", () => {
    expect(files.length).toBeGreaterThan(0);
  });

  it.each(files)("%s: outputs, per-example losses, mean loss and every gradient", (file) => {
    const errors = compare(load(file));
    for (const [name, error] of Object.entries(errors)) expect({ name, error }).toEqual({ name, error: expect.toSatisfy((e: number) => e < TOLERANCE) });
  });

  it("a vector with a wrong gradient fails the comparison", () => {
    for (const file of files) {
      const c = load(file);
      const g = c.gradients.weights[0]!;
      const flat = g.flat();
      const big = flat.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
      // Move the largest entry by 1e-3 of the largest magnitude: 100 times the tolerance.
      const at = flat.findIndex((v) => Math.abs(v) === big);
      g[Math.floor(at / g[0]!.length)]![at % g[0]!.length]! += 1e-3 * big;
      expect(compare(c)["gradients.weights[0]"]).toBeGreaterThan(TOLERANCE);
    }
  });
});
