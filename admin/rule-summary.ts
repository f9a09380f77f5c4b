import { durationWords } from "../shared/duration.ts";
import { findFact, type FactEntry } from "../shared/fact-catalog.ts";
import { factKey, isFactReference } from "../shared/fact-ref.ts";
import { displayYuan } from "../shared/money.ts";
import type { Condition, TopLevelCondition } from "../shared/rules.ts";
import { countedDurationWords, countedValue, countingNote } from "./counting-words.ts";
import type { I18n } from "./i18n/index.tsx";

/**
 * Rules in plain language, as a policy manager reads them:
 * "退款原因 = 七天无理由 且 卖家包邮 = 是 → 退货运费: 买家承担".
 */

const operatorWords: Record<string, { zh: string; en: string }> = {
  equal: { zh: "=", en: "=" },
  notEqual: { zh: "≠", en: "≠" },
  in: { zh: "是以下之一", en: "is one of" },
  notIn: { zh: "不是以下任何一个", en: "is none of" },
  lessThan: { zh: "<", en: "<" },
  lessThanInclusive: { zh: "≤", en: "≤" },
  greaterThan: { zh: ">", en: ">" },
  greaterThanInclusive: { zh: "≥", en: "≥" },
  withinDuration: { zh: "不超过", en: "is at most" },
  beyondDuration: { zh: "超过", en: "is more than" },
};

export function operatorWord(operator: string, i18n: Pick<I18n, "lang">): string {
  return operatorWords[operator]?.[i18n.lang()] ?? operator;
}

export function factLabel(
  entry: FactEntry | undefined,
  fact: string,
  path: string | undefined,
  i18n: Pick<I18n, "label">,
): string {
  return entry ? i18n.label(entry.label) : factKey(fact, path);
}

/** A value as the fact's type shows it: enum labels, 是/否, yuan for money, words for durations. */
export function valueWords(
  entry: FactEntry | undefined,
  value: unknown,
  i18n: Pick<I18n, "lang" | "value" | "label">,
): string {
  if (isFactReference(value)) return factLabel(findFact(value.fact, value.path), value.fact, value.path, i18n);
  if (Array.isArray(value))
    return value.map((v) => valueWords(entry, v, i18n)).join(i18n.lang() === "zh" ? "、" : ", ");
  if (typeof value === "boolean")
    return value ? (i18n.lang() === "zh" ? "是" : "yes") : i18n.lang() === "zh" ? "否" : "no";
  if (entry?.type.kind === "money" && typeof value === "number") return displayYuan(value);
  if (entry?.type.kind === "duration" && (typeof value === "string" || countedValue(value)))
    return countedDurationWords(value, i18n.lang());
  if (typeof value === "string") return i18n.value(value);
  return JSON.stringify(value);
}

type SummaryI18n = Pick<I18n, "lang" | "value" | "label" | "field" | "timer">;

/** A condition tree in words; groups inside groups are bracketed. */
export function conditionWords(condition: Condition | TopLevelCondition, i18n: SummaryI18n, nested = false): string {
  const zh = i18n.lang() === "zh";
  const join = (children: Condition[], word: string) => {
    if (children.length === 0) return zh ? "（总是）" : "(always)";
    const text = children.map((c) => conditionWords(c, i18n, true)).join(` ${word} `);
    return nested && children.length > 1
      ? `（${text}）`.replace(/^（/, zh ? "（" : "(").replace(/）$/, zh ? "）" : ")")
      : text;
  };
  if ("all" in condition) return join(condition.all, zh ? "且" : "and");
  if ("any" in condition) return join(condition.any, zh ? "或" : "or");
  if ("not" in condition) return `${zh ? "并非" : "not"} ${conditionWords(condition.not, i18n, true)}`;
  if ("condition" in condition) return zh ? `「${condition.condition}」成立` : `"${condition.condition}" holds`;
  if (!condition.fact) return zh ? "（条件还没填完）" : "(condition not finished)";
  const entry = findFact(condition.fact, condition.path);
  const window = countedWindowWords(entry, condition.operator, condition.value, i18n);
  if (window) return window;
  return `${factLabel(entry, condition.fact, condition.path, i18n)} ${operatorWord(condition.operator, i18n)} ${valueWords(entry, condition.value, i18n)}`;
}

