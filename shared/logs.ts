import { z } from "zod";

const instant = z.iso.datetime({ offset: true });
const limit = z.coerce.number().int().min(1).max(1000).default(100);

/** Filters of the audit log: every one optional, combined with "and". */
export const AuditQuery = z.strictObject({
  entity: z.string().max(100).optional(),
  entityKey: z.string().max(200).optional(),
  actor: z.string().max(200).optional(),
  action: z.string().max(100).optional(),
  from: instant.optional(),
  to: instant.optional(),
  /** Entries older than this id (the previous page's last `id`). */
  before: z.string().max(40).optional(),
  limit,
  format: z.enum(["json", "csv"]).default("json"),
});
export type AuditQuery = z.output<typeof AuditQuery>;

export const AuditEntry = z.object({
  id: z.string(),
  at: z.string(),
  actor: z.string(),
  action: z.string(),
  entity: z.string(),
  entityKey: z.string(),
  detail: z.unknown(),
});
export type AuditEntry = z.infer<typeof AuditEntry>;

/** Filters of the decision log. */
export const DecisionLogQuery = z.strictObject({
  decisionId: z.string().max(40).optional(),
  ruleSet: z.string().max(100).optional(),
  /** The decision's summary, e.g. `eligible:refund_only`, `return:seller`; a prefix matches too. */
  outcome: z.string().max(100).optional(),
  keyName: z.string().max(100).optional(),
  /** The caller's order number, as the case's `order.id` named it. */
  orderId: z.string().max(64).optional(),
  from: instant.optional(),
  to: instant.optional(),
  before: z.string().max(40).optional(),
  limit,
});
export type DecisionLogQuery = z.output<typeof DecisionLogQuery>;

export const DecisionLogEntry = z.object({
  decisionId: z.string(),
  at: z.string(),
  ruleSet: z.string(),
  version: z.number().int(),
  keyName: z.string(),
  outcome: z.string(),
  /** The case's `order.id`, when it named one. */
  orderId: z.string().nullable(),
  facts: z.unknown(),
  decision: z.record(z.string(), z.unknown()),
  firedRules: z.array(z.string()),
  /**
   * Columns of the stored row that are not the JSON they should be, with their text as stored; their fields above then
   * hold null, {} or []. Only a row written by something other than the service has any.
   */
  unreadable: z.object({ facts: z.string(), decision: z.string(), firedRules: z.string() }).partial().optional(),
});
export type DecisionLogEntry = z.infer<typeof DecisionLogEntry>;
