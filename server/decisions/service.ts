import { getRandomValues } from "node:crypto";
import { monotonicFactory } from "ulid";
import { BatchItem, type DecisionRequest, type DecisionResponse } from "../../shared/api.ts";
import { CaseFacts } from "../../shared/case-facts.ts";
import { isRuleSetKind } from "../../shared/outputs.ts";
import { requireScope, type Principal } from "../auth/api-keys.ts";
import type { AppContext } from "../context.ts";
import { DomainError, invalid, notFound, problemBody } from "../errors.ts";
import { fieldProblems } from "../http/validation.ts";
import type { Decider } from "../engine/decider.ts";

/**
 * ulid's default randomness asks the CSPRNG for one byte per character: 16 calls, each with a
 * getpid system call (OpenSSL's fork check), whenever the millisecond changes — about 80 µs per
 * decision on the benchmark machine. The same CSPRNG bytes, drawn from a pool refilled 4 KiB at a time.
 */
const randomPool = new Uint8Array(4096);
let randomOffset = randomPool.length;
function pooledRandom(): number {
  if (randomOffset === randomPool.length) {
    getRandomValues(randomPool);
    randomOffset = 0;
  }
  return randomPool[randomOffset++]! / 256;
}

const nextDecisionId = monotonicFactory(pooledRandom);

/** The active version, the pinned `version`, or the version that was active at `asOf`. */
function pickDecider(ctx: AppContext, ruleSet: string, request: DecisionRequest): Decider {
  if (request.version !== undefined && request.asOf !== undefined) {
    throw invalid("ask for a version or for the policy as of a time, not both", [{ path: "asOf", message: "cannot be combined with version" }]);
  }
  if (request.version !== undefined) {
    const pinned = ctx.registry.version(ruleSet, request.version);
    if (!pinned) throw notFound(`rule set "${ruleSet}" has no version ${request.version}`);
    return pinned;
  }
  if (request.asOf !== undefined) {
    const then = ctx.registry.asOf(ruleSet, Date.parse(request.asOf));
    if (!then) throw notFound(`no version of rule set "${ruleSet}" was active at ${request.asOf}`);
    return then;
  }
  const active = ctx.registry.active(ruleSet);
  if (!active) throw notFound(`rule set "${ruleSet}" has no published version`);
  return active;
}

/**
 * Decides one case with the active version of `ruleSet`, the pinned `version`, or the version active at `asOf`. Reads nothing
 * from the database: the decider comes from the in-memory registry.
 */
export async function decide(ctx: AppContext, principal: Principal, ruleSet: string, request: DecisionRequest): Promise<DecisionResponse> {
  if (!isRuleSetKind(ruleSet) || !ctx.registry.has(ruleSet)) throw notFound(`no rule set "${ruleSet}"`);
  requireScope(principal, "decisions:evaluate", ruleSet);
  const decider = pickDecider(ctx, ruleSet, request);
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
