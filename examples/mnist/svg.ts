/** SVG files of the MNIST job: the training curves, and a grid of misclassified digits. */

const esc = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;");

interface Series { readonly name: string; readonly values: readonly number[]; readonly color: string }

function panel(x0: number, title: string, series: Series[], w: number, h: number, legendAtBottom = false): string {
  const all = series.flatMap((s) => s.values);
  const epochs = Math.max(...series.map((s) => s.values.length));
  const min = Math.min(...all), max = Math.max(...all), span = max - min || 1;
  const px = (i: number) => x0 + 50 + (epochs <= 1 ? 0 : (i / (epochs - 1)) * (w - 70));
  const py = (v: number) => 30 + (1 - (v - min) / span) * (h - 70);
  const lines = series.map((s, k) => {
    const pts = s.values.map((v, i) => `${px(i).toFixed(1)},${py(v).toFixed(1)}`).join(" ");
    return `<polyline fill="none" stroke="${s.color}" stroke-width="2" points="${pts}"/>` +
      `<text x="${x0 + w - 110}" y="${(legendAtBottom ? h - 75 : 45) + 16 * k}" fill="${s.color}" font-size="12">${esc(s.name)}</text>`;
  }).join("");
  return `<g font-family="sans-serif">` +
    `<text x="${x0 + w / 2}" y="18" text-anchor="middle" font-size="14">${esc(title)}</text>` +
    `<line x1="${x0 + 50}" y1="${h - 40}" x2="${x0 + w - 20}" y2="${h - 40}" stroke="#888"/>` +
    `<line x1="${x0 + 50}" y1="30" x2="${x0 + 50}" y2="${h - 40}" stroke="#888"/>` +
    `<text x="${x0 + 45}" y="34" text-anchor="end" font-size="11">${max.toPrecision(3)}</text>` +
    `<text x="${x0 + 45}" y="${h - 40}" text-anchor="end" font-size="11">${min.toPrecision(3)}</text>` +
    `<text x="${x0 + w / 2}" y="${h - 12}" text-anchor="middle" font-size="11">epoch (1..${epochs})</text>` +
    lines + `</g>`;
}

/** Loss and accuracy per epoch, training and test, side by side. */
export function curvesSvg(h: { loss: number[]; accuracy: number[]; validationLoss: number[]; validationAccuracy: number[] }): string {
  const w = 420, height = 300;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${2 * w}" height="${height}" viewBox="0 0 ${2 * w} ${height}">` +
    `<rect width="100%" height="100%" fill="white"/>` +
    panel(0, "loss (cross-entropy)", [
      { name: "training", values: h.loss, color: "#1f77b4" },
      { name: "test", values: h.validationLoss, color: "#d62728" },
    ], w, height) +
    panel(w, "accuracy", [
      { name: "training", values: h.accuracy, color: "#1f77b4" },
      { name: "test", values: h.validationAccuracy, color: "#d62728" },
    ], w, height, true) + `</svg>\n`;
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
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${columns * cell}" height="${rows * (cell + 14)}">` +
    `<rect width="100%" height="100%" fill="white"/>${tiles}</svg>\n`;
}
