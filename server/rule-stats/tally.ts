import type { Transaction } from "kysely";
import type { Database } from "../db/schema.ts";
import { RECORD_FIELDS, type RecordValues } from "../decision-log/record-fields.ts";

/** One row of decision_stats as a batch adds it. */
export type DecisionCount = Database["decision_stats"];
/** One row of rule_hit_stats as a batch adds it. */
export type RuleHitCount = Database["rule_hit_stats"];

const HOUR_MS = 3_600_000;

/** The index in a record's values of the fields the counts read, from the record's field table. */
const valueIndex = (property: (typeof RECORD_FIELDS)[number]["property"]) =>
  RECORD_FIELDS.findIndex((field) => field.property === property);
const AT = valueIndex("at");
const RULE_SET = valueIndex("ruleSet");
const VERSION = valueIndex("version");
const OUTCOME = valueIndex("outcome");
const FIRED_RULES = valueIndex("firedRulesJson");

/** A batch's decisions of one rule set, hour and version: how many per outcome, and per list of fired rules (JSON). */
type Group = {
  ruleSet: string;
  hourMs: number;
  version: number;
  outcomes: Map<string, number>;
  firedLists: Map<string, number>;
};

/**
 * The counts of a batch of logged decisions, summed in memory by key before they reach the database: one upsert row per
 * (rule set, hour, version, outcome) and per (rule set, hour, version, rule), however many decisions share it. A
 * statement that named one key twice would also be refused by PostgreSQL's `on conflict do update`.
 *
 * Per decision only two map updates: decisions come in time order, so consecutive ones share their group, and a batch
 * holds few distinct lists of fired rules, each parsed once when the rows are made.
 */
export class DecisionTally {
  readonly #groups = new Map<string, Group>();
  #last: Group | undefined;

  /** Counts the record at `offset` of `values` (as the log's ring gives them back). */
  addRecord(values: RecordValues, offset: number): void {
    this.add(
      values[offset + RULE_SET] as string,
      values[offset + AT] as number,
      values[offset + VERSION] as number,
      values[offset + OUTCOME] as string,
      values[offset + FIRED_RULES] as string,
    );
  }

  /** Counts one decision: made at `at` (epoch ms) by `version` of `ruleSet`, its outcome and fired rules (JSON). */
  add(ruleSet: string, at: number, version: number, outcome: string, firedRulesJson: string): void {
    const hourMs = Math.floor(at / HOUR_MS) * HOUR_MS;
    let group = this.#last;
    if (group === undefined || group.hourMs !== hourMs || group.ruleSet !== ruleSet || group.version !== version) {
      const key = `${ruleSet}\u0000${hourMs}\u0000${version}`;
      group = this.#groups.get(key);
      if (group === undefined) {
        group = { ruleSet, hourMs, version, outcomes: new Map(), firedLists: new Map() };
        this.#groups.set(key, group);
      }
      this.#last = group;
    }
    group.outcomes.set(outcome, (group.outcomes.get(outcome) ?? 0) + 1);
    group.firedLists.set(firedRulesJson, (group.firedLists.get(firedRulesJson) ?? 0) + 1);
  }

  /** decision_stats rows: decisions per rule set, hour, version and outcome. */
  decisionRows(): DecisionCount[] {
    const rows: DecisionCount[] = [];
    for (const group of this.#groups.values()) {
      const hour = new Date(group.hourMs).toISOString();
      for (const [outcome, decisions] of group.outcomes)
        rows.push({ rule_set: group.ruleSet, hour, version: group.version, outcome, decisions });
    }
    return rows;
  }

  /** rule_hit_stats rows: fires per rule set, hour, version and rule. */
  hitRows(): RuleHitCount[] {
    const rows: RuleHitCount[] = [];
    for (const group of this.#groups.values()) {
      const hour = new Date(group.hourMs).toISOString();
      const hits = new Map<string, number>();
      for (const [json, decisions] of group.firedLists)
        for (const rule of firedRules(json)) hits.set(rule, (hits.get(rule) ?? 0) + decisions);
      for (const [rule, count] of hits)
        rows.push({ rule_set: group.ruleSet, hour, version: group.version, rule, hits: count });
    }
    return rows;
  }
}

/**
 * The distinct rule names of a record's fired rules; none when the text is not the array of names the decision path
 * writes (a rule counts once per decision, as the log lists it once).
 */
function firedRules(json: string): readonly string[] {
  if (json === "[]") return [];
  try {
    const parsed: unknown = JSON.parse(json);
    return Array.isArray(parsed) ? [...new Set(parsed.filter((rule): rule is string => typeof rule === "string"))] : [];
  } catch {
    return [];
  }
}

/** Rows per upsert statement: 500 parameters at most, far below SQLite's and PostgreSQL's limits. */
const ROWS_PER_UPSERT = 100;

/**
 * Adds the tally's counts to decision_stats and rule_hit_stats in `tx`, the transaction that writes the same records
 * into the log: the counts and the log commit together or not at all. Portable SQL: `insert … on conflict (key) do
 * update set n = n + excluded.n`, which SQLite and PostgreSQL both speak.
 */
export async function writeTally(tx: Transaction<Database>, tally: DecisionTally): Promise<void> {
  const decisions = tally.decisionRows();
  for (let i = 0; i < decisions.length; i += ROWS_PER_UPSERT) {
    await tx
      .insertInto("decision_stats")
      .values(decisions.slice(i, i + ROWS_PER_UPSERT))
      .onConflict((conflict) =>
        conflict.columns(["rule_set", "hour", "version", "outcome"]).doUpdateSet((eb) => ({
          decisions: eb("decision_stats.decisions", "+", eb.ref("excluded.decisions")),
        })),
      )
      .execute();
  }
  const hits = tally.hitRows();
  for (let i = 0; i < hits.length; i += ROWS_PER_UPSERT) {
    await tx
      .insertInto("rule_hit_stats")
      .values(hits.slice(i, i + ROWS_PER_UPSERT))
      .onConflict((conflict) =>
        conflict.columns(["rule_set", "hour", "version", "rule"]).doUpdateSet((eb) => ({
          hits: eb("rule_hit_stats.hits", "+", eb.ref("excluded.hits")),
        })),
      )
      .execute();
  }
}
