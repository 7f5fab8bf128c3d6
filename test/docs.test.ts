/**
 * Keeps docs/derivation.md and docs/type-level.md true: every code excerpt headed by a file name
 * (```ts src/...) must appear, line for line, in that file.
 */
import { readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const excerpts = ["docs/derivation.md", "docs/type-level.md"].flatMap((doc) =>
  [...readFileSync(join(root, doc), "utf8").matchAll(/```ts (src\/\S+)\n([\s\S]*?)```/g)].map((m, i) => ({ doc, file: m[1]!, code: m[2]!, name: `${doc} excerpt ${i + 1} from ${m[1]}` })),
);

describe("documentation excerpts match the source", () => {
  it("there are excerpts to check", () => {
    expect(excerpts.length).toBeGreaterThan(15);
  });
  it.each(excerpts.map((e) => [e.name, e] as const))("%s", (_name, e) => {
    const source = readFileSync(join(root, e.file), "utf8");
    expect(source).toContain(e.code);
  });
});
