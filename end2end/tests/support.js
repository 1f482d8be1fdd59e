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

/** A fresh browser context (own cookies), with JavaScript on or off. */
export async function newPage(browser, { javaScript }) {
  const context = await browser.newContext({ javaScriptEnabled: javaScript, baseURL: BASE_URL, locale: "fr-FR" });
  const page = await context.newPage();
  return { context, page };
}

/** Fails with the list of WCAG 2.1 A/AA violations found on the current page. */
export async function expectAccessible(page) {
  const results = await new AxeBuilder({ page })
    .withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"])
    .analyze();
  const summary = results.violations.map(
    (v) => `${v.id} (${v.impact}): ${v.help}\n    ${v.nodes.map((n) => n.target.join(" ")).join("\n    ")}`,
  );
  assert.deepEqual(summary, [], `axe violations on ${page.url()}`);
}

/** Waits until the page has hydrated (the app marks <body> once its wasm is running). */
export async function waitForHydration(page) {
  await page.waitForSelector("body[data-hydrated='true']", { timeout: 30_000 });
}

/** Signs in through the real form; with JavaScript on, waits for hydration first so the form is live. */
export async function signIn(page, email, { javaScript, password = DEMO_PASSWORD }) {
  await page.goto("/login");
  if (javaScript) await waitForHydration(page);
  await page.getByLabel("Adresse e-mail").fill(email);
  await page.getByLabel("Mot de passe").fill(password);
  await Promise.all([
    page.waitForURL((url) => !url.pathname.startsWith("/login") || url.search.length > 0, { timeout: 30_000 }).catch(() => {}),
    page.getByRole("button", { name: "Se connecter" }).click(),
  ]);
  await page.waitForLoadState("load");
}
