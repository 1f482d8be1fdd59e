// Shared helpers for the end-to-end journeys: Debian's Chromium through playwright-core, axe-core checks.
import { chromium } from "playwright-core";
import { AxeBuilder } from "@axe-core/playwright";
import assert from "node:assert/strict";

export const BASE_URL = process.env.BASE_URL ?? "http://127.0.0.1:3000";
export const DEMO_PASSWORD = process.env.DEMO_PASSWORD ?? "demo-espace-partenaires";

export async function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    args: [
      "--no-sandbox", "--disable-gpu", "--disable-quic", "--disable-background-networking",
      "--disable-component-update", "--disable-sync", "--no-first-run",
    ],
  });
}

const javaScriptOff = new WeakSet();

/** A fresh browser context (own cookies), with JavaScript on or off. */
export async function newPage(browser, { javaScript }) {
  const context = await browser.newContext({ javaScriptEnabled: javaScript, baseURL: BASE_URL, locale: "fr-FR" });
  const page = await context.newPage();
  if (!javaScript) javaScriptOff.add(page);
  return { context, page };
}

/** Runs `journey(page)` in a fresh context (own cookies, JavaScript on or off), closing it whatever happens. */
export async function withPage(browser, { javaScript }, journey) {
  const { context, page } = await newPage(browser, { javaScript });
  try {
    await journey(page);
  } finally {
    await context.close();
  }
}

/** Fails with the list of WCAG 2.1 A/AA violations found on the current page. */
export async function expectAccessible(page) {
  // axe-core runs as a script: a page with JavaScript off is checked through a script-free copy of what it shows.
  const target = javaScriptOff.has(page) ? await scriptFreeCopy(page) : { page, close: async () => {} };
  try {
    const results = await new AxeBuilder({ page: target.page })
      .withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"])
      .analyze();
    const summary = results.violations.map(
      (v) => `${v.id} (${v.impact}): ${v.help}\n    ${v.nodes.map((n) => n.target.join(" ")).join("\n    ")}`,
    );
    assert.deepEqual(summary, [], `axe violations on ${page.url()}`);
  } finally {
    await target.close();
  }
}

async function scriptFreeCopy(page) {
  const html = (await page.content())
    .replace(/<script\b[^>]*>[\s\S]*?<\/script>/gi, "")
    .replace("<head>", `<head><base href="${BASE_URL}/">`);
  const context = await page.context().browser().newContext({ locale: "fr-FR" });
  const copy = await context.newPage();
  await copy.setContent(html, { waitUntil: "load" });
  return { page: copy, close: () => context.close() };
}

/** Waits until the page has hydrated (the app marks <body> once its wasm is running). */
export async function waitForHydration(page) {
  await page.waitForSelector("body[data-hydrated='true']", { timeout: 30_000 });
}

/** Opens a page and waits until it is ready for the person (hydrated when JavaScript runs). */
export async function open(page, path, javaScript) {
  await page.goto(path);
  if (javaScript) await waitForHydration(page);
}

/** Clicks a form's button and waits for the page it leads to (a reload with JavaScript, a redirect without). */
export async function submit(page, javaScript, button) {
  const reloaded = page.waitForNavigation();
  await button.click();
  await reloaded;
  if (javaScript) await waitForHydration(page);
}

/** Signs in through the real form; with JavaScript on, waits for hydration first so the form is live. */
export async function signIn(page, email, { javaScript, password = DEMO_PASSWORD }) {
  await page.goto("/login");
  if (javaScript) await waitForHydration(page);
  await page.getByLabel("Adresse e-mail").fill(email);
  await page.getByLabel("Mot de passe").fill(password);
  await page.getByRole("button", { name: "Se connecter" }).click();
  // Either the home page opens, or the form comes back with an error.
  const left = page.waitForURL((url) => !url.pathname.startsWith("/login"), { timeout: 30_000 }).then(() => true, () => false);
  const refused = page.getByRole("alert").first().waitFor({ timeout: 30_000 }).then(() => true, () => false);
  assert.ok(await Promise.race([left, refused]), "sign-in neither succeeded nor showed an error");
  await page.waitForLoadState("load");
}
