import { useSearchParams } from "@solidjs/router";
import stringify from "safe-stable-stringify";
import { createMemo, createSignal, Match, Show, Switch } from "solid-js";
import { useAuth } from "../../auth.tsx";
import { useI18n } from "../../i18n/index.tsx";
import { Button } from "../../ui/button.tsx";
import { createPagedList, PagedFooter } from "../../ui/paged-list.tsx";
import { Empty, Failure, Loading } from "../../ui/states.tsx";
import { useToast } from "../../ui/toast.tsx";
import { auditPage, exportCap, exportCsv, exportJson, type AuditFilter } from "./audit-export.ts";
import { AuditFilters } from "./audit-filters.tsx";
import { AuditTable } from "./audit-table.tsx";
import "./audit.css";

const filterKeys = ["entity", "entityKey", "actor", "action", "from", "to"] as const;
const pageSize = 50;

/**
 * The audit log: who changed what, when and from where, newest first. The filters live in the
 * URL, so a filtered view can be shared; the exports take exactly the filters applied.
 */
export function AuditPage() {
  const { t } = useI18n();
  const auth = useAuth();
  return (
    <main class="page logs-page" id="main">
      <h1>{t("nav.audit")}</h1>
      <Show when={auth.can("audit:read")} fallback={<p class="state">{t("logs.noPermission")}</p>}>
        <AuditLog />
      </Show>
    </main>
  );
}

function AuditLog() {
  const { t } = useI18n();
  const toast = useToast();
  const [params, setParams] = useSearchParams<Record<(typeof filterKeys)[number], string>>();
  // compared by value: the list reloads only when a filter really changed
  const applied = createMemo<AuditFilter>(() => Object.fromEntries(filterKeys.filter((k) => params[k]).map((k) => [k, params[k]])), {}, {
    equals: (a, b) => stringify(a) === stringify(b),
  });
  const list = createPagedList(applied, (filter, before) => auditPage(filter, before, pageSize));
  const apply = (filter: AuditFilter) => {
    // "查询" with the filters already applied asks again: new entries may have been written since
    if (stringify(filter) === stringify(applied())) list.reload();
    else setParams(Object.fromEntries(filterKeys.map((k) => [k, filter[k] ?? undefined])));
  };

  const [exporting, setExporting] = createSignal<"csv" | "json">();
  const runExport = async (kind: "csv" | "json") => {
    setExporting(kind);
    try {
      const result = kind === "csv" ? { ...(await exportCsv(applied())), count: undefined } : await exportJson(applied());
      if (result.capped) toast("info", t("audit.export.capped", { cap: exportCap.toLocaleString() }));
      else toast("success", result.count === undefined ? t("audit.export.csvDone") : t("audit.export.done", { count: result.count }));
    } catch (error) {
      toast("error", t("audit.export.failed", { message: error instanceof Error ? error.message : String(error) }));
    } finally {
      setExporting(undefined);
    }
  };
  const exportButtons = (
    <span class="row audit-export" title={t("audit.export.hint", { cap: exportCap.toLocaleString() })}>
      <Button onClick={() => void runExport("csv")} busy={exporting() === "csv"} disabled={exporting() !== undefined}>
        {t("audit.export.csv")}
      </Button>
      <Button onClick={() => void runExport("json")} busy={exporting() === "json"} disabled={exporting() !== undefined}>
        {t("audit.export.json")}
      </Button>
    </span>
  );

  return (
    <>
      <p class="intro">{t("audit.intro")}</p>
      <AuditFilters applied={applied()} onApply={apply} actions={exportButtons} />
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
            <AuditTable entries={list.entries()} />
            <PagedFooter list={list} />
          </Match>
        </Switch>
      </section>
    </>
  );
}
