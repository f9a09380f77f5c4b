import { z } from "zod";

/** Buckets of a period the rule analytics count by: the hour (UTC hours), or the day in the business time zone. */
export const StatsBucket = z.enum(["hour", "day"]);
export type StatsBucket = z.infer<typeof StatsBucket>;

/**
 * The most buckets one answer holds: 100 days either way (the admin's 90 days by the hour fit), since the read, on the
 * thread that answers requests, grows with the period's hours times its outcomes and rules.
 */
export const MAX_STATS_BUCKETS = { hour: 2_400, day: 100 } as const satisfies Record<StatsBucket, number>;

/** The period the analytics cover when the query names none: the last 30 days. */
export const DEFAULT_STATS_DAYS = 30;

const instant = z.iso.datetime({ offset: true });

/** `GET /api/v1/rule-sets/{key}/stats`'s query. */
export const StatsQuery = z.strictObject({
  from: instant.optional().meta({
    description: "The period's start (inclusive), widened to the start of its bucket; default `to` less 30 days",
    example: "2026-10-21T00:00:00+08:00",
  }),
  to: instant.optional().meta({
    description: "The period's end (exclusive), widened to the end of its bucket; default now",
    example: "2026-11-20T00:00:00+08:00",
  }),
  bucket: StatsBucket.default("day").meta({
    description: "`hour`, or `day` in the business time zone (`BUSINESS_TIME_ZONE`)",
  }),
});
export type StatsQuery = z.output<typeof StatsQuery>;

const count = z.number().int().min(0);
/** Decisions per outcome: the decision log's `outcome`, the summary a person filters the log by. */
const ByOutcome = z
  .record(z.string(), count)
  .meta({ example: { "eligible:refund_only": 1_180, "not_eligible:none": 54 } });

export const StatsBucketCount = z.object({
  /** When the bucket starts: an hour, or midnight in the business time zone. */
  start: z.iso.datetime(),
  total: count,
  byOutcome: ByOutcome,
});
export type StatsBucketCount = z.infer<typeof StatsBucketCount>;

/** An enabled rule of the active version or the draft that fired for no decision of the period. */
export const NeverFiredRule = z.object({
  rule: z.string(),
  title: z.string().nullable(),
  /** In the active version (which decided the period's decisions since it was activated). */
  inActive: z.boolean(),
  /** In the saved draft. */
  inDraft: z.boolean(),
});
export type NeverFiredRule = z.infer<typeof NeverFiredRule>;

/** What the decision log counted for a rule set in a period, from the counts kept as it writes. */
export const RuleStats = z
  .object({
    ruleSet: z.string(),
    /** The period counted, widened to whole buckets: [from, to). */
    from: z.iso.datetime(),
    to: z.iso.datetime(),
    bucket: StatsBucket,
    /** The business time zone the day buckets are days of. */
    timeZone: z.string(),
    total: count,
    byOutcome: ByOutcome,
    /** Times each rule fired (at most once a decision), for the rules that fired. */
    byRule: z
      .record(z.string(), count)
      .meta({ example: { "seven-day-return-within-7-days-of-delivery": 1_102, "claim-can-be-filed-only-once": 3 } }),
    /** Every bucket of the period, oldest first, the empty ones too. */
    buckets: z.array(StatsBucketCount),
    neverFired: z.array(NeverFiredRule),
  })
  .meta({
    id: "RuleStats",
    example: {
      ruleSet: "refund-eligibility",
      from: "2026-11-18T16:00:00.000Z",
      to: "2026-11-20T16:00:00.000Z",
      bucket: "day",
      timeZone: "Asia/Shanghai",
      total: 1_234,
      byOutcome: { "eligible:refund_only": 1_180, "not_eligible:none": 54 },
      byRule: { "seven-day-return-within-7-days-of-delivery": 1_102, "claim-can-be-filed-only-once": 3 },
      buckets: [
        {
          start: "2026-11-18T16:00:00.000Z",
          total: 600,
          byOutcome: { "eligible:refund_only": 570, "not_eligible:none": 30 },
        },
        {
          start: "2026-11-19T16:00:00.000Z",
          total: 634,
          byOutcome: { "eligible:refund_only": 610, "not_eligible:none": 24 },
        },
      ],
      neverFired: [
        { rule: "closed-order-cannot-be-refunded", title: "已关闭订单不能退款", inActive: true, inDraft: true },
      ],
    },
  });
export type RuleStats = z.infer<typeof RuleStats>;
