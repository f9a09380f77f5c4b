import { createEffect, onCleanup, Show, type JSX } from "solid-js";
import { Portal } from "solid-js/web";
import { useI18n } from "../i18n/index.tsx";
import { Button } from "./button.tsx";

/**
 * A modal dialog: focus moves into it, Escape closes it, focus returns where it was. Built on the
 * native <dialog> element, which traps focus and marks the rest of the page inert.
 */
export function Dialog(props: {
  open: boolean;
  title: string;
  onClose: () => void;
  children: JSX.Element;
  actions?: JSX.Element;
  wide?: boolean;
}) {
  let dialog: HTMLDialogElement | undefined;
  let opener: Element | null = null;
  createEffect(() => {
    // read `open` before anything else, so the effect tracks it even while the element is absent
    const open = props.open;
    if (!dialog) return;
    if (open && !dialog.open) {
      opener = document.activeElement;
      dialog.showModal();
    } else if (!open && dialog.open) {
      dialog.close();
      if (opener instanceof HTMLElement) opener.focus();
    }
  });
  onCleanup(() => dialog?.open && dialog.close());
  return (
    <Show when={props.open}>
      <Portal>
        <dialog
          ref={dialog}
          class={`dialog ${props.wide ? "dialog-wide" : ""}`}
          aria-labelledby="dialog-title"
          onCancel={(event) => {
            event.preventDefault();
            props.onClose();
          }}
        >
          <h2 id="dialog-title">{props.title}</h2>
          <div class="dialog-body">{props.children}</div>
          <Show when={props.actions}>
            <div class="dialog-actions">{props.actions}</div>
          </Show>
        </dialog>
      </Portal>
    </Show>
  );
}

/**
 * The usual pair of dialog buttons: 取消 and the confirming action, which shows `busy` while it
 * runs and may be `disabled` (e.g. while a check fails).
 */
export function ConfirmActions(props: {
  onCancel: () => void;
  onConfirm: () => void;
  confirmLabel: JSX.Element;
  busy?: boolean;
  disabled?: boolean;
  variant?: "primary" | "danger";
}) {
  const { t } = useI18n();
  return (
    <>
      <Button onClick={() => props.onCancel()}>{t("action.cancel")}</Button>
      <Button
        variant={props.variant ?? "primary"}
        busy={props.busy}
        disabled={props.disabled}
        onClick={() => props.onConfirm()}
      >
        {props.confirmLabel}
      </Button>
    </>
  );
}
