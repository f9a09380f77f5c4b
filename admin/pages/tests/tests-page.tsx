/** Filled in by the tests work: see admin/pages/tests/. */
export function TestsPage() {
  return null;
}
