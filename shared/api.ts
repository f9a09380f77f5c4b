import { z } from "zod";
import { ruleSetKindNames } from "./outputs.ts";
import { FieldProblem, ProblemCode } from "./problems.ts";
import { Invariant, Rule, RuleSetDefinition, TestCase, TopLevelCondition } from "./rules.ts";

export { FieldProblem };

/** RFC 9457 problem details, as every error answers. */
export const Problem = z
  .object({
    type: z.string(),
    code: ProblemCode,
    title: z.string(),
    status: z.number().int(),
    detail: z.string(),
    errors: z.array(FieldProblem).optional(),
    /** The response's `X-Request-Id`; absent only on a batch item's problem, inside a 200. */
    requestId: z.string().optional(),
  })
  .meta({ id: "Problem" });
export type Problem = z.infer<typeof Problem>;

/**
 * `/readyz`'s answer once the service can decide. `database` is "unreachable" while the database does not answer: the
 * instance still decides with the versions it has loaded (a pinned or past version not in memory answers 503), and the
 * decision log keeps what it cannot write in its queue. Still ready: every instance shares the database, so failing
 * readiness would take them all out of the load balancer at once while they can all decide.
 */
export const Readiness = z
  .object({
    status: z.literal("ready"),
    database: z.enum(["ok", "unreachable"]),
    decisionLog: z.object({
      /** Decisions recorded and not yet written: they grow while the database does not answer. */
      queued: z.number().int(),
      /** Decisions not logged because the queue was full, since the start. */
      dropped: z.number().int(),
      /** Decisions whose log write failed, since the start. */
      failed: z.number().int(),
    }),
    /** What an operator should see to while the instance stays ready; absent when there is nothing. */
    warnings: z
      .array(
        z.object({
          code: z.enum(["calendar_next_year_missing"]),
          /** The year the warning is about. */
          year: z.number().int(),
          message: z.string(),
        }),
      )
      .optional(),
  })
  .meta({ id: "Readiness" });
export type Readiness = z.infer<typeof Readiness>;

/** Decisions in one batch request; a longer batch is refused whole (422). */
export const MAX_BATCH = 100;

const version = z.number().int().min(1).max(1_000_000_000);

/** The envelope of a decision request; `facts` is checked against `CaseFacts` on its own. */
export const DecisionRequest = z.strictObject({
  facts: z.unknown(),
  trace: z.boolean().default(false),
  version: version.optional(),
  /** Decide with the version that was active at this time (not with `version`). */
  asOf: z.iso.datetime({ offset: true }).optional(),
});
export type DecisionRequest = z.output<typeof DecisionRequest>;

export const BatchItem = DecisionRequest.extend({ ruleSet: z.string().min(1).max(100) });
export const BatchRequest = z.strictObject({ requests: z.array(z.unknown()).min(1).max(MAX_BATCH) });

export const TraceCondition = z.object({
  fact: z.string().optional(),
  path: z.string().optional(),
  operator: z.string().optional(),
  value: z.unknown().optional(),
  factValue: z.unknown().optional(),
  /** A duration counted in days or business hours: when the period counted from the fact's moment ends. */
  periodEnd: z.string().optional(),
  result: z.boolean().optional(),
});

/**
 * With `trace`: where each field of the decision came from, by field: the name of the rule that set it (a list field:
 * the first rule that added an entry), `default` (the rule set's default), or `computed` (the contract's computation).
 */
export const Provenance = z.record(z.string(), z.string()).meta({
  id: "Provenance",
  description:
    "Each field of the decision: the name of the rule that set it (a list field: the first rule that added an entry), `default`, or `computed`.",
  example: { returnShippingPayer: "free-shipping-each-pays-their-own-leg", freightCollectAllowed: "default" },
});
export type Provenance = z.infer<typeof Provenance>;

/** One rule as a decision's trace shows it (conditions: each leaf with the value seen and its result). */
export const TraceEntry = z
  .object({
    rule: z.string(),
    title: z.string().optional(),
    priority: z.number().int(),
    fired: z.boolean(),
    /** Present when the rule's validity window does not hold the case's now: it is not applicable. */
    window: z.enum(["upcoming", "over"]).optional(),
    /** A fired rule's fields that earlier rules had already set, each with the rule that set it. */
    takenBy: z.record(z.string(), z.string()).optional(),
    /** A fired rule whose every field earlier rules had already set: it changed nothing. */
    overridden: z.literal(true).optional(),
    conditions: z.unknown(),
  })
  .meta({ id: "TraceEntry" });

export const DecisionResponse = z.object({
  decisionId: z.string(),
  ruleSet: z.enum(ruleSetKindNames as [string, ...string[]]),
  version: z.number().int(),
  decision: z.record(z.string(), z.unknown()),
  firedRules: z.array(z.string()),
  provenance: Provenance.optional(),
  trace: z.array(TraceEntry).optional(),
});
export type DecisionResponse = z.infer<typeof DecisionResponse>;

