import type { RuleSetKind } from "../../shared/outputs.ts";
import type { RuleSetDefinition } from "../../shared/rules.ts";
import { Decider } from "../engine/decider.ts";

/** When a version started deciding. */
export type Activation = { version: number; atMs: number };

type Entry = {
  readonly active: Decider | null;
  /** Every published version's definition, so that a pinned version never needs the database. */
  readonly definitions: ReadonlyMap<number, RuleSetDefinition>;
  /** Every activation, oldest first: which version decided when (`asOf`). */
  readonly activations: readonly Activation[];
};

/**
 * The published rule sets in memory, ready to decide. A change swaps a rule set's entry in one
 * assignment after it has committed, so a decision sees the old version or the new one, whole.
 * Versions other than the active one are compiled on first use and kept.
 */
export class DeciderRegistry {
  readonly #entries = new Map<string, Entry>();
  readonly #compiled = new Map<string, Decider>();

  constructor(readonly kinds: ReadonlyMap<string, RuleSetKind>) {}

  /** The active version's decider, null when nothing is published, undefined for an unknown key. */
  active(key: string): Decider | null | undefined {
    return this.#entries.get(key)?.active;
  }

  /** A published version's decider, or undefined when there is no such version. */
  version(key: string, version: number): Decider | undefined {
    const entry = this.#entries.get(key);
    if (!entry) return undefined;
    if (entry.active?.version === version) return entry.active;
    const id = `${key}@${version}`;
    const known = this.#compiled.get(id);
    if (known) return known;
    const definition = entry.definitions.get(version);
    if (!definition) return undefined;
    const decider = new Decider(this.kinds.get(key)!, version, definition);
    this.#compiled.set(id, decider);
    return decider;
  }

  /** The decider of the version that was active at `atMs`, or undefined when none was. */
  asOf(key: string, atMs: number): Decider | undefined {
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

  /** Installs a rule set's published versions, which is active, and its activation history. */
  install(key: string, versions: ReadonlyMap<number, RuleSetDefinition>, activeVersion: number | null, activations: readonly Activation[] = []): void {
    const kind = this.kinds.get(key);
    if (!kind) throw new Error(`rule set ${key} has no known kind`);
    const definition = activeVersion === null ? undefined : versions.get(activeVersion);
    const active = definition === undefined ? null : new Decider(kind, activeVersion!, definition);
    if (active) this.#compiled.set(`${key}@${active.version}`, active);
    const sorted = [...activations].sort((a, b) => a.atMs - b.atMs);
    this.#entries.set(key, { active, definitions: versions, activations: sorted });
  }

  /** Adds a published version that does not decide yet (it is scheduled). */
  addVersion(key: string, version: number, definition: RuleSetDefinition): void {
    const entry = this.#entries.get(key);
    if (!entry) throw new Error(`rule set ${key} is not installed`);
    this.#entries.set(key, { ...entry, definitions: new Map(entry.definitions).set(version, definition) });
  }

  /** Makes a version active from `atMs`, in one swap; a new version's decider may be passed in ready. */
  activate(key: string, decider: Decider, atMs: number): void {
    const entry = this.#entries.get(key);
    const definitions = new Map(entry?.definitions).set(decider.version, decider.definition);
    this.#compiled.set(`${key}@${decider.version}`, decider);
    const activations = [...(entry?.activations ?? []), { version: decider.version, atMs }].sort((a, b) => a.atMs - b.atMs);
    this.#entries.set(key, { active: decider, definitions, activations });
  }

  /** Makes an already published version active again (a schedule starting or ending). */
  activateVersion(key: string, version: number, atMs: number): void {
    const decider = this.version(key, version);
    if (!decider) throw new Error(`rule set ${key} has no version ${version}`);
    this.activate(key, decider, atMs);
  }
}
