import { createSignal, For, on, createEffect, onCleanup, Show } from "solid-js";
import type { Presence } from "../../../shared/api.ts";
import { api, call } from "../../api.ts";
import { useAuth } from "../../auth.tsx";
import { useI18n } from "../../i18n/index.tsx";
import { actorName, loadActorNames } from "../../ui/actor-name.ts";
import { useRuleSet } from "../rule-set/rule-set-context.tsx";
import "./merge.css";

/** How often the open editor tells the server it is there; the server forgets a caller silent for 60 s. */
export const HEARTBEAT_MS = 20_000;

/**
 * Who saved the draft last and when, and who else has it open: the editor sends a heartbeat every 20 s
 * while it is open (and says when it closes), and the server answers the others it heard from in the last
 * minute. Someone who may only read the rules sends none and sees only who saved last.
 */
export function DraftPresence() {
  const { t, formatDateTime } = useI18n();
  const state = useRuleSet();
  const auth = useAuth();
  const [others, setOthers] = createSignal<Presence["others"]>([]);
  // the names are ready before a save says whose changes it merged with (a toast is not redrawn when they arrive)
  void loadActorNames();

  const beat = async (key: string, leaving: boolean) => {
    if (!auth.can("rules:write")) return;
    try {
      const answer = await call(
        api["rule-sets"][":key"].draft.presence.$post(
          { param: { key }, json: { leaving } },
          // the last beat must leave even when the page is closing
          leaving ? { init: { keepalive: true } } : undefined,
        ),
      );
      if (!leaving && key === state.key()) setOthers(answer.others);
    } catch {
      // a missed heartbeat is not worth a message: the next one, 20 s on, tries again
    }
  };

  // the draft this editor has open: when the editor closes, the route's key is already the next page's (none)
  let open = state.key();
  createEffect(
    on(state.key, (key, previous) => {
      if (!key) return;
      if (previous) void beat(previous, true);
      open = key;
      setOthers([]);
      void beat(key, false);
    }),
  );
  const timer = setInterval(() => void beat(open, false), HEARTBEAT_MS);
  const leave = () => void beat(open, true);
  window.addEventListener("pagehide", leave);
  onCleanup(() => {
    clearInterval(timer);
    window.removeEventListener("pagehide", leave);
    leave();
  });

  const draft = () => state.detail()?.draft;
  return (
    <p class="draft-presence" data-testid="draft-presence">
      <Show when={draft()}>
        {(saved) => (
          <span class="muted" data-testid="last-saved">
            {t("presence.lastSaved", { who: actorName(saved().updatedBy, t), when: formatDateTime(saved().updatedAt) })}
          </span>
        )}
      </Show>
      <For each={others()}>
        {(other) => (
          <span class="badge badge-warn presence-other" data-testid="also-editing" title={other.actor}>
            <span class="dot" aria-hidden="true" /> {t("presence.alsoEditing", { who: other.name })}
          </span>
        )}
      </For>
    </p>
  );
}
