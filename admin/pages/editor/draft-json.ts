import stringify from "safe-stable-stringify";
import type { RuleInput } from "../../../shared/rules.ts";
import type { MessageKey } from "../../i18n/index.tsx";

/**
 * The draft as the JSON view shows it — defaults, shared conditions, rules — and the check that
 * text typed there has the shape the visual editor can show. Everything finer (names, facts,
 * operators, values) is the server's to judge on save, with the path of each problem.
 */

export type DraftContent = {
  defaults: Record<string, unknown>;
  conditions: Record<string, unknown>;
  rules: RuleInput[];
};

export function draftText(draft: DraftContent): string {
  return JSON.stringify({ defaults: draft.defaults, conditions: draft.conditions, rules: draft.rules }, null, 2);
}

/** Whether two texts hold the same JSON, whatever the spacing and key order. */
export function sameJson(a: string, b: string): boolean {
  if (a === b) return true;
  try {
    return stringify(JSON.parse(a)) === stringify(JSON.parse(b));
  } catch {
    return false;
  }
}

export type DraftTextProblem = { key: MessageKey; vars?: Record<string, string | number> };
export type ReadDraft = { ok: true; draft: DraftContent } | { ok: false; problem: DraftTextProblem };

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

function isConditionTree(node: unknown, depth = 0): boolean {
  if (!isObject(node) || depth > 64) return false;
  if ("all" in node) return Array.isArray(node.all) && node.all.every((child) => isConditionTree(child, depth + 1));
  if ("any" in node) return Array.isArray(node.any) && node.any.every((child) => isConditionTree(child, depth + 1));
  if ("not" in node) return isConditionTree(node.not, depth + 1);
  return true;
}

function isTopLevel(node: unknown): boolean {
  return (
    isObject(node) && ("all" in node || "any" in node || "not" in node || "condition" in node) && isConditionTree(node)
  );
}

/** Parses the JSON view's text; answers the draft, or the first reason the editor cannot show it. */
export function readDraftText(text: string): ReadDraft {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return {
      ok: false,
      problem: { key: "json.parseError", vars: { message: error instanceof Error ? error.message : String(error) } },
    };
  }
  if (!isObject(value)) return { ok: false, problem: { key: "json.shapeRoot" } };
  for (const field of ["defaults", "conditions"] as const) {
    if (value[field] !== undefined && !isObject(value[field]))
      return { ok: false, problem: { key: "json.shapeMap", vars: { field } } };
  }
  const shared = Object.entries((value.conditions as Record<string, unknown> | undefined) ?? {}).find(
    ([, condition]) => !isTopLevel(condition),
  );
  if (shared) return { ok: false, problem: { key: "json.shapeMap", vars: { field: `conditions.${shared[0]}` } } };
  if (!Array.isArray(value.rules)) return { ok: false, problem: { key: "json.shapeRules" } };
  const bad = value.rules.findIndex(
    (rule) => !isObject(rule) || !isTopLevel(rule.conditions) || !isObject(rule.event) || !isObject(rule.event.params),
  );
  if (bad >= 0) return { ok: false, problem: { key: "json.shapeRule", vars: { index: bad } } };
  return {
    ok: true,
    draft: {
      defaults: (value.defaults as Record<string, unknown> | undefined) ?? {},
      conditions: (value.conditions as Record<string, unknown> | undefined) ?? {},
      rules: value.rules as RuleInput[],
    },
  };
}
