import { createMemo, For, Show } from "solid-js";
import {
  MAX_TEMPLATE_TEXT,
  parseTemplate,
  placeholderNames,
  placeholders,
  type PlaceholderName,
} from "../../../shared/reply-templates.ts";
import { useI18n } from "../../i18n/index.tsx";
import { previewParts } from "./template-text.ts";

type Language = "zh" | "en";

/**
 * One language of a template: the placeholder palette (a click inserts `{name}` at the cursor), the text, its flaws in
 * words as it is typed, and the live preview with the sample values beside it.
 */
export function LanguagePanel(props: {
  language: Language;
  text: string;
  onInput: (text: string) => void;
  samples: Partial<Record<PlaceholderName, string>>;
  readOnly: boolean;
}) {
  const { t, lang } = useI18n();
  let textarea: HTMLTextAreaElement | undefined;
  const id = `template-text-${props.language}`;
  const languageName = () => t(props.language === "zh" ? "templates.lang.zh" : "templates.lang.en");
  const flaws = createMemo(() => parseTemplate(props.text).flaws);
  const preview = createMemo(() => previewParts(props.text, props.samples));

  const insert = (name: PlaceholderName) => {
    const token = `{${name}}`;
    const start = textarea?.selectionStart ?? props.text.length;
    const end = textarea?.selectionEnd ?? props.text.length;
    props.onInput(props.text.slice(0, start) + token + props.text.slice(end));
    // the cursor after what was inserted, to go on typing
    requestAnimationFrame(() => {
      textarea?.focus();
      textarea?.setSelectionRange(start + token.length, start + token.length);
    });
  };

  return (
    <section class="template-language" data-language={props.language} aria-label={languageName()}>
      <div class="template-write">
        <label class="field-label" for={id}>
          {t("templates.text.label", { lang: languageName() })}
        </label>
        <Show when={!props.readOnly}>
          <fieldset class="placeholder-palette">
            <legend class="visually-hidden">{t("templates.palette")}</legend>
            <span class="muted" aria-hidden="true">
              {t("templates.palette")}
            </span>
            <For each={placeholderNames}>
              {(name) => (
                <button
                  type="button"
                  class="placeholder-chip"
                  data-placeholder={name}
                  title={t("templates.palette.insert", { label: placeholders[name].label[lang()] })}
                  onClick={() => insert(name)}
                >
                  <span class="chip-label">{placeholders[name].label[lang()]}</span>
                  <code>{`{${name}}`}</code>
                </button>
              )}
            </For>
          </fieldset>
        </Show>
        <textarea
          ref={textarea}
          id={id}
          class="template-textarea"
          rows={8}
          maxLength={MAX_TEMPLATE_TEXT}
          readOnly={props.readOnly}
          value={props.text}
          aria-invalid={flaws().length > 0 ? "true" : undefined}
          aria-describedby={`${id}-flaws`}
          onInput={(event) => props.onInput(event.currentTarget.value)}
        />
        <span class="muted template-count">
          {t("templates.text.count", { count: props.text.length, max: MAX_TEMPLATE_TEXT })}
        </span>
        <div id={`${id}-flaws`}>
          <Show when={flaws().length > 0}>
            <div class="template-flaws" role="alert">
              <p>{t("templates.flaws.title", { lang: languageName() })}</p>
              <ul>
                <For each={flaws()}>
                  {(flaw) => (
                    <li>
                      {flaw.kind === "unknown_placeholder"
                        ? t("templates.flaw.unknown", { name: flaw.name, at: flaw.position + 1 })
                        : t("templates.flaw.braces", { at: flaw.position + 1 })}
                    </li>
                  )}
                </For>
              </ul>
            </div>
          </Show>
        </div>
      </div>
      <div class="template-preview-box">
        <h3>{t("templates.preview", { lang: languageName() })}</h3>
        <p class="muted">{t("templates.preview.hint")}</p>
        <p class="template-preview" data-testid={`preview-${props.language}`}>
          <For each={preview()}>
            {(part) =>
              part.kind === "text" ? (
                part.text
              ) : part.kind === "filled" ? (
                <mark class="filled" title={`{${part.name}}`}>
                  {part.text}
                </mark>
              ) : (
                <span class="unknown-placeholder">{part.text}</span>
              )
            }
          </For>
        </p>
      </div>
    </section>
  );
}

/** The sample values the previews use, per placeholder and language; editable, never saved. */
export function SamplesTable(props: {
  samples: Record<Language, Record<PlaceholderName, string>>;
  onChange: (language: Language, name: PlaceholderName, value: string) => void;
}) {
  const { t, lang } = useI18n();
  return (
    <details class="card template-samples" open>
      <summary>{t("templates.samples")}</summary>
      <p class="muted">{t("templates.samples.hint")}</p>
      <table class="data">
        <thead>
          <tr>
            <th scope="col">{t("templates.samples.placeholder")}</th>
            <th scope="col">{t("templates.lang.zh")}</th>
            <th scope="col">{t("templates.lang.en")}</th>
          </tr>
        </thead>
        <tbody>
          <For each={placeholderNames}>
            {(name) => (
              <tr>
                <th scope="row">
                  {placeholders[name].label[lang()]} <code>{`{${name}}`}</code>
                </th>
                <For each={["zh", "en"] as const}>
                  {(language) => (
                    <td>
                      <input
                        aria-label={`${placeholders[name].label[lang()]} (${t(language === "zh" ? "templates.lang.zh" : "templates.lang.en")})`}
                        data-sample={`${language}-${name}`}
                        value={props.samples[language][name]}
                        maxLength={200}
                        onInput={(event) => props.onChange(language, name, event.currentTarget.value)}
                      />
                    </td>
                  )}
                </For>
              </tr>
            )}
          </For>
        </tbody>
      </table>
    </details>
  );
}
