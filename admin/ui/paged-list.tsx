import { createEffect, createSignal, on, Show } from "solid-js";
import { useI18n } from "../i18n/index.tsx";
import { Button } from "./button.tsx";
import { Failure } from "./states.tsx";

/** One page of a log as the server answers it: `next` is the `before` of the following page. */
export type Page<T> = { entries: T[]; next: string | null };

/**
 * A log read page by page, newest first. The first page loads whenever `query` changes (compare
 * queries by value: a new object with the same filters does not reload); `loadMore` appends the
 * next older page. An answer that arrives after the query changed is dropped, so a slow page
 * never mixes into the results of a newer search.
 */
export function createPagedList<Q, T>(query: () => Q, fetchPage: (query: Q, before: string | undefined) => Promise<Page<T>>) {
  const [entries, setEntries] = createSignal<T[]>([]);
  const [next, setNext] = createSignal<string | null>(null);
  const [loading, setLoading] = createSignal<"first" | "more" | false>(false);
  const [error, setError] = createSignal<{ error: unknown; before: string | undefined }>();
  let generation = 0;

  const load = async (before: string | undefined) => {
    const mine = ++generation;
    const q = query();
    setLoading(before === undefined ? "first" : "more");
    setError(undefined);
    if (before === undefined) {
      setEntries([]);
      setNext(null);
    }
    try {
      const page = await fetchPage(q, before);
      if (mine !== generation) return;
      setEntries((shown) => (before === undefined ? page.entries : [...shown, ...page.entries]));
      setNext(page.next);
    } catch (failure) {
      if (mine === generation) setError({ error: failure, before });
    } finally {
      if (mine === generation) setLoading(false);
    }
  };
  createEffect(on(query, () => void load(undefined)));

  return {
    entries,
    loading,
    /** The failure of the first page (nothing to show) — a failed "more" keeps what was shown. */
    firstError: () => (error()?.before === undefined ? error()?.error : undefined),
    moreError: () => (error()?.before !== undefined ? error()?.error : undefined),
    hasMore: () => next() !== null,
    loadMore: () => {
      const before = next();
      if (before !== null && !loading()) void load(before);
    },
    reload: () => void load(undefined),
    retry: () => void load(error()?.before),
  };
}

export type PagedList<T> = ReturnType<typeof createPagedList<unknown, T>>;

/** Below a log's table: how many are shown, "加载更多" while older entries exist, a failed page's retry. */
export function PagedFooter<T>(props: { list: PagedList<T> }) {
  const { t } = useI18n();
  return (
    <div class="paged-footer row">
      <span class="muted" role="status">
        {props.list.hasMore() ? t("logs.shown", { count: props.list.entries().length }) : t("logs.all", { count: props.list.entries().length })}
      </span>
      <Show when={props.list.hasMore() && !props.list.moreError()}>
        <Button onClick={() => props.list.loadMore()} busy={props.list.loading() === "more"}>
          {t("logs.more")}
        </Button>
      </Show>
      <Show when={props.list.moreError()}>{(failure) => <Failure error={failure()} retry={props.list.retry} />}</Show>
    </div>
  );
}
