/**
 * Exact arithmetic on literal dimension types, digit by digit on their decimal strings (as a child
 * computes on paper), so it stays exact and cheap: `Mul<60000, 784>` is `47040000`.
 * ts-toolbelt's number arithmetic stops at +-100 (then silently widens to `number`) and tuple
 * lengths stop near 1,000 (TS2589 past a few thousand), so neither is used.
 *
 * Operands are whole numbers 0 .. 2^53. Any other operand (`Dyn`, a type parameter, a fraction), or
 * a result past 2^53 = 9007199254740992 (beyond which a JavaScript number skips integers), gives
 * `number` (`Dyn`): never a wrong literal.
 *
 * Digits are processed least significant first for + - x (`Reverse<"784">` is `"487"`) and most
 * significant first for comparison and division. Each digit step is one lookup in a small table
 * (`AddDigits["0"]["7"]["8"]` is `["5", "1"]`), a property access, where building tuples of the
 * digits' lengths cost dozens of instantiations (a 500-layer network's parameter count went from
 * about 1.25 million instantiations to the figure in bench/typecheck/README.md).
 */
import type { Dyn } from "./dims.js";

type Digit = "0" | "1" | "2" | "3" | "4" | "5" | "6" | "7" | "8" | "9";

/** `Reverse<"784">` is `"487"`. */
type Reverse<S extends string, Acc extends string = ""> = S extends `${infer H}${infer T}` ? Reverse<T, `${H}${Acc}`> : Acc;

/*
 * The digit tables: each entry is [digit, carry] (or [digit, borrow]). Written out rather than
 * computed so that a digit step is one property access; test-d/arithmetic.test-d.ts checks sums,
 * differences, products and comparisons across every digit.
 */
