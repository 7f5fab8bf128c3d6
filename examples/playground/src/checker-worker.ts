/** The code box's compiler in a worker: loaded (with TypeScript and the type files) only when the box opens. */
import ts from "typescript";
import files from "virtual:type-files";
import { dispose } from "../../../src/index.js";
import { createChecker, type CheckResult } from "./checker.js";
import { buildNetwork, type LayerSpec } from "./network.js";

export type CheckerReply =
  | { readonly type: "ready"; readonly ms: number; readonly version: string }
  | ({ readonly type: "checked"; readonly id: number; readonly ms: number } & CheckResult);

/** A text that compiles is built once here, so that Apply is offered only for a network the page can train. */
function validate(layers: LayerSpec[]): string | undefined {
  try {
    dispose(buildNetwork(layers, 1));
    return undefined;
  } catch (e) {
    return (e as Error).message;
  }
}

const started = performance.now();
const check = createChecker(ts, files, validate);
check("export {};");
postMessage({ type: "ready", ms: performance.now() - started, version: ts.version } satisfies CheckerReply);

addEventListener("message", (event: MessageEvent<{ id: number; code: string }>) => {
  const t0 = performance.now();
  const result = check(event.data.code);
  postMessage({ type: "checked", id: event.data.id, ms: performance.now() - t0, ...result } satisfies CheckerReply);
});
