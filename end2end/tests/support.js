// Shared helpers for the end-to-end journeys: Debian's Chromium through playwright-core, axe-core checks.
import { chromium } from "playwright-core";
import { AxeBuilder } from "@axe-core/playwright";
import assert from "node:assert/strict";
import { createHmac } from "node:crypto";
import { mkdirSync, readFileSync, rmdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export const BASE_URL = process.env.BASE_URL ?? "http://127.0.0.1:3000";
export const DEMO_PASSWORD = process.env.DEMO_PASSWORD ?? "demo-espace-partenaires";
/** The published secret of the demo accounts' authenticator app (`seed demo` enrols them with it). */
export const DEMO_TOTP_SECRET = process.env.DEMO_TOTP_SECRET ?? "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP";

/** The RFC 6238 code (SHA-1, 6 digits) of the Base32 `key` at time step `step` (30 s each). */
export function totpAt(key, step) {
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
  let bits = "";
  for (const c of key.replace(/[\s=]/g, "").toUpperCase()) bits += alphabet.indexOf(c).toString(2).padStart(5, "0");
  const secret = Buffer.from(bits.match(/.{8}/g).map((byte) => parseInt(byte, 2)));
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(step));
  const digest = createHmac("sha1", secret).update(counter).digest();
  const offset = digest[digest.length - 1] & 0x0f;
  return String((digest.readUInt32BE(offset) & 0x7fffffff) % 1_000_000).padStart(6, "0");
}

// The codes used and the keys enrolled, shared by the test files of one run (one server): the server accepts each
// account's code of a step once, and a step ahead of its clock at most.
// It lives beside the run's Maildir (a folder of its own per run), else in the temporary folder under the port.
const LEDGER = process.env.MAILDIR
  ? join(process.env.MAILDIR, "..", "e2e-codes.json")
  : join(tmpdir(), `ep-e2e-codes-${new URL(BASE_URL).port}.json`);

function withLedger(change) {
  const lock = `${LEDGER}.lock`;
  for (let tries = 0; ; tries++) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      if (tries > 2000) throw new Error(`the code ledger ${lock} stays locked`);
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 5);
    }
  }
  try {
    let ledger = { steps: {}, keys: {} };
    try {
      ledger = JSON.parse(readFileSync(LEDGER, "utf8"));
    } catch {}
    const answer = change(ledger);
    writeFileSync(LEDGER, JSON.stringify(ledger));
    return answer;
  } finally {
    rmdirSync(lock);
  }
}

/** Remembers the key an account enrolled with in this run (its codes no longer come from the demo secret). */
export function rememberKey(email, key) {
  withLedger((ledger) => {
    ledger.keys[email] = key;
  });
}

/** A code of `email`'s app not used yet in this run, waiting for the clock when the next free step is too far ahead. */
export async function nextCode(email) {
  const { step, key } = withLedger((ledger) => {
    // The server takes the step before its clock's too (three sign-ins at once, then one per half-minute), unless the
    // clock's step ends within 5 s: the server may have moved on by the time the code arrives.
    const now = Math.floor(Date.now() / 30_000);
    const earliest = Date.now() % 30_000 < 25_000 ? now - 1 : now;
    const step = Math.max(earliest, (ledger.steps[email] ?? -1) + 1);
    ledger.steps[email] = step;
    return { step, key: ledger.keys[email] ?? DEMO_TOTP_SECRET };
  });
  const wait = (step - 1) * 30_000 - Date.now();
  if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait + 500));
  return totpAt(key, step);
}

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
/** What each page's scripts reported as errors (console errors, uncaught exceptions), emptied by each check. */
const scriptErrors = new WeakMap();

