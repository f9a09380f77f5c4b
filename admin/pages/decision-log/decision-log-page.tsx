import { createSignal } from "solid-js";
import type { DecisionLogEntry } from "../../../shared/logs.ts";
import { api, call } from "../../api.ts";
import { useI18n } from "../../i18n/index.tsx";
import { createFilteredLog, LogPage, PagedResults } from "../../ui/paged-list.tsx";
import { DecisionDetail } from "./decision-detail.tsx";
import { DecisionFilters, type DecisionFilter } from "./decision-filters.tsx";
import { DecisionTable } from "./decision-table.tsx";
import "../simulator/simulator.css";
import "./decision-log.css";

const filterKeys = ["decisionId", "orderId", "ruleSet", "outcome", "keyName", "from", "to"] as const;
const pageSize = 50;

/**
 * The decision log: every decision the API made, newest first, searchable by id, rule set,
 * outcome, caller and time. The filters live in the URL, so a search can be shared.
 */
export function DecisionLogPage() {
  const { t } = useI18n();
  return (
    <LogPage title={t("nav.decisionLog")}>
      <DecisionLog />
    </LogPage>
  );
}

function DecisionLog() {
  const { t } = useI18n();
  const { applied, apply, list } = createFilteredLog(filterKeys, async (filter: DecisionFilter, before) =>
    call(api["decision-log"].$get({ query: { ...filter, before, limit: String(pageSize) } })),
  );
  const [opened, setOpened] = createSignal<DecisionLogEntry>();

  return (
    <>
      <p class="intro">{t("decisions.intro")}</p>
      <DecisionFilters applied={applied()} onApply={apply} />
      <PagedResults list={list}>{(entries) => <DecisionTable entries={entries} onOpen={setOpened} />}</PagedResults>
      <DecisionDetail entry={opened()} onClose={() => setOpened(undefined)} />
    </>
  );
}
