import { getRandomValues } from "node:crypto";
import { monotonicFactory } from "ulid";
import { BatchItem, DecisionRequest, type DecisionResponse } from "../../shared/api.ts";
import { isRuleSetKind } from "../../shared/outputs.ts";
import { requireScope, type Principal } from "../auth/api-keys.ts";
import type { AppContext } from "../context.ts";
import { asProblem, databaseUnavailable, invalid, notFound, problemBody, type DomainError } from "../errors.ts";
import { isDatabaseUnreachable } from "../db/unreachable.ts";
import { assertJsonMediaType, fieldProblems, parseJsonBody } from "../http/validation.ts";
import { outcomeOf } from "../decision-log/decision-log.ts";
import type { Decided, Decider } from "../engine/decider.ts";
import { parseCase } from "./case-validator.ts";
import { momentsAfterNow } from "../../shared/case-facts.ts";
import { fieldProblem } from "../../shared/problems.ts";

/**
 * ulid's default randomness asks the CSPRNG for one byte per character: 16 calls, each with a
 * getpid system call (OpenSSL's fork check), whenever the millisecond changes: a large share of a
 * decision's time. The same CSPRNG bytes, drawn from a pool refilled 4 KiB at a time.
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

/**
 * The active version, the pinned `version`, or the version that was active at `asOf`. A promise only for a version the
 * registry must read from the database first (registry.ts): the active versions are always at hand.
 */
function pickDecider(ctx: AppContext, ruleSet: string, request: DecisionRequest): Decider | Promise<Decider> {
  if (request.version !== undefined && request.asOf !== undefined) {
    throw invalid("ask for a version or for the policy as of a time, not both", [
      fieldProblem("asOf", "not_combinable", { other: "version" }, "cannot be combined with version"),
    ]);
  }
  if (request.version !== undefined) {
    return found(
      ctx.registry.version(ruleSet, request.version),
      () => notFound(`rule set "${ruleSet}" has no version ${request.version}`),
      `version ${request.version} of rule set "${ruleSet}"`,
    );
  }
  if (request.asOf !== undefined) {
    return found(
      ctx.registry.asOf(ruleSet, Date.parse(request.asOf)),
      () => notFound(`no version of rule set "${ruleSet}" was active at ${request.asOf}`),
      `the version of rule set "${ruleSet}" active at ${request.asOf}`,
    );
  }
  const active = ctx.registry.active(ruleSet);
  if (!active) throw notFound(`rule set "${ruleSet}" has no published version`);
  return active;
}

/**
 * The decider the registry found, or the refusal when there is none, once it has been read; `what` names the version for
 * the 503 when it must be read and the database does not answer.
 */
function found(
  decider: Decider | Promise<Decider | undefined> | undefined,
  missing: () => DomainError,
  what: string,
): Decider | Promise<Decider> {
  if (decider instanceof Promise)
    return decider.then(
      (read) => read ?? Promise.reject(missing()),
      (error: unknown) =>
        Promise.reject(
          isDatabaseUnreachable(error)
            ? databaseUnavailable(
                `${what} is not in memory and the database does not answer to read it; the active version still decides, try this one again shortly`,
              )
            : error,
        ),
    );
  if (!decider) throw missing();
  return decider;
}

/** A decision as answered: the contract's response, and the same as JSON text (built once, for the reply and the log). */
export type Answered = { response: DecisionResponse; json: string };

/**
 * Decides one case with the active version of `ruleSet`, the pinned `version`, or the version active at `asOf`. Reads nothing
 * from the database, except an old version the registry no longer holds compiled: then, and only then, the answer is a
 * promise (`loaded` is that version, once read). The case is checked in place (case-validator.ts), its defaults filled
 * into `request.facts`.
 */
export function decide(
  ctx: AppContext,
  principal: Principal,
  ruleSet: string,
  request: DecisionRequest,
  loaded?: Decider,
): Answered | Promise<Answered> {
  if (!isRuleSetKind(ruleSet) || !ctx.registry.has(ruleSet)) throw notFound(`no rule set "${ruleSet}"`);
  requireScope(principal, "decisions:evaluate", ruleSet);
  const decider = loaded ?? pickDecider(ctx, ruleSet, request);
  if (decider instanceof Promise) return decider.then((read) => decide(ctx, principal, ruleSet, request, read));
  // the log keeps the case as parsed, before the check fills in its defaults: canonical JSON, never the body's text, where
  // a repeated key can say something else than what is decided
  const factsJson = JSON.stringify(request.facts);
  const parsed = parseCase(request.facts);
  if (!parsed.success)
    throw invalid(
      "the facts break the case schema",
      fieldProblems(parsed.error.issues, request.facts === undefined ? ["facts"] : []),
    );
  const facts = parsed.data;
  const now = ctx.now().getTime();
  const nowMs = facts.now === undefined ? now : Date.parse(facts.now);
  // here rather than in the schema: a case without `now` is decided at the server's clock
  const future = momentsAfterNow(facts, nowMs);
  if (future.length > 0) throw invalid("the case has moments later than now", [...future]);
  const started = performance.now();
  const decided = decider.decide(facts, {
    trace: request.trace,
    nowMs,
    periods: { zone: ctx.businessTimeZone, calendar: ctx.calendar.current },
  });
  ctx.metrics.decided(ruleSet, decider.version, (performance.now() - started) / 1000);
  const decisionId = nextDecisionId(now);
  const decisionJson = JSON.stringify(decided.decision);
  const firedRulesJson = JSON.stringify(decided.firedRules);
  ctx.decisionLog.record({
    decisionId,
    at: now,
    ruleSet,
    version: decider.version,
    keyName: principal.name,
    factsJson,
    decisionJson,
    firedRulesJson,
    outcome: outcomeOf(ruleSet, decided.decision),
    orderId: facts.order.id ?? "",
  });
  const response: DecisionResponse = {
    decisionId,
    ruleSet,
    version: decider.version,
    decision: decided.decision,
    firedRules: decided.firedRules,
    ...(decided.trace ? { provenance: decided.provenance!, trace: decided.trace } : {}),
  };
  // the same text JSON.stringify(response) gives, without stringifying the decision twice
  const json =
    `{"decisionId":${JSON.stringify(decisionId)},"ruleSet":${JSON.stringify(ruleSet)},"version":${decider.version},` +
    `"decision":${decisionJson},"firedRules":${firedRulesJson}${decided.trace ? traced(decided) : ""}}`;
  return { response, json };
}

