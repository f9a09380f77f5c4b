import { createSignal } from "solid-js";
import { useI18n } from "../../i18n/index.tsx";
import { Button } from "../../ui/button.tsx";
import { ConfirmActions, Dialog } from "../../ui/dialog.tsx";
import type { Conflict } from "./draft-saver.ts";

/**
 * Someone else saved the draft so many times since this copy was loaded that the server no longer keeps the
 * revision it was based on, so it cannot merge (a plain 409). The one way out reloads their draft; cancelling
 * keeps my changes in the editor to copy what I need first. No button overwrites their work.
 */
export function ConflictDialog(props: {
  conflict: Conflict | undefined;
  onTakeTheirs: () => Promise<void>;
  onClose: () => void;
}) {
  const { t } = useI18n();
  const [busy, setBusy] = createSignal(false);
  const takeTheirs = async () => {
    setBusy(true);
    try {
      await props.onTakeTheirs();
    } finally {
      setBusy(false);
    }
  };
  return (
    <Dialog
      open={props.conflict !== undefined}
      title={t("conflict.title")}
      onClose={props.onClose}
      actions={
        <>
          <Button onClick={props.onClose} disabled={busy()}>
            {t("action.cancel")}
          </Button>
          <Button variant="danger" busy={busy()} onClick={takeTheirs}>
            {t("conflict.discard")}
          </Button>
        </>
      }
    >
      <p>{t("conflict.body", { current: props.conflict?.current ?? "?", mine: props.conflict?.mine ?? "?" })}</p>
      <p class="hint">{t("conflict.discardHint")}</p>
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
