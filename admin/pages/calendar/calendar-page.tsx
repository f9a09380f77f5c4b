import { useBeforeLeave } from "@solidjs/router";
import { createEffect, createResource, createSignal, For, on, onCleanup, onMount, Show } from "solid-js";
import type { CalendarVersionSummary, CalendarYearVersion } from "../../../shared/calendar.ts";
import { type CalendarDate, formatDate, wallTimeAt } from "../../../shared/business-time.ts";
import { api, call } from "../../api.ts";
import { useAuth } from "../../auth.tsx";
import { businessNow, businessZone, zoneName } from "../../business-zone.ts";
import { useI18n } from "../../i18n/index.tsx";
import { Button } from "../../ui/button.tsx";
import { ConfirmActions, Dialog } from "../../ui/dialog.tsx";
import { FormError, NoteField } from "../../ui/field.tsx";
import { isProblem, problemText } from "../../ui/problem-text.ts";
import { Failure, Loading } from "../../ui/states.tsx";
import { useToast } from "../../ui/toast.tsx";
import { holdUnsaved } from "../../unsaved.ts";
import { CalendarHistory } from "./calendar-history.tsx";
import { cycled, listsOf, type Mark, type Marks, marksOf, parseRange, sameMarks, withRange } from "./calendar-model.ts";
import { DayEditor } from "./day-editor.tsx";
import { CalendarLegend, YearGrid } from "./month-grid.tsx";
import "./calendar.css";

/** A year as the server holds it, with its versions; a year the overview does not list was never saved. */
async function loadYear(source: {
  year: number;
  known: boolean;
}): Promise<{ current: CalendarYearVersion | null; versions: CalendarVersionSummary[] }> {
  if (!source.known) return { current: null, versions: [] };
  const param = { year: String(source.year) };
  const [current, history] = await Promise.all([
    call(api.calendar[":year"].$get({ param })),
    call(api.calendar[":year"].versions.$get({ param })),
  ]);
  return { current, versions: history.versions };
}

/**
 * 工作日历: a year of the working-day calendar periods are counted with, as a month grid. Everyone who reads rules sees
 * it; administrators change it a day at a time (a click cycles the day) or a range at a time, save it with a note as a
 * new version, and restore an older version. Unsaved changes are guarded like a draft's.
 */
