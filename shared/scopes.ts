/** What an API key may do. The bootstrap key holds every scope. */
export const scopes = [
  "decisions:evaluate",
  "rules:read",
  "rules:write",
  "rules:review",
  "rules:publish",
  /** Publish without the in-app four-eyes review, for pipelines that review in git. No role holds it. */
  "rules:publish-unreviewed",
  /** Roll back to an old version without the four-eyes review, for emergencies; audited as such. No role holds it. */
  "rules:rollback-unreviewed",
  "audit:read",
  "users:manage",
  "keys:manage",
  /** Edit the working-day calendar, which every rule set counts periods with: admins, and keys an admin gives it to. */
  "calendar:write",
] as const;
export type Scope = (typeof scopes)[number];

/** The roles of the admin's users, from least to most trusted. */
export const roles = ["viewer", "editor", "publisher", "admin"] as const;
export type Role = (typeof roles)[number];

const viewer = ["rules:read", "audit:read"] as const satisfies readonly Scope[];
const editor = [...viewer, "rules:write"] as const satisfies readonly Scope[];
const publisher = [...editor, "rules:review", "rules:publish"] as const satisfies readonly Scope[];
// admins hold decisions:evaluate only so that they can give it to the API keys they create: a
// signed-in user never asks for decisions (those routes take an API key)
const admin = [
  ...publisher,
  "users:manage",
  "keys:manage",
  "decisions:evaluate",
  "calendar:write",
] as const satisfies readonly Scope[];

/**
 * What a signed-in user of each role may do; each role holds the one before it. Users never ask for
 * decisions (those take an API key), and no role skips the four-eyes review.
 */
export const roleScopes: Readonly<Record<Role, readonly Scope[]>> = { viewer, editor, publisher, admin };

/** Scopes no role holds: only an admin hands them to a key (a pipeline that reviews in git, an on-call key for emergencies). */
export const adminGrantedScopes: readonly Scope[] = ["rules:publish-unreviewed", "rules:rollback-unreviewed"];

/** Whether someone holding `held` holds every scope of `role`: what they must hold to give that role to a user. */
export function holdsRole(held: (scope: Scope) => boolean, role: Role): boolean {
  return roleScopes[role].every(held);
}

export function isRole(value: string): value is Role {
  return (roles as readonly string[]).includes(value);
}
