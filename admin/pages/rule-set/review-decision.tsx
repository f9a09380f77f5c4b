import { createSignal, Show } from "solid-js";
import { api, call } from "../../api.ts";
import { useI18n } from "../../i18n/index.tsx";
import { actorName } from "../../ui/actor-name.ts";
import { Button } from "../../ui/button.tsx";
import { isProblem, problemText } from "../../ui/problem-text.ts";
import { useToast } from "../../ui/toast.tsx";
import { useRuleSet } from "./rule-set-context.tsx";

/**
 * Approving or rejecting the pending review, for the review dialog and the read-only review page alike: the comment, a
 * rejection's required reason, the call, and its refusals in plain words. `onDecided` runs after a verdict is saved.
 */
export function createReviewDecision(options: { onDecided?: () => void } = {}) {
  const { t } = useI18n();
  const state = useRuleSet();
  const toast = useToast();
  const [comment, setComment] = createSignal("");
  const [busy, setBusy] = createSignal<"approve" | "reject">();
  const [error, setError] = createSignal<string>();

  const decide = async (approve: boolean) => {
    if (!approve && comment().trim() === "") {
      setError(t("review.decide.reasonRequired"));
      return;
    }
    setBusy(approve ? "approve" : "reject");
    setError(undefined);
    try {
      await call(
        api["rule-sets"][":key"].review.$post({
          param: { key: state.key() },
          json: { approve, comment: comment().trim() },
        }),
      );
      setComment("");
      options.onDecided?.();
      toast("success", t(approve ? "review.decide.approved" : "review.decide.rejected"));
      await state.refetch();
    } catch (e) {
      // the server names who may not review in English; the reviewer gets it in plain words
      setError(isProblem(e, 403) ? t("review.decide.notYou") : problemText(e, t));
      if (isProblem(e, 409)) void state.refetch();
    } finally {
      setBusy(undefined);
    }
  };

  return { comment, setComment, busy, error, setError, decide };
}

/** 驳回 and 批准; approving waits while the draft's test cases are failing or still running (`blocked`). */
export function ReviewVerdictButtons(props: { decision: ReturnType<typeof createReviewDecision>; blocked: boolean }) {
  const { t } = useI18n();
  const busy = () => props.decision.busy();
  return (
    <>
      <Button
        variant="danger"
        busy={busy() === "reject"}
        disabled={busy() !== undefined}
        onClick={() => props.decision.decide(false)}
      >
        {t("review.decide.reject")}
      </Button>
      <Button
        variant="primary"
        busy={busy() === "approve"}
        disabled={busy() !== undefined || props.blocked}
        onClick={() => props.decision.decide(true)}
      >
        {t("review.decide.approve")}
      </Button>
    </>
  );
}

/** Who submitted the draft for review and when, with their note: what the review dialog and the review page open with. */
export function ReviewSubmission() {
  const { t, formatDateTime } = useI18n();
  const state = useRuleSet();
  return (
    <Show when={state.detail()?.review}>
      {(r) => (
        <div class="review-submission">
          <p>
            {t("review.decide.submitted", {
              who: actorName(r().submittedBy, t),
              when: formatDateTime(r().submittedAt),
            })}
          </p>
          <p class="review-note">{r().note || t("review.noNote")}</p>
        </div>
      )}
    </Show>
  );
}
