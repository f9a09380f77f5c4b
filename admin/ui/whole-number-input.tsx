import {
  createEffect,
  createSignal,
  createUniqueId,
  on,
  onCleanup,
  Show,
  splitProps,
  untrack,
  type JSX,
} from "solid-js";
import { readWholeNumber } from "../../shared/numerals.ts";
import { useI18n } from "../i18n/index.tsx";

type Props = Omit<JSX.InputHTMLAttributes<HTMLInputElement>, "value" | "onChange" | "onInput" | "min" | "max"> & {
  value: number | undefined;
  onChange: (value: number | undefined) => void;
  min?: number;
  max?: number;
  /** Told whether the text is a whole number within the bounds (or empty); while it is not, nothing is passed on. */
  onValidity?: (valid: boolean) => void;
};

/**
 * A whole number typed as text (a browser's number field drops what it cannot read, "1e" or
 * "３", and reports an empty value while showing the text): full-width digits are read as ASCII,
 * and text that is no whole number within the bounds is flagged with its reason and not passed on.
 */
export function WholeNumberInput(props: Props) {
  const { t } = useI18n();
  const [own, rest] = splitProps(props, ["value", "onChange", "onValidity", "min", "max", "aria-describedby"]);
  const errorId = createUniqueId();
  const [text, setText] = createSignal(own.value === undefined ? "" : String(own.value));
  const bounds = () => ({ min: own.min, max: own.max });
  const problem = () => readWholeNumber(text(), bounds()).problem;
  createEffect(
    on(
      () => own.value,
      (value) => {
        if (untrack(() => readWholeNumber(text(), bounds()).value) !== value)
          setText(value === undefined ? "" : String(value));
      },
      { defer: true },
    ),
  );
  createEffect(on(problem, (p) => own.onValidity?.(p === undefined)));
  onCleanup(() => own.onValidity?.(true));
  const message = () => {
    const p = problem();
    if (p === "below") return t("number.below", { min: String(own.min) });
    if (p === "above") return t("number.above", { max: String(own.max) });
    return p ? t("number.notWhole") : undefined;
  };
  return (
    <>
      <input
        {...rest}
        type="text"
        inputmode="numeric"
        autocomplete="off"
        value={text()}
        aria-invalid={
          problem() || rest["aria-invalid"] === "true" || rest["aria-invalid"] === true ? "true" : undefined
        }
        aria-describedby={
          [own["aria-describedby"], problem() ? errorId : undefined].filter(Boolean).join(" ") || undefined
        }
        onInput={(event) => {
          setText(event.currentTarget.value);
          const read = readWholeNumber(event.currentTarget.value, bounds());
          if (read.problem === undefined) own.onChange(read.value);
        }}
      />
      <Show when={message()}>
        <span class="field-error" id={errorId} role="alert">
          {message()}
        </span>
      </Show>
    </>
  );
}
