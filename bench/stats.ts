/**
 * Timing and statistics of the benchmark: pure functions (no library code), tested by
 * test/bench-harness.test.ts.
 */

/** Seconds per call of `run`, timed over at least `minMs` (and at least one call). */
export function secondsPerCall(run: () => void, minMs: number): number {
  let calls = 0;
  const t0 = performance.now();
  let t = t0;
  do {
    run();
    calls++;
    t = performance.now();
  } while (t - t0 < minMs);
  return (t - t0) / 1000 / calls;
}

/** Runs `run` for about `ms` milliseconds (JIT warm-up, buffers grown, caches filled). */
export function warm(run: () => void, ms: number): void {
  const t0 = performance.now();
  do run(); while (performance.now() - t0 < ms);
}

/** Min, median and max of a sample. */
export interface Summary { readonly min: number; readonly median: number; readonly max: number }

/** The median (the mean of the two middle values for an even count), min and max; throws on an empty or non-finite sample. */
export function summarize(xs: readonly number[]): Summary {
  if (xs.length === 0) throw new RangeError("summarize expects at least one value, got none");
  if (!xs.every(Number.isFinite)) throw new RangeError(`summarize expects finite values, got ${xs.join(", ")}`);
  const sorted = [...xs].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  const median = sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
  return { min: sorted[0]!, median, max: sorted[sorted.length - 1]! };
}

/**
 * Round-by-round ratios ours[r] / theirs[r] (both measured in round r of the same process, so a
 * slow moment of the machine hits both), for figures where higher is better; for latencies
 * (lower is better) pass `lowerIsBetter` and get theirs[r] / ours[r], the speed-up.
 */
export function roundRatios(ours: readonly number[], theirs: readonly number[], lowerIsBetter = false): number[] {
  if (ours.length !== theirs.length) throw new RangeError(`roundRatios expects as many rounds on both sides, got ${ours.length} and ${theirs.length}`);
  return ours.map((x, r) => (lowerIsBetter ? theirs[r]! / x : x / theirs[r]!));
}

/** "1,234" for large figures, "12.3" / "1.23" for small ones: three significant digits at least. */
export function formatValue(v: number): string {
  if (!Number.isFinite(v)) return "-";
  if (Math.abs(v) >= 1000) return Math.round(v).toLocaleString("en-US");
  if (Math.abs(v) >= 100) return v.toFixed(0);
  if (Math.abs(v) >= 10) return v.toFixed(1);
  return v.toFixed(2);
}

/** A summary as "median (min-max)". */
export function formatSummary(s: Summary, format: (v: number) => string = formatValue): string {
  return `${format(s.median)} (${format(s.min)}-${format(s.max)})`;
}

/** A ratio summary as "4.12x (3.80-4.40)". */
export const formatRatio = (s: Summary): string => formatSummary(s, (v) => `${v.toFixed(2)}`).replace(/^(\S+)/, "$1x");