/** `AddDigits["0"]["7"]["8"]` is `["5", "1"]`: 7 + 8 + 0; `AddDigits["1"]` adds a carry of 1. */
type AddDigits = {
  readonly "0": {
    "0": [["0", "0"], ["1", "0"], ["2", "0"], ["3", "0"], ["4", "0"], ["5", "0"], ["6", "0"], ["7", "0"], ["8", "0"], ["9", "0"]];
    "1": [["1", "0"], ["2", "0"], ["3", "0"], ["4", "0"], ["5", "0"], ["6", "0"], ["7", "0"], ["8", "0"], ["9", "0"], ["0", "1"]];
    "2": [["2", "0"], ["3", "0"], ["4", "0"], ["5", "0"], ["6", "0"], ["7", "0"], ["8", "0"], ["9", "0"], ["0", "1"], ["1", "1"]];
    "3": [["3", "0"], ["4", "0"], ["5", "0"], ["6", "0"], ["7", "0"], ["8", "0"], ["9", "0"], ["0", "1"], ["1", "1"], ["2", "1"]];
    "4": [["4", "0"], ["5", "0"], ["6", "0"], ["7", "0"], ["8", "0"], ["9", "0"], ["0", "1"], ["1", "1"], ["2", "1"], ["3", "1"]];
    "5": [["5", "0"], ["6", "0"], ["7", "0"], ["8", "0"], ["9", "0"], ["0", "1"], ["1", "1"], ["2", "1"], ["3", "1"], ["4", "1"]];
    "6": [["6", "0"], ["7", "0"], ["8", "0"], ["9", "0"], ["0", "1"], ["1", "1"], ["2", "1"], ["3", "1"], ["4", "1"], ["5", "1"]];
    "7": [["7", "0"], ["8", "0"], ["9", "0"], ["0", "1"], ["1", "1"], ["2", "1"], ["3", "1"], ["4", "1"], ["5", "1"], ["6", "1"]];
    "8": [["8", "0"], ["9", "0"], ["0", "1"], ["1", "1"], ["2", "1"], ["3", "1"], ["4", "1"], ["5", "1"], ["6", "1"], ["7", "1"]];
    "9": [["9", "0"], ["0", "1"], ["1", "1"], ["2", "1"], ["3", "1"], ["4", "1"], ["5", "1"], ["6", "1"], ["7", "1"], ["8", "1"]];
  };
  readonly "1": {
    "0": [["1", "0"], ["2", "0"], ["3", "0"], ["4", "0"], ["5", "0"], ["6", "0"], ["7", "0"], ["8", "0"], ["9", "0"], ["0", "1"]];
    "1": [["2", "0"], ["3", "0"], ["4", "0"], ["5", "0"], ["6", "0"], ["7", "0"], ["8", "0"], ["9", "0"], ["0", "1"], ["1", "1"]];
    "2": [["3", "0"], ["4", "0"], ["5", "0"], ["6", "0"], ["7", "0"], ["8", "0"], ["9", "0"], ["0", "1"], ["1", "1"], ["2", "1"]];
    "3": [["4", "0"], ["5", "0"], ["6", "0"], ["7", "0"], ["8", "0"], ["9", "0"], ["0", "1"], ["1", "1"], ["2", "1"], ["3", "1"]];
    "4": [["5", "0"], ["6", "0"], ["7", "0"], ["8", "0"], ["9", "0"], ["0", "1"], ["1", "1"], ["2", "1"], ["3", "1"], ["4", "1"]];
    "5": [["6", "0"], ["7", "0"], ["8", "0"], ["9", "0"], ["0", "1"], ["1", "1"], ["2", "1"], ["3", "1"], ["4", "1"], ["5", "1"]];
    "6": [["7", "0"], ["8", "0"], ["9", "0"], ["0", "1"], ["1", "1"], ["2", "1"], ["3", "1"], ["4", "1"], ["5", "1"], ["6", "1"]];
    "7": [["8", "0"], ["9", "0"], ["0", "1"], ["1", "1"], ["2", "1"], ["3", "1"], ["4", "1"], ["5", "1"], ["6", "1"], ["7", "1"]];
    "8": [["9", "0"], ["0", "1"], ["1", "1"], ["2", "1"], ["3", "1"], ["4", "1"], ["5", "1"], ["6", "1"], ["7", "1"], ["8", "1"]];
    "9": [["0", "1"], ["1", "1"], ["2", "1"], ["3", "1"], ["4", "1"], ["5", "1"], ["6", "1"], ["7", "1"], ["8", "1"], ["9", "1"]];
  };
};
/** `SubDigits["0"]["3"]["5"]` is `["8", "1"]`: 3 - 5 - 0 is 8 with a borrow of 1 from the next column. */
type SubDigits = {
  readonly "0": {
    "0": [["0", "0"], ["9", "1"], ["8", "1"], ["7", "1"], ["6", "1"], ["5", "1"], ["4", "1"], ["3", "1"], ["2", "1"], ["1", "1"]];
    "1": [["1", "0"], ["0", "0"], ["9", "1"], ["8", "1"], ["7", "1"], ["6", "1"], ["5", "1"], ["4", "1"], ["3", "1"], ["2", "1"]];
    "2": [["2", "0"], ["1", "0"], ["0", "0"], ["9", "1"], ["8", "1"], ["7", "1"], ["6", "1"], ["5", "1"], ["4", "1"], ["3", "1"]];
    "3": [["3", "0"], ["2", "0"], ["1", "0"], ["0", "0"], ["9", "1"], ["8", "1"], ["7", "1"], ["6", "1"], ["5", "1"], ["4", "1"]];
    "4": [["4", "0"], ["3", "0"], ["2", "0"], ["1", "0"], ["0", "0"], ["9", "1"], ["8", "1"], ["7", "1"], ["6", "1"], ["5", "1"]];
    "5": [["5", "0"], ["4", "0"], ["3", "0"], ["2", "0"], ["1", "0"], ["0", "0"], ["9", "1"], ["8", "1"], ["7", "1"], ["6", "1"]];
    "6": [["6", "0"], ["5", "0"], ["4", "0"], ["3", "0"], ["2", "0"], ["1", "0"], ["0", "0"], ["9", "1"], ["8", "1"], ["7", "1"]];
    "7": [["7", "0"], ["6", "0"], ["5", "0"], ["4", "0"], ["3", "0"], ["2", "0"], ["1", "0"], ["0", "0"], ["9", "1"], ["8", "1"]];
    "8": [["8", "0"], ["7", "0"], ["6", "0"], ["5", "0"], ["4", "0"], ["3", "0"], ["2", "0"], ["1", "0"], ["0", "0"], ["9", "1"]];
    "9": [["9", "0"], ["8", "0"], ["7", "0"], ["6", "0"], ["5", "0"], ["4", "0"], ["3", "0"], ["2", "0"], ["1", "0"], ["0", "0"]];
  };
  readonly "1": {
    "0": [["9", "1"], ["8", "1"], ["7", "1"], ["6", "1"], ["5", "1"], ["4", "1"], ["3", "1"], ["2", "1"], ["1", "1"], ["0", "1"]];
    "1": [["0", "0"], ["9", "1"], ["8", "1"], ["7", "1"], ["6", "1"], ["5", "1"], ["4", "1"], ["3", "1"], ["2", "1"], ["1", "1"]];
    "2": [["1", "0"], ["0", "0"], ["9", "1"], ["8", "1"], ["7", "1"], ["6", "1"], ["5", "1"], ["4", "1"], ["3", "1"], ["2", "1"]];
    "3": [["2", "0"], ["1", "0"], ["0", "0"], ["9", "1"], ["8", "1"], ["7", "1"], ["6", "1"], ["5", "1"], ["4", "1"], ["3", "1"]];
    "4": [["3", "0"], ["2", "0"], ["1", "0"], ["0", "0"], ["9", "1"], ["8", "1"], ["7", "1"], ["6", "1"], ["5", "1"], ["4", "1"]];
    "5": [["4", "0"], ["3", "0"], ["2", "0"], ["1", "0"], ["0", "0"], ["9", "1"], ["8", "1"], ["7", "1"], ["6", "1"], ["5", "1"]];
    "6": [["5", "0"], ["4", "0"], ["3", "0"], ["2", "0"], ["1", "0"], ["0", "0"], ["9", "1"], ["8", "1"], ["7", "1"], ["6", "1"]];
    "7": [["6", "0"], ["5", "0"], ["4", "0"], ["3", "0"], ["2", "0"], ["1", "0"], ["0", "0"], ["9", "1"], ["8", "1"], ["7", "1"]];
    "8": [["7", "0"], ["6", "0"], ["5", "0"], ["4", "0"], ["3", "0"], ["2", "0"], ["1", "0"], ["0", "0"], ["9", "1"], ["8", "1"]];
    "9": [["8", "0"], ["7", "0"], ["6", "0"], ["5", "0"], ["4", "0"], ["3", "0"], ["2", "0"], ["1", "0"], ["0", "0"], ["9", "1"]];
  };
};
/** `MulDigits["7"]["8"]` is `["6", "5"]`: 7 x 8 = 56. */
type MulDigits = {
  "0": [["0", "0"], ["0", "0"], ["0", "0"], ["0", "0"], ["0", "0"], ["0", "0"], ["0", "0"], ["0", "0"], ["0", "0"], ["0", "0"]];
  "1": [["0", "0"], ["1", "0"], ["2", "0"], ["3", "0"], ["4", "0"], ["5", "0"], ["6", "0"], ["7", "0"], ["8", "0"], ["9", "0"]];
  "2": [["0", "0"], ["2", "0"], ["4", "0"], ["6", "0"], ["8", "0"], ["0", "1"], ["2", "1"], ["4", "1"], ["6", "1"], ["8", "1"]];
  "3": [["0", "0"], ["3", "0"], ["6", "0"], ["9", "0"], ["2", "1"], ["5", "1"], ["8", "1"], ["1", "2"], ["4", "2"], ["7", "2"]];
  "4": [["0", "0"], ["4", "0"], ["8", "0"], ["2", "1"], ["6", "1"], ["0", "2"], ["4", "2"], ["8", "2"], ["2", "3"], ["6", "3"]];
  "5": [["0", "0"], ["5", "0"], ["0", "1"], ["5", "1"], ["0", "2"], ["5", "2"], ["0", "3"], ["5", "3"], ["0", "4"], ["5", "4"]];
  "6": [["0", "0"], ["6", "0"], ["2", "1"], ["8", "1"], ["4", "2"], ["0", "3"], ["6", "3"], ["2", "4"], ["8", "4"], ["4", "5"]];
  "7": [["0", "0"], ["7", "0"], ["4", "1"], ["1", "2"], ["8", "2"], ["5", "3"], ["2", "4"], ["9", "4"], ["6", "5"], ["3", "6"]];
  "8": [["0", "0"], ["8", "0"], ["6", "1"], ["4", "2"], ["2", "3"], ["0", "4"], ["8", "4"], ["6", "5"], ["4", "6"], ["2", "7"]];
  "9": [["0", "0"], ["9", "0"], ["8", "1"], ["7", "2"], ["6", "3"], ["5", "4"], ["4", "5"], ["3", "6"], ["2", "7"], ["1", "8"]];
};
/** `CompareDigit["3"]["5"]` is `"lt"`. */
type CompareDigit = {
  "0": ["eq", "lt", "lt", "lt", "lt", "lt", "lt", "lt", "lt", "lt"];
  "1": ["gt", "eq", "lt", "lt", "lt", "lt", "lt", "lt", "lt", "lt"];
  "2": ["gt", "gt", "eq", "lt", "lt", "lt", "lt", "lt", "lt", "lt"];
  "3": ["gt", "gt", "gt", "eq", "lt", "lt", "lt", "lt", "lt", "lt"];
  "4": ["gt", "gt", "gt", "gt", "eq", "lt", "lt", "lt", "lt", "lt"];
  "5": ["gt", "gt", "gt", "gt", "gt", "eq", "lt", "lt", "lt", "lt"];
  "6": ["gt", "gt", "gt", "gt", "gt", "gt", "eq", "lt", "lt", "lt"];
  "7": ["gt", "gt", "gt", "gt", "gt", "gt", "gt", "eq", "lt", "lt"];
  "8": ["gt", "gt", "gt", "gt", "gt", "gt", "gt", "gt", "eq", "lt"];
  "9": ["gt", "gt", "gt", "gt", "gt", "gt", "gt", "gt", "gt", "eq"];
};

