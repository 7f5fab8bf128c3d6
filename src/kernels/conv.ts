/**
 * Convolution kernels on the column-per-example layout: an example of shape [C, H, W] is one
 * column of C*H*W values (row-major), a batch of B examples a (C*H*W) x B matrix, so value
 * (c, h, w) of example b sits at ((c*H + h)*W + w)*B + b. A convolution is im2col plus one matrix
 * product (see README.md); col2im is the adjoint of im2col, for the backward pass.
 *
 * Each kernel comes twice, for Float64Array (`...F64`) and Float32Array (`...F32`), with the same
 * body: one function called with both element types ran up to 1.8x slower on Float32Array
 * (V8's element accesses turn polymorphic). test/kernels-conv.test.ts checks that the F32 text
 * is the F64 text with the type names swapped, so the two cannot drift apart.
 *
 * Sizes are checked once per call (a wrong buffer length is a RangeError naming the kernel, never
 * a silent out-of-bounds read); nothing is allocated, except im2colRows' views of an input buffer
 * the first time it sees that buffer (runViewsF64).
 */
import type { ConvGeometry } from "./conv-geometry.js";

/** Throws unless `array` has exactly `want` entries. */
export function expectLength(op: string, name: string, array: { readonly length: number }, want: number): void {
  if (array.length !== want) throw new RangeError(`${op}: ${name} must have ${want} entries, has ${array.length}`);
}

/** Throws unless channels and batch are positive integers. */
export function expectCounts(op: string, channels: number, batch: number): void {
  if (!Number.isSafeInteger(channels) || channels < 1) throw new RangeError(`${op}: channels must be a positive integer, got ${String(channels)}`);
  if (!Number.isSafeInteger(batch) || batch < 1) throw new RangeError(`${op}: batch must be a positive integer, got ${String(batch)}`);
}

/** Runs shorter than this many values are copied by a loop: a copyWithin call costs about as much as copying a few dozen values. */
const MIN_RUN = 16;

/** First output column ow whose input column ow*SW - pad + k is >= 0. */
const firstInside = (pad: number, k: number, stride: number): number => Math.max(0, Math.ceil((pad - k) / stride));
/** One past the last output column whose input column is < size. */
const endInside = (pad: number, k: number, stride: number, size: number, out: number): number =>
  Math.min(out, Math.floor((size - 1 + pad - k) / stride) + 1);

/** Checks the sizes shared by im2col and col2im, for output rows ohStart .. ohEnd - 1. */
function checkColumns(op: string, image: { readonly length: number }, cols: { readonly length: number }, channels: number, batch: number, g: ConvGeometry, ohStart: number, ohEnd: number): void {
  expectCounts(op, channels, batch);
  if (!Number.isSafeInteger(ohStart) || !Number.isSafeInteger(ohEnd) || ohStart < 0 || ohEnd > g.outH || ohStart >= ohEnd) {
    throw new RangeError(`${op}: output rows ${ohStart} .. ${ohEnd - 1} are not a range within 0 .. ${g.outH - 1}`);
  }
  expectLength(op, "the image matrix (C*H*W x B)", image, channels * g.height * g.width * batch);
  const want = channels * g.kernelH * g.kernelW * (ohEnd - ohStart) * g.outW * batch;
  if (cols.length === want) return; // (the message is built only when needed: building it is an allocation)
  const rows = ohEnd - ohStart === g.outH ? "OH" : `${ohEnd - ohStart} of OH`;
  expectLength(op, `the column matrix (C*KH*KW x ${rows}*OW*B)`, cols, want);
}

// ---- float64 ----

/** The views of x that im2colF64 copies, per x and the geometry, channels and batch it was last used with. */
const runViewCacheF64 = new WeakMap<Float64Array, { g: ConvGeometry; channels: number; batch: number; views: Float64Array[] }>();

/**
 * For stride 1: the run of x that im2col copies for each (c, kh, kw, oh), as a view (subarray) of
 * x, at index ((c*KH + kh)*KW + kw)*OH + oh (an empty view where the row is outside the image).
 * Made once per input buffer: a network's layer reads the same buffer at every step, so copying
 * the runs with set() (a memcpy, 3-4x faster than an element loop) allocates nothing after the
 * first step. The cache holds x weakly.
 */
