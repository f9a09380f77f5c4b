import { createEffect, createSignal, on, Show, splitProps, untrack, type JSX } from "solid-js";
import { formatYuan, parseYuan } from "../../shared/money.ts";
import { useI18n } from "../i18n/index.tsx";

type Props = Omit<JSX.InputHTMLAttributes<HTMLInputElement>, "value" | "onChange" | "onInput"> & {
  /** The amount in fen; undefined when empty. */
  value: number | undefined;
  onChange: (fen: number | undefined) => void;
};

/** An amount typed in yuan and kept in fen; text that is no amount is flagged and not passed on. */
export function MoneyInput(props: Props) {
  const { t } = useI18n();
  const [own, rest] = splitProps(props, ["value", "onChange", "class"]);
  const [text, setText] = createSignal(own.value === undefined ? "" : formatYuan(own.value));
  const bad = () => parseYuan(text()) === null;
  // an amount set from outside (a loaded case, "accept actual") replaces the text; the user's own typing does not
  createEffect(
    on(
      () => own.value,
      (fen) => {
        if (untrack(() => parseYuan(text())) !== fen) setText(fen === undefined ? "" : formatYuan(fen));
      },
      { defer: true },
    ),
  );
  return (
    <span class={`yuan-input ${own.class ?? ""}`}>
      <span class="yuan-prefix" aria-hidden="true">
        ¥
      </span>
      <input
        {...rest}
        type="text"
        inputmode="decimal"
        autocomplete="off"
        value={text()}
        aria-invalid={bad() || rest["aria-invalid"] === "true" || rest["aria-invalid"] === true ? "true" : undefined}
        onInput={(event) => {
          setText(event.currentTarget.value);
          const fen = parseYuan(event.currentTarget.value);
          if (fen !== null) own.onChange(fen);
        }}
      />
      <Show when={bad()}>
        <span class="field-error" role="alert">
          {t("money.invalid")}
        </span>
      </Show>
    </span>
  );
}
