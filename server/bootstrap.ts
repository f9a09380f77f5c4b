import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { ulid } from "ulid";
import { z } from "zod";
import { isRuleSetKind, ruleSetKindNames } from "../shared/kinds/index.ts";
import { RuleSetDefinition, TestCase } from "../shared/rules.ts";
import { appendAudit } from "./audit/store.ts";
import { generateApiKey, insertApiKey } from "./auth/api-keys.ts";
import { generatePassword, hashPassword } from "./auth/passwords.ts";
import { type Db, inTransaction } from "./db/database.ts";
import { validateDefinition } from "./engine/validate-definition.ts";
import { DeciderRegistry } from "./rule-sets/registry.ts";
import { insertActivation, listActivations } from "./rule-sets/governance-store.ts";
import * as store from "./rule-sets/store.ts";
import { validateTestCases } from "./rule-sets/test-cases.ts";
import { announceChange } from "./cluster/change-feed.ts";
import { importStartingTemplates } from "./reply-templates/service.ts";
import { importShippedYears } from "./calendar/service.ts";
import { shippedCalendarYears } from "./calendar/shipped-years.ts";

/** A default rule set as shipped in `rules/<key>.json`. */
const RuleSetFile = RuleSetDefinition.extend({
  key: z.string(),
  name: z.string().min(1),
  description: z.string().default(""),
  testCases: z.array(TestCase).default([]),
});
export type RuleSetFile = z.output<typeof RuleSetFile>;

/** Reads and checks every default rule set; a broken file stops the start with its problems named. */
export function readRuleSetFiles(dir: string): RuleSetFile[] {
  const files = readdirSync(dir)
    .filter((name) => name.endsWith(".json"))
    .sort();
  const ruleSets = files.map((name) => {
    const parsed = RuleSetFile.safeParse(JSON.parse(readFileSync(join(dir, name), "utf8")));
    if (!parsed.success)
      throw new Error(`${name}: ${parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`);
    const file = parsed.data;
    if (!isRuleSetKind(file.key) || `${file.key}.json` !== name)
      throw new Error(`${name}: key must be one of ${ruleSetKindNames.join(", ")} and match the file name`);
    const problems = [...validateDefinition(file.key, file), ...validateTestCases(file.key, file.testCases)];
    if (problems.length > 0) throw new Error(`${name}: ${problems.map((p) => `${p.path}: ${p.message}`).join("; ")}`);
    return file;
  });
  return ruleSets;
}

/** What a start added: the default rule sets imported, the shipped calendar years saved, and a first start's credentials. */
export type Bootstrapped = { adminPassword?: string; apiKey?: string; imported: string[]; calendarYears: number[] };

/**
 * Makes a database ready to decide: imports each default rule set it lacks and publishes it as
 * version 1, saves each working-calendar year chinese-days knows and it lacks as that year's version 1, and on a new database creates the admin user and an API key with every scope, from
 * `BOOTSTRAP_ADMIN_PASSWORD` / `BOOTSTRAP_API_KEY` or generated (returned so they are shown once).
 */
