import type { RuleSetKind } from "../../shared/outputs.ts";
import type { RuleSetDefinition } from "../../shared/rules.ts";
import { Decider } from "../engine/decider.ts";

/** When a version started deciding. */
export type Activation = { version: number; atMs: number };

/** Reads a published version's definition from the database; undefined when there is none. */
export type LoadDefinition = (key: string, version: number) => Promise<RuleSetDefinition | undefined>;

/**
 * What the registry holds of a rule set, in the terms the database can be asked cheaply (cluster/sync.ts compares the
 * two). `stamp` identifies the entry it was read from, so that a refresh never replaces a newer one.
 */
export type RuleSetState = {
  readonly activeVersion: number | null;
  readonly versions: number;
  readonly latestVersion: number;
  readonly activations: number;
  readonly lastActivationAtMs: number | null;
  readonly stamp: unknown;
};

type Entry = {
  readonly active: Decider | null;
  /** Every published version's number, so that a version that does not exist is refused without the database. */
  readonly versions: ReadonlySet<number>;
  /** Every activation, oldest first: which version decided when (`asOf`). */
  readonly activations: readonly Activation[];
};

/**
 * The published rule sets in memory, ready to decide. A change swaps a rule set's entry in one
 * assignment after it has committed, so a decision sees the old version or the new one, whole.
 *
 * Only the active versions are held for good. Any other version (pinned, `asOf`, scheduled) is read from the database
 * and compiled on first use, then kept among the `cacheSize` most recently used: an old version costs memory only while
 * callers ask for it, however many have been published.
 */
export class DeciderRegistry {
  readonly #entries = new Map<string, Entry>();
  /** Compiled versions that are not active, least recently used first (a Map keeps insertion order). */
  readonly #compiled = new Map<string, Decider>();
  /** Versions being read and compiled, so that callers asking at once share one read. */
  readonly #loading = new Map<string, Promise<Decider | undefined>>();
  readonly #load: LoadDefinition;
  readonly #cacheSize: number;

  constructor(
    readonly kinds: ReadonlyMap<string, RuleSetKind>,
    options: { load: LoadDefinition; cacheSize: number },
  ) {
    this.#load = options.load;
    this.#cacheSize = options.cacheSize;
  }

  /** How many versions other than the active ones are compiled in memory (at most the cache size). */
  get compiledVersions(): number {
    return this.#compiled.size;
  }

  /** The active version's decider, null when nothing is published, undefined for an unknown key. */
  active(key: string): Decider | null | undefined {
    return this.#entries.get(key)?.active;
  }

  /**
   * A published version's decider, or undefined when there is no such version. A version that is neither active nor
   * compiled is read from the database first: then the answer is a promise, the only case that waits.
   */
  version(key: string, version: number): Decider | Promise<Decider | undefined> | undefined {
    const entry = this.#entries.get(key);
    if (!entry) return undefined;
    if (entry.active?.version === version) return entry.active;
    if (!entry.versions.has(version)) return undefined;
    const id = `${key}@${version}`;
    const known = this.#compiled.get(id);
    if (known) {
      this.#remember(id, known);
      return known;
    }
    return this.#loading.get(id) ?? this.#compile(key, version, id);
  }

  /** The decider of the version that was active at `atMs` (read as `version` does), or undefined when none was. */
  asOf(key: string, atMs: number): Decider | Promise<Decider | undefined> | undefined {
    const activations = this.#entries.get(key)?.activations ?? [];
    let found: Activation | undefined;
    for (const activation of activations) {
      if (activation.atMs > atMs) break;
      found = activation;
    }
    return found && this.version(key, found.version);
  }

  has(key: string): boolean {
    return this.#entries.has(key);
  }

  /** Installs a rule set: its published version numbers, the active version's definition, and its activation history. */
  install(
    key: string,
    versions: Iterable<number>,
    active: { version: number; definition: RuleSetDefinition } | null,
    activations: readonly Activation[] = [],
  ): void {
    const kind = this.kinds.get(key);
    if (!kind) throw new Error(`rule set ${key} has no known kind`);
    const decider = active === null ? null : new Decider(kind, active.version, active.definition);
    const sorted = [...activations].sort((a, b) => a.atMs - b.atMs);
    this.#entries.set(key, { active: decider, versions: new Set(versions), activations: sorted });
  }

  /** The rule set's state as `refresh` compares it with the database; undefined for an unknown key. */
  state(key: string): RuleSetState | undefined {
    const entry = this.#entries.get(key);
    if (!entry) return undefined;
    const last = entry.activations.at(-1);
    return {
      activeVersion: entry.active?.version ?? null,
      versions: entry.versions.size,
      latestVersion: Math.max(0, ...entry.versions),
      activations: entry.activations.length,
      lastActivationAtMs: last?.atMs ?? null,
      stamp: entry,
    };
  }

