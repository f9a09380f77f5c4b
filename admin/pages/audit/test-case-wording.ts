import type { ExpectationChange } from "../../../shared/test-case-changes.ts";
import type { I18n } from "../../i18n/index.tsx";
import { expectationChangeWords } from "../tests/expected-value.ts";

type Words = Pick<I18n, "t" | "lang" | "field" | "value" | "timer" | "label">;
type Changed = { name: string; expect: ExpectationChange[]; factsChanged: boolean };

const names = (value: unknown): string[] =>
  Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : [];

function changedCases(value: unknown): Changed[] {
  if (!Array.isArray(value)) return [];
  return value.flatMap((item: unknown) => {
    if (item === null || typeof item !== "object") return [];
    const { name, expect, factsChanged } = item as Record<string, unknown>;
    if (typeof name !== "string") return [];
    const changes = Array.isArray(expect)
      ? expect.filter(
          (c: unknown): c is ExpectationChange =>
            c !== null && typeof c === "object" && typeof (c as { field?: unknown }).field === "string",
        )
      : [];
    return [{ name, expect: changes, factsChanged: factsChanged === true }];
  });
}

/** At most five cases named in a sentence, then "等 N 项". */
const SHOWN = 5;

/**
 * The parts of a test-cases change as an audit sentence reads them: the cases added, removed, and
 * each changed case with how — "修改用例“…”（期望 退货运费：买家承担 → 卖家承担）". Entries from
 * before the audit recorded changes (names before and after only) still give the cases added and removed.
 */
export function testCaseChangeParts(detail: Record<string, unknown>, i18n: Words): string[] {
  const { t } = i18n;
  const before = names(detail.before);
  const after = names(detail.after);
  const added = Array.isArray(detail.added) ? names(detail.added) : after.filter((n) => !before.includes(n));
  const removed = Array.isArray(detail.removed) ? names(detail.removed) : before.filter((n) => !after.includes(n));
  const list = (items: string[]) => {
    const shown = items.slice(0, SHOWN).join(t("audit.said.listSep"));
    return items.length > SHOWN ? `${shown} ${t("audit.said.more", { count: items.length - SHOWN })}` : shown;
  };
  const changed = changedCases(detail.changed);
  const changedWords = changed.slice(0, SHOWN).map((c) =>
    t("audit.said.caseChanged", {
      name: c.name,
      how: [
        ...c.expect.map((change) => expectationChangeWords(change, i18n)),
        ...(c.factsChanged ? [t("tests.change.facts")] : []),
      ].join(t("audit.said.howSep")),
    }),
  );
  return [
    ...(added.length > 0 ? [t("audit.said.casesAdded", { names: list(added) })] : []),
    ...(removed.length > 0 ? [t("audit.said.casesRemoved", { names: list(removed) })] : []),
    ...changedWords,
    ...(changed.length > SHOWN ? [t("audit.said.more", { count: changed.length - SHOWN })] : []),
  ];
}
