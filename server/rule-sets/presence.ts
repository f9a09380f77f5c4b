import type { Presence } from "../../shared/api.ts";
import type { Principal } from "../auth/api-keys.ts";
import type { AppContext } from "../context.ts";
import type { Db } from "../db/database.ts";
import { findUser } from "../users/store.ts";
import { requireRuleSet } from "./service.ts";

/** An editor sends a heartbeat every 20 s while the draft is open; one silent for this long has left. */
export const PRESENCE_TTL_MS = 60_000;

/** How the others see the caller: a user's display name if it has one, else the username (or the key's name). */
async function nameOf(ctx: AppContext, principal: Principal): Promise<string> {
  if (!principal.actor.startsWith("user:")) return principal.name;
  return (await findUser(ctx.db, principal.name))?.displayName ?? principal.name;
}

/**
 * Records the caller's heartbeat for `key`'s draft (or, `leaving`, forgets it) and answers the others seen in the last
 * minute, longest there first. Kept in the database, so that every instance behind a load balancer sees every editor.
 */
export async function draftHeartbeat(
  ctx: AppContext,
  key: string,
  principal: Principal,
  leaving: boolean,
): Promise<Presence> {
  await requireRuleSet(ctx, key);
  const now = ctx.now();
  const cutoff = new Date(now.getTime() - PRESENCE_TTL_MS).toISOString();
  // whoever has been silent a minute has left, from every draft: the table holds only the editors of the last minute
  await ctx.db.deleteFrom("draft_presence").where("seen_at", "<=", cutoff).execute();
  if (leaving) await leaveDraft(ctx.db, key, principal.actor);
  else await seeInDraft(ctx.db, key, principal.actor, await nameOf(ctx, principal), now);
  const others = await ctx.db
    .selectFrom("draft_presence")
    .select(["actor", "name", "seen_at"])
    .where("rule_set_key", "=", key)
    .where("actor", "<>", principal.actor)
    .where("seen_at", ">", cutoff)
    .orderBy("since")
    .orderBy("actor")
    .execute();
  return { others: others.map((row) => ({ actor: row.actor, name: row.name, lastSeenAt: row.seen_at })) };
}

/** Notes `actor` in `key`'s draft now; `since` stays the time of its first heartbeat. */
async function seeInDraft(db: Db, key: string, actor: string, name: string, now: Date): Promise<void> {
  const at = now.toISOString();
  await db
    .insertInto("draft_presence")
    .values({ rule_set_key: key, actor, name, since: at, seen_at: at })
    .onConflict((conflict) => conflict.columns(["rule_set_key", "actor"]).doUpdateSet({ name, seen_at: at }))
    .execute();
}

async function leaveDraft(db: Db, key: string, actor: string): Promise<void> {
  await db.deleteFrom("draft_presence").where("rule_set_key", "=", key).where("actor", "=", actor).execute();
}
