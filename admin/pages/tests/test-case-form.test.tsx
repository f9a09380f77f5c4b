import { cleanup, render, screen, within } from "@solidjs/testing-library";
import { userEvent } from "@testing-library/user-event";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { I18nProvider } from "../../i18n/index.tsx";
import { defaultCase } from "../simulator/case-schema.ts";
import { AcceptActualDialog } from "./accept-actual-dialog.tsx";
import { TestCaseDialog } from "./test-case-dialog.tsx";
import { acceptChanges, type TestCase, type TestCaseResult } from "./test-cases-model.ts";

/** The test-case form stores only what it shows: a value it cannot read blocks it, with the reason at the field. */

function renderDialog(initial: Partial<TestCase> = {}) {
  const onApply = vi.fn();
  render(() => (
    <I18nProvider>
      <TestCaseDialog
        title="添加测试用例"
        kind="refund-eligibility"
        simulate={() => Promise.reject(new Error("not in this test"))}
        initial={{ name: "双十一：满减后退款", facts: defaultCase(), expect: {}, ...initial }}
        otherNames={[]}
        onApply={onApply}
        onClose={() => {}}
      />
    </I18nProvider>
  ));
  return { onApply, dialog: screen.getByRole("dialog") };
}

const done = () => userEvent.click(screen.getByRole("button", { name: "完成" }));
const maxRefundable = () => screen.getByRole("textbox", { name: "最大可退金额的期望值" });

async function typeInto(input: HTMLElement, text: string) {
  await userEvent.clear(input);
  // typed as a whole, as an input method commits it
  await userEvent.click(input);
  await userEvent.paste(text);
}

beforeEach(() => localStorage.setItem("asr.lang", "zh"));
afterEach(() => {
  cleanup();
  localStorage.clear();
});

describe("the expectation's amounts", () => {
  it.each([
    ["-10", "金额不能为负数"],
    ["−10", "金额不能为负数"],
    ["8.888", "金额最多两位小数（精确到分）"],
    ["十元", "请输入金额（元），如 12.50"],
  ])("refuse %j with the reason at the field, and block 完成", async (typed, reason) => {
    const { onApply } = renderDialog({ expect: { maxRefundableFen: 10000 } });
    await typeInto(maxRefundable(), typed);
    expect(maxRefundable().getAttribute("aria-invalid")).toBe("true");
    const message = document.getElementById(maxRefundable().getAttribute("aria-describedby")!.split(" ").at(-1)!);
    expect(message?.textContent).toBe(reason);
    await done();
    expect(onApply).not.toHaveBeenCalled();
    expect(screen.getByText("还不能完成：请先改正标红的字段")).toBeTruthy();
    expect(document.activeElement).toBe(maxRefundable());
  });

  it("keeps no older value while the text is invalid: corrected, it applies what is shown", async () => {
    const { onApply } = renderDialog({ expect: { maxRefundableFen: 10000 } });
    await typeInto(maxRefundable(), "8.888");
    await done();
    expect(onApply).not.toHaveBeenCalled();
    await typeInto(maxRefundable(), "8.88");
    expect(maxRefundable().getAttribute("aria-invalid")).toBeNull();
    expect(screen.queryByText("还不能完成：请先改正标红的字段")).toBeNull();
    await done();
    expect(onApply).toHaveBeenCalledWith(expect.objectContaining({ expect: { maxRefundableFen: 888 } }));
  });

  it.each([
    ["１２０元", 12000],
    ["１２３．５", 12350],
    ["￥１，２９９．００", 129900],
  ])("accept %j from a Chinese input method, exactly (%i fen)", async (typed, fen) => {
    const { onApply } = renderDialog({ expect: { maxRefundableFen: 0 } });
    await typeInto(maxRefundable(), typed);
    expect(maxRefundable().getAttribute("aria-invalid")).toBeNull();
    await done();
    expect(onApply).toHaveBeenCalledWith(expect.objectContaining({ expect: { maxRefundableFen: fen } }));
  });
});

describe("the case's numbers", () => {
  it("block 完成 while an order item's price is negative, and read full-width digits", async () => {
    const { onApply } = renderDialog({ expect: { eligible: true } });
    const price = screen.getByRole("textbox", { name: /^商品 1 单价$/ });
    await typeInto(price, "-5");
    expect(price.getAttribute("aria-invalid")).toBe("true");
    await done();
    expect(onApply).not.toHaveBeenCalled();
    await typeInto(price, "９９．９");
    await done();
    expect(onApply).toHaveBeenCalledOnce();
    expect(onApply.mock.calls[0]![0].facts.order.items[0].priceFen).toBe(9990);
  });

  it("block 完成 while a quantity is no whole number, and read full-width digits", async () => {
    const { onApply } = renderDialog({ expect: { eligible: true } });
    const quantity = screen.getByRole("textbox", { name: /^商品 1 数量$/ });
    await typeInto(quantity, "1.5");
    expect(quantity.getAttribute("aria-invalid")).toBe("true");
    expect(screen.getByText("请输入整数")).toBeTruthy();
    await done();
    expect(onApply).not.toHaveBeenCalled();
    await typeInto(quantity, "３");
    await done();
    expect(onApply.mock.calls[0]![0].facts.order.items[0].quantity).toBe(3);
  });
});

