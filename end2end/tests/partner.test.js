// The partner's five functions, end to end, with JavaScript on (hydrated) and off (plain forms):
// contact, MAS referral (with a wrong NIR corrected), appointment, dossier study with a file, history and
// withdrawal; every page visited is checked with axe-core (WCAG 2.1 A/AA).
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { expectAccessible, launch, open, signIn, waitForHydration, withPage } from "./support.js";

const PARTNER = "partenaire.ccas-evry@example.org";
const PDF = Buffer.from("%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n");

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

/** Fills the assuré block. */
async function fillAssure(page, { lastName, firstNames, nir }) {
  await page.getByLabel("Nom *", { exact: true }).fill(lastName);
  await page.getByLabel("Prénoms *", { exact: true }).fill(firstNames);
  await page.getByLabel("Date de naissance *").fill("1984-12-03");
  if (nir) await page.getByLabel("Numéro de sécurité sociale (NIR)").fill(nir);
  await page.getByLabel(/a donné son accord/).check();
  await page.getByLabel("Comment l'accord a été recueilli *").selectOption("oral");
}

/** Sends the form and returns the reference shown on the confirmation page. */
async function sendAndConfirm(page, javaScript) {
  await page.getByRole("button", { name: "Envoyer la demande" }).click();
  await page.waitForURL(/\/partenaire\/demandes\/EP-\d{4}-\d{6}\/envoyee$/);
  if (javaScript) await waitForHydration(page);
  await page.getByRole("heading", { level: 1, name: "Votre demande a été envoyée" }).waitFor();
  const reference = (await page.locator(".reference").innerText()).trim();
  assert.match(reference, /^EP-\d{4}-\d{6}$/);
  assert.match(await page.locator("main").innerText(), /Statut : Envoyée/);
  await expectAccessible(page);
  return reference;
}

