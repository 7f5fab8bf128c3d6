/** Text output of the MNIST job: numbers, the progress bar, the confusion matrix, a terminal chart. */

/** A loss with enough digits that a small value is not shown as 0.00: 4 significant digits. */
export function formatLoss(x: number): string {
  return x === 0 ? "0" : Math.abs(x) >= 1e-3 ? x.toPrecision(4) : x.toExponential(3);
}

export function percent(x: number): string {
  return `${(100 * x).toFixed(2)}%`;
}

export function seconds(s: number): string {
  if (s < 59.95) return `${s.toFixed(1)}s`;
  const whole = Math.round(s); // rounded first, so 119.6 s is 2m00s, not 1m60s
  return `${Math.floor(whole / 60)}m${(whole % 60).toString().padStart(2, "0")}s`;
}

/** "1 epoch", "15 epochs", "10,000 digits". */
export function plural(n: number, word: string): string {
  return `${n.toLocaleString("en-US")} ${word}${n === 1 ? "" : "s"}`;
}

/**
 * One line of the progress bar: `epoch 3/15 [=====>    ] 62/125 loss 0.2345 6,100 samples/s ETA 1.2s`;
 * without the rate and ETA while too little time has passed to measure them.
 */
export function progressLine(epoch: number, epochs: number, batch: number, batches: number, loss: number, samplesPerSecond?: number, etaSeconds?: number): string {
  const width = 24, done = Math.round((batch / batches) * width);
  const bar = "=".repeat(Math.max(0, done - 1)) + (done > 0 ? (batch === batches ? "=" : ">") : "") + " ".repeat(width - done);
  const speed = samplesPerSecond === undefined || etaSeconds === undefined ? "" : ` ${Math.round(samplesPerSecond).toLocaleString("en-US")} samples/s ETA ${seconds(etaSeconds)}`;
  return `epoch ${epoch}/${epochs} [${bar}] ${batch}/${batches} loss ${formatLoss(loss)}${speed}`;
}

/** A 10x10 confusion matrix: rows are true classes, columns predictions. */
export function confusionTable(matrix: number[][]): string {
  const w = Math.max(4, ...matrix.flat().map((v) => String(v).length + 1));
  const head = "true\\pred".padEnd(10) + matrix.map((_, j) => String(j).padStart(w)).join("");
  const rows = matrix.map((row, i) => String(i).padEnd(10) + row.map((v) => String(v).padStart(w)).join(""));
  return [head, ...rows].join("\n");
}

/** A small line chart for the terminal, one column per epoch (values scaled to `height` rows). */
export function terminalChart(title: string, values: number[], height = 6): string {
  if (values.length === 0) return "";
  if (values.length === 1) return `${title}: ${formatLoss(values[0]!)} (1 epoch, no chart)`;
  const min = Math.min(...values), max = Math.max(...values), span = max - min || 1;
  const rows: string[] = [];
  for (let r = height - 1; r >= 0; r--) {
    const level = min + (span * r) / height; // the bottom row marks every epoch
    const label = r === height - 1 ? formatLoss(max) : r === 0 ? formatLoss(min) : "";
    rows.push(label.padStart(10) + " |" + values.map((v) => (v >= level ? "#" : " ")).join("  "));
  }
  rows.push(" ".repeat(10) + " +" + "-".repeat(values.length * 3));
  rows.push(" ".repeat(12) + values.map((_, i) => String(i + 1).padEnd(3)).join(""));
  return `${title}\n${rows.join("\n")}`;
}
