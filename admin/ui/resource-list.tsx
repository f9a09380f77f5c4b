import { Show, type Accessor, type JSX, type Resource } from "solid-js";
import { Empty, Failure, Loading } from "./states.tsx";

/**
 * A list loaded from the server, in its four states: failed (with a retry), loading, empty, and
 * shown. Keeps the last list on screen while it reloads.
 */
export function ResourceList<T>(props: {
  resource: Resource<T[] | undefined>;
  retry: () => void;
  empty?: JSX.Element;
  children: (list: Accessor<T[]>) => JSX.Element;
}) {
  return (
    <Show when={!props.resource.error} fallback={<Failure error={props.resource.error} retry={props.retry} />}>
      <Show when={props.resource.latest} fallback={<Loading />}>
        {(list) => (
          <Show when={list().length > 0} fallback={props.empty ?? <Empty />}>
            {props.children(list)}
          </Show>
        )}
      </Show>
    </Show>
  );
}