for (const javaScript of [true, false]) {
  const mode = javaScript ? "JavaScript on" : "JavaScript off";
  // Each mode accompanies its own assuré, so the duplicate guard stays out of the way.
  const person = javaScript
    ? { lastName: "Durand", firstNames: "Odette", nir: "1 84 12 76 451 089 46" }
    : { lastName: "Sansscript", firstNames: "Léon", nir: "2 84 12 76 451 089 93" };

  describe(`partner functions (${mode})`, () => {
    it("contacts the caisse from the home page and gets a reference", async () => {
      await withPage(browser, { javaScript }, async (page) => {
        await signIn(page, PARTNER, { javaScript });
        await page.waitForURL("**/partenaire/demandes");
        await page.getByRole("link", { name: "Contacter la caisse" }).click();
        await page.waitForURL("**/partenaire/demandes/nouvelle/contact");
        if (javaScript) await waitForHydration(page);
        await expectAccessible(page);
        await page.getByLabel("Objet *").fill(`Question sur un remboursement (${mode})`);
        await page.getByLabel("Message *").fill("Bonjour, pouvez-vous rappeler notre conseillère ?");
        const reference = await sendAndConfirm(page, javaScript);
        await page.getByRole("link", { name: "Voir la demande" }).click();
        await page.getByRole("heading", { level: 1, name: `Demande ${reference}` }).waitFor();
        if (javaScript) await waitForHydration(page);
        await expectAccessible(page);
      });
    });

    it("refers an assuré to the MAS, correcting a wrong NIR without losing anything", async () => {
      let reference;
      await withPage(browser, { javaScript }, async (page) => {
        await signIn(page, PARTNER, { javaScript });
        await open(page, "/partenaire/demandes/nouvelle/mas", javaScript);
        await page.getByLabel("Difficultés d'accès aux droits").check();
        await page.getByLabel("Description de la situation *").fill("Droits fermés depuis deux mois, soins reportés.");
        await page.getByLabel("Normale").check();
        await page.getByLabel("Par l'intermédiaire de notre structure").check();
        await page.getByLabel("Quand le joindre *").fill("Le lundi après-midi");
        await fillAssure(page, { ...person, nir: person.nir.slice(0, -1) + "0" });
        const nirError = page.locator("#nir-error");
        if (javaScript) {
          // The page checks the key as you type, with the same rule as the server.
          await nirError.waitFor();
          assert.match(await nirError.innerText(), /Clé invalide/);
        }
        await page.getByRole("button", { name: "Envoyer la demande" }).click();
        const summary = page.getByRole("alert").filter({ hasText: "Le formulaire contient des erreurs" });
        await summary.waitFor();
        assert.match(await summary.innerText(), /Clé invalide/);
        if (javaScript) await waitForHydration(page);
        assert.equal(await page.getByLabel("Description de la situation *").inputValue(), "Droits fermés depuis deux mois, soins reportés.");
        assert.equal(await page.getByLabel("Nom *", { exact: true }).inputValue(), person.lastName);
        await expectAccessible(page);

        await page.getByLabel("Numéro de sécurité sociale (NIR)").fill(person.nir);
        if (javaScript) await nirError.waitFor({ state: "detached" });
        await page.getByLabel(/a donné son accord/).check();
        reference = await sendAndConfirm(page, javaScript);
      });
      // The caisse's agent reads the NIR masked, and in full after one (audited) click, with JavaScript or not.
      await withPage(browser, { javaScript }, async (page) => {
        await signIn(page, "agent.cpam91@example.org", { javaScript });
        await open(page, `/caisse/demandes/${reference}`, javaScript);
        assert.doesNotMatch(await page.locator("main").innerText(), /451 089/);
        await page.getByRole("link", { name: "Afficher le NIR complet (consultation tracée)" }).click();
        await page.waitForURL(/\?nir=complet$/);
        if (javaScript) await waitForHydration(page);
        await page.getByText(person.nir, { exact: true }).waitFor();
        await expectAccessible(page);
      });
    });

    it("requests an appointment at an accueil for an assuré who is not autonomous", async () => {
      await withPage(browser, { javaScript }, async (page) => {
        await signIn(page, PARTNER, { javaScript });
        await open(page, "/partenaire/demandes/nouvelle/rendez-vous", javaScript);
        await expectAccessible(page);
        await page.getByLabel("L'assuré ne peut pas effectuer ses démarches seul *").check();
        await page.getByLabel("L'assuré n'a pas de compte ameli *").check();
        await page.getByLabel("Objet du rendez-vous *").fill("Ouvrir ses droits à la PUMa");
        await page.getByLabel(/Accueil de Massy/).check();
        await page.getByLabel("Disponibilités de l'assuré *").fill("Le mardi matin");
        await page.getByLabel("Un accès adapté à une personne à mobilité réduite").check();
        await fillAssure(page, { ...person, firstNames: `${person.firstNames} Rdv` });
        await sendAndConfirm(page, javaScript);
      });
    });

    it("asks for a dossier study with the expected documents and a file", async () => {
      await withPage(browser, { javaScript }, async (page) => {
        await signIn(page, PARTNER, { javaScript });
        await open(page, "/partenaire/demandes/nouvelle/etude-dossier", javaScript);
        await page.getByLabel("Type de dossier *").selectOption("c2s");
        const checklist = page.getByRole("group", { name: /Complémentaire santé solidaire/ });
        await checklist.getByLabel("Avis d'imposition ou de non-imposition").check();
        if (javaScript) {
          // Only the chosen type's checklist is shown.
          assert.equal(await page.getByRole("group", { name: /Protection universelle maladie/ }).isVisible(), false);
        }
        await fillAssure(page, { ...person, firstNames: `${person.firstNames} Css` });
        await page.getByLabel("Ajouter des fichiers").setInputFiles({ name: "avis-imposition.pdf", mimeType: "application/pdf", buffer: PDF });
        await expectAccessible(page);
        const reference = await sendAndConfirm(page, javaScript);
        await open(page, `/partenaire/demandes/${reference}`, javaScript);
        const main = await page.locator("main").innerText();
        assert.match(main, /avis-imposition\.pdf/);
        assert.match(main, /Avis d'imposition ou de non-imposition/);
        assert.doesNotMatch(main, /451 089/, "the NIR is shown masked");
      });
    });

    it("finds a request in the history and withdraws it", async () => {
      await withPage(browser, { javaScript }, async (page) => {
        await signIn(page, PARTNER, { javaScript });
        await open(page, "/partenaire/demandes/nouvelle/contact", javaScript);
        await page.getByLabel("Objet *").fill(`Envoyée par erreur (${mode})`);
        await page.getByLabel("Message *").fill("À retirer.");
        const reference = await sendAndConfirm(page, javaScript);

        await open(page, "/partenaire/historique", javaScript);
        await expectAccessible(page);
        await page.getByLabel("Référence ou nom de l'assuré").fill(reference);
        await page.getByRole("button", { name: "Filtrer" }).click();
        await page.waitForURL(/\/partenaire\/historique\?/);
        const row = page.getByRole("row").filter({ hasText: reference });
        await row.waitFor();
        assert.equal(await page.getByRole("row").count(), 2, "the header and the one request");
        // The same filters as a CSV file: the one request, no NIR.
        const csv = await page.request.get(await page.getByRole("link", { name: "Télécharger en CSV" }).getAttribute("href"));
        assert.equal(csv.status(), 200);
        assert.match(csv.headers()["content-type"], /^text\/csv/);
        const rows = (await csv.text()).trim().split("\r\n");
        assert.equal(rows.length, 2, "the header and the one request");
        assert.match(rows[1], new RegExp(reference));
        await row.getByRole("link", { name: reference }).click();
        await page.getByRole("heading", { level: 1, name: `Demande ${reference}` }).waitFor();
        if (javaScript) await waitForHydration(page);

        await page.getByLabel("Motif (facultatif)").fill("Envoyée deux fois");
        // The box that confirms the withdrawal is required: without it the browser does not send the form.
        await page.getByRole("button", { name: "Retirer la demande" }).click();
        assert.equal(await page.getByLabel("Je confirme retirer cette demande : la caisse ne la traitera pas.").evaluate((box) => box.validity.valueMissing), true);
        assert.match(await page.locator("main").innerText(), /Retirer la demande/);
        await page.getByLabel("Je confirme retirer cette demande : la caisse ne la traitera pas.").check();
        await page.getByRole("button", { name: "Retirer la demande" }).click();
        await page.getByText("La demande a été retirée").waitFor();
        assert.match(await page.locator("main").innerText(), /Retirée/);
        await expectAccessible(page);
      });
    });
  });
}
