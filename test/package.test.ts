/**
 * The package as a user gets it. A copy of the repository as a fresh clone would have it (the files
 * git tracks, plus new ones not ignored: no dist/, no generated WebAssembly) is packed with
 * `npm pack`, whose `prepare` script must build everything the import needs; the tarball is
 * installed offline into a new project in the temporary folder, with no dependency of ours beside
 * it, and used from there: plain ESM JavaScript trains XOR, a CommonJS require gets Node's error,
 * and TypeScript files are checked against the installed declarations with the minimum TypeScript
 * version we state (package.json peerDependencies), the current one and tsgo.
 */
import { spawnSync, type SpawnSyncReturns } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as { peerDependencies: Record<string, string>; devDependencies: Record<string, string> };
const MIN_TYPESCRIPT = "5.4"; // the published types use NoInfer (TypeScript 5.4)
const compilers = {
  [`typescript ${MIN_TYPESCRIPT} (minimum)`]: [join(root, "node_modules/typescript-5.4/bin/tsc")],
  "typescript (current)": [join(root, "node_modules/typescript/bin/tsc")],
  "tsgo (TypeScript 7 native preview)": [join(root, "node_modules/@typescript/native-preview/bin/tsgo")],
};

let work = "", consumer = "", packedFiles: string[] = [];

/** Runs a command; throws with its output when it fails (unless `allowFailure`). */
function run(cmd: string, args: string[], cwd: string, allowFailure = false): SpawnSyncReturns<string> {
  // npm passes its own settings to scripts as npm_config_* variables; the inner npm must not
  // inherit them (a prefix or a cache of the outer run would change what it does).
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^npm_/i.test(k) && k !== "INIT_CWD"));
  const r = spawnSync(cmd, args, { cwd, env: { ...env, npm_config_update_notifier: "false", npm_config_fund: "false", npm_config_audit: "false" }, encoding: "utf8", maxBuffer: 64 << 20 });
  if (r.error) throw r.error;
  if (r.status !== 0 && !allowFailure) throw new Error(`${cmd} ${args.join(" ")} (in ${cwd}) exited ${r.status}:\n${r.stdout}\n${r.stderr}`);
  return r;
}

/** The files a fresh clone has: git's tracked files and new files that .gitignore does not exclude. */
function cloneLikeCopy(to: string): void {
  const list = run("git", ["ls-files", "-z", "--cached", "--others", "--exclude-standard"], root).stdout.split("\0").filter(Boolean);
  for (const file of list) {
    try {
      cpSync(join(root, file), join(to, file));
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "ENOENT") throw e; // deleted in the work tree, not yet committed
    }
  }
  symlinkSync(join(root, "node_modules"), join(to, "node_modules"), "dir"); // the build's devDependencies
}

/** The tarball's file list from `npm pack --json` (whose stdout also carries the build's output). */
function packedList(stdout: string): string[] {
  const json = stdout.slice(stdout.search(/^\[$/m));
  return (JSON.parse(json) as { files: { path: string }[] }[])[0]!.files.map((f) => f.path);
}

/**
 * The consumer's package.json (depending on the tarball) and a lockfile, written as npm would
 * resolve it: the tarball, then our runtime dependencies and theirs (onnx-proto, protobufjs, ...)
 * with the versions, addresses and checksums of our own package-lock.json.
 */
function writeConsumer(dir: string, spec: string): void {
  type Entry = { dependencies?: Record<string, string>; dev?: boolean; devOptional?: boolean; peer?: boolean };
  const ours = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as Record<string, unknown> & { dependencies: Record<string, string> };
  const lock = (JSON.parse(readFileSync(join(root, "package-lock.json"), "utf8")) as { packages: Record<string, Entry> }).packages;
  const wanted = new Map<string, Entry>();
  /** Node's lookup: a dependency of the package at `from` is in its node_modules, or its parents'. */
  const locate = (from: string, name: string): string => {
    for (let at = from; ; at = at.includes("/node_modules/") ? at.slice(0, at.lastIndexOf("/node_modules/")) : "") {
      const key = `${at ? `${at}/` : ""}node_modules/${name}`;
      if (lock[key]) return key;
      if (!at) throw new Error(`package-lock.json has no ${name} for ${from}`);
    }
  };
  const visit = (key: string): void => {
    if (wanted.has(key)) return;
    wanted.set(key, lock[key]!);
    for (const name of Object.keys(lock[key]!.dependencies ?? {})) visit(locate(key, name));
  };
  for (const name of Object.keys(ours.dependencies)) visit(`node_modules/${name}`);
  const packages: Record<string, unknown> = {
    "": { name: "consumer", dependencies: { shapegrad: spec } },
    "node_modules/shapegrad": {
      version: ours.version, resolved: spec, license: ours.license,
      dependencies: ours.dependencies, peerDependencies: ours.peerDependencies, peerDependenciesMeta: ours.peerDependenciesMeta,
    },
  };
  for (const [key, { dev: _d, devOptional: _o, peer: _p, ...entry }] of wanted) packages[key] = entry;
  writeFileSync(join(dir, "package.json"), JSON.stringify({ name: "consumer", private: true, type: "module", dependencies: { shapegrad: spec } }));
  writeFileSync(join(dir, "package-lock.json"), JSON.stringify({ name: "consumer", lockfileVersion: 3, requires: true, packages }));
}

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), "shapegrad-package-"));
  const clone = join(work, "clone"), packed = join(work, "packed");
  consumer = join(work, "consumer");
  for (const d of [clone, packed, consumer]) mkdirSync(d);
  cloneLikeCopy(clone);
  packedFiles = packedList(run("npm", ["pack", "--json", "--pack-destination", packed], clone).stdout);
  const tarball = readdirSync(packed).find((f) => f.endsWith(".tgz"));
  if (!tarball) throw new Error(`npm pack wrote no tarball into ${packed}`);
  writeConsumer(consumer, `file:../packed/${tarball}`);
  // --offline: the tarball and its runtime dependencies' tarballs (in npm's cache since `npm ci`)
  // are all the install may use; the lockfile spares npm the registry's metadata.
  run("npm", ["ci", "--offline", "--no-audit", "--no-fund"], consumer);
}, 240_000);

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

