import { createEffect, createResource, createSignal, For, Match, onCleanup, Show, Switch, untrack } from "solid-js";
import type { RuleSetSummary } from "../../../shared/api.ts";
import { api, call } from "../../api.ts";
import { businessNow } from "../../business-zone.ts";
import { useAuth } from "../../auth.tsx";
import { useI18n } from "../../i18n/index.tsx";
import { Button } from "../../ui/button.tsx";
import { Dialog } from "../../ui/dialog.tsx";
import { problemText } from "../../ui/problem-text.ts";
import { useToast } from "../../ui/toast.tsx";
import { useRuleSet } from "./rule-set-context.tsx";
import { actorName } from "../../ui/actor-name.ts";
import { draftStanding, reviewState } from "./review-state.ts";
import "./review.css";
import { FormError } from "../../ui/field.tsx";

/** A scheduled policy as GET /schedules lists it. */
export type Schedule = {
  id: string;
  version: number;
  startsAt: string;
  endsAt: string | null;
  handBackVersion: number | null;
  status: "scheduled" | "active" | "ended" | "cancelled";
};

type Props = {
  summary: Pick<
    RuleSetSummary,
    "draftDiffers" | "review" | "fourEyes" | "activeVersion" | "nextSchedule" | "publishedAt"
  >;
  schedules: readonly Schedule[];
  canCancel: boolean;
  onCancel: (schedule: Schedule) => void;
};

/**
 * Where the draft stands — unchanged, edited, waiting for review, approved, rejected, withdrawn —
 * and what is scheduled to start or end. `data-state` is the review status of the current draft.
 */
export function ReviewStatusView(props: Props) {
  const { t, formatDateTime } = useI18n();
  const standing = () => draftStanding(props.summary);
  const review = () => props.summary.review;
  const upcoming = () =>
    props.schedules.filter((s) => s.status === "scheduled" || (s.status === "active" && s.endsAt !== null));
  return (
    <div
      class={`review-status review-status-${standing()}`}
      data-testid="review-status"
      data-state={reviewState(props.summary)}
      role="status"
    >
      <p class="review-status-line">
        <Switch>
          <Match when={standing() === "same"}>{t("review.status.same")}</Match>
          <Match when={standing() === "changed"}>
            {props.summary.fourEyes ? t("review.status.changed") : t("review.status.changedNoReview")}
          </Match>
          <Match when={standing() === "pending"}>
            {t("review.status.pending", {
              who: actorName(review()!.submittedBy, t),
              when: formatDateTime(review()!.submittedAt),
            })}
            <span class="review-status-note">
              {review()!.note ? t("review.status.note", { note: review()!.note }) : t("review.noNote")}
            </span>
          </Match>
          <Match when={standing() === "approved"}>
            {t("review.status.approved", {
              who: actorName(review()!.reviewedBy, t),
              when: formatDateTime(review()!.reviewedAt!),
            })}
            <Show when={review()!.comment}>
              <span class="review-status-note">{t("review.status.comment", { comment: review()!.comment! })}</span>
            </Show>
          </Match>
          <Match when={standing() === "rejected"}>
            {t("review.status.rejected", {
              who: actorName(review()!.reviewedBy, t),
              comment: review()!.comment || t("review.noComment"),
            })}
          </Match>
          <Match when={standing() === "withdrawn"}>
            {review()!.reviewedBy ? t("review.status.withdrawnApproved") : t("review.status.withdrawnPending")}
          </Match>
          <Match when={standing() === "scheduled"}>{t("review.status.scheduledDraft")}</Match>
        </Switch>
      </p>
      <Show when={upcoming().length > 0}>
        <ul class="review-schedules" aria-label={t("review.schedules")}>
          <For each={upcoming()}>
            {(schedule) => (
              <li data-schedule={schedule.id} data-status={schedule.status}>
                <span class={`badge ${schedule.status === "active" ? "badge-ok" : "badge-muted"}`}>
                  {t(schedule.status === "active" ? "review.schedule.inEffect" : "review.schedule.waiting")}
                </span>
                <span>{scheduleText(schedule, props.summary.activeVersion)}</span>
                <Show when={schedule.status === "scheduled" && props.canCancel}>
                  <Button
                    class="btn-small"
                    title={t("review.schedule.cancelTitle", { version: schedule.version })}
                    onClick={() => props.onCancel(schedule)}
                  >
                    {t("action.cancel")}
                  </Button>
                </Show>
              </li>
            )}
          </For>
        </ul>
      </Show>
    </div>
  );

  function scheduleText(schedule: Schedule, active: number | null): string {
    const start = formatDateTime(schedule.startsAt);
    if (schedule.status === "active") {
      return schedule.handBackVersion === null
        ? t("review.schedule.activeEndsNoHandBack", {
            version: schedule.version,
            end: formatDateTime(schedule.endsAt!),
          })
        : t("review.schedule.activeEnds", {
            version: schedule.version,
            end: formatDateTime(schedule.endsAt!),
            back: schedule.handBackVersion,
          });
    }
    if (schedule.endsAt === null) return t("review.schedule.starts", { version: schedule.version, start });
    // the version to come back is whichever is active when the schedule starts: today's, unless something else is published first
    return active === null
      ? t("review.schedule.startsEndsNoHandBack", {
          version: schedule.version,
          start,
          end: formatDateTime(schedule.endsAt),
        })
      : t("review.schedule.startsEnds", {
          version: schedule.version,
          start,
          end: formatDateTime(schedule.endsAt),
          back: active,
        });
  }
}

