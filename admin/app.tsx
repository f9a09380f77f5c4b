import { A, Navigate, Route, Router, useLocation, useNavigate, type RouteSectionProps } from "@solidjs/router";
import { createEffect, createResource, createSignal, For, Match, on, Show, Switch } from "solid-js";
import { whenSessionEnds } from "./api.ts";
import { AuthProvider, useAuth } from "./auth.tsx";
import { loadBusinessSettings } from "./business-zone.ts";
import { I18nProvider, useI18n } from "./i18n/index.tsx";
import { publishedTemplates } from "./reply-titles.ts";
import { ApiKeysPage } from "./pages/api-keys/api-keys-page.tsx";
import { AuditPage } from "./pages/audit/audit-page.tsx";
import { CalendarPage } from "./pages/calendar/calendar-page.tsx";
import { DecisionLogPage } from "./pages/decision-log/decision-log-page.tsx";
import { EditorPage } from "./pages/editor/editor-page.tsx";
import { ChangePasswordButton } from "./pages/users/change-password-dialog.tsx";
import { UsersPage } from "./pages/users/users-page.tsx";
import { RuleSetPage } from "./pages/rule-set/rule-set-page.tsx";
import { ReviewPage } from "./pages/rule-sets/review-page.tsx";
import { RuleSetsPage } from "./pages/rule-sets/rule-sets-page.tsx";
import { SignInPage } from "./pages/sign-in/sign-in-page.tsx";
import { SimulatorPage } from "./pages/simulator/simulator-page.tsx";
import { TestsPage } from "./pages/tests/tests-page.tsx";
import { VersionsPage } from "./pages/versions/versions-page.tsx";
import { StatsPage } from "./pages/stats/stats-page.tsx";
import { TemplateEditorPage } from "./pages/templates/template-editor-page.tsx";
import { TemplatesPage } from "./pages/templates/templates-page.tsx";
import { actorName } from "./ui/actor-name.ts";
import { Button } from "./ui/button.tsx";
import { ConfirmActions, Dialog } from "./ui/dialog.tsx";
import { unsavedWork, type UnsavedWork } from "./unsaved.ts";
import { Failure, Loading } from "./ui/states.tsx";
import { ToastProvider } from "./ui/toast.tsx";