describe("npm pack from a fresh clone", () => {
  it("ships the built code, its declarations and the WebAssembly, and no tests", () => {
    for (const f of ["package.json", "README.md", "dist/index.js", "dist/index.d.ts", "dist/node.js", "dist/node.d.ts", "dist/kernels/wasm/gemm-wasm.generated.js"]) {
      expect(packedFiles).toContain(f);
    }
    expect(packedFiles.filter((f) => /^(test|test-d|examples|bench|docs|\.ci)\//.test(f) || /\.test(-d)?\.[jt]s$/.test(f))).toEqual([]);
    expect(packedFiles.filter((f) => f.startsWith("node_modules/"))).toEqual([]);
  });

  it("states the minimum TypeScript version as an optional peer dependency, and tests with it", () => {
    expect(pkg.peerDependencies.typescript).toBe(`>=${MIN_TYPESCRIPT}`);
    expect(pkg.devDependencies["typescript-5.4"]).toBe("npm:typescript@5.4.5");
    expect(JSON.parse(readFileSync(join(root, "node_modules/typescript-5.4/package.json"), "utf8")).version).toBe("5.4.5");
  });
});

describe("the installed package, used from a new project", () => {
  it("plain ESM JavaScript imports shapegrad and shapegrad/node, trains XOR, saves, loads and predicts", () => {
    writeFileSync(join(consumer, "xor.js"), XOR_JS);
    const r = run(process.execPath, ["xor.js"], consumer);
    const result = JSON.parse(r.stdout) as { labels: number[]; reloaded: number[]; accuracy: number; backend: string; shapeError: string };
    expect(result.labels).toEqual([0, 1, 1, 0]);
    expect(result.reloaded).toEqual([0, 1, 1, 0]);
    expect(result.accuracy).toBe(1);
    expect(result.backend).toBe("wasm"); // the WebAssembly kernels came along in dist/
    expect(result.shapeError).toBe("ShapeError: matmul expects b.rows = a.cols = 4, got 3x4 times 5x5");
  });

  it("CommonJS require() gets Node's own error: the package is ESM-only", () => {
    writeFileSync(join(consumer, "require.cjs"), `require("shapegrad");\n`);
    const r = run(process.execPath, ["require.cjs"], consumer, true);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain("ERR_PACKAGE_PATH_NOT_EXPORTED");
    expect(r.stderr).toContain(`No "exports" main defined in ${join(consumer, "node_modules", "shapegrad", "package.json")}`);
  });

  it.each(Object.entries(compilers))("TypeScript against the installed types (%s): typed code compiles, the shape error fails with its text", (_name, compiler) => {
    writeFileSync(join(consumer, "typed.ts"), TYPED_TS);
    writeFileSync(join(consumer, "tsconfig.json"), JSON.stringify({
      // No @types/node and no DOM: the declarations must stand alone. skipLibCheck off, so the
      // declaration files themselves are checked by this compiler version too.
      compilerOptions: { strict: true, target: "ES2022", lib: ["ES2022"], module: "NodeNext", moduleResolution: "NodeNext", types: [], skipLibCheck: false, noEmit: true },
      files: ["typed.ts"],
    }));
    const r = run(process.execPath, [...compiler, "-p", "tsconfig.json", "--pretty", "false"], consumer, true);
    const errors = r.stdout.split("\n").filter((l) => /error TS\d+/.test(l));
    const badLine = TYPED_TS.split("\n").findIndex((l) => l.includes("DELIBERATE SHAPE ERROR")) + 1;
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(new RegExp(`^typed\\.ts\\(${badLine},\\d+\\): error TS\\d+: `));
    expect(r.stdout).toContain(`'ShapeError<"matmul expects b.rows = a.cols = 4, got 3x4 times 5x5">'`);
    expect(r.status).not.toBe(0);
  });

  it(`the numbered examples compile with TypeScript ${MIN_TYPESCRIPT} against the installed types`, () => {
    // Copied with their imports of ../src/ pointed at the package, as a user would write them.
    const examples = join(consumer, "examples");
    const sources = readdirSync(join(root, "examples")).filter((f) => /^\d\d-.*\.ts$/.test(f));
    expect(sources.length).toBeGreaterThanOrEqual(6);
    for (const f of [...sources, "is-main.ts", "mnist/load.ts"]) {
      const text = readFileSync(join(root, "examples", f), "utf8")
        .replace(/(["'])(?:\.\.\/)+src\/index\.js\1/g, '"shapegrad"').replace(/(["'])(?:\.\.\/)+src\/node\.js\1/g, '"shapegrad/node"');
      expect(text).not.toMatch(/["'](\.\.\/)+src\//);
      mkdirSync(dirname(join(examples, f)), { recursive: true });
      writeFileSync(join(examples, f), text);
    }
    writeFileSync(join(examples, "tsconfig.json"), JSON.stringify({
      compilerOptions: {
        strict: true, exactOptionalPropertyTypes: true, target: "ES2022", lib: ["ES2022"], module: "NodeNext", moduleResolution: "NodeNext",
        types: ["node"], typeRoots: [join(root, "node_modules/@types")], skipLibCheck: true, noEmit: true, // declarations: checked above
      },
      files: sources,
    }));
    const r = run(process.execPath, [compilers[`typescript ${MIN_TYPESCRIPT} (minimum)`]![0]!, "-p", "tsconfig.json", "--pretty", "false"], examples, true);
    expect(r.stdout + r.stderr).toBe("");
    expect(r.status).toBe(0);
  });
});

/** Trains XOR from the installed package (plain JavaScript: sizes are checked at run time). */
const XOR_JS = `import { adam, argmax, dataset, evaluate, fit, fromRows, getBackend, matmul, mlp, predict, transpose, zeros } from "shapegrad";
import { loadModel, saveModel } from "shapegrad/node";

const xor = dataset([[0, 0], [0, 1], [1, 0], [1, 1]], [0, 1, 1, 0], { features: 2, classes: 2 });
const net = mlp([2, 8, 2], { seed: 1 });
fit(net, xor, { epochs: 300, batchSize: 4, optimizer: adam({ learningRate: 0.02 }) });
const x = transpose(fromRows([[0, 0], [0, 1], [1, 0], [1, 1]])); // one example per column
saveModel(net, "xor-model.json");
const back = loadModel("xor-model.json", [2, 8, 2]);
let shapeError = "no error";
try { matmul(zeros(3, 4), zeros(5, 5)); } catch (e) { shapeError = String(e); }
console.log(JSON.stringify({
  labels: Array.from(argmax(predict(net, x))),
  reloaded: Array.from(argmax(predict(back, x))),
  accuracy: evaluate(net, xor).accuracy,
  backend: getBackend(),
  shapeError,
}));
`;

/** Typed use of the installed declarations, with exactly one line that must not compile. */
const TYPED_TS = `import { adam, conv2d, dataset, fit, fromRows, matmul, maxPool2d, mlp, predict, transpose, zeros, type Matrix, type Padding } from "shapegrad";
import { loadModel, saveModel } from "shapegrad/node";

const net = mlp([2, 8, 2], { seed: 1 });
const xor = dataset([[0, 0], [0, 1], [1, 0], [1, 1]], [0, 1, 1, 0], { features: 2, classes: 2 });
fit(net, xor, { epochs: 10, batchSize: 4, optimizer: adam({ learningRate: 0.02 }) });
const w1: Matrix<8, 2> = net.weights[0];
const x = transpose(fromRows([[0, 0], [0, 1], [1, 0], [1, 1]]));
const p: Matrix<2, 4> = predict(net, x);
saveModel(net, "model.json");
const back = loadModel("model.json", [2, 8, 2]);
const q: Matrix<2, 3> = predict(back, zeros(2, 3));
const ok: Matrix<3, 5> = matmul(zeros(3, 4), zeros(4, 5));
const bad = matmul(zeros(3, 4), zeros(5, 5)); // DELIBERATE SHAPE ERROR
declare const padding: Padding, stride: number; // known at run time (without exactOptionalPropertyTypes, as here)
const layers = [conv2d(8, 3, { stride, padding }), maxPool2d(2, stride), maxPool2d(stride)];
export { w1, p, q, ok, bad, layers };
`;
