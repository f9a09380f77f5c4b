import { z } from "zod";

/** Logged decisions one replay decides again at most. */
export const MAX_IMPACT_RECORDS = 1_000_000;
/** The period a replay covers when the request names none: the last 30 days. */
export const DEFAULT_IMPACT_DAYS = 30;
/** Sample cases kept per field transition. */
export const IMPACT_SAMPLES_PER_TRANSITION = 20;

const instant = z.iso.datetime({ offset: true });

/** What to replay: the period's logged decisions of the rule set, newest first, `limit` of them at most. */
export const ImpactInput = z
  .strictObject({
    /** Default: 30 days before `to`. */
    from: instant.optional(),
    /** Default: now. */
    to: instant.optional(),
    limit: z.number().int().min(1).max(MAX_IMPACT_RECORDS).default(MAX_IMPACT_RECORDS),
  })
  .refine(
    (input) => input.from === undefined || input.to === undefined || Date.parse(input.from) < Date.parse(input.to),
    {
      path: ["to"],
      message: "must be later than from",
      params: { code: "ends_before_start" },
    },
  )
  .meta({ id: "ImpactInput", example: { from: "2026-10-21T00:00:00Z", to: "2026-11-20T00:00:00Z" } });
export type ImpactInput = z.output<typeof ImpactInput>;

/** Decisions whose one field went from one value to another under the draft. */
export const ImpactTransition = z.object({
  field: z.string(),
  from: z.unknown(),
  to: z.unknown(),
  count: z.number().int(),
});

/** A logged decision the draft decides differently: the case as logged, the decision then and the draft's now. */
export const ImpactSample = z.object({
  decisionId: z.string(),
  /** When it was decided: the time the draft decided it at when the case names no `now`. */
  at: z.string(),
  facts: z.unknown(),
  before: z.record(z.string(), z.unknown()),
  after: z.record(z.string(), z.unknown()),
  /** The fields that changed, and the rules that changed them. */
  fields: z.array(z.string()),
  rules: z.array(z.string()),
});
export type ImpactSample = z.infer<typeof ImpactSample>;

/** What the draft would have changed in the logged decisions it replayed. */
export const ImpactResult = z
  .object({
    replayed: z.number().int(),
    /** Replayed decisions with at least one field different. */
    changed: z.number().int(),
    /** Most frequent first, each with its samples below. */
    transitions: z.array(ImpactTransition),
    /** Changed decisions per rule: the rule now setting a changed field, or that set one and no longer fires. */
    byRule: z.array(z.object({ rule: z.string(), changed: z.number().int() })),
    /** Up to IMPACT_SAMPLES_PER_TRANSITION per transition. */
    samples: z.array(ImpactSample),
    /** The sum of `maxRefundableFen` after minus before (refund-eligibility), in fen. */
    moneyMovedFen: z.number().int(),
    /** Refunds not eligible as logged that the draft makes eligible, and the other way. */
    turnedEligible: z.number().int(),
    turnedIneligible: z.number().int(),
    /** Logged decisions not replayed: facts left out of the log as oversized, or no longer a valid case. */
    skipped: z.object({ oversized: z.number().int(), invalid: z.number().int() }),
    /** Transitions beyond the ones listed (a field with many values, such as an amount), counted here. */
    otherTransitions: z.number().int(),
  })
  .meta({ id: "ImpactResult" });
export type ImpactResult = z.infer<typeof ImpactResult>;

/** A replay: what it covers, how far it got, and its result once done. */
export const ImpactJob = z
  .object({
    id: z.string(),
    ruleSet: z.string(),
    status: z.enum(["running", "done", "failed"]),
    /** The saved draft's revision the replay decides with. */
    draftRevision: z.number().int(),
    from: z.string(),
    to: z.string(),
    limit: z.number().int(),
    /** Decisions to replay: the period's, up to `limit`. */
    total: z.number().int(),
    replayed: z.number().int(),
    startedAt: z.string(),
    finishedAt: z.string().nullable(),
    /** Why it failed (`failed`). */
    error: z.string().nullable(),
    result: ImpactResult.nullable(),
  })
  .meta({
    id: "ImpactJob",
    example: {
      id: "01JEXAMPLE0000000000000000",
      ruleSet: "shipping-fee",
      status: "running",
      draftRevision: 4,
      from: "2026-10-21T00:00:00.000Z",
      to: "2026-11-20T00:00:00.000Z",
      limit: 1_000_000,
      total: 48_210,
      replayed: 12_000,
      startedAt: "2026-11-20T00:00:01.000Z",
      finishedAt: null,
      error: null,
      result: null,
    },
  });
export type ImpactJob = z.infer<typeof ImpactJob>;
