import { createEffect, createSignal, on, Show, splitProps, untrack, type JSX } from "solid-js";
import { useI18n } from "../i18n/index.tsx";

/**
 * Yuan as a person types it ("12.5", "1,299.00", "¥8") to whole fen, with integer arithmetic
 * only (0.29 × 100 is 28.999… in floating point). Empty text is `undefined`; text that is not an
 * amount with at most two decimals is `null`.
 */
export function parseYuan(text: string): number | undefined | null {
  const plain = text.replace(/[\s,，¥￥]/g, "");
  if (plain === "") return undefined;
  const match = /^(\d{1,10})(?:\.(\d{0,2}))?$/.exec(plain) ?? /^()\.(\d{1,2})$/.exec(plain);
  if (!match) return null;
  return Number(match[1] || "0") * 100 + Number((match[2] ?? "").padEnd(2, "0"));
}

/** Whole fen as yuan with two decimals: 1234 → "12.34". */
export function fenToYuan(fen: number): string {
  const sign = fen < 0 ? "-" : "";
  const abs = Math.abs(fen);
  return `${sign}${Math.trunc(abs / 100)}.${String(abs % 100).padStart(2, "0")}`;
}

type Props = Omit<JSX.InputHTMLAttributes<HTMLInputElement>, "value" | "onChange" | "onInput"> & {
  /** The amount in fen; undefined when empty. */
  value: number | undefined;
  onChange: (fen: number | undefined) => void;
};

/** An amount typed in yuan and kept in fen; text that is no amount is flagged and not passed on. */
export function MoneyInput(props: Props) {
  const { t } = useI18n();
  const [own, rest] = splitProps(props, ["value", "onChange", "class"]);
  const [text, setText] = createSignal(own.value === undefined ? "" : fenToYuan(own.value));
  const bad = () => parseYuan(text()) === null;
  // an amount set from outside (a loaded case, "accept actual") replaces the text; the user's own typing does not
  createEffect(
    on(
      () => own.value,
      (fen) => {
        if (untrack(() => parseYuan(text())) !== fen) setText(fen === undefined ? "" : fenToYuan(fen));
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
