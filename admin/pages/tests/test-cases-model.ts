import stringify from "safe-stable-stringify";
import type { TestCaseResult } from "../../../server/rule-sets/test-cases.ts";
import type { ShownProblem } from "../../ui/problem-text.ts";
import { ruleSetKinds, type RuleSetKind } from "../../../shared/kinds/index.ts";
import type { TestCase } from "../../../shared/rules.ts";

export type { TestCase, TestCaseResult };

/** A test case as the page edits it: `uid` follows it through edits, moves and runs; it is never sent. */
export type WorkingCase = TestCase & { uid: number };

/** The outcome of the last run for one case, and what the case looked like when it ran. */
export type RunRecord = { fingerprint: string; result: TestCaseResult; accepted?: boolean };

export type Status = "pass" | "fail" | "pending";

let nextUid = 1;
export const withUid = (testCase: TestCase): WorkingCase => ({ ...structuredClone(testCase), uid: nextUid++ });
export const withoutUid = (testCase: WorkingCase): TestCase => ({
  name: testCase.name,
  facts: testCase.facts,
  expect: testCase.expect,
});
export const fingerprint = (testCase: TestCase): string =>
  stringify({ name: testCase.name, facts: testCase.facts, expect: testCase.expect }) ?? "";

/** Pass or fail as last run; "pending" when never run or changed since. */
export function statusOf(testCase: WorkingCase, record: RunRecord | undefined): Status {
  if (!record || record.fingerprint !== fingerprint(testCase)) return "pending";
  return record.result.passed ? "pass" : "fail";
}

/** The case with its failing expectations replaced by what the rules decided. */
export function acceptActual(testCase: WorkingCase, result: TestCaseResult): WorkingCase {
  const expect = { ...testCase.expect };
  for (const mismatch of result.mismatches) {
    if (mismatch.actual === undefined) delete expect[mismatch.field];
    else expect[mismatch.field] = structuredClone(mismatch.actual);
  }
  return { ...testCase, expect };
}

/** Where a decided value came from: a rule (with its title when it has one), the defaults, or the contract's computation. */
export type ValueSource =
  | { from: "rules"; rules: { name: string; title?: string }[] }
  | { from: "default" }
  | { from: "computed" };

/** One expectation "accept the actual result" would change: the field, expected → actual, and where the actual came from. */
export type AcceptedChange = { field: string; before: unknown; after: unknown; source: ValueSource };

type RuleLike = { name: string; title?: string; event: { params?: Record<string, unknown> } };

/**
 * What accepting the actual result changes, field by field, with the rule that gave each new
 * value: the run's own word (`setBy`, from the engine's provenance) when the server sends it,
 * else the first fired rule (in evaluation order) that sets the field, every one for a list
 * field, and the defaults when none does.
 */
export function acceptChanges(
  kind: RuleSetKind | undefined,
  result: TestCaseResult,
  rules: readonly RuleLike[],
): AcceptedChange[] {
  const module = kind ? ruleSetKinds[kind] : undefined;
  const byName = new Map(rules.map((rule) => [rule.name, rule]));
  const described = (name: string) => {
    const title = byName.get(name)?.title;
    return title ? { name, title } : { name };
  };
  const derived = (field: string): ValueSource => {
    const computed: readonly string[] = module?.computed ?? [];
    if (computed.includes(field)) return { from: "computed" };
    const setters = result.firedRules.filter((name) => Object.hasOwn(byName.get(name)?.event.params ?? {}, field));
    if (setters.length === 0) return { from: "default" };
    // a list field gathers every fired rule's entries; any other field is the first fired rule's
    return { from: "rules", rules: (module && field in module.lists ? setters : setters.slice(0, 1)).map(described) };
  };
  return result.mismatches.map((mismatch) => {
    const setBy = (mismatch as { setBy?: unknown }).setBy;
    const source: ValueSource =
      setBy === "default" || setBy === "computed"
        ? { from: setBy }
        : typeof setBy === "string"
          ? { from: "rules", rules: [described(setBy)] }
          : derived(mismatch.field);
    return { field: mismatch.field, before: mismatch.expected, after: mismatch.actual, source };
  });
}

/**
 * The save's 422 errors at the cases they concern: "testCases.3.facts.order.items.0.priceFen"
 * becomes "facts.order.items.0.priceFen" of the fourth case. Anything else concerns the whole list.
 */
export function errorsByCase(errors: readonly ShownProblem[]): {
  byIndex: Map<number, ShownProblem[]>;
  other: ShownProblem[];
} {
  const byIndex = new Map<number, ShownProblem[]>();
  const other: ShownProblem[] = [];
  for (const problem of errors) {
    const match = /^testCases\.(\d+)(?:\.(.*))?$/.exec(problem.path);
    if (!match) {
      other.push(problem);
      continue;
    }
    const index = Number(match[1]);
    byIndex.set(index, [...(byIndex.get(index) ?? []), { ...problem, path: match[2] ?? "" }]);
  }
  return { byIndex, other };
}

/** The errors under one part of a case, with paths from that part: "facts.order.status" → "order.status". */
export function errorsUnder(
  errors: readonly ShownProblem[] | undefined,
  part: "facts" | "expect" | "name",
): ShownProblem[] {
  return (errors ?? []).flatMap((problem) => {
    if (problem.path === part) return [{ ...problem, path: part === "facts" ? "(body)" : "" }];
    return problem.path.startsWith(`${part}.`) ? [{ ...problem, path: problem.path.slice(part.length + 1) }] : [];
  });
}

/** A name no other case has: "名称（副本）", "名称（副本 2）" … */
export function copyName(name: string, taken: readonly string[], copyWord: (n: number) => string): string {
  for (let n = 1; ; n++) {
    const candidate = `${name}${copyWord(n)}`;
    if (!taken.includes(candidate)) return candidate;
  }
}

/** Names used by more than one case: results and errors are matched by name, so each must be unique. */
export function duplicateNames(cases: readonly TestCase[]): Set<string> {
  const seen = new Set<string>();
  const duplicates = new Set<string>();
  for (const testCase of cases) {
    if (seen.has(testCase.name)) duplicates.add(testCase.name);
    seen.add(testCase.name);
  }
  return duplicates;
}
