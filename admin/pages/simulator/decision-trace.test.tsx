import { cleanup, render, screen, within } from "@solidjs/testing-library";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { I18nProvider } from "../../i18n/index.tsx";
import { DecisionView } from "./decision-view.tsx";
import { TraceView, type TraceEntry } from "./trace-view.tsx";

beforeEach(() => localStorage.setItem("asr.lang", "zh"));
afterEach(cleanup);

describe("the decisions side by side", () => {
  it("labels each field and marks the ones the other side decides differently", () => {
    const draft = {
      returnShippingPayer: "seller",
      outboundShippingPayer: "seller",
      refundOutboundShipping: true,
      freightCollectAllowed: false,
      settlement: "buyer_advances_seller_reimburses",
    };
    const active = { ...draft, returnShippingPayer: "buyer", settlement: "none" };
    render(() => (
      <I18nProvider>
        <DecisionView kind="shipping-fee" heading="草稿" decision={draft} other={active} />
      </I18nProvider>
    ));
    const field = (name: string) => document.querySelector(`[data-field="${name}"]`)!;
    expect(field("returnShippingPayer").textContent).toBe("退货运费不同卖家承担");
    expect(field("returnShippingPayer").classList.contains("differs")).toBe(true);
    expect(field("outboundShippingPayer").classList.contains("differs")).toBe(false);
    expect(field("refundOutboundShipping").textContent).toBe("退还买家所付邮费是");
    expect(field("settlement").textContent).toContain("买家垫付，卖家事后补偿");
    // not an exchange on either side: no replacement's postage to show
    expect(document.querySelector('[data-field="replacementShippingPayer"]')).toBeNull();
  });

  it("shows the replacement's postage of an exchange, and the playbook's actions in words and in order", () => {
    render(() => (
      <I18nProvider>
        <DecisionView
          kind="shipping-fee"
          heading="草稿"
          decision={{ returnShippingPayer: "buyer", replacementShippingPayer: "seller" }}
        />
        <DecisionView
          kind="service-playbook"
          heading="草稿"
          decision={{
            cause: "slow_dispatch_or_carrier",
            actions: ["apologise", "compensate_next_order"],
            compensationFen: 1000,
            template: "late_delivery",
          }}
        />
      </I18nProvider>
    ));
    const field = (name: string) => document.querySelector(`[data-field="${name}"]`)!;
    expect(field("replacementShippingPayer").textContent).toBe("换货新件运费卖家承担");
    expect(field("actions").textContent).toBe("处理步骤道歉 → 下次购物补偿（下次有礼）");
    expect(field("compensationFen").textContent).toBe("补偿金额¥10.00");
    expect(field("template").textContent).toBe("回复模板到货延迟");
  });
});

describe("the trace", () => {
  const trace: TraceEntry[] = [
    {
      rule: "seven-day-window-expired",
      priority: 700,
      fired: false,
      conditions: {
        all: [
          {
            fact: "elapsed",
            path: "sinceDelivered",
            operator: "beyondDuration",
            value: "P7D",
            factValue: 90_000_000,
            result: false,
          },
        ],
        result: false,
      },
    },
    {
      rule: "free-shipping-each-pays-their-own-leg",
      priority: 300,
      fired: true,
      conditions: {
        all: [{ fact: "order", path: "freeShipping", operator: "equal", value: true, factValue: true, result: true }],
        result: true,
      },
    },
  ];

  it("puts fired rules first, open, with each condition's value seen", () => {
    render(() => (
      <I18nProvider>
        <TraceView trace={trace} />
      </I18nProvider>
    ));
    const rules = screen.getAllByRole("listitem").filter((li) => li.querySelector("details"));
    expect(rules.map((li) => li.querySelector("details")!.dataset.rule)).toEqual([
      "free-shipping-each-pays-their-own-leg",
      "seven-day-window-expired",
    ]);
    const fired = rules[0]!.querySelector("details")!;
    expect(fired.open).toBe(true);
    expect(within(fired).getByText("卖家包邮", { exact: false }).closest(".trace-leaf")!.textContent).toContain(
      "实际：是",
    );
    const notFired = rules[1]!.querySelector("details")!;
    expect(notFired.open).toBe(false);
    expect(notFired.querySelector(".trace-leaf")!.textContent).toContain("签收后经过 超过 7 天 实际：1 天 1 小时");
  });

  it("shows a shared condition in full once and, where it is referenced again, its name and result", () => {
    const freeShipping = {
      fact: "order",
      path: "freeShipping",
      operator: "equal",
      value: true,
      factValue: true,
      result: true,
    };
    const shared: TraceEntry[] = [
      {
        rule: "first-rule",
        priority: 2,
        fired: true,
        conditions: { all: [freeShipping], result: true, condition: "free-shipping-order" },
      },
      {
        rule: "second-rule",
        priority: 1,
        fired: true,
        conditions: { any: [{ condition: "free-shipping-order", result: true, ref: true }], result: true },
      },
    ];
    render(() => (
      <I18nProvider>
        <TraceView trace={shared} />
      </I18nProvider>
    ));
    const first = document.querySelector<HTMLElement>('details[data-rule="first-rule"]')!;
    expect(first.querySelector(".trace-leaf")!.textContent).toContain("实际：是");
    expect(first.textContent).toContain("共享条件 free-shipping-order");
    const second = document.querySelector<HTMLElement>('details[data-rule="second-rule"]')!;
    expect(second.querySelector(".trace-leaf")).toBeNull();
    expect(second.querySelector(".trace-ref")!.textContent).toContain(
      "见共享条件 free-shipping-order（结果：成立） 完整条件见规则 first-rule",
    );
  });
});

