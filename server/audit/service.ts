import { hiddenSignInName } from "../../shared/access.ts";
import type { AuditEntry, AuditQuery } from "../../shared/logs.ts";
import type { Principal } from "../auth/api-keys.ts";
import { isAdmin } from "../auth/grants.ts";
import type { AppContext } from "../context.ts";
import { forbidden } from "../errors.ts";
import { listAudit } from "./store.ts";

/** The audit action of a failed sign-in: its actor and entity key are the name as typed. */
const failedSignIn = "sign-in.failed";

/**
 * The audit entries `principal` may read. A principal limited to some rule sets reads only entries
 * about those rule sets (users, keys and sign-ins concern every rule set), and asking for anything
 * else is 403. Only an admin reads the names typed at failed sign-ins: they are often passwords.
 */
export async function readAudit(ctx: AppContext, query: AuditQuery, principal: Principal): Promise<AuditEntry[]> {
  const limited = principal.ruleSets;
  if (limited !== null) {
    if (query.entity !== undefined && query.entity !== "rule-set")
      throw forbidden("a principal limited to some rule sets reads only their audit entries");
    if (query.entityKey !== undefined && !limited.has(query.entityKey))
      throw forbidden(`you may not read the audit entries of "${query.entityKey}"`);
  }
  const admin = isAdmin(principal);
  const entries = await listAudit(ctx.db, query, {
    ruleSets: limited,
    // filtering by a hidden name would tell whether someone typed it
    skipActions: !admin && (query.actor !== undefined || query.entityKey !== undefined) ? [failedSignIn] : [],
  });
  return admin ? entries : entries.map(hideFailedSignInName);
}

function hideFailedSignInName(entry: AuditEntry): AuditEntry {
  return entry.action === failedSignIn ? { ...entry, actor: hiddenSignInName, entityKey: hiddenSignInName } : entry;
}