/** Sum of two reversed digit strings with a carry; the result reads most significant first. */
type AddReversed<A extends string, B extends string, Carry extends "0" | "1" = "0", Acc extends string = ""> =
  A extends `${infer a extends Digit}${infer AR}`
    ? B extends `${infer b extends Digit}${infer BR}`
      ? AddStep<AddDigits[Carry][a][b], AR, BR, Acc>
      : AddStep<AddDigits[Carry][a]["0"], AR, "", Acc>
    : B extends `${infer b extends Digit}${infer BR}`
      ? AddStep<AddDigits[Carry]["0"][b], "", BR, Acc>
      : Carry extends "0" ? Acc : `${Carry}${Acc}`;
type AddStep<Step, AR extends string, BR extends string, Acc extends string> =
  Step extends [infer D extends string, infer C extends "0" | "1"] ? AddReversed<AR, BR, C, `${D}${Acc}`> : never;

/** Difference of two reversed digit strings, A >= B, with a borrow; the result reads most significant first. */
type SubReversed<A extends string, B extends string, Borrow extends "0" | "1" = "0", Acc extends string = ""> =
  A extends `${infer a extends Digit}${infer AR}`
    ? B extends `${infer b extends Digit}${infer BR}` ? SubStep<SubDigits[Borrow][a][b], AR, BR, Acc> : SubStep<SubDigits[Borrow][a]["0"], AR, "", Acc>
    : Acc;
