import { createEffect, createSignal, For, on, type JSX } from "solid-js";
import { ruleSetLabels } from "../../../shared/labels.ts";
import { useI18n } from "../../i18n/index.tsx";
import { FilterBar, FilterField } from "../../ui/filter-bar.tsx";
import type { AuditFilter } from "./audit-export.ts";
import { actionGroups, actionName, actorQuery, entityKinds } from "./audit-wording.ts";

/**
 * The audit log's filters: object type and key, actor, action (by its Chinese name), time range.
 * Edits stay in the form until "查询"; the applied filters come back from the URL.
 */
export function AuditFilters(props: {
  applied: AuditFilter;
  onApply: (filter: AuditFilter) => void;
  actions?: JSX.Element;
}) {
  const i18n = useI18n();
  const { t } = i18n;
  const [form, setForm] = createSignal<AuditFilter>({ ...props.applied });
  // the URL changed (back button, a shared link, "清除条件"): the form shows what is applied
  createEffect(
    on(
      () => props.applied,
      (applied) => setForm({ ...applied }),
      { defer: true },
    ),
  );
  const set = (patch: AuditFilter) => setForm((current) => ({ ...current, ...patch }));
  const text = (value: string) => (value.trim() === "" ? undefined : value.trim());

  return (
    <FilterBar
      idPrefix="audit"
      range={{ from: form().from, to: form().to }}
      onRange={(range) => set(range)}
      onSearch={() => props.onApply({ ...form(), actor: actorQuery(form().actor ?? "") })}
      onClear={() => props.onApply({})}
      actions={props.actions}
    >
      <FilterField id="audit-action" label={t("audit.filter.action")}>
        <select
          id="audit-action"
          value={form().action ?? ""}
          onChange={(e) => set({ action: text(e.currentTarget.value) })}
        >
          <option value="">{t("logs.filter.any")}</option>
          <For each={Object.entries(actionGroups) as [keyof typeof actionGroups, readonly string[]][]}>
            {([group, actions]) => (
              <optgroup label={t(`audit.group.${group}`)}>
                <For each={actions}>{(action) => <option value={action}>{actionName(action, i18n)}</option>}</For>
              </optgroup>
            )}
          </For>
        </select>
      </FilterField>
      <FilterField id="audit-actor" label={t("audit.filter.actor")}>
        <input
          id="audit-actor"
          type="search"
          autocomplete="off"
          placeholder={t("audit.filter.actorPlaceholder")}
          value={form().actor ?? ""}
          onInput={(e) => set({ actor: text(e.currentTarget.value) })}
        />
      </FilterField>
      <FilterField id="audit-entity" label={t("audit.filter.entity")}>
        <select
          id="audit-entity"
          value={form().entity ?? ""}
          onChange={(e) => set({ entity: text(e.currentTarget.value) })}
        >
          <option value="">{t("logs.filter.any")}</option>
          <For each={entityKinds}>{(kind) => <option value={kind}>{t(`audit.entity.${kind}`)}</option>}</For>
        </select>
      </FilterField>
      <FilterField id="audit-entity-key" label={t("audit.filter.entityKey")}>
        <input
          id="audit-entity-key"
          type="search"
          autocomplete="off"
          list="audit-entity-keys"
          placeholder={t("audit.filter.entityKeyPlaceholder")}
          value={form().entityKey ?? ""}
          onInput={(e) => set({ entityKey: text(e.currentTarget.value) })}
        />
        <datalist id="audit-entity-keys">
          <For each={Object.keys(ruleSetLabels)}>
            {(key) => <option value={key}>{i18n.ruleSetName(key, key)}</option>}
          </For>
        </datalist>
      </FilterField>
    </FilterBar>
  );
}
