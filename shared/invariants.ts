import { z } from "zod";
import { Invariant, RuleSetDefinition } from "./rules.ts";

const invariantList = RuleSetDefinition.shape.invariants.unwrap();
const decidedList = RuleSetDefinition.shape.decidedByRules.unwrap();

/**
 * PUT /rule-sets/{key}/invariants: the draft's invariants (all of them, replacing the list), saved as a draft save on
 * `revision` is, merged invariant by invariant with what was saved since; `decidedByRules` omitted keeps the draft's.
 */
export const InvariantsInput = z.strictObject({
  revision: z.number().int().min(0),
  invariants: invariantList,
  decidedByRules: decidedList.optional(),
});
export type InvariantsInput = z.input<typeof InvariantsInput>;

/** A draft's invariants and the fields it asks a rule to decide for every case, at the draft's revision. */
export const DraftInvariants = z
  .object({
    revision: z.number().int(),
    invariants: invariantList,
    decidedByRules: decidedList,
  })
  .meta({ id: "DraftInvariants" });
export type DraftInvariants = z.infer<typeof DraftInvariants>;

/** The answer of a save: `merged` when it was based on an older revision and merged with `mergedWith`'s saves since. */
export const InvariantsSaved = DraftInvariants.extend({ merged: z.boolean(), mergedWith: z.array(z.string()) }).meta({
  id: "InvariantsSaved",
});
export type InvariantsSaved = z.infer<typeof InvariantsSaved>;

/** One invariant a case breaks: the invariant as the definition has it, the field it expects wrongly, and the case. */
export const BrokenInvariant = z.object({
  invariant: Invariant,
  /** The expected field the case's decision breaks. */
  field: z.string().optional(),
  /** A complete case (with its `now`) the simulator decides against the invariant. */
  example: z.record(z.string(), z.unknown()),
});
export type BrokenInvariant = z.infer<typeof BrokenInvariant>;

/**
 * The members a 422 `invariant_broken` adds (a publish or rollback refused): the first invariant broken with its
 * counterexample, and every one broken.
 */
export const InvariantBrokenMembers = BrokenInvariant.extend({ broken: z.array(BrokenInvariant).min(1) }).meta({
  id: "InvariantBrokenMembers",
});
export type InvariantBrokenMembers = z.infer<typeof InvariantBrokenMembers>;
