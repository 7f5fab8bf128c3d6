/**
 * A drawing to the network's input, the way MNIST digits were made: crop the ink, scale it
 * (keeping its proportions) into a 20 x 20 box by averaging the pixels each target pixel covers,
 * and place it in a 28 x 28 field so that its centre of mass falls on pixel (14, 14).
 */
export const SIDE = 28;
const BOX = 20;

/** `ink` is width x height values in 0..1 (row by row); returns 784 values in 0..1, or null when there is no ink. */
export function toMnist(ink: ArrayLike<number>, width: number, height: number): Float64Array | null {
  let left = width, right = -1, top = height, bottom = -1;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      if (ink[y * width + x]! > 0.05) {
        if (x < left) left = x;
        if (x > right) right = x;
        if (y < top) top = y;
        if (y > bottom) bottom = y;
      }
    }
  }
  if (right < 0) return null;
  const w = right - left + 1, h = bottom - top + 1;
  const scale = BOX / Math.max(w, h);
  const bw = Math.max(1, Math.round(w * scale)), bh = Math.max(1, Math.round(h * scale));
  // Area average: target pixel (i, j) of the box is the mean of the source pixels it covers.
  const box = new Float64Array(bw * bh);
  for (let j = 0; j < bh; j++) {
    const y0 = top + Math.floor((j * h) / bh), y1 = Math.max(y0 + 1, top + Math.floor(((j + 1) * h) / bh));
    for (let i = 0; i < bw; i++) {
      const x0 = left + Math.floor((i * w) / bw), x1 = Math.max(x0 + 1, left + Math.floor(((i + 1) * w) / bw));
      let sum = 0;
      for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) sum += ink[y * width + x]!;
      box[j * bw + i] = sum / ((y1 - y0) * (x1 - x0));
    }
  }
  let mass = 0, cx = 0, cy = 0;
  for (let j = 0; j < bh; j++) {
    for (let i = 0; i < bw; i++) {
      const m = box[j * bw + i]!;
      mass += m;
      cx += i * m;
      cy += j * m;
    }
  }
  // MNIST's centre of mass sits on pixel (14, 14), counting pixels from 0 (measured: 14.00, 14.00 on average).
  const dx = Math.round(SIDE / 2 - cx / mass), dy = Math.round(SIDE / 2 - cy / mass);
  const out = new Float64Array(SIDE * SIDE);
  for (let j = 0; j < bh; j++) {
    for (let i = 0; i < bw; i++) {
      const x = i + dx, y = j + dy;
      if (x >= 0 && x < SIDE && y >= 0 && y < SIDE) out[y * SIDE + x] = Math.min(1, box[j * bw + i]!);
    }
  }
  return out;
}
