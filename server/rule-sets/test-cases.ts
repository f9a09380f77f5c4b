import type { PeriodSettings } from "../../shared/periods.ts";
import { isDeepStrictEqual } from "node:util";
import type { FieldProblem } from "../../shared/api.ts";
import { CaseFacts } from "../../shared/case-facts.ts";
import { ruleSetKinds, type RuleSetKind } from "../../shared/outputs.ts";
import type { TestCase } from "../../shared/rules.ts";
import type { Decider } from "../engine/decider.ts";
import { joinPath } from "../../shared/dotted-path.ts";
import { fieldProblem, issueCode } from "../../shared/problems.ts";

/** A field that differs from its expectation, and what set its actual value: a rule's name, `default` or `computed`. */
export type Mismatch = { field: string; expected: unknown; actual: unknown; setBy: string };
export type TestCaseResult = { name: string; passed: boolean; mismatches: Mismatch[]; firedRules: string[] };

/** Problems with test cases as stored: facts that break the case schema, expectations of fields the decision lacks. */
export function validateTestCases(kind: RuleSetKind, testCases: readonly TestCase[]): FieldProblem[] {
  const fields = Object.keys(ruleSetKinds[kind].decision.shape);
  const problems: FieldProblem[] = [];
  testCases.forEach((testCase, index) => {
    const facts = CaseFacts.safeParse(testCase.facts);
    if (!facts.success) {
      for (const issue of facts.error.issues) {
        problems.push({
          path: joinPath([`testCases.${index}.facts`, ...issue.path]),
          ...issueCode(issue),
          message: issue.message,
        });
      }
    }
    // a case that checks nothing always passes: it would prove nothing and hide that it does
    if (Object.keys(testCase.expect).length === 0) {
      problems.push(
        fieldProblem(
          `testCases.${index}.expect`,
          "empty_expectation",
          { fields },
          `a test case must check at least one decision field: ${fields.join(", ")}`,
        ),
      );
    }
    for (const field of Object.keys(testCase.expect)) {
      if (!fields.includes(field)) {
        problems.push(
          fieldProblem(
            `testCases.${index}.expect.${field}`,
            "unknown_field",
            { field, fields },
            `the decision has no field "${field}"; fields are ${fields.join(", ")}`,
          ),
        );
      }
    }
  });
  return problems;
}

/**
 * Runs each test case against a decider, at its `now` or else `nowMs`: a case passes when every expected field is
 * equal; each mismatch says which rule (or default, or computation) set the actual value.
 */
export async function runTestCases(
  decider: Decider,
  testCases: readonly TestCase[],
  nowMs: number,
  periods: PeriodSettings,
): Promise<TestCaseResult[]> {
  const results: TestCaseResult[] = [];
  for (const testCase of testCases) {
    const facts = CaseFacts.parse(testCase.facts);
    const now = facts.now === undefined ? nowMs : Date.parse(facts.now);
    const { decision, firedRules, provenance } = decider.decide(facts, {
      trace: false,
      nowMs: now,
      provenance: true,
      periods,
    });
    const mismatches = Object.entries(testCase.expect)
      .filter(([field, expected]) => !isDeepStrictEqual(decision[field], expected))
      .map(([field, expected]) => ({
        field,
        expected,
        actual: decision[field],
        setBy: provenance![field] ?? "computed",
      }));
    results.push({ name: testCase.name, passed: mismatches.length === 0, mismatches, firedRules });
  }
  return results;
}
