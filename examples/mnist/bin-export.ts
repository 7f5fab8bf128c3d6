/** `npm run export -- --model out/model.safetensors --format onnx|tfjs|safetensors --out DIR`: see export.ts, and --help. */
import { runExport } from "./export.js";
import { quietOnClosedStdout } from "./output.js";

quietOnClosedStdout();
process.exitCode = runExport(process.argv.slice(2));
