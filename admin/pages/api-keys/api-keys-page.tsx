/** Filled in by the governance work: see admin/pages/api-keys/. */
export function ApiKeysPage() {
  return null;
}
