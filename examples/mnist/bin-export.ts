/** `npm run export -- --model out/model.json --format onnx|tfjs|safetensors --out DIR`: see export.ts, and --help. */
import { runExport } from "./export.js";

process.exitCode = runExport(process.argv.slice(2));
