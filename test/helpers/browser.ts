import { existsSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { chromium, type Browser, type BrowserContext, type Page } from "playwright-core";

export const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
export const SCREENSHOTS = "test-results/screenshots";

/**
 * Debian's Chromium, headless, driven by playwright-core (nothing is downloaded). `npm test`
 * installs it first when it can; run alone, a missing browser or admin build fails loudly.
 */
export async function launchBrowser(): Promise<Browser> {
  if (!existsSync(CHROMIUM))
    throw new Error(
      `Chromium not found at ${CHROMIUM}: run 'npm test' (it installs Debian's chromium) or set CHROMIUM_PATH`,
    );
  if (!existsSync("dist/admin/index.html"))
    throw new Error("the admin is not built: run 'npm run build' (npm test does it)");
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
    ],
  });
}

/**
 * A page at 1366×768 (the laptop the admin must be readable on) that records console errors. The browser's locale
 * follows `lang` unless `locale` says otherwise; `timezoneId` sets the browser's time zone (the machine's by default).
 */
export async function openPage(
  browser: Browser,
  options: { lang?: "zh" | "en"; locale?: string; timezoneId?: string } = {},
): Promise<{ context: BrowserContext; page: Page; consoleErrors: string[] }> {
  const context = await browser.newContext({
    viewport: { width: 1366, height: 768 },
    locale: options.locale ?? (options.lang === "en" ? "en-GB" : "zh-CN"),
    ...(options.timezoneId === undefined ? {} : { timezoneId: options.timezoneId }),
  });
  const page = await context.newPage();
  const consoleErrors: string[] = [];
  page.on("console", (message) => {
    // a 401 while checking for a session before sign-in is expected, not an error of the page
    if (message.type() === "error" && !/401 \(Unauthorized\)/.test(message.text())) consoleErrors.push(message.text());
  });
  page.on("pageerror", (error) => consoleErrors.push(error.message));
  return { context, page, consoleErrors };
}

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

/** Signs in through the sign-in form: as the test admin, or as `username` with `password`. */
export async function signIn(
  page: Page,
  baseUrl: string,
  username = "admin",
  password = "test-admin-password",
): Promise<void> {
  await page.goto(`${baseUrl}/admin/`);
  await page.getByLabel(/用户名|User name/).fill(username);
  await page.getByLabel(/密码|Password/).fill(password);
  await page.getByRole("button", { name: /登录|Sign in/ }).click();
  await page.getByRole("heading", { name: /规则集|Rule sets/, level: 1 }).waitFor();
}