function runViewsF64(x: Float64Array, channels: number, batch: number, g: ConvGeometry): Float64Array[] {
  const cached = runViewCacheF64.get(x);
  if (cached !== undefined && cached.g === g && cached.channels === channels && cached.batch === batch) return cached.views;
  const { height: H, width: W, kernelH: KH, kernelW: KW, strideH: SH, padTop: PT, padLeft: PL, outH: OH, outW: OW } = g;
  const views: Float64Array[] = [];
  for (let c = 0; c < channels; c++) {
    for (let kh = 0; kh < KH; kh++) {
      for (let kw = 0; kw < KW; kw++) {
        const lo = firstInside(PL, kw, 1), hi = endInside(PL, kw, 1, W, OW);
        for (let oh = 0; oh < OH; oh++) {
          const h = oh * SH - PT + kh, row = (c * H + h) * W - PL + kw;
          views.push(h < 0 || h >= H || lo >= hi ? x.subarray(0, 0) : x.subarray((row + lo) * batch, (row + hi) * batch));
        }
      }
    }
  }
  runViewCacheF64.set(x, { g, channels, batch, views });
  return views;
}

/**
 * im2colF64 for stride 1 (the same out), its runs copied with set() from the views of
 * runViewsF64: a memcpy per run, 3-4x faster than an element loop, allocating nothing once the
 * input buffer has been seen. The padding is written with fill().
 */
export function im2colRowsF64(x: Float64Array, channels: number, batch: number, g: ConvGeometry, out: Float64Array, ohStart = 0, ohEnd = g.outH): void {
  checkColumns("im2colRows", x, out, channels, batch, g, ohStart, ohEnd);
  if (g.strideW !== 1) throw new RangeError(`im2colRows: takes stride 1 across, got ${g.strideW}`);
  const { height: H, width: W, kernelH: KH, kernelW: KW, strideH: SH, padTop: PT, padLeft: PL, outH: OH, outW: OW } = g;
  const B = batch, run = OW * B, views = runViewsF64(x, channels, batch, g);
  let d = 0; // start of the current (row, oh) run of OW*B values in out
  for (let c = 0; c < channels; c++) {
    for (let kh = 0; kh < KH; kh++) {
      for (let kw = 0; kw < KW; kw++) {
        const lo = firstInside(PL, kw, 1), hi = endInside(PL, kw, 1, W, OW), first = ((c * KH + kh) * KW + kw) * OH;
        for (let oh = ohStart; oh < ohEnd; oh++, d += run) {
          const h = oh * SH - PT + kh;
          if (h < 0 || h >= H || lo >= hi) {
            out.fill(0, d, d + run);
            continue;
          }
          if (lo > 0) out.fill(0, d, d + lo * B);
          if (hi < OW) out.fill(0, d + hi * B, d + run);
          out.set(views[first + oh]!, d + lo * B);
        }
      }
    }
  }
}

/**
 * out (C*KH*KW x OH*OW*B) = im2col(x): row (c*KH + kh)*KW + kw, column (oh*OW + ow)*B + b holds x
 * at (c, oh*SH - padTop + kh, ow*SW - padLeft + kw) of example b, 0 outside the image. Each row
 * is built from runs of B contiguous values (one run of whole image rows when the stride is 1);
 * the padding is written with fill().
 *
 * The runs are copied with copyWithin (a memmove, 2-4x faster than an element loop), which copies
 * only within one array: so x is first copied to the tail of out, which the runs reach last. Runs
 * that end inside that tail (the last xLength/outLength of the work, about 5% for the issue's
 * layers), and runs too short for a call to pay (a batch of 1 with a stride > 1), use the loop.
 *
 * With ohStart and ohEnd, only output rows ohStart .. ohEnd - 1: out is then the C*KH*KW x
 * (ohEnd - ohStart)*OW*B block of those columns (a part that fits in the processor's cache).
 */
