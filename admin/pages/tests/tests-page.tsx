import { useBeforeLeave } from "@solidjs/router";
import stringify from "safe-stable-stringify";
import { createEffect, createMemo, createResource, createSignal, For, on, onCleanup, onMount, Show } from "solid-js";
import { fieldProblemText, type ShownProblem } from "../../ui/problem-text.ts";
import { api, ApiError, call } from "../../api.ts";
import { useI18n } from "../../i18n/index.tsx";
import { Button } from "../../ui/button.tsx";
import { Empty, Failure, Loading } from "../../ui/states.tsx";
import { useToast } from "../../ui/toast.tsx";
import { holdUnsaved } from "../../unsaved.ts";
import { useRuleSet } from "../rule-set/rule-set-context.tsx";
import { defaultCase } from "../simulator/case-schema.ts";
import type { SimulateResult } from "../simulator/simulator-types.ts";
import { AcceptActualDialog } from "./accept-actual-dialog.tsx";
import { TestCaseCard } from "./test-case-card.tsx";
import { TestCaseDialog } from "./test-case-dialog.tsx";
import * as model from "./test-cases-model.ts";
import type { RunRecord, TestCase, TestCaseResult, WorkingCase } from "./test-cases-model.ts";
import "./tests.css";

/**
 * The rule set's test cases: named cases with the decision fields they expect. They run against
 * the saved draft, and a publish is refused while one fails, so this is where a policy change is
 * proven before it goes live.
 */
