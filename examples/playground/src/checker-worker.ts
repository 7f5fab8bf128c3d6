/** The code box's compiler in a worker: loaded (with TypeScript and the type files) only when the box opens. */
import ts from "typescript";
import files from "virtual:type-files";
import { createChecker, type CheckResult } from "./checker.js";
import { applyError } from "./network.js";

export type CheckerReply =
  | { readonly type: "ready"; readonly ms: number; readonly version: string }
  | ({ readonly type: "checked"; readonly id: number; readonly ms: number } & CheckResult);

const started = performance.now();
// A text that compiles is built once, so that Apply is offered only for a network the page can train.
const check = createChecker(ts, files, applyError);
check("export {};");
postMessage({ type: "ready", ms: performance.now() - started, version: ts.version } satisfies CheckerReply);

addEventListener("message", (event: MessageEvent<{ id: number; code: string }>) => {
  const t0 = performance.now();
  const result = check(event.data.code);
  postMessage({ type: "checked", id: event.data.id, ms: performance.now() - t0, ...result } satisfies CheckerReply);
});
