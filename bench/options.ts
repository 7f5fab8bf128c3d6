/** `npm run bench` flags (pure, tested). */

export interface Options {
  /** A smoke run: few short rounds, one type-check row, nothing written to bench/README.md or results.json. */
  readonly quick: boolean;
  readonly rounds: number;
  /** Each sample is timed over at least this many milliseconds. */
  readonly minMs: number;
  /** Warm-up per timed item before the first round. */
  readonly warmMs: number;
  readonly typecheckRepetitions: number;
  readonly typecheckTimeoutMs: number;
  /** Type-check rows to run (all of them unless --quick). */
  readonly typecheckRows: "all" | "first";
  readonly write: boolean;
}

export const USAGE = `usage: npm run bench -- [--quick] [--rounds N] [--min-ms MS] [--typecheck-timeout S] [--no-typecheck]
  --quick              smoke run: 3 short rounds, the first type-check row only, writes nothing
  --rounds N           rounds of alternating implementations (default 9; env BENCH_ROUNDS)
  --min-ms MS          each sample timed over at least MS milliseconds (default 150; env BENCH_MIN_MS)
  --typecheck-timeout S  stop a type-check run after S seconds and report "timeout" (default 60)
  --no-typecheck       skip the type-check table`;

function positive(flag: string, text: string | undefined): number {
  const v = Number(text);
  if (text === undefined || !Number.isFinite(v) || v <= 0) throw new Error(`bench: ${flag} expects a positive number, got ${text ?? "nothing"}\n${USAGE}`);
  return v;
}

export function parseOptions(argv: readonly string[], env: Record<string, string | undefined> = {}): Options {
  const quick = argv.includes("--quick");
  let rounds = env.BENCH_ROUNDS ? positive("BENCH_ROUNDS", env.BENCH_ROUNDS) : quick ? 3 : 9;
  let minMs = env.BENCH_MIN_MS ? positive("BENCH_MIN_MS", env.BENCH_MIN_MS) : quick ? 30 : 150;
  let timeoutS = quick ? 30 : 60;
  let typecheck = true;
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i]!;
    if (flag === "--quick") continue;
    else if (flag === "--rounds") rounds = Math.round(positive(flag, argv[++i]));
    else if (flag === "--min-ms") minMs = positive(flag, argv[++i]);
    else if (flag === "--typecheck-timeout") timeoutS = positive(flag, argv[++i]);
    else if (flag === "--no-typecheck") typecheck = false;
    else throw new Error(`bench: unknown flag ${flag}\n${USAGE}`);
  }
  return {
    quick,
    rounds,
    minMs,
    warmMs: minMs,
    typecheckRepetitions: typecheck ? (quick ? 1 : 3) : 0,
    typecheckTimeoutMs: timeoutS * 1000,
    typecheckRows: quick ? "first" : "all",
    write: !quick,
  };
}
