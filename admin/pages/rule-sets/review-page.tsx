import { A } from "@solidjs/router";
import { createMemo, Show } from "solid-js";
import { useAuth } from "../../auth.tsx";
import { useI18n } from "../../i18n/index.tsx";
import { FormError, NoteField } from "../../ui/field.tsx";
import { createReviewDecision, ReviewSubmission, ReviewVerdictButtons } from "../rule-set/review-decision.tsx";
import { createTestRun, TestRunSummary } from "../rule-set/review-test-run.tsx";
import { DraftEffect } from "../rule-set/analysis-findings.tsx";
import { reviewActions } from "../rule-set/review-state.ts";
import { useRuleSet } from "../rule-set/rule-set-context.tsx";
import "../rule-set/review.css";
import { diffDefinitions, type Definition } from "../versions/version-diff.ts";
import { DraftTestCaseChanges } from "../versions/version-diff-tests-view.tsx";
import { VersionDiffView } from "../versions/version-diff-view.tsx";
import "../versions/versions.css";
import "./rule-sets.css";

const nothing: Definition = { defaults: {}, conditions: {}, rules: [] };

/**
 * The read-only review a reviewer lands on from 待你审核 (`/rule-sets/:key/review`): who submitted the draft and why,
 * what it changes against the active version (rules and test cases), its test cases' result, and approve or reject
 * with a comment. Nothing here edits the rules.
 */
export function ReviewPage() {
  const { t } = useI18n();
  const state = useRuleSet();
  const auth = useAuth();
  const decision = createReviewDecision();
  const allowed = () => {
    const detail = state.detail();
    return detail ? reviewActions(detail, { username: auth.user()?.username, can: auth.can }) : undefined;
  };
  const pending = () => allowed()?.review === true || allowed()?.reviewByAnother === true;
  const tests = createTestRun(state.key, pending);
  const active = () => state.detail()?.active ?? null;
  const diff = createMemo(() => {
    const detail = state.detail();
    return pending() && detail ? diffDefinitions(detail.active ?? nothing, detail.draft) : undefined;
  });

  return (
    <section class="review-page" aria-labelledby="review-page-title" data-testid="review-page">
      <h2 id="review-page-title">{t("review.page.title")}</h2>
      <p class="review-page-readonly">{t("review.page.readOnly")}</p>
      <Show
        when={pending()}
        fallback={
          <div class="review-page-closed">
            <p>{t("review.page.notPending")}</p>
            <A href={`/rule-sets/${state.key()}`}>{t("review.page.toRules")}</A>
          </div>
        }
      >
        <ReviewSubmission />
        <h3>
          {active()
            ? t("review.decide.changesAgainst", { version: active()!.version })
            : t("review.decide.firstVersion")}
        </h3>
        <div class="review-page-diff">
          <Show when={diff()}>{(loaded) => <VersionDiffView diff={loaded()} />}</Show>
          <DraftTestCaseChanges ruleSetKey={state.key()} activeVersion={active()?.version ?? null} open={pending()} />
        </div>
        <h3>{t("review.decide.tests")}</h3>
        <TestRunSummary run={tests.run} retry={tests.refetch} ruleSetKey={state.key()} onLeave={() => undefined} />
        <DraftEffect open={pending()} />
        <Show when={allowed()?.review} fallback={<p class="review-another">{t("review.page.notYou")}</p>}>
          <div class="review-page-decide">
            <NoteField
              label={t("review.decide.comment")}
              value={decision.comment()}
              onInput={decision.setComment}
              placeholder={t("review.decide.commentPlaceholder")}
            />
            <FormError error={decision.error()} />
            <div class="row review-page-actions">
              <ReviewVerdictButtons decision={decision} blocked={tests.blocks()} />
            </div>
          </div>
        </Show>
      </Show>
    </section>
  );
}