export function CalendarPage() {
  const { t, lang } = useI18n();
  const auth = useAuth();
  const toast = useToast();
  const editable = () => auth.can("calendar:write");
  const [overview, { refetch: reloadOverview }] = createResource(() => call(api.calendar.$get()));
  const today = () => wallTimeAt(businessNow(), businessZone());
  const [year, setYear] = createSignal<number>();
  createEffect(() => {
    const known = overview();
    if (known && year() === undefined) setYear(known.nextYearMissing ? known.nextYear : today().year);
  });
  const source = () => {
    const chosen = year();
    const known = overview();
    if (chosen === undefined || !known) return undefined;
    return { year: chosen, known: known.years.some((y) => y.year === chosen) };
  };
  const [saved, { refetch: reloadYear }] = createResource(source, loadYear);
  const [base, setBase] = createSignal<Marks>({});
  const [marks, setMarks] = createSignal<Marks>({});
  const [selected, setSelected] = createSignal<CalendarDate>();
  createEffect(
    on(saved, (loaded) => {
      if (!loaded) return;
      const fresh = loaded.current ? marksOf(loaded.current) : {};
      setBase(fresh);
      setMarks(fresh);
      setSelected(undefined);
    }),
  );
  const dirty = () => !sameMarks(base(), marks());

  const years = () => {
    const known = overview()?.years.map((y) => y.year) ?? [];
    const listed = new Set([...known, today().year, today().year + 1]);
    return [...listed].sort((a, b) => b - a).map((y) => ({ year: y, known: known.includes(y) }));
  };
  const chooseYear = (next: number) => {
    if (dirty() && !window.confirm(t("unsaved.leave"))) return;
    setYear(next);
  };

  useBeforeLeave((event) => {
    if (dirty() && !window.confirm(t("unsaved.leave"))) event.preventDefault();
  });
  const beforeUnload = (event: BeforeUnloadEvent) => {
    if (dirty()) event.preventDefault();
  };
  onMount(() => window.addEventListener("beforeunload", beforeUnload));
  onCleanup(() => window.removeEventListener("beforeunload", beforeUnload));
  holdUnsaved({
    what: () => t("unsaved.calendar", { year: year() ?? "" }),
    dirty,
    discard: () => setMarks(base()),
  });

  // the name a click gives a day: the one typed last, so that a holiday's days are clicked in one go
  const [lastName, setLastName] = createSignal<string>();
  const onDay = (date: CalendarDate) => {
    setSelected(date);
    const name = lastName() ?? t("calendar.defaultHoliday");
    setMarks(cycled(date, marks(), name));
  };
  const renameSelected = (name: string) => {
    const date = selected();
    const mark = date ? marks()[formatDate(date)] : undefined;
    if (!date || !mark) return;
    setLastName(name);
    setMarks({ ...marks(), [formatDate(date)]: { ...mark, name } });
  };

  const [rangeText, setRangeText] = createSignal("");
  const [rangeKind, setRangeKind] = createSignal<Mark["kind"]>("holiday");
  const [rangeError, setRangeError] = createSignal<string>();
  const addRange = (event: Event) => {
    event.preventDefault();
    const parsed = parseRange(rangeText(), year()!);
    if (!parsed.ok) return void setRangeError(t("calendar.rangeInvalid"));
    setRangeError(undefined);
    setMarks(withRange(marks(), parsed, rangeKind()));
    setLastName(parsed.name);
    setRangeText("");
    toast("success", t("calendar.rangeAdded", { count: parsed.dates.length }));
  };

  const [saving, setSaving] = createSignal(false);
  const [note, setNote] = createSignal("");
  const [saveError, setSaveError] = createSignal<string>();
  // someone saved the year in between: the dialog offers to reload it
  const [conflicted, setConflicted] = createSignal(false);
  const [busy, setBusy] = createSignal(false);
  const closeSave = () => {
    setSaving(false);
    setSaveError(undefined);
    setConflicted(false);
  };
  const save = async () => {
    setBusy(true);
    try {
      const version = await call(
        api.calendar[":year"].$put({
          param: { year: String(year()) },
          json: { ...listsOf(marks()), version: saved()?.current?.version ?? 0, note: note().trim() },
        }),
      );
      toast("success", t("calendar.saved", { year: version.year, version: version.version }));
      setNote("");
      closeSave();
      setBase(marks());
      // the overview lists the year now; the year is read again from it
      void reloadOverview();
    } catch (e) {
      setConflicted(isProblem(e, 409, "conflict"));
      setSaveError(
        isProblem(e, 409, "conflict")
          ? t("calendar.conflict", { year: year()!, version: Number(e.problem.currentVersion ?? 0) })
          : problemText(e, t),
      );
    } finally {
      setBusy(false);
    }
  };

  return (
    <main class="page calendar-page" id="main">
      <div class="row page-head">
        <h1>{t("calendar.title")}</h1>
        <span class="spacer" />
        <label class="calendar-year-picker">
          <span>{t("calendar.year")}</span>
          <select value={year() ?? ""} onChange={(e) => chooseYear(Number(e.currentTarget.value))}>
            <For each={years()}>
              {(option) => (
                <option value={option.year}>
                  {t(option.known ? "calendar.yearOption" : "calendar.yearNew", { year: option.year })}
                </option>
              )}
            </For>
          </select>
        </label>
      </div>
      <p class="intro">{t("calendar.intro", { zone: zoneName(lang()) })}</p>
      <Show when={overview()?.nextYearMissing}>
        <p class="banner banner-warn calendar-missing" role="status">
          {t("calendar.missingBanner", { year: overview()!.nextYear })}
        </p>
      </Show>
      <Show when={overview.error || saved.error}>
        <Failure error={overview.error ?? saved.error} retry={() => void reloadYear()} />
      </Show>
      <Show when={year() !== undefined && saved()} fallback={<Loading />}>
        <div class="row calendar-toolbar">
          <strong class="calendar-version" data-version={saved()?.current?.version ?? 0}>
            {saved()?.current
              ? t("calendar.version", { version: saved()!.current!.version })
              : t("calendar.versionNone")}
          </strong>
          <span class="muted">{t("calendar.counts", { ...countsOf(marks()) })}</span>
          <span class="spacer" />
          <Show when={editable()}>
            <Button disabled={!dirty()} onClick={() => setMarks(base())}>
              {t("calendar.discard")}
            </Button>
            <Button variant="primary" disabled={!dirty()} onClick={() => setSaving(true)}>
              {t("calendar.save")}
            </Button>
          </Show>
        </div>
        <Show when={editable()} fallback={<p class="muted">{t("calendar.readOnly")}</p>}>
          <p class="muted">{t("calendar.clickHint")}</p>
          <div class="calendar-tools">
            <DayEditor date={selected()} marks={marks()} onName={renameSelected} />
            <form class="calendar-range" onSubmit={addRange}>
              <label class="field">
                <span>{t("calendar.range")}</span>
                <input
                  value={rangeText()}
                  maxLength={80}
                  placeholder={t("calendar.rangePlaceholder")}
                  onInput={(e) => setRangeText(e.currentTarget.value)}
                />
              </label>
              <label class="field">
                <span>{t("calendar.rangeKind")}</span>
                <select value={rangeKind()} onChange={(e) => setRangeKind(e.currentTarget.value as Mark["kind"])}>
                  <option value="holiday">{t("calendar.state.holiday")}</option>
                  <option value="workday">{t("calendar.state.workday")}</option>
                </select>
              </label>
              <Button type="submit">{t("calendar.rangeAdd")}</Button>
              <span class="field-hint">{t("calendar.rangeHint")}</span>
              <FormError error={rangeError()} />
            </form>
          </div>
        </Show>
        <CalendarLegend />
        <YearGrid
          year={year()!}
          marks={marks()}
          today={formatDate(today())}
          selected={selected() ? formatDate(selected()!) : undefined}
          editable={editable()}
          onDay={onDay}
        />
        <CalendarHistory
          year={year()!}
          versions={saved()?.versions ?? []}
          editable={editable() && !dirty()}
          onRestored={() => {
            void reloadOverview();
          }}
        />
      </Show>
      <Dialog
        open={saving()}
        title={t("calendar.saveTitle", { year: year() ?? "" })}
        onClose={closeSave}
        actions={
          <ConfirmActions
            onCancel={closeSave}
            onConfirm={() => void save()}
            confirmLabel={t("calendar.saveConfirm")}
            busy={busy()}
          />
        }
      >
        <p>{t("calendar.counts", { ...countsOf(marks()) })}</p>
        <NoteField
          label={t("calendar.note")}
          value={note()}
          onInput={setNote}
          placeholder={t("calendar.notePlaceholder")}
        />
        <FormError error={saveError()} />
        <Show when={conflicted()}>
          <Button
            onClick={() => {
              closeSave();
              void reloadYear();
            }}
          >
            {t("calendar.reload")}
          </Button>
        </Show>
      </Dialog>
    </main>
  );
}

const countsOf = (marks: Marks) => {
  const lists = listsOf(marks);
  return { holidays: lists.holidays.length, workdays: lists.workdays.length };
};
