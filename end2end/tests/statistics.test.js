// The caisse's statistics, end to end with JavaScript on and off: an agent reads the dashboard (charts with their
// tables), narrows it to a kind of request through the filters' form, downloads a table as CSV and the queue as ODS;
// a download too large to answer at once is prepared in the background, followed on its page and downloaded (its
// asker's alone); an admin reaches the dashboard from the navigation; a partner is refused. Every page is checked
// with axe-core (and at 320 px), and screenshots of the caisse's, a partner's and the public page at 320 px are kept.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { expectAccessible, launch, screenshotAt320, signIn, submit, waitForHydration, withPage } from "./support.js";

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

for (const javaScript of [true, false]) {
  const mode = javaScript ? "JavaScript on" : "JavaScript off";

  describe(`statistics (${mode})`, () => {
    it("an agent reads the figures, narrows them to one kind and downloads a table", async () => {
      await withPage(browser, { javaScript }, async (page) => {
        await signIn(page, "agent.cpam91@example.org", { javaScript });
        await page.getByRole("link", { name: "Statistiques" }).click();
        await page.waitForURL(/\/caisse\/statistiques$/);
        await page.getByRole("heading", { name: "Statistiques", level: 1 }).waitFor();
        const main = page.locator("main");
        assert.match(await main.innerText(), /CPAM de l'Essonne – les 12 derniers mois/);
        assert.match(await main.innerText(), /demandes reçues sur la période/);
        // Each chart is an image with its own title and description, and its numbers as a table.
        const chart = page.getByRole("img", { name: "Demandes reçues par mois, par type" });
        await chart.waitFor();
        assert.ok((await chart.locator("desc").textContent()).includes("demandes reçues sur la période"));
        await page.getByText("Données du graphique « Demandes reçues par mois, par type » (tableau)").click();
        const table = page.getByRole("table", { name: "Demandes reçues par mois, par type (demandes)" });
        await table.waitFor();
        assert.equal(await table.locator("thead th").first().textContent(), "Mois");
        assert.equal(await table.locator("tbody tr").count(), 12);
        await expectAccessible(page);
        if (javaScript) {
          await screenshotAt320(page, "statistiques");
        }

        // Narrowed to MAS referrals: the kinds' chart has that one series left.
        await page.getByLabel("Type de demande").selectOption({ label: "Saisine MAS" });
        await submit(page, javaScript, page.getByRole("button", { name: "Afficher" }));
        await page.waitForURL(/type=mas_referral/);
        await page.getByText("Données du graphique « Demandes reçues par mois, par type » (tableau)").click();
        const headers = await page.getByRole("table", { name: "Demandes reçues par mois, par type (demandes)" }).locator("thead th").allTextContents();
        assert.deepEqual(headers, ["Mois", "Saisine MAS"]);
        await expectAccessible(page);

        // A table downloads as CSV, with the same filters.
        const link = page.getByRole("link", { name: "Télécharger « Délais de traitement, en jours ouvrés » (CSV)" });
        const href = await link.getAttribute("href");
        assert.match(href, /^\/caisse\/statistiques\.csv\?.*type=mas_referral.*tableau=delais/);
        const response = await page.request.get(href);
        assert.equal(response.status(), 200);
        assert.match(response.headers()["content-type"], /^text\/csv/);
        const csv = await response.text();
        assert.ok(csv.startsWith("\ufeff\"Type de demande\";\"Délai cible\""), csv.slice(0, 80));
        assert.match(csv, /"Saisine MAS";"5 jours"/);

        // The queue's requests, with its filters, as a spreadsheet.
        await page.goto("/caisse/file?type=contact");
        const queueHref = await page.getByRole("link", { name: "ODS", exact: true }).getAttribute("href");
        assert.equal(queueHref, "/caisse/file.ods?type=contact");
        const ods = await page.request.get(queueHref);
        assert.equal(ods.status(), 200);
        assert.equal(ods.headers()["content-type"], "application/vnd.oasis.opendocument.spreadsheet");
        assert.equal((await ods.body()).subarray(30, 38).toString(), "mimetype");
        await expectAccessible(page);
      });
    });

    it("a large download of the queue is prepared in the background, then downloaded by its asker alone", async () => {
      let exportPage;
      await withPage(browser, { javaScript }, async (page) => {
        await signIn(page, "agent.cpam91@example.org", { javaScript });
        // Every request of the caisse: more than the 20 rows the test server answers at once.
        await page.goto("/caisse/file?statut=all");
        await page.getByRole("link", { name: "XLSX", exact: true }).click();
        await page.waitForURL(/\/compte\/exports\/[0-9a-f-]+$/);
        exportPage = new URL(page.url()).pathname;
        assert.match(await page.locator("main").innerText(), /File des demandes au format XLSX, demandé le/);
        const ready = page.getByText(/Le fichier est prêt : [\d\u202f]+ lignes\./);
        if (javaScript) {
          // The page asks by itself until the file is ready.
          await waitForHydration(page);
          await ready.waitFor({ timeout: 30_000 });
        } else {
          for (let i = 0; i < 60 && !(await ready.isVisible()); i++) {
            await page.waitForTimeout(500);
            await Promise.all([page.waitForNavigation(), page.getByRole("link", { name: "actualisez-la" }).click()]);
          }
          await ready.waitFor();
        }
        await expectAccessible(page);
        const downloaded = page.waitForEvent("download");
        await page.getByRole("link", { name: "Télécharger le fichier (XLSX)" }).click();
        const file = await downloaded;
        assert.equal(file.suggestedFilename(), "file-des-demandes.xlsx");
      });
      // Another agent of the same caisse does not find it.
      await withPage(browser, { javaScript }, async (page) => {
        await signIn(page, "agent.mas91@example.org", { javaScript });
        const response = await page.goto(exportPage);
        assert.equal(response.status(), 404);
        await expectAccessible(page);
      });
    });

    it("an admin reaches it from the navigation; a partner is refused", async () => {
      await withPage(browser, { javaScript }, async (page) => {
        await signIn(page, "admin.cpam91@example.org", { javaScript });
        await page.getByRole("link", { name: "Statistiques" }).click();
        await page.waitForURL(/\/caisse\/statistiques$/);
        assert.match(await page.locator("main").innerText(), /CPAM de l'Essonne/);
        await expectAccessible(page);
      });
      await withPage(browser, { javaScript }, async (page) => {
        await signIn(page, "partenaire.ccas-evry@example.org", { javaScript });
        const response = await page.goto("/caisse/statistiques");
        assert.equal(response.status(), 403);
        await expectAccessible(page);
      });
    });

    it("a partner reads its structure's figures and, before sending, the caisse's usual delay", async () => {
      await withPage(browser, { javaScript }, async (page) => {
        await signIn(page, "partenaire.ccas-evry@example.org", { javaScript });
        await page.getByRole("link", { name: "Statistiques" }).click();
        await page.waitForURL(/\/partenaire\/statistiques$/);
        const main = await page.locator("main").innerText();
        assert.match(main, /CCAS d'Évry-Courcouronnes/);
        assert.match(main, /demandes envoyées sur la période/);
        assert.doesNotMatch(main, /Type de structure/);
        await page.getByRole("table", { name: /Délai habituel de première réponse de la caisse/ }).waitFor();
        await expectAccessible(page);
        if (javaScript) await screenshotAt320(page, "statistiques-partenaire");
        await page.goto("/partenaire/demandes/nouvelle/contact");
        assert.match(await page.locator("main").innerText(), /Délai habituel de réponse : \d+ jours? ouvrés/);
      });
    });

    it("anyone reads a caisse's yearly figures, small counts hidden", async () => {
      await withPage(browser, { javaScript }, async (page) => {
        const response = await page.goto("/statistiques/091");
        assert.equal(response.status(), 200);
        await page.getByRole("heading", { level: 1, name: /CPAM de l'Essonne/ }).waitFor();
        await page.getByRole("table", { name: "Demandes reçues par année et par type" }).waitFor();
        assert.match(await page.locator("main").innerText(), /inférieur à 10 est indiqué « < 10 »/);
        await expectAccessible(page);
        if (javaScript) await screenshotAt320(page, "statistiques-publiques");
      });
    });
  });
}
