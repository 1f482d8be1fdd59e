// Changing one's password at /compte/mot-de-passe, with JavaScript on and off: a common password is refused with
// its reason next to the field, then a strong one is accepted, the old one stops working and the new one signs in.
// Every page is checked with axe-core; the journey ends by putting the demo password back.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { DEMO_PASSWORD, expectAccessible, open, launch, signIn, signInRefused, submit, withPage } from "./support.js";

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

const STRONG = "Quatre chevaux bleus dansent sous la pluie de Fourmies";

/** Fills the form and sends it (a plain post, JavaScript or not), accepted or refused. */
async function change(page, javaScript, current, next) {
  await open(page, "/compte/mot-de-passe", javaScript);
  await page.locator("#current").fill(current);
  await page.locator("#password").fill(next);
  await page.locator("#confirmation").fill(next);
  const button = page.getByRole("button", { name: "Changer le mot de passe" });
  await submit(page, javaScript, button);
}

for (const javaScript of [true, false]) {
  const mode = javaScript ? "JavaScript on" : "JavaScript off";
  const email = javaScript ? "agent.mas91@example.org" : "agent.cpam59@example.org";

  describe(`changing one's password (${mode})`, () => {
    it("refuses a common password, accepts a strong one, and only the new one signs in afterwards", async () => {
      await withPage(browser, { javaScript }, async (page) => {
        await signIn(page, email, { javaScript });
        await page.waitForURL("**/caisse/file");
        await page.getByRole("link", { name: "Sécurité du compte" }).first().click();
        await page.getByRole("heading", { level: 1, name: "Sécurité du compte" }).waitFor();
        await page.getByRole("link", { name: "Changer de mot de passe" }).first().click();
        await page.getByRole("heading", { level: 1, name: "Changer de mot de passe" }).waitFor();
        await expectAccessible(page);

        await change(page, javaScript, DEMO_PASSWORD, "Motdepasse2026");
        await page.getByText("fait partie des plus courants").first().waitFor();
        assert.match(page.url(), /\/compte\/mot-de-passe/);
        await expectAccessible(page);

        await change(page, javaScript, DEMO_PASSWORD, STRONG);
        await page.getByText("Votre mot de passe a été changé.").waitFor();
        await expectAccessible(page);
      });
      await withPage(browser, { javaScript }, async (page) => {
        assert.match(await signInRefused(page, email, { javaScript }), /Adresse e-mail ou mot de passe incorrect\./);
        await signIn(page, email, { javaScript, password: STRONG });
        await page.waitForURL("**/caisse/file");
        // Back to the demo password, so that the other journeys keep signing in.
        await change(page, javaScript, STRONG, DEMO_PASSWORD);
        await page.getByText("Votre mot de passe a été changé.").waitFor();
      });
    });
  });
}
