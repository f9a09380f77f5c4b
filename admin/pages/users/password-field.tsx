import { createUniqueId, Show } from "solid-js";
import { Password } from "../../../shared/access.ts";
import { useI18n } from "../../i18n/index.tsx";
import { Button } from "../../ui/button.tsx";

const alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";

/** 16 characters from an alphabet without look-alikes (0/O, 1/l/I): easy to read out, ~93 bits. */
export function randomPassword(length = 16): string {
  const bytes = crypto.getRandomValues(new Uint8Array(length * 2));
  let out = "";
  // rejection sampling keeps every character equally likely
  for (const byte of bytes) {
    if (byte < 256 - (256 % alphabet.length)) out += alphabet[byte % alphabet.length];
    if (out.length === length) break;
  }
  return out.length === length ? out : out + randomPassword(length - out.length);
}

/** The password policy's answer in words, or undefined when `password` meets it (shared/access.ts). */
export function passwordProblem(password: string, t: ReturnType<typeof useI18n>["t"]): string | undefined {
  return Password.safeParse(password).success ? undefined : t("password.tooShort");
}

/**
 * A password typed (or, for an admin setting one, generated and shown so it can be passed on).
 * The policy — at least 12 characters — is said beside it, not only after a refusal.
 */
export function PasswordField(props: {
  label: string;
  value: string;
  onInput: (value: string) => void;
  error?: string;
  /** An admin sets a password for someone else: show it, and offer a random one. */
  forSomeoneElse?: boolean;
  autocomplete: "current-password" | "new-password";
  hint?: boolean;
}) {
  const { t } = useI18n();
  const id = createUniqueId();
  return (
    <div class="field">
      <label for={id}>{props.label}</label>
      <span class="password-row">
        <input
          id={id}
          type={props.forSomeoneElse ? "text" : "password"}
          class={props.forSomeoneElse ? "mono" : undefined}
          autocomplete={props.autocomplete}
          spellcheck={false}
          value={props.value}
          aria-invalid={props.error ? "true" : undefined}
          aria-describedby={props.hint ? `${id}-hint` : undefined}
          onInput={(e) => props.onInput(e.currentTarget.value)}
        />
        <Show when={props.forSomeoneElse}>
          <Button class="btn-small" onClick={() => props.onInput(randomPassword())}>
            {t("password.generate")}
          </Button>
        </Show>
      </span>
      <Show when={props.hint}>
        <span class="hint" id={`${id}-hint`}>
          {props.forSomeoneElse ? t("password.policyForOther") : t("password.policy")}
        </span>
      </Show>
      <Show when={props.error}>
        <span class="field-error" role="alert">
          {props.error}
        </span>
      </Show>
    </div>
  );
}