/** Header, language switch and the signed-in guard around every screen. */
function Shell(props: RouteSectionProps) {
  const { t, lang, setLang, learnReplyTitles } = useI18n();
  const auth = useAuth();
  // the titles of the reply templates the playbook's rules name, for every screen that shows one
  createEffect(on(auth.user, (user) => user && void publishedTemplates().then(learnReplyTitles)));
  const location = useLocation();
  const navigate = useNavigate();
  whenSessionEnds(() => auth.forget());
  // the business time zone and clock, before any screen shows a time
  const [settings, { refetch: reloadSettings }] = createResource(loadBusinessSettings);
  const onSignIn = () => location.pathname.endsWith("/sign-in");
  // unsaved work asks before signing out drops it
  const [leaving, setLeaving] = createSignal<UnsavedWork[]>([]);
  const signOut = async () => {
    for (const work of leaving()) work.discard();
    setLeaving([]);
    await auth.signOut();
    navigate("/sign-in", { replace: true });
  };
  return (
    <>
      <a class="skip-link" href="#main">
        {t("app.skipToContent")}
      </a>
      <header class="app-header">
        <A href="/" class="brand">
          {t("app.title")}
        </A>
        <nav aria-label={t("app.title")}>
          <A href="/" end activeClass="active">
            {t("nav.ruleSets")}
          </A>
          <A href="/templates" activeClass="active">
            {t("nav.templates")}
          </A>
          <Show when={auth.can("rules:read")}>
            <A href="/calendar" activeClass="active">
              {t("nav.calendar")}
            </A>
          </Show>
          <Show when={auth.can("audit:read")}>
            <A href="/decisions" activeClass="active">
              {t("nav.decisionLog")}
            </A>
            <A href="/audit" activeClass="active">
              {t("nav.audit")}
            </A>
          </Show>
          <Show when={auth.can("users:manage")}>
            <A href="/users" activeClass="active">
              {t("nav.users")}
            </A>
          </Show>
          <Show when={auth.can("keys:manage")}>
            <A href="/api-keys" activeClass="active">
              {t("nav.apiKeys")}
            </A>
          </Show>
        </nav>
        <div class="header-tools">
          <label class="lang-switch">
            <span class="visually-hidden">{t("app.language")}</span>
            <select
              aria-label={t("app.language")}
              value={lang()}
              onChange={(e) => setLang(e.currentTarget.value as "zh" | "en")}
            >
              <option value="zh">中文</option>
              <option value="en">English</option>
            </select>
          </label>
          {auth.user() ? (
            <>
              <span class="muted" title={auth.user()!.username}>
                {t("app.signedInAs", { name: actorName(`user:${auth.user()!.username}`, t) })}
              </span>
              <ChangePasswordButton />
              <Button
                variant="ghost"
                onClick={() => {
                  const unsaved = unsavedWork();
                  if (unsaved.length > 0) setLeaving(unsaved);
                  else void signOut();
                }}
              >
                {t("app.signOut")}
              </Button>
            </>
          ) : null}
        </div>
      </header>
      <Dialog
        open={leaving().length > 0}
        title={t("unsaved.signOutTitle")}
        onClose={() => setLeaving([])}
        actions={
          <ConfirmActions
            onCancel={() => setLeaving([])}
            onConfirm={() => void signOut()}
            confirmLabel={t("unsaved.signOutConfirm")}
            variant="danger"
          />
        }
      >
        <p>{t("unsaved.signOutBody")}</p>
        <ul>
          <For each={leaving()}>{(work) => <li>{work.what()}</li>}</For>
        </ul>
      </Dialog>
      <Switch>
        <Match when={settings.error}>
          <main class="page" id="main">
            <Failure error={settings.error} retry={reloadSettings} />
          </main>
        </Match>
        <Match when={settings.loading}>
          <main class="page" id="main">
            <Loading />
          </main>
        </Match>
        <Match when={auth.user.error}>
          <main class="page" id="main">
            <Failure error={auth.user.error} retry={auth.refetch} />
          </main>
        </Match>
        <Match when={auth.user.loading && auth.user() === undefined}>
          <main class="page" id="main">
            <Loading />
          </main>
        </Match>
        <Match when={!auth.user() && !onSignIn()}>
          <Navigate
            href={`/sign-in?next=${encodeURIComponent((location.pathname.replace(/^\/admin/, "") || "/") + location.search)}`}
          />
        </Match>
        <Match when={auth.user() && onSignIn()}>
          <Navigate href="/" />
        </Match>
        <Match when={true}>{props.children}</Match>
      </Switch>
    </>
  );
}

export function App() {
  return (
    <I18nProvider>
      <ToastProvider>
        <AuthProvider>
          <Router base="/admin" root={Shell}>
            <Route path="/sign-in" component={SignInPage} />
            <Route path="/" component={RuleSetsPage} />
            <Route path="/rule-sets/:key" component={RuleSetPage}>
              <Route path="/" component={EditorPage} />
              <Route path="/tests" component={TestsPage} />
              <Route path="/simulator" component={SimulatorPage} />
              <Route path="/versions" component={VersionsPage} />
              <Route path="/stats" component={StatsPage} />
              <Route path="/review" component={ReviewPage} />
            </Route>
            <Route path="/templates" component={TemplatesPage} />
            <Route path="/templates/:key" component={TemplateEditorPage} />
            <Route path="/decisions" component={DecisionLogPage} />
            <Route path="/audit" component={AuditPage} />
            <Route path="/calendar" component={CalendarPage} />
            <Route path="/users" component={UsersPage} />
            <Route path="/api-keys" component={ApiKeysPage} />
            <Route path="*" component={() => <Navigate href="/" />} />
          </Router>
        </AuthProvider>
      </ToastProvider>
    </I18nProvider>
  );
}
