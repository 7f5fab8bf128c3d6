/**
 * Generated model definitions for measuring the type checker's cost (bench/typecheck/run.ts):
 * long `sequential` lists, summaries of long networks, and a 20-layer CNN. Sizes come from a seeded
 * generator, so every run checks the same programs.
 */

/** Deterministic sizes 2..1000 (Park-Miller). */
export function sizes(count: number, seed = 1): number[] {
  let r = seed;
  return Array.from({ length: count }, () => {
    r = (r * 48271) % 2147483647;
    return 2 + (r % 999);
  });
}

/**
 * Where the programs import the library from: "./src/index.js" (its sources, checked with the
 * program) or "./dist/index.js" (the published declarations, as a user of the package compiles them;
 * run `npm run build` first). Set by `FROM=dist`.
 */
const from = process.env.FROM === "dist" ? "./dist/index.js" : "./src/index.js";
const header = (names: string[]) => `import { ${names.join(", ")} } from "${from}";\n`;

/** `sequential(dense, relu, dense, relu, ...)` with `args` arguments (the first a dense layer). */
export function sequentialProgram(args: number): string {
  const denseCount = Math.ceil(args / 2);
  const s = sizes(denseCount + 1);
  const list: string[] = [];
  for (let i = 0; i < args; i++) list.push(i % 2 === 0 ? `dense(${s[i / 2]}, ${s[i / 2 + 1]})` : "relu()");
  return `${header(["dense", "relu", "sequential"])}export const net = sequential(\n  ${list.join(",\n  ")},\n);\n`;
}

/** The same network and the parameter count of its summary (what `summary(net)` adds is the difference). */
export function summaryProgram(args: number): string {
  return sequentialProgram(args).replace("import { dense, relu, sequential }", "import { dense, relu, sequential, summary }") +
    "export const params = summary(net).params;\nexport const last = summary(net).layers;\n";
}

/**
 * A CNN of 20 layers (as the notes count them: every layer that is not an activation or input):
 * six blocks of two "same" 3x3 convolutions and a 2x2 pooling over a 3x128x128 image, then
 * flatten and a dense layer; ReLU after every convolution, softmax last.
 */
export function cnnProgram(): string {
  const list = ["input(3, 128, 128)"];
  for (let b = 0; b < 6; b++) list.push(`conv2d(${16 * (b + 1)}, 3, { padding: "same" })`, "relu()", `conv2d(${16 * (b + 1)}, 3, { padding: "same" })`, "relu()", "maxPool2d(2)");
  list.push("flatten()", "dense(10)", "softmax()");
  return `${header(["conv2d", "dense", "flatten", "input", "maxPool2d", "relu", "sequential", "softmax", "summary"])}` +
    `export const net = sequential(\n  ${list.join(",\n  ")},\n);\nexport const params = summary(net).params;\n`;
}

/** The smallest program using the same imports: the fixed cost every other figure includes. */
export function baselineProgram(): string {
  return `${header(["dense", "relu", "sequential"])}export const net = sequential(dense(4, 8), relu(), dense(8, 3));\n`;
}