describe("a test case that checks nothing", () => {
  it("is blocked with the reason", async () => {
    const { onApply } = renderDialog();
    await done();
    expect(onApply).not.toHaveBeenCalled();
    const editor = screen.getByRole("group", { name: "期望" });
    expect(within(editor).getByRole("alert").textContent).toContain("请至少勾选一个要检查的结论字段");
    await userEvent.click(screen.getByRole("checkbox", { name: "检查可以退款" }));
    await done();
    expect(onApply).toHaveBeenCalledWith(expect.objectContaining({ expect: { eligible: false } }));
  });

  it("shows the server's empty_expectation in Chinese at the expectation", () => {
    render(() => (
      <I18nProvider>
        <TestCaseDialog
          title="编辑测试用例"
          kind="refund-eligibility"
          simulate={() => Promise.reject(new Error("not in this test"))}
          initial={{ name: "空", facts: defaultCase(), expect: {} }}
          otherNames={[]}
          errors={[{ path: "expect", code: "empty_expectation", params: { fields: ["eligible"] }, message: "x" }]}
          onApply={() => {}}
          onClose={() => {}}
        />
      </I18nProvider>
    ));
    const editor = screen.getByRole("group", { name: "期望" });
    expect(within(editor).getByRole("alert").textContent).toBe("测试用例至少要检查一个结论字段");
  });
});

describe("accepting the actual result", () => {
  const rules = [
    {
      name: "seller-fault-seller-pays-postage",
      title: "卖家责任：卖家承担运费",
      event: { params: { returnShippingPayer: "seller", refundOutboundShipping: true } },
    },
    { name: "free-shipping-each-pays-their-own-leg", event: { params: { returnShippingPayer: "buyer" } } },
  ];
  const result: TestCaseResult = {
    name: "七天无理由、卖家包邮",
    passed: false,
    firedRules: ["seller-fault-seller-pays-postage", "free-shipping-each-pays-their-own-leg"],
    mismatches: [
      { field: "returnShippingPayer", expected: "buyer", actual: "seller" },
      { field: "freightCollectAllowed", expected: true, actual: false },
    ] as TestCaseResult["mismatches"],
  };

  it("says which rule gave each new value: the first fired rule that sets it, else the default", () => {
    expect(acceptChanges("shipping-fee", result, rules)).toEqual([
      {
        field: "returnShippingPayer",
        before: "buyer",
        after: "seller",
        source: {
          from: "rules",
          rules: [{ name: "seller-fault-seller-pays-postage", title: "卖家责任：卖家承担运费" }],
        },
      },
      { field: "freightCollectAllowed", before: true, after: false, source: { from: "default" } },
    ]);
  });

  it("takes the run's own word for where a value came from when the server says it", () => {
    const said = {
      ...result,
      mismatches: [
        {
          field: "returnShippingPayer",
          expected: "buyer",
          actual: "seller",
          setBy: "free-shipping-each-pays-their-own-leg",
        },
        { field: "maxRefundableFen", expected: 2400, actual: 2000, setBy: "computed" },
      ],
    } as TestCaseResult;
    expect(acceptChanges("refund-eligibility", said, rules).map((c) => c.source)).toEqual([
      { from: "rules", rules: [{ name: "free-shipping-each-pays-their-own-leg" }] },
      { from: "computed" },
    ]);
  });

  it("shows what changes in words, money in yuan, and the rule, and changes nothing until confirmed", async () => {
    const onConfirm = vi.fn();
    const onClose = vi.fn();
    const changes = [
      ...acceptChanges("shipping-fee", result, rules),
      { field: "maxRefundableFen", before: 2400, after: 2000, source: { from: "computed" as const } },
    ];
    render(() => (
      <I18nProvider>
        <AcceptActualDialog caseName={result.name} changes={changes} onConfirm={onConfirm} onClose={onClose} />
      </I18nProvider>
    ));
    const dialog = screen.getByRole("dialog", { name: "用实际结果更新期望？" });
    const rows = within(within(dialog).getByRole("list", { name: "将要修改的期望" })).getAllByRole("listitem");
    expect(rows.map((row) => row.querySelector(".accept-change-value")!.textContent)).toEqual([
      "退货运费：买家承担 → 卖家承担",
      "允许到付：是 → 否",
      "最大可退金额：¥24.00 → ¥20.00",
    ]);
    expect(rows.map((row) => row.querySelector(".accept-change-source")!.textContent)).toEqual([
      "新值由规则决定： 卖家责任：卖家承担运费 seller-fault-seller-pays-postage",
      "新值来自默认值：没有触发的规则设置这个字段。",
      "新值由系统根据其他结论字段和案例计算得出。",
    ]);
    expect(onConfirm).not.toHaveBeenCalled();
    await userEvent.click(within(dialog).getByRole("button", { name: "取消" }));
    expect(onClose).toHaveBeenCalledOnce();
    expect(onConfirm).not.toHaveBeenCalled();
    await userEvent.click(within(dialog).getByRole("button", { name: "确认更新期望" }));
    expect(onConfirm).toHaveBeenCalledOnce();
  });
});