/** The status strip of the rule set frame, with cancelling of schedules that have not started. */
export function ReviewStatus() {
  const { t } = useI18n();
  const state = useRuleSet();
  const auth = useAuth();
  const toast = useToast();
  const [schedules, { refetch }] = createResource(
    () => state.detail(),
    async (detail) =>
      (await call(api["rule-sets"][":key"].schedules.$get({ param: { key: detail.key } }))).schedules as Schedule[],
  );
  const [cancelling, setCancelling] = createSignal<Schedule>();
  const [busy, setBusy] = createSignal(false);
  const [error, setError] = createSignal<string>();

  // a schedule starts or ends on the server's clock: look again just after it did
  createEffect(() => {
    const next = state.detail()?.nextSchedule;
    if (!next) return;
    const at = Date.parse(next.status === "scheduled" ? next.startsAt : (next.endsAt ?? ""));
    const wait = at - untrack(businessNow).getTime() + 2000;
    if (!Number.isFinite(wait) || wait > 24 * 3600_000) return;
    const timer = setTimeout(() => void state.refetch(), Math.max(wait, 1000));
    onCleanup(() => clearTimeout(timer));
  });

  const closeCancel = () => {
    setCancelling(undefined);
    setError(undefined);
  };
  const cancel = async () => {
    const schedule = cancelling();
    if (!schedule) return;
    setBusy(true);
    try {
      await call(api["rule-sets"][":key"].schedules[":id"].$delete({ param: { key: state.key(), id: schedule.id } }));
      closeCancel();
      toast("success", t("review.schedule.cancelled", { version: schedule.version }));
      await Promise.all([state.refetch(), refetch()]);
    } catch (e) {
      setError(problemText(e, t));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Show when={state.detail()}>
      {(detail) => (
        <>
          <ReviewStatusView
            summary={detail()}
            schedules={schedules.latest ?? []}
            canCancel={auth.can("rules:publish")}
            onCancel={setCancelling}
          />
          <Dialog
            open={cancelling() !== undefined}
            title={t("review.schedule.cancelQuestion", { version: cancelling()?.version ?? "" })}
            onClose={closeCancel}
            actions={
              <>
                <Button onClick={closeCancel}>{t("review.schedule.keep")}</Button>
                <Button variant="danger" busy={busy()} onClick={cancel}>
                  {t("review.schedule.confirmCancel")}
                </Button>
              </>
            }
          >
            <p>{t("review.schedule.cancelExplain", { version: cancelling()?.version ?? "" })}</p>
            <FormError error={error()} />
          </Dialog>
        </>
      )}
    </Show>
  );
}
