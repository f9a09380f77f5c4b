import { replyTemplates } from "../shared/kinds/service-playbook.ts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RenderResult, TemplateDetail } from "../shared/reply-templates.ts";
import { createTestApp, type TestApp } from "./helpers/test-app.ts";
import { aUser, signIn, withSession } from "./helpers/users.ts";

// Reply templates through the real service: the seeded scripts, versions like rules (409 on a stale revision,
// publish, history, restore), the placeholder checks, rendering in both languages, and who may do what.

let app: TestApp;
let decideOnlyKey: string;
const sessions: Record<string, Record<string, string>> = {};
const bearer = (key: string) => ({ authorization: `Bearer ${key}` });

beforeAll(async () => {
  app = await createTestApp();
  const created = await app.call("POST", "/api/v1/api-keys", { name: "shop-backend", scopes: ["decisions:evaluate"] });
  decideOnlyKey = created.body.key;
  for (const role of ["viewer", "editor", "publisher"] as const) {
    await aUser(app, `${role}-li`, role);
    sessions[role] = withSession(app, (await signIn(app, `${role}-li`)).cookie);
  }
});
afterAll(() => app.close());

const lateDelivery = { item: "连衣裙", fromCity: "杭州", toCity: "成都", days: 3 };

describe("the starting templates", () => {
  it("are the seed's scripts, published as version 1", async () => {
    const list = await app.call("GET", "/api/v1/reply-templates");
    expect(list.status).toBe(200);
    const keys = list.body.templates.map((t: { key: string }) => t.key);
    // every template the playbook may name is there to render
    for (const key of replyTemplates) expect(keys).toContain(key);
    const late = await app.call("GET", "/api/v1/reply-templates/late_delivery");
    expect(TemplateDetail.parse(late.body).published?.version).toBe(1);
    expect(late.body.changed).toBe(false);
    expect(late.body.draft.zh).toContain("亲，您先别着急！");
  });

  it("are not imported twice when the service starts again, and a database without one gets it back", async () => {
    // a database from before this template existed
    await app.ctx.db.deleteFrom("reply_template_versions").where("template_key", "=", "in_transit_notice").execute();
    await app.ctx.db.deleteFrom("reply_templates").where("key", "=", "in_transit_notice").execute();
    expect((await app.call("GET", "/api/v1/reply-templates/in_transit_notice")).status).toBe(404);
    const again = await createTestApp({ dir: app.dir, keep: true });
    try {
      const versions = await again.call("GET", "/api/v1/reply-templates/late_delivery/versions");
      expect(versions.body.versions).toHaveLength(1);
      const back = await again.call("GET", "/api/v1/reply-templates/in_transit_notice");
      expect(back.body.published).toMatchObject({ version: 1, publishedBy: "system" });
    } finally {
      await again.close();
    }
  });
});

