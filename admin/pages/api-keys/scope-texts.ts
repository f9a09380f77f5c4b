import { adminGrantedScopes, holdsRole, scopes, type Scope } from "../../../shared/scopes.ts";
import type { MessageKey } from "../../i18n/index.tsx";

/** Every scope with its name and what it lets a key do, in the order a form lists them. */
export const scopeTexts: readonly { scope: Scope; name: MessageKey; description: MessageKey }[] = scopes.map(
  (scope) => ({
    scope,
    name: `scope.${scope}` as MessageKey,
    description: `scope.${scope}.description` as MessageKey,
  }),
);

export function scopeName(scope: string): MessageKey | undefined {
  return scopeTexts.find((s) => s.scope === scope)?.name;
}

/**
 * Whether the signed-in user may put `scope` on a new key: only scopes they hold themselves, and the
 * scopes no role holds (publishing or rolling back without review) when they are an admin — the
 * server's rule (server/auth/grants.ts), so the form offers nothing it would refuse.
 */
export function canGrant(scope: Scope, can: (scope: Scope) => boolean): boolean {
  return can(scope) || (adminGrantedScopes.includes(scope) && holdsRole(can, "admin"));
}
