import { createResource, createSignal, Show } from "solid-js";
import type { RuleSetDetail, VersionSummary } from "../../../shared/api.ts";
import { useAuth } from "../../auth.tsx";
import { api, ApiError, call } from "../../api.ts";
import { useI18n } from "../../i18n/index.tsx";
import { Button } from "../../ui/button.tsx";
import { ConfirmActions, Dialog } from "../../ui/dialog.tsx";
import { Failure, Loading } from "../../ui/states.tsx";
import { useToast } from "../../ui/toast.tsx";
import { useRuleSet } from "../rule-set/rule-set-context.tsx";
import { diffDefinitions, type Definition } from "./version-diff.ts";
import { VersionDiffView } from "./version-diff-view.tsx";
import { FormError, NoteField } from "../../ui/field.tsx";
import { createDraftReset } from "./draft-reset.ts";
import { brokenInvariants, InvariantRefusal } from "../rule-set/invariant-refusal.tsx";
import type { InvariantBrokenMembers } from "../../../shared/invariants.ts";

/**
 * Rolling back to an older version, after seeing what it changes against the version deciding
 * now. The server publishes the old rules as a new version: history only moves forward. With
 * four-eyes review on, a rollback is reviewed like a publish: the dialog puts the old rules in the
 * draft and submits them for review, and another publisher's approval lets them be published.
 */
/** The names of the test cases a 422 from submitting says fail, or undefined for any other error. */
function failingTestCases(error: unknown): string[] | undefined {
  if (!(error instanceof ApiError) || error.status !== 422 || !Array.isArray(error.problem.failures)) return undefined;
  return (error.problem.failures as { name?: unknown }[]).map((failure) => String(failure.name));
}

