/** Filled in by the versions work: see admin/pages/versions/. */
export function VersionsPage() {
  return null;
}