export const SignInInput = z.strictObject({
  username: z.string().min(1).max(100),
  password: z.string().min(1).max(1000),
});

// ── management ──────────────────────────────────────────────────────────────────────────────────

export const DraftInput = z.strictObject({
  revision: z.number().int().min(0),
  rules: z.array(Rule).max(20_000),
  /** Omitted: the draft keeps its current defaults / shared conditions. */
  defaults: z.record(z.string(), z.unknown()).optional(),
  conditions: z.record(z.string(), TopLevelCondition).optional(),
  /** Omitted: the draft keeps its current invariants / fields to be decided by rules. */
  invariants: RuleSetDefinition.shape.invariants,
  decidedByRules: RuleSetDefinition.shape.decidedByRules,
});
export type DraftInput = z.input<typeof DraftInput>;

const instant = z.iso.datetime({ offset: true });
export const PublishInput = z.strictObject({
  note: z.string().max(2000).optional(),
  /** Take effect at this time instead of now (a scheduled policy). */
  activateAt: instant.optional(),
  /** Hand back to the version active before, at this time. */
  until: instant.optional(),
});
export const SubmitInput = z.strictObject({ note: z.string().max(2000).default("") });
export const ReviewInput = z.strictObject({ approve: z.boolean(), comment: z.string().max(2000).default("") });
export const SettingsInput = z.strictObject({ fourEyes: z.boolean() });
export const RollbackInput = z.strictObject({ version, note: z.string().max(2000).optional() });
export const SimulateInput = z.strictObject({
  facts: z.unknown(),
  /** Also decide with this published version (a scheduled one included), besides the draft and the active version. */
  version: version.optional(),
  /** Decide with these rules instead of the saved draft (an unsaved edit), checked as a save checks them. */
  draft: z
    .strictObject({
      rules: z.array(Rule).max(20_000),
      /** Omitted: the saved draft's defaults / shared conditions. */
      defaults: z.record(z.string(), z.unknown()).optional(),
      conditions: z.record(z.string(), TopLevelCondition).optional(),
    })
    .optional(),
});
export const TestCasesInput = z.strictObject({ testCases: z.array(TestCase).max(1000) });

/** A four-eyes review of a saved draft; `current` when the draft has not changed since it was submitted. */
export const Review = z
  .object({
    id: z.string(),
    draftRevision: z.number().int(),
    status: z.enum(["pending", "approved", "rejected", "withdrawn", "published"]),
    note: z.string(),
    submittedBy: z.string(),
    submittedAt: z.string(),
    reviewedBy: z.string().nullable(),
    reviewedAt: z.string().nullable(),
    comment: z.string().nullable(),
    current: z.boolean(),
  })
  .meta({ id: "Review" });

export const RuleSetSummary = z
  .object({
    key: z.string(),
    name: z.string(),
    description: z.string(),
    activeVersion: z.number().int().nullable(),
    publishedAt: z.string().nullable(),
    publishedBy: z.string().nullable(),
    draftRevision: z.number().int(),
    draftDiffers: z.boolean(),
    fourEyes: z.boolean(),
    /** Who changed the draft or its test cases since the last publish: none of them may approve it. */
    draftEditors: z.array(z.string()),
    review: Review.nullable(),
    /** The next schedule to start or end, if any. */
    nextSchedule: z
      .object({
        id: z.string(),
        version: z.number().int(),
        startsAt: z.string(),
        endsAt: z.string().nullable(),
        status: z.enum(["scheduled", "active", "ended", "cancelled"]),
      })
      .nullable(),
  })
  .meta({ id: "RuleSetSummary" });
export type RuleSetSummary = z.infer<typeof RuleSetSummary>;

export const RuleSetDetail = RuleSetSummary.extend({
  draft: RuleSetDefinition.extend({ revision: z.number().int(), updatedAt: z.string(), updatedBy: z.string() }),
  active: RuleSetDefinition.extend({ version: z.number().int() }).nullable(),
});
export type RuleSetDetail = z.infer<typeof RuleSetDetail>;

/** A saved draft: `merged` when it was saved on an older revision and merged with `mergedWith`'s saves since. */
export const DraftSaved = RuleSetDetail.extend({
  merged: z.boolean(),
  /** Who saved the draft between the revision the save was based on and the one it merged with (actors). */
  mergedWith: z.array(z.string()),
});
export type DraftSaved = z.infer<typeof DraftSaved>;

/** One rule, default field or shared condition both saves changed differently; null: that side has none. */
export const DraftConflict = z
  .union([
    z.object({ rule: z.string(), theirs: Rule.nullable(), mine: Rule.nullable() }),
    z.object({ default: z.string(), theirs: z.unknown(), mine: z.unknown() }),
    z.object({ condition: z.string(), theirs: TopLevelCondition.nullable(), mine: TopLevelCondition.nullable() }),
    z.object({ invariant: z.string(), theirs: Invariant.nullable(), mine: Invariant.nullable() }),
    z.object({
      decidedByRules: z.literal(true),
      theirs: z.array(z.string()).nullable(),
      mine: z.array(z.string()).nullable(),
    }),
  ])
  .meta({ id: "DraftConflict" });
