import { For, Show } from "solid-js";
import { fieldProblemText, type ShownProblem } from "../../ui/problem-text.ts";
import { useI18n } from "../../i18n/index.tsx";
import { Button } from "../../ui/button.tsx";
import { pathWords } from "../simulator/case-schema.ts";
import { DecisionValue, FiredRules } from "../simulator/decision-view.tsx";
import type { RunRecord, Status, TestCaseResult, WorkingCase } from "./test-cases-model.ts";

/** Which fields differ, expected against actual, in words: "退货运费: 期望 买家承担，实际 卖家承担". */
export function MismatchList(props: { result: TestCaseResult }) {
  const i18n = useI18n();
  const { t } = i18n;
  return (
    <ul class="test-diff" aria-label={t("tests.diff")}>
      <For each={props.result.mismatches}>
        {(mismatch) => (
          <li class="test-diff-row" data-field={mismatch.field}>
            <strong>{i18n.field(mismatch.field)}</strong>: {t("tests.diff.expected")}{" "}
            <span class="diff-expected">
              <DecisionValue field={mismatch.field} value={mismatch.expected} />
            </span>
            {t("tests.diff.separator")}
            {t("tests.diff.actual")}{" "}
            <span class="diff-actual">
              <DecisionValue field={mismatch.field} value={mismatch.actual} />
            </span>
          </li>
        )}
      </For>
    </ul>
  );
}

type Props = {
  testCase: WorkingCase;
  status: Status;
  record?: RunRecord;
  /** The save's errors for this case, with paths from the case ("facts.order.status", "expect.channel"). */
  errors?: readonly ShownProblem[];
  onEdit: () => void;
  onDuplicate: () => void;
  onDelete: () => void;
  onAccept: () => void;
};

/** One test case: what it expects and, once run, whether the draft agrees — and where not, how. */
export function TestCaseCard(props: Props) {
  const i18n = useI18n();
  const { t } = i18n;
  const statusText = () =>
    props.status === "pass"
      ? t("tests.status.pass")
      : props.status === "fail"
        ? t("tests.status.fail")
        : props.record
          ? t("tests.status.changed")
          : t("tests.status.notRun");
  const badge = () => (props.status === "pass" ? "badge-ok" : props.status === "fail" ? "badge-danger" : "badge-muted");
  const errorWords = (path: string) => {
    if (path === "name") return t("tests.name");
    if (path.startsWith("facts.")) return `${t("tests.facts")} › ${pathWords(path.slice(6), i18n)}`;
    if (path.startsWith("expect.")) return `${t("tests.expect")} › ${i18n.field(path.slice(7))}`;
    return path || t("tests.wholeCase");
  };
  return (
    <article
      class={`card test-case test-case-${props.status}`}
      aria-label={props.testCase.name}
      data-status={props.status}
    >
      <header class="row test-case-head">
        <span class={`badge ${badge()}`}>{statusText()}</span>
        <h3 class="test-case-name">{props.testCase.name}</h3>
        <span class="spacer" />
        <Button class="btn-small" onClick={props.onEdit}>
          {t("tests.edit")}
        </Button>
        <Button class="btn-small" onClick={props.onDuplicate}>
          {t("tests.duplicate")}
        </Button>
        <Button class="btn-small" variant="danger" onClick={props.onDelete}>
          {t("action.delete")}
        </Button>
      </header>

      <dl class="test-expect">
        <dt class="muted">{t("tests.expect")}</dt>
        <dd>
          <Show
            when={Object.keys(props.testCase.expect).length > 0}
            fallback={<span class="muted">{t("tests.expectNothing")}</span>}
          >
            <For each={Object.entries(props.testCase.expect)}>
              {([field, value]) => (
                <span class="expect-chip">
                  {i18n.field(field)}: <DecisionValue field={field} value={value} />
                </span>
              )}
            </For>
          </Show>
        </dd>
      </dl>

      <Show when={props.status === "fail" && props.record}>
        {(record) => (
          <div class="test-failure">
            <MismatchList result={record().result} />
            <Button class="btn-small" variant="primary" onClick={props.onAccept}>
              {t("tests.accept")}
            </Button>
          </div>
        )}
      </Show>
      <Show when={props.status === "pass" && props.record?.accepted}>
        <p class="muted test-note">{t("tests.acceptedNote")}</p>
      </Show>
      <Show when={props.status === "pending" && props.record}>
        <p class="muted test-note">{t("tests.changedNote")}</p>
      </Show>
      <Show when={props.status !== "pending" && props.record}>
        {(record) => <FiredRules rules={record().result.firedRules} />}
      </Show>

      <Show when={(props.errors?.length ?? 0) > 0}>
        <div class="form-error test-errors" role="alert">
          <p>{t("tests.caseErrors")}</p>
          <ul>
            <For each={props.errors}>
              {(problem) => (
                <li>
                  {errorWords(problem.path)}: {fieldProblemText(problem, t)}
                </li>
              )}
            </For>
          </ul>
        </div>
      </Show>
    </article>
  );
}
