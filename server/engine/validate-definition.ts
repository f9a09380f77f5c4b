import type { FieldProblem } from "../../shared/api.ts";
import { CountedDurationObject } from "../../shared/periods.ts";
import { joinPath } from "../../shared/dotted-path.ts";
import { durationMs } from "../../shared/duration.ts";
import { factCatalog, findFact, operatorsByKind, type FactEntry } from "../../shared/fact-catalog.ts";
import { factKey, isFactReference } from "../../shared/fact-ref.ts";
import { ruleSetKinds, type RuleSetKind } from "../../shared/kinds/index.ts";
import { fieldProblem, issueCode } from "../../shared/problems.ts";
import type { Condition, RuleSetDefinition } from "../../shared/rules.ts";
import {
  MAX_EXPANDED_DEPTH,
  MAX_EXPANDED_NODES,
  MAX_EXPANDED_TOTAL,
  measureExpansion,
  referencesIn,
  type Expansion,
} from "./expansion.ts";
import { validateInvariants } from "./validate-invariants.ts";

const MAX_DEPTH = 24;
const knownFacts = new Set(factCatalog.map((entry) => entry.fact));

/**
 * Every problem with a rule set's content, each at the path of the field it concerns: names used
 * twice, facts or paths the catalog does not know, operators that do not fit the fact's type,
 * values of the wrong type or outside the fact's enum, references to missing or circular shared
 * conditions, conditions too large or too deep once their references are expanded (see
 * expansion.ts), a validity window that ends before it starts, and event params or defaults that
 * break the rule set's output schema.
 */
export function validateDefinition(kind: RuleSetKind, definition: RuleSetDefinition): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const schemas = ruleSetKinds[kind];

  const defaults = schemas.defaults.safeParse(definition.defaults);
  if (!defaults.success) {
    for (const issue of defaults.error.issues)
      problems.push({ path: joinPath(["defaults", ...issue.path]), ...issueCode(issue), message: issue.message });
  }

  const names = new Map<string, number>();
  definition.rules.forEach((rule, index) => {
    const first = names.get(rule.name);
    if (first !== undefined)
      problems.push(
        fieldProblem(
          `rules.${index}.name`,
          "duplicate_name",
          { name: rule.name, first },
          `rule name "${rule.name}" is already used by rule ${first}`,
        ),
      );
    else names.set(rule.name, index);
    if (rule.validFrom !== undefined && rule.validUntil !== undefined && !windowOpens(rule.validFrom, rule.validUntil))
      problems.push(
        fieldProblem(
          `rules.${index}.validUntil`,
          "ends_before_start",
          {},
          `the rule's window ends (${rule.validUntil}) at or before it starts (${rule.validFrom})`,
        ),
      );
    checkCondition(rule.conditions, `rules.${index}.conditions`, definition, problems, 0);
    const params = schemas.params.safeParse(rule.event.params);
    if (!params.success) {
      for (const issue of params.error.issues) {
        problems.push({
          path: joinPath([`rules.${index}.event.params`, ...issue.path]),
          ...issueCode(issue),
          message: issue.message,
        });
      }
    }
  });

  const cycles = findCycles(definition.conditions);
  for (const [name, condition] of Object.entries(definition.conditions)) {
    checkCondition(condition, `conditions.${name}`, definition, problems, 0);
    const cycle = cycles.get(name);
    if (cycle)
      problems.push(
        fieldProblem(
          `conditions.${name}`,
          "condition_cycle",
          { cycle },
          `shared conditions refer to each other in a circle: ${cycle.join(" → ")}`,
        ),
      );
  }
  checkExpansion(definition, problems);
  problems.push(...validateInvariants(kind, definition));
  return problems;
}

/** Whether a window from `validFrom` to `validUntil` holds any instant: the end is strictly after the start. */
function windowOpens(validFrom: string, validUntil: string): boolean {
  return Date.parse(validUntil) > Date.parse(validFrom);
}

/**
 * Bounds what evaluating, compiling and tracing a rule set could cost if references were followed
 * as written: each condition's size and depth with its references expanded, and the rules' total.
 * A shared condition over a bound is named only when no shared condition over it refers to it (a
 * chain of a thousand is one problem, at its head); circles are left to their own problem.
 */
