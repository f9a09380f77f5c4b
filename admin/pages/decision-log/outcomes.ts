import { channels, parties } from "../../../shared/outputs.ts";
import type { I18n } from "../../i18n/index.tsx";

/**
 * The decision log's `outcome` summaries (see `outcomeOf` on the server) in words, and the ones a
 * search offers per rule set. A prefix such as `eligible` matches every channel.
 */
export const outcomeOptions: Readonly<Record<string, readonly string[]>> = {
  "refund-eligibility": ["eligible", ...channels.filter((c) => c !== "none").map((c) => `eligible:${c}`), "not_eligible"],
  "shipping-fee": parties.map((p) => `return:${p}`),
  timeouts: ["timers:0", "timers:1", "timers:2", "timers:3"],
};

/** "eligible:refund_only" → "可退款·仅退款", "return:seller" → "退货运费：卖家承担", "timers:2" → "2 个计时器". */
export function outcomeLabel(outcome: string, i18n: Pick<I18n, "t" | "value">): string {
  const [head, tail] = outcome.split(/:(.*)/s) as [string, string | undefined];
  switch (head) {
    case "eligible":
      return tail ? i18n.t("outcome.eligible", { channel: i18n.value(tail) }) : i18n.t("outcome.anyEligible");
    case "not_eligible":
      // the channel of a refusal says nothing a reader needs
      return i18n.t("outcome.notEligible");
    case "return":
      return tail ? i18n.t("outcome.returnPayer", { payer: i18n.value(tail) }) : outcome;
    case "timers": {
      const count = Number(tail);
      if (!Number.isInteger(count)) return outcome;
      return count === 0 ? i18n.t("outcome.noTimers") : i18n.t("outcome.timers", { count });
    }
    default:
      return outcome;
  }
}

/** How an outcome looks in a list: good news green, a refusal amber, the rest neutral. */
export function outcomeTone(outcome: string): "ok" | "warn" | "muted" {
  if (outcome.startsWith("eligible")) return "ok";
  if (outcome.startsWith("not_eligible")) return "warn";
  return "muted";
}
