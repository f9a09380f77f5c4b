import { adminGrantedScopes, holdsRole, type Role, type Scope } from "../../shared/scopes.ts";
import { forbidden } from "../errors.ts";
import type { Principal } from "./api-keys.ts";

// Who may give what (issue 10, item 2): nobody grants more than they hold, so that managing users
// or keys is never a way to gain rights.

const holds = (principal: Principal) => (scope: Scope) => principal.scopes.has(scope);

/**
 * An admin: holds every scope of the admin role and may use every rule set — a signed-in admin, or
 * an unlimited key with those scopes (the bootstrap key). Only an admin creates, promotes or resets
 * an admin, hands out the scopes no role holds, and reads failed sign-in names.
 */
export function isAdmin(principal: Principal): boolean {
  return principal.ruleSets === null && holdsRole(holds(principal), "admin");
}

/** Whether `principal` may put `scope` on a key: one it holds, or one no role holds when it is an admin. */
export function mayGrantScope(principal: Principal, scope: Scope): boolean {
  return principal.scopes.has(scope) || (adminGrantedScopes.includes(scope) && isAdmin(principal));
}

/** Whether every rule set of `ruleSets` (null: all) is one `principal` may use. */
export function coversRuleSets(principal: Principal, ruleSets: readonly string[] | null): boolean {
  const allowed = principal.ruleSets;
  if (allowed === null) return true;
  if (ruleSets === null) return false;
  return ruleSets.every((key) => allowed.has(key));
}

/**
 * 403 unless `principal` may manage users: users are not tied to rule sets, so a principal limited
 * to some could otherwise make a user that reaches every rule set.
 */
export function assertMayManageUsers(principal: Principal): void {
  if (principal.ruleSets !== null) throw forbidden("a principal limited to some rule sets may not manage users");
}

/**
 * 403 unless `principal` holds every scope of `role`: it may give a user that role, or act on (reset,
 * disable, change) a user who has it. The admin role holds every role's scopes, so only an admin
 * creates, promotes or resets an admin.
 */
export function assertMayActAsRole(principal: Principal, role: Role, what: string): void {
  assertMayManageUsers(principal);
  if (!holdsRole(holds(principal), role)) {
    throw forbidden(
      role === "admin"
        ? `only an admin may ${what} an admin`
        : `only a principal holding every scope of the ${role} role may ${what} a ${role}`,
    );
  }
}
