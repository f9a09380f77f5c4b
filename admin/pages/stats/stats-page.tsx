import { createMemo, createResource, createSignal, For, lazy, Show, Suspense } from "solid-js";
import { formatInZone } from "../../../shared/business-time.ts";
import type { RuleStats, StatsBucket } from "../../../shared/stats.ts";
import { api, ApiError, call } from "../../api.ts";
import { businessNow, businessZone, zoneName } from "../../business-zone.ts";
import { useI18n } from "../../i18n/index.tsx";
import { Empty, Failure, Loading } from "../../ui/states.tsx";
import { outcomeLabel } from "../decision-log/outcomes.ts";
import { useRuleSet } from "../rule-set/rule-set-context.tsx";
import { PERIOD_DAYS, periodOf, type PeriodDays } from "./stats-period.ts";
import "./stats.css";

// ECharts is large: its chunk loads only when this tab opens
const StatsCharts = lazy(() => import("./stats-charts.tsx"));

/**
 * The analytics tab: decisions, the outcome mix and rule fires over the last 7, 30 or 90 days by the hour or the
 * business day, drawn by ECharts with a text summary and a table for screen readers, and the rules that never fired.
 */
export function StatsPage() {
  const i18n = useI18n();
  const { t } = i18n;
  const state = useRuleSet();
  const [days, setDays] = createSignal<PeriodDays>(30);
  const [bucket, setBucket] = createSignal<StatsBucket>("day");
  const query = () => ({ key: state.key(), days: days(), bucket: bucket() });
  const [stats] = createResource(query, async ({ key, days, bucket }) => {
    const { from, to } = periodOf(businessNow(), days, bucket, businessZone());
    const query = { from: from.toISOString(), to: to.toISOString(), bucket };
    return (await call(api["rule-sets"][":key"].stats.$get({ param: { key }, query }))) as RuleStats;
  });

  /** Each rule's title as the draft or the active version gives it; its name when it has none. */
  const titles = createMemo(() => {
    const detail = state.detail();
    const map = new Map<string, string>();
    for (const rule of [...(detail?.active?.rules ?? []), ...(detail?.draft.rules ?? [])])
      map.set(rule.name, rule.title ?? rule.name);
    return map;
  });
  const when = (iso: string) => {
    const text = formatInZone(iso, businessZone());
    return bucket() === "day" ? text.slice(0, 10) : text;
  };

  return (
    <div class="stats-page">
      <p class="muted">{t("stats.intro", { zone: zoneName(i18n.lang()) })}</p>
      <div class="stats-controls">
        <label>
          {t("stats.period")}
          <select value={days()} onChange={(event) => setDays(Number(event.currentTarget.value) as PeriodDays)}>
            <For each={PERIOD_DAYS}>{(d) => <option value={d}>{t("stats.days", { days: d })}</option>}</For>
          </select>
        </label>
        <label>
          {t("stats.bucket")}
          <select value={bucket()} onChange={(event) => setBucket(event.currentTarget.value as StatsBucket)}>
            <option value="day">{t("stats.bucket.day")}</option>
            <option value="hour">{t("stats.bucket.hour")}</option>
          </select>
        </label>
      </div>
      <Show
        when={!stats.error}
        fallback={
          stats.error instanceof ApiError && stats.error.status === 403 ? (
            <Empty>{t("stats.noPermission")}</Empty>
          ) : (
            <Failure error={stats.error} />
          )
        }
      >
        <Show when={stats.latest} fallback={<Loading />}>
          {(answer) => (
            <>
              <p class="stats-total" data-testid="stats-total">
                <strong>{t("stats.total", { count: answer().total.toLocaleString() })}</strong>
                {" · "}
                {t("stats.range", {
                  from: formatInZone(answer().from, businessZone()),
                  to: formatInZone(answer().to, businessZone()),
                })}
              </p>
              <Suspense fallback={<p class="state">{t("stats.loadingCharts")}</p>}>
                <StatsCharts
                  stats={answer()}
                  when={when}
                  outcome={(outcome) => outcomeLabel(state.key(), outcome, i18n)}
                  rule={(name) => titles().get(name) ?? name}
                />
              </Suspense>
              <section class="stats-never-fired" aria-labelledby="never-fired-heading">
                <h2 id="never-fired-heading">{t("stats.neverFired", { days: days() })}</h2>
                <p class="muted">{t("stats.neverFired.help")}</p>
                <Show when={answer().neverFired.length > 0} fallback={<Empty>{t("stats.neverFired.none")}</Empty>}>
                  <ul data-testid="never-fired">
                    <For each={answer().neverFired}>
                      {(rule) => (
                        <li>
                          <Show when={rule.title} fallback={<code>{rule.rule}</code>}>
                            <span class="rule-title">{rule.title}</span> <code class="muted">{rule.rule}</code>
                          </Show>
                          <Show when={!rule.inActive}>
                            <span class="badge">{t("stats.neverFired.draftOnly")}</span>
                          </Show>
                          <Show when={!rule.inDraft}>
                            <span class="badge">{t("stats.neverFired.activeOnly")}</span>
                          </Show>
                        </li>
                      )}
                    </For>
                  </ul>
                </Show>
              </section>
            </>
          )}
        </Show>
      </Show>
    </div>
  );
}
