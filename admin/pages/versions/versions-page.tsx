import { useSearchParams } from "@solidjs/router";
import { createMemo, createResource, createSignal, For, Show } from "solid-js";
import type { VersionSummary } from "../../../shared/api.ts";
import type { TestCase } from "../../../shared/rules.ts";
import { api, call } from "../../api.ts";
import { useI18n } from "../../i18n/index.tsx";
import { Button } from "../../ui/button.tsx";
import { Empty, Failure, Loading } from "../../ui/states.tsx";
import { useRuleSet } from "../rule-set/rule-set-context.tsx";
import { RollbackDialog } from "./rollback-dialog.tsx";
import { diffDefinitions, type Definition } from "./version-diff.ts";
import { VersionDiffView } from "./version-diff-view.tsx";
import { draftTestCases, TestCaseDiffView, type TestCaseSide } from "./version-diff-tests-view.tsx";
import { VersionHistory } from "./version-history.tsx";
import { createVersionLoader } from "./version-loader.ts";
import "./versions.css";

/** One side of a comparison: a published version, or the saved draft. */
type Side = number | "draft";
const sideValue = (side: Side) => String(side);
const parseSide = (value: string): Side => (value === "draft" ? "draft" : Number(value));

/**
 * The versions tab: the history of published versions, a comparison of any two of them (or of
 * the draft with the active version) in plain language, and rollback as a new forward version.
 */
