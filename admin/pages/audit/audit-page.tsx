/** Filled in by the governance work: see admin/pages/audit/. */
export function AuditPage() {
  return null;
}
