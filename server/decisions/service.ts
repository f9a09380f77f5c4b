import { monotonicFactory } from "ulid";
import { BatchItem, type DecisionRequest, type DecisionResponse } from "../../shared/api.ts";
import { CaseFacts } from "../../shared/case-facts.ts";
import { isRuleSetKind } from "../../shared/outputs.ts";
import { requireScope, type Principal } from "../auth/api-keys.ts";
import type { AppContext } from "../context.ts";
import { DomainError, invalid, notFound, problemBody } from "../errors.ts";
import { fieldProblems } from "../http/validation.ts";

const nextDecisionId = monotonicFactory();

/**
 * Decides one case with the active version of `ruleSet`, or the pinned `version`. Reads nothing
 * from the database: the decider comes from the in-memory registry.
 */
export async function decide(ctx: AppContext, principal: Principal, ruleSet: string, request: DecisionRequest): Promise<DecisionResponse> {
  if (!isRuleSetKind(ruleSet) || !ctx.registry.has(ruleSet)) throw notFound(`no rule set "${ruleSet}"`);
  requireScope(principal, "decisions:evaluate", ruleSet);
  const decider = request.version === undefined ? ctx.registry.active(ruleSet) : ctx.registry.version(ruleSet, request.version);
  if (!decider) {
    throw notFound(request.version === undefined ? `rule set "${ruleSet}" has no published version` : `rule set "${ruleSet}" has no version ${request.version}`);
  }
  const parsed = CaseFacts.safeParse(request.facts);
  if (!parsed.success) throw invalid("the facts break the case schema", fieldProblems(parsed.error.issues, request.facts === undefined ? ["facts"] : []));
  const facts = parsed.data;
  const now = ctx.now().getTime();
  const started = performance.now();
  const decided = decider.decide(facts, { trace: request.trace, nowMs: facts.now === undefined ? now : Date.parse(facts.now) });
  ctx.metrics.decisionSeconds.observe({ rule_set: ruleSet }, (performance.now() - started) / 1000);
  ctx.metrics.decisions.inc({ rule_set: ruleSet, version: decider.version });
  const decisionId = nextDecisionId(now);
  ctx.decisionLog.record({
    decisionId,
    at: now,
    ruleSet,
    version: decider.version,
    keyName: principal.name,
    facts: request.facts,
    decision: decided.decision,
    firedRules: decided.firedRules,
  });
  return {
    decisionId,
    ruleSet,
    version: decider.version,
    decision: decided.decision,
    firedRules: decided.firedRules,
    ...(decided.trace ? { trace: decided.trace } : {}),
  };
}

export type BatchResult = DecisionResponse | { error: ReturnType<typeof problemBody> };

/** Decides each request on its own: one that fails answers with its problem, the others still decide. */
export async function decideBatch(ctx: AppContext, principal: Principal, requests: readonly unknown[]): Promise<BatchResult[]> {
  const results: BatchResult[] = [];
  for (const raw of requests) {
    try {
      const item = BatchItem.safeParse(raw);
      if (!item.success) throw invalid("the request breaks the batch item schema", fieldProblems(item.error.issues));
      const { ruleSet, ...request } = item.data;
      results.push(await decide(ctx, principal, ruleSet, request));
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      results.push({ error: problemBody(error) });
    }
  }
  return results;
}
