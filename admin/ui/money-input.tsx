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
import { formatYuan, parseYuan, readYuan, type YuanProblem } from "../../shared/money.ts";
import { useI18n, type MessageKey } from "../i18n/index.tsx";

type Props = Omit<JSX.InputHTMLAttributes<HTMLInputElement>, "value" | "onChange" | "onInput"> & {
  /** The amount in fen; undefined when empty. */
  value: number | undefined;
  onChange: (fen: number | undefined) => void;
  /**
   * Told whether the text is an amount (or empty). While it is not, nothing is passed on, so the
   * value kept is not the one shown: a form must not save until it is valid again.
   */
  onValidity?: (valid: boolean) => void;
};

/** The words for each reason typed text is no amount, said at the field. */
export const yuanProblemKeys: Record<YuanProblem, MessageKey> = {
  negative: "money.negative",
  decimals: "money.decimals",
  too_large: "money.tooLarge",
  not_amount: "money.notAmount",
};

/**
 * An amount typed in yuan and kept in fen. Full-width digits from a Chinese input method and a
 * closing 元 are read exactly ("１２０元" is ¥120.00); text that is no amount (−10, 8.888) is
 * flagged with its reason, is not passed on, and makes the field invalid.
 */
export function MoneyInput(props: Props) {
  const { t } = useI18n();
  const [own, rest] = splitProps(props, ["value", "onChange", "onValidity", "class", "aria-describedby"]);
  const errorId = createUniqueId();
  const [text, setText] = createSignal(own.value === undefined ? "" : formatYuan(own.value));
  const problem = () => readYuan(text()).problem;
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
  createEffect(on(problem, (p) => own.onValidity?.(p === undefined)));
  // a field taken away (a row removed, a check cleared) no longer holds anything back
  onCleanup(() => own.onValidity?.(true));
  const describedBy = () =>
    [own["aria-describedby"], problem() ? errorId : undefined].filter(Boolean).join(" ") || undefined;
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
        aria-invalid={
          problem() || rest["aria-invalid"] === "true" || rest["aria-invalid"] === true ? "true" : undefined
        }
        aria-describedby={describedBy()}
        onInput={(event) => {
          setText(event.currentTarget.value);
          const read = readYuan(event.currentTarget.value);
          if (read.problem === undefined) own.onChange(read.fen);
        }}
      />
      <Show when={problem()}>
        {(p) => (
          <span class="field-error" id={errorId} role="alert">
            {t(yuanProblemKeys[p()])}
          </span>
        )}
      </Show>
    </span>
  );
}
