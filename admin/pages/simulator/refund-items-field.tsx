import { createMemo, For, Show } from "solid-js";
import { displayYuan } from "../../../shared/money.ts";
import { useI18n } from "../../i18n/index.tsx";
import { Button } from "../../ui/button.tsx";
import { WholeNumberInput } from "../../ui/whole-number-input.tsx";
import type { FormApi } from "./case-fields.tsx";
import { FieldErrors } from "./case-fields.tsx";

type OrderItem = { id?: unknown; priceFen?: unknown; quantity?: unknown };
type RefundItem = { id?: unknown; quantity?: unknown };

/**
 * What the refund covers: the whole order (`refund.items` absent), or some of the order's items
 * with a quantity each. Entries naming no order item are kept and shown, so nothing is lost silently.
 */
export function RefundItemsField(props: { form: FormApi }) {
  const { t } = useI18n();
  const path = ["refund", "items"] as const;
  const orderItems = createMemo(() => {
    const items = props.form.get(["order", "items"]);
    return Array.isArray(items) ? (items as OrderItem[]) : [];
  });
  const entries = createMemo(() => {
    const items = props.form.get(path);
    return Array.isArray(items) ? (items as RefundItem[]) : undefined;
  });
  const whole = () => entries() === undefined;
  const indexOf = (id: unknown) => entries()?.findIndex((entry) => entry?.id === id) ?? -1;
  const unknownEntries = createMemo(() =>
    (entries() ?? [])
      .map((entry, index) => ({ entry, index }))
      .filter(({ entry }) => !orderItems().some((item) => item?.id === entry?.id)),
  );
  const choosePartial = () => {
    const first = orderItems()[0];
    props.form.set(path, first && typeof first.id === "string" ? [{ id: first.id, quantity: 1 }] : []);
  };
  const toggle = (id: unknown, on: boolean) => {
    const current = entries() ?? [];
    props.form.set(path, on ? [...current, { id, quantity: 1 }] : current.filter((entry) => entry?.id !== id));
  };
  const name = props.form.id("refund.items.scope");

  return (
    <fieldset class="case-list case-field-wide refund-items">
      <legend>{t("case.refund.items")}</legend>
      <div class="row" role="radiogroup" aria-label={t("case.refund.items")}>
        <label class="case-check">
          <input type="radio" name={name} checked={whole()} onChange={() => props.form.set(path, undefined)} />
          <span>{t("case.refund.wholeOrder")}</span>
        </label>
        <label class="case-check">
          <input type="radio" name={name} checked={!whole()} onChange={choosePartial} />
          <span>{t("case.refund.someItems")}</span>
        </label>
      </div>
      <Show when={!whole()}>
        <Show
          when={orderItems().length > 0}
          fallback={<p class="muted case-list-empty">{t("case.refund.noOrderItems")}</p>}
        >
          <table class="data case-table">
            <thead>
              <tr>
                <th scope="col">{t("case.refund.refundThis")}</th>
                <th scope="col">{t("case.item.priceFen")}</th>
                <th scope="col">{t("case.refundItem.quantity")}</th>
              </tr>
            </thead>
            <tbody>
              <For each={orderItems()}>
                {(item) => {
                  const index = () => indexOf(item?.id);
                  const at = () => `refund.items.${index()}`;
                  return (
                    <tr>
                      <td>
                        <label class="case-check">
                          <input
                            type="checkbox"
                            checked={index() >= 0}
                            onChange={(e) => toggle(item?.id, e.currentTarget.checked)}
                          />
                          <span>
                            {t("case.item")} {String(item?.id ?? "")}
                          </span>
                        </label>
                      </td>
                      <td class="muted">
                        {typeof item?.priceFen === "number"
                          ? `${displayYuan(item.priceFen)} × ${String(item.quantity ?? 1)}`
                          : "—"}
                      </td>
                      <td>
                        <Show when={index() >= 0}>
                          <WholeNumberInput
                            id={props.form.id(`${at()}.quantity`)}
                            min={1}
                            max={typeof item?.quantity === "number" ? item.quantity : undefined}
                            aria-label={t("case.refund.quantityOf", { id: String(item?.id ?? "") })}
                            aria-invalid={props.form.errors(`${at()}.quantity`).length > 0 ? "true" : undefined}
                            value={
                              typeof entries()?.[index()]?.quantity === "number"
                                ? (entries()?.[index()]?.quantity as number)
                                : undefined
                            }
                            onChange={(quantity) => props.form.set([...path, index(), "quantity"], quantity)}
                            onValidity={(valid) =>
                              props.form.validity(`refund.items.quantity.${String(item?.id)}`, valid)
                            }
                          />
                          <FieldErrors form={props.form} at={`${at()}.quantity`} />
                          <FieldErrors form={props.form} at={`${at()}.id`} />
                        </Show>
                      </td>
                    </tr>
                  );
                }}
              </For>
            </tbody>
          </table>
        </Show>
        <For each={unknownEntries()}>
          {({ entry, index }) => (
            <div class="row refund-item-unknown">
              <span class="badge badge-danger">
                {t("case.refund.unknownItem", {
                  id: String(entry?.id ?? "?"),
                  quantity: String(entry?.quantity ?? "?"),
                })}
              </span>
              <Button class="btn-small" variant="ghost" onClick={() => props.form.set([...path, index], undefined)}>
                {t("action.delete")}
              </Button>
              <FieldErrors form={props.form} at={`refund.items.${index}.id`} />
            </div>
          )}
        </For>
      </Show>
      <FieldErrors form={props.form} at="refund.items" />
    </fieldset>
  );
}
