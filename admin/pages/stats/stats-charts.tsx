import { BarChart, type BarSeriesOption } from "echarts/charts";
import {
  GridComponent,
  type GridComponentOption,
  LegendComponent,
  type LegendComponentOption,
  TooltipComponent,
  type TooltipComponentOption,
} from "echarts/components";
import { type ComposeOption, type EChartsType, init, use } from "echarts/core";
import { SVGRenderer } from "echarts/renderers";
import { createEffect, createMemo, For, onCleanup, onMount, type JSX } from "solid-js";
import type { RuleStats } from "../../../shared/stats.ts";
import { useI18n } from "../../i18n/index.tsx";

// only what the three charts draw: bars on a grid, a legend, tooltips; SVG, which needs no GPU and reads as text
use([BarChart, GridComponent, LegendComponent, TooltipComponent, SVGRenderer]);

type ChartOption = ComposeOption<
  BarSeriesOption | GridComponentOption | LegendComponentOption | TooltipComponentOption
>;

/** Decisions of one outcome as the reader names it: in the period, and per bucket. */
type OutcomeColumn = { label: string; total: number; perBucket: number[] };

/** Rules the hits chart shows at most, most fired first; the table lists them all. */
const MAX_RULE_BARS = 30;

/**
 * The analytics' three charts (loaded with ECharts only when the tab opens): decisions over time, the outcome mix over
 * time stacked, and the times each rule fired. Each has a sentence that says what it shows and a table of its numbers,
 * which a screen reader reads instead of the drawing.
 */
export default function StatsCharts(props: {
  stats: RuleStats;
  /** A bucket's start as the business time zone's wall clock. */
  when: (iso: string) => string;
  outcome: (outcome: string) => string;
  rule: (name: string) => string;
}) {
  const { t } = useI18n();
  const labels = createMemo(() => props.stats.buckets.map((bucket) => props.when(bucket.start)));
  /**
   * The outcomes as the reader tells them apart, most frequent first: outcomes that read the same (a refusal, whatever
   * its channel) are one series, so that the legend never shows a name twice.
   */
  const outcomes = createMemo((): OutcomeColumn[] => {
    const columns = new Map<string, OutcomeColumn>();
    for (const [outcome, count] of Object.entries(props.stats.byOutcome)) {
      const label = props.outcome(outcome);
      let column = columns.get(label);
      if (column === undefined) {
        column = { label, total: 0, perBucket: props.stats.buckets.map(() => 0) };
        columns.set(label, column);
      }
      column.total += count;
      props.stats.buckets.forEach((bucket, i) => {
        column.perBucket[i]! += bucket.byOutcome[outcome] ?? 0;
      });
    }
    return [...columns.values()].sort((a, b) => b.total - a.total);
  });
  const rules = createMemo(() => Object.entries(props.stats.byRule).sort(([, a], [, b]) => b - a));
  const peak = createMemo(() =>
    props.stats.buckets.reduce((best, bucket) => (bucket.total > best.total ? bucket : best), props.stats.buckets[0]!),
  );
  const none = () => props.stats.total === 0;

  const decisions = (): ChartOption => ({
    tooltip: { trigger: "axis" },
    grid: { left: 48, right: 16, top: 16, bottom: 40 },
    xAxis: { type: "category", data: labels() },
    yAxis: { type: "value", minInterval: 1 },
    series: [
      {
        type: "bar",
        name: t("stats.series.decisions"),
        data: props.stats.buckets.map((b) => b.total),
        itemStyle: { color: "#1677ff" },
      },
    ],
  });
  const outcomeMix = (): ChartOption => ({
    tooltip: { trigger: "axis" },
    legend: { top: 0, type: "scroll", itemGap: 20 },
    grid: { left: 48, right: 16, top: 40, bottom: 40 },
    xAxis: { type: "category", data: labels() },
    yAxis: { type: "value", minInterval: 1 },
    series: outcomes().map((column) => ({
      type: "bar",
      stack: "outcomes",
      name: column.label,
      data: column.perBucket,
    })),
  });
  const hits = (): ChartOption => {
    const shown = rules().slice(0, MAX_RULE_BARS).reverse();
    return {
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
      grid: { left: 24, right: 32, top: 8, bottom: 24, containLabel: true },
      xAxis: { type: "value", minInterval: 1 },
      yAxis: {
        type: "category",
        data: shown.map(([name]) => props.rule(name)),
        axisLabel: { width: 260, overflow: "truncate" },
      },
      series: [
        {
          type: "bar",
          name: t("stats.col.hits"),
          data: shown.map(([, count]) => count),
          itemStyle: { color: "#13a8a8" },
          label: { show: true, position: "right" },
        },
      ],
    };
  };

  return (
    <div class="stats-charts">
      <ChartFigure
        testId="chart-decisions"
        title={t("stats.chart.decisions")}
        option={decisions}
        summary={
          none()
            ? t("stats.summary.none")
            : t("stats.summary.decisions", {
                buckets: props.stats.buckets.length,
                total: props.stats.total,
                peak: props.when(peak().start),
                peakCount: peak().total,
              })
        }
        table={<BucketTable stats={props.stats} when={props.when} columns={[]} />}
      />
      <ChartFigure
        testId="chart-outcomes"
        title={t("stats.chart.outcomes")}
        option={outcomeMix}
        summary={
          none()
            ? t("stats.summary.none")
            : t("stats.summary.outcomes", {
                parts: outcomes()
                  .map((column) => `${column.label} ${column.total}`)
                  .join(t("fieldProblem.listSeparator")),
              })
        }
        table={<BucketTable stats={props.stats} when={props.when} columns={outcomes()} />}
      />
      <ChartFigure
        testId="chart-rules"
        title={t("stats.chart.rules")}
        option={hits}
        height={Math.max(160, Math.min(rules().length, MAX_RULE_BARS) * 26 + 40)}
        summary={
          rules().length === 0
            ? t("stats.summary.none")
            : t("stats.summary.rules", {
                count: rules().length,
                top: props.rule(rules()[0]![0]),
                topCount: rules()[0]![1],
              })
        }
        table={
          <table>
            <thead>
              <tr>
                <th scope="col">{t("stats.col.rule")}</th>
                <th scope="col">{t("stats.col.hits")}</th>
              </tr>
            </thead>
            <tbody>
              <For each={rules()}>
                {([name, count]) => (
                  <tr>
                    <th scope="row">{props.rule(name)}</th>
                    <td>{count}</td>
                  </tr>
                )}
              </For>
            </tbody>
          </table>
        }
      />
    </div>
  );
}

