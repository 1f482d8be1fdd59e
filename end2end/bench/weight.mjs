// Benchmark, not a test (run by scripts/bench-weight.sh): bytes on the wire for a cold visit of five pages (empty
// cache, compressed as served, headers included, from Chromium's network log) and the time until each page is
// ready for the person (its islands awake) on an emulated slow link: 1.6 Mbit/s down, 750 kbit/s up, 150 ms RTT.
import { chromium } from "playwright-core";
import { BASE_URL, DEMO_PASSWORD, DEMO_TOTP_SECRET, totpAt } from "../tests/support.js";

const PARTNER = "partenaire.ccas-evry@example.org";
const CAISSE = "agent.cpam91@example.org";

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--disable-background-networking", "--no-first-run"],
});

/** The session cookies of `email`, signed in through the real forms: the password, then the code of the demo
 * accounts' app (of the current half-minute, or the next one when this one ends within 3 s). */
async function signedIn(email) {
  const context = await browser.newContext({ baseURL: BASE_URL });
  const page = await context.newPage();
  await page.goto("/login");
  await page.getByLabel("Adresse e-mail").fill(email);
  await page.getByLabel("Mot de passe").fill(DEMO_PASSWORD);
  await Promise.all([page.waitForURL((url) => url.pathname !== "/login"), page.getByRole("button", { name: "Se connecter" }).click()]);
  if (Date.now() % 30_000 > 27_000) await new Promise((resolve) => setTimeout(resolve, 30_500 - (Date.now() % 30_000)));
  await page.getByLabel("Code à usage unique").fill(totpAt(DEMO_TOTP_SECRET, Math.floor(Date.now() / 30_000)));
  await Promise.all([page.waitForURL((url) => url.pathname !== "/login/code"), page.getByRole("button", { name: "Valider" }).click()]);
  const state = await context.storageState();
  await context.close();
  return state;
}

/** A cold visit of `path`: bytes received and milliseconds until <body data-hydrated>, on the slow link. */
async function coldVisit(path, storageState) {
  const context = await browser.newContext({ baseURL: BASE_URL, storageState });
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send("Network.enable");
  await cdp.send("Network.setCacheDisabled", { cacheDisabled: true });
  await cdp.send("Network.emulateNetworkConditions", {
    offline: false, latency: 150, downloadThroughput: (1.6e6 / 8), uploadThroughput: (750e3 / 8),
  });
  let bytes = 0;
  let files = 0;
  cdp.on("Network.loadingFinished", (event) => { bytes += event.encodedDataLength; files += 1; });
  const started = Date.now();
  await page.goto(path, { waitUntil: "load" });
  // A page that sent the visitor to sign in would be measured in its place.
  if (new URL(page.url()).pathname !== path) throw new Error(`${path} led to ${page.url()}`);
  await page.waitForSelector("body[data-hydrated='true']", { timeout: 60_000 });
  const ready = Date.now() - started;
  await page.waitForLoadState("networkidle");
  await context.close();
  return { bytes, files, ready };
}

const partner = await signedIn(PARTNER);
const caisse = await signedIn(CAISSE);
const pages = [
  ["sign-in page", "/login", undefined],
  ["partner home", "/partenaire/demandes", partner],
  ["submission form (MAS referral)", "/partenaire/demandes/nouvelle/mas", partner],
  ["partner history", "/partenaire/historique", partner],
  ["caisse queue", "/caisse/file", caisse],
];
console.log("| page (cold visit) | files | bytes on the wire | ready on 1.6 Mbit/s, 150 ms RTT |");
console.log("|---|---|---|---|");
for (const [label, path, state] of pages) {
  const { bytes, files, ready } = await coldVisit(path, state);
  console.log(`| ${label} | ${files} | ${(bytes / 1024).toFixed(1)} KB | ${(ready / 1000).toFixed(2)} s |`);
}
await browser.close();
