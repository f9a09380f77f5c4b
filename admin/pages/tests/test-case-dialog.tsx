import { createMemo, createSignal, Show } from "solid-js";
import { fieldProblemText, type ShownProblem } from "../../ui/problem-text.ts";
import type { RuleSetKind } from "../../../shared/kinds/index.ts";
import { ApiError } from "../../api.ts";
import { useI18n } from "../../i18n/index.tsx";
import { Button } from "../../ui/button.tsx";
import { ConfirmActions, Dialog } from "../../ui/dialog.tsx";
import { CaseForm } from "../simulator/case-form.tsx";
import type { SimulateResult } from "../simulator/simulator-types.ts";
import { ExpectEditor } from "./expect-editor.tsx";
import { errorsUnder, type TestCase } from "./test-cases-model.ts";
import { FormError } from "../../ui/field.tsx";

type Props = {
  title: string;
  /** The rule set's kind: its decision fields are the expectation's inputs (none: the expectation as JSON). */
  kind: RuleSetKind | undefined;
  /** What the saved draft decides for a case, for "按草稿的结论填写". */
  simulate: (facts: unknown) => Promise<SimulateResult>;
  initial: TestCase;
  /** The names of the other cases: a name must be unique. */
  otherNames: readonly string[];
  /** The last save's errors for this case, with paths from the case. */
  errors?: readonly ShownProblem[];
  onApply: (testCase: TestCase) => void;
  onClose: () => void;
};

/**
 * Adding or changing one test case: its name, the case (form or JSON, as in the simulator) and the
 * decision fields it expects. Applying changes the list on the page; saving the list stores it.
 */
export function TestCaseDialog(props: Props) {
  const { t } = useI18n();
  const [name, setName] = createSignal(props.initial.name);
  const [facts, setFacts] = createSignal<unknown>(structuredClone(props.initial.facts));
  const [expect, setExpect] = createSignal<Record<string, unknown>>(structuredClone(props.initial.expect));
  const [factsValid, setFactsValid] = createSignal(true);
  const [expectValid, setExpectValid] = createSignal(true);
  const [factErrors, setFactErrors] = createSignal<ShownProblem[]>(errorsUnder(props.errors, "facts"));
  const [filling, setFilling] = createSignal(false);
  const [fillFailure, setFillFailure] = createSignal<string>();
  const [tried, setTried] = createSignal(false);
  /** What the admin finds itself: no name, a name taken, nothing checked, a checked field without a value. */
  const localProblems = createMemo(() => {
    const problems: ShownProblem[] = [];
    const chosen = name().trim();
    if (!chosen) problems.push({ path: "name", message: t("tests.nameRequired") });
    else if (props.otherNames.includes(chosen)) problems.push({ path: "name", message: t("tests.nameTaken") });
    if (Object.keys(expect()).length === 0) problems.push({ path: "expect", message: t("tests.expectEmpty") });
    for (const [field, value] of Object.entries(expect())) {
      if (value === undefined) problems.push({ path: `expect.${field}`, message: t("tests.valueRequired") });
    }
    return problems;
  });
  const blocked = () => localProblems().length > 0 || !factsValid() || !expectValid();
  // after a refused "完成" the problems follow the fields as they are corrected
  const blockedNote = () => (tried() && blocked() ? t("tests.fixFields") : undefined);
  let dialogBody: HTMLDivElement | undefined;
  const errors = () => (tried() ? localProblems() : (props.errors ?? []));
  const nameErrors = () => errorsUnder(errors(), "name").map((e) => fieldProblemText(e, t));

  /** Fills the expectation with what the saved draft decides for this case: checked fields, or all when none are. */
  const fillFromDraft = async () => {
    setFilling(true);
    setFillFailure(undefined);
    try {
      const answer = await props.simulate(facts());
      const decision = answer.draft.decision;
      const fields = Object.keys(expect()).length > 0 ? Object.keys(expect()) : Object.keys(decision);
      setExpect(Object.fromEntries(fields.filter((f) => f in decision).map((f) => [f, structuredClone(decision[f])])));
      setFactErrors([]);
    } catch (error) {
      if (error instanceof ApiError && error.status === 422 && error.problem.errors)
        setFactErrors(error.problem.errors);
      else setFillFailure(error instanceof Error ? error.message : String(error));
    } finally {
      setFilling(false);
    }
  };

  /**
   * Applies the case only as shown: a field whose text means no value (−10, 8.888 元) or an
   * expectation that checks nothing blocks it, with the reason at the field.
   */
  const apply = () => {
    setTried(true);
    if (blocked()) {
      queueMicrotask(() => dialogBody?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus());
      return;
    }
    props.onApply({ name: name().trim(), facts: facts(), expect: expect() });
  };

  return (
    <Dialog
      open
      wide
      title={props.title}
      onClose={props.onClose}
      actions={<ConfirmActions onCancel={props.onClose} onConfirm={apply} confirmLabel={t("tests.apply")} />}
    >
      <div class="test-dialog" ref={dialogBody}>
        <label class="field">
          <span>{t("tests.name")}</span>
          <input
            value={name()}
            onInput={(e) => setName(e.currentTarget.value)}
            aria-invalid={nameErrors().length > 0 ? "true" : undefined}
          />
          <Show when={nameErrors().length > 0}>
            <span class="field-error">{nameErrors().join("；")}</span>
          </Show>
        </label>
        <h3>{t("tests.facts")}</h3>
        <CaseForm value={facts()} onChange={setFacts} errors={factErrors()} onValidity={setFactsValid} />
        <div class="row test-dialog-expect-head">
          <h3>{t("tests.expect")}</h3>
          <span class="spacer" />
          <Button class="btn-small" busy={filling()} disabled={!factsValid()} onClick={fillFromDraft}>
            {t("tests.fillFromDraft")}
          </Button>
        </div>
        <p class="hint">{t("tests.expectIntro")}</p>
        <FormError error={fillFailure()} />
        <ExpectEditor
          kind={props.kind}
          value={expect()}
          onChange={setExpect}
          errors={errorsUnder(errors(), "expect")}
          onValidity={setExpectValid}
        />
        <FormError error={blockedNote()} />
      </div>
    </Dialog>
  );
}
