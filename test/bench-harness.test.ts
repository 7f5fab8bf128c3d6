/**
 * The benchmark's own machinery, so that it cannot rot between runs of `npm run bench`: its
 * statistics, the choice of the anchor and the targets table on made-up series, its flags, the
 * type-check outcome parsing, and its consistency checks on real engines (TF.js wasm spellings
 * against autodiff, shapegrad against TF.js).
 */
import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import { anchorOf, ratioToAnchor, targetRows, type Series } from "../bench/analysis.js";
import { assertAgreements, cnnAgreesWithTf, shapegradAgreesWithTf, tfSpellingsAgree } from "../bench/checks.js";
import { parseOptions } from "../bench/options.js";
import { CONSOLE_WIDTH, renderTable, splitColumns } from "../bench/report.js";
import { IMPLS, cnnTrainingStep, tfCnnParamsOf, tfParamsOf, trainingStep } from "../bench/shapegrad.js";
import { formatRatio, formatSummary, roundRatios, summarize } from "../bench/stats.js";
import { TF_CNN_SHAPES, tfCnnStep } from "../bench/tf-cnn.js";
import { TF_SPELLINGS, tfPredict, tfStep, useBackend } from "../bench/tf.js";
import { TYPECHECK_ROWS, instantiationsOf, outcomeOf } from "../bench/typecheck.js";
import { PRODUCTS, productFlops, randomData } from "../bench/workloads.js";

describe("bench statistics", () => {
  it("summarize gives min, median and max; the median of an even count is the mean of the middle two", () => {
    expect(summarize([3, 1, 2])).toEqual({ min: 1, median: 2, max: 3 });
    expect(summarize([4, 1, 3, 2])).toEqual({ min: 1, median: 2.5, max: 4 });
    expect(summarize([7])).toEqual({ min: 7, median: 7, max: 7 });
    expect(summarize([5, 9, 1, 9, 2, 8, 3, 7, 4])).toEqual({ min: 1, median: 5, max: 9 });
  });

  it("summarize refuses an empty or non-finite sample", () => {
    expect(() => summarize([])).toThrow(/at least one value/);
    expect(() => summarize([1, Number.NaN])).toThrow(/finite/);
  });

  it("round ratios divide round by round, inverted for latencies", () => {
    expect(roundRatios([10, 20], [5, 4])).toEqual([2, 5]);
    expect(roundRatios([10, 20], [5, 40], true)).toEqual([0.5, 2]);
    expect(() => roundRatios([1], [1, 2])).toThrow(/as many rounds/);
  });

  it("formats median (min-max)", () => {
    expect(formatSummary({ min: 11863.2, median: 35539.4, max: 52720 })).toBe("35,539 (11,863-52,720)");
    expect(formatSummary({ min: 4.123, median: 17.37, max: 250.2 })).toBe("17.4 (4.12-250)");
    expect(formatRatio({ min: 3.8, median: 4.123, max: 4.4 })).toBe("4.12x (3.80-4.40)");
  });

  it("counts the flops of op(A) op(B)", () => {
    const wa = PRODUCTS.find((p) => p.name.includes("W^1 a^0"))!;
    expect(productFlops(wa)).toBe(2 * 128 * 784 * 64);
    const wtd = PRODUCTS.find((p) => p.name.includes("W^2T delta^2 (1024"))!;
    expect(productFlops(wtd)).toBe(2 * 1024 * 1024 * 64);
  });
});

