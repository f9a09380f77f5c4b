import { createMemo, createResource, createSignal, For, Show } from "solid-js";
import type { DraftInput } from "../../../shared/api.ts";
import { api, call } from "../../api.ts";
import { useI18n } from "../../i18n/index.tsx";
import { actorName } from "../../ui/actor-name.ts";
import { businessNow } from "../../business-zone.ts";
import { DateTimeInput } from "../../ui/datetime-input.tsx";
import { ConfirmActions, Dialog } from "../../ui/dialog.tsx";
import { Field, FormError, NoteField } from "../../ui/field.tsx";
import { isProblem, problemText } from "../../ui/problem-text.ts";
import { useToast } from "../../ui/toast.tsx";
import { useRuleSet } from "./rule-set-context.tsx";
import { createTestRun, TestRunSummary } from "./review-test-run.tsx";
import { DraftEffect } from "./analysis-findings.tsx";
import "./publish-dialog.css";
import { diffDefinitions, type Definition } from "../versions/version-diff.ts";
import { VersionDiffView } from "../versions/version-diff-view.tsx";
import { DraftTestCaseChanges } from "../versions/version-diff-tests-view.tsx";
import { createVersionLoader } from "../versions/version-loader.ts";
import { type CampaignChoice, campaignRulesInDraft, loadPendingWindows } from "./publish-campaign.ts";
import { brokenInvariants, InvariantRefusal } from "./invariant-refusal.tsx";
import type { InvariantBrokenMembers } from "../../../shared/invariants.ts";

const nothing: Definition = { defaults: {}, conditions: {}, rules: [] };

type Mode = "now" | "later";

/**
 * Publishing the saved draft (approved by another publisher when four-eyes is on): at once, or
 * from a start time; either way optionally until an end time, when the version active before
 * comes back. The test cases run first; the server refuses too while one fails. The dialog shows
 * exactly what goes live (the draft against the active version) and, while a version window is
 * scheduled or running, says so and makes the manager choose what becomes of the window's rules
 * found in the draft: nothing goes live that the manager did not see.
 */
