// Sign-in journeys for every role, with JavaScript on (hydrated) and off (server-rendered forms),
// checking each page visited with axe-core (WCAG 2.1 A/AA).
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { DEMO_PASSWORD, expectAccessible, launch, signIn, signInRefused, waitForHydration, withPage } from "./support.js";

const ROLES = [
  { email: "partenaire.ccas-evry@example.org", home: "/partenaire/demandes", heading: "Mes demandes", shows: "CCAS d'Évry-Courcouronnes" },
  { email: "agent.cpam91@example.org", home: "/caisse/file", heading: "File des demandes", shows: "CPAM de l'Essonne" },
  { email: "admin.cpam91@example.org", home: "/admin", heading: "Administration", shows: "Mission locale de Grigny" },
];

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

for (const javaScript of [true, false]) {
  const mode = javaScript ? "JavaScript on" : "JavaScript off";

  describe(`sign-in (${mode})`, () => {
    for (const role of ROLES) {
      it(`${role.email} signs in, lands on ${role.home}, and signs out`, async () => {
        await withPage(browser, { javaScript }, async (page) => {
          await page.goto("/login");
          await expectAccessible(page);
          await signIn(page, role.email, { javaScript });
          await page.waitForURL(`**${role.home}`);
          await page.getByRole("heading", { level: 1, name: role.heading }).waitFor();
          assert.ok((await page.locator("main").innerText()).includes(role.shows));
          if (javaScript) await waitForHydration(page);
          await expectAccessible(page);

          await page.getByRole("button", { name: "Se déconnecter" }).click();
          await page.waitForURL("**/login?deconnecte=1");
          await page.getByText("Vous êtes déconnecté(e)").waitFor();
          await expectAccessible(page);

          // The session is gone: the home now asks to sign in again.
          await page.goto(role.home);
          assert.match(new URL(page.url()).pathname, /^\/login$/);
        });
      });
    }

    it("a wrong password shows one generic message and keeps the form usable", async () => {
      await withPage(browser, { javaScript }, async (page) => {
        const refused = await signInRefused(page, "agent.cpam91@example.org", { javaScript, password: "pas-le-bon-mot-de-passe" });
        assert.match(refused, /Adresse e-mail ou mot de passe incorrect\./);
        assert.equal(new URL(page.url()).pathname, "/login");
        assert.equal(await page.getByLabel("Adresse e-mail").inputValue(), "agent.cpam91@example.org", "nothing typed is lost");
        assert.equal(await page.getByLabel("Mot de passe").inputValue(), "", "a password never comes back in a page");
        await expectAccessible(page);
        // Then the right password works from the same page.
        await signIn(page, "agent.cpam91@example.org", { javaScript, password: DEMO_PASSWORD });
        await page.waitForURL("**/caisse/file");
      });
    });

    it("an empty form names each missing field, in the summary and next to the field", async () => {
      await withPage(browser, { javaScript }, async (page) => {
        await page.goto("/login");
        if (javaScript) await waitForHydration(page);
        await page.getByRole("button", { name: "Se connecter" }).click();
        const summary = page.getByRole("alert");
        await summary.waitFor();
        await summary.getByRole("link", { name: "Saisissez votre adresse e-mail." }).waitFor();
        await summary.getByRole("link", { name: "Saisissez votre mot de passe." }).waitFor();
        const email = page.getByLabel("Adresse e-mail");
        assert.equal(await email.getAttribute("aria-invalid"), "true");
        assert.match(await email.getAttribute("aria-describedby"), /email-error/);
        await expectAccessible(page);
      });
    });

    it("another role's page answers the French 403 page", async () => {
      await withPage(browser, { javaScript }, async (page) => {
        await signIn(page, "partenaire.ml-grigny@example.org", { javaScript });
        await page.waitForURL("**/partenaire/demandes");
        const response = await page.goto("/admin");
        assert.equal(response.status(), 403);
        await page.getByRole("heading", { level: 1, name: "Accès refusé" }).waitFor();
        await expectAccessible(page);
      });
    });

    it("a partner whose convention is suspended still reads the home and is told why", async () => {
      await withPage(browser, { javaScript }, async (page) => {
        await signIn(page, "partenaire.suspendu@example.org", { javaScript });
        await page.waitForURL("**/partenaire/demandes");
        await page.getByText("La convention de votre structure est suspendue").first().waitFor();
        await expectAccessible(page);
      });
    });

    it("an unknown page answers the French 404 page", async () => {
      await withPage(browser, { javaScript }, async (page) => {
        const response = await page.goto("/cette-page-n-existe-pas");
        assert.equal(response.status(), 404);
        await page.getByRole("heading", { level: 1, name: "Page introuvable" }).waitFor();
        await expectAccessible(page);
      });
    });
  });
}