describe("rendering", () => {
  it("fills the published text in Chinese and in English", async () => {
    const zh = await app.call("POST", "/api/v1/replies/render", {
      template: "late_delivery",
      language: "zh",
      variables: lateDelivery,
    });
    expect(zh.status, JSON.stringify(zh.body)).toBe(200);
    expect(RenderResult.parse(zh.body)).toMatchObject({ template: "late_delivery", version: 1, language: "zh" });
    expect(zh.body.text).toContain("您的连衣裙从杭州发到成都需要大概5-7天的时间，预计您在3天内就能收到了！");
    const en = await app.call("POST", "/api/v1/replies/render", {
      template: "late_delivery",
      language: "en",
      variables: { ...lateDelivery, item: "dress", fromCity: "Hangzhou", toCity: "Chengdu" },
    });
    expect(en.body.text).toContain("Your dress takes about 5–7 days to travel from Hangzhou to Chengdu");
    expect(en.body.text).toContain("within 3 days");
  });

  it("names each missing variable", async () => {
    const res = await app.call("POST", "/api/v1/replies/render", {
      template: "late_delivery",
      language: "zh",
      variables: { item: "连衣裙" },
    });
    expect(res.status).toBe(422);
    expect(res.body.code).toBe("missing_variables");
    expect(res.body.errors).toEqual(
      ["fromCity", "toCity", "days"].map((name) =>
        expect.objectContaining({ path: `variables.${name}`, code: "missing_variable", params: { name } }),
      ),
    );
  });

  it("takes the template and the compensation from a playbook decision, bare or in its response", async () => {
    const variables = { orderNo: "20261111123456", item: "连衣裙" };
    const bare = await app.call("POST", "/api/v1/replies/render", {
      decision: { template: "fulfilment_error", compensationFen: 1000, actions: ["apologise"] },
      language: "zh",
      variables,
    });
    expect(bare.status, JSON.stringify(bare.body)).toBe(200);
    expect(bare.body.text).toContain("送上10元的优惠券");
    const wrapped = await app.call("POST", "/api/v1/replies/render", {
      decision: { decisionId: "01J", decision: { template: "fulfilment_error", compensationFen: 1050 } },
      language: "en",
      variables,
    });
    expect(wrapped.body.text).toContain("a ¥10.50 coupon");
  });

  it("inserts values as plain text, never as a template", async () => {
    const res = await app.call("POST", "/api/v1/replies/render", {
      template: "apology_service",
      language: "en",
      variables: { orderNo: "<b>{item}</b>" },
    });
    expect(res.body.text).toContain("order <b>{item}</b>,");
  });

  it.each([
    ["an unknown template", { template: "no_such_thing", language: "zh" }, 404, "not_found"],
    ["an unknown version", { template: "late_delivery", language: "zh", version: 99 }, 404, "not_found"],
    ["neither template nor decision", { language: "zh" }, 422, "invalid"],
    [
      "both template and decision",
      { template: "late_delivery", decision: { template: "x" }, language: "zh" },
      422,
      "invalid",
    ],
    ["an unknown language", { template: "late_delivery", language: "fr" }, 422, "invalid"],
    [
      "an unknown variable",
      { template: "thanks_after_review", language: "zh", variables: { name: "x" } },
      422,
      "invalid",
    ],
    [
      "a value too long",
      { template: "apology_service", language: "zh", variables: { orderNo: "x".repeat(201) } },
      422,
      "invalid",
    ],
    [
      "a value neither text nor number",
      { template: "apology_service", language: "zh", variables: { orderNo: {} } },
      422,
      "invalid",
    ],
  ])("refuses %s", async (_what, body, status, code) => {
    const res = await app.call("POST", "/api/v1/replies/render", body);
    expect(res.status, JSON.stringify(res.body)).toBe(status);
    expect(res.body.code).toBe(code);
  });
});

