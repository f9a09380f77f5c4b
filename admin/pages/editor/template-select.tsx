import { createSignal, onMount } from "solid-js";
import type { TemplateSummary } from "../../../shared/reply-templates.ts";
import { useI18n } from "../../i18n/index.tsx";
import { publishedTemplates } from "../../reply-titles.ts";
import { EnumSelect } from "./typed-inputs.tsx";

/** A reply template a rule names, chosen by its title among the published ones (回复模板). */
export function TemplateSelect(props: {
  label: string;
  value: unknown;
  error?: string | undefined;
  onChange: (key: string) => void;
}) {
  const { value: valueLabel, learnReplyTitles } = useI18n();
  const [templates, setTemplates] = createSignal<TemplateSummary[]>([]);
  onMount(
    () =>
      void publishedTemplates().then((list) => {
        setTemplates(list);
        learnReplyTitles(list);
      }),
  );
  return (
    <EnumSelect
      label={props.label}
      value={props.value}
      options={templates().map((template) => template.key)}
      describe={valueLabel}
      error={props.error}
      onChange={props.onChange}
    />
  );
}
