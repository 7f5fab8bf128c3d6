/** True when the module at `url` is the script node was started with (`npx tsx examples/01-matrices.ts`). */
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";

export function isMain(url: string): boolean {
  return process.argv[1] !== undefined && pathToFileURL(resolve(process.argv[1])).href === url;
}
