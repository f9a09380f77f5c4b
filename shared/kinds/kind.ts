import { z } from "zod";
import type { CaseFacts } from "../case-facts.ts";
import type { Label } from "../fact-catalog.ts";
import type { PeriodClock } from "../periods.ts";

/** A reason callers can branch on (`code`) with a sentence a person can read (`message`). */
export const Reason = z.strictObject({
  code: z.string().regex(/^[A-Z][A-Z0-9_]*$/, "a reason code is UPPER_SNAKE_CASE"),
  message: z.string().min(1).max(500),
});
export type Reason = z.infer<typeof Reason>;

/** What the engine derived from the case (server/engine/derive-facts.ts), as far as a kind's computed fields read it. */
export type DerivedFacts = {
  readonly elapsed: Record<string, number | undefined>;
  readonly amount: Record<string, number>;
};

/**
 * A logged outcome read back: its words in either language, with `{name}` placeholders filled by value codes (shown by
 * their labels, shared/labels.ts), and how it looks in a list (good news green, a refusal amber, the rest neutral).
 */
export type OutcomeReading = { words: Label; values?: Record<string, string>; tone: "ok" | "warn" | "muted" };

/**
 * Everything one rule-set kind means, in one place; the registry (index.ts) lists them and the engine, the decision
 * log, the probes and the admin read it. Adding a kind is one such module plus its rules/<key>.json.
 */
export type RuleSetKindModule<Key extends string = string> = {
  readonly key: Key;
  /** The decision callers receive. */
  readonly decision: z.ZodObject;
  /** What one rule's event may set: the decision without the computed fields, every field optional. */
  readonly params: z.ZodType;
  /** The rule set's defaults: every field a rule may set. */
  readonly defaults: z.ZodType;
  /**
   * The list fields that fired rules concatenate, with the entry key that makes an entry unique (the first entry with a
   * key wins); `OWN_VALUE` for a list of plain codes, each its own key.
   */
  readonly lists: Readonly<Record<string, string>>;
  /** The decision fields the contract computes from the others and the case, never set by rules. */
  readonly computed: readonly string[];
  /**
   * The whole decision from the folded one (every field a rule may set): the computed fields added. `nowMs`, the moment
   * `derived` was measured at, lets a moment of the case be read back from the elapsed time since it; `periods` is the
   * evaluation's clock: where durations are counted, and the calendar years without data the conditions consulted.
   */
  complete(
    folded: Record<string, unknown>,
    facts: CaseFacts,
    derived: DerivedFacts,
    nowMs?: number,
    periods?: PeriodClock,
  ): Record<string, unknown>;
  /** The decision log's `outcome`: a short, searchable text written and read back here only. */
  readonly outcome: {
    write(decision: Record<string, unknown>): string;
    /** The words of an outcome `write` gave (or a prefix `options` offers); undefined for any other text. */
    read(outcome: string): OutcomeReading | undefined;
    /** The outcomes a search offers; a prefix such as `eligible` matches every outcome that starts with it. */
    readonly options: readonly string[];
  };
  readonly labels: {
    readonly name: Label;
    readonly description: Label;
    /** The decision's fields, and the fields of its list entries. */
    readonly fields: Readonly<Record<string, Label>>;
    /** The codes of its enum values. */
    readonly values: Readonly<Record<string, Label>>;
  };
};

/** The entry key of a list of plain codes (service-playbook's `actions`): an entry is unique by its value. */
export const OWN_VALUE = "";

/** What makes a list entry unique: its `key` member, or the entry itself in a list of plain codes. */
export function entryKey(entry: unknown, key: string): unknown {
  return key === OWN_VALUE ? entry : (entry as Record<string, unknown>)[key];
}

/** "eligible:refund_only" → ["eligible", "refund_only"]; "eligible" → ["eligible", undefined]. */
export function splitOutcome(outcome: string): [head: string, tail: string | undefined] {
  const colon = outcome.indexOf(":");
  return colon < 0 ? [outcome, undefined] : [outcome.slice(0, colon), outcome.slice(colon + 1)];
}
