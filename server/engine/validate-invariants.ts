import type { FieldProblem } from "../../shared/api.ts";
import { findFact } from "../../shared/fact-catalog.ts";
import { factKey, isFactReference } from "../../shared/fact-ref.ts";
import {
  expectableFields,
  invariantOperatorsByKind,
  ruleSetFields,
  type ExpectableType,
} from "../../shared/invariant-fields.ts";
import type { RuleSetKind } from "../../shared/kinds/index.ts";
import { fieldProblem } from "../../shared/problems.ts";
import type { InvariantExpectation, RuleSetDefinition } from "../../shared/rules.ts";
import { MAX_EXPANDED_DEPTH, MAX_EXPANDED_NODES, measureExpansion } from "./expansion.ts";
import { checkCondition, enumValueProblem, expansionProblem } from "./validate-definition.ts";

/**
 * Every problem with a definition's invariants and `decidedByRules`, at the path of the field it concerns: names used
 * twice, conditions checked exactly as a rule's are (facts, operators, values, shared conditions, size once expanded),
 * expectations on a field the decision lacks, or with an operator or value that does not fit the field (an enum value
 * outside the field's values, a yes/no, whole fen, a fact of a comparable type); `decidedByRules` naming a field no
 * rule may set, or one twice.
 */
export function validateInvariants(kind: RuleSetKind, definition: RuleSetDefinition): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const invariants = definition.invariants ?? [];
  const fields = expectableFields(kind);
  const names = new Map<string, number>();
  invariants.forEach((invariant, index) => {
    const first = names.get(invariant.name);
    if (first !== undefined)
      problems.push(
        fieldProblem(
          `invariants.${index}.name`,
          "duplicate_name",
          { name: invariant.name, first },
          `invariant name "${invariant.name}" is already used by invariant ${first}`,
        ),
      );
    else names.set(invariant.name, index);
    checkCondition(invariant.conditions, `invariants.${index}.conditions`, definition, problems, 0);
    for (const [field, expectation] of Object.entries(invariant.expect)) {
      const path = `invariants.${index}.expect.${field}`;
      const type = fields.get(field);
      if (!type) {
        const known = [...fields.keys()];
        problems.push(
          fieldProblem(
            path,
            "unknown_field",
            { field, fields: known },
            `the decision has no field "${field}" an invariant can expect; fields are ${known.join(", ")}`,
          ),
        );
        continue;
      }
      const problem = checkExpectation(field, type, expectation, path);
      if (problem) problems.push(problem);
    }
  });
  // an invariant's conditions cost the analysis what a rule's cost the engine: the same bounds
  const { roots } = measureExpansion(
    definition.conditions,
    invariants.map((invariant) => invariant.conditions),
  );
  roots.forEach((expansion, index) => {
    if (
      Number.isFinite(expansion.depth) &&
      (expansion.nodes > MAX_EXPANDED_NODES || expansion.depth > MAX_EXPANDED_DEPTH)
    )
      problems.push(expansionProblem(`invariants.${index}.conditions`, expansion));
  });
  checkDecidedByRules(kind, definition.decidedByRules ?? [], problems);
  return problems;
}

function checkDecidedByRules(kind: RuleSetKind, decided: readonly string[], problems: FieldProblem[]): void {
  const settable = ruleSetFields(kind);
  const seen = new Map<string, number>();
  decided.forEach((field, index) => {
    const path = `decidedByRules.${index}`;
    const first = seen.get(field);
    if (first !== undefined)
      problems.push(fieldProblem(path, "duplicate_name", { name: field, first }, `"${field}" is listed twice`));
    else seen.set(field, index);
    if (!settable.includes(field))
      problems.push(
        fieldProblem(
          path,
          "unknown_field",
          { field, fields: settable },
          `no rule may set "${field}"; fields a rule sets are ${settable.join(", ")}`,
        ),
      );
  });
}

/** What is wrong with one field's expectation, or undefined. A plain value is an `equal` comparison. */
function checkExpectation(
  field: string,
  type: ExpectableType,
  expectation: InvariantExpectation,
  path: string,
): FieldProblem | undefined {
  const comparison =
    typeof expectation === "object" && expectation !== null
      ? expectation
      : { operator: "equal" as const, value: expectation };
  const valuePath = comparison === expectation ? `${path}.value` : path;
  const operators: readonly string[] = invariantOperatorsByKind[type.kind];
  if (!operators.includes(comparison.operator))
    return fieldProblem(
      `${path}.operator`,
      "operator_mismatch",
      { operator: comparison.operator, fact: field, type: type.kind, operators },
      `operator "${comparison.operator}" does not fit ${field} (${type.kind}); use one of ${operators.join(", ")}`,
    );
  const { operator, value } = comparison;
  if (isFactReference(value)) {
    const other = findFact(value.fact, value.path);
    const named = factKey(value.fact, value.path);
    if (!other)
      return fieldProblem(valuePath, "unknown_fact", { fact: named }, `the value refers to an unknown fact "${named}"`);
    const otherKind = other.type.kind === "count" ? "money" : other.type.kind;
    const sameValues =
      type.kind !== "enum" || (other.type.kind === "enum" && other.type.values.every((v) => type.values.includes(v)));
    if (operator !== "in" && operator !== "notIn" && otherKind === type.kind && sameValues) return undefined;
    return fieldProblem(
      valuePath,
      "not_comparable",
      { fact: field, type: type.kind, other: named, otherType: other.type.kind },
      `${field} (${type.kind}) cannot be compared with ${named} (${other.type.kind})`,
    );
  }
  switch (type.kind) {
    case "enum":
      return enumValueProblem(valuePath, operator, value, type.values);
    case "boolean":
      return typeof value === "boolean"
        ? undefined
        : fieldProblem(valuePath, "not_boolean", { fact: field }, `${field} is expected to be true or false`);
    case "money":
      return Number.isSafeInteger(value)
        ? undefined
        : fieldProblem(valuePath, "not_money", { fact: field }, `${field} is compared with a whole number of fen`);
  }
}
