import { createMemo, createSignal, For, Show } from "solid-js";
import type { RuleInput } from "../../../shared/rules.ts";
import { useI18n } from "../../i18n/index.tsx";
import { ConfirmActions, Dialog } from "../../ui/dialog.tsx";
import { evaluationOrder } from "./rule-order.ts";
import { planPlacement, type Placement, type PlacementPlan } from "./rule-placement.ts";

type Where = Placement["where"];

type Translate = ReturnType<typeof useI18n>["t"];

/** A rule as the manager knows it: its place in the evaluation order and its title, else its name. */
export const ruleLabel = (t: Translate, rule: Pick<RuleInput, "name" | "title">, position: number) =>
  t("place.rule", { position, title: rule.title ? rule.title : rule.name });

/**
 * Asks where a new rule goes — above or below a chosen rule, or first or last — and shows the priority it will get;
 * when there is no integer room between its neighbours it lists every priority that changes, and the button says it
 * renumbers: nothing is renumbered without the manager seeing it.
 */
export function AddRuleDialog(props: {
  open: boolean;
  rules: readonly RuleInput[];
  /** The rule chosen when the dialog opens (else the last one). */
  anchor?: RuleInput | undefined;
  onClose: () => void;
  onAdd: (plan: PlacementPlan) => void;
}) {
  const { t } = useI18n();
  const ordered = createMemo(() => evaluationOrder(props.rules));
  const [where, setWhere] = createSignal<Where>("below");
  const [chosen, setChosen] = createSignal<number>();
  const anchorIndex = () => {
    const picked = chosen();
    if (picked !== undefined && picked < ordered().length) return picked;
    const given = props.anchor ? ordered().indexOf(props.anchor) : -1;
    return given >= 0 ? given : ordered().length - 1;
  };
  const placement = (): Placement => {
    const anchor = ordered()[anchorIndex()];
    const w = where();
    if (anchor === undefined || w === "top" || w === "bottom")
      return { where: w === "above" ? "top" : w === "below" ? "bottom" : w };
    return { where: w, anchor };
  };
  const plan = createMemo(() => planPlacement(props.rules, placement()));
  const close = () => {
    setChosen(undefined);
    setWhere("below");
    props.onClose();
  };
  const choices: Where[] = ["above", "below", "top", "bottom"];
  const relative = () => where() === "above" || where() === "below";

  return (
    <Dialog
      open={props.open}
      title={t("place.title")}
      onClose={close}
      actions={
        <ConfirmActions
          onCancel={close}
          onConfirm={() => {
            props.onAdd(plan());
            setChosen(undefined);
            setWhere("below");
          }}
          confirmLabel={plan().renumber.length > 0 ? t("place.renumberAndAdd") : t("place.add")}
        />
      }
    >
      <fieldset class="place-where">
        <legend>{t("place.where")}</legend>
        <For each={choices}>
          {(choice) => (
            <label class="radio">
              <input
                type="radio"
                name="place-where"
                value={choice}
                checked={where() === choice}
                disabled={ordered().length === 0 && (choice === "above" || choice === "below")}
                onChange={() => setWhere(choice)}
              />
              {t(`place.${choice}`)}
            </label>
          )}
        </For>
      </fieldset>
      <Show when={ordered().length > 0}>
        <div class="field">
          <label for="place-anchor">{t("place.anchor")}</label>
          <select
            id="place-anchor"
            disabled={!relative()}
            onChange={(event) => setChosen(Number(event.currentTarget.value))}
          >
            <For each={ordered()}>
              {(rule, position) => (
                <option value={position()} selected={position() === anchorIndex()}>
                  {`${ruleLabel(t, rule, position() + 1)}（${t("place.priority")} ${rule.priority ?? 1}）`}
                </option>
              )}
            </For>
          </select>
        </div>
      </Show>
      <p data-testid="place-priority">
        {t("place.result", { position: plan().position + 1, priority: plan().priority })}
        <Show when={plan().after !== undefined || plan().before !== undefined}>
          {t("place.between", {
            after: plan().after ?? "—",
            before: plan().before ?? "—",
          })}
        </Show>
      </p>
      <Show when={plan().renumber.length > 0}>
        <div class="place-renumber" role="alert">
          <p>{t("place.noRoom")}</p>
          <ul data-testid="place-renumber">
            <For each={plan().renumber}>
              {(change) => (
                <li>
                  {t("place.change", {
                    rule: ruleLabel(t, change.rule, ordered().indexOf(change.rule) + 1),
                    from: change.from,
                    to: change.to,
                  })}
                </li>
              )}
            </For>
          </ul>
        </div>
      </Show>
    </Dialog>
  );
}
