import { findFact } from "../../../shared/fact-catalog.ts";
import { isFactReference } from "../../../shared/fact-ref.ts";
import { displayYuan } from "../../../shared/money.ts";
import type { Invariant, InvariantExpectation, InvariantOperator } from "../../../shared/rules.ts";
import type { I18n } from "../../i18n/index.tsx";
import { conditionWords, factLabel } from "../../rule-summary.ts";

type WordsI18n = Pick<I18n, "lang" | "value" | "label" | "field" | "timer">;

/** How an expectation reads after the field's name: "退货运费 必须为 卖家承担". */
const mustWords: Record<InvariantOperator, { zh: string; en: string }> = {
  equal: { zh: "必须为", en: "must be" },
  notEqual: { zh: "不得为", en: "must not be" },
  in: { zh: "必须属于", en: "must be one of" },
  notIn: { zh: "不得属于", en: "must be none of" },
  lessThanInclusive: { zh: "不超过", en: "must be at most" },
  greaterThanInclusive: { zh: "不少于", en: "must be at least" },
};

/** A plain value is an `equal` comparison. */
export function comparisonOf(expectation: InvariantExpectation): { operator: InvariantOperator; value: unknown } {
  return typeof expectation === "object" && expectation !== null
    ? expectation
    : { operator: "equal", value: expectation };
}

function expectedValueWords(field: string, value: unknown, i18n: WordsI18n): string {
  const zh = i18n.lang() === "zh";
  if (isFactReference(value)) return factLabel(findFact(value.fact, value.path), value.fact, value.path, i18n);
  if (Array.isArray(value)) return value.map((v) => expectedValueWords(field, v, i18n)).join(zh ? "、" : ", ");
  if (typeof value === "boolean") return value ? (zh ? "是" : "yes") : zh ? "否" : "no";
  if (typeof value === "number") return field.endsWith("Fen") ? displayYuan(value) : String(value);
  if (typeof value === "string") return i18n.value(value);
  return JSON.stringify(value);
}

/** One field's expectation in words: "退货运费 必须为 卖家承担". */
export function expectationWords(field: string, expectation: InvariantExpectation, i18n: WordsI18n): string {
  const { operator, value } = comparisonOf(expectation);
  return `${i18n.field(field)} ${mustWords[operator][i18n.lang()]} ${expectedValueWords(field, value, i18n)}`;
}

/** An invariant in words: "退款原因 是以下之一 质量问题、… → 退货运费 必须为 卖家承担，发货运费 必须为 卖家承担". */
export function invariantWords(invariant: Invariant, i18n: WordsI18n): string {
  const zh = i18n.lang() === "zh";
  const expectations = Object.entries(invariant.expect).map(([field, e]) => expectationWords(field, e, i18n));
  return `${conditionWords(invariant.conditions, i18n)} → ${expectations.join(zh ? "，" : "; ")}`;
}

/** An invariant as lines: its title (or name), then what it says. */
export function invariantLines(invariant: Invariant, i18n: WordsI18n): string[] {
  return [
    invariant.title ? `${invariant.title}（${invariant.name}）` : invariant.name,
    invariantWords(invariant, i18n),
  ];
}
