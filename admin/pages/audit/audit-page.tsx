import { createSignal } from "solid-js";
import { useI18n } from "../../i18n/index.tsx";
import { Button } from "../../ui/button.tsx";
import { createFilteredLog, LogPage, PagedResults } from "../../ui/paged-list.tsx";
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
  return (
    <LogPage title={t("nav.audit")}>
      <AuditLog />
    </LogPage>
  );
}

function AuditLog() {
  const { t, lang } = useI18n();
  const toast = useToast();
  const { applied, apply, list } = createFilteredLog(filterKeys, (filter: AuditFilter, before) =>
    auditPage(filter, before, pageSize),
  );
  const [exporting, setExporting] = createSignal<"csv" | "json">();
  const runExport = async (kind: "csv" | "json") => {
    setExporting(kind);
    try {
      const result =
        kind === "csv" ? { ...(await exportCsv(applied())), count: undefined } : await exportJson(applied());
      if (result.capped)
        toast("info", t("audit.export.capped", { cap: exportCap.toLocaleString(lang() === "zh" ? "zh-CN" : "en-GB") }));
      else
        toast(
          "success",
          result.count === undefined ? t("audit.export.csvDone") : t("audit.export.done", { count: result.count }),
        );
    } catch (error) {
      toast("error", t("audit.export.failed", { message: error instanceof Error ? error.message : String(error) }));
    } finally {
      setExporting(undefined);
    }
  };
  const exportButtons = (
    <span
      class="row audit-export"
      title={t("audit.export.hint", { cap: exportCap.toLocaleString(lang() === "zh" ? "zh-CN" : "en-GB") })}
    >
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
      <PagedResults list={list}>{(entries) => <AuditTable entries={entries} />}</PagedResults>
    </>
  );
}
