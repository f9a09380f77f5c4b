import { useSearchParams } from "@solidjs/router";
import stringify from "safe-stable-stringify";
import { createEffect, createMemo, createSignal, Match, on, Show, Switch, type JSX } from "solid-js";
import { useAuth } from "../auth.tsx";
import { useI18n } from "../i18n/index.tsx";
import { Button } from "./button.tsx";
import { Empty, Failure, Loading } from "./states.tsx";

/** One page of a log as the server answers it: `next` is the `before` of the following page. */
export type Page<T> = { entries: T[]; next: string | null };

/**
 * A log read page by page, newest first. The first page loads whenever `query` changes (compare
 * queries by value: a new object with the same filters does not reload); `loadMore` appends the
 * next older page. An answer that arrives after the query changed is dropped, so a slow page
 * never mixes into the results of a newer search.
 */
export function createPagedList<Q, T>(
  query: () => Q,
  fetchPage: (query: Q, before: string | undefined) => Promise<Page<T>>,
) {
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
        {props.list.hasMore()
          ? t("logs.shown", { count: props.list.entries().length })
          : t("logs.all", { count: props.list.entries().length })}
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

/**
 * A log searched by filters kept in the URL's query, so a search can be shared: `applied` holds the filters named by
 * `keys` that the URL carries (compared by value, so the list reloads only when one really changed), and `apply` puts
 * new ones there — or, for the filters already applied, asks again, since new entries may have been written since.
 */
export function createFilteredLog<F extends Partial<Record<K, string>>, K extends string, T>(
  keys: readonly K[],
  fetchPage: (filter: F, before: string | undefined) => Promise<Page<T>>,
) {
  const [params, setParams] = useSearchParams<Record<K, string>>();
  const applied = createMemo<F>(
    () => Object.fromEntries(keys.filter((k) => params[k]).map((k) => [k, params[k]])) as F,
    {} as F,
    {
      equals: (a, b) => stringify(a) === stringify(b),
    },
  );
  const list = createPagedList(applied, fetchPage);
  const apply = (filter: F) => {
    if (stringify(filter) === stringify(applied())) list.reload();
    else setParams(Object.fromEntries(keys.map((k) => [k, filter[k] ?? undefined])));
  };
  return { applied, apply, list };
}

/** A log's results: the first page's failure, loading, "nothing found", or the entries (`children`) and the footer. */
export function PagedResults<T>(props: { list: PagedList<T>; children: (entries: T[]) => JSX.Element }) {
  const { t } = useI18n();
  return (
    <section class="logs-results" aria-label={t("logs.results")} aria-busy={props.list.loading() === "first"}>
      <Switch>
        <Match when={props.list.firstError()}>
          <Failure error={props.list.firstError()} retry={props.list.retry} />
        </Match>
        <Match when={props.list.loading() === "first"}>
          <Loading />
        </Match>
        <Match when={props.list.entries().length === 0}>
          <Empty>{t("logs.empty")}</Empty>
        </Match>
        <Match when={true}>
          {props.children(props.list.entries())}
          <PagedFooter list={props.list} />
        </Match>
      </Switch>
    </section>
  );
}

/** A log page: its title, and the log itself (`children`) for whoever may read the logs. */
export function LogPage(props: { title: string; children: JSX.Element }) {
  const { t } = useI18n();
  const auth = useAuth();
  return (
    <main class="page logs-page" id="main">
      <h1>{props.title}</h1>
      <Show when={auth.can("audit:read")} fallback={<p class="state">{t("logs.noPermission")}</p>}>
        {props.children}
      </Show>
    </main>
  );
}