export function im2colF64(x: Float64Array, channels: number, batch: number, g: ConvGeometry, out: Float64Array, ohStart = 0, ohEnd = g.outH): void {
  checkColumns("im2col", x, out, channels, batch, g, ohStart, ohEnd);
  const { height: H, width: W, kernelH: KH, kernelW: KW, strideH: SH, strideW: SW, padTop: PT, padLeft: PL, outW: OW } = g;
  const B = batch, run = OW * B;
  // x's copy in out[tail ..]; runs ending at or before `tail` may read it (-1: no copy, loops only;
  // always so for a part of the rows, where the copy would cost as much as the part)
  const whole = ohStart === 0 && ohEnd === g.outH;
  const tail = whole && out.length >= 2 * x.length && (SW === 1 ? B * Math.min(W, OW) : B) >= MIN_RUN ? out.length - x.length : -1;
  if (tail >= 0) out.set(x, tail);
  let d = 0; // start of the current (row, oh) run of OW*B values in out
  for (let c = 0; c < channels; c++) {
    for (let kh = 0; kh < KH; kh++) {
      for (let kw = 0; kw < KW; kw++) {
        const lo = firstInside(PL, kw, SW), hi = endInside(PL, kw, SW, W, OW);
        for (let oh = ohStart; oh < ohEnd; oh++, d += run) {
          const h = oh * SH - PT + kh;
          if (h < 0 || h >= H || lo >= hi) {
            out.fill(0, d, d + run);
            continue;
          }
          if (lo > 0) out.fill(0, d, d + lo * B);
          if (hi < OW) out.fill(0, d + hi * B, d + run);
          const row = (c * H + h) * W - PL + kw; // x's column index of ow = 0, in units of B
          const copy = d + run <= tail; // this run's source in the tail is still intact
          if (SW === 1) {
            const shift = row * B; // out[i] = x[i + shift - d]: one contiguous run
            if (copy) out.copyWithin(d + lo * B, tail + shift + lo * B, tail + shift + hi * B);
            else for (let i = d + lo * B, end = d + hi * B, s = shift - d; i < end; i++) out[i] = x[i + s]!;
          } else {
            for (let ow = lo; ow < hi; ow++) {
              const t = d + ow * B, s = (row + ow * SW) * B - t;
              if (copy) out.copyWithin(t, tail + t + s, tail + t + s + B);
              else for (let i = t, end = t + B; i < end; i++) out[i] = x[i + s]!;
            }
          }
        }
      }
    }
  }
}

/**
 * out (C*H*W x B) = col2im(cols), the adjoint of im2col: every entry of cols is added to the
 * image entry im2col copied it from (entries from the padding are dropped). Overwrites out, or
 * adds to it when `accumulate`. With ohStart and ohEnd, cols holds only those output rows (as
 * im2col writes them).
 */
export function col2imF64(cols: Float64Array, channels: number, batch: number, g: ConvGeometry, out: Float64Array, accumulate = false, ohStart = 0, ohEnd = g.outH): void {
  checkColumns("col2im", out, cols, channels, batch, g, ohStart, ohEnd);
  if (!accumulate) out.fill(0);
  const { height: H, width: W, kernelH: KH, kernelW: KW, strideH: SH, strideW: SW, padTop: PT, padLeft: PL, outW: OW } = g;
  const B = batch, run = OW * B;
  let d = 0;
  for (let c = 0; c < channels; c++) {
    for (let kh = 0; kh < KH; kh++) {
      for (let kw = 0; kw < KW; kw++) {
        const lo = firstInside(PL, kw, SW), hi = endInside(PL, kw, SW, W, OW);
        for (let oh = ohStart; oh < ohEnd; oh++, d += run) {
          const h = oh * SH - PT + kh;
          if (h < 0 || h >= H || lo >= hi) continue;
          const row = (c * H + h) * W - PL + kw;
          if (SW === 1) {
            // four at a time: fewer loop tests and bounds checks per add (1.4x measured)
            const end = d + hi * B, s = row * B - d;
            let i = d + lo * B;
            for (; i + 3 < end; i += 4) {
              const j = i + s;
              out[j] += cols[i]!;
              out[j + 1] += cols[i + 1]!;
              out[j + 2] += cols[i + 2]!;
              out[j + 3] += cols[i + 3]!;
            }
            for (; i < end; i++) out[i + s] += cols[i]!;
          } else {
            for (let ow = lo; ow < hi; ow++) {
              const t = d + ow * B, s = (row + ow * SW) * B - t;
              for (let i = t, end = t + B; i < end; i++) out[i + s] += cols[i]!;
            }
          }
        }
      }
    }
  }
}

