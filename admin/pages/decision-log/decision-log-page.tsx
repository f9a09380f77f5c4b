/** Filled in by the governance work: see admin/pages/decision-log/. */
export function DecisionLogPage() {
  return null;
}
