// The caisse's API and webhooks as its admin sets them up, with JavaScript on and off: a refused token form names its
// fields, a token is shown once and answers /api/v1, revoking it after a confirmation stops it; a webhook endpoint
// gets its secret once and the events of a request the partner sends, signed. The documentation page is read too.
// Every page is checked with axe-core.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { createHmac } from "node:crypto";
import { createServer } from "node:http";
import { BASE_URL, expectAccessible, launch, newPage, open, signIn, submit } from "./support.js";

let browser;
let receiver;
const received = [];
before(async () => {
  browser = await launch();
  receiver = createServer((request, response) => {
    let body = "";
    request.on("data", (chunk) => { body += chunk; });
    request.on("end", () => {
      received.push({ headers: request.headers, body });
      response.writeHead(204).end();
    });
  });
  await new Promise((resolve) => receiver.listen(0, "127.0.0.1", resolve));
});
after(async () => {
  await browser?.close();
  receiver?.close();
});

/** Whether `delivery` carries `secret`'s Standard Webhooks signature. */
function signedWith(delivery, secret) {
  const key = Buffer.from(secret.replace(/^whsec_/, ""), "base64");
  const { "webhook-id": id, "webhook-timestamp": timestamp, "webhook-signature": signatures } = delivery.headers;
  const expected = "v1," + createHmac("sha256", key).update(`${id}.${timestamp}.${delivery.body}`).digest("base64");
  return signatures.split(" ").includes(expected);
}

for (const javaScript of [true, false]) {
  const mode = javaScript ? "JavaScript on" : "JavaScript off";

  describe(`API and webhooks (${mode})`, () => {
    it("creates a token shown once, calls the API with it, revokes it after a confirmation", async () => {
      const { context, page } = await newPage(browser, { javaScript });
      try {
        await signIn(page, "admin.cpam91@example.org", { javaScript });
        await open(page, "/admin/api", javaScript);
        await expectAccessible(page);
        const form = page.locator("section", { has: page.getByRole("heading", { name: "Créer un jeton" }) });
        await form.getByLabel("Validité en jours *").fill("400");
        await submit(page, javaScript, form.getByRole("button", { name: "Créer le jeton" }));
        const summary = page.getByRole("alert");
        await assert.doesNotReject(summary.getByText("Choisissez au moins un droit.").waitFor());
        await summary.getByText("La durée de validité va de 1 à 365 jours.").waitFor();
        assert.equal(await form.getByLabel("Validité en jours *").inputValue(), "400", "what was typed comes back");
        await expectAccessible(page);

        const name = `Outil e2e ${mode} ${Date.now()}`;
        await form.getByLabel("Nom *").fill(name);
        await form.getByLabel("Validité en jours *").fill("7");
        await form.getByLabel("Lire les demandes (requests:read)").check();
        await submit(page, javaScript, form.getByRole("button", { name: "Créer le jeton" }));
        const token = (await page.locator("#new-token").textContent()).trim();
        assert.match(token, /^ep_live_[0-9a-f]{48}$/);
        await expectAccessible(page);

        const called = await fetch(`${BASE_URL}/api/v1/requests?limit=1`, { headers: { Authorization: `Bearer ${token}` } });
        assert.equal(called.status, 200);
        await open(page, "/admin/api", javaScript);
        assert.equal(await page.locator("#new-token").count(), 0, "shown once");
        const row = page.getByRole("row", { name: new RegExp(name) });
        await row.getByRole("link", { name: `Révoquer « ${name} »` }).click();
        await page.getByRole("heading", { name: `Révoquer le jeton « ${name} » ?` }).waitFor();
        await expectAccessible(page);
        await submit(page, javaScript, page.getByRole("button", { name: "Révoquer définitivement" }));
        await page.getByText("Le jeton a été révoqué").waitFor();
        const refused = await fetch(`${BASE_URL}/api/v1/requests`, { headers: { Authorization: `Bearer ${token}` } });
        assert.equal(refused.status, 401);
        assert.equal(refused.headers.get("content-type"), "application/problem+json");
        assert.match((await refused.json()).detail, /révoqué/);
      } finally {
        await context.close();
      }
    });

    it("registers a webhook endpoint whose secret signs the events of a new request", async () => {
      const { context, page } = await newPage(browser, { javaScript });
      try {
        await signIn(page, "admin.cpam91@example.org", { javaScript });
        await open(page, "/admin/webhooks", javaScript);
        await expectAccessible(page);
        const form = page.locator("section", { has: page.getByRole("heading", { name: "Ajouter un point de réception" }) });
        await form.getByLabel("Adresse *").fill("http://crm.example.org/hooks");
        await submit(page, javaScript, form.getByRole("button", { name: "Ajouter" }));
        await page.getByRole("alert").getByText("Choisissez au moins un événement.").waitFor();
        await expectAccessible(page);
        const url = `http://127.0.0.1:${receiver.address().port}/hooks?mode=${javaScript ? "on" : "off"}`;
        await form.getByLabel("Adresse *").fill(url);
        await form.getByLabel("Nouvelle demande (request.created)").check();
        await submit(page, javaScript, form.getByRole("button", { name: "Ajouter" }));
        const secret = (await page.locator("#new-secret").textContent()).trim();
        assert.match(secret, /^whsec_/);
        await expectAccessible(page);

        // A request of the caisse, through the API's own rules (a token of this caisse reads its list).
        const partner = await newPage(browser, { javaScript: true });
        try {
          await signIn(partner.page, "partenaire.ccas-evry@example.org", { javaScript: true });
          await open(partner.page, "/partenaire/demandes/nouvelle/contact", true);
          await partner.page.getByLabel("Objet *").fill(`Webhook ${mode}`);
          await partner.page.getByLabel("Message *").fill("Une question pour la caisse.");
          await partner.page.getByRole("button", { name: "Envoyer la demande" }).click();
          await partner.page.waitForURL(/\/envoyee$/);
        } finally {
          await partner.context.close();
        }
        const deadline = Date.now() + 30_000;
        let delivery;
        while (!delivery && Date.now() < deadline) {
          delivery = received.find((d) => d.body.includes("request.created") && signedWith(d, secret));
          if (!delivery) await new Promise((resolve) => setTimeout(resolve, 500));
        }
        assert.ok(delivery, `a signed request.created within 30 s (received ${received.length})`);
        assert.doesNotMatch(delivery.body, /CCAS|question/);
        await open(page, "/admin/webhooks", javaScript);
        await page.getByText("Remis").first().waitFor();
        await expectAccessible(page);
        const endpoint = page.locator("section", { has: page.getByRole("heading", { name: url }) });
        await submit(page, javaScript, endpoint.getByRole("button", { name: "Désactiver" }));
        await page.getByText("Le point de réception est désactivé").waitFor();
      } finally {
        await context.close();
      }
    });
  });
}

describe("API documentation", () => {
  it("lists every operation on a page that reads without script", async () => {
    const { context, page } = await newPage(browser, { javaScript: true });
    try {
      await page.goto("/api/v1/docs");
      await page.getByRole("heading", { name: "POST /api/v1/requests/{reference}/actions" }).waitFor();
      await expectAccessible(page);
    } finally {
      await context.close();
    }
  });
});
