import { A } from "@solidjs/router";
import { createResource, For } from "solid-js";
import type { TemplateSummary } from "../../../shared/reply-templates.ts";
import { api, call } from "../../api.ts";
import { useI18n } from "../../i18n/index.tsx";
import { actorName } from "../../ui/actor-name.ts";
import { ResourceList } from "../../ui/resource-list.tsx";
import { Empty } from "../../ui/states.tsx";
import "./templates.css";

/** 回复模板: every reply template with its published version and whether its draft waits to be published. */
export function TemplatesPage() {
  const { t, formatDateTime } = useI18n();
  const [templates, { refetch }] = createResource(
    async () => (await call(api["reply-templates"].$get())).templates as TemplateSummary[],
  );
  const state = (template: TemplateSummary) =>
    template.publishedVersion === null
      ? { text: t("templates.state.never"), badge: "badge-muted" }
      : template.changed
        ? { text: t("templates.state.changed"), badge: "badge-warn" }
        : { text: t("templates.state.published"), badge: "badge-ok" };
  return (
    <main class="page templates-page" id="main">
      <div class="row page-head">
        <h1>{t("templates.title")}</h1>
      </div>
      <p class="intro">{t("templates.intro")}</p>
      <ResourceList resource={templates} retry={refetch} empty={<Empty>{t("templates.none")}</Empty>}>
        {(list) => (
          <div class="table-card">
            <table class="data templates-table">
              <thead>
                <tr>
                  <th scope="col">{t("templates.col.title")}</th>
                  <th scope="col">{t("templates.col.key")}</th>
                  <th scope="col">{t("templates.col.version")}</th>
                  <th scope="col">{t("templates.col.state")}</th>
                  <th scope="col">{t("templates.col.updated")}</th>
                </tr>
              </thead>
              <tbody>
                <For each={list()}>
                  {(template) => (
                    <tr data-template={template.key}>
                      <th scope="row">
                        <A href={`/templates/${template.key}`}>{template.title}</A>
                      </th>
                      <td>
                        <code>{template.key}</code>
                      </td>
                      <td>{template.publishedVersion === null ? "—" : `v${template.publishedVersion}`}</td>
                      <td>
                        <span class={`badge ${state(template).badge}`}>{state(template).text}</span>
                      </td>
                      <td class="nowrap">
                        {actorName(template.draftUpdatedBy, t)}
                        <span class="muted"> {formatDateTime(template.draftUpdatedAt)}</span>
                      </td>
                    </tr>
                  )}
                </For>
              </tbody>
            </table>
          </div>
        )}
      </ResourceList>
    </main>
  );
}