describe("editing, publishing and restoring", () => {
  it("saves on the current revision only, publishes the next version and renders it", async () => {
    const before = (await app.call("GET", "/api/v1/reply-templates/thanks_after_review")).body;
    const input = { title: before.draft.title, zh: "谢谢{item}的好评！", en: "Thanks for reviewing the {item}!" };
    const saved = await app.call(
      "PUT",
      "/api/v1/reply-templates/thanks_after_review/draft",
      { revision: before.draft.revision, ...input },
      sessions.editor,
    );
    expect(saved.status, JSON.stringify(saved.body)).toBe(200);
    expect(saved.body).toMatchObject({ changed: true, draft: { revision: before.draft.revision + 1 } });
    const stale = await app.call("PUT", "/api/v1/reply-templates/thanks_after_review/draft", {
      revision: before.draft.revision,
      ...input,
    });
    expect(stale.status).toBe(409);
    expect(stale.body.currentRevision).toBe(before.draft.revision + 1);
    // still version 1 until published
    const old = await app.call("POST", "/api/v1/replies/render", { template: "thanks_after_review", language: "zh" });
    expect(old.body.text).toContain("感谢您的真诚评价");

    expect(
      (await app.call("POST", "/api/v1/reply-templates/thanks_after_review/publish", { revision: 1 })).status,
    ).toBe(409);
    const published = await app.call(
      "POST",
      "/api/v1/reply-templates/thanks_after_review/publish",
      { revision: saved.body.draft.revision, note: "shorter" },
      sessions.publisher,
    );
    expect(published.status, JSON.stringify(published.body)).toBe(200);
    expect(published.body).toMatchObject({
      changed: false,
      published: { version: 2, publishedBy: "user:publisher-li" },
    });
    const rendered = await app.call("POST", "/api/v1/replies/render", {
      template: "thanks_after_review",
      language: "zh",
      variables: { item: "连衣裙" },
    });
    expect(rendered.body).toMatchObject({ text: "谢谢连衣裙的好评！", version: 2 });
    // a pinned version still renders the old text
    const pinned = await app.call("POST", "/api/v1/replies/render", {
      template: "thanks_after_review",
      language: "en",
      version: 1,
    });
    expect(pinned.body.text).toContain("Thank you for your sincere review");

    // publishing the same draft again makes no version
    const again = await app.call("POST", "/api/v1/reply-templates/thanks_after_review/publish", {
      revision: saved.body.draft.revision,
    });
    expect(again.body.published.version).toBe(2);

    const versions = await app.call("GET", "/api/v1/reply-templates/thanks_after_review/versions");
    expect(versions.body.versions.map((v: { version: number }) => v.version)).toEqual([2, 1]);

    const restored = await app.call(
      "POST",
      "/api/v1/reply-templates/thanks_after_review/restore",
      { version: 1, revision: saved.body.draft.revision },
      sessions.editor,
    );
    expect(restored.status).toBe(200);
    expect(restored.body.draft.zh).toContain("感谢您的真诚评价");
    expect(restored.body.changed).toBe(true);
    const republished = await app.call("POST", "/api/v1/reply-templates/thanks_after_review/publish", {
      revision: restored.body.draft.revision,
    });
    expect(republished.body.published).toMatchObject({ version: 3, restoredFrom: 1 });
    expect(
      (await app.call("POST", "/api/v1/reply-templates/thanks_after_review/restore", { version: 9, revision: 99 }))
        .status,
    ).toBe(409);
    expect(
      (
        await app.call("POST", "/api/v1/reply-templates/thanks_after_review/restore", {
          version: 9,
          revision: restored.body.draft.revision,
        })
      ).status,
    ).toBe(404);

    const audit = await app.call("GET", "/api/v1/audit?entity=reply-template&entityKey=thanks_after_review");
    expect(audit.body.entries.map((e: { action: string }) => e.action)).toEqual([
      "reply-template.import",
      "reply-template.save",
      "reply-template.publish",
      "reply-template.restore",
      "reply-template.publish",
    ]);
  });

  it("creates a template on revision 0, once", async () => {
    const body = {
      revision: 0,
      title: "催付款",
      zh: "亲，订单{orderNo}还没有付款哦",
      en: "Order {orderNo} is not paid yet",
    };
    const created = await app.call("PUT", "/api/v1/reply-templates/payment_reminder/draft", body);
    expect(created.status, JSON.stringify(created.body)).toBe(200);
    expect(created.body).toMatchObject({ published: null, changed: true, draft: { revision: 1 } });
    expect((await app.call("PUT", "/api/v1/reply-templates/payment_reminder/draft", body)).status).toBe(409);
    expect((await app.call("PUT", "/api/v1/reply-templates/other_one/draft", { ...body, revision: 3 })).status).toBe(
      404,
    );
    // not rendered before its first publish
    const unpublished = await app.call("POST", "/api/v1/replies/render", {
      template: "payment_reminder",
      language: "zh",
      variables: { orderNo: "1" },
    });
    expect(unpublished.status).toBe(404);
  });

  it("keeps a brace written twice as one brace in the reply", async () => {
    const created = await app.call("PUT", "/api/v1/reply-templates/campaign_notice/draft", {
      revision: 0,
      title: "活动提醒",
      zh: "【{{满减}}】{item}参加满 300 减 30",
      en: "{{Sale}} {item}: 30 off every 300",
    });
    expect(created.status, JSON.stringify(created.body)).toBe(200);
    const published = await app.call("POST", "/api/v1/reply-templates/campaign_notice/publish", {
      revision: created.body.draft.revision,
    });
    expect(published.status, JSON.stringify(published.body)).toBe(200);
    const rendered = await Promise.all(
      (["zh", "en"] as const).map((language) =>
        app.call("POST", "/api/v1/replies/render", {
          template: "campaign_notice",
          language,
          variables: { item: "连衣裙" },
        }),
      ),
    );
    expect(rendered.map((res) => res.body.text)).toEqual([
      "【{满减}】连衣裙参加满 300 减 30",
      "{Sale} 连衣裙: 30 off every 300",
    ]);
  });
});

