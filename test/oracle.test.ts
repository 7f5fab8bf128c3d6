/**
 * Reference vectors from outside this project (TensorFlow.js automatic differentiation, checked
 * against an independent float64 computation): every `*.json` in ORACLE_DIR (default
 * ../shared/oracle, beside the repository). Format: ../shared/oracle/README.md.
 */
import { readFileSync, readdirSync, existsSync } from "node:fs";
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
const folder = resolve(root, process.env.ORACLE_DIR ?? "../shared/oracle");
const files = existsSync(folder) ? readdirSync(folder).filter((f) => f.endsWith(".json")).sort() : [];
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
