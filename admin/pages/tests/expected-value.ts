import { displayYuan } from "../../../shared/money.ts";
import type { ExpectationChange } from "../../../shared/test-case-changes.ts";
import type { I18n } from "../../i18n/index.tsx";
import { outcomeWords } from "../../rule-summary.ts";

type Words = Pick<I18n, "t" | "lang" | "field" | "value" | "timer" | "label">;

/** An expected value as a person reads it: labels for codes, 是/否, yuan, timers in words. */
export function expectedValueText(field: string, value: unknown, i18n: Omit<Words, "t">): string {
  if (typeof value === "number" && field.endsWith("Fen")) return displayYuan(value);
  const words = outcomeWords({ [field]: value }, i18n);
  const prefix = `${i18n.field(field)}: `;
  return words.startsWith(prefix) ? words.slice(prefix.length) : words;
}

/**
 * One expectation's change in a sentence: "期望 退货运费：买家承担 → 卖家承担", "新增检查 允许到付：是",
 * "不再检查 结算方式（原期望 无需结算）".
 */
export function expectationChangeWords(change: ExpectationChange, i18n: Words): string {
  const field = i18n.field(change.field);
  const value = (v: unknown) => expectedValueText(change.field, v, i18n);
  const was = Object.hasOwn(change, "before");
  const is = Object.hasOwn(change, "after");
  if (was && is)
    return i18n.t("tests.change.expect", { field, before: value(change.before), after: value(change.after) });
  return is
    ? i18n.t("tests.change.checkAdded", { field, value: value(change.after) })
    : i18n.t("tests.change.checkRemoved", { field, value: value(change.before) });
}