export function TestsPage() {
  const { t, ruleSetName } = useI18n();
  const state = useRuleSet();
  const toast = useToast();
  const [saved, { mutate: setSaved, refetch }] = createResource(
    state.key,
    async (key) =>
      (await call(api["rule-sets"][":key"]["test-cases"].$get({ param: { key } }))).testCases as TestCase[],
  );
  const [cases, setCases] = createSignal<WorkingCase[]>([]);
  // a list loaded from the server replaces the page's; the echo of our own save does not (uids keep their run results)
  createEffect(
    on(saved, (list) => {
      if (list && stringify(list) !== stringify(cases().map(model.withoutUid))) setCases(list.map(model.withUid));
    }),
  );
  const [records, setRecords] = createSignal<ReadonlyMap<number, RunRecord>>(new Map());
  const [caseErrors, setCaseErrors] = createSignal<ReadonlyMap<number, ShownProblem[]>>(new Map());
  const [listErrors, setListErrors] = createSignal<ShownProblem[]>([]);
  const [failure, setFailure] = createSignal<unknown>();
  const [running, setRunning] = createSignal(false);
  const [saving, setSaving] = createSignal(false);
  const [editing, setEditingSignal] = createSignal<{ uid: number | null; initial: TestCase }>();
  // the dialog is mounted only while open, so focus goes back to what opened it by hand
  let opener: Element | null = null;
  const setEditing = (target: { uid: number | null; initial: TestCase } | undefined) => {
    if (target) opener = document.activeElement;
    setEditingSignal(target);
    if (!target && opener instanceof HTMLElement && opener.isConnected) opener.focus();
  };

  const dirty = createMemo(
    () => saved() !== undefined && stringify(cases().map(model.withoutUid)) !== stringify(saved()),
  );
  const statuses = createMemo(() => new Map(cases().map((c) => [c.uid, model.statusOf(c, records().get(c.uid))])));
  const counts = createMemo(() => {
    const all = [...statuses().values()];
    return {
      pass: all.filter((s) => s === "pass").length,
      fail: all.filter((s) => s === "fail").length,
      pending: all.filter((s) => s === "pending").length,
    };
  });
  const ran = () => records().size > 0;

  useBeforeLeave((event) => {
    if (dirty() && !window.confirm(t("tests.leaveUnsaved"))) event.preventDefault();
  });
  const beforeUnload = (event: BeforeUnloadEvent) => dirty() && event.preventDefault();
  onMount(() => window.addEventListener("beforeunload", beforeUnload));
  onCleanup(() => window.removeEventListener("beforeunload", beforeUnload));
  holdUnsaved({
    what: () => t("unsaved.tests", { name: ruleSetName(state.key(), state.detail()?.name ?? state.key()) }),
    dirty,
    discard: () => setCases((saved() ?? []).map(model.withUid)),
  });

  /** Stores the list; on 422 the errors go to the cases they concern. Answers whether it saved. */
  const save = async (): Promise<boolean> => {
    const duplicates = model.duplicateNames(cases());
    if (duplicates.size > 0) {
      setListErrors([...duplicates].map((name) => ({ path: name, message: t("tests.nameTaken") })));
      return false;
    }
    setSaving(true);
    setFailure(undefined);
    try {
      const body = { testCases: cases().map(model.withoutUid) };
      const answer = await call(
        api["rule-sets"][":key"]["test-cases"].$put({ param: { key: state.key() }, json: body }),
      );
      setCaseErrors(new Map());
      setListErrors([]);
      // the list on the page is what was sent: keep its uids (and run results) rather than reloading
      setSaved(answer.testCases as TestCase[]);
      toast("success", t("tests.saved", { count: body.testCases.length }));
      return true;
    } catch (error) {
      if (error instanceof ApiError && error.status === 422 && error.problem.errors) {
        const { byIndex, other } = model.errorsByCase(error.problem.errors);
        setCaseErrors(
          new Map(
            [...byIndex].flatMap(([index, problems]) =>
              cases()[index] ? [[cases()[index]!.uid, problems] as const] : [],
            ),
          ),
        );
        setListErrors(other);
        toast("error", t("tests.saveInvalid", { count: error.problem.errors.length }));
      } else setFailure(error);
      return false;
    } finally {
      setSaving(false);
    }
  };

  /** Runs the stored cases against the saved draft; unsaved changes to the list are saved first. */
  const run = async () => {
    if (dirty() && !(await save())) return;
    setRunning(true);
    setFailure(undefined);
    try {
      const answer = (await call(
        api["rule-sets"][":key"]["test-cases"].run.$post({ param: { key: state.key() }, query: {} }),
      )) as { passed: boolean; results: TestCaseResult[] };
      const next = new Map<number, RunRecord>();
      cases().forEach((testCase, index) => {
        const result =
          answer.results[index]?.name === testCase.name
            ? answer.results[index]
            : answer.results.find((r) => r.name === testCase.name);
        if (result) next.set(testCase.uid, { fingerprint: model.fingerprint(testCase), result });
      });
      setRecords(next);
    } catch (error) {
      setFailure(error);
    } finally {
      setRunning(false);
    }
  };

  const replace = (uid: number, next: WorkingCase) => setCases((all) => all.map((c) => (c.uid === uid ? next : c)));
  // "accept the actual result" first shows what it changes and which rule gave each value
  const [accepting, setAccepting] = createSignal<WorkingCase>();
  const acceptingChanges = () => {
    const testCase = accepting();
    const record = testCase && records().get(testCase.uid);
    return record ? model.acceptChanges(state.kind(), record.result, state.detail()?.draft.rules ?? []) : [];
  };
  const accept = (testCase: WorkingCase) => {
    setAccepting(undefined);
    const record = records().get(testCase.uid);
    if (!record) return;
    const next = model.acceptActual(testCase, record.result);
    replace(testCase.uid, next);
    setRecords((all) =>
      new Map(all).set(testCase.uid, {
        fingerprint: model.fingerprint(next),
        result: { ...record.result, passed: true, mismatches: [] },
        accepted: true,
      }),
    );
  };
  /** What the saved draft decides for a case: the dialog's "按草稿的结论填写". */
  const simulate = async (facts: unknown) =>
    (await call(
      api["rule-sets"][":key"].simulate.$post({ param: { key: state.key() }, json: { facts } }),
    )) as SimulateResult;
  const duplicate = (testCase: WorkingCase) => {
    const names = cases().map((c) => c.name);
    const copy = model.withUid({
      ...model.withoutUid(testCase),
      name: model.copyName(testCase.name, names, (n) => t("tests.copySuffix", { n: n === 1 ? "" : ` ${n}` })),
    });
    setCases((all) => all.flatMap((c) => (c.uid === testCase.uid ? [c, copy] : [c])));
  };
  const applyEdit = (edited: TestCase) => {
    const target = editing();
    if (!target) return;
    if (target.uid === null) setCases((all) => [...all, model.withUid(edited)]);
    else {
      replace(target.uid, { ...structuredClone(edited), uid: target.uid });
      setCaseErrors((all) => new Map([...all].filter(([uid]) => uid !== target.uid)));
    }
    setEditing(undefined);
  };
  const discard = () => {
    setCaseErrors(new Map());
    setListErrors([]);
    void refetch();
  };

  return (
    <div class="tests-page">
      <p class="intro">{t("tests.intro")}</p>
      <Show when={state.dirty()}>
        <p class="sim-notice sim-notice-warn">{t("tests.rulesDirty")}</p>
      </Show>
      <div class="row tests-toolbar">
        <Button variant="primary" busy={running()} disabled={saving() || cases().length === 0} onClick={run}>
          {t("tests.run")}
        </Button>
        <Button onClick={() => setEditing({ uid: null, initial: { name: "", facts: defaultCase(), expect: {} } })}>
          {t("tests.add")}
        </Button>
        <Button busy={saving()} disabled={!dirty()} onClick={() => void save()}>
          {t("tests.save")}
        </Button>
        <Show when={dirty()}>
          <Button variant="ghost" onClick={discard}>
            {t("tests.discard")}
          </Button>
        </Show>
        <span class="spacer" />
        <Show when={ran()}>
          <p
            class={`tests-summary ${counts().fail > 0 ? "tests-summary-fail" : counts().pending > 0 ? "" : "tests-summary-pass"}`}
            role="status"
            data-testid="tests-summary"
          >
            {t("tests.summary", { passed: counts().pass, failed: counts().fail })}
            <Show when={counts().pending > 0}>{t("tests.summaryPending", { pending: counts().pending })}</Show>
          </p>
        </Show>
      </div>
      <Show when={dirty()}>
        <p class="sim-notice">{t("tests.unsavedList")}</p>
      </Show>
      <Show when={failure()}>
        <Failure error={failure()} />
      </Show>
      <Show when={listErrors().length > 0}>
        <div class="form-error" role="alert">
          <For each={listErrors()}>{(problem) => <p>{`${problem.path}: ${fieldProblemText(problem, t)}`}</p>}</For>
        </div>
      </Show>

      <Show when={!saved.error} fallback={<Failure error={saved.error} retry={refetch} />}>
        <Show when={saved() !== undefined} fallback={<Loading />}>
          <Show when={cases().length > 0} fallback={<Empty>{t("tests.empty")}</Empty>}>
            <div class="test-case-list">
              <For each={cases()}>
                {(testCase) => (
                  <TestCaseCard
                    testCase={testCase}
                    status={statuses().get(testCase.uid) ?? "pending"}
                    record={records().get(testCase.uid)}
                    errors={caseErrors().get(testCase.uid)}
                    onEdit={() => setEditing({ uid: testCase.uid, initial: model.withoutUid(testCase) })}
                    onDuplicate={() => duplicate(testCase)}
                    onDelete={() => setCases((all) => all.filter((c) => c.uid !== testCase.uid))}
                    onAccept={() => setAccepting(testCase)}
                  />
                )}
              </For>
            </div>
          </Show>
        </Show>
      </Show>

      <Show when={accepting()} keyed>
        {(testCase) => (
          <AcceptActualDialog
            caseName={testCase.name}
            changes={acceptingChanges()}
            onConfirm={() => accept(testCase)}
            onClose={() => setAccepting(undefined)}
          />
        )}
      </Show>

      <Show when={editing()} keyed>
        {(target) => (
          <TestCaseDialog
            title={target.uid === null ? t("tests.addTitle") : t("tests.editTitle")}
            kind={state.kind()}
            simulate={simulate}
            initial={target.initial}
            otherNames={cases()
              .filter((c) => c.uid !== target.uid)
              .map((c) => c.name)}
            errors={target.uid === null ? undefined : caseErrors().get(target.uid)}
            onApply={applyEdit}
            onClose={() => setEditing(undefined)}
          />
        )}
      </Show>
    </div>
  );
}