export function RollbackDialog(props: {
  target: VersionSummary | undefined;
  load: (version: number) => Promise<Definition>;
  onClose: () => void;
  onDone: (version: number) => Promise<unknown>;
}) {
  const { t } = useI18n();
  const state = useRuleSet();
  const toast = useToast();
  const auth = useAuth();
  const [note, setNote] = createSignal("");
  const [busy, setBusy] = createSignal(false);
  const [error, setError] = createSignal<string>();
  // the rules coming back break an invariant: which one and the case are shown
  const [broken, setBroken] = createSignal<InvariantBrokenMembers>();
  /** Rolled back: to which version, and the version now active; the dialog then offers to reset the draft. */
  const [done, setDone] = createSignal<{ version: number; active: number }>();
  const active = () => state.detail()?.active ?? null;
  /** Signed-in users never hold `rules:rollback-unreviewed` (no role does): four-eyes means review. */
  const needsReview = () => state.detail()?.fourEyes === true && !auth.can("rules:rollback-unreviewed");
  const [diff, { refetch }] = createResource(
    () => props.target && active() && { target: props.target.version, active: active()! },
    async ({ target, active }) => diffDefinitions(active, await props.load(target)),
  );

  const close = () => {
    setNote("");
    setError(undefined);
    setDone(undefined);
    props.onClose();
  };

  const confirm = async () => {
    const target = props.target;
    if (!target) return;
    setBusy(true);
    setError(undefined);
    setBroken(undefined);
    try {
      if (needsReview()) {
        await submitForReview(target.version);
        return;
      }
      const result = await call(
        api["rule-sets"][":key"].rollback.$post({
          param: { key: state.key() },
          json: { version: target.version, note: note().trim() || undefined },
        }),
      );
      toast("success", t("versions.rollback.done", { version: result.version }));
      await props.onDone(result.version);
      // the rollback changed what decides, not the draft: while it still differs, offer to reset it too
      if (state.detail()?.draftDiffers) setDone({ version: target.version, active: result.version });
      else close();
    } catch (e) {
      setBroken(brokenInvariants(e));
      if (!broken()) setError(e instanceof ApiError ? e.problem.detail : String(e));
    } finally {
      setBusy(false);
    }
  };

  /** The old rules become the draft (replacing it) and go to review with the reason as the note. */
  const submitForReview = async (version: number) => {
    const detail = state.detail();
    if (!detail) return;
    // exactly that version's rules (a save would be merged with what someone else saved meanwhile)
    const saved = (await call(
      api["rule-sets"][":key"].draft.reset.$post({
        param: { key: state.key() },
        json: { version, revision: detail.draft.revision },
      }),
    )) as RuleSetDetail;
    state.mutate(saved);
    state.resetFromServer(saved);
    const reason = note().trim();
    try {
      await call(
        api["rule-sets"][":key"].submit.$post({
          param: { key: state.key() },
          json: { note: t("versions.rollback.reviewNote", { version, reason }).trim() },
        }),
      );
    } catch (e) {
      const failing = failingTestCases(e);
      if (failing === undefined) throw e;
      // the old rules are in the draft; the test cases were written for the rules deciding now
      setError(t("versions.rollback.testsFail", { version, count: failing.length, names: failing.join("、") }));
      await state.refetch();
      return;
    }
    await state.refetch();
    toast("success", t("versions.rollback.submitted", { version }));
    close();
  };

  return (
    <Show when={!done()} fallback={<ResetOffer done={done()!} onClose={close} />}>
      <Dialog
        open={props.target !== undefined}
        wide
        title={t("versions.rollback.title", { version: props.target?.version ?? "" })}
        onClose={close}
        actions={
          <ConfirmActions
            onCancel={close}
            onConfirm={confirm}
            confirmLabel={needsReview() ? t("versions.rollback.confirmReview") : t("versions.rollback.confirm")}
            busy={busy()}
            disabled={diff.loading || diff.error !== undefined}
          />
        }
      >
        <Show
          when={needsReview()}
          fallback={
            <p>
              {t("versions.rollback.explain", {
                version: props.target?.version ?? "",
                active: active()?.version ?? "",
              })}
            </p>
          }
        >
          <p class="rollback-review">
            {t("versions.rollback.explainReview", { version: props.target?.version ?? "" })}
          </p>
        </Show>
        <div class="rollback-diff">
          <Show when={!diff.error} fallback={<Failure error={diff.error} retry={refetch} />}>
            <Show when={!diff.loading && diff()} fallback={<Loading />}>
              {(loaded) => (
                <>
                  <p class="rollback-diff-lead">
                    {loaded().identical
                      ? t("versions.rollback.sameAsActive", { version: props.target?.version ?? "" })
                      : t("versions.rollback.changes", { active: active()?.version ?? "" })}
                  </p>
                  <VersionDiffView diff={loaded()} />
                </>
              )}
            </Show>
          </Show>
        </div>
        <NoteField
          label={t("versions.rollback.note")}
          value={note()}
          onInput={setNote}
          placeholder={t("versions.rollback.notePlaceholder")}
        />
        <Show when={broken()}>
          {(refusal) => <InvariantRefusal ruleSet={state.key()} refusal={refusal()} onOpenSimulator={close} />}
        </Show>
        <FormError error={error()} />
      </Dialog>
    </Show>
  );
}

/**
 * After a rollback the draft still carries the rolled-back change, which the next publish would bring back:
 * the dialog says so plainly and offers to make the draft the rolled-back-to version's rules.
 */
function ResetOffer(props: { done: { version: number; active: number }; onClose: () => void }) {
  const { t } = useI18n();
  const state = useRuleSet();
  const reset = createDraftReset(state);
  return (
    <Dialog
      open
      title={t("reset.offerTitle", { version: props.done.version })}
      onClose={props.onClose}
      actions={
        <>
          <Button onClick={props.onClose} disabled={reset.busy()}>
            {t("reset.later")}
          </Button>
          <Button
            variant="primary"
            busy={reset.busy()}
            onClick={async () => {
              if (await reset.run(props.done.version)) props.onClose();
            }}
          >
            {t("reset.confirm", { version: props.done.version })}
          </Button>
        </>
      }
    >
      <p data-testid="reset-offer">{t("reset.offerBody", props.done)}</p>
      <Show when={state.dirty()}>
        <p class="form-error">{t("reset.offerUnsaved")}</p>
      </Show>
      <FormError error={reset.error()} />
    </Dialog>
  );
}
