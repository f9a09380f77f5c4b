import { createMemo, For, Index, Match, Show, Switch } from "solid-js";
import { joinPath } from "../../../shared/dotted-path.ts";
import { formatYuan } from "../../../shared/money.ts";
import { useI18n, type MessageKey } from "../../i18n/index.tsx";
import { Button } from "../../ui/button.tsx";
import { DateTimeInput } from "../../ui/datetime-input.tsx";
import { MoneyInput } from "../../ui/money-input.tsx";
import { WholeNumberInput } from "../../ui/whole-number-input.tsx";
import { defaultOf, fieldLabel, newRow, widgetOf, type JsonSchema, type Path } from "./case-schema.ts";
import { RefundItemsField } from "./refund-items-field.tsx";

/** What the fields of one case form share: the value, its update, the server's errors, unique ids. */
export type FormApi = {
  get: (path: Path) => unknown;
  set: (path: Path, value: unknown) => void;
  errors: (key: string) => string[];
  id: (key: string) => string;
  /** Told whether a field's text means a value (an amount, a whole number): the form is not run or saved until all do. */
  validity: (key: string, valid: boolean) => void;
};

const lastKey = (path: Path) => String(path[path.length - 1]);

/** "Add an item" reads better than "Add Item" made from the row's label. */
const addLabels: Record<string, MessageKey> = {
  "order.items": "case.order.items.add",
  "order.promotions": "case.order.promotions.add",
};

/** The input of one field, chosen by its schema; `label` names it when no <label> does (table cells). */
export function Control(props: { form: FormApi; path: Path; schema: JsonSchema; label?: string }) {
  const i18n = useI18n();
  const key = joinPath(props.path);
  const widget = widgetOf(lastKey(props.path), props.schema);
  const value = createMemo(() => props.form.get(props.path));
  const fallback = defaultOf(props.path, props.schema);
  const set = (next: unknown) => props.form.set(props.path, next);
  const id = props.form.id(key);
  const invalid = () => (props.form.errors(key).length > 0 ? "true" : undefined);
  const describedBy = () => (invalid() ? `${id}-error` : undefined);
  const shown = () => value() ?? fallback;
  return (
    <Switch
      fallback={
        <input
          id={id}
          type="text"
          aria-label={props.label}
          aria-invalid={invalid()}
          aria-describedby={describedBy()}
          value={typeof value() === "string" ? (value() as string) : ""}
          onInput={(e) => set(e.currentTarget.value)}
        />
      }
    >
      <Match when={widget === "enum"}>
        <select
          id={id}
          aria-label={props.label}
          aria-invalid={invalid()}
          aria-describedby={describedBy()}
          onChange={(e) => set(e.currentTarget.value === "" ? undefined : e.currentTarget.value)}
        >
          <Show when={fallback === undefined}>
            <option value="" selected={shown() === undefined}>
              {i18n.t("case.unset")}
            </option>
          </Show>
          <For each={props.schema.enum}>
            {(option) => (
              <option value={option} selected={shown() === option}>
                {i18n.value(option)}
              </option>
            )}
          </For>
        </select>
      </Match>
      <Match when={widget === "boolean"}>
        <input
          id={id}
          type="checkbox"
          aria-label={props.label}
          aria-invalid={invalid()}
          aria-describedby={describedBy()}
          checked={shown() === true}
          onChange={(e) => set(e.currentTarget.checked)}
        />
      </Match>
      <Match when={widget === "money"}>
        <MoneyInput
          id={id}
          aria-label={props.label}
          aria-invalid={invalid()}
          aria-describedby={describedBy()}
          placeholder={typeof fallback === "number" ? formatYuan(fallback) : i18n.t("case.unsetMoney")}
          value={typeof value() === "number" ? (value() as number) : undefined}
          onChange={set}
          onValidity={(valid) => props.form.validity(key, valid)}
        />
      </Match>
      <Match when={widget === "integer"}>
        <WholeNumberInput
          id={id}
          min={props.schema.minimum}
          max={props.schema.maximum}
          aria-label={props.label}
          aria-invalid={invalid()}
          aria-describedby={describedBy()}
          value={typeof value() === "number" ? (value() as number) : undefined}
          onChange={set}
          onValidity={(valid) => props.form.validity(key, valid)}
        />
      </Match>
      <Match when={widget === "datetime"}>
        <DateTimeInput
          id={id}
          aria-label={props.label}
          aria-invalid={invalid()}
          aria-describedby={describedBy()}
          value={typeof value() === "string" ? (value() as string) : undefined}
          onChange={set}
          onValidity={(valid) => props.form.validity(key, valid)}
        />
      </Match>
    </Switch>
  );
}

