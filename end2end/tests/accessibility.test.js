// The accessibility statement, end to end with JavaScript on and off: reached from the footer of any page, signed in
// or not; a national admin edits it (a refused text comes back with its error). Every page is checked with axe-core.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { expectAccessible, launch, open, screenshotAt320, signIn, submit, withPage } from "./support.js";

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

for (const javaScript of [true, false]) {
  const mode = javaScript ? "JavaScript on" : "JavaScript off";

  describe(`accessibility statement (${mode})`, () => {
    it("is one click away from the footer, signed in or not", async () => {
      await withPage(browser, { javaScript }, async (page) => {
        await open(page, "/login", javaScript);
        await submit(page, javaScript, page.locator("footer").getByRole("link", { name: "Accessibilité : partiellement conforme" }));
        assert.equal(new URL(page.url()).pathname, "/accessibilite");
        await page.getByRole("heading", { level: 1, name: "Déclaration d'accessibilité" }).waitFor();
        await expectAccessible(page);
        if (javaScript) await screenshotAt320(page, "accessibilite");
        await signIn(page, "partenaire.ccas-evry@example.org", { javaScript });
        await submit(page, javaScript, page.locator("footer").getByRole("link", { name: "Accessibilité : partiellement conforme" }));
        assert.equal(new URL(page.url()).pathname, "/accessibilite");
      });
    });

    it("a national admin edits it", async () => {
      const marker = `Audit prévu au premier semestre (${mode}).`;
      await withPage(browser, { javaScript }, async (page) => {
        await signIn(page, "admin.national@example.org", { javaScript });
        await open(page, "/accessibilite", javaScript);
        await submit(page, javaScript, page.getByRole("link", { name: "Modifier la déclaration" }));
        await expectAccessible(page);
        const field = page.getByLabel("Texte de la déclaration");
        await field.fill("Sans intertitre.");
        await submit(page, javaScript, page.getByRole("button", { name: "Enregistrer la déclaration" }));
        await page.getByText("Gardez au moins un intertitre").first().waitFor();
        assert.equal(await page.getByLabel("Texte de la déclaration").inputValue(), "Sans intertitre.");
        await expectAccessible(page);
        await page.getByLabel("Texte de la déclaration").fill(
          `## État de conformité\nPartiellement conforme au RGAA 4.1.\n\n## Résultats des tests\n${marker}\n\n## Voies de recours\n- Défenseur des droits`,
        );
        await submit(page, javaScript, page.getByRole("button", { name: "Enregistrer la déclaration" }));
        await page.getByText("La déclaration a été enregistrée.").waitFor();
        assert.match(await page.locator("main").innerText(), new RegExp(marker.replace(/[()]/g, "\\$&")));
        await expectAccessible(page);
      });
    });
  });
}
