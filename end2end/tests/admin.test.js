// Administration end to end, with JavaScript on and off: an admin adds a partner structure (a wrong SIRET is
// named next to its field first), prepares its convention, records the signed PDF (the convention becomes
// active), and invites an agent; the agent activates the account from the e-mail the real SMTP server received,
// signs in, and can write to the caisse once the admin records the training. The other admin pages are visited
// too. Every page is checked with axe-core.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { MAILDIR, linkSentTo } from "./mail.js";
import { expectAccessible, launch, newPage, open, signIn, submit } from "./support.js";

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

/** A valid SIRET (Luhn) no other run has used: 13 digits from the clock and their check digit. */
function freshSiret() {
  const base = String(Date.now()).padStart(13, "0").slice(-13);
  for (let check = 0; check < 10; check++) {
    const digits = base + check;
    const sum = [...digits].reverse().reduce((total, c, i) => {
      const d = Number(c) * (i % 2 === 1 ? 2 : 1);
      return total + (d > 9 ? d - 9 : d);
    }, 0);
    if (sum % 10 === 0) return digits;
  }
  throw new Error("unreachable");
}

/** Today in Paris, as a date field wants it. */
const today = () => new Date().toLocaleDateString("sv-SE", { timeZone: "Europe/Paris" });

const SIGNED_PDF = { name: "convention-signee.pdf", mimeType: "application/pdf", buffer: Buffer.from("%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n") };

