import stringify from "safe-stable-stringify";
import type { TestCase } from "./rules.ts";

/**
 * What changed between two lists of test cases (a replace, or a version and the draft), matched
 * by name: the cases added and removed, and for a case on both sides each expected field before →
 * after and whether its facts changed. The audit log records it; the review shows it.
 */

const same = (a: unknown, b: unknown) => stringify(a) === stringify(b);

/** One expected field changed: absent `before` means newly checked, absent `after` no longer checked. */
export type ExpectationChange = { field: string; before?: unknown; after?: unknown };

/** What a replace of the test cases changed, by name, as the audit log and the review read it. */
export type TestCaseChanges = {
  added: string[];
  removed: string[];
  changed: { name: string; expect: ExpectationChange[]; factsChanged: boolean }[];
};

/** The test cases added, removed and changed (each expectation before → after, and whether the case's facts changed). */
export function testCaseChanges(before: readonly TestCase[], after: readonly TestCase[]): TestCaseChanges {
  const old = new Map(before.map((testCase) => [testCase.name, testCase]));
  const names = new Set(after.map((testCase) => testCase.name));
  const changed: TestCaseChanges["changed"] = [];
  for (const testCase of after) {
    const earlier = old.get(testCase.name);
    if (!earlier) continue;
    const expect: ExpectationChange[] = [];
    for (const field of new Set([...Object.keys(earlier.expect), ...Object.keys(testCase.expect)])) {
      const was = Object.hasOwn(earlier.expect, field);
      const is = Object.hasOwn(testCase.expect, field);
      if (was && is && same(earlier.expect[field], testCase.expect[field])) continue;
      expect.push({
        field,
        ...(was ? { before: earlier.expect[field] } : {}),
        ...(is ? { after: testCase.expect[field] } : {}),
      });
    }
    const factsChanged = !same(earlier.facts, testCase.facts);
    if (expect.length > 0 || factsChanged) changed.push({ name: testCase.name, expect, factsChanged });
  }
  return {
    added: after.filter((testCase) => !old.has(testCase.name)).map((testCase) => testCase.name),
    removed: before.filter((testCase) => !names.has(testCase.name)).map((testCase) => testCase.name),
    changed,
  };
}
