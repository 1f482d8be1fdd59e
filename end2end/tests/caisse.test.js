// The caisse's triage, end to end, with JavaScript on and off: a partner sends a request, the agent finds it in
// the queue (searching it by reference), takes it, asks for more; the partner finds it first on its home and
// answers; the agent books an appointment, which the partner sees and downloads as a calendar file; the partner asks
// for another date and the agent moves it; the agent records it held, which closes the request. Every page is
// checked with axe-core.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { expectAccessible, launch, open, signIn, submit, waitForHydration, withPage } from "./support.js";

const PARTNER = "partenaire.ml-grigny@example.org";
const AGENT = "agent.cpam91@example.org";

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

/** Chooses an action in the decision form and records it, with an optional message and other fields. */
async function decide(page, javaScript, action, message, fill = async () => {}) {
  await page.getByLabel(action).check();
  if (message) await page.getByLabel("Message à la structure ou motif").fill(message);
  await fill();
  // With or without JavaScript, a recorded action reloads the page.
  await submit(page, javaScript, page.getByRole("button", { name: "Enregistrer l'action" }));
  await page.getByText("L'action a été enregistrée.").waitFor();
}

/** At 1280 px the queue shows its columns without scrolling or clipping, and no cell takes more than two lines. */
async function expectQueueFitsWideScreen(page) {
  const size = page.viewportSize();
  await page.setViewportSize({ width: 1280, height: 800 });
  try {
    const fit = await page.evaluate(() => {
      // The lines of text a cell shows: the distinct tops of its text's line boxes.
      const lines = (cell) => {
        const tops = [];
        const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
        while (walker.nextNode()) {
          const range = document.createRange();
          range.selectNodeContents(walker.currentNode);
          for (const box of range.getClientRects()) {
            if (box.width > 0 && !tops.some((top) => Math.abs(top - box.top) < 4)) tops.push(box.top);
          }
        }
        return tops.length;
      };
      const region = document.querySelector(".queue");
      const rows = [...region.querySelectorAll("tbody tr")];
      const reference = (row) => row.querySelector("th a").textContent.trim();
      return {
        rows: rows.length,
        scrolls: region.scrollWidth > region.clientWidth,
        tall: rows.filter((row) => [...row.cells].some((cell) => lines(cell) > 2)).map(reference),
        clipped: rows.filter((row) => [...row.cells].some((cell) => cell.scrollWidth > cell.clientWidth)).map(reference),
      };
    });
    assert.ok(fit.rows > 0, "the queue lists requests");
    assert.ok(!fit.scrolls, "the queue scrolls sideways at 1280 px");
    assert.deepEqual(fit.tall, [], "queue rows over two lines at 1280 px");
    assert.deepEqual(fit.clipped, [], "queue cells too narrow for what they show at 1280 px");
  } finally {
    if (size) await page.setViewportSize(size);
  }
}

/** A Tuesday at least two days ahead that is no public holiday (Tuesdays only meet the fixed-date ones). */
function nextTuesday() {
  const fixed = ["01-01", "05-01", "05-08", "07-14", "08-15", "11-01", "11-11", "12-25"];
  const day = new Date();
  day.setDate(day.getDate() + 2);
  for (;;) {
    const iso = `${day.getFullYear()}-${String(day.getMonth() + 1).padStart(2, "0")}-${String(day.getDate()).padStart(2, "0")}`;
    if (day.getDay() === 2 && !fixed.includes(iso.slice(5))) return iso;
    day.setDate(day.getDate() + 1);
  }
}

