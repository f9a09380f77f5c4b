import { refundEligibility } from "./refund-eligibility.ts";
import { servicePlaybook } from "./service-playbook.ts";
import { shippingFee } from "./shipping-fee.ts";
import { timeouts } from "./timeouts.ts";
import type { RuleSetKindModule } from "./kind.ts";

/**
 * The registry of rule-set kinds, in the order the admin lists them. Everything that differs by kind (the engine's fold
 * and computed fields, the decision log's outcome, the probes, the admin's labels and filters) reads it from here.
 */
export const kindModules = [refundEligibility, shippingFee, timeouts, servicePlaybook] as const;

type Modules = (typeof kindModules)[number];
export type RuleSetKind = Modules["key"];

/** Each kind's module by its key. */
export const ruleSetKinds = Object.freeze(Object.fromEntries(kindModules.map((m) => [m.key, m]))) as {
  readonly [M in Modules as M["key"]]: M;
};
export const ruleSetKindNames: readonly RuleSetKind[] = Object.freeze(kindModules.map((m) => m.key));

export function isRuleSetKind(key: string): key is RuleSetKind {
  return Object.hasOwn(ruleSetKinds, key);
}

/** The module of a kind, widened to what every kind has. */
export function kindModule(kind: RuleSetKind): RuleSetKindModule<RuleSetKind> {
  return ruleSetKinds[kind];
}

export type { DerivedFacts, OutcomeReading, RuleSetKindModule } from "./kind.ts";
