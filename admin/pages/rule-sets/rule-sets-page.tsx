import { A } from "@solidjs/router";
import { createResource, For, Show, Suspense } from "solid-js";
import { api, call } from "../../api.ts";
import { useI18n } from "../../i18n/index.tsx";
import { actorName } from "../../ui/actor-name.ts";
import { Empty, Failure, Loading } from "../../ui/states.tsx";

/** The rule sets: what each decides, which version is active, who published it, whether the draft differs. */
export function RuleSetsPage() {
  const { t, formatDateTime, ruleSetName, ruleSetDescription } = useI18n();
  const [ruleSets, { refetch }] = createResource(async () => (await call(api["rule-sets"].$get())).ruleSets);
  return (
    <main class="page" id="main">
      <h1>{t("ruleSets.title")}</h1>
      <p class="intro">{t("ruleSets.intro")}</p>
      <Suspense fallback={<Loading />}>
        <Show when={!ruleSets.error} fallback={<Failure error={ruleSets.error} retry={refetch} />}>
          <Show when={(ruleSets() ?? []).length > 0} fallback={<Empty />}>
            <ul class="rule-set-list">
              <For each={ruleSets()}>
                {(ruleSet) => (
                  <li class="card rule-set-card" data-key={ruleSet.key}>
                    <div class="rule-set-head">
                      <h2>
                        <A href={`/rule-sets/${ruleSet.key}`}>{ruleSetName(ruleSet.key, ruleSet.name)}</A>
                      </h2>
                      <span class={`badge ${ruleSet.draftDiffers ? "badge-warn" : "badge-ok"}`}>
                        {ruleSet.draftDiffers ? t("ruleSets.draftDiffers") : t("ruleSets.draftSame")}
                      </span>
                    </div>
                    <p class="muted">{ruleSetDescription(ruleSet.key, ruleSet.description)}</p>
                    <p>
                      {t("ruleSets.activeVersion")}:{" "}
                      <strong>
                        {ruleSet.activeVersion === null ? t("ruleSets.noVersion") : `v${ruleSet.activeVersion}`}
                      </strong>
                      <Show when={ruleSet.publishedAt}>
                        {" · "}
                        {t("ruleSets.publishedBy", {
                          who: actorName(ruleSet.publishedBy, t),
                          when: formatDateTime(ruleSet.publishedAt!),
                        })}
                      </Show>
                    </p>
                    <Show when={ruleSet.nextSchedule}>
                      {(next) => (
                        <p class="badge badge-warn" data-testid="next-schedule">
                          {next().status === "scheduled"
                            ? t("review.schedule.starts", {
                                version: next().version,
                                start: formatDateTime(next().startsAt),
                              })
                            : t("review.schedule.activeEndsNoHandBack", {
                                version: next().version,
                                end: formatDateTime(next().endsAt!),
                              })}
                        </p>
                      )}
                    </Show>
                    <A
                      class="btn btn-secondary"
                      href={`/rule-sets/${ruleSet.key}`}
                      aria-label={`${t("ruleSets.open")} ${ruleSetName(ruleSet.key, ruleSet.name)}`}
                    >
                      {t("ruleSets.open")}
                    </A>
                  </li>
                )}
              </For>
            </ul>
          </Show>
        </Show>
      </Suspense>
    </main>
  );
}
