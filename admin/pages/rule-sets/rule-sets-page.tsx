import { A } from "@solidjs/router";
import { createResource, For, Show, Suspense } from "solid-js";
import { api, call } from "../../api.ts";
import { useAuth } from "../../auth.tsx";
import { useI18n } from "../../i18n/index.tsx";
import { actorName } from "../../ui/actor-name.ts";
import { Empty, Failure, Loading } from "../../ui/states.tsx";
import "./rule-sets.css";
import { reviewsFirst, waitsForMe } from "./waiting-review.ts";

/**
 * The rule sets: what each decides, which version is active, who published it, whether the draft differs. Drafts
 * waiting for the signed-in user's review come first, marked 待你审核, with a link to the read-only review.
 */
export function RuleSetsPage() {
  const { t, formatDateTime, ruleSetName, ruleSetDescription } = useI18n();
  const auth = useAuth();
  const [ruleSets, { refetch }] = createResource(async () => (await call(api["rule-sets"].$get())).ruleSets);
  const waits = (summary: Parameters<typeof waitsForMe>[0]) =>
    waitsForMe(summary, { username: auth.user()?.username, can: auth.can });
  const waiting = () => (ruleSets() ?? []).filter(waits).length;
  return (
    <main class="page" id="main">
      <h1>{t("ruleSets.title")}</h1>
      <p class="intro">{t("ruleSets.intro")}</p>
      <Suspense fallback={<Loading />}>
        <Show when={!ruleSets.error} fallback={<Failure error={ruleSets.error} retry={refetch} />}>
          <Show when={waiting() > 0}>
            <p class="to-review-lead" data-testid="to-review-lead">
              <span class="badge badge-review">{t("ruleSets.toReview")}</span>{" "}
              {t("ruleSets.toReview.lead", { count: waiting() })}
            </p>
          </Show>
          <Show when={(ruleSets() ?? []).length > 0} fallback={<Empty />}>
            <ul class="rule-set-list">
              <For each={reviewsFirst(ruleSets() ?? [], waits)}>
                {(ruleSet) => (
                  <li
                    class="card rule-set-card"
                    classList={{ "rule-set-to-review": waits(ruleSet) }}
                    data-key={ruleSet.key}
                  >
                    <div class="rule-set-head">
                      <h2>
                        <A href={`/rule-sets/${ruleSet.key}`}>{ruleSetName(ruleSet.key, ruleSet.name)}</A>
                      </h2>
                      <Show
                        when={waits(ruleSet)}
                        fallback={
                          <span class={`badge ${ruleSet.draftDiffers ? "badge-warn" : "badge-ok"}`}>
                            {ruleSet.draftDiffers ? t("ruleSets.draftDiffers") : t("ruleSets.draftSame")}
                          </span>
                        }
                      >
                        <span class="badge badge-review" data-testid="to-review">
                          {t("ruleSets.toReview")}
                        </span>
                      </Show>
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
                    <Show
                      when={waits(ruleSet) && ruleSet.review}
                      fallback={
                        <A
                          class="btn btn-secondary"
                          href={`/rule-sets/${ruleSet.key}`}
                          aria-label={`${t("ruleSets.open")} ${ruleSetName(ruleSet.key, ruleSet.name)}`}
                        >
                          {t("ruleSets.open")}
                        </A>
                      }
                    >
                      {(review) => (
                        <>
                          <p class="to-review-submission">
                            {t("ruleSets.toReview.submitted", {
                              who: actorName(review().submittedBy, t),
                              when: formatDateTime(review().submittedAt),
                            })}
                            <Show when={review().note}>
                              <span class="to-review-note">「{review().note}」</span>
                            </Show>
                          </p>
                          <A
                            class="btn btn-primary"
                            href={`/rule-sets/${ruleSet.key}/review`}
                            aria-label={`${t("ruleSets.toReview.open")} ${ruleSetName(ruleSet.key, ruleSet.name)}`}
                          >
                            {t("ruleSets.toReview.open")}
                          </A>
                        </>
                      )}
                    </Show>
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