function checkExpansion(definition: RuleSetDefinition, problems: FieldProblem[]): void {
  const { shared, roots, refersTo } = measureExpansion(
    definition.conditions,
    definition.rules.map((rule) => rule.conditions),
  );
  const excessive = (expansion: Expansion) =>
    Number.isFinite(expansion.depth) && (expansion.nodes > MAX_EXPANDED_NODES || expansion.depth > MAX_EXPANDED_DEPTH);
  const over = new Set([...shared].filter(([, expansion]) => excessive(expansion)).map(([name]) => name));
  const covered = new Set([...over].flatMap((name) => refersTo.get(name)!));
  for (const name of over)
    if (!covered.has(name)) problems.push(expansionProblem(`conditions.${name}`, shared.get(name)!));
  let total = 0;
  roots.forEach((expansion, index) => {
    if (excessive(expansion)) problems.push(expansionProblem(`rules.${index}.conditions`, expansion));
    // a rule already refused on its own is not counted again
    else if (Number.isFinite(expansion.nodes)) total += expansion.nodes;
  });
  if (total > MAX_EXPANDED_TOTAL) {
    problems.push(
      fieldProblem(
        "rules",
        "too_large",
        { count: total, maximum: MAX_EXPANDED_TOTAL },
        `the rules have ${total} conditions with their shared conditions expanded, more than ${MAX_EXPANDED_TOTAL}`,
      ),
    );
  }
}

export function expansionProblem(path: string, expansion: Expansion): FieldProblem {
  if (expansion.depth > MAX_EXPANDED_DEPTH) {
    return fieldProblem(
      path,
      "too_deep",
      { depth: expansion.depth, maximum: MAX_EXPANDED_DEPTH },
      `the condition nests ${expansion.depth} levels deep with its shared conditions expanded, more than ${MAX_EXPANDED_DEPTH}`,
    );
  }
  const count = expansion.nodes >= Number.MAX_SAFE_INTEGER ? "over 2^53" : expansion.nodes;
  return fieldProblem(
    path,
    "too_large",
    { count, maximum: MAX_EXPANDED_NODES },
    `the condition has ${count} parts with its shared conditions expanded, more than ${MAX_EXPANDED_NODES}: refer to a shared condition fewer times`,
  );
}

/** Adds every problem of one condition tree (facts, operators, values, references), as rules are checked. */
export function checkCondition(
  condition: Condition,
  path: string,
  definition: RuleSetDefinition,
  problems: FieldProblem[],
  depth: number,
): void {
  if (depth > MAX_DEPTH) {
    problems.push(
      fieldProblem(path, "too_deep", { maximum: MAX_DEPTH }, `conditions nest deeper than ${MAX_DEPTH} levels`),
    );
    return;
  }
  if ("all" in condition) {
    condition.all.forEach((child, i) => {
      checkCondition(child, `${path}.all.${i}`, definition, problems, depth + 1);
    });
  } else if ("any" in condition) {
    condition.any.forEach((child, i) => {
      checkCondition(child, `${path}.any.${i}`, definition, problems, depth + 1);
    });
  } else if ("not" in condition) checkCondition(condition.not, `${path}.not`, definition, problems, depth + 1);
  else if ("condition" in condition) {
    if (!Object.hasOwn(definition.conditions, condition.condition)) {
      problems.push(
        fieldProblem(
          `${path}.condition`,
          "unknown_condition",
          { name: condition.condition },
          `no shared condition is named "${condition.condition}"`,
        ),
      );
    }
  } else checkLeaf(condition, path, problems);
}

function checkLeaf(
  condition: { fact: string; path?: string; operator: string; value: unknown },
  path: string,
  problems: FieldProblem[],
) {
  const entry = findFact(condition.fact, condition.path);
  if (!entry) {
    if (!knownFacts.has(condition.fact)) {
      const facts = [...knownFacts];
      problems.push(
        fieldProblem(
          `${path}.fact`,
          "unknown_fact",
          { fact: condition.fact, facts },
          `unknown fact "${condition.fact}"; facts are ${facts.join(", ")}`,
        ),
      );
    } else {
      const paths = factCatalog.filter((e) => e.fact === condition.fact).map((e) => e.path);
      problems.push(
        fieldProblem(
          `${path}.path`,
          "unknown_path",
          { fact: condition.fact, path: condition.path ?? "", paths },
          `fact "${condition.fact}" has no path "${condition.path ?? ""}"; paths are ${paths.join(", ")}`,
        ),
      );
    }
    return;
  }
  const operators: readonly string[] = operatorsByKind[entry.type.kind];
  if (!operators.includes(condition.operator)) {
    problems.push(
      fieldProblem(
        `${path}.operator`,
        "operator_mismatch",
        { operator: condition.operator, fact: factName(entry), type: entry.type.kind, operators },
        `operator "${condition.operator}" does not fit ${describe(entry)}; use one of ${operators.join(", ")}`,
      ),
    );
    return;
  }
  const problem = checkValue(entry, condition.operator, condition.value, `${path}.value`);
  if (problem) problems.push(problem);
}

