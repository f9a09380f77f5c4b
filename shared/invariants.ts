import { z } from "zod";
import { RuleSetDefinition } from "./rules.ts";

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
