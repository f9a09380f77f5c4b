import { createSignal, For, Show } from "solid-js";
import { produce, reconcile } from "solid-js/store";
import { ConditionReference, type Condition, type RuleInput, type TopLevelCondition } from "../../../shared/rules.ts";
import { useI18n } from "../../i18n/index.tsx";
import { conditionWords } from "../../rule-summary.ts";
import { Button } from "../../ui/button.tsx";
import type { RuleSetState } from "../rule-set/rule-set-context.tsx";
import { ConditionBuilder } from "./condition-builder.tsx";
import { blankCondition } from "./values.ts";
import "./shared-conditions.css";

/** Whether a condition tree refers to the shared condition `name` anywhere in it. */
export function refersTo(condition: unknown, name: string): boolean {
  if (!condition || typeof condition !== "object") return false;
  const node = condition as Partial<Record<"all" | "any", Condition[]> & { not: Condition; condition: string }>;
  if (node.condition === name) return true;
  if (Array.isArray(node.all)) return node.all.some((c) => refersTo(c, name));
  if (Array.isArray(node.any)) return node.any.some((c) => refersTo(c, name));
  return node.not !== undefined && refersTo(node.not, name);
}

/** Who refers to the shared condition `name`: the rules (by title, else name) and the other shared conditions. */
export function referencesTo(
  name: string,
  rules: readonly RuleInput[],
  conditions: Record<string, unknown>,
): { rules: string[]; conditions: string[] } {
  return {
    rules: rules.filter((rule) => refersTo(rule.conditions, name)).map((rule) => rule.title || rule.name),
    conditions: Object.keys(conditions).filter((other) => other !== name && refersTo(conditions[other], name)),
  };
}

/**
 * The "共享条件" card: each named condition rules reference with { condition: name }, in words with how many rules use
 * it, edited in the condition builder; added under a checked name; renamed or deleted only while nothing refers to it.
 */
