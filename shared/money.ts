/**
 * Money as the product keeps it, whole fen (分), and as people read and type it, yuan (元) with two
 * decimals. Every conversion is integer arithmetic on the digits: 12.34 × 100 is 1233.9999999999998
 * in floating point, and a fen must never be lost or made up.
 */

import { halfWidth } from "./numerals.ts";

/** At most 13 digits of yuan: 9 999 999 999 999.99 yuan is 999 999 999 999 999 fen, within MAX_SAFE_INTEGER. */
const YUAN = /^(\d{1,13})?(?:\.(\d{0,2}))?$/;

/** Why typed text is no amount: a minus sign, a third decimal, more than 13 digits of yuan, or not a number at all. */
export type YuanProblem = "negative" | "decimals" | "too_large" | "not_amount";

/**
 * Yuan as a person types it, to whole fen or the reason it is none: see parseYuan. Full-width
 * digits and punctuation from a Chinese input method ("１２０．５元") read as their ASCII twins.
 */
export function readYuan(text: string): { fen: number | undefined; problem?: undefined } | { problem: YuanProblem } {
  const plain = halfWidth(text)
    .replace(/[\s,¥￥]/g, "")
    .replace(/元$/, "");
  if (plain === "") return { fen: undefined };
  const match = YUAN.exec(plain);
  if (match && (match[1] !== undefined || match[2])) {
    const fen = Number((match[1] ?? "0") + (match[2] ?? "").padEnd(2, "0"));
    return Number.isSafeInteger(fen) ? { fen } : { problem: "too_large" };
  }
  // the same tests without the part that broke, so the reason names what is wrong
  if (plain.startsWith("-")) {
    const rest = readYuan(plain.slice(1));
    if (rest.problem === undefined ? rest.fen !== undefined : rest.problem !== "not_amount")
      return { problem: "negative" };
  }
  if (/^\d*\.\d{3,}$/.test(plain)) return { problem: "decimals" };
  if (/^\d{14,}(?:\.\d*)?$/.test(plain)) return { problem: "too_large" };
  return { problem: "not_amount" };
}

/**
 * Yuan as a person types it ("12.5", "1,299.00", "¥8", ".5", "12 元", "１２０元") to whole fen,
 * exactly: the digits are joined as text, never multiplied as floats. Spaces, thousands commas
 * (`,` `，`), `¥` `￥` and a closing `元` are ignored; full-width digits and "．" / "。" read as
 * ASCII. Empty text is `undefined`; text that is not a non-negative amount with at most two
 * decimals is `null` (a minus sign, a third decimal, an exponent): readYuan says why.
 */
export function parseYuan(text: string): number | undefined | null {
  const read = readYuan(text);
  return read.problem === undefined ? read.fen : null;
}

/**
 * Whole fen as yuan with two decimals, exactly: 1234 → "12.34", 7 → "0.07", -5 → "-0.05". A value
 * that is not a whole number of fen (a hand-written rule's 12.5) is shown as it is, not rounded.
 */
export function formatYuan(fen: number): string {
  if (!Number.isSafeInteger(fen)) return String(fen);
  const sign = fen < 0 ? "-" : "";
  const abs = Math.abs(fen);
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, "0")}`;
}

/** Whole fen as a person reads an amount: "¥1,234.56", thousands grouped; exactly, like formatYuan. */
export function displayYuan(fen: number): string {
  if (!Number.isSafeInteger(fen)) return String(fen);
  const sign = fen < 0 ? "-" : "";
  const abs = Math.abs(fen);
  const whole = String(Math.floor(abs / 100)).replace(/\B(?=(\d{3})+$)/g, ",");
  return `¥${sign}${whole}.${String(abs % 100).padStart(2, "0")}`;
}