type SubStep<Step, AR extends string, BR extends string, Acc extends string> =
  Step extends [infer D extends string, infer Borrow extends "0" | "1"] ? SubReversed<AR, BR, Borrow, `${D}${Acc}`> : never;

/**
 * Sum of two reversed digit strings, the result reversed too (least significant digit first, so
 * sums can be chained without reversing: multiplication and `Total` do). Once the shorter operand
 * is used up and nothing is carried, the rest of the longer one is copied whole.
 */
type AddLow<A extends string, B extends string, Carry extends "0" | "1" = "0", Acc extends string = ""> =
  B extends ""
    ? Carry extends "0" ? `${Acc}${A}` : A extends `${infer a extends Digit}${infer AR}` ? AddLowStep<AddDigits["1"][a]["0"], AR, "", Acc> : `${Acc}1`
    : A extends ""
      ? AddLow<B, "", Carry, Acc>
      : A extends `${infer a extends Digit}${infer AR}`
        ? B extends `${infer b extends Digit}${infer BR}` ? AddLowStep<AddDigits[Carry][a][b], AR, BR, Acc> : never
        : never;
type AddLowStep<Step, AR extends string, BR extends string, Acc extends string> =
  Step extends [infer D extends string, infer C extends "0" | "1"] ? AddLow<AR, BR, C, `${Acc}${D}`> : never;