/** out[i][j] = z[i][j] + bias[i] for an rows x cols matrix (a convolution: rows = F, cols = OH*OW*B). out may be z. */
export function addBiasRowsF64(z: Float64Array, rows: number, cols: number, bias: Float64Array, out: Float64Array): void {
  expectLength("addBiasRows", "bias", bias, rows);
  expectLength("addBiasRows", "z", z, rows * cols);
  expectLength("addBiasRows", "out", out, rows * cols);
  for (let i = 0; i < rows; i++) {
    const bi = bias[i]!;
    for (let j = i * cols, end = j + cols; j < end; j++) out[j] = z[j]! + bi;
  }
}

/** z[i][j] += bias[i], then a[i][j] = max(z[i][j], 0): bias and ReLU in one pass (z keeps the pre-activation for f'). */
export function addBiasReluRowsF64(z: Float64Array, rows: number, cols: number, bias: Float64Array, a: Float64Array): void {
  expectLength("addBiasReluRows", "bias", bias, rows);
  expectLength("addBiasReluRows", "z", z, rows * cols);
  expectLength("addBiasReluRows", "a", a, rows * cols);
  for (let i = 0; i < rows; i++) {
    const bi = bias[i]!;
    for (let j = i * cols, end = j + cols; j < end; j++) {
      const v = z[j]! + bi;
      z[j] = v;
      a[j] = v > 0 ? v : 0;
    }
  }
}

/**
 * out[i] = alpha * (sum over j of m[i][j]) for an rows x cols matrix: dE/db of a convolution
 * (rows = F, cols = OH*OW*B; alpha = 1/B for the batch mean). Four partial sums per row, so the
 * additions do not wait on each other.
 */
export function sumRowsF64(m: Float64Array, rows: number, cols: number, out: Float64Array, alpha = 1): void {
  expectLength("sumRows", "m", m, rows * cols);
  expectLength("sumRows", "out", out, rows);
  for (let i = 0; i < rows; i++) {
    const end = (i + 1) * cols;
    let s0 = 0, s1 = 0, s2 = 0, s3 = 0, j = i * cols;
    for (; j + 3 < end; j += 4) {
      s0 += m[j]!; s1 += m[j + 1]!; s2 += m[j + 2]!; s3 += m[j + 3]!;
    }
    for (; j < end; j++) s0 += m[j]!;
    out[i] = alpha * (s0 + s1 + (s2 + s3));
  }
}


// ---- float32: the same text with Float32Array (checked by the test) ----

/** The views of x that im2colF32 copies, per x and the geometry, channels and batch it was last used with. */
const runViewCacheF32 = new WeakMap<Float32Array, { g: ConvGeometry; channels: number; batch: number; views: Float32Array[] }>();

/**
 * For stride 1: the run of x that im2col copies for each (c, kh, kw, oh), as a view (subarray) of
 * x, at index ((c*KH + kh)*KW + kw)*OH + oh (an empty view where the row is outside the image).
 * Made once per input buffer: a network's layer reads the same buffer at every step, so copying
 * the runs with set() (a memcpy, 3-4x faster than an element loop) allocates nothing after the
 * first step. The cache holds x weakly.
 */
function runViewsF32(x: Float32Array, channels: number, batch: number, g: ConvGeometry): Float32Array[] {
  const cached = runViewCacheF32.get(x);
  if (cached !== undefined && cached.g === g && cached.channels === channels && cached.batch === batch) return cached.views;
  const { height: H, width: W, kernelH: KH, kernelW: KW, strideH: SH, padTop: PT, padLeft: PL, outH: OH, outW: OW } = g;
  const views: Float32Array[] = [];
  for (let c = 0; c < channels; c++) {
    for (let kh = 0; kh < KH; kh++) {
      for (let kw = 0; kw < KW; kw++) {
        const lo = firstInside(PL, kw, 1), hi = endInside(PL, kw, 1, W, OW);
        for (let oh = 0; oh < OH; oh++) {
          const h = oh * SH - PT + kh, row = (c * H + h) * W - PL + kw;
          views.push(h < 0 || h >= H || lo >= hi ? x.subarray(0, 0) : x.subarray((row + lo) * batch, (row + hi) * batch));
        }
      }
    }
  }
  runViewCacheF32.set(x, { g, channels, batch, views });
  return views;
}