describe("where a decision came from", () => {
  const leaf = (value: unknown, result: boolean) => ({
    fact: "refund",
    path: "reason",
    operator: "equal",
    value: "no_reason_7d",
    factValue: value,
    result,
  });
  const trace: TraceEntry[] = [
    {
      rule: "free-shipping-each-pays-their-own-leg",
      priority: 300,
      fired: true,
      conditions: { all: [leaf("no_reason_7d", true)], result: true },
    },
    {
      rule: "seller-pays-seven-day-returns",
      title: "七天无理由退货由卖家承担运费",
      priority: 190,
      fired: true,
      takenBy: { returnShippingPayer: "free-shipping-each-pays-their-own-leg" },
      overridden: true,
      conditions: { all: [leaf("no_reason_7d", true)], result: true },
    },
    {
      rule: "double-11-seller-pays-return",
      title: "双十一：包邮商品七天无理由退货由卖家承担运费",
      priority: 350,
      fired: false,
      window: "upcoming",
      conditions: { all: [leaf("no_reason_7d", true)], result: true },
    },
  ];

  it("marks a rule overridden, with the rule that took each of its fields, and a rule outside its window", () => {
    render(() => (
      <I18nProvider>
        <TraceView trace={trace} />
      </I18nProvider>
    ));
    const overridden = document.querySelector<HTMLElement>('details[data-rule="seller-pays-seven-day-returns"]')!;
    expect(overridden.querySelector("summary")!.textContent).toContain("七天无理由退货由卖家承担运费");
    expect(overridden.querySelector("[data-overridden]")!.textContent).toBe("被覆盖");
    expect(overridden.querySelector(".trace-taken")!.textContent).toBe(
      "退货运费：已由规则 free-shipping-each-pays-their-own-leg 决定",
    );
    const campaign = document.querySelector<HTMLElement>('details[data-rule="double-11-seller-pays-return"]')!;
    expect(campaign.querySelector('[data-window="upcoming"]')!.textContent).toBe("未到生效时间");
    expect(campaign.dataset.fired).toBe("false");
    const plain = document.querySelector<HTMLElement>('details[data-rule="free-shipping-each-pays-their-own-leg"]')!;
    expect(plain.querySelector("[data-overridden]")).toBeNull();
    expect(plain.querySelector(".trace-effect")).toBeNull();
  });

  it("says under each field which rule set it, by its title, or that it is a default or computed, in English too", () => {
    localStorage.setItem("asr.lang", "en");
    const decision = {
      returnShippingPayer: "buyer",
      outboundShippingPayer: "seller",
      refundOutboundShipping: false,
      freightCollectAllowed: false,
      settlement: "none",
    };
    const provenance = {
      returnShippingPayer: "seller-pays-seven-day-returns",
      outboundShippingPayer: "free-shipping-each-pays-their-own-leg",
      refundOutboundShipping: "computed",
      freightCollectAllowed: "default",
      settlement: "computed",
    };
    const titles: Record<string, string> = { "seller-pays-seven-day-returns": "Seller pays seven-day returns" };
    render(() => (
      <I18nProvider>
        <DecisionView
          kind="shipping-fee"
          heading="Draft"
          decision={decision}
          provenance={provenance}
          titleOf={(rule) => titles[rule]}
        />
      </I18nProvider>
    ));
    const source = (field: string) => document.querySelector(`[data-field="${field}"] .field-source`)!.textContent;
    expect(source("returnShippingPayer")).toBe("from rule: Seller pays seven-day returns");
    expect(source("outboundShippingPayer")).toBe("from rule: free-shipping-each-pays-their-own-leg");
    expect(source("freightCollectAllowed")).toBe("default: no fired rule sets this field");
    expect(source("settlement")).toBe("computed from the other fields and the case");
  });
});