for (const javaScript of [true, false]) {
  const mode = javaScript ? "JavaScript on" : "JavaScript off";

  describe(`caisse triage (${mode})`, () => {
    it("takes a request, asks the partner for more, books an appointment once answered, moves it at the partner's request, and closes it when held", async () => {
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
        await expectQueueFitsWideScreen(page);
        if (javaScript) await waitForHydration(page);
        await expectAccessible(page);
        // The search box finds it by its reference (posted, then back to the queue searched).
        await page.getByRole("textbox", { name: "Rechercher une demande" }).fill(reference.toLowerCase());
        await submit(page, javaScript, page.getByRole("button", { name: "Rechercher", exact: true }));
        assert.match(page.url(), /\/caisse\/file\?q=/);
        assert.equal(await page.locator("#queue-table tbody tr").count(), 1);
        await expectAccessible(page);
        await page.getByRole("link", { name: reference }).click();
        await page.getByRole("heading", { level: 1, name: `Demande ${reference}` }).waitFor();
        if (javaScript) await waitForHydration(page);
        await expectAccessible(page);
        // The full NIR is one audited click away (a contact carries none: this one has no link).
        assert.equal(await page.getByRole("link", { name: /Afficher le NIR complet/ }).count(), 0);
        await decide(page, javaScript, "Prendre en charge");
        assert.match(await page.locator("main").innerText(), /Attribuée à\s+Julien Moreau/);
        await decide(page, javaScript, "Demander des compléments à la structure (message obligatoire)", "Merci de joindre une attestation d'hébergement.");
        // The caisse reads the wait in its own words (the partner reads « En attente de votre réponse »).
        assert.match(await page.locator("main").innerText(), /En attente du partenaire/);
        await page.getByLabel("Message", { exact: true }).fill("Note : la mission locale relance le jeune jeudi.");
        await page.getByLabel("Note interne : jamais visible par la structure").check();
        await submit(page, javaScript, page.getByRole("button", { name: "Enregistrer", exact: true }));
        await page.getByText("Le message a été enregistré.").waitFor();
        await expectAccessible(page);
      });

      await withPage(browser, { javaScript }, async (page) => {
        await signIn(page, PARTNER, { javaScript });
        // The home lists first what awaits the structure's answer, with the caisse's question; the header counts it.
        await open(page, "/partenaire/demandes", javaScript);
        const toDo = page.getByRole("region", { name: /^À traiter/ });
        assert.match(await toDo.innerText(), /Merci de joindre une attestation d'hébergement\./);
        assert.match(await page.getByRole("navigation", { name: "Navigation principale" }).innerText(), /Mes demandes\s+\d+/);
        await expectAccessible(page);
        await toDo.getByRole("link", { name: `Répondre à la demande ${reference}` }).click();
        await page.waitForURL(new RegExp(`/partenaire/demandes/${reference}#repondre$`));
        if (javaScript) await waitForHydration(page);
        const main = await page.locator("main").innerText();
        assert.match(main, /En attente de votre réponse/);
        assert.match(main, /Merci de joindre une attestation d'hébergement\./);
        assert.doesNotMatch(main, /relance le jeune jeudi/, "internal notes stay inside the caisse");
        await page.getByLabel("Message *").fill("Attestation envoyée par courrier ce jour.");
        await page.getByRole("button", { name: "Envoyer le message" }).click();
        await page.getByText("Votre message a été envoyé à la caisse.").waitFor();
        assert.match(await page.locator("main").innerText(), /En cours de traitement/);
        await expectAccessible(page);
      });

      const time = javaScript ? "09:00" : "09:30";
      await withPage(browser, { javaScript }, async (page) => {
        await signIn(page, AGENT, { javaScript });
        await open(page, `/caisse/demandes/${reference}`, javaScript);
        await decide(page, javaScript, "Programmer un rendez-vous", "Venir avec une pièce d'identité.", async () => {
          await page.getByLabel("Lieu", { exact: true }).selectOption({ label: "Accueil de Massy" });
          await page.getByLabel("Date", { exact: true }).fill(nextTuesday());
          await page.getByLabel("Heure (créneaux de 30 minutes)").selectOption(time);
        });
        const main = await page.locator("main").innerText();
        assert.match(main, /Rendez-vous programmé/);
        assert.match(main, new RegExp(`${time} – Accueil de Massy`));
        await expectAccessible(page);
        // The accueil's agenda for that day shows the slot booked for this request.
        await page.getByRole("navigation", { name: "Navigation principale" }).getByRole("link", { name: "Agenda" }).click();
        await page.getByRole("heading", { level: 1, name: "Agenda des rendez-vous" }).waitFor();
        if (javaScript) await waitForHydration(page);
        await page.getByLabel("Lieu", { exact: true }).selectOption({ label: "Accueil de Massy" });
        await page.getByLabel("Jour", { exact: true }).fill(nextTuesday());
        await submit(page, javaScript, page.getByRole("button", { name: "Afficher" }));
        const slot = page.getByRole("row").filter({ has: page.getByRole("rowheader", { name: time }) });
        assert.match(await slot.innerText(), new RegExp(reference));
        await expectAccessible(page);
      });

      await withPage(browser, { javaScript }, async (page) => {
        await signIn(page, PARTNER, { javaScript });
        await open(page, `/partenaire/demandes/${reference}`, javaScript);
        const main = await page.locator("main").innerText();
        assert.match(main, /Rendez-vous programmé/);
        assert.match(main, /Venir avec une pièce d'identité\./);
        const link = page.getByRole("link", { name: "Ajouter à mon agenda (fichier .ics)" });
        const calendar = await page.request.get(await link.getAttribute("href"));
        assert.equal(calendar.status(), 200);
        assert.match(calendar.headers()["content-type"], /^text\/calendar/);
        assert.match(await calendar.text(), new RegExp(`BEGIN:VEVENT[\\s\\S]*${reference}`));
        await expectAccessible(page);
      });

      // The partner asks for another date; the agent reads why and moves the appointment.
      await withPage(browser, { javaScript }, async (page) => {
        await signIn(page, PARTNER, { javaScript });
        await open(page, `/partenaire/demandes/${reference}`, javaScript);
        await page.getByLabel(/^Demander une autre date/).check();
        await page.getByLabel(/^Motif, et disponibilités/).fill("L'assuré préfère la fin de matinée.");
        await submit(page, javaScript, page.getByRole("button", { name: "Envoyer à la caisse" }));
        await page.getByText("Votre demande d'une autre date a été transmise à la caisse.", { exact: false }).waitFor();
        assert.match(await page.locator("main").innerText(), /Autre date demandée par la structure : L'assuré préfère la fin de matinée\./);
        await expectAccessible(page);
      });

      const moved = javaScript ? "11:00" : "11:30";
      await withPage(browser, { javaScript }, async (page) => {
        await signIn(page, AGENT, { javaScript });
        await open(page, `/caisse/demandes/${reference}`, javaScript);
        assert.match(await page.locator("main").innerText(), /Autre date demandée par la structure/);
        await decide(page, javaScript, "Déplacer le rendez-vous (motif obligatoire)", "À la demande de la structure.", async () => {
          await page.getByLabel("Lieu", { exact: true }).selectOption({ label: "Accueil de Massy" });
          await page.getByLabel("Date", { exact: true }).fill(nextTuesday());
          await page.getByLabel("Heure (créneaux de 30 minutes)").selectOption(moved);
        });
        const main = await page.locator("main").innerText();
        assert.match(main, new RegExp(`${moved} – Accueil de Massy`));
        assert.match(main, /Déplacé par la caisse : À la demande de la structure\./);
        assert.match(main, /Rendez-vous programmé/);
        await expectAccessible(page);
      });

      await withPage(browser, { javaScript }, async (page) => {
        await signIn(page, AGENT, { javaScript });
        await open(page, `/caisse/demandes/${reference}`, javaScript);
        await decide(page, javaScript, "Rendez-vous honoré : clôturer la demande", "Droits ouverts au guichet.");
        const main = await page.locator("main").innerText();
        assert.match(main, /Clôturée – traitée/);
        assert.match(main, /Honoré/);
        assert.doesNotMatch(main, /Traiter la demande/);
        await expectAccessible(page);
      });
    });
  });
}
