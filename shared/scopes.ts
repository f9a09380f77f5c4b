/** What an API key may do. The bootstrap key holds every scope. */
export const scopes = ["decisions:evaluate", "rules:read", "rules:write", "rules:publish"] as const;
export type Scope = (typeof scopes)[number];
