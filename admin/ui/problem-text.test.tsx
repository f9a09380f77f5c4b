import { cleanup, render, screen } from "@solidjs/testing-library";
import { userEvent } from "@testing-library/user-event";
import { createSignal } from "solid-js";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { FieldProblem } from "../../shared/api.ts";
import { ApiError } from "../api.ts";
import { I18nProvider, useI18n } from "../i18n/index.tsx";
import { ProblemSummary } from "../pages/editor/editor-toolbar.tsx";
import { noProblems } from "../pages/editor/problems.ts";
import { CaseForm } from "../pages/simulator/case-form.tsx";
import { Failure } from "./states.tsx";

/** A language switch beside what is rendered, as the admin's header has one. */
function LanguageSwitch() {
  const { setLang } = useI18n();
  return (
    <button type="button" onClick={() => setLang("en")}>
      English
    </button>
  );
}

function renderCaseForm(errors: FieldProblem[]) {
  const [value, setValue] = createSignal<unknown>({
    order: { status: "delivered", items: [{ id: "A", priceFen: 100, quantity: 1 }] },
  });
  render(() => (
    <I18nProvider>
      <LanguageSwitch />
      <CaseForm value={value()} onChange={setValue} errors={errors} />
    </I18nProvider>
  ));
}

const tooSmall: FieldProblem = {
  path: "order.items.0.priceFen",
  code: "too_small",
  params: { minimum: 0, origin: "number", inclusive: true },
  message: "Too small: expected number to be >=0",
};

const alerts = () =>
  screen
    .getAllByRole("alert")
    .map((alert) => alert.textContent)
    .join("\n");

beforeEach(() => localStorage.setItem("asr.lang", "zh"));
afterEach(cleanup);

describe("field problems are rendered from code and params", () => {
  it("too_small with its minimum, in Chinese at the field and in the list, and in English once switched", async () => {
    renderCaseForm([tooSmall]);
    const price = screen.getByLabelText("商品 1 单价");
    const atField = () => document.getElementById(price.getAttribute("aria-describedby")!)!.textContent;
    expect(atField()).toContain("不能小于 0");
    expect(alerts()).toContain("订单 › 商品 1 › 单价: 不能小于 0");
    expect(alerts()).not.toContain("Too small");
    await userEvent.click(screen.getByRole("button", { name: "English" }));
    expect(atField()).toContain("must be at least 0");
  });

  it("a code the admin does not know falls back to the English message", () => {
    renderCaseForm([
      { ...tooSmall, code: "from_a_newer_server" as FieldProblem["code"], message: "a newer server's sentence" },
    ]);
    expect(alerts()).toContain("a newer server's sentence");
  });

  it("unknown_fact and not_in_enum of a draft, in Chinese in the editor's problem list", () => {
    const problems = noProblems();
    problems.general.push(
      {
        path: "conditions.late",
        code: "unknown_fact",
        params: { fact: "parcel", facts: ["order", "refund"] },
        message: 'unknown fact "parcel"; facts are order, refund',
      },
      {
        path: "conditions.lost.value",
        code: "not_in_enum",
        params: { value: "lost", values: ["paid", "shipped"] },
        message: '"lost" is not one of paid, shipped',
      },
    );
    render(() => (
      <I18nProvider>
        <ProblemSummary problems={problems} ordered={[]} failure={undefined} onShow={() => {}} />
      </I18nProvider>
    ));
    const text = screen.getByRole("alert").textContent!;
    expect(text).toContain("未知的事实“parcel”");
    expect(text).toContain("“lost”不是可选值，可选：paid、shipped");
    expect(text).not.toContain("unknown fact");
  });
});

describe("problems are rendered from their code", () => {
  const failure = (problem: ConstructorParameters<typeof ApiError>[0]) =>
    render(() => (
      <I18nProvider>
        <LanguageSwitch />
        <Failure error={new ApiError(problem)} />
      </I18nProvider>
    ));

  it("review_required in Chinese, then in English, never the server's English detail", async () => {
    failure({
      type: "https://aftersales-rules.dev/problems/review-required",
      code: "review_required",
      title: "Review required",
      status: 409,
      detail: "four-eyes publishing: the draft is waiting for review",
    });
    expect(screen.getByRole("alert").textContent).toContain("需要另一位发布者审核通过");
    expect(screen.getByRole("alert").textContent).not.toContain("four-eyes");
    await userEvent.click(screen.getByRole("button", { name: "English" }));
    expect(screen.getByRole("alert").textContent).toContain("another publisher must approve");
  });

  it("invalid lists its first field problems in Chinese", () => {
    failure({
      type: "https://aftersales-rules.dev/problems/invalid",
      code: "invalid",
      title: "Unprocessable content",
      status: 422,
      detail: "the key cannot be created as asked",
      errors: [
        { path: "ruleSets.0", code: "unknown_rule_set", params: { key: "gifts" }, message: 'no rule set "gifts"' },
      ],
    });
    expect(screen.getByRole("alert").textContent).toContain("提交的内容有问题，请检查：ruleSets.0：没有规则集“gifts”");
  });

  it("a code the admin does not know shows the server's detail", () => {
    failure({
      type: "https://aftersales-rules.dev/problems/teapot",
      code: "teapot",
      title: "Teapot",
      status: 418,
      detail: "the server is a teapot",
    });
    expect(screen.getByRole("alert").textContent).toContain("the server is a teapot");
  });
});
