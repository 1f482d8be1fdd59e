// A colleague follows a request of their structure, then stops, with JavaScript on and off; axe-clean.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { expectAccessible, launch, open, signIn, submit, withPage } from "./support.js";

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

for (const javaScript of [true, false]) {
  const mode = javaScript ? "JavaScript on" : "JavaScript off";

  describe(`following a colleague's request (${mode})`, () => {
    it("asks to hear about it by e-mail, and stops", async () => {
      await withPage(browser, { javaScript }, async (page) => {
        await signIn(page, "partenaire.nouveau@example.org", { javaScript });
        await open(page, "/partenaire/historique", javaScript);
        const row = page.locator("tbody tr", { hasText: "Claire Martin" }).first();
        await open(page, await row.locator("th a").getAttribute("href"), javaScript);
        await page.getByRole("heading", { name: "Suivi par e-mail" }).waitFor();
        await expectAccessible(page);
        await submit(page, javaScript, page.getByRole("button", { name: "Suivre cette demande", exact: true }));
        await page.getByRole("status").getByText("Vous suivez cette demande").waitFor();
        await expectAccessible(page);
        await submit(page, javaScript, page.getByRole("button", { name: "Ne plus suivre cette demande" }));
        await page.getByText("Vous ne suivez plus cette demande.").waitFor();
        assert.equal(await page.getByRole("button", { name: "Suivre cette demande", exact: true }).count(), 1);
        await expectAccessible(page);
      });
    });
  });
}
