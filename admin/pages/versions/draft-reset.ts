import { createSignal } from "solid-js";
import type { RuleSetDetail } from "../../../shared/api.ts";
import { api, call } from "../../api.ts";
import { useI18n } from "../../i18n/index.tsx";
import { problemText } from "../../ui/problem-text.ts";
import { useToast } from "../../ui/toast.tsx";
import type { RuleSetState } from "../rule-set/rule-set-context.tsx";

/**
 * Making the draft a published version's rules (POST draft/reset on the draft's current revision), as after
 * a rollback: the editor then shows the reset draft. Answers whether it did; a failure is kept in `error`.
 */
export function createDraftReset(state: RuleSetState) {
  const { t } = useI18n();
  const toast = useToast();
  const [busy, setBusy] = createSignal(false);
  const [error, setError] = createSignal<string>();
  async function run(version: number): Promise<boolean> {
    const detail = state.detail();
    if (!detail || busy()) return false;
    setBusy(true);
    setError(undefined);
    try {
      const reset = (await call(
        api["rule-sets"][":key"].draft.reset.$post({
          param: { key: state.key() },
          json: { version, revision: detail.draft.revision },
        }),
      )) as RuleSetDetail;
      state.mutate(reset);
      state.resetFromServer(reset);
      toast("success", t("reset.done", { version, revision: reset.draft.revision }));
      return true;
    } catch (e) {
      setError(problemText(e, t));
      return false;
    } finally {
      setBusy(false);
    }
  }
  return { run, busy, error };
}
