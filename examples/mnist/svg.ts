/** SVG files of the MNIST job: the training curves, and a grid of misclassified digits. */

const esc = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;");

interface Series { readonly name: string; readonly values: readonly number[]; readonly color: string }

/**
 * About `count` round tick values (steps of 1, 2 or 5 times a power of ten) covering [lo, hi];
 * a single value gets a small range around it, kept within [floor, ceiling] (accuracy <= 100%).
 */
export function ticks(lo: number, hi: number, count = 5, floor = -Infinity, ceiling = Infinity): { values: number[]; decimals: number } {
  if (hi - lo < 1e-12 * Math.max(1, Math.abs(hi))) {
    const pad = Math.abs(hi) * 0.05 || 0.5;
    lo = Math.max(floor, lo - pad);
    hi = Math.min(ceiling, hi + pad);
  }
  const raw = (hi - lo) / count, power = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= raw)!;
  const first = Math.floor(lo / step + 1e-9), last = Math.ceil(hi / step - 1e-9);
  const values = Array.from({ length: last - first + 1 }, (_, i) => Number(((first + i) * step).toPrecision(12)));
  return { values, decimals: Math.max(0, -Math.floor(Math.log10(step) + 1e-9)) };
}

/** Whole epochs to label on the x axis: 1 and N, and round steps between, about 6 labels at most. */
export function epochTicks(epochs: number): number[] {
  const step = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000].find((s) => epochs / s <= 5) ?? Math.ceil(epochs / 5);
  const values = [1];
  for (let e = step; e < epochs; e += step) if (e > 1 && epochs - e >= step / 2) values.push(e);
  if (epochs > 1) values.push(epochs);
  return values;
}

/**
 * One chart: y ticks with labels and light grid lines, x ticks at whole epochs, a line per series
 * with a dot at every epoch (so that a single epoch shows as points, not an empty chart).
 */
function panel(x0: number, title: string, series: Series[], w: number, h: number, label: (v: number, decimals: number) => string, ceiling = Infinity, legendAtBottom = false): string {
  const all = series.flatMap((s) => s.values);
  const epochs = Math.max(...series.map((s) => s.values.length));
  const y = ticks(Math.min(...all), Math.max(...all), 5, 0, ceiling);
  const ymin = y.values[0]!, ymax = y.values[y.values.length - 1]!;
  const left = x0 + 62, right = x0 + w - 20, top = 36, bottom = h - 46;
  // One epoch sits in the middle; more spread from the left edge to the right edge.
  const px = (epoch: number) => (epochs <= 1 ? (left + right) / 2 : left + ((epoch - 1) / (epochs - 1)) * (right - left));
  const py = (v: number) => bottom - ((v - ymin) / (ymax - ymin)) * (bottom - top);
  const f = (n: number) => n.toFixed(1);
  const yAxis = y.values.map((v) =>
    `<line x1="${left}" y1="${f(py(v))}" x2="${right}" y2="${f(py(v))}" stroke="#e6e6e6"/>` +
    `<line x1="${left - 5}" y1="${f(py(v))}" x2="${left}" y2="${f(py(v))}" stroke="#888"/>` +
    `<text x="${left - 8}" y="${f(py(v) + 4)}" text-anchor="end" font-size="11">${esc(label(v, y.decimals))}</text>`).join("");
  const xAxis = epochTicks(epochs).map((e) =>
    `<line x1="${f(px(e))}" y1="${bottom}" x2="${f(px(e))}" y2="${bottom + 5}" stroke="#888"/>` +
    `<text x="${f(px(e))}" y="${bottom + 18}" text-anchor="middle" font-size="11">${e}</text>`).join("");
  const lines = series.map((s, k) => {
    const pts = s.values.map((v, i) => [px(i + 1), py(v)] as const);
    const line = pts.length > 1 ? `<polyline fill="none" stroke="${s.color}" stroke-width="2" points="${pts.map(([a, b]) => `${f(a)},${f(b)}`).join(" ")}"/>` : "";
    const dots = pts.map(([a, b]) => `<circle cx="${f(a)}" cy="${f(b)}" r="3" fill="${s.color}"/>`).join("");
    const ly = (legendAtBottom ? bottom - 12 - 16 * (series.length - 1) : top + 12) + 16 * k;
    return line + dots +
      `<circle cx="${right - 92}" cy="${ly - 4}" r="3" fill="${s.color}"/>` +
      `<text x="${right - 84}" y="${ly}" fill="${s.color}" font-size="12">${esc(s.name)}</text>`;
  }).join("");
  return `<g font-family="sans-serif">` +
    `<text x="${x0 + w / 2}" y="20" text-anchor="middle" font-size="14">${esc(title)}</text>` +
    yAxis + xAxis +
    `<line x1="${left}" y1="${bottom}" x2="${right}" y2="${bottom}" stroke="#888"/>` +
    `<line x1="${left}" y1="${top}" x2="${left}" y2="${bottom}" stroke="#888"/>` +
    `<text x="${(left + right) / 2}" y="${h - 10}" text-anchor="middle" font-size="12">epoch</text>` +
    lines + `</g>`;
}

/** Loss and accuracy per epoch, training and test, side by side. */
export function curvesSvg(h: { loss: number[]; accuracy: number[]; validationLoss: number[]; validationAccuracy: number[] }): string {
  const w = 420, height = 300;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${2 * w}" height="${height}" viewBox="0 0 ${2 * w} ${height}">` +
    `<rect width="100%" height="100%" fill="white"/>` +
    panel(0, "loss (mean cross-entropy)", [
      { name: "training", values: h.loss, color: "#1f77b4" },
      { name: "test", values: h.validationLoss, color: "#d62728" },
    ], w, height, (v, d) => v.toFixed(d)) +
    panel(w, "accuracy", [
      { name: "training", values: h.accuracy, color: "#1f77b4" },
      { name: "test", values: h.validationAccuracy, color: "#d62728" },
    ], w, height, (v, d) => `${(100 * v).toFixed(Math.max(0, d - 2))}%`, 1, true) + `</svg>\n`;
}

/** Up to `max` digits (784 gray levels in 0..1 each) in a grid, each labelled "pred P / true T". */
export function digitsSvg(digits: { pixels: ArrayLike<number>; predicted: number; truth: number }[], columns = 8): string {
  const cell = 84, scale = 2.5, rows = Math.ceil(digits.length / columns) || 1;
  const tiles = digits.map((d, n) => {
    const x = (n % columns) * cell, y = Math.floor(n / columns) * (cell + 14);
    let rects = "";
    for (let p = 0; p < 784; p++) {
      const v = d.pixels[p]!;
      if (v > 0.05) {
        const g = Math.round(255 * (1 - Math.min(1, v)));
        rects += `<rect x="${(x + 7 + (p % 28) * scale).toFixed(1)}" y="${(y + 4 + Math.floor(p / 28) * scale).toFixed(1)}" width="${scale}" height="${scale}" fill="rgb(${g},${g},${g})"/>`;
      }
    }
    return `<rect x="${x + 6}" y="${y + 3}" width="72" height="72" fill="none" stroke="#ccc"/>${rects}` +
      `<text x="${x + 42}" y="${y + 90}" text-anchor="middle" font-size="11" font-family="sans-serif">pred ${d.predicted} / true ${d.truth}</text>`;
  }).join("");
  // crispEdges: without it, anti-aliasing leaves a light seam between neighbouring pixels.
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${columns * cell}" height="${rows * (cell + 14)}" shape-rendering="crispEdges">` +
    `<rect width="100%" height="100%" fill="white"/>${tiles}</svg>\n`;
}
