// The second factor, end to end with JavaScript on and off: the code step (a wrong code refused next to its field,
// the page axe-clean and read at 320 px), a lost phone (an admin resets it, the person enrols again from the QR page
// and notes the recovery codes, then signs in with one), the security page ending another session, and the idle
// time-out's warning (JS on: the alert dialog, Escape = stay) and extension button (JS off).
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import {
  BASE_URL,
  DEMO_PASSWORD,
  expectAccessible,
  launch,
  nextCode,
  open,
  rememberKey,
  screenshotAt320,
  signIn,
  submit,
  totpAt,
  withPage,
} from "./support.js";

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

/** Types the password of `email` on the sign-in page and lands on the second step's page. */
async function password(page, email, javaScript) {
  await open(page, "/login", javaScript);
  await page.getByLabel("Adresse e-mail").fill(email);
  await page.getByLabel("Mot de passe").fill(DEMO_PASSWORD);
  await submit(page, javaScript, page.getByRole("button", { name: "Se connecter" }));
}

for (const javaScript of [true, false]) {
  const mode = javaScript ? "JavaScript on" : "JavaScript off";

  describe(`second factor (${mode})`, () => {
    it("asks the app's code after the password and refuses a wrong one next to its field", async () => {
      const email = "partenaire.ml-grigny@example.org";
      await withPage(browser, { javaScript }, async (page) => {
        await password(page, email, javaScript);
        assert.equal(new URL(page.url()).pathname, "/login/code");
        const field = page.getByLabel("Code à usage unique");
        assert.equal(await field.getAttribute("autocomplete"), "one-time-code");
        assert.equal(await field.getAttribute("inputmode"), "numeric");
        await expectAccessible(page);
        if (javaScript) await screenshotAt320(page, "code");
        // Nothing is reached before the code.
        await open(page, "/partenaire/demandes", javaScript);
        assert.equal(new URL(page.url()).pathname, "/login");
        await page.goto("/login/code");
        const now = Math.floor(Date.now() / 30_000);
        const near = [now - 1, now, now + 1].map((step) => totpAt("JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP", step));
        const wrong = ["000000", "111111", "222222"].find((code) => !near.includes(code));
        await page.getByLabel("Code à usage unique").fill(wrong);
        await submit(page, javaScript, page.getByRole("button", { name: "Valider" }));
        await page.getByText("Code incorrect ou déjà utilisé").first().waitFor();
        await expectAccessible(page);
        for (let attempt = 0; attempt < 3 && new URL(page.url()).pathname === "/login/code"; attempt++) {
          await page.getByLabel("Code à usage unique").fill(await nextCode(email));
          await submit(page, javaScript, page.getByRole("button", { name: "Valider" }));
        }
        assert.equal(new URL(page.url()).pathname, "/partenaire/demandes");
      });
    });

    it("a lost phone: an admin resets it, the person enrols again and signs in with a recovery code", async () => {
      const email = "partenaire.suspendu@example.org";
      await withPage(browser, { javaScript }, async (page) => {
        await signIn(page, "admin.national@example.org", { javaScript });
        await open(page, `/admin/comptes?recherche=${encodeURIComponent(email)}`, javaScript);
        await submit(page, javaScript, page.getByRole("link", { name: "Aïcha Diallo" }));
        const reset = page.getByRole("button", { name: "Réinitialiser la double authentification" });
        if (await reset.count()) {
          await submit(page, javaScript, reset);
          await page.getByText("La double authentification a été réinitialisée").waitFor();
        }
        await expectAccessible(page);
      });
      let codes;
      await withPage(browser, { javaScript }, async (page) => {
        await password(page, email, javaScript);
        assert.equal(new URL(page.url()).pathname, "/login/enrolement");
        await page.getByRole("img", { name: /QR code/ }).waitFor();
        const key = (await page.locator(".secret-key code").innerText()).trim();
        assert.match(key, /^([A-Z2-7]{4} ){7}[A-Z2-7]{4}$/);
        rememberKey(email, key);
        await expectAccessible(page);
        if (javaScript) await screenshotAt320(page, "enrolement-qr");
        // A code typed as its half-minute ends may arrive in the next one: the next code then.
        for (let attempt = 0; attempt < 3 && new URL(page.url()).pathname === "/login/enrolement"; attempt++) {
          await page.getByLabel("Code à usage unique").fill(await nextCode(email));
          await submit(page, javaScript, page.getByRole("button", { name: "Activer et me connecter" }));
        }
        assert.equal(new URL(page.url()).pathname, "/compte/codes-de-secours");
        codes = await page.locator(".recovery-codes code").allInnerTexts();
        assert.equal(codes.length, 10);
        await expectAccessible(page);
        await submit(page, javaScript, page.getByRole("link", { name: "J'ai noté mes codes, continuer" }));
        assert.equal(new URL(page.url()).pathname, "/partenaire/demandes");
      });
      await withPage(browser, { javaScript }, async (page) => {
        await password(page, email, javaScript);
        await submit(page, javaScript, page.getByRole("link", { name: /Utiliser un code de secours/ }));
        await expectAccessible(page);
        await page.getByLabel("Code de secours").fill(codes[0]);
        await submit(page, javaScript, page.getByRole("button", { name: "Valider" }));
        assert.equal(new URL(page.url()).pathname, "/compte/securite");
        await page.getByText("Il vous en reste 9").waitFor();
        await expectAccessible(page);
      });
    });

    it("the security page ends another session of the person", async () => {
      const email = "partenaire.ccas-evry@example.org";
      await withPage(browser, { javaScript }, async (other) => {
        await signIn(other, email, { javaScript });
        await withPage(browser, { javaScript }, async (page) => {
          await signIn(page, email, { javaScript });
          await submit(page, javaScript, page.getByRole("link", { name: "Sécurité du compte" }));
          assert.equal(new URL(page.url()).pathname, "/compte/securite");
          await page.getByText("Cette session", { exact: true }).waitFor();
          await expectAccessible(page);
          const before = await page.getByRole("button", { name: "Mettre fin à cette session" }).count();
          assert.ok(before >= 1, "the other browser is listed");
          await submit(page, javaScript, page.getByRole("button", { name: "Mettre fin à toutes les autres" }));
          await page.getByText("Vos autres sessions ont été fermées.").waitFor();
          assert.equal(await page.getByRole("button", { name: "Mettre fin à cette session" }).count(), 0);
        });
        await open(other, "/partenaire/demandes", javaScript);
        assert.equal(new URL(other.url()).pathname, "/login", "the other browser is signed out at its next request");
      });
    });

    it("warns before the idle time-out and extends the session", async () => {
      await withPage(browser, { javaScript }, async (page) => {
        if (javaScript) await page.clock.install();
        await signIn(page, "admin.cpam59@example.org", { javaScript });
        const until = page.locator(".session-timer > form [data-session-until]");
        assert.match(await until.innerText(), /^\d\d:\d\d$/);
        if (javaScript) {
          const dialog = page.getByRole("alertdialog", { name: "Votre session va bientôt expirer" });
          assert.equal(await dialog.isVisible(), false);
          await page.clock.fastForward("28:30");
          await dialog.waitFor({ state: "visible" });
          assert.equal(await page.evaluate(() => document.activeElement?.textContent), "Rester connecté");
          await page.keyboard.press("Tab");
          assert.equal(await page.evaluate(() => document.activeElement?.textContent), "Se déconnecter", "focus stays in the dialog");
          await page.keyboard.press("Tab");
          assert.equal(await page.evaluate(() => document.activeElement?.textContent), "Rester connecté");
          await page.keyboard.press("Escape");
          await dialog.waitFor({ state: "hidden" });
          assert.equal(new URL(page.url()).pathname, "/admin", "still here, still signed in");
        } else {
          await submit(page, javaScript, page.getByRole("button", { name: "Prolonger la session" }));
          assert.equal(new URL(page.url()).pathname, "/admin", "back on the page it was on");
          assert.match(await until.innerText(), /^\d\d:\d\d$/);
        }
        await open(page, "/admin", javaScript);
        assert.ok(await page.getByRole("button", { name: "Se déconnecter" }).first().isVisible(), `signed in at ${BASE_URL}`);
        await expectAccessible(page);
      });
    });
  });
}
