/** `npm run predict -- --model out/model.json --input FILE`: see predict.ts, and --help. */
import { runPredict } from "./predict.js";

process.exitCode = runPredict(process.argv.slice(2));