/**
 * `MulAdd["7"]["8"]["4"]["3"]` is `["3", "6"]`: 7 x 8 + 4 + 3 = 63 as [digit, carry] (at most
 * 81 + 9 + 9 = 99, so the carry is one digit). Built from the tables above one entry at a time, as
 * it is first read (TypeScript resolves and caches each property of a mapped type on access), so a
 * step of multiplication is one lookup.
 */
type MulAdd = {
  readonly [A in Digit]: { readonly [B in Digit]: { readonly [X in Digit]: { readonly [C in Digit]: MulAddStep<MulDigits[A][B], X, C> } } };
};
type MulAddStep<P, X extends Digit, Carry extends Digit> = P extends [infer D1 extends Digit, infer C1 extends Digit]
  ? AddDigits["0"][D1][X] extends [infer D2 extends Digit, infer C2 extends "0" | "1"]
    ? AddDigits["0"][D2][Carry] extends [infer D extends Digit, infer C3 extends "0" | "1"]
      ? [D, AddDigits[C3][C1][C2][0]]
      : never
    : never
  : never;

/**
 * Acc + A x b on reversed digit strings (least significant first), the result reversed: one pass of
 * schoolbook multiplication that adds a row into the running sum as it multiplies.
 */
type MulRow<Acc extends string, A extends string, b extends Digit, Carry extends Digit = "0", Out extends string = ""> =
  A extends `${infer a extends Digit}${infer AR}`
    ? Acc extends `${infer x extends Digit}${infer XR}`
      ? MulAdd[a][b][x][Carry] extends [infer D extends string, infer C extends Digit] ? MulRow<XR, AR, b, C, `${Out}${D}`> : never
      : MulAdd[a][b]["0"][Carry] extends [infer D extends string, infer C extends Digit] ? MulRow<"", AR, b, C, `${Out}${D}`> : never
    : Carry extends "0" ? `${Out}${Acc}` : `${Out}${AddLow<Acc, Carry>}`;

/**
 * Schoolbook multiplication of reversed digit strings: for each digit b of B, the running sum
 * gains A x b shifted by b's place; the lowest digit of the sum is then final and moves to Done.
 */
type MulLow<ARev extends string, BRev extends string, Done extends string = "", Acc extends string = ""> =
  BRev extends `${infer b extends Digit}${infer BR}`
    ? (b extends "0" ? Acc : MulRow<Acc, ARev, b>) extends infer Sum extends string
      ? Sum extends `${infer d}${infer Rest}` ? MulLow<ARev, BR, `${Done}${d}`, Rest> : MulLow<ARev, BR, `${Done}0`, "">
      : never
    : `${Done}${Acc}`;

type AddStrings<A extends string, B extends string> = AddReversed<Reverse<A>, Reverse<B>>;
type SubStrings<A extends string, B extends string> = StripZeros<SubReversed<Reverse<A>, Reverse<B>>>;
type StripZeros<S extends string> = S extends `0${infer R}` ? (R extends "" ? "0" : StripZeros<R>) : S;

