/** `npm run train -- [flags]`: see main.ts, and --help. */
import { runTraining } from "./main.js";
import { quietOnClosedStdout } from "./output.js";

quietOnClosedStdout();
process.exitCode = runTraining(process.argv.slice(2));