describe("checking a template's text", () => {
  const save = (key: string, zh: string, en = "fine") =>
    app.call("PUT", `/api/v1/reply-templates/${key}/draft`, { revision: 0, title: "t", zh, en });

  it("names each unknown placeholder with its language and position", async () => {
    const res = await save("bad_placeholders", "亲，{orderNo}{name}", "Hi {Item}");
    expect(res.status).toBe(422);
    expect(res.body.code).toBe("unknown_placeholder");
    expect(res.body.errors).toEqual([
      expect.objectContaining({
        path: "zh",
        code: "unknown_placeholder",
        params: expect.objectContaining({ name: "name", language: "zh", position: 11 }),
      }),
      expect.objectContaining({
        path: "en",
        code: "unknown_placeholder",
        params: expect.objectContaining({ name: "Item", language: "en", position: 3 }),
      }),
    ]);
  });

  it.each([
    ["an opening brace alone", "订单{orderNo", 2],
    ["a closing brace alone", "订单}号", 2],
    ["a brace inside a placeholder", "{order{orderNo}", 0],
  ])("refuses %s", async (_what, zh, position) => {
    const res = await save("bad_braces", zh);
    expect(res.status).toBe(422);
    expect(res.body.code).toBe("invalid");
    expect(res.body.errors[0]).toMatchObject({ path: "zh", code: "unbalanced_braces", params: { position } });
  });

  it.each([
    ["a text over 2 000 characters", { revision: 0, title: "t", zh: "字".repeat(2001), en: "x" }],
    ["an empty text", { revision: 0, title: "t", zh: "", en: "x" }],
    ["no title", { revision: 0, title: " ", zh: "x", en: "x" }],
  ])("refuses %s", async (_what, body) => {
    const res = await app.call("PUT", "/api/v1/reply-templates/too_long/draft", body);
    expect(res.status).toBe(422);
    expect(res.body.code).toBe("invalid");
  });

  it("refuses a key that is not snake_case", async () => {
    const res = await save("Late-Delivery", "x");
    expect(res.status).toBe(422);
    expect(res.body.errors[0].path).toBe("key");
  });
});