/** A fresh browser context (own cookies), with JavaScript on or off; its script errors are collected. */
export async function newPage(browser, { javaScript }) {
  const context = await browser.newContext({ javaScriptEnabled: javaScript, baseURL: BASE_URL, locale: "fr-FR" });
  const page = await context.newPage();
  if (!javaScript) javaScriptOff.add(page);
  const errors = [];
  scriptErrors.set(page, errors);
  page.on("console", (message) => {
    // Chromium logs a page answered 403 or 404 as a failed load: that is the page under test, not a script error.
    const thePageItself = message.location().url === page.url() && message.text().startsWith("Failed to load resource");
    if (message.type() === "error" && !thePageItself) errors.push(`console: ${message.text()} (${page.url()})`);
  });
  page.on("pageerror", (error) => errors.push(`uncaught: ${error.message} (${page.url()})`));
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

/**
 * Fails with the list of WCAG 2.1 A/AA violations found on the current page, and on what axe does not see: a script
 * error since the last check (a hydration mismatch among them), an id given to two elements, more than one link
 * marked as the current page, or a page that scrolls sideways at 320 px (WCAG 1.4.10).
 */
export async function expectAccessible(page) {
  await expectSoundPage(page);
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

async function expectSoundPage(page) {
  const errors = scriptErrors.get(page) ?? [];
  assert.deepEqual(errors.splice(0), [], `script errors up to ${page.url()}`);
  const { duplicateIds, currentLinks } = await page.evaluate(() => {
    const seen = new Map();
    for (const element of document.querySelectorAll("[id]")) seen.set(element.id, (seen.get(element.id) ?? 0) + 1);
    return {
      duplicateIds: [...seen].filter(([, count]) => count > 1).map(([id]) => id),
      currentLinks: [...document.querySelectorAll('[aria-current="page"]')].map((element) => element.textContent.trim()),
    };
  });
  assert.deepEqual(duplicateIds, [], `ids given to more than one element on ${page.url()}`);
  assert.ok(currentLinks.length <= 1, `more than one link marked as the current page on ${page.url()}: ${currentLinks.join(", ")}`);
  const size = page.viewportSize();
  await page.setViewportSize({ width: 320, height: 640 });
  try {
    const overflow = await page.evaluate(() => {
      const width = document.documentElement.clientWidth;
      const wide = [...document.querySelectorAll("body *")]
        .filter((element) => element.getBoundingClientRect().right > width + 1 && !element.closest(".table-wrap, .chart, .main-nav"))
        .filter((element) => ![...element.children].some((child) => child.getBoundingClientRect().right > width + 1))
        .slice(0, 5)
        .map((element) => `${element.tagName.toLowerCase()}${element.id ? "#" + element.id : ""}.${[...element.classList].join(".")} (${Math.round(element.getBoundingClientRect().right)} px)`);
      return { scrolls: document.documentElement.scrollWidth > width, wide };
    });
    assert.ok(!overflow.scrolls, `${page.url()} scrolls sideways at 320 px: ${overflow.wide.join(", ")}`);
  } finally {
    if (size) await page.setViewportSize(size);
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

/** Keeps a full-page screenshot of the page as read on a 320 px wide phone, in test-results/{name}-320px.png. */
export async function screenshotAt320(page, name) {
  const size = page.viewportSize();
  await page.setViewportSize({ width: 320, height: 640 });
  await page.screenshot({ path: `test-results/${name}-320px.png`, fullPage: true });
  await page.setViewportSize(size);
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
  const left = page.waitForURL((url) => url.pathname !== "/login", { timeout: 30_000 }).then(() => "left");
  await page.getByRole("button", { name: "Se connecter" }).click();
  const alert = page.getByRole("alert").first();
  const refused = alert.waitFor({ state: "visible", timeout: 30_000 }).then(() => "refused");
  let outcome;
  try {
    outcome = await Promise.any([left, refused]);
  } catch {
    throw new Error(`sign-in of ${email} neither left the sign-in page nor showed an error; the browser is at ${page.url()}`);
  }
  if (outcome === "refused" && new URL(page.url()).pathname === "/login") {
    await page.waitForLoadState("load");
    return { signedIn: false, alert: (await alert.innerText()).trim() };
  }
  await page.waitForLoadState("load");
  if (javaScript) await waitForHydration(page);
  const path = new URL(page.url()).pathname;
  if (path === "/login/enrolement") await enrol(page, email, javaScript);
  else if (path === "/login/code") await typeCode(page, email, javaScript);
  await page.getByRole("button", { name: "Se déconnecter" }).waitFor({ state: "visible", timeout: 30_000 });
  return { signedIn: true };
}

/** The second step: the code of the account's app; a code the server already took (another file's sign-in in the
 * same half-minute) is typed again with the next one. */
async function typeCode(page, email, javaScript) {
  for (let attempt = 0; attempt < 3; attempt++) {
    await page.getByLabel("Code à usage unique").fill(await nextCode(email));
    await submit(page, javaScript, page.getByRole("button", { name: "Valider" }));
    if (new URL(page.url()).pathname !== "/login/code") return;
  }
  throw new Error(`the code step of ${email} kept refusing: ${await page.getByRole("alert").first().innerText()}`);
}

/** The first sign-in of an account without its second factor: the key as the page shows it, a code from it, then
 * the recovery codes shown once. */
export async function enrol(page, email, javaScript) {
  const key = (await page.locator(".secret-key code").innerText()).trim();
  rememberKey(email, key);
  for (let attempt = 0; attempt < 3 && new URL(page.url()).pathname === "/login/enrolement"; attempt++) {
    await page.getByLabel("Code à usage unique").fill(await nextCode(email));
    await submit(page, javaScript, page.getByRole("button", { name: "Activer et me connecter" }));
  }
  assert.equal(new URL(page.url()).pathname, "/compte/codes-de-secours", `the recovery codes after the enrolment of ${email}`);
  assert.equal(await page.locator(".recovery-codes li").count(), 10);
  await submit(page, javaScript, page.getByRole("link", { name: "J'ai noté mes codes, continuer" }));
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
