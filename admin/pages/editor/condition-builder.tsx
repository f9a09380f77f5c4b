import { createSignal, For, Match, Show, Switch } from "solid-js";
import type { Condition, ConditionReference, LeafCondition, TopLevelCondition } from "../../../shared/rules.ts";
import { useI18n } from "../../i18n/index.tsx";
import { conditionWords } from "../../rule-summary.ts";
import { Button } from "../../ui/button.tsx";
import { ConfirmActions, Dialog } from "../../ui/dialog.tsx";
import { ConditionLeaf } from "./condition-leaf.tsx";
import { noErrors, type ErrorsAt } from "./problems.ts";
import { blankCondition, kindOf } from "./values.ts";

/**
 * The structured condition builder: groups of conditions that must all hold (全部满足), any
 * hold (任一满足) or not hold (不满足), nested as deep as needed, and references to the rule
 * set's shared conditions. Every change hands a new tree to `onChange`; the caller stores it. Deleting a group's last
 * condition asks first, since an empty group always holds (the rule then applies to every refund), and an empty group
 * says so in red.
 */
export type ConditionBuilderProps = {
  condition: TopLevelCondition;
  onChange: (next: TopLevelCondition) => void;
  /** The rule set's shared conditions, by name, that a rule may refer to. */
  shared?: Record<string, unknown>;
  /** Path of the tree in the rule, for the server's problems: "conditions". */
  path?: string;
  errors?: ErrorsAt;
};

type Context = { shared: Record<string, unknown>; errors: ErrorsAt; root: string };

export function ConditionBuilder(props: ConditionBuilderProps) {
  const context: Context = {
    get shared() {
      return props.shared ?? {};
    },
    get errors() {
      return props.errors ?? noErrors;
    },
    get root() {
      return props.path ?? "conditions";
    },
  };
  return (
    <div class="cond-builder">
      <ConditionNode
        node={props.condition}
        path={props.path ?? "conditions"}
        context={context}
        onChange={(next) => props.onChange(next as TopLevelCondition)}
      />
    </div>
  );
}

type NodeProps<T extends Condition = Condition> = {
  node: T;
  path: string;
  context: Context;
  onChange: (next: Condition) => void;
  /** Absent for the root, which cannot be removed. */
  onRemove?: () => void;
};

function ConditionNode(props: NodeProps) {
  return (
    <Switch>
      <Match when={kindOf(props.node) === "all" || kindOf(props.node) === "any"}>
        <ConditionGroup {...props} node={props.node as { all: Condition[] }} />
      </Match>
      <Match when={kindOf(props.node) === "not"}>
        <NotGroup {...props} node={props.node as { not: Condition }} />
      </Match>
      <Match when={kindOf(props.node) === "ref"}>
        <SharedReference {...props} node={props.node as ConditionReference} />
      </Match>
      <Match when={kindOf(props.node) === "leaf"}>
        <ConditionLeaf
          leaf={props.node as LeafCondition}
          path={props.path}
          errors={props.context.errors}
          onChange={props.onChange}
          onRemove={props.onRemove}
        />
      </Match>
    </Switch>
  );
}

function GroupErrors(props: { messages: string[] }) {
  return (
    <Show when={props.messages.length > 0}>
      <ul class="field-errors">
        <For each={props.messages}>{(message) => <li class="field-error">{message}</li>}</For>
      </ul>
    </Show>
  );
}

