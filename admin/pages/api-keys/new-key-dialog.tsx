import { createSignal, Show } from "solid-js";
import { useI18n } from "../../i18n/index.tsx";
import { Button } from "../../ui/button.tsx";
import { Dialog } from "../../ui/dialog.tsx";

/**
 * The new key, shown this once: the server keeps only its hash. A copy button, the key selectable
 * by hand too (clipboard access may be refused), and a plain warning that it cannot be shown again.
 */
export function NewKeyDialog(props: { created: { name: string; key: string } | undefined; onClose: () => void }) {
  const { t } = useI18n();
  const [copied, setCopied] = createSignal<"yes" | "no">();
  let field: HTMLInputElement | undefined;

  const copy = async () => {
    field?.select();
    try {
      await navigator.clipboard.writeText(props.created!.key);
      setCopied("yes");
    } catch {
      setCopied("no");
    }
  };
  const close = () => {
    setCopied(undefined);
    props.onClose();
  };

  return (
    <Dialog
      open={props.created !== undefined}
      title={t("keys.new.title", { name: props.created?.name ?? "" })}
      onClose={close}
      actions={
        <Button variant="primary" onClick={close}>
          {t("keys.new.close")}
        </Button>
      }
    >
      <p class="key-once-warning" role="alert">
        {t("keys.new.warning")}
      </p>
      <div class="key-secret-row">
        <input
          ref={field}
          class="mono key-secret"
          data-testid="new-api-key"
          readOnly
          value={props.created?.key ?? ""}
          aria-label={t("keys.new.label")}
          onFocus={(e) => e.currentTarget.select()}
        />
        <Button variant="primary" onClick={copy}>
          {t("keys.new.copy")}
        </Button>
      </div>
      <Show when={copied()}>
        <p class={copied() === "yes" ? "key-copied" : "field-error"} role="status">
          {copied() === "yes" ? t("keys.new.copied") : t("keys.new.copyFailed")}
        </p>
      </Show>
      <p class="hint">{t("keys.new.howToUse")}</p>
    </Dialog>
  );
}
