/**
 * Where the commands write: results on stdout, errors on stderr, and a progress line redrawn in
 * place on a terminal. A closed stdout (`npm run predict ... | head -2`) ends the process quietly.
 */

export interface Output {
  readonly isTTY: boolean;
  /** A line of results (stdout). */
  line(text: string): void;
  /** Redraws the progress line (terminals only). */
  status(text: string): void;
  /** A line of error (stderr). */
  error(text: string): void;
}

/**
 * The reader of a pipe went away (EPIPE): exit at once with status 0, as if it had read
 * everything; there is nobody left to tell. Node marks the stream `errored` during the failing
 * write, before its 'error' event, which would come only after a long synchronous run (training).
 */
function exitIfStdoutClosed(): void {
  if ((process.stdout.errored as NodeJS.ErrnoException | null)?.code === "EPIPE") process.exit(0);
}

/** For the command-line entry points: the EPIPE that surfaces as an event (a later write, at exit). */
export function quietOnClosedStdout(): void {
  process.stdout.on("error", (e: NodeJS.ErrnoException) => {
    if (e.code === "EPIPE") process.exit(0);
    throw e;
  });
}

/** stdout and stderr: a redrawn progress line on a terminal; plain lines only when piped (CI, files). */
export function consoleOutput(): Output {
  const tty = process.stdout.isTTY === true;
  let drawn = false; // a progress line is on screen and must be cleared first
  const clear = () => (drawn ? "\r\x1b[2K" : "");
  return {
    isTTY: tty,
    line: (text) => {
      process.stdout.write(`${clear()}${text}\n`);
      drawn = false;
      exitIfStdoutClosed();
    },
    status: (text) => {
      if (!tty) return;
      process.stdout.write(`\r\x1b[2K${text}`);
      drawn = true;
      exitIfStdoutClosed();
    },
    error: (text) => {
      if (drawn) process.stdout.write("\n");
      drawn = false;
      process.stderr.write(`${text}\n`);
    },
  };
}

/** Collects what a command writes (tests). */
export function capturedOutput(isTTY = false): Output & { lines: string[]; statuses: string[]; errors: string[] } {
  const lines: string[] = [], statuses: string[] = [], errors: string[] = [];
  return { isTTY, lines, statuses, errors, line: (t) => void lines.push(t), status: (t) => void statuses.push(t), error: (t) => void errors.push(t) };
}
