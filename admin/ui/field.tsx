import { createUniqueId, Show, type JSX } from "solid-js";
import "./field.css";

/**
 * A labelled control with a hint and an error below it. The label names the control; the hint and
 * error describe it (`aria-describedby`), so a screen reader reads the name without the hint text.
 */
export function Field(props: {
  label: string;
  hint?: JSX.Element;
  error?: string;
  class?: string;
  children: (control: { id: string; describedBy: string | undefined }) => JSX.Element;
}) {
  const id = createUniqueId();
  const describedBy = () =>
    [props.hint ? `${id}-hint` : "", props.error ? `${id}-error` : ""].filter(Boolean).join(" ") || undefined;
  return (
    <div class={`field ${props.class ?? ""}`}>
      <label class="field-label" for={id}>
        {props.label}
      </label>
      {props.children({
        id,
        get describedBy() {
          return describedBy();
        },
      })}
      <Show when={props.hint}>
        <span class="field-hint" id={`${id}-hint`}>
          {props.hint}
        </span>
      </Show>
      <Show when={props.error}>
        <span class="field-error" id={`${id}-error`}>
          {props.error}
        </span>
      </Show>
    </div>
  );
}

/** A form's failure, announced to screen readers; nothing when there is none. */
export function FormError(props: { error: JSX.Element | undefined | null | false }) {
  return (
    <Show when={props.error}>
      <p class="form-error" role="alert">
        {props.error}
      </p>
    </Show>
  );
}

/** A free-text note that goes with an action (a publish, a review, a rollback): at most 2 000 characters. */
export function NoteField(props: {
  label: string;
  value: string;
  onInput: (value: string) => void;
  placeholder: string;
}) {
  return (
    <label class="field">
      <span>{props.label}</span>
      <textarea
        value={props.value}
        maxLength={2000}
        onInput={(e) => props.onInput(e.currentTarget.value)}
        placeholder={props.placeholder}
      />
    </label>
  );
}
