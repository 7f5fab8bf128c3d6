/**
 * `virtual:type-files`: the files the code box's TypeScript compiler reads from its in-memory file
 * system: shapegrad's declarations as `npm run build` emitted them (dist/**\/*.d.ts, so the box
 * always checks against the library's real types) and the standard library files that
 * `lib: ["es2022"]` pulls in. Imported only by the checker worker, so the page loads them only when
 * the box is opened.
 */
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, relative } from "node:path";
import type { Plugin } from "vite";

const ID = "virtual:type-files";

function declarations(folder: string, root: string, out: Record<string, string>): void {
  for (const entry of readdirSync(folder, { withFileTypes: true })) {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) declarations(path, root, out);
    else if (entry.name.endsWith(".d.ts")) out[`/node_modules/shapegrad/${relative(root, path).split("\\").join("/")}`] = readFileSync(path, "utf8");
  }
}

/** lib.es2022.d.ts and every lib file it references, transitively. */
function libraries(libFolder: string, out: Record<string, string>): void {
  const pending = ["es2022"];
  const seen = new Set<string>();
  while (pending.length) {
    const name = pending.pop()!;
    if (seen.has(name)) continue;
    seen.add(name);
    const text = readFileSync(join(libFolder, `lib.${name}.d.ts`), "utf8");
    out[`/lib/lib.${name}.d.ts`] = text;
    for (const m of text.matchAll(/<reference lib="([^"]+)"/g)) pending.push(m[1]!.toLowerCase());
  }
}

/** Path to text of every file the checker reads. */
export function collectTypeFiles(repo: string): Record<string, string> {
  const dist = join(repo, "dist");
  if (!existsSync(join(dist, "index.d.ts"))) throw new Error("the playground's code box needs shapegrad's declarations: run `npm run build` first (it writes dist/)");
  const files: Record<string, string> = {};
  declarations(dist, dist, files);
  const require = createRequire(join(repo, "package.json"));
  libraries(dirname(require.resolve("typescript/lib/lib.es2022.d.ts")), files);
  files["/node_modules/shapegrad/package.json"] = JSON.stringify({ name: "shapegrad", types: "./index.d.ts" });
  return files;
}

export function typeFiles(repo: string): Plugin {
  return {
    name: "shapegrad-type-files",
    resolveId: (id) => (id === ID ? `\0${ID}` : undefined),
    load: (id) => (id === `\0${ID}` ? `export default ${JSON.stringify(collectTypeFiles(repo))};` : undefined),
  };
}
