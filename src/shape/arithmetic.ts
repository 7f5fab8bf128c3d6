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
 * significant first for comparison and division. A single digit step (a + b + carry <= 19,
 * a * b + carry <= 89) is computed with small tuples, and its two-digit result split by reading the
 * string: `"17"` is digit "7", carry 1.
 */
import type { Dyn } from "./dims.js";

type Digit = "0" | "1" | "2" | "3" | "4" | "5" | "6" | "7" | "8" | "9";

/** `Reverse<"784">` is `"487"`. */
type Reverse<S extends string, Acc extends string = ""> = S extends `${infer H}${infer T}` ? Reverse<T, `${H}${Acc}`> : Acc;

/** `Tuple<3>` is `[0, 0, 0]` (only for numbers under 100 here). */
type Tuple<N extends number, Acc extends 0[] = []> = Acc["length"] extends N ? Acc : Tuple<N, [...Acc, 0]>;

type DigitValue<D extends string> = D extends `${infer N extends number}` ? N : 0;

/** `Times<Tuple<3>, 4>` is a tuple of length 12: a * b as a length. */
type Times<T extends 0[], B extends number, Count extends 0[] = [], Acc extends 0[] = []> =
  Count["length"] extends B ? Acc : Times<T, B, [...Count, 0], [...Acc, ...T]>;

/** Splits a one- or two-digit number into [last digit, carry]: `SplitCarry<17>` is `["7", 1]`. */
type SplitCarry<N> = N extends number
  ? `${N}` extends `${infer C extends number}${infer D extends Digit}` ? [D, C] : [`${N}`, 0]
  : never;

/** Sum of two reversed digit strings with a carry; the result reads most significant first. */
type AddReversed<A extends string, B extends string, Carry extends number = 0, Acc extends string = ""> =
  A extends `${infer a extends Digit}${infer AR}`
    ? B extends `${infer b extends Digit}${infer BR}`
      ? AddStep<a, b, Carry, AR, BR, Acc>
      : AddStep<a, "0", Carry, AR, "", Acc>
    : B extends `${infer b extends Digit}${infer BR}`
      ? AddStep<"0", b, Carry, "", BR, Acc>
      : Carry extends 0 ? Acc : `${Carry}${Acc}`;
type AddStep<a extends Digit, b extends Digit, Carry extends number, AR extends string, BR extends string, Acc extends string> =
  SplitCarry<[...Tuple<DigitValue<a>>, ...Tuple<DigitValue<b>>, ...Tuple<Carry>]["length"]> extends [infer D extends string, infer C extends number]
    ? AddReversed<AR, BR, C, `${D}${Acc}`>
    : never;

/** Difference of two reversed digit strings, A >= B, with a borrow; the result reads most significant first. */
type SubReversed<A extends string, B extends string, Borrow extends number = 0, Acc extends string = ""> =
  A extends `${infer a extends Digit}${infer AR}`
    ? B extends `${infer b extends Digit}${infer BR}` ? SubStep<a, b, Borrow, AR, BR, Acc> : SubStep<a, "0", Borrow, AR, "", Acc>
    : Acc;
/** One column: a - b - borrow, or 10 + a - b - borrow with a borrow from the next column. */
type SubStep<a extends Digit, b extends Digit, Borrow extends number, AR extends string, BR extends string, Acc extends string> =
  [...Tuple<DigitValue<a>>] extends [...Tuple<DigitValue<b>>, ...Tuple<Borrow>, ...infer R]
    ? SubReversed<AR, BR, 0, `${R["length"]}${Acc}`>
    : [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, ...Tuple<DigitValue<a>>] extends [...Tuple<DigitValue<b>>, ...Tuple<Borrow>, ...infer R]
      ? SubReversed<AR, BR, 1, `${R["length"]}${Acc}`>
      : never;

/** A reversed digit string times one digit; the result reads most significant first. */
type MulDigitReversed<A extends string, b extends Digit, Carry extends number = 0, Acc extends string = ""> =
  A extends `${infer a extends Digit}${infer AR}`
    ? SplitCarry<[...Times<Tuple<DigitValue<a>>, DigitValue<b>>, ...Tuple<Carry>]["length"]> extends [infer D extends string, infer C extends number]
      ? MulDigitReversed<AR, b, C, `${D}${Acc}`>
      : never
    : Carry extends 0 ? Acc : `${Carry}${Acc}`;

/** Schoolbook multiplication: one partial product per digit of B, shifted and added. */
type MulReversed<ARev extends string, BRev extends string, Shift extends string = "", Acc extends string = "0"> =
  BRev extends `${infer b extends Digit}${infer BR}`
    ? MulReversed<ARev, BR, `${Shift}0`, AddStrings<Acc, `${MulDigitReversed<ARev, b>}${Shift}`>>
    : Acc;

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
      ? a extends b ? CompareDigits<AR, BR> : (Tuple<DigitValue<a>> extends [...Tuple<DigitValue<b>>, ...unknown[]] ? "gt" : "lt")
      : "gt"
    : "eq";

/** 2^53: past it a JavaScript number no longer holds every integer, so a result there is `number`. */
type Limit = "9007199254740992";

/** A digit string as a number literal, or `number` when it is past 2^53. */
type ToNumber<S extends string> = CompareStrings<StripZeros<S>, Limit> extends "gt"
  ? Dyn
  : StripZeros<S> extends `${infer N extends number}` ? N : never;

/** True when N is a whole-number literal 0 .. 2^53 (not Dyn, not a type parameter, not negative or fractional). */
type Whole<N extends number> = number extends N
  ? false
  : `${N}` extends `${bigint}` ? (`${N}` extends `-${string}` ? false : CompareStrings<`${N}`, Limit> extends "gt" ? false : true) : false;

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
  ? ToNumber<MulReversed<Reverse<`${A}`>, Reverse<`${B}`>>>
  : Dyn;

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