export function SharedConditionsEditor(props: { state: Pick<RuleSetState, "working" | "setWorking"> }) {
  const i18n = useI18n();
  const { t } = i18n;
  const working = props.state.working;
  const setWorking = props.state.setWorking;
  const names = () => Object.keys(working.conditions);
  const [open, setOpen] = createSignal<string>();
  const [adding, setAdding] = createSignal(false);
  const [newName, setNewName] = createSignal("");
  const [refusal, setRefusal] = createSignal<{ name: string; text: string }>();

  /** Why a name cannot be used, or undefined when it can. */
  const nameProblem = (name: string, current?: string) => {
    if (name === "") return t("shared.nameEmpty");
    if (!ConditionReference.shape.condition.safeParse(name).success) return t("shared.nameForm");
    if (name !== current && names().includes(name)) return t("shared.nameTaken", { name });
    return undefined;
  };
  const usedBy = (name: string) => referencesTo(name, working.rules, working.conditions);
  const usedText = (name: string) => {
    const used = usedBy(name);
    return [
      ...used.rules.map((rule) => `「${rule}」`),
      ...used.conditions.map((c) => t("shared.byShared", { name: c })),
    ].join("、");
  };

  const add = () => {
    const name = newName().trim();
    if (nameProblem(name)) return;
    setWorking("conditions", name, { all: [blankCondition()] });
    setAdding(false);
    setNewName("");
    setOpen(name);
  };
  const edit = (name: string, next: TopLevelCondition) => setWorking("conditions", name, reconcile(next));
  const rename = (name: string, next: string) => {
    const used = usedBy(name);
    if (used.rules.length + used.conditions.length > 0) {
      setRefusal({ name, text: t("shared.renameRefused", { name, who: usedText(name) }) });
      return;
    }
    // a new object keeps the order of the names: the renamed one stays where it was
    const renamed = Object.fromEntries(
      Object.entries(JSON.parse(JSON.stringify(working.conditions)) as Record<string, unknown>).map(([key, value]) => [
        key === name ? next : key,
        value,
      ]),
    );
    setWorking("conditions", reconcile(renamed));
    if (open() === name) setOpen(next);
  };
  const remove = (name: string) => {
    const used = usedBy(name);
    if (used.rules.length + used.conditions.length > 0) {
      setRefusal({ name, text: t("shared.deleteRefused", { name, who: usedText(name) }) });
      return;
    }
    setRefusal(undefined);
    setWorking(
      "conditions",
      produce((conditions) => {
        delete conditions[name];
      }),
    );
  };

  return (
    <section class="card shared-card" aria-labelledby="shared-heading">
      <div class="rule-list-head">
        <h2 id="shared-heading">{t("shared.heading")}</h2>
        <span class="spacer" />
        <Button variant="secondary" onClick={() => setAdding(true)}>
          + {t("shared.add")}
        </Button>
      </div>
      <p class="hint">{t("shared.hint")}</p>
      <Show when={adding()}>
        <div class="shared-add">
          <label>
            {t("shared.newName")}
            <input
              type="text"
              value={newName()}
              aria-invalid={newName() !== "" && nameProblem(newName().trim()) !== undefined}
              onInput={(e) => setNewName(e.currentTarget.value)}
              onKeyDown={(e) => e.key === "Enter" && add()}
            />
          </label>
          <Button onClick={add} disabled={nameProblem(newName().trim()) !== undefined}>
            {t("shared.create")}
          </Button>
          <Button variant="secondary" onClick={() => setAdding(false)}>
            {t("shared.cancel")}
          </Button>
          <Show when={newName() !== "" && nameProblem(newName().trim())}>
            {(problem) => <p class="field-error">{problem()}</p>}
          </Show>
        </div>
      </Show>
      <Show when={names().length > 0} fallback={<p class="muted">{t("shared.none")}</p>}>
        <ul class="shared-list">
          <For each={names()}>
            {(name) => {
              const [typed, setTyped] = createSignal(name);
              const count = () => usedBy(name).rules.length;
              return (
                <li class="shared-item" data-shared={name}>
                  <div class="shared-head">
                    <strong>{name}</strong>
                    <span class="badge">{t("shared.usedBy", { n: count() })}</span>
                    <span class="spacer" />
                    <Button variant="secondary" onClick={() => setOpen(open() === name ? undefined : name)}>
                      {open() === name ? t("shared.close") : t("shared.edit", { name })}
                    </Button>
                    <Button variant="danger" onClick={() => remove(name)}>
                      {t("shared.delete", { name })}
                    </Button>
                  </div>
                  <p class="shared-words">{conditionWords(working.conditions[name] as TopLevelCondition, i18n)}</p>
                  <Show when={refusal()?.name === name}>
                    <p class="form-error" role="alert">
                      {refusal()?.text}
                    </p>
                  </Show>
                  <Show when={open() === name}>
                    <div class="shared-body">
                      <label class="shared-rename">
                        {t("shared.name")}
                        <input
                          type="text"
                          value={typed()}
                          onInput={(e) => setTyped(e.currentTarget.value)}
                          onChange={(e) => {
                            const next = e.currentTarget.value.trim();
                            if (next === name) return;
                            if (nameProblem(next, name)) {
                              setRefusal({ name, text: nameProblem(next, name) ?? "" });
                              setTyped(name);
                              return;
                            }
                            rename(name, next);
                            setTyped(name);
                          }}
                        />
                      </label>
                      <ConditionBuilder
                        condition={working.conditions[name] as TopLevelCondition}
                        shared={Object.fromEntries(Object.entries(working.conditions).filter(([key]) => key !== name))}
                        path={`conditions.${name}`}
                        onChange={(next) => edit(name, next)}
                      />
                    </div>
                  </Show>
                </li>
              );
            }}
          </For>
        </ul>
      </Show>
    </section>
  );
}
