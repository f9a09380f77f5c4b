import { Show, type JSX } from "solid-js";
import { useI18n } from "../i18n/index.tsx";
import { Button } from "./button.tsx";
import { problemText } from "./problem-text.ts";

export function Loading() {
  const { t } = useI18n();
  return (
    <p class="state state-loading" role="status">
      <span class="spinner" aria-hidden="true" /> {t("state.loading")}
    </p>
  );
}

export function Empty(props: { children?: JSX.Element }) {
  const { t } = useI18n();
  return <p class="state state-empty">{props.children ?? t("state.empty")}</p>;
}

/** An error with a way out. */
export function Failure(props: { error: unknown; retry?: () => void }) {
  const { t } = useI18n();
  const message = () => problemText(props.error, t);
  return (
    <div class="state state-error" role="alert">
      <p>{t("state.error", { message: message() })}</p>
      <Show when={props.retry}>
        <Button onClick={() => props.retry?.()}>{t("state.retry")}</Button>
      </Show>
    </div>
  );
}
