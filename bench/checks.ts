/**
 * The bench's consistency checks, run before anything is timed (and by
 * test/bench-harness.test.ts): every TF.js spelling computes the same loss and the same update as
 * the autodiff one, and shapegrad computes the same loss, update and prediction as TF.js on the
 * same parameters and batch. So the figures compare the same work.
 */
import { cnnTrainingStep, predictOne, tfCnnParamsOf, trainingStep, tfParamsOf, type Impl } from "./shapegrad.js";
import { tfCnnStep, type TfCnnParams } from "./tf-cnn.js";
import { TF_SPELLINGS, tfPredict, tfStep, useBackend, type TfBatch, type TfParams } from "./tf.js";

/** One compared quantity: |a - b| (relative to |b| where `relative`) against its tolerance. */
export interface Agreement { readonly what: string; readonly difference: number; readonly tolerance: number }

/** Throws, naming every quantity out of tolerance. */
export function assertAgreements(where: string, agreements: readonly Agreement[]): void {
  const bad = agreements.filter((a) => !(a.difference <= a.tolerance));
  if (bad.length > 0) {
    throw new Error(`bench check failed (${where}): ${bad.map((a) => `${a.what} differs by ${a.difference.toExponential(2)} > ${a.tolerance.toExponential(0)}`).join("; ")}`);
  }
}

const relative = (a: number, b: number) => Math.abs(a - b) / Math.max(Math.abs(b), 1e-12);

function maxAbsDifference(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) return Infinity;
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i]! - b[i]!));
  return worst;
}

const paramsDifference = (a: TfParams, b: TfParams) =>
  Math.max(...a.weights.map((w, l) => maxAbsDifference(w, b.weights[l]!)), ...a.biases.map((v, l) => maxAbsDifference(v, b.biases[l]!)));

/**
 * Each TF.js spelling against autodiff on the same parameters and batch (all float32): the loss
 * its step computes, and after that one SGD step the loss (same forward pass for all) and every
 * parameter. `tolerance` is relative for losses, absolute for parameters.
 */
export function tfSpellingsAgree(params: TfParams, data: TfBatch, tolerance = 1e-6): Agreement[] {
  const reference = tfStep("autodiff", params, data);
  const loss0 = reference.step(), loss1 = reference.loss(), after = reference.params();
  reference.dispose();
  return TF_SPELLINGS.filter((s) => s !== "autodiff").flatMap((spelling) => {
    const other = tfStep(spelling, params, data);
    const own = other.step(), next = other.loss(), theirs = other.params();
    other.dispose();
    return [
      { what: `${spelling}: the loss its step computes`, difference: relative(own, loss0), tolerance },
      { what: `${spelling}: the loss after one step`, difference: relative(next, loss1), tolerance },
      { what: `${spelling}: the parameters after one step`, difference: paramsDifference(theirs, after), tolerance },
    ];
  });
}

/**
 * shapegrad (`impl`) against TF.js autodiff from shapegrad's initial parameters: the loss of two
 * consecutive SGD steps (the second sees the first's update, so it checks the gradients too) and
 * the batch-1 prediction. TF.js computes in float32, so the tolerance is float32's, not float64's.
 */
export function shapegradAgreesWithTf(impl: Impl, sizes: readonly number[], data: TfBatch, tolerance = 2e-5): Agreement[] {
  const ours = trainingStep(impl, sizes, data);
  const theirs = tfStep("autodiff", tfParamsOf(ours.net), data);
  const agreements: Agreement[] = [];
  for (const step of ["first", "second"]) {
    agreements.push({ what: `${impl.name} ${sizes.join("-")} batch ${data.batch}: loss of the ${step} step`, difference: relative(ours.step(), theirs.step()), tolerance });
  }
  theirs.dispose();
  const one = predictOne(impl, sizes, data);
  const tf = tfPredict(tfParamsOf(one.net), data.x);
  agreements.push({ what: `${impl.name} ${sizes.join("-")}: batch-1 prediction`, difference: maxAbsDifference(one.output(), tf.output()), tolerance });
  tf.dispose();
  return agreements;
}

const cnnParamsDifference = (a: TfCnnParams, b: TfCnnParams) =>
  a.length !== b.length ? Infinity : Math.max(...a.map((p, i) => maxAbsDifference(p.values, b[i]!.values)));

/**
 * The CNN (issue 12), from shapegrad's initial parameters (`impl`'s network, converted to NHWC):
 * TF.js's wasm spelling (customGrad conv2d) against plain autodiff on TF.js's `cpu` backend (the
 * only backend whose autodiff runs conv2d: wasm lacks Conv2DBackpropFilter), on the loss its step
 * computes, the loss after one step and every parameter after it; then each shapegrad
 * implementation against TF.js wasm on the losses of two consecutive steps. Leaves the wasm
 * backend current. Tolerances as for the MLP (float32 arithmetic on TF.js's side).
 */
export async function cnnAgreesWithTf(impls: readonly Impl[], data: TfBatch, tolerance = 2e-5): Promise<Agreement[]> {
  const params = tfCnnParamsOf(cnnTrainingStep(impls[0]!, data).net);
  const run = (s: ReturnType<typeof tfCnnStep>) => {
    const own = s.step(), next = s.loss(), after = s.params();
    s.dispose();
    return { own, next, after };
  };
  await useBackend("cpu");
  const reference = run(tfCnnStep("autodiff", params, data));
  await useBackend("wasm");
  const wasm = run(tfCnnStep("customGrad", params, data));
  const agreements: Agreement[] = [
    { what: "CNN customGrad (wasm) vs autodiff (cpu): the loss its step computes", difference: relative(wasm.own, reference.own), tolerance },
    { what: "CNN customGrad (wasm) vs autodiff (cpu): the loss after one step", difference: relative(wasm.next, reference.next), tolerance },
    { what: "CNN customGrad (wasm) vs autodiff (cpu): the parameters after one step", difference: cnnParamsDifference(wasm.after, reference.after), tolerance },
  ];
  for (const impl of impls) {
    const ours = cnnTrainingStep(impl, data);
    const theirs = tfCnnStep("customGrad", tfCnnParamsOf(ours.net), data);
    for (const step of ["first", "second"]) {
      agreements.push({ what: `${impl.name} CNN batch ${data.batch}: loss of the ${step} step`, difference: relative(ours.step(), theirs.step()), tolerance });
    }
    theirs.dispose();
  }
  return agreements;
}