describe("bench targets", () => {
  const series = (c: string, impl: string, samples: number[], group: Series["group"] = "training", lowerIsBetter = false): Series =>
    ({ group, case: c, impl, unit: "u", lowerIsBetter, samples });
  const cases = { trainingSmall: "small", trainingWide: ["wide"], predict: ["p"], targetProducts: ["W a"] };
  const impls = { float64: "sg64", float32: "sg32", float32Kernel: "kernel32" };
  const make = (f32Small: number) => [
    series("small", "tfjs wasm, autodiff", [100, 100, 100]),
    series("small", "tfjs wasm, by hand", [1000, 900, 1100]),
    series("small", "sg32", [f32Small, f32Small * 0.9, f32Small * 1.1]),
    series("small", "sg64", [2000, 1800, 2200]),
    series("wide", "tfjs wasm, autodiff", [10, 10, 10]),
    series("wide", "sg32", [35, 35, 35]),
    series("wide", "sg64", [25, 25, 25]),
    series("p", "tfjs wasm, chain", [40, 40, 40], "predict", true),
    series("p", "sg64", [19, 21, 20], "predict", true),
    series("p", "sg32", [30, 30, 30], "predict", true),
    series("W a", "sg32", [46, 44, 43], "products"),
    series("W a", "kernel32", [50, 51, 52], "products"),
  ];

  it("anchors each case on the fastest TF.js wasm spelling, the lowest latency for predict", () => {
    expect(anchorOf(make(4100), "training", "small")?.impl).toBe("tfjs wasm, by hand");
    const r = ratioToAnchor(make(4100), "training", "small", "sg32")!;
    for (const v of [r.min, r.median, r.max]) expect(v).toBeCloseTo(4.1, 12);
    expect(ratioToAnchor(make(4100), "predict", "p", "sg64")?.median).toBe(2);
  });

  it("checks each target against the fastest spelling, not the autodiff one", () => {
    const met = targetRows(make(4100), impls, cases);
    expect(met.map((r) => r.met)).toEqual([true, true, true, true, true, false]);
    expect(met[0]!.measured).toBe("4.10x (4.10-4.10) vs by hand");
    expect(met[4]!.measured).toBe("float64 2.00x (1.90-2.11), float32 1.33x (1.33-1.33)");
    expect(met[5]!.measured).toBe("medians 44.0-44.0 (micro-kernel alone 51.0-51.0)");
    // 39x the autodiff spelling, 3.9x the fastest: not met.
    expect(targetRows(make(3900), impls, cases)[0]!.met).toBe(false);
  });

  it("reports a target it has no measurement for as not met", () => {
    const rows = targetRows([], impls, cases);
    expect(rows.every((r) => !r.met && r.measured.includes("not measured"))).toBe(true);
  });

  it("cuts a console table wider than the limit into parts that each repeat the first column", () => {
    const t = { title: "T", header: ["name", "a", "b", "c"], rows: [["row", "x".repeat(40), "y".repeat(40), "z".repeat(40)]], textColumns: [3] };
    const parts = splitColumns(t, 100);
    expect(parts.map((p) => p.header)).toEqual([["name", "a", "b"], ["name", "c"]]);
    expect(parts[1]).toEqual({ title: "T (continued)", header: ["name", "c"], rows: [["row", "z".repeat(40)]], textColumns: [1] });
    expect(splitColumns(t, 1000)).toEqual([t]);
    for (const line of renderTable(t, true).split("\n")) expect(line.length).toBeLessThanOrEqual(CONSOLE_WIDTH);
  });

  it("renders a markdown table, aligned for the console", () => {
    const t = { title: "T", header: ["a", "b"], rows: [["x", "1.5"], ["longer", "22"]] };
    expect(renderTable(t)).toBe("### T\n\n| a | b |\n|---|---:|\n| x | 1.5 |\n| longer | 22 |");
    expect(renderTable(t, true).split("\n").slice(2)).toEqual(["| a      |   b |", "|--------|----:|", "| x      | 1.5 |", "| longer |  22 |"]);
  });
});

