import type { ShownProblem } from "../../ui/problem-text.ts";
import { splitPath } from "../../../shared/dotted-path.ts";
import type { Condition, RuleInput } from "../../../shared/rules.ts";

/**
 * The server's 422 problems, put where they belong: each `rules.N.…` problem at rule N's card
 * (kept by the rule itself, so it follows the rule when the list is reordered), the rest in a list
 * above the rules. Paths inside a card are relative to the rule: "conditions.all.0.value".
 */

export type RuleProblem = ShownProblem;

/** The messages at one path (`at`), or at a path and everything below it (`under`). */
export type ErrorsAt = { at: (path: string) => string[]; under: (path: string) => string[] };

/** `text` says a problem in the user's language (fieldProblemText); without it, the message as sent. */
export function errorsOf(
  problems: readonly RuleProblem[],
  text: (problem: RuleProblem) => string = (p) => p.message,
): ErrorsAt {
  return {
    at: (path) => problems.filter((p) => p.path === path).map(text),
    under: (path) => problems.filter((p) => p.path === path || p.path.startsWith(`${path}.`)).map(text),
  };
}

export const noErrors: ErrorsAt = { at: () => [], under: () => [] };

export type DraftProblems = { general: ShownProblem[]; byRule: Map<RuleInput, RuleProblem[]> };

export const noProblems = (): DraftProblems => ({ general: [], byRule: new Map() });

/** Sorts the problems of a save by the rule they concern; `rules` is the list as it was sent. */
export function sortProblems(problems: readonly ShownProblem[], rules: readonly RuleInput[]): DraftProblems {
  const sorted = noProblems();
  for (const problem of problems) {
    const match = /^rules\.(\d+)(?:\.(.+))?$/.exec(problem.path);
    const rule = match ? rules[Number(match[1])] : undefined;
    if (!match || !rule) {
      sorted.general.push(problem);
      continue;
    }
    const list = sorted.byRule.get(rule) ?? [];
    list.push({ ...problem, path: match[2] ?? "" });
    sorted.byRule.set(rule, list);
  }
  return sorted;
}

const leafFields = new Set(["fact", "path", "operator", "value"]);

/** Whether the condition tree has an input for `segments` (after "conditions"). */
function conditionShows(node: Condition | undefined, segments: string[]): boolean {
  let current: unknown = node;
  let i = 0;
  while (i < segments.length && typeof current === "object" && current !== null) {
    const segment = segments[i]!;
    if ((segment === "all" || segment === "any") && segment in current) {
      const children = (current as Record<string, unknown>)[segment];
      const child = Array.isArray(children) ? children[Number(segments[i + 1])] : undefined;
      if (child === undefined) return i + 1 === segments.length;
      current = child;
      i += 2;
    } else if (segment === "not" && "not" in current) {
      current = (current as { not: unknown }).not;
      i += 1;
    } else break;
  }
  const rest = segments.slice(i);
  if (rest.length === 0) return true;
  if (rest.length > 1 || typeof current !== "object" || current === null) return false;
  return "condition" in current ? rest[0] === "condition" : leafFields.has(rest[0]!);
}

/**
 * Whether an input of the rule's card shows a problem at `path`; the others are listed at the top
 * of the card, so that no message is lost.
 */
export function shownAtField(path: string, rule: RuleInput, outcomeFields: readonly string[]): boolean {
  if (path === "name" || path === "description" || path === "priority") return true;
  const segments = splitPath(path);
  if (segments[0] === "conditions") return conditionShows(rule.conditions as Condition, segments.slice(1));
  if (
    segments[0] === "event" &&
    segments[1] === "params" &&
    segments[2] !== undefined &&
    outcomeFields.includes(segments[2])
  ) {
    const value = rule.event.params?.[segments[2]];
    if (segments[3] === undefined || !Array.isArray(value)) return true;
    return Number(segments[3]) < value.length;
  }
  return false;
}
