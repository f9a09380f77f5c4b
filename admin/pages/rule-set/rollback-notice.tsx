import { A } from "@solidjs/router";
import { createResource, Show } from "solid-js";
import { api, call } from "../../api.ts";
import { useAuth } from "../../auth.tsx";
import { useI18n } from "../../i18n/index.tsx";
import { Button } from "../../ui/button.tsx";
import { FormError } from "../../ui/field.tsx";
import { createDraftReset } from "../versions/draft-reset.ts";
import { useRuleSet } from "./rule-set-context.tsx";
import "./rollback-notice.css";

/**
 * The version deciding now is a rollback, and the draft still differs from it: the rolled-back change is
 * most likely still in the draft, and the next publish would bring it back. Said plainly, with the way out
 * (reset the draft to the active version) and the comparison that shows what differs.
 */
export function RollbackNotice() {
  const { t } = useI18n();
  const state = useRuleSet();
  const auth = useAuth();
  const reset = createDraftReset(state);
  const [active] = createResource(
    () => {
      const detail = state.detail();
      return detail?.draftDiffers && detail.activeVersion !== null
        ? { key: detail.key, version: detail.activeVersion }
        : false;
    },
    async ({ key, version }) =>
      call(api["rule-sets"][":key"].versions[":version"].$get({ param: { key, version: String(version) } })),
  );
  const rollback = () => {
    const version = active.latest;
    const detail = state.detail();
    if (!version || version.rolledBackFrom === null || !detail?.draftDiffers) return undefined;
    if (version.version !== detail.activeVersion) return undefined;
    // saved after the rollback: someone worked on the draft since, which may or may not have taken the change out
    const edited = detail.draft.updatedAt > version.publishedAt;
    return { active: version.version, version: version.rolledBackFrom, edited };
  };
  return (
    <Show when={rollback()}>
      {(shown) => (
        <div class="rollback-notice" role="status" data-testid="rollback-notice">
          <p>
            {t(shown().edited ? "reset.noticeEdited" : "reset.notice", {
              active: shown().active,
              version: shown().version,
            })}
          </p>
          <p class="rollback-notice-actions">
            <Show when={auth.can("rules:write")}>
              <Button class="btn-small" busy={reset.busy()} onClick={() => void reset.run(shown().active)}>
                {t("reset.confirm", { version: shown().active })}
              </Button>
            </Show>
            <A href={`/rule-sets/${state.key()}/versions?compare=draft`}>
              {t("reset.compare", { active: shown().active })}
            </A>
          </p>
          <FormError error={reset.error()} />
        </div>
      )}
    </Show>
  );
}
