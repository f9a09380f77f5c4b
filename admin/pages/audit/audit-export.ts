import type { ClientResponse } from "hono/client";
import type { AuditEntry } from "../../../shared/logs.ts";
import { api, call } from "../../api.ts";
import { businessNow, formatBusinessTime } from "../../business-zone.ts";
import { downloadFile } from "../../ui/download.ts";

/** The audit filters a page shows and an export takes: every one optional, as in the URL. */
export type AuditFilter = {
  entity?: string;
  entityKey?: string;
  actor?: string;
  action?: string;
  from?: string;
  to?: string;
};

/** The most an export fetches: enough for any audit, small enough for a browser tab. */
export const exportCap = 10_000;
/** The server's largest page. */
const pageSize = 1_000;

/** Today in the business time zone, for the file's name: `2026-11-11`. */
const today = () => formatBusinessTime(businessNow()).slice(0, 10);

/** One page of the audit log, newest first (the server answers each page oldest first). */
export async function auditPage(
  filter: AuditFilter,
  before: string | undefined,
  limit: number,
): Promise<{ entries: AuditEntry[]; next: string | null }> {
  // the route answers JSON or CSV by `format`; asked for JSON, only the JSON branch can come back
  const request = api.audit.$get({ query: { ...filter, before, limit: String(limit), format: "json" } }) as Promise<
    ClientResponse<{ entries: AuditEntry[]; next: string | null }>
  >;
  const page = await call(request);
  return { entries: [...page.entries].reverse(), next: page.next };
}

/** Whether anything older than `before` matches: a cheap probe after the cap was reached. */
async function anyOlder(filter: AuditFilter, before: string): Promise<boolean> {
  return (await auditPage(filter, before, 1)).entries.length > 0;
}

/**
 * Downloads every entry matching `filter` (the newest `exportCap`) as a JSON array in the order
 * they happened, like the CSV. Answers how many were written and whether the cap cut some off.
 */
export async function exportJson(filter: AuditFilter): Promise<{ count: number; capped: boolean }> {
  const pages: AuditEntry[][] = [];
  let total = 0;
  let before: string | undefined;
  let capped = false;
  for (;;) {
    const page = await auditPage(filter, before, Math.min(pageSize, exportCap - total));
    pages.push(page.entries);
    total += page.entries.length;
    if (page.next === null) break;
    before = page.next;
    if (total >= exportCap) {
      capped = await anyOlder(filter, before);
      break;
    }
  }
  const entries = pages.flat().reverse();
  downloadFile(`audit-${today()}.json`, `${JSON.stringify(entries, null, 2)}\n`, "application/json");
  return { count: entries.length, capped };
}

/** A response's text, or the `ApiError` that `call` makes of a failure. */
async function textOf(request: Promise<ClientResponse<unknown>>): Promise<string> {
  let response: ClientResponse<unknown>;
  try {
    response = await request;
  } catch (error) {
    return call(Promise.reject(error)) as never;
  }
  if (!response.ok) return call(Promise.resolve(response)) as never;
  return response.text();
}

/**
 * Downloads the entries matching `filter` as the server writes them (`format=csv`), a page at a
 * time up to `exportCap`, joined into one file: oldest first, one header, one byte-order mark so
 * that spreadsheet programs read the Chinese text as UTF-8.
 */
export async function exportCsv(filter: AuditFilter): Promise<{ capped: boolean }> {
  const pages: string[] = [];
  let header = "";
  let before: string | undefined;
  let capped = false;
  for (let fetched = 0; ; fetched += pageSize) {
    const text = (
      await textOf(api.audit.$get({ query: { ...filter, before, limit: String(pageSize), format: "csv" } }))
    ).replace(/^\uFEFF/, "");
    const lineEnd = text.indexOf("\n");
    if (lineEnd < 0) break;
    header = text.slice(0, lineEnd + 1);
    const rows = text.slice(lineEnd + 1);
    if (rows.trim() === "") break;
    pages.push(rows);
    // each page is oldest first and the id comes first on every row: the page's first id pages on
    const oldest = rows.slice(0, rows.indexOf(","));
    if (fetched + pageSize >= exportCap) {
      capped = await anyOlder(filter, oldest);
      break;
    }
    before = oldest;
  }
  const body = pages.reverse().join("");
  downloadFile(`audit-${today()}.csv`, `\uFEFF${header}${body}`, "text/csv;charset=utf-8");
  return { capped };
}
