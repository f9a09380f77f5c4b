import { cleanup, render, screen } from "@solidjs/testing-library";
import { userEvent } from "@testing-library/user-event";
import { createStore, reconcile } from "solid-js/store";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { TopLevelCondition } from "../../../shared/rules.ts";
import { I18nProvider } from "../../i18n/index.tsx";
import { ConditionBuilder } from "./condition-builder.tsx";
import { parseCount } from "./values.ts";

/** The editor's numbers read what a Chinese input method types: full-width digits are the same digits. */

function renderBuilder(initial: TopLevelCondition) {
  const [store, setStore] = createStore({ condition: structuredClone(initial) });
  render(() => (
    <I18nProvider>
      <ConditionBuilder condition={store.condition} onChange={(next) => setStore("condition", reconcile(next))} />
    </I18nProvider>
  ));
  return () => JSON.parse(JSON.stringify(store.condition)) as unknown;
}

async function typeInto(input: HTMLElement, text: string) {
  await userEvent.clear(input);
  await userEvent.click(input);
  await userEvent.paste(text);
}

beforeEach(() => localStorage.setItem("asr.lang", "zh"));
afterEach(() => {
  cleanup();
  localStorage.clear();
});

describe("the editor's whole numbers", () => {
  it("read full-width digits", () => {
    expect(parseCount("３")).toBe(3);
    expect(parseCount(" １２ ")).toBe(12);
    expect(parseCount("1.5")).toBeUndefined();
  });

  it("take a count typed in full-width digits", async () => {
    const current = renderBuilder({
      all: [{ fact: "order", path: "promotionKindCount", operator: "greaterThan", value: 1 }],
    });
    await typeInto(screen.getByRole("textbox", { name: "值" }), "２");
    expect(current()).toEqual({
      all: [{ fact: "order", path: "promotionKindCount", operator: "greaterThan", value: 2 }],
    });
  });

  it("take a duration's number typed in full-width digits", async () => {
    const current = renderBuilder({
      all: [{ fact: "elapsed", path: "sinceShipped", operator: "greaterThan", value: "P7D" }],
    });
    await typeInto(screen.getByRole("textbox", { name: "值" }), "１５");
    expect(current()).toEqual({
      all: [{ fact: "elapsed", path: "sinceShipped", operator: "greaterThan", value: "P15D" }],
    });
  });

  it("take a money amount typed in full-width digits with 元", async () => {
    const current = renderBuilder({ all: [{ fact: "order", path: "paidFen", operator: "greaterThan", value: 0 }] });
    await typeInto(screen.getByRole("textbox", { name: "值" }), "１２０元");
    expect(current()).toEqual({ all: [{ fact: "order", path: "paidFen", operator: "greaterThan", value: 12000 }] });
  });
});
