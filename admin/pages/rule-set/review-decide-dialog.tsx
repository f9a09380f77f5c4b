import { createMemo, Show } from "solid-js";
import { useI18n } from "../../i18n/index.tsx";
import { Button } from "../../ui/button.tsx";
import { Dialog } from "../../ui/dialog.tsx";
import { diffDefinitions, type Definition } from "../versions/version-diff.ts";
import { VersionDiffView } from "../versions/version-diff-view.tsx";
import { DraftTestCaseChanges } from "../versions/version-diff-tests-view.tsx";
import "../versions/versions.css";
import { useRuleSet } from "./rule-set-context.tsx";
import { createReviewDecision, ReviewSubmission, ReviewVerdictButtons } from "./review-decision.tsx";
import { createTestRun, TestRunSummary } from "./review-test-run.tsx";
import { DraftEffect } from "./analysis-findings.tsx";
import { FormError, NoteField } from "../../ui/field.tsx";

const nothing: Definition = { defaults: {}, conditions: {}, rules: [] };

/**
 * Four-eyes, step two: a publisher who did not edit the draft sees what it changes against the
 * active version, and the test cases' result, and approves or rejects it with a comment.
 */
export function ReviewDialog(props: { open: boolean; onClose: () => void }) {
  const { t } = useI18n();
  const state = useRuleSet();
  const tests = createTestRun(state.key, () => props.open);
  const active = () => state.detail()?.active ?? null;
  const diff = createMemo(() => {
    const detail = state.detail();
    return props.open && detail ? diffDefinitions(detail.active ?? nothing, detail.draft) : undefined;
  });

  const close = () => {
    decision.setError(undefined);
    props.onClose();
  };
  const decision = createReviewDecision({ onDecided: close });

  return (
    <Dialog
      open={props.open}
      wide
      title={t("review.decide.title")}
      onClose={close}
      actions={
        <>
          <Button onClick={close}>{t("action.cancel")}</Button>
          <ReviewVerdictButtons decision={decision} blocked={tests.blocks()} />
        </>
      }
    >
      <ReviewSubmission />
      <h3>
        {active() ? t("review.decide.changesAgainst", { version: active()!.version }) : t("review.decide.firstVersion")}
      </h3>
      <div class="review-diff">
        <Show when={diff()}>{(loaded) => <VersionDiffView diff={loaded()} />}</Show>
      </div>
      {/* an expectation rewritten to make a test pass is part of what the reviewer approves */}
      <div class="review-diff review-test-diff">
        <DraftTestCaseChanges ruleSetKey={state.key()} activeVersion={active()?.version ?? null} open={props.open} />
      </div>
      <h3>{t("review.decide.tests")}</h3>
      <TestRunSummary run={tests.run} retry={tests.refetch} ruleSetKey={state.key()} onLeave={close} />
      <DraftEffect open={props.open} onLeave={close} />
      <NoteField
        label={t("review.decide.comment")}
        value={decision.comment()}
        onInput={decision.setComment}
        placeholder={t("review.decide.commentPlaceholder")}
      />
      <FormError error={decision.error()} />
    </Dialog>
  );
}
