import { A } from "@solidjs/router";
import { For, Show } from "solid-js";
import { type BrokenInvariant, InvariantBrokenMembers } from "../../../shared/invariants.ts";
import { useI18n } from "../../i18n/index.tsx";
import { isProblem } from "../../ui/problem-text.ts";
import { expectationWords, invariantWords } from "../editor/invariant-words.ts";
import { CaseView } from "../simulator/case-view.tsx";
import { handToSimulator } from "../simulator/hand-over.ts";

/** The invariants a refused publish or rollback names, or undefined for any other failure. */
export function brokenInvariants(error: unknown): InvariantBrokenMembers | undefined {
  if (!isProblem(error, 422, "invariant_broken")) return undefined;
  const members = InvariantBrokenMembers.safeParse(error.problem);
  return members.success ? members.data : undefined;
}

/**
 * Why the server refused: each invariant a case breaks, by its title, in words, with the expectation broken and the
 * counterexample case read as the simulator's form, and a link that opens the case in the simulator.
 */
export function InvariantRefusal(props: {
  ruleSet: string;
  refusal: InvariantBrokenMembers;
  /** Closes the dialog it is shown in, as the simulator opens. */
  onOpenSimulator?: () => void;
}) {
  const i18n = useI18n();
  const { t } = i18n;
  const one = (broken: BrokenInvariant) => (
    <div class="invariant-refusal" role="alert" data-invariant={broken.invariant.name}>
      <p class="form-error">{t("invariants.broken", { name: broken.invariant.title || broken.invariant.name })}</p>
      <p>{invariantWords(broken.invariant, i18n)}</p>
      <Show when={broken.field !== undefined && broken.invariant.expect[broken.field]}>
        {(expectation) => <p class="muted">{expectationWords(broken.field!, expectation(), i18n)}</p>}
      </Show>
      <p>{t("invariants.brokenLead")}</p>
      <CaseView value={broken.example} label={t("invariants.brokenCase")} />
      <A
        class="btn btn-primary"
        href={`/rule-sets/${encodeURIComponent(props.ruleSet)}/simulator`}
        onClick={() => {
          handToSimulator(broken.example);
          props.onOpenSimulator?.();
        }}
      >
        {t("invariants.openInSimulator")}
      </A>
    </div>
  );
  return <For each={props.refusal.broken}>{one}</For>;
}
