/** `npm run train -- [flags]`: see main.ts, and --help. */
import { runTraining } from "./main.js";

process.exitCode = runTraining(process.argv.slice(2));