export async function bootstrapDatabase(
  db: Db,
  options: { rulesDir: string; adminPassword?: string; apiKey?: string; now: Date },
): Promise<Bootstrapped> {
  const files = readRuleSetFiles(options.rulesDir);
  const existing = new Set((await store.listRuleSetRows(db)).map((row) => row.key));
  const isNew =
    (await db.selectFrom("users").select("id").limit(1).execute()).length === 0 &&
    (await db.selectFrom("api_keys").select("id").limit(1).execute()).length === 0;
  const adminPassword = isNew ? (options.adminPassword ?? generatePassword()) : undefined;
  const passwordHash = adminPassword === undefined ? undefined : await hashPassword(adminPassword);
  const apiKey = isNew ? (options.apiKey ?? generateApiKey()) : undefined;
  const at = options.now;
  const imported: string[] = [];
  let calendarYears: number[] = [];

  await inTransaction(db, async (tx) => {
    calendarYears = await importShippedYears(tx, shippedCalendarYears(), at);
    for (const file of files) {
      if (existing.has(file.key)) continue;
      const definition = RuleSetDefinition.parse({
        defaults: file.defaults,
        conditions: file.conditions,
        rules: file.rules,
        ...(file.invariants ? { invariants: file.invariants } : {}),
        ...(file.decidedByRules ? { decidedByRules: file.decidedByRules } : {}),
      });
      await store.insertRuleSet(tx, {
        key: file.key,
        name: file.name,
        description: file.description,
        draft: definition,
        actor: "system",
        at: at.toISOString(),
      });
      await store.insertVersion(tx, {
        ruleSetKey: file.key,
        version: 1,
        definition,
        note: `imported from rules/${file.key}.json`,
        publishedAt: at.toISOString(),
        publishedBy: "system",
        rolledBackFrom: null,
        testCases: file.testCases,
      });
      await store.setActiveVersion(tx, file.key, 1);
      await insertActivation(tx, `import-${file.key}-1`, {
        ruleSetKey: file.key,
        version: 1,
        activatedAt: at.toISOString(),
        cause: "import",
      });
      await store.replaceTestCases(tx, file.key, file.testCases);
      await appendAudit(
        tx,
        {
          actor: "system",
          action: "import",
          entity: "rule-set",
          entityKey: file.key,
          detail: { version: 1, rules: definition.rules.length },
        },
        at,
      );
      await announceChange(tx, { topic: "rule-set", key: file.key });
      imported.push(file.key);
    }
    if (passwordHash !== undefined) {
      const id = ulid(at.getTime());
      await tx
        .insertInto("users")
        .values({ id, username: "admin", password_hash: passwordHash, role: "admin", created_at: at.toISOString() })
        .execute();
      await appendAudit(
        tx,
        { actor: "system", action: "user.create", entity: "user", entityKey: "admin", detail: { role: "admin" } },
        at,
      );
    }
    if (apiKey !== undefined) await insertApiKey(tx, { secret: apiKey, name: "bootstrap", actor: "system" }, at);
    // the seed's reply scripts, on a new database and on one made before templates existed
    await importStartingTemplates(tx, at);
  });

  return {
    imported,
    calendarYears,
    ...(isNew && options.adminPassword === undefined ? { adminPassword } : {}),
    ...(isNew && options.apiKey === undefined ? { apiKey } : {}),
  };
}

/**
 * Builds the registry from the database: each rule set's published version numbers and activation history, and its
 * active version compiled. Other versions are read when first asked for, and at most `compiledVersions` of them stay
 * compiled (`COMPILED_VERSIONS_CACHE`).
 */
export async function loadRegistry(db: Db, options: { compiledVersions?: number } = {}): Promise<DeciderRegistry> {
  const registry = new DeciderRegistry(new Map(ruleSetKindNames.map((kind) => [kind, kind])), {
    load: async (key, version) => (await store.findVersion(db, key, version))?.definition,
    cacheSize: options.compiledVersions ?? 16,
  });
  const [rows, versions, activations] = await Promise.all([
    store.listRuleSetRows(db),
    // the numbers only: a definition is read when its version is first asked for
    db.selectFrom("rule_set_versions").select(["rule_set_key", "version"]).execute(),
    listActivations(db),
  ]);
  for (const row of rows) {
    if (!isRuleSetKind(row.key)) continue;
    const numbers = versions.filter((v) => v.rule_set_key === row.key).map((v) => v.version);
    const active = row.activeVersion === null ? undefined : await store.findVersion(db, row.key, row.activeVersion);
    const history = activations
      .filter((a) => a.ruleSetKey === row.key)
      .map((a) => ({ version: a.version, atMs: Date.parse(a.activatedAt) }));
    registry.install(
      row.key,
      numbers,
      active ? { version: active.version, definition: active.definition } : null,
      history,
    );
  }
  return registry;
}
