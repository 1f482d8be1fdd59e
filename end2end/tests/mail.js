// Reading what the real SMTP server received (its Maildir, named by MAILDIR): the links the app sends by e-mail.
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";

export const MAILDIR = process.env.MAILDIR;

/** Undoes quoted-printable, enough to read a link. */
function readable(raw) {
  return raw.replace(/=\r?\n/g, "").replace(/=([0-9A-F]{2})/g, (_, hex) => String.fromCharCode(parseInt(hex, 16)));
}

/** The first link matching `pattern` in an e-mail to `email` (not one of `seen`), waiting for the mail worker. */
export async function linkSentTo(email, pattern, seen = []) {
  for (let i = 0; i < 60; i++) {
    for (const name of await readdir(join(MAILDIR, "new"))) {
      const text = readable(await readFile(join(MAILDIR, "new", name), "utf8"));
      const link = text.match(pattern);
      if (text.includes(`To: ${email}`) && link && !seen.includes(link[0])) return link[0];
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new Error(`no e-mail with ${pattern} for ${email}`);
}