export function PublishDialog(props: { open: boolean; onClose: () => void }) {
  const { t, formatDateTime } = useI18n();
  const state = useRuleSet();
  const toast = useToast();
  const [note, setNote] = createSignal("");
  const [mode, setMode] = createSignal<Mode>("now");
  const [startsAt, setStartsAt] = createSignal<string>();
  const [endsAt, setEndsAt] = createSignal<string>();
  // a start or end typed as no time blocks publishing: the value kept is not the one shown
  const [startValid, setStartValid] = createSignal(true);
  const [endValid, setEndValid] = createSignal(true);
  const [busy, setBusy] = createSignal(false);
  const [error, setError] = createSignal<string>();
  // a case breaks an invariant: which one and the case are shown, not a sentence
  const [broken, setBroken] = createSignal<InvariantBrokenMembers>();
  const tests = createTestRun(state.key, () => props.open);
  const detail = () => state.detail();
  const loadVersion = createVersionLoader(state.key);
  const [windows, { refetch: refetchWindows }] = createResource(
    () => props.open && state.key(),
    (key) => loadPendingWindows(key, loadVersion),
  );
  const diff = createMemo(() => {
    const d = detail();
    return props.open && d ? diffDefinitions(d.active ?? nothing, d.draft) : undefined;
  });
  const campaignRules = () => {
    const d = detail();
    return d ? campaignRulesInDraft(d.draft.rules, d.active, windows() ?? []) : [];
  };
  const [choice, setChoice] = createSignal<CampaignChoice>();
  const [removed, setRemoved] = createSignal<string[]>([]);
  const ruleLabel = (rule: { name?: string; title?: string }) =>
    rule.title ? `${rule.title}（${rule.name}）` : (rule.name ?? "");
  const approvedBy = () =>
    detail()?.fourEyes && detail()?.review?.status === "approved"
      ? actorName(detail()!.review!.reviewedBy, t)
      : undefined;

  /** The schedule's problem in words, checked here because the server treats a past start as "now". */
  const windowProblem = (): { field: "start" | "end"; text: string } | undefined => {
    const now = businessNow().getTime();
    const start = mode() === "later" ? startsAt() : undefined;
    // a start typed as no time says why at its field already
    if (mode() === "later" && !start && startValid()) return { field: "start", text: t("publish.when.startRequired") };
    if (start && Date.parse(start) <= now) return { field: "start", text: t("publish.when.startPast") };
    const end = endsAt();
    if (end && Date.parse(end) <= (start ? Date.parse(start) : now))
      return { field: "end", text: t("publish.when.endBeforeStart") };
    return undefined;
  };
  const [touched, setTouched] = createSignal(false);
  const shownProblem = () => (touched() ? windowProblem() : undefined);

  const close = () => {
    setError(undefined);
    setBroken(undefined);
    setTouched(false);
    setChoice(undefined);
    setRemoved([]);
    props.onClose();
  };

  /** Saves the draft without the window's rules; the dialog then shows what is left to publish. */
  const removeCampaignRules = async () => {
    const d = detail()!;
    const names = new Set(campaignRules().map((rule) => rule.name));
    const body: DraftInput = {
      revision: d.draft.revision,
      rules: d.draft.rules.filter((rule) => !names.has(rule.name)),
      conditions: d.draft.conditions as DraftInput["conditions"],
      defaults: d.draft.defaults,
    };
    await call(api["rule-sets"][":key"].draft.$put({ param: { key: state.key() }, json: body }));
    setRemoved(campaignRules().map(ruleLabel));
    await state.refetch();
    void tests.refetch();
  };

  const publish = async () => {
    setTouched(true);
    if (windowProblem() || !endValid() || (mode() === "later" && !startValid())) return;
    if (campaignRules().length > 0 && choice() === undefined) {
      setError(t("publish.campaign.chooseFirst"));
      return;
    }
    setBusy(true);
    setError(undefined);
    setBroken(undefined);
    if (campaignRules().length > 0 && choice() === "remove") {
      // the manager sees the diff once more, without those rules, before anything goes live
      try {
        await removeCampaignRules();
      } catch (e) {
        setError(problemText(e, t));
      } finally {
        setBusy(false);
      }
      return;
    }
    const activateAt = mode() === "later" ? startsAt() : undefined;
    try {
      const result = await call(
        api["rule-sets"][":key"].publish.$post({
          param: { key: state.key() },
          json: { note: note().trim() || undefined, activateAt, until: endsAt() || undefined },
        }),
      );
      setNote("");
      setMode("now");
      setStartsAt(undefined);
      setEndsAt(undefined);
      close();
      if (result.unchanged) toast("info", t("publish.unchanged", { version: result.version }));
      else if (activateAt && result.scheduled)
        toast(
          "success",
          t("publish.scheduledDone", { version: result.version, when: formatDateTime(result.scheduled.startsAt) }),
        );
      else
        toast(
          "success",
          [
            t("publish.done", { version: result.version }),
            // the server says what this publish means for a window waiting or running: shown, never silent
            ...(result.windows ?? []).map((w) =>
              t(w.effect === "handsBackToThis" ? "publish.done.handsBack" : "publish.done.windowReplaced", {
                version: w.version,
                end: w.endsAt ? formatDateTime(w.endsAt) : "-",
                to: result.version,
              }),
            ),
            // published, but the analysis could not prove these hold within its budget: said, never silent
            ...(result.invariantsUnchecked?.length
              ? [t("invariants.unchecked", { names: result.invariantsUnchecked.join("、") })]
              : []),
          ].join("；"),
        );
      await state.refetch();
    } catch (e) {
      setBroken(brokenInvariants(e));
      if (broken()) setError(undefined);
      else setError(isProblem(e, 409, "review_required") ? t("publish.reviewRequired") : problemText(e, t));
      if (isProblem(e, 422)) void tests.refetch();
      if (isProblem(e, 409)) void state.refetch();
      void refetchWindows();
    } finally {
      setBusy(false);
    }
  };

  const activeVersion = () => detail()?.activeVersion ?? null;

  return (
    <Dialog
      open={props.open}
      wide
      title={t("publish.title")}
      onClose={close}
      actions={
        <ConfirmActions
          onCancel={close}
          onConfirm={publish}
          confirmLabel={
            campaignRules().length > 0 && choice() === "remove"
              ? t("publish.campaign.removeConfirm")
              : t("publish.confirm")
          }
          busy={busy()}
          disabled={tests.blocks() || windows.loading || (campaignRules().length > 0 && choice() === undefined)}
        />
      }
    >
      <Show when={approvedBy()}>
        <p class="review-approved-by">{t("publish.approvedBy", { who: approvedBy()! })}</p>
      </Show>
      <For each={windows() ?? []}>
        {(w) => (
          <div class="publish-window" role="note">
            <p>
              {w.schedule.status === "scheduled"
                ? w.schedule.endsAt
                  ? t("publish.window.scheduled", {
                      version: w.schedule.version,
                      start: formatDateTime(w.schedule.startsAt),
                      end: formatDateTime(w.schedule.endsAt),
                      back: activeVersion() ?? "-",
                    })
                  : t("publish.window.scheduledOpen", {
                      version: w.schedule.version,
                      start: formatDateTime(w.schedule.startsAt),
                    })
                : t("publish.window.running", {
                    version: w.schedule.version,
                    end: w.schedule.endsAt ? formatDateTime(w.schedule.endsAt) : "-",
                    back: w.schedule.handBackVersion ?? "-",
                  })}
            </p>
            <Show when={w.schedule.endsAt}>
              <p class="hint">
                {w.schedule.status === "scheduled" ? t("publish.window.handBackNew") : t("publish.window.runningEnds")}
              </p>
            </Show>
          </div>
        )}
      </For>
      <Show when={campaignRules().length > 0}>
        <div class="publish-campaign-warning" role="alert">
          <p>
            <strong>{t("publish.campaign.warning")}</strong>
          </p>
          <ul>
            <For each={campaignRules()}>{(rule) => <li>{ruleLabel(rule)}</li>}</For>
          </ul>
          <fieldset class="publish-campaign-choice">
            <legend>{t("publish.campaign.choose")}</legend>
            <label>
              <input
                type="radio"
                name="publish-campaign"
                checked={choice() === "remove"}
                onChange={() => setChoice("remove")}
              />{" "}
              {t("publish.campaign.remove")}
            </label>
            <label>
              <input
                type="radio"
                name="publish-campaign"
                checked={choice() === "publish"}
                onChange={() => setChoice("publish")}
              />{" "}
              {t("publish.campaign.publish")}
            </label>
            <label>
              <input type="radio" name="publish-campaign" checked={false} onChange={close} />{" "}
              {t("publish.campaign.cancel")}
            </label>
          </fieldset>
        </div>
      </Show>
      <Show when={removed().length > 0}>
        <p class="publish-removed" role="status">
          {t("publish.campaign.removed", { rules: removed().join("、") })}
        </p>
      </Show>
      <h3>
        {activeVersion() === null ? t("publish.diff.first") : t("publish.diff.against", { version: activeVersion()! })}
      </h3>
      <div class="review-diff publish-diff">
        <Show when={diff()}>{(loaded) => <VersionDiffView diff={loaded()} />}</Show>
      </div>
      <div class="review-diff review-test-diff">
        <DraftTestCaseChanges ruleSetKey={state.key()} activeVersion={activeVersion()} open={props.open} />
      </div>
      <TestRunSummary run={tests.run} retry={tests.refetch} ruleSetKey={state.key()} onLeave={close} />
      <DraftEffect open={props.open} onLeave={close} />
      <div class="field">
        <span class="field-label" id="publish-when-label">
          {t("publish.when")}
        </span>
        <fieldset class="segmented publish-when" aria-labelledby="publish-when-label">
          <button type="button" class="btn btn-small" aria-pressed={mode() === "now"} onClick={() => setMode("now")}>
            {t("publish.when.now")}
          </button>
          <button
            type="button"
            class="btn btn-small"
            aria-pressed={mode() === "later"}
            onClick={() => setMode("later")}
          >
            {t("publish.when.later")}
          </button>
        </fieldset>
      </div>
      <Show when={mode() === "later"}>
        <Field
          label={t("publish.when.start")}
          error={shownProblem()?.field === "start" ? shownProblem()!.text : undefined}
        >
          {(control) => (
            <DateTimeInput
              id={control.id}
              aria-describedby={control.describedBy}
              value={startsAt()}
              onChange={setStartsAt}
              onValidity={setStartValid}
              aria-invalid={shownProblem()?.field === "start" ? "true" : undefined}
            />
          )}
        </Field>
      </Show>
      <Field
        label={t("publish.when.end")}
        hint={
          activeVersion() === null
            ? t("publish.when.endHintNone")
            : t("publish.when.endHint", { version: activeVersion()! })
        }
        error={shownProblem()?.field === "end" ? shownProblem()!.text : undefined}
      >
        {(control) => (
          <DateTimeInput
            id={control.id}
            aria-describedby={control.describedBy}
            value={endsAt()}
            onChange={setEndsAt}
            onValidity={setEndValid}
            end
            aria-invalid={shownProblem()?.field === "end" ? "true" : undefined}
          />
        )}
      </Field>
      <NoteField
        label={t("publish.note")}
        value={note()}
        onInput={setNote}
        placeholder={t("publish.notePlaceholder")}
      />
      <Show when={broken()}>
        {(refusal) => <InvariantRefusal ruleSet={state.key()} refusal={refusal()} onOpenSimulator={close} />}
      </Show>
      <FormError error={error()} />
    </Dialog>
  );
}
