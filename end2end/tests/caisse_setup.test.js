// What a caisse sets up for its own work, end to end with JavaScript on and off: an agent writes a canned reply
// and uses it to answer a request; an admin changes an answer budget. Every page is checked with axe-core.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { expectAccessible, launch, open, signIn, submit, waitForHydration, withPage } from "./support.js";

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

for (const javaScript of [true, false]) {
  const mode = javaScript ? "JavaScript on" : "JavaScript off";

  describe(`caisse set-up (${mode})`, () => {
    it("an agent writes a canned reply, then starts a reply from it", async () => {
      const title = `Justificatifs de résidence (${mode})`;
      const text = `Merci de nous transmettre une facture de moins de trois mois (${mode}).`;
      await withPage(browser, { javaScript }, async (page) => {
        await signIn(page, javaScript ? "agent.cpam91@example.org" : "agent.mas91@example.org", { javaScript });
        await open(page, "/caisse/reponses-types", javaScript);
        await expectAccessible(page);
        const create = page.locator("section", { has: page.getByRole("heading", { name: "Ajouter une réponse type" }) });
        // A refused form comes back from the server (a plain post, JavaScript or not).
        await submit(page, javaScript, create.getByRole("button", { name: "Ajouter la réponse type" }));
        await page.getByText("Saisissez un titre.").first().waitFor();
        await expectAccessible(page);
        await create.getByLabel("Titre").fill(title);
        await create.getByLabel("Texte de la réponse").fill(text);
        await submit(page, javaScript, create.getByRole("button", { name: "Ajouter la réponse type" }));
        assert.match(await page.locator("main").innerText(), new RegExp(title.replace(/[()]/g, "\\$&")));

        await open(page, "/caisse/file", javaScript);
        const first = page.locator("tbody tr th a").first();
        await open(page, await first.getAttribute("href"), javaScript);
        await page.getByLabel("Partir d'une réponse type").selectOption({ label: title });
        await page.getByRole("button", { name: "Utiliser cette réponse" }).click();
        await page.waitForURL(/modele=/);
        if (javaScript) await waitForHydration(page);
        assert.equal(await page.getByLabel("Message", { exact: true }).inputValue(), text);
        await expectAccessible(page);
      });
    });

    it("an admin changes the answer budget of a kind of request", async () => {
      await withPage(browser, { javaScript }, async (page) => {
        await signIn(page, "admin.cpam91@example.org", { javaScript });
        await open(page, "/admin/delais", javaScript);
        await expectAccessible(page);
        const field = page.getByLabel("Message à la caisse");
        await field.fill("0");
        await page.getByRole("button", { name: "Enregistrer les délais" }).click();
        await page.getByRole("alert").first().waitFor();
        await expectAccessible(page);
        await page.getByLabel("Message à la caisse").fill(javaScript ? "3" : "4");
        await submit(page, javaScript, page.getByRole("button", { name: "Enregistrer les délais" }));
        await page.getByText("Les délais ont été enregistrés.").waitFor();
        assert.equal(await page.getByLabel("Message à la caisse").inputValue(), javaScript ? "3" : "4");
        await expectAccessible(page);

        // The e-mails that did not go out (none here).
        await open(page, "/admin/courriels", javaScript);
        await page.getByRole("heading", { level: 1, name: "Courriels non distribués" }).waitFor();
        await expectAccessible(page);
      });
    });
  });
}
