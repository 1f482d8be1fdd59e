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

/** Waits until the page is ready: its loader marks <body> once its islands are awake (at once on a page without). */
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

/**
 * Fills and sends the sign-in form (with JavaScript on, once the form is live), then waits for what follows:
 * `{ signedIn: true }` once a signed-in page shows (the address has left /login and the header's sign-out button is
 * visible), `{ signedIn: false, alert }` when the sign-in page comes back with an error; throws if neither happens.
 */
async function sendSignInForm(page, email, { javaScript, password }) {
  await page.goto("/login");
  if (javaScript) await waitForHydration(page);
  await page.getByLabel("Adresse e-mail").fill(email);
  await page.getByLabel("Mot de passe").fill(password);
  await page.getByRole("button", { name: "Se connecter" }).click();
  const onLoginPage = () => new URL(page.url()).pathname === "/login";
  const signedIn = (async () => {
    await page.waitForURL((url) => url.pathname !== "/login", { timeout: 30_000 });
    await page.getByRole("button", { name: "Se déconnecter" }).waitFor({ state: "visible", timeout: 30_000 });
    return { signedIn: true };
  })();
  const refused = (async () => {
    const alert = page.getByRole("alert").first();
    await alert.waitFor({ state: "visible", timeout: 30_000 });
    // A signed-in home may show an alert of its own (a suspended convention): only the sign-in page's counts.
    if (!onLoginPage()) throw new Error("an alert outside the sign-in page");
    return { signedIn: false, alert: (await alert.innerText()).trim() };
  })();
  try {
    const outcome = await Promise.any([signedIn, refused]);
    await page.waitForLoadState("load");
    return outcome;
  } catch {
    throw new Error(
      `sign-in of ${email} neither opened a signed-in page (with its « Se déconnecter » button) nor showed an error; ` +
        `the browser is at ${page.url()}`,
    );
  }
}

/** Signs in through the real form, and fails unless a signed-in page opens (not the sign-in page, sign-out button shown). */
export async function signIn(page, email, { javaScript, password = DEMO_PASSWORD }) {
  const outcome = await sendSignInForm(page, email, { javaScript, password });
  if (!outcome.signedIn) {
    throw new Error(`sign-in of ${email} failed: the sign-in page came back with « ${outcome.alert} » (at ${page.url()})`);
  }
  if (new URL(page.url()).pathname === "/login") {
    throw new Error(`sign-in of ${email} failed: still on the sign-in page (${page.url()})`);
  }
}

/** Tries to sign in through the real form, and fails unless the sign-in page comes back with an error; returns its text. */
export async function signInRefused(page, email, { javaScript, password = DEMO_PASSWORD }) {
  const outcome = await sendSignInForm(page, email, { javaScript, password });
  if (outcome.signedIn) {
    throw new Error(`sign-in of ${email} was expected to be refused, but it opened ${page.url()}`);
  }
  return outcome.alert;
}