/**
 * im2colF32 for stride 1 (the same out), its runs copied with set() from the views of
 * runViewsF32: a memcpy per run, 3-4x faster than an element loop, allocating nothing once the
 * input buffer has been seen. The padding is written with fill().
 */
export function im2colRowsF32(x: Float32Array, channels: number, batch: number, g: ConvGeometry, out: Float32Array, ohStart = 0, ohEnd = g.outH): void {
  checkColumns("im2colRows", x, out, channels, batch, g, ohStart, ohEnd);
  if (g.strideW !== 1) throw new RangeError(`im2colRows: takes stride 1 across, got ${g.strideW}`);
  const { height: H, width: W, kernelH: KH, kernelW: KW, strideH: SH, padTop: PT, padLeft: PL, outH: OH, outW: OW } = g;
  const B = batch, run = OW * B, views = runViewsF32(x, channels, batch, g);
  let d = 0; // start of the current (row, oh) run of OW*B values in out
  for (let c = 0; c < channels; c++) {
    for (let kh = 0; kh < KH; kh++) {
      for (let kw = 0; kw < KW; kw++) {
        const lo = firstInside(PL, kw, 1), hi = endInside(PL, kw, 1, W, OW), first = ((c * KH + kh) * KW + kw) * OH;
        for (let oh = ohStart; oh < ohEnd; oh++, d += run) {
          const h = oh * SH - PT + kh;
          if (h < 0 || h >= H || lo >= hi) {
            out.fill(0, d, d + run);
            continue;
          }
          if (lo > 0) out.fill(0, d, d + lo * B);
          if (hi < OW) out.fill(0, d + hi * B, d + run);
          out.set(views[first + oh]!, d + lo * B);
        }
      }
    }
  }
}

/** im2colF64 for Float32Array. */
export function im2colF32(x: Float32Array, channels: number, batch: number, g: ConvGeometry, out: Float32Array, ohStart = 0, ohEnd = g.outH): void {
  checkColumns("im2col", x, out, channels, batch, g, ohStart, ohEnd);
  const { height: H, width: W, kernelH: KH, kernelW: KW, strideH: SH, strideW: SW, padTop: PT, padLeft: PL, outW: OW } = g;
  const B = batch, run = OW * B;
  // x's copy in out[tail ..]; runs ending at or before `tail` may read it (-1: no copy, loops only;
  // always so for a part of the rows, where the copy would cost as much as the part)
  const whole = ohStart === 0 && ohEnd === g.outH;
  const tail = whole && out.length >= 2 * x.length && (SW === 1 ? B * Math.min(W, OW) : B) >= MIN_RUN ? out.length - x.length : -1;
  if (tail >= 0) out.set(x, tail);
  let d = 0; // start of the current (row, oh) run of OW*B values in out
  for (let c = 0; c < channels; c++) {
    for (let kh = 0; kh < KH; kh++) {
      for (let kw = 0; kw < KW; kw++) {
        const lo = firstInside(PL, kw, SW), hi = endInside(PL, kw, SW, W, OW);
        for (let oh = ohStart; oh < ohEnd; oh++, d += run) {
          const h = oh * SH - PT + kh;
          if (h < 0 || h >= H || lo >= hi) {
            out.fill(0, d, d + run);
            continue;
          }
          if (lo > 0) out.fill(0, d, d + lo * B);
          if (hi < OW) out.fill(0, d + hi * B, d + run);
          const row = (c * H + h) * W - PL + kw; // x's column index of ow = 0, in units of B
          const copy = d + run <= tail; // this run's source in the tail is still intact
          if (SW === 1) {
            const shift = row * B; // out[i] = x[i + shift - d]: one contiguous run
            if (copy) out.copyWithin(d + lo * B, tail + shift + lo * B, tail + shift + hi * B);
            else for (let i = d + lo * B, end = d + hi * B, s = shift - d; i < end; i++) out[i] = x[i + s]!;
          } else {
            for (let ow = lo; ow < hi; ow++) {
              const t = d + ow * B, s = (row + ow * SW) * B - t;
              if (copy) out.copyWithin(t, tail + t + s, tail + t + s + B);
              else for (let i = t, end = t + B; i < end; i++) out[i] = x[i + s]!;
            }
          }
        }
      }
    }
  }
}

