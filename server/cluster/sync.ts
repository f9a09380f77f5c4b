import { isRuleSetKind } from "../../shared/kinds/index.ts";
import type { AppContext } from "../context.ts";
import { isPostgresUrl } from "../db/database.ts";
import { Decider } from "../engine/decider.ts";
import { findVersion } from "../rule-sets/store.ts";
import { reloadCalendar } from "../calendar/service.ts";
import { calendarFingerprint } from "../calendar/store.ts";
import { type Change, type ChangeListener, listenForChanges } from "./change-feed.ts";
import { apiKeysFingerprint, listRuleSetStates, readRuleSetHistory, type StoredRuleSetState } from "./store.ts";

/** What the next check reads: everything, or the rule sets, keys and calendar a notification named. */
type Work = { everything: boolean; ruleSets: Set<string>; apiKeys: boolean; calendar: boolean };

const nothing = (): Work => ({ everything: false, ruleSets: new Set(), apiKeys: false, calendar: false });

/** Tries of a rule set's reload that this instance's own changes keep overtaking, before the next check takes over. */
const RELOAD_TRIES = 3;

export type ClusterSync = {
  /** Compares everything with the database now and reloads what differs; resolves when done (or failed and logged). */
  checkNow(): Promise<void>;
  /** Stops listening and checking; resolves once a check under way is over, so the database may close. */
  stop(): Promise<void>;
};

/**
 * Keeps what this instance holds in memory (the registry's rule sets, the API keys, the working-day calendar) in step with the database that
 * other instances change too. On PostgreSQL a change is heard at once (change-feed.ts's LISTEN) and the rule set or the
 * keys it names are read again; on both dialects every `intervalMs` a cheap check compares each rule set's active
 * version, versions and activations, the keys' and the calendar's fingerprints, with memory, and reloads only what differs. A check
 * that fails (the database unreachable) is logged and done again next time: decisions go on with what is loaded.
 */
export function startClusterSync(
  ctx: Pick<AppContext, "db" | "registry" | "apiKeys" | "logger" | "calendar">,
  options: { databaseUrl: string; intervalMs: number },
): ClusterSync {
  const { db, registry, apiKeys, logger } = ctx;
  let pending = nothing();
  let running: Promise<void> | undefined;
  let stopped = false;
  let failing = false;
  let keysFingerprint: string | undefined;
  let calendarPrint: string | undefined;

  /** Reads a rule set again and swaps it in whole; the active version is compiled before the swap, not during it. */
  async function reloadRuleSet(key: string): Promise<void> {
    const kind = registry.kinds.get(key);
    if (!kind) return;
    for (let attempt = 0; attempt < RELOAD_TRIES; attempt++) {
      const expected = registry.state(key);
      const current = registry.active(key) ?? null;
      const [stored] = await listRuleSetStates(db, key);
      if (!stored) return;
      const history = await readRuleSetHistory(db, key);
      let active: Decider | null = null;
      if (stored.activeVersion !== null && stored.activeVersion === current?.version) active = current;
      else if (stored.activeVersion !== null) {
        // compiled already when it was known as a scheduled version (below), else read and compiled now
        active = (await registry.version(key, stored.activeVersion)) ?? null;
        if (!active) {
          const version = await findVersion(db, key, stored.activeVersion);
          if (!version) throw new Error(`rule set ${key} has no version ${stored.activeVersion}`);
          active = new Decider(kind, version.version, version.definition);
        }
      }
      if (registry.refresh(key, expected, { versions: history.versions, active, activations: history.activations })) {
        // a version newer than the active one waits for its schedule: compiled now, its start costs no compilation
        if (stored.latestVersion > (stored.activeVersion ?? 0)) await registry.version(key, stored.latestVersion);
        return;
      }
    }
  }

  async function checkRuleSets(key?: string): Promise<void> {
    for (const stored of await listRuleSetStates(db, key)) {
      if (isRuleSetKind(stored.key) && differs(stored)) await reloadRuleSet(stored.key);
    }
  }

  function differs(stored: StoredRuleSetState): boolean {
    const held = registry.state(stored.key);
    return (
      held === undefined ||
      held.activeVersion !== stored.activeVersion ||
      held.versions !== stored.versions ||
      held.latestVersion !== stored.latestVersion ||
      held.activations !== stored.activations ||
      held.lastActivationAtMs !== stored.lastActivationAtMs
    );
  }

  async function checkApiKeys(force: boolean): Promise<void> {
    const fingerprint = await apiKeysFingerprint(db);
    if (!force && fingerprint === keysFingerprint) return;
    await apiKeys.load(db);
    keysFingerprint = fingerprint;
  }

  /** Reloads the calendar when its fingerprint moved (or always, when a notification named it). */
  async function checkCalendar(force: boolean): Promise<void> {
    const fingerprint = await calendarFingerprint(db);
    if (!force && fingerprint === calendarPrint) return;
    await reloadCalendar(ctx);
    calendarPrint = fingerprint;
  }

  async function run(work: Work): Promise<void> {
    if (work.everything) {
      await checkRuleSets();
      await checkApiKeys(false);
      await checkCalendar(false);
      return;
    }
    for (const key of work.ruleSets) await checkRuleSets(key);
    if (work.apiKeys) await checkApiKeys(true);
    if (work.calendar) await checkCalendar(true);
  }

  /** Runs the pending work, one round at a time, until none is left: what arrives during a round gets the next one. */
  function drain(): Promise<void> {
    running ??= (async () => {
      // `running` is set before the loop first looks at `pending`, and cleared in the same step as its last look
      await Promise.resolve();
      try {
        while (!stopped && (pending.everything || pending.apiKeys || pending.calendar || pending.ruleSets.size > 0)) {
          const work = pending;
          pending = nothing();
          try {
            await run(work);
            if (failing) logger.info("cluster sync: the database answers again, memory is in step with it");
            failing = false;
          } catch (error) {
            // once per outage, not every interval: the next check tries again anyway
            if (!failing)
              logger.error({ err: error }, "cluster sync: reading changes failed; deciding on what is loaded");
            failing = true;
          }
        }
      } finally {
        running = undefined;
      }
    })();
    return running;
  }

  function request(change: Change | "everything"): Promise<void> {
    if (change === "everything") pending.everything = true;
    else if (change.topic === "api-keys") pending.apiKeys = true;
    else if (change.topic === "calendar") pending.calendar = true;
    else pending.ruleSets.add(change.key);
    return drain();
  }

  const timer = setInterval(() => void request("everything"), options.intervalMs);
  timer.unref();
  // the listener tries again every few seconds while the database is away: one line when it drops, one when it is back
  let listenerDown = false;
  const listener: ChangeListener | undefined = isPostgresUrl(options.databaseUrl)
    ? listenForChanges(options.databaseUrl, {
        onChange: (change) => void request(change),
        // the first time and after each reconnection: changes made while nobody listened were not heard
        onConnect: () => {
          if (listenerDown) logger.info("cluster sync: listening for changes again");
          listenerDown = false;
          void request("everything");
        },
        onError: (error) => {
          if (!listenerDown)
            logger.warn(
              { err: error },
              "cluster sync: listening for changes failed; connecting again until it answers",
            );
          listenerDown = true;
        },
      })
    : undefined;

  return {
    checkNow: () => request("everything"),
    async stop() {
      stopped = true;
      clearInterval(timer);
      await listener?.close();
      await running;
    },
  };
}
