/** `npm run predict -- --model out/model.json --input FILE`: see predict.ts, and --help. */
import { quietOnClosedStdout } from "./output.js";
import { runPredict } from "./predict.js";

quietOnClosedStdout();
process.exitCode = runPredict(process.argv.slice(2));