/** col2imF64 for Float32Array. */
export function col2imF32(cols: Float32Array, channels: number, batch: number, g: ConvGeometry, out: Float32Array, accumulate = false, ohStart = 0, ohEnd = g.outH): void {
  checkColumns("col2im", out, cols, channels, batch, g, ohStart, ohEnd);
  if (!accumulate) out.fill(0);
  const { height: H, width: W, kernelH: KH, kernelW: KW, strideH: SH, strideW: SW, padTop: PT, padLeft: PL, outW: OW } = g;
  const B = batch, run = OW * B;
  let d = 0;
  for (let c = 0; c < channels; c++) {
    for (let kh = 0; kh < KH; kh++) {
      for (let kw = 0; kw < KW; kw++) {
        const lo = firstInside(PL, kw, SW), hi = endInside(PL, kw, SW, W, OW);
        for (let oh = ohStart; oh < ohEnd; oh++, d += run) {
          const h = oh * SH - PT + kh;
          if (h < 0 || h >= H || lo >= hi) continue;
          const row = (c * H + h) * W - PL + kw;
          if (SW === 1) {
            // four at a time: fewer loop tests and bounds checks per add (1.4x measured)
            const end = d + hi * B, s = row * B - d;
            let i = d + lo * B;
            for (; i + 3 < end; i += 4) {
              const j = i + s;
              out[j] += cols[i]!;
              out[j + 1] += cols[i + 1]!;
              out[j + 2] += cols[i + 2]!;
              out[j + 3] += cols[i + 3]!;
            }
            for (; i < end; i++) out[i + s] += cols[i]!;
          } else {
            for (let ow = lo; ow < hi; ow++) {
              const t = d + ow * B, s = (row + ow * SW) * B - t;
              for (let i = t, end = t + B; i < end; i++) out[i + s] += cols[i]!;
            }
          }
        }
      }
    }
  }
}

/** addBiasRowsF64 for Float32Array. */
export function addBiasRowsF32(z: Float32Array, rows: number, cols: number, bias: Float32Array, out: Float32Array): void {
  expectLength("addBiasRows", "bias", bias, rows);
  expectLength("addBiasRows", "z", z, rows * cols);
  expectLength("addBiasRows", "out", out, rows * cols);
  for (let i = 0; i < rows; i++) {
    const bi = bias[i]!;
    for (let j = i * cols, end = j + cols; j < end; j++) out[j] = z[j]! + bi;
  }
}

/** addBiasReluRowsF64 for Float32Array. */
export function addBiasReluRowsF32(z: Float32Array, rows: number, cols: number, bias: Float32Array, a: Float32Array): void {
  expectLength("addBiasReluRows", "bias", bias, rows);
  expectLength("addBiasReluRows", "z", z, rows * cols);
  expectLength("addBiasReluRows", "a", a, rows * cols);
  for (let i = 0; i < rows; i++) {
    const bi = bias[i]!;
    for (let j = i * cols, end = j + cols; j < end; j++) {
      const v = z[j]! + bi;
      z[j] = v;
      a[j] = v > 0 ? v : 0;
    }
  }
}

/** sumRowsF64 for Float32Array (the sums are kept in float64). */
export function sumRowsF32(m: Float32Array, rows: number, cols: number, out: Float32Array, alpha = 1): void {
  expectLength("sumRows", "m", m, rows * cols);
  expectLength("sumRows", "out", out, rows);
  for (let i = 0; i < rows; i++) {
    const end = (i + 1) * cols;
    let s0 = 0, s1 = 0, s2 = 0, s3 = 0, j = i * cols;
    for (; j + 3 < end; j += 4) {
      s0 += m[j]!; s1 += m[j + 1]!; s2 += m[j + 2]!; s3 += m[j + 3]!;
    }
    for (; j < end; j++) s0 += m[j]!;
    out[i] = alpha * (s0 + s1 + (s2 + s3));
  }
}

