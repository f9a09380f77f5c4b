import { createSignal, Show } from "solid-js";
import { api, call } from "../../api.ts";
import { useAuth } from "../../auth.tsx";
import { useI18n } from "../../i18n/index.tsx";
import { Button } from "../../ui/button.tsx";
import { Dialog } from "../../ui/dialog.tsx";
import { problemText } from "../../ui/problem-text.ts";
import { useToast } from "../../ui/toast.tsx";
import { PublishDialog } from "./publish-dialog.tsx";
import { ReviewDialog } from "./review-decide-dialog.tsx";
import { reviewActions } from "./review-state.ts";
import { SubmitDialog } from "./review-submit-dialog.tsx";
import { useRuleSet } from "./rule-set-context.tsx";
import "./review.css";

/**
 * The buttons beside the rule set's title: submit for review (editors), review (a publisher who
 * did not edit the draft), publish (once approved, or when four-eyes is off), and for admins the
 * four-eyes switch. Unsaved edits in the rules tab block submitting and publishing.
 */
export function ReviewActions() {
  const { t } = useI18n();
  const state = useRuleSet();
  const auth = useAuth();
  const [open, setOpen] = createSignal<"submit" | "review" | "publish">();
  const allowed = () => {
    const detail = state.detail();
    return detail ? reviewActions(detail, { username: auth.user()?.username, can: auth.can }) : undefined;
  };
  const saveFirst = () => (state.dirty() ? t("publish.saveFirst") : undefined);
  const close = () => setOpen(undefined);

  return (
    <div class="review-actions">
      <Show when={auth.can("users:manage")}>
        <FourEyesSwitch />
      </Show>
      <Show when={allowed()?.reviewByAnother}>
        <span class="review-another" data-testid="review-by-another">
          {t("review.byAnother")}
        </span>
      </Show>
      <Show when={(allowed()?.submit || allowed()?.publish) && saveFirst()}>
        <span class="muted">{saveFirst()}</span>
      </Show>
      <Show when={allowed()?.submit}>
        <Button
          variant={allowed()?.publish ? "secondary" : "primary"}
          disabled={saveFirst() !== undefined}
          title={saveFirst()}
          onClick={() => setOpen("submit")}
        >
          {t("review.submit.open")}
        </Button>
      </Show>
      <Show when={allowed()?.review}>
        <Button variant="primary" onClick={() => setOpen("review")}>
          {t("review.decide.open")}
        </Button>
      </Show>
      <Show when={allowed()?.publish}>
        <Button
          variant="primary"
          disabled={saveFirst() !== undefined}
          title={saveFirst()}
          onClick={() => setOpen("publish")}
        >
          {t("publish.open")}
        </Button>
      </Show>
      <SubmitDialog open={open() === "submit"} onClose={close} />
      <ReviewDialog open={open() === "review"} onClose={close} />
      <PublishDialog open={open() === "publish"} onClose={close} />
    </div>
  );
}

/** Four-eyes publishing on or off for this rule set; turning it off asks first. */
function FourEyesSwitch() {
  const { t } = useI18n();
  const state = useRuleSet();
  const toast = useToast();
  const [asking, setAsking] = createSignal(false);
  const [busy, setBusy] = createSignal(false);
  const on = () => state.detail()?.fourEyes ?? true;

  const set = async (fourEyes: boolean) => {
    setBusy(true);
    try {
      await call(api["rule-sets"][":key"].settings.$put({ param: { key: state.key() }, json: { fourEyes } }));
      setAsking(false);
      toast("success", t(fourEyes ? "review.fourEyes.turnedOn" : "review.fourEyes.turnedOff"));
      await state.refetch();
    } catch (e) {
      toast("error", problemText(e, t));
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <label class="four-eyes-switch" title={t("review.fourEyes.hint")}>
        <input
          type="checkbox"
          // biome-ignore lint/a11y/useAriaPropsForRole: a checkbox's own checked state is its aria-checked (ARIA in HTML forbids aria-checked on input type=checkbox)
          role="switch"
          checked={on()}
          disabled={busy()}
          onChange={(e) => {
            const wanted = e.currentTarget.checked;
            // the box shows the server's value until the change is confirmed and saved
            e.currentTarget.checked = on();
            if (wanted) void set(true);
            else setAsking(true);
          }}
        />
        <span>{t("review.fourEyes.label")}</span>
      </label>
      <Dialog
        open={asking()}
        title={t("review.fourEyes.offTitle")}
        onClose={() => setAsking(false)}
        actions={
          <>
            <Button onClick={() => setAsking(false)}>{t("action.cancel")}</Button>
            <Button variant="danger" busy={busy()} onClick={() => set(false)}>
              {t("review.fourEyes.offConfirm")}
            </Button>
          </>
        }
      >
        <p>{t("review.fourEyes.offExplain")}</p>
      </Dialog>
    </>
  );
}
