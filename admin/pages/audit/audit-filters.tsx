import { createEffect, createMemo, createSignal, For, on, Show, type JSX } from "solid-js";
import { ruleSetLabels } from "../../../shared/labels.ts";
import { useI18n } from "../../i18n/index.tsx";
import { FilterBar, FilterField } from "../../ui/filter-bar.tsx";
import type { AuditFilter } from "./audit-export.ts";
import { actionGroups, actionName, actorQuery, entityKinds, objectQuery } from "./audit-wording.ts";

/**
 * The audit log's filters: object type and key, actor, action (by its Chinese name), time range.
 * Edits stay in the form until "查询"; the applied filters come back from the URL. The object is
 * typed or picked by a rule set's name (超时规则, or part of it: 超时) and searched by its key.
 */
export function AuditFilters(props: {
  applied: AuditFilter;
  onApply: (filter: AuditFilter) => void;
  actions?: JSX.Element;
}) {
  const i18n = useI18n();
  const { t } = i18n;
  const [form, setForm] = createSignal<AuditFilter>({ ...props.applied });
  // a rule set's key shows as its name: the field holds what a person reads, the search sends the key
  const shownObject = (key: string | undefined) =>
    key === undefined ? "" : ruleSetLabels[key] ? i18n.ruleSetName(key, key) : key;
  const [objectText, setObjectText] = createSignal(shownObject(props.applied.entityKey));
  const object = createMemo(() => objectQuery(objectText(), form().entity));
  // the URL changed (back button, a shared link, "清除条件"): the form shows what is applied
  createEffect(
    on(
      () => props.applied,
      (applied) => {
        setForm({ ...applied });
        setObjectText(shownObject(applied.entityKey));
      },
      { defer: true },
    ),
  );
  const search = () => {
    const found = object();
    if ("ambiguous" in found) return;
    props.onApply({ ...form(), entityKey: found.entityKey, actor: actorQuery(form().actor ?? "") });
  };
  const set = (patch: AuditFilter) => setForm((current) => ({ ...current, ...patch }));
  const text = (value: string) => (value.trim() === "" ? undefined : value.trim());

  return (
    <FilterBar
      idPrefix="audit"
      range={{ from: form().from, to: form().to }}
      onRange={(range) => set(range)}
      onSearch={search}
      onClear={() => props.onApply({})}
      actions={
        <>
          <span id="audit-entity-key-found" class="audit-object-found" aria-live="polite">
            <ObjectFound typed={objectText()} found={object()} />
          </span>
          {props.actions}
        </>
      }
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
          placeholder={t("audit.filter.actorByName")}
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
      <FilterField id="audit-entity-key" label={t("audit.filter.entityKey")} wide>
        <input
          id="audit-entity-key"
          type="search"
          autocomplete="off"
          list="audit-entity-keys"
          placeholder={t("audit.filter.objectPlaceholder")}
          value={objectText()}
          aria-invalid={"ambiguous" in object() ? "true" : undefined}
          aria-describedby="audit-entity-key-found"
          onInput={(e) => setObjectText(e.currentTarget.value)}
        />
        {/* the rule sets by name in the current language: the browser suggests them as 超时 is typed */}
        <datalist id="audit-entity-keys">
          <For each={Object.keys(ruleSetLabels)}>{(key) => <option value={i18n.ruleSetName(key, key)} />}</For>
        </datalist>
      </FilterField>
    </FilterBar>
  );
}

/** Under the object field: which rule set the text names, or that it names several (the search waits for one). */
function ObjectFound(props: { typed: string; found: ReturnType<typeof objectQuery> }) {
  const i18n = useI18n();
  const name = (key: string) => i18n.ruleSetName(key, key);
  return (
    <Show
      when={"ambiguous" in props.found && props.found}
      fallback={
        <Show when={"ruleSet" in props.found && props.found.ruleSet}>
          {(key) => (
            <Show when={name(key()) !== props.typed.trim()}>
              <span class="muted">{i18n.t("audit.filter.matched", { name: name(key()) })}</span>
            </Show>
          )}
        </Show>
      }
    >
      {(found) => (
        <span class="field-error">
          {i18n.t("audit.filter.ambiguous", {
            typed: props.typed.trim(),
            names: found().ambiguous.map(name).join(i18n.t("audit.said.listSep")),
          })}
        </span>
      )}
    </Show>
  );
}
