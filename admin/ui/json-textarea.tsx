import stringify from "safe-stable-stringify";
import { createEffect, createSignal, on, Show, splitProps, untrack, type JSX } from "solid-js";
import { useI18n } from "../i18n/index.tsx";

type Props = Omit<JSX.TextareaHTMLAttributes<HTMLTextAreaElement>, "value" | "onChange" | "onInput"> & {
  value: unknown;
  /** Called with each text that parses; text that does not is flagged and not passed on. */
  onChange: (value: unknown) => void;
  onValidity?: (valid: boolean) => void;
};

const pretty = (value: unknown) => (value === undefined ? "" : JSON.stringify(value, null, 2));

/** JSON typed or pasted by hand, kept in sync with a value edited elsewhere (a form beside it). */
export function JsonTextarea(props: Props) {
  const { t } = useI18n();
  const [own, rest] = splitProps(props, ["value", "onChange", "onValidity", "class"]);
  const [text, setText] = createSignal(pretty(own.value));
  const [problem, setProblem] = createSignal<string>();
  // a value changed elsewhere (the form, a loaded case) replaces the text; the user's own typing does not
  createEffect(
    on(
      () => own.value,
      (value) => {
        const typed = untrack(() => {
          try {
            return stringify(JSON.parse(text()));
          } catch {
            return undefined;
          }
        });
        if (typed !== stringify(value)) {
          setText(pretty(value));
          setProblem(undefined);
          own.onValidity?.(true);
        }
      },
      { defer: true },
    ),
  );
  return (
    <>
      <textarea
        {...rest}
        class={`json-textarea mono ${own.class ?? ""}`}
        spellcheck={false}
        value={text()}
        aria-invalid={problem() ? "true" : undefined}
        onInput={(event) => {
          setText(event.currentTarget.value);
          try {
            const parsed: unknown = JSON.parse(event.currentTarget.value);
            setProblem(undefined);
            own.onValidity?.(true);
            own.onChange(parsed);
          } catch (error) {
            setProblem(error instanceof Error ? error.message : String(error));
            own.onValidity?.(false);
          }
        }}
      />
      <Show when={problem()}>
        <p class="field-error" role="alert">
          {t("json.invalid", { message: problem()! })}
        </p>
      </Show>
    </>
  );
}
