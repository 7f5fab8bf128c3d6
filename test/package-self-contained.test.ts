/**
 * `npm test` passes in a clone with nothing beside it: no file of the repository may point outside
 * it. Relative links in Markdown must reach a file of the repository, and no file may name the
 * folders that used to lie beside it (the reference vectors and the seed notes now live in
 * test/fixtures/oracle/ and docs/notes.md).
 */
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const tracked = spawnSync("git", ["ls-files", "-z", "--cached", "--others", "--exclude-standard"], { cwd: root, encoding: "utf8" })
  .stdout.split("\0").filter((f) => f && existsSync(join(root, f)));
const TEXT = /\.(md|ts|js|mjs|cjs|json|wat|sh|yml|yaml)$|^\.ci\/run$/;

describe("the repository refers to nothing outside itself", () => {
  it("git lists the files (this test needs a clone)", () => {
    expect(tracked.length).toBeGreaterThan(50);
  });

  it("every relative Markdown link reaches a file inside the repository", () => {
    const broken: string[] = [];
    for (const file of tracked.filter((f) => f.endsWith(".md"))) {
      const text = readFileSync(join(root, file), "utf8");
      for (const m of text.matchAll(/\]\(([^)\s#]+)(#[^)]*)?\)/g)) {
        const target = m[1]!;
        if (/^[a-z]+:/i.test(target)) continue; // http:, https:, mailto:
        const at = resolve(root, dirname(file), target);
        if (relative(root, at).startsWith("..") || !existsSync(at)) broken.push(`${file}: ${target}`);
      }
    }
    expect(broken).toEqual([]);
  });

  it("no file names the shared folders that used to lie beside the repository", () => {
    const found: string[] = [];
    for (const file of tracked.filter((f) => TEXT.test(f) && f !== "test/package-self-contained.test.ts")) {
      readFileSync(join(root, file), "utf8").split("\n").forEach((line, i) => {
        if (/\bshared\/(oracle|seed|design|hooks)\b/.test(line)) found.push(`${file}:${i + 1}: ${line.trim()}`);
      });
    }
    expect(found).toEqual([]);
  });
});
