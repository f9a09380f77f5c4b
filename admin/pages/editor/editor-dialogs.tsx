import { createSignal } from "solid-js";
import { useI18n } from "../../i18n/index.tsx";
import { Button } from "../../ui/button.tsx";
import { ConfirmActions, Dialog } from "../../ui/dialog.tsx";
import type { Conflict } from "./draft-saver.ts";

/**
 * Someone else saved the draft after this copy was loaded (409). The two ways out say plainly
 * whose rules survive.
 */
export function ConflictDialog(props: {
  conflict: Conflict | undefined;
  onReapply: () => Promise<void>;
  onTakeTheirs: () => Promise<void>;
  onClose: () => void;
}) {
  const { t } = useI18n();
  const [busy, setBusy] = createSignal<"reapply" | "theirs">();
  const run = async (which: "reapply" | "theirs") => {
    setBusy(which);
    try {
      await (which === "reapply" ? props.onReapply() : props.onTakeTheirs());
    } finally {
      setBusy(undefined);
    }
  };
  return (
    <Dialog
      open={props.conflict !== undefined}
      title={t("conflict.title")}
      onClose={props.onClose}
      actions={
        <>
          <Button onClick={props.onClose} disabled={busy() !== undefined}>
            {t("action.cancel")}
          </Button>
          <Button
            variant="danger"
            busy={busy() === "theirs"}
            disabled={busy() === "reapply"}
            onClick={() => run("theirs")}
          >
            {t("conflict.discard")}
          </Button>
          <Button
            variant="primary"
            busy={busy() === "reapply"}
            disabled={busy() === "theirs"}
            onClick={() => run("reapply")}
          >
            {t("conflict.reapply")}
          </Button>
        </>
      }
    >
      <p>{t("conflict.body", { current: props.conflict?.current ?? "?", mine: props.conflict?.mine ?? "?" })}</p>
      <ul class="conflict-options">
        <li>
          <strong>{t("conflict.reapply")}</strong>
          <br />
          {t("conflict.reapplyHint")}
        </li>
        <li>
          <strong>{t("conflict.discard")}</strong>
          <br />
          {t("conflict.discardHint")}
        </li>
      </ul>
    </Dialog>
  );
}

/** Confirms throwing the unsaved changes away. */
export function DiscardDialog(props: { open: boolean; revision: number; onConfirm: () => void; onClose: () => void }) {
  const { t } = useI18n();
  return (
    <Dialog
      open={props.open}
      title={t("discard.title")}
      onClose={props.onClose}
      actions={
        <ConfirmActions
          onCancel={props.onClose}
          onConfirm={props.onConfirm}
          confirmLabel={t("editor.discard")}
          variant="danger"
        />
      }
    >
      <p>{t("discard.body", { revision: props.revision })}</p>
    </Dialog>
  );
}