/** The server's messages for one field, tied to its input by id. */
export function FieldErrors(props: { form: FormApi; at: string }) {
  const errors = () => props.form.errors(props.at);
  return (
    <Show when={errors().length > 0}>
      <p class="field-error" id={`${props.form.id(props.at)}-error`}>
        {errors().join("；")}
      </p>
    </Show>
  );
}

/** One field of the case with its label, or a group / list of fields, as the schema says. */
export function SchemaField(props: { form: FormApi; path: Path; schema: JsonSchema }) {
  const i18n = useI18n();
  const key = joinPath(props.path);
  const widget = widgetOf(lastKey(props.path), props.schema);
  if (key === "refund.items") return <RefundItemsField form={props.form} />;
  if (widget === "group") return <GroupField form={props.form} path={props.path} schema={props.schema} />;
  if (widget === "list") return <ListField form={props.form} path={props.path} schema={props.schema} />;
  return (
    <div class={`case-field case-field-${widget}`}>
      <Show
        when={widget === "boolean"}
        fallback={
          <>
            <label for={props.form.id(key)}>{fieldLabel(props.path, i18n)}</label>
            <Control form={props.form} path={props.path} schema={props.schema} />
          </>
        }
      >
        <label class="case-check" for={props.form.id(key)}>
          <Control form={props.form} path={props.path} schema={props.schema} />
          <span>{fieldLabel(props.path, i18n)}</span>
        </label>
      </Show>
      <FieldErrors form={props.form} at={key} />
    </div>
  );
}

/** A section of the case (订单, 退款 …): its fields in the schema's order. */
export function GroupField(props: { form: FormApi; path: Path; schema: JsonSchema }) {
  const i18n = useI18n();
  return (
    <fieldset class="case-group">
      <legend>{fieldLabel(props.path, i18n)}</legend>
      <div class="case-grid">
        <For each={Object.entries(props.schema.properties ?? {})}>
          {([key, schema]) => <SchemaField form={props.form} path={[...props.path, key]} schema={schema} />}
        </For>
      </div>
      <FieldErrors form={props.form} at={joinPath(props.path)} />
    </fieldset>
  );
}

/** A list of small records (items, promotions) as a table, one row each. */
function ListField(props: { form: FormApi; path: Path; schema: JsonSchema }) {
  const i18n = useI18n();
  const key = joinPath(props.path);
  const rows = createMemo(() => {
    const value = props.form.get(props.path);
    return Array.isArray(value) ? (value as unknown[]) : [];
  });
  const columns = Object.entries(props.schema.items?.properties ?? {});
  const rowLabel = (index: number) => `${fieldLabel([...props.path, 0], i18n)} ${index + 1}`;
  return (
    <div class="case-list case-field-wide">
      <div class="case-list-title">{fieldLabel(props.path, i18n)}</div>
      <Show when={rows().length > 0} fallback={<p class="muted case-list-empty">{i18n.t("case.list.empty")}</p>}>
        <table class="data case-table">
          <thead>
            <tr>
              <For each={columns}>
                {([column]) => <th scope="col">{fieldLabel([...props.path, 0, column], i18n)}</th>}
              </For>
              <th scope="col">
                <span class="visually-hidden">{i18n.t("case.list.actions")}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            <Index each={rows()}>
              {(_, index) => (
                <tr>
                  <For each={columns}>
                    {([column, schema]) => (
                      <td>
                        <Control
                          form={props.form}
                          path={[...props.path, index, column]}
                          schema={schema}
                          label={`${rowLabel(index)} ${fieldLabel([...props.path, index, column], i18n)}`}
                        />
                        <FieldErrors form={props.form} at={`${key}.${index}.${column}`} />
                      </td>
                    )}
                  </For>
                  <td class="case-table-actions">
                    <Button
                      variant="ghost"
                      class="btn-small"
                      aria-label={i18n.t("case.list.remove", { item: rowLabel(index) })}
                      onClick={() => props.form.set([...props.path, index], undefined)}
                    >
                      ✕
                    </Button>
                  </td>
                </tr>
              )}
            </Index>
          </tbody>
        </table>
      </Show>
      <Button class="btn-small" onClick={() => props.form.set([...props.path, rows().length], newRow(key, rows()))}>
        {addLabels[key]
          ? i18n.t(addLabels[key])
          : i18n.t("case.list.add", { item: fieldLabel([...props.path, 0], i18n) })}
      </Button>
      <FieldErrors form={props.form} at={key} />
    </div>
  );
}
