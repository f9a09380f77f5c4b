import type { Presence } from "../../shared/api.ts";
import type { Principal } from "../auth/api-keys.ts";
import type { AppContext } from "../context.ts";
import { findUser } from "../users/store.ts";
import { requireRuleSet } from "./service.ts";

/** An editor sends a heartbeat every 20 s while the draft is open; one silent for this long has left. */
export const PRESENCE_TTL_MS = 60_000;

type Seen = { name: string; atMs: number };

/**
 * Who has each draft open, kept in this process's memory: a second instance behind a load balancer
 * keeps its own list, so presence is only complete with one instance (the service runs as one today).
 */
const presence = new WeakMap<AppContext, Map<string, Map<string, Seen>>>();

/** How the others see the caller: a user's display name if it has one, else the username (or the key's name). */
async function nameOf(ctx: AppContext, principal: Principal): Promise<string> {
  if (!principal.actor.startsWith("user:")) return principal.name;
  return (await findUser(ctx.db, principal.name))?.displayName ?? principal.name;
}

/**
 * Records the caller's heartbeat for `key`'s draft (or, `leaving`, forgets it) and answers the others
 * seen in the last minute, longest there first.
 */
export async function draftHeartbeat(
  ctx: AppContext,
  key: string,
  principal: Principal,
  leaving: boolean,
): Promise<Presence> {
  await requireRuleSet(ctx, key);
  const byKey = presence.get(ctx) ?? presence.set(ctx, new Map()).get(ctx)!;
  const seen = byKey.get(key) ?? byKey.set(key, new Map()).get(key)!;
  const nowMs = ctx.now().getTime();
  for (const [actor, entry] of seen) if (nowMs - entry.atMs >= PRESENCE_TTL_MS) seen.delete(actor);
  if (leaving) seen.delete(principal.actor);
  else seen.set(principal.actor, { name: await nameOf(ctx, principal), atMs: nowMs });
  return {
    others: [...seen]
      .filter(([actor]) => actor !== principal.actor)
      .map(([actor, entry]) => ({ actor, name: entry.name, lastSeenAt: new Date(entry.atMs).toISOString() })),
  };
}
