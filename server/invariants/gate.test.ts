import { describe, expect, it } from "vitest";
import { InvariantBrokenMembers } from "../../shared/invariants.ts";
import type { RuleSetDefinition } from "../../shared/rules.ts";
import { readRuleSetFiles } from "../bootstrap.ts";
import { DomainError } from "../errors.ts";
import { assertInvariantsHold, invariantsForRollback } from "./gate.ts";

const NOW = Date.parse("2026-11-20T02:00:00Z");
const shipping = readRuleSetFiles("rules").find((file) => file.key === "shipping-fee")!;
const definition: RuleSetDefinition = {
  defaults: shipping.defaults,
  conditions: shipping.conditions,
  rules: shipping.rules,
  invariants: shipping.invariants!,
};

describe("the publish gate", () => {
  it("lets rules that keep every invariant through, naming none unchecked", async () => {
    expect(await assertInvariantsHold("shipping-fee", definition, { nowMs: NOW, what: "publishing" })).toEqual({
      unchecked: [],
    });
  });

  it("refuses rules a case makes break an invariant, with that case", async () => {
    const breaking: RuleSetDefinition = {
      ...definition,
      rules: [
        {
          name: "wrong-item-buyer-pays",
          description: "",
          priority: 5000,
          enabled: true,
          conditions: { all: [{ fact: "refund", path: "reason", operator: "equal", value: "wrong_item" }] },
          event: { type: "wrong-item-buyer-pays", params: { outboundShippingPayer: "buyer" } },
        },
        ...definition.rules,
      ],
    };
    let thrown: unknown;
    try {
      await assertInvariantsHold("shipping-fee", breaking, { nowMs: NOW, what: "publishing" });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(DomainError);
    const error = thrown as DomainError;
    expect([error.status, error.code]).toEqual([422, "invariant_broken"]);
    const members = InvariantBrokenMembers.parse(error.extra);
    expect(members).toMatchObject({
      invariant: { name: "seller-fault-seller-pays-both-legs" },
      field: "outboundShippingPayer",
    });
    expect((members.example as { refund: { reason: string } }).refund.reason).toBe("wrong_item");
  });

  it("does not refuse what the analysis could not decide within its budget, and names it", async () => {
    const result = await assertInvariantsHold("shipping-fee", definition, {
      nowMs: NOW,
      what: "publishing",
      budget: { steps: 1 },
    });
    expect(result.unchecked).toEqual([
      "seller-fault-seller-pays-both-legs",
      "seller-fault-exchange-seller-sends-the-replacement",
    ]);
  });

  it("has nothing to check without invariants", async () => {
    const { invariants: _, ...bare } = definition;
    expect(await assertInvariantsHold("shipping-fee", bare, { nowMs: NOW, what: "publishing" })).toEqual({
      unchecked: [],
    });
  });
});

describe("what a rollback must keep", () => {
  it("is the target's invariants and the active version's, the active's winning a name, with both's shared conditions", () => {
    const own = { name: "a", conditions: { all: [] }, expect: { returnShippingPayer: "seller" } };
    const stricter = { ...own, expect: { returnShippingPayer: "buyer" } };
    const other = { name: "b", conditions: { condition: "x" }, expect: { freightCollectAllowed: false } };
    const target = { ...definition, conditions: { y: { all: [] } }, invariants: [own] };
    const active = { ...definition, conditions: { x: { all: [] }, y: { any: [] } }, invariants: [stricter, other] };
    expect(invariantsForRollback(target, active)).toEqual({
      invariants: [stricter, other],
      conditions: { x: { all: [] }, y: { all: [] } },
    });
    expect(invariantsForRollback(target, undefined)).toEqual({ invariants: [own], conditions: { y: { all: [] } } });
  });
});
