import { A } from "@solidjs/router";
import { createResource, For, Show, type Resource } from "solid-js";
import { api, call } from "../../api.ts";
import { useI18n } from "../../i18n/index.tsx";
import { Failure, Loading } from "../../ui/states.tsx";

type RunResult = { name: string; passed: boolean };
export type TestRun = { passed: boolean; results: RunResult[] };

/** Runs the saved draft's test cases each time `open` turns true (a dialog opening). */
export function createTestRun(key: () => string, open: () => boolean) {
  const [run, { refetch }] = createResource(
    () => open() && key(),
    async (k) =>
      (await call(api["rule-sets"][":key"]["test-cases"].run.$post({ param: { key: k }, query: {} }))) as TestRun,
  );
  const failures = () => run()?.results.filter((r) => !r.passed) ?? [];
  /** True while the run is loading, failed to load, or has a failing case: the action waits. */
  const blocks = () => run.loading || run.error !== undefined || failures().length > 0;
  return { run, refetch, failures, blocks };
}

/**
 * The test cases' result against the saved draft, as the submit, review and publish dialogs show
 * it: all pass, none exist, or which fail with a way to the test cases tab.
 */
export function TestRunSummary(props: {
  run: Resource<TestRun | undefined>;
  retry: () => void;
  ruleSetKey: string;
  onLeave: () => void;
}) {
  const { t } = useI18n();
  const failures = () => props.run()?.results.filter((r) => !r.passed) ?? [];
  const total = () => props.run()?.results.length ?? 0;
  return (
    <div class="review-tests" data-testid="review-tests">
      <Show when={!props.run.error} fallback={<Failure error={props.run.error} retry={props.retry} />}>
        <Show when={!props.run.loading && props.run()} fallback={<Loading />}>
          <Show
            when={failures().length === 0}
            fallback={
              <div class="publish-failures" role="alert">
                <p>{t("review.tests.fail", { failed: failures().length, total: total() })}</p>
                <ul>
                  <For each={failures()}>{(failure) => <li>{failure.name}</li>}</For>
                </ul>
                <A href={`/rule-sets/${props.ruleSetKey}/tests`} onClick={() => props.onLeave()}>
                  {t("publish.goToTests")}
                </A>
              </div>
            }
          >
            <p class={total() === 0 ? "review-tests-none" : "publish-ok"}>
              {total() === 0 ? t("review.tests.none") : t("review.tests.pass", { total: total() })}
            </p>
          </Show>
        </Show>
      </Show>
    </div>
  );
}
