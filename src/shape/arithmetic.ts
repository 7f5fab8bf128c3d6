/**
 * Exact arithmetic on literal dimension types, digit by digit on their decimal strings (as a child
 * adds on paper), so it stays exact up to 2^53 and cheap: `Mul<60000, 784>` is `47040000`.
 * ts-toolbelt's number arithmetic stops at +-100 (then silently widens to `number`) and tuple
 * lengths stop near 1,000, so neither is used. Any `Dyn` operand gives `Dyn`.
 *
 * Digits are processed least significant first: `Reverse<"784">` is `"487"`. A single digit step
 * (a + b + carry <= 19, a * b + carry <= 89) is computed with small tuples, and its two-digit result
 * is split by reading the string: `"17"` is digit "7", carry 1.
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
type StripZeros<S extends string> = S extends `0${infer R}` ? (R extends "" ? "0" : StripZeros<R>) : S;
type ToNumber<S extends string> = StripZeros<S> extends `${infer N extends number}` ? N : never;

/** True when N is a whole number literal (not Dyn, not `number`, not negative or fractional). */
type Whole<N extends number> = number extends N ? false : N extends Dyn ? false : `${N}` extends `${bigint}` ? (`${N}` extends `-${string}` ? false : true) : false;

/** `Add<784, 128>` is `912`; `Add<Dyn, 3>` is `Dyn`. */
export type Add<A extends number, B extends number> = [Whole<A>, Whole<B>] extends [true, true]
  ? ToNumber<AddStrings<`${A}`, `${B}`>>
  : Dyn;

/** `Mul<60000, 784>` is `47040000`; `Mul<Dyn, 3>` is `Dyn`. */
export type Mul<A extends number, B extends number> = [Whole<A>, Whole<B>] extends [true, true]
  ? ToNumber<MulReversed<Reverse<`${A}`>, Reverse<`${B}`>>>
  : Dyn;
