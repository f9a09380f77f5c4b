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
import { fieldProblemText, problemText } from "./problem-text.ts";
import { type FieldCode, fieldCodes, type ProblemCode, problemCodes } from "../../shared/problems.ts";

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

describe("every code the server can send reads in both languages", () => {
  /** Sample params for each name a field code declares: a known fact, numbers for bounds, lists for lists. */
  const sample = (name: string): unknown => {
    if (name === "fact" || name === "other") return "order.paidFen";
    if (name === "mismatches") return [{ field: "eligible", expected: true, actual: false }];
    if (["values", "keys", "paths", "operators", "facts", "fields", "cycle"].includes(name)) return ["alpha", "beta"];
    if (["minimum", "maximum", "count", "depth", "requested", "ordered", "minutes", "divisor"].includes(name)) return 3;
    if (name === "inclusive") return true;
    return "X1";
  };
  const fieldCodeList = (Object.keys(fieldCodes) as FieldCode[]).filter((code) => code !== "custom");
  const withOrigins = fieldCodeList.flatMap((code): { code: FieldCode; origin: string | undefined }[] =>
    code === "too_small" || code === "too_big"
      ? ["number", "string", "array", ...(code === "too_big" ? ["object"] : [])].map((origin) => ({ code, origin }))
      : [{ code, origin: undefined }],
  );

  function texts(lang: "zh" | "en") {
    localStorage.setItem("asr.lang", lang);
    let rendered: string[] = [];
    function Probe() {
      const { t } = useI18n();
      rendered = [
        ...withOrigins.map(({ code, origin }) => {
          const params = Object.fromEntries(fieldCodes[code].map((name) => [name, sample(name)]));
          if (origin) Object.assign(params, { origin });
          else delete params.origin;
          return fieldProblemText({ path: "p", code, params, message: "ENGLISH SERVER SENTENCE" }, t);
        }),
        ...(Object.keys(problemCodes) as ProblemCode[]).map((code) =>
          problemText(
            new ApiError({ type: "t", code, title: "ENGLISH TITLE", status: 400, detail: "ENGLISH SERVER SENTENCE" }),
            t,
          ),
        ),
      ];
      return null;
    }
    render(() => (
      <I18nProvider>
        <Probe />
      </I18nProvider>
    ));
    return rendered;
  }

  it("in Chinese: each has Chinese words, every param filled, facts by their Chinese name, no English sentence", () => {
    const zh = texts("zh");
    expect(zh).toHaveLength(withOrigins.length + Object.keys(problemCodes).length);
    for (const text of zh) {
      expect(text, text).toMatch(/\p{Script=Han}/u);
      // an unfilled {param} (a reply template's placeholder is quoted in braces as written: {X1} is filled)
      expect(text, text).not.toMatch(/\{(?!X1\})\w+\}|ENGLISH|order\.paidFen/);
      // the sample values alpha, beta and X1 are the only Latin words a Chinese sentence may carry
      expect(text.replace(/alpha|beta|X1|ID|JSON|P7D|PT48H|__proto__|constructor|prototype/g, ""), text).not.toMatch(
        /[A-Za-z]{2,}/,
      );
    }
    expect(zh).toContain("实际付款 只能与以分为单位的整数金额比较");
  });

  it("in English: each has its own sentence, every param filled, no Chinese", () => {
    for (const text of texts("en")) {
      expect(text, text).not.toMatch(/\p{Script=Han}|\{(?!X1\})\w+\}|ENGLISH/u);
      expect(text.length, text).toBeGreaterThan(5);
    }
  });
});
