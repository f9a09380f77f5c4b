import { createResource, For, Match, Show, Switch } from "solid-js";
import type { TestCase } from "../../../shared/rules.ts";
import { testCaseChanges, type ExpectationChange } from "../../../shared/test-case-changes.ts";
import { api, call } from "../../api.ts";
import { useI18n } from "../../i18n/index.tsx";
import { Failure, Loading } from "../../ui/states.tsx";
import { expectationChangeWords, expectedValueText } from "../tests/expected-value.ts";
import { BeforeAfter, DiffTag } from "./condition-diff-view.tsx";

/** One side of a test-case comparison: a published version's test cases (null: it kept none), or the draft's. */
export type TestCaseSide = { cases: TestCase[] | null; version?: number };

/** One expectation changed: "期望 退货运费：买家承担 → 卖家承担" (struck and inserted), newly checked, or no longer checked. */
function ExpectationRow(props: { change: ExpectationChange }) {
  const i18n = useI18n();
  const { t } = i18n;
  const value = (v: unknown) => expectedValueText(props.change.field, v, i18n);
  const both = () => Object.hasOwn(props.change, "before") && Object.hasOwn(props.change, "after");
  return (
    <li class="vd-field-change vd-test-expect" data-field={props.change.field}>
      <Show
        when={both()}
        fallback={
          Object.hasOwn(props.change, "after") ? (
            <ins>{expectationChangeWords(props.change, i18n)}</ins>
          ) : (
            <del>{expectationChangeWords(props.change, i18n)}</del>
          )
        }
      >
        {t("versions.tests.expect")} <span class="vd-field-name">{i18n.field(props.change.field)}</span>
        {t("versions.tests.colon")}
        <BeforeAfter before={value(props.change.before)} after={value(props.change.after)} />
      </Show>
    </li>
  );
}

/** What a test case as a whole expects: "退货运费：卖家承担，允许到付：是". */
function Expects(props: { testCase: TestCase; removed?: boolean }) {
  const i18n = useI18n();
  const { t } = i18n;
  const text = () =>
    Object.entries(props.testCase.expect)
      .map(
        ([field, value]) => `${i18n.field(field)}${t("versions.tests.colon")}${expectedValueText(field, value, i18n)}`,
      )
      .join(t("versions.tests.listSep"));
  return (
    <p class="vd-test-expects">
      {t("versions.tests.expect")} {props.removed ? <del>{text()}</del> : <ins>{text()}</ins>}
    </p>
  );
}

/**
 * The test cases' changes beside the rule diff: cases added and removed with what they expect,
 * and for a case kept, each expectation before → after, so that an expectation rewritten to make
 * a test pass is seen by the reviewer.
 */
export function TestCaseDiffView(props: { before: TestCaseSide; after: TestCaseSide }) {
  const { t } = useI18n();
  const changes = () => (props.before.cases ? testCaseChanges(props.before.cases, props.after.cases ?? []) : undefined);
  const byName = (side: TestCaseSide, name: string) => side.cases?.find((c) => c.name === name);
  return (
    <section class="vd-section vd-tests" aria-label={t("versions.tests.title")} data-testid="test-case-diff">
      <h3>{t("versions.tests.title")}</h3>
      <Switch>
        <Match when={!props.before.cases || !props.after.cases}>
          <p class="muted">
            {t("versions.tests.notKept", {
              version: String((!props.before.cases ? props.before.version : props.after.version) ?? "?"),
            })}
          </p>
        </Match>
        <Match when={changes()}>
          {(diff) => (
            <Show
              when={diff().added.length + diff().removed.length + diff().changed.length > 0}
              fallback={<p class="vd-identical">{t("versions.tests.same")}</p>}
            >
              <ul class="vd-rules">
                <For each={diff().changed}>
                  {(changed) => (
                    <li class="vd-rule vd-rule-changed" data-test-case={changed.name} data-status="changed">
                      <div class="vd-rule-head">
                        <DiffTag kind="changed" />
                        <span class="vd-rule-name">{changed.name}</span>
                      </div>
                      <ul class="vd-field-changes">
                        <For each={changed.expect}>{(change) => <ExpectationRow change={change} />}</For>
                        <Show when={changed.factsChanged}>
                          <li class="vd-field-change">{t("tests.change.facts")}</li>
                        </Show>
                      </ul>
                    </li>
                  )}
                </For>
                <For each={diff().added}>
                  {(name) => (
                    <li class="vd-rule vd-rule-added" data-test-case={name} data-status="added">
                      <div class="vd-rule-head">
                        <DiffTag kind="added" />
                        <span class="vd-rule-name">{name}</span>
                      </div>
                      <Show when={byName(props.after, name)}>{(testCase) => <Expects testCase={testCase()} />}</Show>
                    </li>
                  )}
                </For>
                <For each={diff().removed}>
                  {(name) => (
                    <li class="vd-rule vd-rule-removed" data-test-case={name} data-status="removed">
                      <div class="vd-rule-head">
                        <DiffTag kind="removed" />
                        <span class="vd-rule-name">{name}</span>
                      </div>
                      <Show when={byName(props.before, name)}>
                        {(testCase) => <Expects testCase={testCase()} removed />}
                      </Show>
                    </li>
                  )}
                </For>
              </ul>
            </Show>
          )}
        </Match>
      </Switch>
    </section>
  );
}

/** A published version's test cases as it kept them (null: published before versions kept them). */
export async function versionTestCases(key: string, version: number): Promise<TestCase[] | null> {
  const detail = await call(
    api["rule-sets"][":key"].versions[":version"].$get({ param: { key, version: String(version) } }),
  );
  return (detail as { testCases?: TestCase[] | null }).testCases ?? null;
}

/** The draft's test cases, as saved. */
export async function draftTestCases(key: string): Promise<TestCase[]> {
  return (await call(api["rule-sets"][":key"]["test-cases"].$get({ param: { key } }))).testCases as TestCase[];
}

/**
 * The saved draft's test cases against the active version's (all new when nothing is published
 * yet), loaded each time `open` turns true: what the review shows beside the rule diff.
 */
export function DraftTestCaseChanges(props: { ruleSetKey: string; activeVersion: number | null; open: boolean }) {
  const [sides, { refetch }] = createResource(
    () => props.open && { key: props.ruleSetKey, active: props.activeVersion },
    async ({ key, active }) => {
      const [before, after] = await Promise.all([
        active === null ? Promise.resolve([]) : versionTestCases(key, active),
        draftTestCases(key),
      ]);
      return { before: { cases: before, version: active ?? undefined }, after: { cases: after } };
    },
  );
  return (
    <Show when={!sides.error} fallback={<Failure error={sides.error} retry={refetch} />}>
      <Show when={!sides.loading && sides()} fallback={<Loading />}>
        {(loaded) => <TestCaseDiffView before={loaded().before} after={loaded().after} />}
      </Show>
    </Show>
  );
}
