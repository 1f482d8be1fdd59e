// The caisse's triage, end to end, with JavaScript on and off: a partner sends a request, the agent finds it in
// the queue, takes it, asks for more; the partner answers; the agent closes it. Every page is checked with axe-core.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { expectAccessible, launch, open, signIn, waitForHydration, withPage } from "./support.js";

const PARTNER = "partenaire.ml-grigny@example.org";
const AGENT = "agent.cpam91@example.org";

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

/** Chooses an action in the decision form and records it, with an optional message. */
async function decide(page, javaScript, action, message) {
  await page.getByLabel(action).check();
  if (message) await page.getByLabel("Message à la structure ou motif").fill(message);
  // With or without JavaScript, a recorded action reloads the page.
  const reloaded = page.waitForNavigation();
  await page.getByRole("button", { name: "Enregistrer l'action" }).click();
  await reloaded;
  await page.getByText("L'action a été enregistrée.").waitFor();
  if (javaScript) await waitForHydration(page);
}

for (const javaScript of [true, false]) {
  const mode = javaScript ? "JavaScript on" : "JavaScript off";

  describe(`caisse triage (${mode})`, () => {
    it("takes a request, asks the partner for more, then closes it once answered", async () => {
      let reference;
      await withPage(browser, { javaScript }, async (page) => {
        await signIn(page, PARTNER, { javaScript });
        await open(page, "/partenaire/demandes/nouvelle/contact", javaScript);
        await page.getByLabel("Objet *").fill(`Dossier à compléter (${mode})`);
        await page.getByLabel("Message *").fill("Pouvez-vous étudier la situation de ce jeune ?");
        await page.getByRole("button", { name: "Envoyer la demande" }).click();
        await page.waitForURL(/\/envoyee$/);
        reference = (await page.locator(".reference").innerText()).trim();
      });

      await withPage(browser, { javaScript }, async (page) => {
        await signIn(page, AGENT, { javaScript });
        await page.waitForURL("**/caisse/file");
        if (javaScript) await waitForHydration(page);
        await expectAccessible(page);
        await page.getByRole("link", { name: reference }).click();
        await page.getByRole("heading", { level: 1, name: `Demande ${reference}` }).waitFor();
        if (javaScript) await waitForHydration(page);
        await expectAccessible(page);
        await decide(page, javaScript, "Prendre en charge");
        assert.match(await page.locator("main").innerText(), /Attribuée à\s+Julien Moreau/);
        await decide(page, javaScript, "Demander des compléments à la structure (message obligatoire)", "Merci de joindre une attestation d'hébergement.");
        assert.match(await page.locator("main").innerText(), /En attente de votre réponse/);
        await page.getByLabel("Message", { exact: true }).fill("Note : la mission locale relance le jeune jeudi.");
        await page.getByLabel("Note interne : jamais visible par la structure").check();
        const reloaded = page.waitForNavigation();
        await page.getByRole("button", { name: "Enregistrer", exact: true }).click();
        await reloaded;
        await page.getByText("Le message a été enregistré.").waitFor();
        await expectAccessible(page);
      });

      await withPage(browser, { javaScript }, async (page) => {
        await signIn(page, PARTNER, { javaScript });
        await open(page, `/partenaire/demandes/${reference}`, javaScript);
        const main = await page.locator("main").innerText();
        assert.match(main, /Merci de joindre une attestation d'hébergement\./);
        assert.doesNotMatch(main, /relance le jeune jeudi/, "internal notes stay inside the caisse");
        await page.getByLabel("Message *").fill("Attestation envoyée par courrier ce jour.");
        await page.getByRole("button", { name: "Envoyer le message" }).click();
        await page.getByText("Votre message a été envoyé à la caisse.").waitFor();
        assert.match(await page.locator("main").innerText(), /En cours de traitement/);
        await expectAccessible(page);
      });

      await withPage(browser, { javaScript }, async (page) => {
        await signIn(page, AGENT, { javaScript });
        await open(page, `/caisse/demandes/${reference}`, javaScript);
        await decide(page, javaScript, "Clôturer : demande traitée", "Situation étudiée, droits ouverts.");
        const main = await page.locator("main").innerText();
        assert.match(main, /Clôturée – traitée/);
        assert.doesNotMatch(main, /Traiter la demande/);
        await expectAccessible(page);
      });
    });
  });
}