/** "lt", "eq" or "gt" for two digit strings without leading zeros: longer is larger, else the first differing digit. */
type CompareStrings<A extends string, B extends string> =
  CompareLength<A, B> extends infer L ? (L extends "eq" ? CompareDigits<A, B> : L) : never;
type CompareLength<A extends string, B extends string> =
  A extends `${string}${infer AR}` ? (B extends `${string}${infer BR}` ? CompareLength<AR, BR> : "gt") : B extends "" ? "eq" : "lt";
type CompareDigits<A extends string, B extends string> =
  A extends `${infer a extends Digit}${infer AR}`
    ? B extends `${infer b extends Digit}${infer BR}`
      ? a extends b ? CompareDigits<AR, BR> : CompareDigit[a][b]
      : "gt"
    : "eq";

/** 2^53: past it a JavaScript number no longer holds every integer, so a result there is `number`. */
type Limit = "9007199254740992";

/** A digit string as a number literal, or `number` when it is past 2^53. */
type ToNumber<S extends string> = StripZeros<S> extends infer T extends string
  ? (Long<T> extends true ? (CompareStrings<T, Limit> extends "gt" ? Dyn : Parse<T>) : Parse<T>)
  : never;
type Parse<S extends string> = S extends `${infer N extends number}` ? N : never;

/**
 * True when a digit string has 16 digits or more, the only ones that can pass 2^53 (which has 16):
 * one pattern match, so the digit-by-digit comparison with 2^53 runs only for those.
 */
type Long<S extends string> =
  S extends `${infer _0}${infer _1}${infer _2}${infer _3}${infer _4}${infer _5}${infer _6}${infer _7}${infer _8}${infer _9}${infer _10}${infer _11}${infer _12}${infer _13}${infer _14}${infer _15}`
    ? true : false;

/** True when N is a whole-number literal 0 .. 2^53 (not Dyn, not a type parameter, not negative or fractional). */
type Whole<N extends number> = number extends N
  ? false
  : `${N}` extends `${bigint}`
    ? (`${N}` extends `-${string}` ? false : Long<`${N}`> extends true ? (CompareStrings<`${N}`, Limit> extends "gt" ? false : true) : true)
    : false;

/** Long division, most significant digit first: the quotient's digits and the remainder. */
type DivStrings<A extends string, B extends string, Rem extends string = "0", Q extends string = ""> =
  A extends `${infer d extends Digit}${infer AR}`
    ? QuotientDigit<StripZeros<`${Rem}${d}`>, B> extends [infer q extends Digit, infer R extends string]
      ? DivStrings<AR, B, R, `${Q}${q}`>
      : never
    : [StripZeros<Q>, Rem];
/** How many times B fits into R (0..9, since R < 10 B), and what is left. */
type QuotientDigit<R extends string, B extends string, Count extends 0[] = []> =
  CompareStrings<R, B> extends "lt" ? [`${Count["length"]}` & Digit, R] : QuotientDigit<SubStrings<R, B>, B, [...Count, 0]>;

/** `Add<784, 128>` is `912`; `Add<Dyn, 3>` is `Dyn`. */
export type Add<A extends number, B extends number> = [Whole<A>, Whole<B>] extends [true, true]
  ? ToNumber<AddStrings<`${A}`, `${B}`>>
  : Dyn;

/** `Mul<60000, 784>` is `47040000`; `Mul<Dyn, 3>` is `Dyn`. */
export type Mul<A extends number, B extends number> = [Whole<A>, Whole<B>] extends [true, true]
  ? ToNumber<Reverse<MulLow<Reverse<`${A}`>, Reverse<`${B}`>>>>
  : Dyn;

/**
 * `Total<[1, 2, 3]>` is `6`: the sum of a list of whole-number literals, `number` (Dyn) when any is
 * not one or the list's length is unknown. The running sum is kept reversed, so each element costs
 * one reversal of its own digits and an addition (`Add` in a loop would reverse and parse the
 * growing sum each time). Restarts its tail recursion every 100 elements (TypeScript stops one at
 * 1,000 steps, and each step of a long one costs more than the one before: see `Built` in nn/flow.ts).
 */