/** The buckets that had decisions: their totals, and a column for each of `columns`. */
function BucketTable(props: { stats: RuleStats; when: (iso: string) => string; columns: readonly OutcomeColumn[] }) {
  const { t } = useI18n();
  return (
    <table>
      <thead>
        <tr>
          <th scope="col">{t("stats.col.start")}</th>
          <th scope="col">{t("stats.col.total")}</th>
          <For each={props.columns}>{(column) => <th scope="col">{column.label}</th>}</For>
        </tr>
      </thead>
      <tbody>
        <For each={props.stats.buckets.map((bucket, i) => ({ bucket, i })).filter(({ bucket }) => bucket.total > 0)}>
          {({ bucket, i }) => (
            <tr>
              <th scope="row">{props.when(bucket.start)}</th>
              <td>{bucket.total}</td>
              <For each={props.columns}>{(column) => <td>{column.perBucket[i]}</td>}</For>
            </tr>
          )}
        </For>
      </tbody>
    </table>
  );
}

/**
 * One chart: its title, the drawing (hidden from screen readers, which read the summary and the table instead), and
 * the table behind a disclosure. Redrawn when the option changes, resized with its box.
 */
function ChartFigure(props: {
  testId: string;
  title: string;
  option: () => ChartOption;
  summary: string;
  table: JSX.Element;
  height?: number;
}) {
  let host!: HTMLDivElement;
  let chart: EChartsType | undefined;
  const { t } = useI18n();
  onMount(() => {
    chart = init(host, null, { renderer: "svg" });
    const resize = new ResizeObserver(() => chart?.resize());
    resize.observe(host);
    onCleanup(() => {
      resize.disconnect();
      chart?.dispose();
    });
  });
  createEffect(() => {
    const option = props.option();
    // a new period replaces every series: the old outcomes must not linger
    chart?.setOption(option, { notMerge: true });
  });
  return (
    <figure class="stats-chart" data-testid={props.testId}>
      <figcaption>
        <h2>{props.title}</h2>
        <p class="stats-summary">{props.summary}</p>
      </figcaption>
      <div ref={host} class="stats-canvas" aria-hidden="true" style={{ height: `${props.height ?? 260}px` }} />
      <details class="stats-table">
        <summary>{t("stats.table")}</summary>
        {props.table}
      </details>
    </figure>
  );
}
