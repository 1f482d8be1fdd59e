// What a browser downloads: pages are HTML that work as they come, only islands (the NIR check, the dossier
// checklist, the send button) load WebAssembly, which arrives compressed and may be kept for a year.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { launch, open, signIn, withPage } from "./support.js";

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

/** The responses of `path` opened with JavaScript on, once the page is ready. */
async function visit(page, path) {
  const responses = [];
  page.on("response", (response) => responses.push(response));
  await open(page, path, true);
  return responses;
}

const isWasm = (response) => new URL(response.url()).pathname.endsWith(".wasm");

describe("what the browser downloads", () => {
  it("a page without an island loads no WebAssembly, and a form with one loads it compressed and cacheable", async () => {
    await withPage(browser, { javaScript: true }, async (page) => {
      await signIn(page, "partenaire.ccas-evry@example.org", { javaScript: true });
      const home = await visit(page, "/partenaire/demandes");
      assert.equal(home.filter(isWasm).length, 0, "the partner home has no island: no WebAssembly");
      const stylesheet = home.find((r) => new URL(r.url()).pathname.endsWith(".css"));
      assert.ok(stylesheet, "the stylesheet is linked");
      assert.match(new URL(stylesheet.url()).pathname, /^\/pkg\/espace-partenaires\.[0-9a-f]+\.css$/, "under a hashed name");
      assert.equal((await stylesheet.allHeaders())["cache-control"], "public, max-age=31536000, immutable");

      const form = await visit(page, "/partenaire/demandes/nouvelle/mas");
      const wasm = form.find(isWasm);
      assert.ok(wasm, "the submission form's islands load their WebAssembly");
      const headers = await wasm.allHeaders();
      assert.equal(headers["content-encoding"], "br", "sent brotli-compressed to a browser that accepts it");
      assert.equal(headers["cache-control"], "public, max-age=31536000, immutable");
      assert.equal(headers["content-type"], "application/wasm");
      // The island is awake: the NIR key is checked as it is typed.
      await page.getByLabel("Numéro de sécurité sociale (NIR)").fill("1 84 12 76 451 089 47");
      await page.locator("#nir-error").waitFor();
    });
  });
});