  /**
   * Replaces a rule set's entry with what another instance made of it (read from the database, the active decider
   * compiled by the caller), in one swap — unless the entry changed since `expected` was read (this instance activated
   * something meanwhile): then nothing changes and the answer is false, so that the caller reads again.
   */
  refresh(
    key: string,
    expected: RuleSetState | undefined,
    next: { versions: Iterable<number>; active: Decider | null; activations: readonly Activation[] },
  ): boolean {
    const entry = this.#entries.get(key);
    if (entry !== expected?.stamp) return false;
    if (!this.kinds.has(key)) throw new Error(`rule set ${key} has no known kind`);
    if (next.active) this.#compiled.delete(`${key}@${next.active.version}`);
    if (entry?.active && entry.active.version !== next.active?.version)
      this.#remember(`${key}@${entry.active.version}`, entry.active);
    const activations = [...next.activations].sort((a, b) => a.atMs - b.atMs);
    this.#entries.set(key, { active: next.active, versions: new Set(next.versions), activations });
    return true;
  }

  /** Adds a published version that does not decide yet (it is scheduled), compiled ready for its start. */
  addVersion(key: string, version: number, definition: RuleSetDefinition): void {
    const entry = this.#entries.get(key);
    if (!entry) throw new Error(`rule set ${key} is not installed`);
    this.#entries.set(key, { ...entry, versions: new Set(entry.versions).add(version) });
    this.#remember(`${key}@${version}`, new Decider(this.kinds.get(key)!, version, definition));
  }

  /** Makes a version active from `atMs`, in one swap; a new version's decider may be passed in ready. */
  activate(key: string, decider: Decider, atMs: number): void {
    const entry = this.#entries.get(key);
    this.#compiled.delete(`${key}@${decider.version}`);
    // the version it replaces stays compiled among the recently used: a schedule often hands back to it
    if (entry?.active && entry.active.version !== decider.version)
      this.#remember(`${key}@${entry.active.version}`, entry.active);
    this.#entries.set(key, {
      active: decider,
      versions: new Set(entry?.versions).add(decider.version),
      activations: withActivation(entry, decider.version, atMs),
    });
  }

  /** Makes an already published version active again (a schedule starting or ending); waits only if it must be read. */
  activateVersion(key: string, version: number, atMs: number): void | Promise<void> {
    const before = this.#entries.get(key)?.active;
    const decider = this.version(key, version);
    if (decider instanceof Promise) {
      return decider.then((loaded) => {
        if (!loaded) throw new Error(`rule set ${key} has no version ${version}`);
        const entry = this.#entries.get(key)!;
        // another version went active while this one was read: that one decides, this one joins the history
        if (entry.active !== before)
          this.#entries.set(key, { ...entry, activations: withActivation(entry, version, atMs) });
        else this.activate(key, loaded, atMs);
      });
    }
    if (!decider) throw new Error(`rule set ${key} has no version ${version}`);
    this.activate(key, decider, atMs);
  }

  /** Reads and compiles a version, then keeps it among the recently used. */
  #compile(key: string, version: number, id: string): Promise<Decider | undefined> {
    const loading = this.#load(key, version)
      .then((definition) => {
        if (definition === undefined) return undefined;
        const decider = new Decider(this.kinds.get(key)!, version, definition);
        // activated while it was being read: the active one is the decider to use
        const active = this.#entries.get(key)?.active;
        if (active?.version === version) return active;
        this.#remember(id, decider);
        return decider;
      })
      .finally(() => this.#loading.delete(id));
    this.#loading.set(id, loading);
    return loading;
  }

  /** Marks a compiled version as the most recently used, and lets the least recently used go beyond the cache size. */
  #remember(id: string, decider: Decider): void {
    this.#compiled.delete(id);
    this.#compiled.set(id, decider);
    while (this.#compiled.size > this.#cacheSize) this.#compiled.delete(this.#compiled.keys().next().value!);
  }
}

/**
 * A rule set's activations with one more, oldest first. One already there is not added again: this instance's own
 * change may have been read back from the database (cluster/sync.ts hears its own notifications) before it is applied.
 */
function withActivation(entry: Entry | undefined, version: number, atMs: number): readonly Activation[] {
  const activations = entry?.activations ?? [];
  if (activations.some((a) => a.version === version && a.atMs === atMs)) return activations;
  return [...activations, { version, atMs }].sort((a, b) => a.atMs - b.atMs);
}