export type Total<T extends readonly number[]> = T extends unknown // one list at a time: a union of lists gives the union of their sums
  ? number extends T["length"] ? Dyn
    : false extends WholeEach<T> ? Dyn
    : TotalLoop<T>
  : never;
type WholeEach<T extends readonly number[]> = { [I in keyof T]: Whole<T[I]> }[number];
type TotalLoop<T extends readonly number[], I extends 0[] = [], Acc extends string = "0", C extends 0[] = []> =
  I["length"] extends T["length"] ? ToNumber<Reverse<Acc>>
  : C["length"] extends 100 ? TotalMore<T, I, Acc>
  : TotalLoop<T, [...I, 0], AddLow<Acc, Reverse<`${T[I["length"]]}`>>, [...C, 0]>;
type TotalMore<T extends readonly number[], I extends 0[], Acc extends string> = TotalLoop<T, I, Acc> extends infer R extends number ? R : never;

/**
 * `SumOfProducts<[[8, 25], [10, 576]]>` is `5960`: the sum of a x b over a list of pairs (a layer's
 * weights), `number` (Dyn) when a size is not a whole-number literal or the list's length is unknown.
 * As `Total`, the running sum stays a reversed digit string: per pair one product and one addition.
 */
export type SumOfProducts<T extends readonly (readonly [number, number])[]> = T extends unknown // one list at a time, as Total
  ? number extends T["length"] ? Dyn
    : false extends WholePairs<T> ? Dyn
    : ProductsLoop<T>
  : never;
type WholePairs<T extends readonly (readonly [number, number])[]> = { [I in keyof T]: Whole<T[I][0]> | Whole<T[I][1]> }[number];
type ProductsLoop<T extends readonly (readonly [number, number])[], I extends 0[] = [], Acc extends string = "0", C extends 0[] = []> =
  I["length"] extends T["length"] ? ToNumber<Reverse<Acc>>
  : C["length"] extends 100 ? ProductsMore<T, I, Acc>
  : ProductsLoop<T, [...I, 0], AddLow<Acc, MulLow<Reverse<`${T[I["length"]][0]}`>, Reverse<`${T[I["length"]][1]}`>>>, [...C, 0]>;
type ProductsMore<T extends readonly (readonly [number, number])[], I extends 0[], Acc extends string> =
  ProductsLoop<T, I, Acc> extends infer R extends number ? R : never;

/** `Sub<28, 5>` is `23`; `Sub<5, 28>` is `-23`; `Sub<Dyn, 3>` is `Dyn`. */
export type Sub<A extends number, B extends number> = [Whole<A>, Whole<B>] extends [true, true]
  ? CompareStrings<`${A}`, `${B}`> extends "lt"
    ? `-${SubStrings<`${B}`, `${A}`>}` extends `${infer N extends number}` ? N : never
    : ToNumber<SubStrings<`${A}`, `${B}`>>
  : Dyn;

/** Floor division: `Div<23, 2>` is `11`; `Div<Dyn, 2>`, `Div<5, 0>` are `Dyn`. */
export type Div<A extends number, B extends number> = [Whole<A>, Whole<B>] extends [true, true]
  ? B extends 0 ? Dyn : ToNumber<DivStrings<`${A}`, `${B}`>[0]>
  : Dyn;

/** `LessThan<3, 5>` is `true`; `boolean` when either side is not a whole-number literal. */
export type LessThan<A extends number, B extends number> = [Whole<A>, Whole<B>] extends [true, true]
  ? CompareStrings<`${A}`, `${B}`> extends "lt" ? true : false
  : boolean;

/**
 * `Product<[16, 6, 6]>` is `576`: the number of values in an example of that shape. A shape of
 * unknown length (`number[]`, `[2, ...number[]]`: a network built from a list made at run time)
 * gives `number` (Dyn), not the product of its known part.
 */
export type Product<S extends readonly number[], Acc extends number = 1> =
  number extends S["length"] ? Dyn
  : S extends readonly [infer H extends number, ...infer T extends readonly number[]] ? Product<T, Mul<Acc, H>> : Acc;