describe("who may do what", () => {
  const draftOf = async () => (await app.call("GET", "/api/v1/reply-templates/wants_return")).body.draft;

  it("lets a viewer read but not edit, an editor edit but not publish", async () => {
    expect((await app.call("GET", "/api/v1/reply-templates", undefined, sessions.viewer)).status).toBe(200);
    const draft = await draftOf();
    const body = { revision: draft.revision, title: draft.title, zh: draft.zh, en: draft.en };
    expect((await app.call("PUT", "/api/v1/reply-templates/wants_return/draft", body, sessions.viewer)).status).toBe(
      403,
    );
    expect((await app.call("PUT", "/api/v1/reply-templates/wants_return/draft", body, sessions.editor)).status).toBe(
      200,
    );
    const publish = { revision: draft.revision + 1 };
    expect(
      (await app.call("POST", "/api/v1/reply-templates/wants_return/publish", publish, sessions.editor)).status,
    ).toBe(403);
    expect(
      (
        await app.call(
          "POST",
          "/api/v1/reply-templates/wants_return/restore",
          { version: 1, revision: 1 },
          sessions.viewer,
        )
      ).status,
    ).toBe(403);
    expect(
      (await app.call("POST", "/api/v1/reply-templates/wants_return/publish", publish, sessions.publisher)).status,
    ).toBe(200);
  });

  it("lets every signed-in user render", async () => {
    const res = await app.call(
      "POST",
      "/api/v1/replies/render",
      { template: "size_not_fitting", language: "zh" },
      sessions.viewer,
    );
    expect(res.status).toBe(200);
  });

  it("lets a key that decides render, and nothing else", async () => {
    const rendered = await app.call(
      "POST",
      "/api/v1/replies/render",
      { template: "colour_difference", language: "en" },
      bearer(decideOnlyKey),
    );
    expect(rendered.status).toBe(200);
    expect((await app.call("GET", "/api/v1/reply-templates", undefined, bearer(decideOnlyKey))).status).toBe(403);
    const draft = await draftOf();
    const edit = await app.call(
      "PUT",
      "/api/v1/reply-templates/wants_return/draft",
      { revision: draft.revision, title: "x", zh: "x", en: "x" },
      bearer(decideOnlyKey),
    );
    expect(edit.status).toBe(403);
  });

  it("refuses a key that only reads rules, and one limited to other rule sets", async () => {
    const reader = await app.call("POST", "/api/v1/api-keys", { name: "reader", scopes: ["rules:read"] });
    const render = { template: "colour_difference", language: "zh" };
    expect((await app.call("POST", "/api/v1/replies/render", render, bearer(reader.body.key))).status).toBe(403);
    const limited = await app.call("POST", "/api/v1/api-keys", {
      name: "refunds-only",
      scopes: ["decisions:evaluate", "rules:read", "rules:write"],
      ruleSets: ["refund-eligibility"],
    });
    expect(limited.status, JSON.stringify(limited.body)).toBe(201);
    expect((await app.call("POST", "/api/v1/replies/render", render, bearer(limited.body.key))).status).toBe(403);
    expect((await app.call("GET", "/api/v1/reply-templates", undefined, bearer(limited.body.key))).status).toBe(403);
  });

  it("answers 401 without a key or session", async () => {
    const res = await app.call(
      "POST",
      "/api/v1/replies/render",
      { template: "colour_difference", language: "zh" },
      { authorization: "" },
    );
    expect(res.status).toBe(401);
  });
});

describe("the rate limit", () => {
  it("counts a key's renders like its decisions", async () => {
    const limited = await createTestApp({ rateLimitPerKey: 2 });
    try {
      const body = { template: "colour_difference", language: "zh" };
      const answers = [];
      for (let i = 0; i < 3; i++) answers.push((await limited.call("POST", "/api/v1/replies/render", body)).status);
      expect(answers).toEqual([200, 200, 429]);
    } finally {
      await limited.close();
    }
  });
});

describe("the number of templates", () => {
  it("stops at 200", async () => {
    const count = (await app.call("GET", "/api/v1/reply-templates")).body.templates.length;
    const body = { revision: 0, title: "t", zh: "文字", en: "text" };
    for (let i = count; i < 200; i++)
      expect((await app.call("PUT", `/api/v1/reply-templates/extra_${i}/draft`, body)).status).toBe(200);
    const refused = await app.call("PUT", "/api/v1/reply-templates/one_too_many/draft", body);
    expect(refused.status).toBe(422);
    expect(refused.body.errors[0]).toMatchObject({ code: "too_large", params: { maximum: 200, count: 200 } });
  });
});
