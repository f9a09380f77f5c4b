import type { Activation } from "../rule-sets/registry.ts";
import type { Db } from "../db/database.ts";

/** A rule set's state as stored, in the terms `DeciderRegistry.state` answers: cheap to read for every rule set. */
export type StoredRuleSetState = {
  key: string;
  activeVersion: number | null;
  versions: number;
  latestVersion: number;
  activations: number;
  lastActivationAtMs: number | null;
};

/** Every rule set's stored state (or only `key`'s): three grouped reads, no definition. */
export async function listRuleSetStates(db: Db, key?: string): Promise<StoredRuleSetState[]> {
  let ruleSets = db.selectFrom("rule_sets").select(["key", "active_version"]);
  let versions = db
    .selectFrom("rule_set_versions")
    .select((eb) => ["rule_set_key", eb.fn.countAll<number>().as("count"), eb.fn.max("version").as("latest")])
    .groupBy("rule_set_key");
  let activations = db
    .selectFrom("activations")
    .select((eb) => ["rule_set_key", eb.fn.countAll<number>().as("count"), eb.fn.max("activated_at").as("last")])
    .groupBy("rule_set_key");
  if (key !== undefined) {
    ruleSets = ruleSets.where("key", "=", key);
    versions = versions.where("rule_set_key", "=", key);
    activations = activations.where("rule_set_key", "=", key);
  }
  const [ruleSetRows, versionRows, activationRows] = await Promise.all([
    ruleSets.execute(),
    versions.execute(),
    activations.execute(),
  ]);
  const versionsOf = new Map(versionRows.map((row) => [row.rule_set_key, row]));
  const activationsOf = new Map(activationRows.map((row) => [row.rule_set_key, row]));
  return ruleSetRows.map((row) => {
    const versioned = versionsOf.get(row.key);
    const activated = activationsOf.get(row.key);
    return {
      key: row.key,
      activeVersion: row.active_version === null ? null : Number(row.active_version),
      versions: Number(versioned?.count ?? 0),
      latestVersion: Number(versioned?.latest ?? 0),
      activations: Number(activated?.count ?? 0),
      lastActivationAtMs: activated?.last == null ? null : Date.parse(activated.last),
    };
  });
}

/** What a registry entry is built from: the published version numbers and the activation history, oldest first. */
export async function readRuleSetHistory(
  db: Db,
  key: string,
): Promise<{ versions: number[]; activations: Activation[] }> {
  const [versions, activations] = await Promise.all([
    db.selectFrom("rule_set_versions").select("version").where("rule_set_key", "=", key).execute(),
    db
      .selectFrom("activations")
      .select(["version", "activated_at"])
      .where("rule_set_key", "=", key)
      .orderBy("activated_at")
      .orderBy("id")
      .execute(),
  ]);
  return {
    versions: versions.map((row) => Number(row.version)),
    activations: activations.map((row) => ({ version: Number(row.version), atMs: Date.parse(row.activated_at) })),
  };
}

/**
 * A fingerprint of the API keys that changes whenever one is created or revoked (keys are never deleted or edited, so
 * the two counts only grow); their last use, written every minute, leaves it alone.
 */
export async function apiKeysFingerprint(db: Db): Promise<string> {
  const row = await db
    .selectFrom("api_keys")
    .select((eb) => [eb.fn.countAll<number>().as("keys"), eb.fn.count<number>("revoked_at").as("revoked")])
    .executeTakeFirstOrThrow();
  return `${Number(row.keys)}:${Number(row.revoked)}`;
}
