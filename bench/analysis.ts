import { readFileSync } from "node:fs";
import { analyseDefinition } from "../server/analysis/analyse.ts";
import { MAX_ANALYSIS_MS, MAX_ANALYSIS_STEPS } from "../shared/analysis.ts";
import { ruleSetKindNames, type RuleSetKind } from "../shared/kinds/index.ts";
import { RuleSetDefinition } from "../shared/rules.ts";
import { generateRuleSet } from "./generate-rules.ts";
import { median } from "./measure.ts";

/** One rule set's static analysis (server/analysis/analyse.ts), in process, under a given budget. */
export type AnalysisBenchResult = {
  ruleSet: string;
  rules: number;
  budget: string;
  /** Median wall time over the runs. */
  ms: number;
  runs: number;
  steps: number;
  complete: boolean;
  findings: Record<string, number>;
  unchecked: Record<string, number>;
};

const count = (keys: string[]) => {
  const counts: Record<string, number> = {};
  for (const key of keys) counts[key] = (counts[key] ?? 0) + 1;
  return counts;
};

function measure(
  ruleSet: string,
  kind: RuleSetKind,
  definition: RuleSetDefinition,
  budget: { label: string; ms?: number; steps?: number },
  runs: number,
): AnalysisBenchResult {
  const times: number[] = [];
  let last: ReturnType<typeof analyseDefinition> | undefined;
  for (let run = 0; run < runs; run++) {
    const started = performance.now();
    last = analyseDefinition(kind, definition, { budget });
    times.push(performance.now() - started);
  }
  return {
    ruleSet,
    rules: definition.rules.length,
    budget: budget.label,
    ms: median(times),
    runs,
    steps: last!.steps,
    complete: last!.complete,
    findings: count(last!.findings.map((f) => f.kind)),
    unchecked: count(last!.unchecked.map((u) => `${u.check}/${u.reason}`)),
  };
}

/**
 * The analysis time of the default rule sets (default budget; median of five runs) and of the generated 1 000-rule
 * refund-eligibility set, under the default budget and under the largest a caller may ask for.
 */
export function benchAnalysis(log: (line: string) => void): AnalysisBenchResult[] {
  const results: AnalysisBenchResult[] = [];
  const print = (r: AnalysisBenchResult) => {
    results.push(r);
    log(
      `  ${r.ruleSet} (${r.rules} rules, ${r.budget}): ${r.ms.toFixed(0)} ms, ${r.steps} steps, ${r.complete ? "complete" : "not complete"}` +
        `; findings ${JSON.stringify(r.findings)}; unchecked ${JSON.stringify(r.unchecked)}`,
    );
  };
  for (const kind of ruleSetKindNames) {
    const { defaults, conditions, rules } = JSON.parse(
      readFileSync(new URL(`../rules/${kind}.json`, import.meta.url), "utf8"),
    );
    print(measure(kind, kind, RuleSetDefinition.parse({ defaults, conditions, rules }), { label: "default" }, 5));
  }
  const generated = generateRuleSet(1_000);
  print(measure("generated", "refund-eligibility", generated, { label: "default" }, 1));
  print(
    measure(
      "generated",
      "refund-eligibility",
      generated,
      { label: "largest", ms: MAX_ANALYSIS_MS, steps: MAX_ANALYSIS_STEPS },
      1,
    ),
  );
  return results;
}

/** The report's section on the analysis. */
export function renderAnalysis(results: readonly AnalysisBenchResult[]): string {
  const rows = results.map(
    (r) =>
      `| ${r.ruleSet} | ${r.rules} | ${r.budget} | ${r.ms.toFixed(0)} ms | ${r.steps.toLocaleString("en-US")} | ${r.complete ? "yes" : "no"} | ${
        Object.entries(r.findings)
          .map(([k, v]) => `${k} ${v}`)
          .join(", ") || "none"
      } | ${
        Object.entries(r.unchecked)
          .map(([k, v]) => `${k} ${v}`)
          .join(", ") || "none"
      } |`,
  );
  return `## (f) Static analysis of a draft (in process; default budget 3 s / 500 000 steps, largest 10 s / 2 000 000)

| rule set | rules | budget | time (median) | steps | complete | findings | not decided |
|---|---|---|---|---|---|---|---|
${rows.join("\n")}
`;
}
