import { isRuleSetKind, kindModules, ruleSetKinds, type OutcomeReading } from "../../../shared/kinds/index.ts";
import type { I18n } from "../../i18n/index.tsx";

/**
 * The decision log's `outcome` summaries in words, and the ones a search offers per rule set. Each kind's module writes
 * and reads its own (shared/kinds/); a prefix such as `eligible` matches every channel.
 */
export const outcomeOptions: Readonly<Record<string, readonly string[]>> = Object.fromEntries(
  kindModules.map((kind) => [kind.key, kind.outcome.options]),
);

const reading = (ruleSet: string, outcome: string): OutcomeReading | undefined =>
  isRuleSetKind(ruleSet) ? ruleSetKinds[ruleSet].outcome.read(outcome) : undefined;

/** "eligible:refund_only" → "可退款·仅退款", "return:seller" → "退货运费：卖家承担", "timers:2" → "2 个计时器"; any other text as it is. */
export function outcomeLabel(ruleSet: string, outcome: string, i18n: Pick<I18n, "lang" | "value">): string {
  const read = reading(ruleSet, outcome);
  if (!read) return outcome;
  return read.words[i18n.lang()].replace(/\{(\w+)\}/g, (whole, name: string) => {
    const value = read.values?.[name];
    return value === undefined ? whole : i18n.value(value);
  });
}

/** How an outcome looks in a list: good news green, a refusal amber, the rest neutral. */
export function outcomeTone(ruleSet: string, outcome: string): OutcomeReading["tone"] {
  return reading(ruleSet, outcome)?.tone ?? "muted";
}
