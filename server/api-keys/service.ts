import type { ApiKey, ApiKeyInput, CreatedApiKey } from "../../shared/access.ts";
import { inTransaction } from "../db/database.ts";
import type { FieldProblem } from "../../shared/api.ts";
import { appendAudit } from "../audit/store.ts";
import { generateApiKey, insertApiKey, type Principal } from "../auth/api-keys.ts";
import { coversRuleSets, mayGrantScope } from "../auth/grants.ts";
import type { AppContext } from "../context.ts";
import { conflict, forbidden, invalid, notFound } from "../errors.ts";
import * as store from "./store.ts";
import { fieldProblem } from "../../shared/problems.ts";
import { announceChange } from "../cluster/change-feed.ts";

/**
 * Every key `principal` may manage, revoked and expired ones included: a principal limited to some
 * rule sets sees only keys limited to those. `lastUsedAt` includes use not yet written.
 */
export async function listApiKeys(ctx: AppContext, principal: Principal): Promise<ApiKey[]> {
  const keys = (await store.listApiKeys(ctx.db)).filter((key) => coversRuleSets(principal, key.ruleSets));
  return keys.map((key) => {
    const pending = ctx.apiKeys.pendingLastUse(key.id);
    return pending === undefined ? key : { ...key, lastUsedAt: new Date(pending).toISOString() };
  });
}

/**
 * What `principal` may put on a new key: only scopes it holds itself, and only rule sets it may
 * use, so that managing keys is no way to gain rights. The scopes no role holds
 * (`rules:publish-unreviewed`, `rules:rollback-unreviewed`) only an admin hands out.
 */
function assertGrantable(principal: Principal, input: ApiKeyInput): void {
  const refused = input.scopes.filter((scope) => !mayGrantScope(principal, scope));
  if (refused.length > 0) throw forbidden(`you may not grant scopes you do not hold: ${refused.join(", ")}`);
  if (!coversRuleSets(principal, input.ruleSets ?? null)) {
    throw forbidden(`a key you create may only use the rule sets you may use: ${[...principal.ruleSets!].join(", ")}`);
  }
}

/** Creates a key; the answer is the only place the key itself ever appears. */
export async function createApiKey(ctx: AppContext, input: ApiKeyInput, principal: Principal): Promise<CreatedApiKey> {
  assertGrantable(principal, input);
  const now = ctx.now();
  const problems: FieldProblem[] = [];
  (input.ruleSets ?? []).forEach((key, i) => {
    if (!ctx.registry.has(key))
      problems.push(fieldProblem(`ruleSets.${i}`, "unknown_rule_set", { key }, `no rule set "${key}"`));
  });
  if (input.expiresAt != null && Date.parse(input.expiresAt) <= now.getTime()) {
    problems.push(fieldProblem("expiresAt", "not_in_future", {}, "must be in the future"));
  }
  if (problems.length > 0) throw invalid("the key cannot be created as asked", problems);

  const secret = generateApiKey();
  const scopes = [...new Set(input.scopes)];
  const ruleSets = input.ruleSets ? [...new Set(input.ruleSets)] : null;
  const expiresAt = input.expiresAt == null ? null : new Date(input.expiresAt).toISOString();
  const id = await inTransaction(ctx.db, async (tx) => {
    if (await store.activeNameTaken(tx, input.name))
      throw conflict(`a key named "${input.name}" exists already: revoke it or pick another name`);
    return insertApiKey(tx, { secret, name: input.name, scopes, ruleSets, expiresAt, actor: principal.actor }, now);
  });
  ctx.apiKeys.remember((await store.findApiKeyForCache(ctx.db, id))!);
  return { ...(await store.findApiKey(ctx.db, id))!, key: secret };
}

/**
 * Revokes a key: refused from the next request on. Revoking a revoked key changes nothing. 403 when
 * the key may use a rule set `principal` may not.
 */
export async function revokeApiKey(ctx: AppContext, id: string, principal: Principal): Promise<void> {
  const key = await store.findApiKey(ctx.db, id);
  if (!key) throw notFound(`no API key "${id}"`);
  if (!coversRuleSets(principal, key.ruleSets))
    throw forbidden("you may not revoke a key that uses rule sets you may not use");
  const actor = principal.actor;
  if (key.revokedAt === null) {
    const now = ctx.now();
    await inTransaction(ctx.db, async (tx) => {
      await store.revokeApiKey(tx, id, now.toISOString());
      await appendAudit(
        tx,
        { actor, action: "api-key.revoke", entity: "api-key", entityKey: id, detail: { name: key.name } },
        now,
      );
      await announceChange(tx, { topic: "api-keys" });
    });
  }
  ctx.apiKeys.forget(id);
}
