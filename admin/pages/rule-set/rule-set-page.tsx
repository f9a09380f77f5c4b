import { A, useBeforeLeave, useParams, type RouteSectionProps } from "@solidjs/router";
import { onCleanup, onMount, Show } from "solid-js";
import { useI18n } from "../../i18n/index.tsx";
import { actorName } from "../../ui/actor-name.ts";
import { holdUnsaved } from "../../unsaved.ts";
import { Failure, Loading } from "../../ui/states.tsx";
import { ReviewActions } from "./review-actions.tsx";
import { ReviewStatus } from "./review-status.tsx";
import { RollbackNotice } from "./rollback-notice.tsx";
import { RuleSetProvider, useRuleSet } from "./rule-set-context.tsx";

/** One rule set: its name and version, and the tabs — rules, test cases, simulator, versions. */
export function RuleSetPage(props: RouteSectionProps) {
  const params = useParams<{ key: string }>();
  return (
    <RuleSetProvider ruleSetKey={params.key}>
      <RuleSetFrame>{props.children}</RuleSetFrame>
    </RuleSetProvider>
  );
}

function RuleSetFrame(props: { children: unknown }) {
  const { t, formatDateTime, ruleSetName } = useI18n();
  const state = useRuleSet();
  const base = () => `/rule-sets/${state.key()}`;

  // unsaved edits survive switching tabs, but not leaving the rule set or the page unasked
  useBeforeLeave((event) => {
    const target = typeof event.to === "string" ? event.to : "";
    if (
      state.dirty() &&
      !target.startsWith(`/admin${base()}`) &&
      !target.startsWith(base()) &&
      !window.confirm(t("unsaved.leave"))
    )
      event.preventDefault();
  });
  const beforeUnload = (event: BeforeUnloadEvent) => {
    if (state.dirty()) event.preventDefault();
  };
  onMount(() => window.addEventListener("beforeunload", beforeUnload));
  onCleanup(() => window.removeEventListener("beforeunload", beforeUnload));
  holdUnsaved({
    what: () => t("unsaved.rules", { name: ruleSetName(state.key(), state.detail()?.name ?? state.key()) }),
    dirty: state.dirty,
    discard: () => {
      const detail = state.detail();
      if (detail) state.resetFromServer(detail);
    },
  });

  return (
    <main class="page" id="main">
      <Show when={!state.detail.error} fallback={<Failure error={state.detail.error} retry={state.refetch} />}>
        <Show when={state.detail()} fallback={<Loading />}>
          {(detail) => (
            <>
              <header class="rule-set-header">
                <p class="crumbs">
                  <A href="/">{t("nav.ruleSets")}</A> /
                </p>
                <div class="row">
                  <h1>{ruleSetName(detail().key, detail().name)}</h1>
                  <span class="spacer" />
                  <ReviewActions />
                </div>
                <p class="muted">
                  {t("ruleSets.activeVersion")}:{" "}
                  <strong data-testid="active-version">
                    {detail().activeVersion === null ? t("ruleSets.noVersion") : `v${detail().activeVersion}`}
                  </strong>
                  <Show when={detail().publishedAt}>
                    {" · "}
                    {t("ruleSets.publishedBy", {
                      who: actorName(detail().publishedBy, t),
                      when: formatDateTime(detail().publishedAt!),
                    })}
                  </Show>
                </p>
                <ReviewStatus />
                <RollbackNotice />
              </header>
              <nav class="tabs" aria-label={ruleSetName(detail().key, detail().name)}>
                <A href={base()} end activeClass="active">
                  {t("tabs.rules")}
                  <Show when={state.dirty()}>
                    <span class="dot" title={t("unsaved.leave")} aria-hidden="true" />
                  </Show>
                </A>
                <A href={`${base()}/tests`} activeClass="active">
                  {t("tabs.tests")}
                </A>
                <A href={`${base()}/simulator`} activeClass="active">
                  {t("tabs.simulator")}
                </A>
                <A href={`${base()}/versions`} activeClass="active">
                  {t("tabs.versions")}
                </A>
                <A href={`${base()}/stats`} activeClass="active">
                  {t("tabs.stats")}
                </A>
              </nav>
              <section class="tab-panel">{props.children as never}</section>
            </>
          )}
        </Show>
      </Show>
    </main>
  );
}