/** What is wrong with a condition's value for this fact and operator, or undefined. */
function checkValue(entry: FactEntry, operator: string, value: unknown, path: string): FieldProblem | undefined {
  const fact = factName(entry);
  if (isFactReference(value)) {
    const other = findFact(value.fact, value.path);
    const named = factKey(value.fact, value.path);
    if (!other)
      return fieldProblem(path, "unknown_fact", { fact: named }, `the value refers to an unknown fact "${named}"`);
    const numeric = (kind: string) => kind === "money" || kind === "count";
    const fits = numeric(entry.type.kind) ? numeric(other.type.kind) : other.type.kind === entry.type.kind;
    if (fits) return undefined;
    const params = { fact, type: entry.type.kind, other: factName(other), otherType: other.type.kind };
    return fieldProblem(
      path,
      "not_comparable",
      params,
      `${describe(entry)} cannot be compared with ${describe(other)}`,
    );
  }
  const type = entry.type;
  switch (type.kind) {
    case "enum":
      return enumValueProblem(path, operator, value, type.values);
    case "boolean":
      return typeof value === "boolean"
        ? undefined
        : fieldProblem(path, "not_boolean", { fact }, `${describe(entry)} is compared with true or false`);
    case "money":
      return Number.isSafeInteger(value)
        ? undefined
        : fieldProblem(path, "not_money", { fact }, `${describe(entry)} is compared with a whole number of fen`);
    case "count":
      return Number.isSafeInteger(value)
        ? undefined
        : fieldProblem(path, "not_whole_number", { fact }, `${describe(entry)} is compared with a whole number`);
    case "duration":
      if (typeof value === "string" && durationMs(value) !== null) return undefined;
      return typeof value === "object" && value !== null && !Array.isArray(value)
        ? countedDurationProblem(value, path)
        : fieldProblem(
            path,
            "not_duration",
            { fact },
            `${describe(entry)} is compared with an ISO 8601 duration of weeks, days, hours or minutes (P7D, PT48H)`,
          );
  }
}

/** What is wrong with the object form of a duration (`{ "duration": "P7D", "counting": "calendar_days" }`), or undefined. */
function countedDurationProblem(value: object, path: string): FieldProblem | undefined {
  const parsed = CountedDurationObject.safeParse(value);
  if (parsed.success) return undefined;
  const issue = parsed.error.issues[0]!;
  return { path: joinPath([path, ...issue.path]), ...issueCode(issue), message: issue.message };
}

/** What is wrong with a value (or, for in / notIn, a list) compared with an enum of `values`, or undefined. */
export function enumValueProblem(
  path: string,
  operator: string,
  value: unknown,
  values: readonly string[],
): FieldProblem | undefined {
  const list = operator === "in" || operator === "notIn";
  const given = list ? value : [value];
  if (!Array.isArray(given) || given.length === 0)
    return fieldProblem(
      path,
      "empty_list",
      { operator, values },
      `"${operator}" needs a non-empty list of ${values.join(", ")}`,
    );
  const bad = given.find((v) => typeof v !== "string" || !values.includes(v));
  if (bad === undefined) return undefined;
  return fieldProblem(
    path,
    "not_in_enum",
    { value: bad, values },
    `${JSON.stringify(bad)} is not one of ${values.join(", ")}`,
  );
}

function factName(entry: FactEntry): string {
  return factKey(entry.fact, entry.path);
}

function describe(entry: FactEntry): string {
  return `${factName(entry)} (${entry.type.kind})`;
}

/**
 * Every shared condition that lies on a circle of references, with one such circle. A single
 * depth-first pass that never enters a condition twice: linear in the conditions and references,
 * with an explicit stack, so a chain of any length cannot overflow it.
 */
function findCycles(conditions: RuleSetDefinition["conditions"]): Map<string, string[]> {
  const cycles = new Map<string, string[]>();
  const state = new Map<string, "open" | "done">();
  const trail: { name: string; refs: string[]; next: number }[] = [];
  const enter = (name: string) => {
    state.set(name, "open");
    trail.push({
      name,
      refs: [...new Set(referencesIn(conditions[name]!))].filter((ref) => Object.hasOwn(conditions, ref)),
      next: 0,
    });
  };
  for (const start of Object.keys(conditions)) {
    if (state.has(start)) continue;
    enter(start);
    while (trail.length > 0) {
      const frame = trail[trail.length - 1]!;
      if (frame.next === frame.refs.length) {
        trail.pop();
        state.set(frame.name, "done");
        continue;
      }
      const ref = frame.refs[frame.next++]!;
      if (state.get(ref) === "open") {
        const names = trail.map((open) => open.name);
        const circle = [...names.slice(names.indexOf(ref)), ref];
        for (const member of circle) if (!cycles.has(member)) cycles.set(member, circle);
      } else if (state.get(ref) === undefined) enter(ref);
    }
  }
  return cycles;
}