export type DraftConflict = z.infer<typeof DraftConflict>;

/** The members a 409 `conflict` adds when a stale save could not be merged. */
export const DraftConflictMembers = z.object({
  currentRevision: z.number().int(),
  baseRevision: z.number().int(),
  mergedWith: z.array(z.string()),
  conflicts: z.array(DraftConflict),
  /** Both saves merged, each conflict resolved as theirs: what a client applies the person's choices to. */
  mergedKeepingTheirs: RuleSetDefinition,
});
export type DraftConflictMembers = z.infer<typeof DraftConflictMembers>;

export const DraftResetInput = z.strictObject({ version, revision: z.number().int().min(0) });
export const PresenceInput = z.strictObject({
  /** The editor closed: forget this caller at once instead of after a minute. */
  leaving: z.boolean().default(false),
});
/** Who else sent a heartbeat for the draft in the last minute. */
export const Presence = z
  .object({
    others: z.array(z.object({ actor: z.string(), name: z.string(), lastSeenAt: z.string() })),
  })
  .meta({ id: "DraftPresence" });
export type Presence = z.infer<typeof Presence>;

export const VersionSummary = z.object({
  version: z.number().int(),
  publishedAt: z.string(),
  publishedBy: z.string(),
  note: z.string(),
  rolledBackFrom: z.number().int().nullable(),
  active: z.boolean(),
});
export type VersionSummary = z.infer<typeof VersionSummary>;

/**
 * A version as published, with its whole definition and the test cases it was published with
 * (`null` for a version published before versions kept them).
 */
export const VersionDetail = VersionSummary.extend(RuleSetDefinition.shape)
  .extend({ testCases: z.array(TestCase).nullable() })
  .meta({ id: "VersionDetail" });

/** A version scheduled to take effect, and when it hands back to the version before. */
export const Schedule = z
  .object({
    id: z.string(),
    ruleSetKey: z.string(),
    version: z.number().int(),
    startsAt: z.string(),
    endsAt: z.string().nullable(),
    handBackVersion: z.number().int().nullable(),
    status: z.enum(["scheduled", "active", "ended", "cancelled"]),
    createdBy: z.string(),
    createdAt: z.string(),
  })
  .meta({ id: "Schedule" });

/** A publish or a rollback: the version now active (or scheduled), and whether nothing had changed. */
export const PublishResult = z
  .object({
    version: z.number().int(),
    unchanged: z.boolean(),
    scheduled: z.object({ id: z.string(), startsAt: z.string(), endsAt: z.string().nullable() }).optional(),
    /**
     * The version windows waiting or running when this version went live at once, and what that means for them:
     * `handsBackToThis`, a window not started yet will hand back to this version at its end (it hands back to the
     * version active at its start); `endsWithoutHandBack`, a running window's version is replaced now and its end
     * re-publishes nothing. Absent when there was none.
     */
    windows: z
      .array(
        z.object({
          id: z.string(),
          version: z.number().int(),
          startsAt: z.string(),
          endsAt: z.string().nullable(),
          effect: z.enum(["handsBackToThis", "endsWithoutHandBack"]),
        }),
      )
      .optional(),
    /** Invariants the analysis could not decide within its budget: published, not proven to hold. Absent when none. */
    invariantsUnchecked: z.array(z.string()).optional(),
  })
  .meta({ id: "PublishResult" });

/**
 * One stored test case decided again: the fields that differ from its expectation (each with what set its actual value:
 * a rule's name, `default` or `computed`), and the rules that fired.
 */
export const TestCaseResult = z
  .object({
    name: z.string(),
    passed: z.boolean(),
    mismatches: z.array(z.object({ field: z.string(), expected: z.unknown(), actual: z.unknown(), setBy: z.string() })),
    firedRules: z.array(z.string()),
  })
  .meta({ id: "TestCaseResult" });

export const TestRun = z.object({ passed: z.boolean(), results: z.array(TestCaseResult) }).meta({ id: "TestRun" });

const Decided = z.object({
  decision: z.record(z.string(), z.unknown()),
  firedRules: z.array(z.string()),
  provenance: Provenance,
  trace: z.array(TraceEntry),
});

/**
 * A case decided by the saved draft and by the active version, each with its trace and provenance, side by side, and
 * by the version asked for (`selected`), when one was.
 */
export const Simulation = z
  .object({
    /** The moment the case was decided at: its `now`, else the server's clock. */
    now: z.string(),
    draft: Decided.extend({ revision: z.number().int() }),
    active: Decided.extend({ version: z.number().int() }).nullable(),
    selected: Decided.extend({ version: z.number().int() }).optional(),
  })
  .meta({ id: "Simulation" });