/** A traced decision's provenance and trace as the end of its JSON text. */
function traced(decided: Decided): string {
  return `,"provenance":${JSON.stringify(decided.provenance)},"trace":${JSON.stringify(decided.trace)}`;
}

/** A decision endpoint's answer, whatever carries it: status, content type, extra headers and the body as JSON text. */
export type DecisionAnswer = { status: number; contentType: string; headers?: Record<string, string>; body: string };

/** The request as the decision endpoint reads it: the rule set from the path, two headers, the body as text, and its id. */
export type DecisionCall = {
  ruleSet: string;
  authorization: string | undefined;
  contentType: string | undefined;
  body: string;
  requestId: string;
};

/**
 * `POST /decisions/{ruleSet}` from the API key to the answer: the key (401) and its rate limit (429), the media type
 * (415), the JSON (400), its depth and the request schema (422), then the decision (404, 403, 422 as `decide` finds).
 * Every refusal is a problem answer; anything else thrown is a bug for the transport to report as a 500. The Hono route
 * and the node:http fast path (decisions/fast-path.ts) both answer with this, so they cannot drift apart.
 */
export function answerDecision(ctx: AppContext, call: DecisionCall): DecisionAnswer | Promise<DecisionAnswer> {
  try {
    const principal = ctx.apiKeys.authenticate(call.authorization, ctx.now().getTime());
    ctx.keyRateLimit?.take(principal.keyId);
    assertJsonMediaType(call.contentType);
    const body = parseJsonBody(call.body);
    const request = DecisionRequest.safeParse(body);
    if (!request.success) throw invalid("the body breaks the request schema", fieldProblems(request.error.issues));
    const answered = decide(ctx, principal, call.ruleSet, request.data);
    if (answered instanceof Promise) {
      return answered.then(
        ({ json }) => ({ status: 200, contentType: "application/json", body: json }),
        (error: unknown) => refusal(error, call.requestId),
      );
    }
    return { status: 200, contentType: "application/json", body: answered.json };
  } catch (error) {
    return refusal(error, call.requestId);
  }
}

/** A domain error (or a database that does not answer: 503) as its problem answer; anything else is thrown on. */
function refusal(error: unknown, requestId: string): DecisionAnswer {
  const problem = asProblem(error);
  if (!problem) throw error;
  return problemAnswer(problem, requestId);
}

/** A refusal as the decision endpoint answers it: problem+json with the error's own headers (Retry-After). */
export function problemAnswer(error: DomainError, requestId: string): DecisionAnswer {
  return {
    status: error.status,
    contentType: "application/problem+json",
    ...(error.headers ? { headers: error.headers } : {}),
    body: JSON.stringify(problemBody(error, requestId)),
  };
}

export type BatchResult = DecisionResponse | { error: ReturnType<typeof problemBody> };

/**
 * Decides each request on its own: one that fails answers with its problem, the others still decide. Every item counts
 * against the key's rate limit: the items past what the key has left this second answer 429 in their slot, and a batch
 * with none left is refused whole (429 with Retry-After).
 */
export async function decideBatch(
  ctx: AppContext,
  principal: Principal,
  requests: readonly unknown[],
): Promise<BatchResult[]> {
  const allowed =
    ctx.keyRateLimit === null ? requests.length : ctx.keyRateLimit.grant(principal.keyId, requests.length);
  const results: BatchResult[] = [];
  for (const raw of requests) {
    if (results.length >= allowed) {
      results.push({ error: problemBody(ctx.keyRateLimit!.refusal(principal.keyId)) });
      continue;
    }
    try {
      const item = BatchItem.safeParse(raw);
      if (!item.success) throw invalid("the request breaks the batch item schema", fieldProblems(item.error.issues));
      const { ruleSet, ...request } = item.data;
      const answered = decide(ctx, principal, ruleSet, request);
      results.push((answered instanceof Promise ? await answered : answered).response);
    } catch (error) {
      const problem = asProblem(error);
      if (!problem) throw error;
      results.push({ error: problemBody(problem) });
    }
  }
  return results;
}