describe("bench flags and type-check rows", () => {
  it("defaults to 9 rounds and writes; --quick is a short run that writes nothing", () => {
    const full = parseOptions([]);
    expect([full.rounds, full.write, full.quick, full.typecheckRows]).toEqual([9, true, false, "all"]);
    const quick = parseOptions(["--quick"]);
    expect([quick.rounds, quick.write, quick.typecheckRows]).toEqual([3, false, "first"]);
    expect(parseOptions(["--rounds", "11", "--no-typecheck"]).typecheckRepetitions).toBe(0);
    expect(parseOptions([], { BENCH_ROUNDS: "5" }).rounds).toBe(5);
    expect(() => parseOptions(["--rounds", "x"])).toThrow(/--rounds expects a positive number, got x/);
    expect(() => parseOptions(["--fast"])).toThrow(/unknown flag --fast/);
  });

  it("reads tsc's outcome: ok, the error codes, or the time limit", () => {
    expect(outcomeOf(0, "Files: 1", false)).toBe("ok");
    expect(outcomeOf(2, "x.ts(1,20): error TS2589: Type instantiation is excessively deep and possibly infinite.\n", false)).toBe("failed: TS2589");
    expect(outcomeOf(2, "error TS2345: a\nerror TS2589: b\nerror TS2345: c", false)).toBe("failed: TS2345, TS2589");
    expect(outcomeOf(1, "", true)).toBe("timeout");
    expect(outcomeOf(1, "", false)).toBe("failed: exit code 1");
    expect(instantiationsOf("Types: 3\nInstantiations:          1612084\n")).toBe(1612084);
    expect(instantiationsOf("")).toBeNull();
  });

  it("has the 1,000-layer sequential row, generated with 500 dense and 500 relu layers", () => {
    const row = TYPECHECK_ROWS.find((r) => r.name.includes("1,000 layers"))!;
    expect(row.body.match(/dense\(/g)).toHaveLength(500);
    expect(row.body.match(/relu\(\)/g)).toHaveLength(500);
  });
});

describe("bench consistency checks (TF.js wasm and shapegrad on the same parameters and batch)", () => {
  beforeAll(async () => {
    await useBackend("wasm");
  });
  const data = randomData(64, 784, 10);

  it("every TF.js spelling gives autodiff's loss and update, 784-128-10 batch 64 and a deeper net", () => {
    for (const [sizes, batch] of [[[784, 128, 10], 64], [[784, 48, 32, 10], 16]] as const) {
      const params = tfParamsOf(trainingStep(IMPLS[0]!, sizes, { ...data, batch }).net);
      const agreements = tfSpellingsAgree(params, { ...data, batch });
      expect(agreements).toHaveLength(9);
      assertAgreements("test", agreements);
    }
  });

  it("the comparison is sensitive: another learning rate moves the loss after one step far beyond the tolerance", () => {
    const params = tfParamsOf(trainingStep(IMPLS[0]!, [784, 32, 10], { ...data, batch: 16 }).net);
    const losses = [0.01, 0.011].map((rate) => {
      const s = tfStep("byHand", params, { ...data, batch: 16 }, rate);
      s.run();
      const loss = s.loss();
      s.dispose();
      return loss;
    });
    expect(Math.abs(losses[0]! - losses[1]!) / losses[0]!).toBeGreaterThan(1e-4);
    expect(() => assertAgreements("test", [{ what: "x", difference: 2e-6, tolerance: 1e-6 }])).toThrow(/x differs by 2.00e-6 > 1e-6/);
    expect(() => assertAgreements("test", [{ what: "x", difference: Number.NaN, tolerance: 1e-6 }])).toThrow(/x differs/);
  });

  it("TF.js steps and predictions leave no tensor behind (a leak would slow later rounds)", () => {
    const params = tfParamsOf(trainingStep(IMPLS[0]!, [784, 32, 10], { ...data, batch: 16 }).net);
    const before = tf.memory().numTensors;
    for (const spelling of TF_SPELLINGS) {
      const s = tfStep(spelling, params, { ...data, batch: 16 });
      s.run();
      const during = tf.memory().numTensors;
      for (let i = 0; i < 3; i++) s.run();
      expect(tf.memory().numTensors, spelling).toBe(during);
      s.dispose();
    }
    const p = tfPredict(params, data.x);
    p.run();
    p.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it("shapegrad gives TF.js's loss over two steps and its batch-1 prediction, on every implementation", () => {
    for (const impl of IMPLS) assertAgreements(impl.name, shapegradAgreesWithTf(impl, [784, 48, 32, 10], { ...data, batch: 16 }));
  });

  it("the CNN: TF.js wasm (customGrad conv2d) gives cpu autodiff's loss and update; every shapegrad implementation gives TF.js's losses over two steps", async () => {
    const agreements = await cnnAgreesWithTf(IMPLS, { ...data, batch: 16 });
    expect(agreements).toHaveLength(3 + 2 * IMPLS.length);
    assertAgreements("CNN", agreements);
    expect(tf.getBackend()).toBe("wasm");
  }, 60_000);

  it("the CNN check is sensitive to the layout conversion: the dense kernel's rows in (c, h, w) order change the loss", () => {
    const batch = { ...data, batch: 16 };
    const ours = cnnTrainingStep(IMPLS[1]!, batch);
    const params = tfCnnParamsOf(ours.net);
    expect(params.map((p) => p.shape)).toEqual(TF_CNN_SHAPES);
    // The dense kernel [576, 10] with its rows in shapegrad's (c, h, w) order instead of (h, w, c).
    const w = ours.net.weights[5]!.data, chw = new Float32Array(576 * 10);
    for (let o = 0; o < 10; o++) for (let i = 0; i < 576; i++) chw[i * 10 + o] = w[o * 576 + i]!;
    const wrong = params.map((p, i) => (i === 4 ? { values: chw, shape: p.shape } : p));
    const [right, swapped] = [params, wrong].map((ps) => {
      const s = tfCnnStep("customGrad", ps, batch);
      const loss = s.step();
      s.dispose();
      return loss;
    });
    const own = ours.step();
    expect(Math.abs(right! - own) / own).toBeLessThan(2e-5);
    expect(Math.abs(swapped! - own) / own).toBeGreaterThan(1e-3);
  });

  it("TF.js CNN steps leave no tensor behind", () => {
    const params = tfCnnParamsOf(cnnTrainingStep(IMPLS[1]!, { ...data, batch: 8 }).net);
    const before = tf.memory().numTensors;
    const s = tfCnnStep("customGrad", params, { ...data, batch: 8 });
    s.run();
    const during = tf.memory().numTensors;
    for (let i = 0; i < 3; i++) s.run();
    expect(tf.memory().numTensors).toBe(during);
    s.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});