function ConditionGroup(props: NodeProps<{ all: Condition[] } | { any: Condition[] }>) {
  const { t } = useI18n();
  const kind = () => ("all" in props.node ? "all" : "any");
  const children = (): Condition[] => ("all" in props.node ? props.node.all : props.node.any);
  const set = (next: Condition[], as = kind()) => props.onChange(as === "all" ? { all: next } : { any: next });
  const replace = (index: number, next: Condition) => set(children().map((child, i) => (i === index ? next : child)));
  const drop = (index: number) => set(children().filter((_, i) => i !== index));
  // the last one leaves an empty group, which always holds: that changes what the rule means, so it is asked for
  const [lastOne, setLastOne] = createSignal<number>();
  const remove = (index: number) => (children().length === 1 ? setLastOne(index) : drop(index));
  const add = (child: Condition) => set([...children(), child]);
  const sharedNames = () => Object.keys(props.context.shared);
  const isRoot = () => props.path === props.context.root;
  return (
    <fieldset
      class={`cond-group cond-${kind()}`}
      aria-label={t(kind() === "all" ? "cond.all" : "cond.any")}
      data-path={props.path}
    >
      <div class="cond-head">
        <select aria-label={t("cond.match")} onChange={(e) => set(children(), e.currentTarget.value as "all" | "any")}>
          <option value="all" selected={kind() === "all"}>
            {t("cond.all")}
          </option>
          <option value="any" selected={kind() === "any"}>
            {t("cond.any")}
          </option>
        </select>
        <span class="muted">{t(kind() === "all" ? "cond.allHint" : "cond.anyHint")}</span>
        <span class="spacer" />
        <Show when={props.onRemove}>
          <Button class="btn-small" variant="ghost" onClick={() => props.onRemove?.()}>
            {t("cond.removeGroup")}
          </Button>
        </Show>
      </div>
      <GroupErrors messages={props.context.errors.at(props.path)} />
      <Show
        when={children().length > 0}
        fallback={
          <p class="cond-empty" classList={{ "cond-empty-root": isRoot() }} role="note">
            <span aria-hidden="true">⚠ </span>
            {t(isRoot() ? "cond.emptyRoot" : "cond.emptyNested")}
          </p>
        }
      >
        <ol class="cond-children">
          <For each={children()}>
            {(child, index) => (
              <li>
                <Show when={index() > 0}>
                  <span class="cond-join" aria-hidden="true">
                    {t(kind() === "all" ? "cond.and" : "cond.or")}
                  </span>
                </Show>
                <ConditionNode
                  node={child}
                  path={`${props.path}.${kind()}.${index()}`}
                  context={props.context}
                  onChange={(next) => replace(index(), next)}
                  onRemove={() => remove(index())}
                />
              </li>
            )}
          </For>
        </ol>
      </Show>
      <div class="cond-actions">
        <Button class="btn-small" onClick={() => add(blankCondition())}>
          + {t("cond.addCondition")}
        </Button>
        <Button class="btn-small" onClick={() => add({ all: [blankCondition()] })}>
          + {t("cond.addGroup")}
        </Button>
        <Button class="btn-small" onClick={() => add({ not: { all: [blankCondition()] } })}>
          + {t("cond.addNot")}
        </Button>
        <Show when={sharedNames().length > 0}>
          <Button class="btn-small" onClick={() => add({ condition: sharedNames()[0]! })}>
            + {t("cond.addRef")}
          </Button>
        </Show>
      </div>
      <Dialog
        open={lastOne() !== undefined}
        title={t("cond.lastTitle")}
        onClose={() => setLastOne(undefined)}
        actions={
          <ConfirmActions
            onCancel={() => setLastOne(undefined)}
            onConfirm={() => {
              const index = lastOne();
              setLastOne(undefined);
              if (index !== undefined) drop(index);
            }}
            confirmLabel={t(isRoot() ? "cond.lastRootConfirm" : "cond.lastNestedConfirm")}
            variant="danger"
          />
        }
      >
        <p>{t(isRoot() ? "cond.lastRootBody" : "cond.lastNestedBody")}</p>
      </Dialog>
    </fieldset>
  );
}

/** 不满足: the one condition (usually a group) inside must not hold. */
function NotGroup(props: NodeProps<{ not: Condition }>) {
  const { t } = useI18n();
  return (
    <fieldset class="cond-group cond-not" aria-label={t("cond.not")} data-path={props.path}>
      <div class="cond-head">
        <strong class="cond-not-title">{t("cond.not")}</strong>
        <span class="muted">{t("cond.notHint")}</span>
        <span class="spacer" />
        <Show when={props.onRemove}>
          <Button class="btn-small" variant="ghost" onClick={() => props.onRemove?.()}>
            {t("cond.removeNot")}
          </Button>
        </Show>
      </div>
      <GroupErrors messages={props.context.errors.at(props.path)} />
      {/* removed with its "不满足", whose head has the button */}
      <ConditionNode
        node={props.node.not}
        path={`${props.path}.not`}
        context={props.context}
        onChange={(next) => props.onChange({ not: next })}
      />
    </fieldset>
  );
}

/** A reference to one of the rule set's shared conditions, with what it says. */
function SharedReference(props: NodeProps<ConditionReference>) {
  const i18n = useI18n();
  const { t } = i18n;
  const names = () => Object.keys(props.context.shared);
  const definition = () => props.context.shared[props.node.condition] as TopLevelCondition | undefined;
  const messages = () => [
    ...props.context.errors.at(props.path),
    ...props.context.errors.at(`${props.path}.condition`),
  ];
  return (
    <div class="cond-leaf cond-ref" data-path={props.path} classList={{ invalid: messages().length > 0 }}>
      <div class="cond-row">
        <span class="badge badge-muted">{t("cond.shared")}</span>
        <select
          aria-label={t("cond.shared")}
          aria-invalid={messages().length > 0 ? "true" : undefined}
          onChange={(e) => props.onChange({ condition: e.currentTarget.value })}
        >
          <Show when={!names().includes(props.node.condition)}>
            <option value={props.node.condition} selected>
              {props.node.condition}
            </option>
          </Show>
          <For each={names()}>
            {(name) => (
              <option value={name} selected={name === props.node.condition}>
                {name}
              </option>
            )}
          </For>
        </select>
        <Show when={props.onRemove}>
          <Button class="btn-small cond-remove" variant="ghost" onClick={() => props.onRemove?.()}>
            {t("cond.remove")}
          </Button>
        </Show>
      </div>
      <Show when={definition()}>
        {(shared) => <p class="cond-ref-words muted">{conditionWords(shared(), i18n)}</p>}
      </Show>
      <GroupErrors messages={messages()} />
    </div>
  );
}
