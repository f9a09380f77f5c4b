import { useSearchParams } from "@solidjs/router";
import stringify from "safe-stable-stringify";
import { createMemo, createSignal, Match, Show, Switch } from "solid-js";
import type { DecisionLogEntry } from "../../../shared/logs.ts";
import { api, call } from "../../api.ts";
import { useAuth } from "../../auth.tsx";
import { useI18n } from "../../i18n/index.tsx";
import { createPagedList, PagedFooter } from "../../ui/paged-list.tsx";
import { Empty, Failure, Loading } from "../../ui/states.tsx";
import { DecisionDetail } from "./decision-detail.tsx";
import { DecisionFilters, type DecisionFilter } from "./decision-filters.tsx";
import { DecisionTable } from "./decision-table.tsx";
import "../simulator/simulator.css";
import "./decision-log.css";

const filterKeys = ["decisionId", "ruleSet", "outcome", "keyName", "from", "to"] as const;
const pageSize = 50;

/**
 * The decision log: every decision the API made, newest first, searchable by id, rule set,
 * outcome, caller and time. The filters live in the URL, so a search can be shared.
 */
export function DecisionLogPage() {
  const { t } = useI18n();
  const auth = useAuth();
  return (
    <main class="page logs-page" id="main">
      <h1>{t("nav.decisionLog")}</h1>
      <Show when={auth.can("audit:read")} fallback={<p class="state">{t("logs.noPermission")}</p>}>
        <DecisionLog />
      </Show>
    </main>
  );
}

function DecisionLog() {
  const { t } = useI18n();
  const [params, setParams] = useSearchParams<Record<(typeof filterKeys)[number], string>>();
  const applied = createMemo<DecisionFilter>(() => Object.fromEntries(filterKeys.filter((k) => params[k]).map((k) => [k, params[k]])), {}, {
    equals: (a, b) => stringify(a) === stringify(b),
  });
  const list = createPagedList(applied, async (filter, before) => call(api["decision-log"].$get({ query: { ...filter, before, limit: String(pageSize) } })));
  const apply = (filter: DecisionFilter) => {
    // "查询" with the filters already applied asks again: new decisions may have been made since
    if (stringify(filter) === stringify(applied())) list.reload();
    else setParams(Object.fromEntries(filterKeys.map((k) => [k, filter[k] ?? undefined])));
  };
  const [opened, setOpened] = createSignal<DecisionLogEntry>();

  return (
    <>
      <p class="intro">{t("decisions.intro")}</p>
      <DecisionFilters applied={applied()} onApply={apply} />
      <section class="logs-results" aria-label={t("logs.results")} aria-busy={list.loading() === "first"}>
        <Switch>
          <Match when={list.firstError()}>
            <Failure error={list.firstError()} retry={list.retry} />
          </Match>
          <Match when={list.loading() === "first"}>
            <Loading />
          </Match>
          <Match when={list.entries().length === 0}>
            <Empty>{t("logs.empty")}</Empty>
          </Match>
          <Match when={true}>
            <DecisionTable entries={list.entries()} onOpen={setOpened} />
            <PagedFooter list={list} />
          </Match>
        </Switch>
      </section>
      <DecisionDetail entry={opened()} onClose={() => setOpened(undefined)} />
    </>
  );
}
