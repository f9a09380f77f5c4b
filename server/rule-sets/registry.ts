import type { RuleSetKind } from "../../shared/outputs.ts";
import type { RuleSetDefinition } from "../../shared/rules.ts";
import { Decider } from "../engine/decider.ts";

type Entry = {
  readonly active: Decider | null;
  /** Every published version's definition, so that a pinned version never needs the database. */
  readonly definitions: ReadonlyMap<number, RuleSetDefinition>;
};

/**
 * The published rule sets in memory, ready to decide. Publishing swaps a rule set's entry in one
 * assignment after the change has committed, so a decision sees the old version or the new one,
 * whole. Older versions are compiled on first use and kept.
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

  has(key: string): boolean {
    return this.#entries.has(key);
  }

  /** Installs a rule set's published versions and which is active. */
  install(key: string, versions: ReadonlyMap<number, RuleSetDefinition>, activeVersion: number | null, prebuilt?: Decider): void {
    const kind = this.kinds.get(key);
    if (!kind) throw new Error(`rule set ${key} has no known kind`);
    const definition = activeVersion === null ? undefined : versions.get(activeVersion);
    const active = definition === undefined ? null : (prebuilt ?? new Decider(kind, activeVersion!, definition));
    if (active) this.#compiled.set(`${key}@${active.version}`, active);
    this.#entries.set(key, { active, definitions: versions });
  }

  /** Adds a newly published version and makes it active, in one swap. */
  activate(key: string, decider: Decider): void {
    const previous = this.#entries.get(key);
    const definitions = new Map(previous?.definitions);
    definitions.set(decider.version, decider.definition);
    this.#compiled.set(`${key}@${decider.version}`, decider);
    this.#entries.set(key, { active: decider, definitions });
  }
}
