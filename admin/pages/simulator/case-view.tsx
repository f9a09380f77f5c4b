import { createUniqueId, For } from "solid-js";
import { useI18n } from "../../i18n/index.tsx";
import { Control, GroupField } from "./case-fields.tsx";
import { caseSchema, getAt, type Path } from "./case-schema.ts";
import "./simulator.css";
import "./case-view.css";

/**
 * A case read as the simulator's form, read-only: the same sections, labels, yuan, times in the business time zone
 * (each named beside it) and labelled choices, inside a disabled fieldset, with no button to add, remove or change
 * anything. A field the case left out shows the default the decision used, as the simulator's form does.
 */
export function CaseView(props: { value: unknown; label: string }) {
  const { t } = useI18n();
  const uid = createUniqueId();
  // nothing here changes the case; the form's fields ask for these all the same
  const form = {
    get: (path: Path) => getAt(props.value, path),
    set: () => undefined,
    errors: () => [],
    id: (key: string) => `case-view-${uid}-${key}`,
    validity: () => undefined,
  };
  const sections = Object.entries(caseSchema.properties ?? {}).filter(([key]) => key !== "now");
  const nowSchema = caseSchema.properties?.now ?? {};
  return (
    <fieldset class="case-form case-view" disabled aria-label={props.label}>
      <div class="case-field case-now">
        <label for={form.id("now")}>{t("case.now")}</label>
        <Control form={form} path={["now"]} schema={nowSchema} />
      </div>
      <For each={sections}>{([key, schema]) => <GroupField form={form} path={[key]} schema={schema} />}</For>
    </fieldset>
  );
}
