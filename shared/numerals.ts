/**
 * Numbers as people type them with a Chinese input method: full-width digits and punctuation
 * ("１２３．５", "－３") are the same characters as their ASCII twins, so every number field reads
 * them the same way, and a field never stores a number other than the one it shows.
 */

/**
 * Text with the full-width forms an input method types (U+FF01–U+FF5E: "１２３", "．", "－",
 * "，") as their ASCII twins, the ideographic space as a space, "。" (a Chinese full stop typed
 * for the decimal point) as "." and the minus sign "−" as "-". Anything else is kept.
 */
export function halfWidth(text: string): string {
  return text
    .replace(/[\uFF01-\uFF5E]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0))
    .replace(/\u3000/g, " ")
    .replace(/。/g, ".")
    .replace(/\u2212/g, "-");
}

/** Why a typed whole number is refused: not one at all, or outside the field's bounds. */
export type WholeNumberProblem = "not_whole" | "below" | "above";

/**
 * A whole number as typed ("3", "３", " 12 ") within `[min, max]`: `{ value }` (undefined for
 * empty text), or `{ problem }` saying why it is refused ("1.5", "-2" below a minimum of 1, "1e3").
 */
export function readWholeNumber(
  text: string,
  bounds: { min?: number; max?: number } = {},
): { value: number | undefined; problem?: undefined } | { value?: undefined; problem: WholeNumberProblem } {
  const plain = halfWidth(text).replace(/\s/g, "");
  if (plain === "") return { value: undefined };
  if (!/^-?\d{1,15}$/.test(plain)) return { problem: "not_whole" };
  const value = Number(plain);
  if (!Number.isSafeInteger(value)) return { problem: "not_whole" };
  if (bounds.min !== undefined && value < bounds.min) return { problem: "below" };
  if (bounds.max !== undefined && value > bounds.max) return { problem: "above" };
  return { value: Object.is(value, -0) ? 0 : value };
}
