import { cleanup, fireEvent, render, screen, within } from "@solidjs/testing-library";
import { userEvent } from "@testing-library/user-event";
import { createSignal } from "solid-js";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { ShownProblem as FieldProblem } from "../../ui/problem-text.ts";
import { I18nProvider } from "../../i18n/index.tsx";
import { CaseForm } from "./case-form.tsx";

type Facts = { order: Record<string, unknown>; refund?: Record<string, unknown> } & Record<string, unknown>;

/** The form as a page holds it: the value in a signal, every change kept for the test to read. */
function renderForm(initial: Facts, errors: FieldProblem[] = []) {
  const [value, setValue] = createSignal<unknown>(initial);
  const validity: boolean[] = [];
  render(() => (
    <I18nProvider>
      <CaseForm value={value()} onChange={setValue} errors={errors} onValidity={(ok) => validity.push(ok)} />
    </I18nProvider>
  ));
  return { facts: () => value() as Facts, validity };
}

const anOrder = (overrides: Record<string, unknown> = {}) => ({
  status: "delivered",
  items: [
    { id: "A", priceFen: 20000, quantity: 2 },
    { id: "B", priceFen: 30000, quantity: 1 },
  ],
  ...overrides,
});

beforeEach(() => localStorage.setItem("asr.lang", "zh"));
afterEach(cleanup);

describe("yuan typed, fen kept", () => {
  it("sends the postage typed in yuan as exact fen", async () => {
    const { facts } = renderForm({ order: anOrder() });
    const postage = screen.getByLabelText("买家所付邮费");
    await userEvent.type(postage, "0.29");
    expect(facts().order.shippingFeeFen).toBe(29);
  });

  it("shows an item's price in yuan and sends its change in fen", async () => {
    const { facts } = renderForm({ order: anOrder() });
    const price = screen.getByLabelText("商品 1 单价") as HTMLInputElement;
    expect(price.value).toBe("200.00");
    await userEvent.clear(price);
    await userEvent.type(price, "19.99");
    expect((facts().order.items as { priceFen: number }[])[0]!.priceFen).toBe(1999);
  });

  it("flags an amount with three decimals and keeps the last good one", async () => {
    const { facts } = renderForm({ order: anOrder({ paidFen: 41000 }) });
    const paid = screen.getByLabelText("实际付款");
    await userEvent.clear(paid);
    await userEvent.type(paid, "12.345");
    expect(facts().order.paidFen).toBe(1234);
    expect(paid.getAttribute("aria-invalid")).toBe("true");
    expect(screen.getByRole("alert").textContent).toContain("最多两位小数");
  });
});

describe("whole order or some items", () => {
  it("starts as a whole-order refund when refund.items is absent", () => {
    renderForm({ order: anOrder(), refund: { reason: "quality_issue" } });
    expect((screen.getByLabelText("整单退款") as HTMLInputElement).checked).toBe(true);
    expect(screen.queryByLabelText("商品 A 的退款数量")).toBeNull();
  });

  it("lists the chosen items with their quantity, and drops the list for the whole order", async () => {
    const { facts } = renderForm({ order: anOrder(), refund: { reason: "quality_issue" } });
    await userEvent.click(screen.getByLabelText("部分商品"));
    expect(facts().refund!.items).toEqual([{ id: "A", quantity: 1 }]);

    const quantity = screen.getByLabelText("商品 A 的退款数量");
    fireEvent.input(quantity, { target: { value: "2" } });
    const refundItems = screen.getByRole("group", { name: "退款商品" });
    await userEvent.click(within(refundItems).getByRole("checkbox", { name: /商品 B/ }));
    expect(facts().refund!.items).toEqual([
      { id: "A", quantity: 2 },
      { id: "B", quantity: 1 },
    ]);

    await userEvent.click(screen.getByLabelText("整单退款"));
    expect(facts().refund).not.toHaveProperty("items");
    expect(facts().refund!.reason).toBe("quality_issue");
  });
});

describe("the server's errors and the JSON view", () => {
  it("shows a 422 error at the input its path names", () => {
    renderForm({ order: anOrder() }, [
      { path: "order.items.1.priceFen", message: "Too small: expected number to be >=0" },
    ]);
    const price = screen.getByLabelText("商品 2 单价");
    expect(price.getAttribute("aria-invalid")).toBe("true");
    const describedBy = price.getAttribute("aria-describedby")!;
    expect(document.getElementById(describedBy)!.textContent).toContain("Too small");
    expect(screen.getByRole("alert").textContent).toContain("订单 › 商品 2 › 单价");
  });

  it("keeps form and JSON in sync both ways", async () => {
    const { facts, validity } = renderForm({ order: anOrder() });
    await userEvent.click(screen.getByLabelText("卖家包邮"));
    await userEvent.click(screen.getByRole("button", { name: "JSON" }));
    const json = screen.getByRole("textbox", { name: "JSON" }) as HTMLTextAreaElement;
    expect(JSON.parse(json.value).order.freeShipping).toBe(true);

    fireEvent.input(json, { target: { value: '{"order": {"status": "paid"' } });
    expect(validity.at(-1)).toBe(false);
    expect(screen.getByRole("button", { name: "表单" })).toHaveProperty("disabled", true);

    fireEvent.input(json, { target: { value: '{"order": {"status": "paid", "shippingFeeFen": 1000}}' } });
    expect(validity.at(-1)).toBe(true);
    expect(facts()).toEqual({ order: { status: "paid", shippingFeeFen: 1000 } });
    await userEvent.click(screen.getByRole("button", { name: "表单" }));
    expect((screen.getByLabelText("买家所付邮费") as HTMLInputElement).value).toBe("10.00");
  });
});

describe("a case's times in Beijing time", () => {
  it("shows a stored time as Beijing's wall clock and sends a typed one with +08:00; text that is no time blocks the case", async () => {
    process.env.TZ = "UTC";
    const { facts, validity } = renderForm({ order: anOrder({ deliveredAt: "2026-11-10T16:00:00Z" }) });
    const delivered = screen.getByLabelText("签收时间") as HTMLInputElement;
    expect(delivered.value).toBe("2026-11-11 00:00");
    await userEvent.clear(delivered);
    await userEvent.type(delivered, "2026-11-12 08:30");
    expect(facts().order.deliveredAt).toBe("2026-11-12T08:30:00+08:00");
    await userEvent.clear(delivered);
    await userEvent.type(delivered, "11/12/2026 8:30 AM");
    expect(validity.at(-1)).toBe(false);
    await userEvent.clear(delivered);
    await userEvent.type(delivered, "2026-11-12 09:00");
    expect(validity.at(-1)).toBe(true);
    expect(facts().order.deliveredAt).toBe("2026-11-12T09:00:00+08:00");
  });
});
