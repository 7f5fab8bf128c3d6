/**
 * The products of the networks, as gemm arguments: 784-128-10 at batch 64 and
 * 784-1024-1024-10 at batches 64 and 256 (forward W a, backward W^T delta except the input
 * layer's, which training never computes, and delta a^T), plus the batch-1 (matrix-vector) forms.
 */
export interface Shape {
  readonly name: string;
  readonly transA: boolean;
  readonly transB: boolean;
  readonly m: number;
  readonly n: number;
  readonly k: number;
}

const forward = (out: number, inp: number, batch: number): Shape =>
  ({ name: `W a ${out}x${inp} . ${inp}x${batch}`, transA: false, transB: false, m: out, n: batch, k: inp });
const back = (out: number, inp: number, batch: number): Shape =>
  ({ name: `W^T delta ${out}x${inp}^T . ${out}x${batch}`, transA: true, transB: false, m: inp, n: batch, k: out });
const grad = (out: number, inp: number, batch: number): Shape =>
  ({ name: `delta a^T ${out}x${batch} . ${inp}x${batch}^T`, transA: false, transB: true, m: out, n: inp, k: batch });

/** The large products of training (the "MLP shapes"). */
export const mlpShapes: Shape[] = [
  forward(128, 784, 64), grad(128, 784, 64),
  forward(1024, 784, 64), forward(1024, 1024, 64), back(1024, 1024, 64), grad(1024, 784, 64), grad(1024, 1024, 64),
  forward(1024, 784, 256), forward(1024, 1024, 256), back(1024, 1024, 256), grad(1024, 784, 256), grad(1024, 1024, 256),
];

/** Batch 1: matrix-vector products and the rank-1 update. */
export const batch1Shapes: Shape[] = [
  forward(128, 784, 1), back(128, 784, 1), grad(128, 784, 1),
  forward(1024, 1024, 1), back(1024, 1024, 1), grad(1024, 1024, 1),
  forward(10, 128, 1), forward(10, 1024, 1),
];

/** Every product (of both networks) of one forward and backward pass, in order. */
export function passShapes(sizes: readonly number[], batch: number): Shape[] {
  const shapes: Shape[] = [];
  for (let l = 1; l < sizes.length; l++) shapes.push(forward(sizes[l]!, sizes[l - 1]!, batch));
  for (let l = sizes.length - 1; l >= 1; l--) {
    if (l > 1) shapes.push(back(sizes[l]!, sizes[l - 1]!, batch));
    shapes.push(grad(sizes[l]!, sizes[l - 1]!, batch));
  }
  return shapes;
}

export const flops = (s: Shape): number => 2 * s.m * s.n * s.k;
export const sizeA = (s: Shape): number => s.m * s.k;
export const sizeB = (s: Shape): number => s.k * s.n;

/**
 * Seconds per call, timed over at least `ms` milliseconds. By default on this process's CPU time
 * (process.cpuUsage, user + system): on a machine shared with other jobs, wall time also counts
 * the time slices given to them, which moved results by 2-3x from run to run here; CPU time does
 * not (cache and memory-bandwidth contention still show). CLOCK=wall times by the wall clock.
 */
export function secondsPerCall(run: () => void, ms = 150): number {
  const wall = process.env.CLOCK === "wall";
  const now = () => {
    if (wall) return performance.now();
    const u = process.cpuUsage();
    return (u.user + u.system) / 1000;
  };
  let calls = 0;
  const t0 = now();
  let t = t0;
  while (t - t0 < ms) {
    run();
    calls++;
    t = now();
  }
  return (t - t0) / 1000 / calls;
}

export const median = (xs: readonly number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
export const range = (xs: readonly number[]): string =>
  `${Math.min(...xs).toFixed(1)}/${median(xs).toFixed(1)}/${Math.max(...xs).toFixed(1)}`;
