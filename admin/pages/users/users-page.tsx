/** Filled in by the governance work: see admin/pages/users/. */
export function UsersPage() {
  return null;
}
