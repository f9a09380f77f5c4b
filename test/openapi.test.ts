import SwaggerParser from "@apidevtools/swagger-parser";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../server/app.ts";
import { problemCodes } from "../shared/problems.ts";
import { createTestApp, type TestApp } from "./helpers/test-app.ts";

let app: TestApp;
let document: any;

beforeAll(async () => {
  app = await createTestApp();
  const response = await fetch(`${app.url}/openapi.json`);
  expect(response.status).toBe(200);
  expect(response.headers.get("content-type")).toMatch(/^application\/json/);
  document = await response.json();
});
afterAll(() => app.close());

/** Routes the app serves that are not part of the API: the admin's pages and assets, and the API reference's page. */
const notApi = (path: string) => path.startsWith("/admin") || path === "/" || path.startsWith("/docs");

describe("GET /openapi.json", () => {
  it("is a valid OpenAPI 3.1 document", async () => {
    expect(document.openapi).toBe("3.1.0");
    // validate() dereferences in place: give it a copy
    await expect(SwaggerParser.validate(structuredClone(document))).resolves.toBeTruthy();
  });

  it("documents every route the app serves, with its responses", () => {
    const served = createApp(app.ctx)
      .routes.filter((route) => route.method !== "ALL" && !notApi(route.path))
      .map((route) => `${route.method.toLowerCase()} ${route.path.replace(/:(\w+)/g, "{$1}")}`);
    const documented = Object.entries(document.paths as Record<string, Record<string, unknown>>).flatMap(
      ([path, operations]) => Object.keys(operations).map((method) => `${method} ${path}`),
    );
    expect(new Set(served)).toEqual(new Set(documented));
    for (const [path, operations] of Object.entries(document.paths as Record<string, Record<string, any>>)) {
      for (const [method, operation] of Object.entries(operations)) {
        const statuses = Object.keys(operation.responses);
        expect(
          statuses.some((s) => s.startsWith("2")),
          `${method} ${path} has a success response`,
        ).toBe(true);
        expect(statuses, `${method} ${path} documents its internal error`).toContain("500");
      }
    }
  });

  it("names every operation once, for generated clients", () => {
    const ids = Object.values(document.paths as Record<string, Record<string, any>>).flatMap((operations) =>
      Object.values(operations).map((o) => o.operationId),
    );
    expect(ids.every((id) => typeof id === "string")).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it("names every problem a route can answer, with the closed list of codes", () => {
    const problem = document.components.schemas.Problem;
    expect(problem.properties.code.enum).toEqual(Object.keys(problemCodes));
    const decide = document.paths["/api/v1/decisions/{ruleSet}"].post;
    for (const status of ["401", "403", "404", "415", "422", "429"]) {
      expect(Object.keys(decide.responses[status].content["application/problem+json"].examples)).not.toHaveLength(0);
    }
    const publish = document.paths["/api/v1/rule-sets/{key}/publish"].post;
    expect(Object.keys(publish.responses["409"].content["application/problem+json"].examples)).toEqual([
      "conflict",
      "review_required",
    ]);
    expect(document.info.description).toContain("| `review_required` | 409 | Review required |");
  });

  it("carries the seed's worked examples on the decision endpoint, each one decided as its test case expects", async () => {
    const examples = document.paths["/api/v1/decisions/{ruleSet}"].post.requestBody.content["application/json"]
      .examples as Record<string, { value: { facts: unknown } }>;
    expect(Object.keys(examples).length).toBeGreaterThanOrEqual(10);
    for (const [name, example] of Object.entries(examples)) {
      const ruleSet = name.replace(/-\d+$/, "");
      const answer = await app.decide(ruleSet, example.value.facts);
      expect(answer.status, name).toBe(200);
    }
  });

  it("describes how to authenticate", () => {
    expect(Object.keys(document.components.securitySchemes)).toEqual(["apiKey", "session"]);
    expect(document.paths["/api/v1/decisions"].post.security).toEqual([{ apiKey: ["decisions:evaluate"] }]);
    expect(document.paths["/api/v1/rule-sets/{key}/draft"].put.security).toEqual([
      { apiKey: ["rules:write"] },
      { session: ["rules:write"] },
    ]);
  });
});