/**
 * A window counted some other way than elapsed time, as the law words it in Chinese: "签收后 7 天内（按自然日，次日起算，
 * 遇节假日顺延）", "超过签收后 7 天（按工作日）". Undefined when the plain "签收后经过 不超过 7 天" reads as well.
 */
function countedWindowWords(
  entry: FactEntry | undefined,
  operator: string,
  value: unknown,
  i18n: Pick<I18n, "lang">,
): string | undefined {
  const counted = countedValue(value);
  if (i18n.lang() !== "zh" || entry?.type.kind !== "duration" || !counted || counted.counting === "elapsed")
    return undefined;
  // "签收后经过" names elapsed time; a counted window starts from the moment itself, "签收后"
  if (!entry.label.zh.endsWith("经过")) return undefined;
  const since = entry.label.zh.slice(0, -"经过".length);
  const length = durationWords(counted.duration, "zh");
  const note = countingNote(counted, "zh");
  if (operator === "withinDuration") return `${since} ${length}内${note}`;
  if (operator === "beyondDuration") return `超过${since} ${length}${note}`;
  return undefined;
}

/** A reason as a person reads it, its code with its message: "ORDER_CLOSED「订单已关闭，不能申请退款」". */
export function reasonWords(reason: { code?: unknown; message?: unknown }): string {
  const code = String(reason.code ?? "");
  const message = typeof reason.message === "string" ? reason.message.trim() : "";
  return message === "" ? code : `${code}「${message}」`;
}

/** A rule's outcome in words: "退货运费: 卖家承担，发货运费: 卖家承担". */
export function outcomeWords(params: Record<string, unknown>, i18n: SummaryI18n): string {
  const zh = i18n.lang() === "zh";
  return Object.entries(params)
    .map(([field, value]) => {
      if (field === "reasons" && Array.isArray(value))
        return `${i18n.field(field)}: ${value.map((r) => reasonWords(r as { code?: unknown; message?: unknown })).join(", ")}`;
      if (field === "timers" && Array.isArray(value)) {
        const timers = value.map((t) => {
          const timer = t as { key: string; duration: unknown; onExpiry: string };
          return `${i18n.timer(timer.key)} ${countedDurationWords(timer.duration, i18n.lang())}${zh ? "，到期" : ", then "}${i18n.timer(timer.onExpiry)}`;
        });
        return `${i18n.field(field)}: ${timers.join("; ")}`;
      }
      if (typeof value === "boolean") return `${i18n.field(field)}: ${value ? (zh ? "是" : "yes") : zh ? "否" : "no"}`;
      // an amount in yuan; a list of codes (the playbook's actions) in words, in its order
      if (typeof value === "number" && field.endsWith("Fen")) return `${i18n.field(field)}: ${displayYuan(value)}`;
      if (Array.isArray(value) && value.every((v) => typeof v === "string"))
        return `${i18n.field(field)}: ${value.map((v) => i18n.value(v)).join(zh ? "、" : ", ")}`;
      return `${i18n.field(field)}: ${typeof value === "string" ? i18n.value(value) : JSON.stringify(value)}`;
    })
    .join(zh ? "，" : "; ");
}

/** The whole rule: "conditions → outcome". */
export function ruleWords(
  rule: { conditions: TopLevelCondition; event: { params: Record<string, unknown> } },
  i18n: SummaryI18n,
): string {
  return `${conditionWords(rule.conditions, i18n)} → ${outcomeWords(rule.event.params, i18n)}`;
}