for (const javaScript of [true, false]) {
  const mode = javaScript ? "JavaScript on" : "JavaScript off";

  describe(`administration (${mode})`, () => {
    it("adds a structure and its convention, invites an agent who activates the account and signs in", async () => {
      assert.ok(MAILDIR, "MAILDIR names the SMTP server's Maildir (scripts/test.sh sets it)");
      const stamp = Date.now();
      const name = `CCAS de Villabé ${stamp}`;
      const invitee = { first: "Inès", last: `Roussel${javaScript ? "" : "-Off"}`, email: `ines.roussel.${stamp}@example.org` };
      const password = "une phrase de passe solide 2026";
      const admin = await newPage(browser, { javaScript });
      const agent = await newPage(browser, { javaScript });
      try {
        const page = admin.page;
        await signIn(page, "admin.cpam91@example.org", { javaScript });
        await open(page, "/admin/structures", javaScript);
        await expectAccessible(page);
        const create = page.locator("section", { has: page.getByRole("heading", { name: "Ajouter une structure" }) });
        await create.getByLabel("Nom de la structure").fill(name);
        await create.getByLabel("Type de structure").selectOption("ccas");
        await create.getByLabel("SIRET").fill("123 456 789 00000");
        await create.getByLabel("Adresse").fill("1 rue de la Mairie");
        await create.getByLabel("Code postal").fill("91100");
        await create.getByLabel("Commune").fill("Villabé");
        // A refused form comes back from the server as typed (a plain post, JavaScript or not: no island here).
        const add = create.getByRole("button", { name: "Ajouter la structure" });
        await submit(page, javaScript, add);
        await page.getByText("n'est pas valide : vérifiez les chiffres saisis").first().waitFor();
        assert.equal(await create.getByLabel("Nom de la structure").inputValue(), name, "nothing typed is lost");
        await expectAccessible(page);
        await create.getByLabel("SIRET").fill(freshSiret());
        await submit(page, javaScript, add);
        await page.waitForURL(/\/admin\/structures\/[^/?]+\?fait=creation/);
        const structurePage = new URL(page.url()).pathname;
        await page.getByText("La structure a été ajoutée.").waitFor();
        await page.getByRole("heading", { level: 1, name }).waitFor();
        await expectAccessible(page);

        // The convention: a draft first, then active once its signed PDF is recorded.
        const draft = page.locator("details", { has: page.getByText("Ajouter une convention") });
        await draft.getByLabel("Date de début").fill(today());
        await draft.getByLabel("Contacter la caisse").check();
        await draft.getByLabel("Demander un rendez-vous").check();
        await submit(page, javaScript, draft.getByRole("button", { name: "Enregistrer le brouillon" }));
        await page.getByText("La convention a été enregistrée.").waitFor();
        const convention = page.locator("article", { has: page.locator(".badge", { hasText: "Brouillon" }) });
        await expectAccessible(page);
        await convention.getByLabel("Convention signée (PDF, 10 Mo au maximum)").setInputFiles(SIGNED_PDF);
        await submit(page, javaScript, convention.getByRole("button", { name: "Enregistrer la convention signée" }));
        await page.getByText("La convention signée a été enregistrée").waitFor();
        await page.locator("#conventions .badge", { hasText: "Active" }).waitFor();
        await page.getByRole("link", { name: "Convention signée : convention-signee.pdf" }).waitFor();
        await expectAccessible(page);

        // Each action on the convention says what it did, with JavaScript or without.
        const active = page.locator("article", { has: page.locator(".badge", { hasText: "Active" }) });
        await active.getByText("Suspendre la convention", { exact: true }).first().click();
        await active.getByLabel("Motif de la suspension *").fill("Pièces justificatives à mettre à jour.");
        await submit(page, javaScript, active.getByRole("button", { name: "Suspendre la convention" }));
        await page.getByText("La convention a été suspendue : la structure ne peut plus envoyer de demande").waitFor();
        await page.locator("#conventions .badge", { hasText: "Suspendue" }).waitFor();
        await expectAccessible(page);
        await submit(page, javaScript, page.getByRole("button", { name: "Lever la suspension" }));
        await page.getByText("La convention est de nouveau en vigueur.").waitFor();
        await page.locator("#conventions .badge", { hasText: "Active" }).waitFor();

        // The invitation.
        const agents = page.locator("#agents");
        await agents.getByLabel("Prénom").fill(invitee.first);
        await agents.getByLabel("Nom *", { exact: true }).fill(invitee.last);
        await agents.getByLabel("Adresse e-mail professionnelle").fill(invitee.email);
        await submit(page, javaScript, agents.getByRole("button", { name: "Envoyer l'invitation" }));
        await page.getByText("L'invitation a été envoyée").waitFor();
        const row = page.locator("#agents tbody tr", { hasText: invitee.email });
        assert.match(await row.innerText(), /Invitation envoyée/);
        await expectAccessible(page);

        // The invitee opens the link from the e-mail and chooses a password.
        const link = await linkSentTo(invitee.email, /\/compte\/activer\?jeton=[0-9a-f]{64}/);
        await open(agent.page, link, javaScript);
        await agent.page.getByRole("heading", { level: 1, name: "Activer votre compte" }).waitFor();
        await expectAccessible(agent.page);
        await agent.page.getByLabel("Choisissez votre mot de passe").fill(password);
        await agent.page.getByLabel("Confirmez le mot de passe").fill(password);
        await agent.page.getByRole("button", { name: "Activer mon compte" }).click();
        await agent.page.waitForURL(/\/login\?active=1/);
        await agent.page.getByText("Votre compte est activé").waitFor();
        await expectAccessible(agent.page);
        await signIn(agent.page, invitee.email, { javaScript, password });
        await agent.page.waitForURL("**/partenaire/demandes");
        await agent.page.getByText("Votre formation à l'Espace Partenaires n'est pas encore enregistrée").first().waitFor();
        await expectAccessible(agent.page);

        // The admin records the training; the agent can then write to the caisse (and only what the convention opens).
        await open(page, structurePage, javaScript);
        assert.match(await page.locator("#agents tbody tr", { hasText: invitee.email }).innerText(), /Actif/);
        await open(page, await page.getByRole("link", { name: `${invitee.first} ${invitee.last}` }).getAttribute("href"), javaScript);
        await expectAccessible(page);
        await page.getByLabel("Date de la formation").fill(today());
        await submit(page, javaScript, page.getByRole("button", { name: "Enregistrer la formation" }));
        await page.getByText("La date de formation a été enregistrée.").waitFor();
        await expectAccessible(page);
        await open(agent.page, "/partenaire/demandes", javaScript);
        await agent.page.getByRole("link", { name: "Contacter la caisse" }).waitFor();
        assert.equal(await agent.page.getByRole("link", { name: "Demander une étude de dossier" }).count(), 0, "not opened by the convention");

        // The other administration pages.
        for (const [path, heading] of [
          ["/admin/comptes", "Comptes"],
          ["/admin/conventions", "Conventions arrivant à échéance"],
          ["/admin/accueils", "Accueils"],
          ["/admin/equipes", "Équipes"],
          ["/admin/journal", "Journal"],
        ]) {
          await open(page, path, javaScript);
          await page.getByRole("heading", { level: 1, name: heading }).waitFor();
          await expectAccessible(page);
        }
        assert.ok((await page.locator("main").innerText()).includes(name), "the new structure is in the audit log");
      } finally {
        await admin.context.close();
        await agent.context.close();
      }
    });
  });
}