export function VersionsPage() {
  const { t } = useI18n();
  const state = useRuleSet();
  const load = createVersionLoader(state.key);
  const [versions, { refetch }] = createResource(
    state.key,
    async (key) =>
      (await call(api["rule-sets"][":key"].versions.$get({ param: { key } }))).versions as VersionSummary[],
  );
  const [rollbackTarget, setRollbackTarget] = createSignal<VersionSummary>();

  // the pickers follow the default (the version before the active one vs the active one, or with ?compare=draft
  // the active one vs the draft) until the user picks
  const [search] = useSearchParams<{ compare?: string }>();
  const [leftPick, setLeftPick] = createSignal<Side>();
  const [rightPick, setRightPick] = createSignal<Side>();
  const fallback = createMemo((): { left?: Side; right?: Side } => {
    const list = versions.latest ?? [];
    const at = list.findIndex((v) => v.active);
    if (at < 0) return {};
    const previous = list[at + 1];
    return previous && search.compare !== "draft"
      ? { left: previous.version, right: list[at]!.version }
      : { left: list[at]!.version, right: "draft" };
  });
  const left = () => leftPick() ?? fallback().left;
  const right = () => rightPick() ?? fallback().right;
  const pick = (l: Side, r: Side) => {
    setLeftPick(l);
    setRightPick(r);
  };

  const definitionOf = async (side: Side): Promise<Definition> =>
    side === "draft" ? state.detail()!.draft : load(side);
  const [diff, { refetch: refetchDiff }] = createResource(
    () => {
      const l = left();
      const r = right();
      // the draft's revision is part of the source, so a saved draft is compared afresh
      return l !== undefined && r !== undefined && state.detail()
        ? { l, r, revision: state.detail()!.draft.revision }
        : false;
    },
    async ({ l, r }) => diffDefinitions(await definitionOf(l), await definitionOf(r)),
  );

  // the test cases each side was published with (the draft: as saved), compared beside the rules
  const testCasesOf = async (side: Side): Promise<TestCaseSide> =>
    side === "draft"
      ? { cases: await draftTestCases(state.key()) }
      : { cases: ((await load(side)) as { testCases?: TestCase[] | null }).testCases ?? null, version: side };
  const [testSides] = createResource(
    () => {
      const l = left();
      const r = right();
      return l !== undefined && r !== undefined && l !== r && { l, r };
    },
    async ({ l, r }) => ({ before: await testCasesOf(l), after: await testCasesOf(r) }),
  );

  let compareSection: HTMLElement | undefined;
  const showChanges = (previous: number, version: number) => {
    pick(previous, version);
    compareSection?.scrollIntoView({ behavior: "smooth", block: "start" });
  };
  const activeVersion = () => state.detail()?.activeVersion ?? null;
  const afterRollback = async () => {
    setLeftPick(undefined);
    setRightPick(undefined);
    await Promise.all([refetch(), state.refetch()]);
  };

  const SidePicker = (picker: { id: string; label: string; value: Side | undefined; onPick: (side: Side) => void }) => (
    <span class="versions-compare-picker">
      <label for={picker.id}>{picker.label}</label>
      <select
        id={picker.id}
        value={picker.value === undefined ? "" : sideValue(picker.value)}
        onChange={(e) => picker.onPick(parseSide(e.currentTarget.value))}
      >
        <For each={versions.latest ?? []}>
          {(v) => (
            <option value={sideValue(v.version)} selected={picker.value === v.version}>
              {v.active
                ? t("versions.compare.activeOption", { version: v.version })
                : t("versions.compare.versionOption", { version: v.version })}
            </option>
          )}
        </For>
        <option value="draft" selected={picker.value === "draft"}>
          {t("versions.compare.draft")}
        </option>
      </select>
    </span>
  );

  return (
    <div class="versions-page">
      <p class="intro">{t("versions.intro")}</p>
      <Show when={!versions.error} fallback={<Failure error={versions.error} retry={refetch} />}>
        <Show when={versions.latest} fallback={<Loading />}>
          {(list) => (
            <Show when={list().length > 0} fallback={<Empty>{t("versions.none")}</Empty>}>
              <section class="versions-history" aria-labelledby="versions-history-title">
                <h2 id="versions-history-title">{t("versions.history")}</h2>
                <VersionHistory versions={list()} onShowChanges={showChanges} onRollback={setRollbackTarget} />
              </section>
              <section class="versions-compare card" ref={compareSection}>
                <div class="versions-compare-bar">
                  <h2 id="versions-compare-title">{t("versions.compare.title")}</h2>
                  <SidePicker
                    id="versions-compare-left"
                    label={t("versions.compare.left")}
                    value={left()}
                    onPick={(side) => pick(side, right() ?? side)}
                  />
                  <Button
                    variant="ghost"
                    class="btn-small versions-compare-swap"
                    aria-label={t("versions.compare.swap")}
                    title={t("versions.compare.swap")}
                    onClick={() => pick(right()!, left()!)}
                  >
                    ⇄
                  </Button>
                  <SidePicker
                    id="versions-compare-right"
                    label={t("versions.compare.right")}
                    value={right()}
                    onPick={(side) => pick(left() ?? side, side)}
                  />
                  <span class="spacer" />
                  <Show when={activeVersion() !== null}>
                    <Button
                      class="btn-small"
                      aria-pressed={left() === activeVersion() && right() === "draft"}
                      onClick={() => pick(activeVersion()!, "draft")}
                    >
                      {t("versions.compare.draftVsActive")}
                    </Button>
                  </Show>
                </div>
                <p class="hint versions-compare-hint">{t("versions.compare.hint")}</p>
                <Show when={left() !== right()} fallback={<p class="muted">{t("versions.compare.sameSide")}</p>}>
                  <Show when={!diff.error} fallback={<Failure error={diff.error} retry={refetchDiff} />}>
                    <Show when={!diff.loading && diff()} fallback={<Loading />}>
                      {(loaded) => <VersionDiffView diff={loaded()} />}
                    </Show>
                  </Show>
                  <Show when={!testSides.loading && testSides()}>
                    {(sides) => <TestCaseDiffView before={sides().before} after={sides().after} />}
                  </Show>
                </Show>
              </section>
            </Show>
          )}
        </Show>
      </Show>
      <RollbackDialog
        target={rollbackTarget()}
        load={load}
        onClose={() => setRollbackTarget(undefined)}
        onDone={afterRollback}
      />
    </div>
  );
}
