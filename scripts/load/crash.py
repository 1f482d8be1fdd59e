#!/usr/bin/env python3
"""The crash test's two halves, around a `kill -9` of the server (scripts/crash-test.sh runs them).

  submit   N submissions of a contact request with a file each, from several partner agents at once; once K of them
           were answered with their reference, the server is killed (SIGKILL) while the others are in flight. Every
           answered submission (its reference, subject, account and the file's SHA-256) is written to a JSON file.
  verify   after the restart: every answered submission is there, on its page, for its author, with its file whole.

Python 3.11 standard library only. Exit status: 0 all held, 1 a check failed, 2 the run could not be set up.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import signal
import sys
import threading
import urllib.parse
import uuid
from collections import Counter

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from concurrency import Client, SetupError  # noqa: E402

# The demo partner agents who may send requests (trained, their structure's convention in force).
PARTNERS = [
    "partenaire.ccas-evry@example.org",
    "partenaire.ml-grigny@example.org",
    "partenaire.fs-fourmies@example.org",
]
CONFIRMATION_RE = re.compile(r"^/partenaire/demandes/(EP-\d{4}-\d{6})/envoyee$")
FILE_LINK_RE = re.compile(r'href="(/pieces-jointes/[^"]+)"')


def multipart(fields: list[tuple[str, str]], files: list[tuple[str, str, bytes]]) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    parts = []
    for name, value in fields:
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode())
    for name, file_name, content in files:
        head = (f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{file_name}"\r\n'
                f"Content-Type: application/pdf\r\n\r\n").encode()
        parts.append(head + content + b"\r\n")
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


def submit(args: argparse.Namespace) -> int:
    host, port = urllib.parse.urlsplit(args.base_url).hostname, urllib.parse.urlsplit(args.base_url).port
    lock = threading.Lock()
    answered: list[dict] = []
    outcomes = {"answered": 0, "refused": 0, "failed": 0}
    next_index = [0]
    killed = threading.Event()
    refusals: Counter = Counter()

    # One session per account, shared by its workers like tabs of one browser: each sign-in takes the account's app a
    # fresh 30-second code, so five sign-ins of one account would wait two minutes.
    sessions: dict[str, dict[str, str]] = {}
    signing_in: dict[str, threading.Lock] = {}

    def worker(email: str) -> None:
        client = Client(host, port, timeout=60)
        try:
            with lock:
                account_lock = signing_in.setdefault(email, threading.Lock())
            with account_lock:
                if email in sessions:
                    client.cookies = dict(sessions[email])
                else:
                    client.sign_in(email, args.password)
                    sessions[email] = dict(client.cookies)
        except (SetupError, OSError) as error:
            with lock:
                outcomes["failed"] += 1
            print(f"sign-in of {email} failed: {error}", file=sys.stderr)
            return
        while True:
            with lock:
                if next_index[0] >= args.count:
                    return
                index = next_index[0]
                next_index[0] += 1
            subject = f"Essai de panne {index:04d} {uuid.uuid4().hex[:8]}"
            content = b"%PDF-1.4\n% " + subject.encode() + b"\n" + os.urandom(2048) + b"\n%%EOF\n"
            body, content_type = multipart(
                [("subject", subject), ("message", "Demande envoyée pendant l'essai de panne.")],
                [("files", f"piece-{index:04d}.pdf", content)],
            )
            try:
                answer = client.request("POST", "/partenaire/demandes/envoyer/contact", body=body, headers={
                    "Content-Type": content_type, "Accept": "text/html",
                    "Origin": client.origin, "Referer": f"{client.origin}/partenaire/demandes/nouvelle/contact",
                })
            except OSError:
                with lock:
                    outcomes["failed"] += 1
                continue
            found = CONFIRMATION_RE.match(answer.headers.get("Location") or "") if answer.status == 303 else None
            with lock:
                if not found:
                    if killed.is_set():
                        outcomes["failed"] += 1
                    else:
                        outcomes["refused"] += 1
                        refusals[f"{email}: HTTP {answer.status} {answer.headers.get('Location') or answer.body[:120]!r}"] += 1
                    continue
                outcomes["answered"] += 1
                answered.append({"reference": found.group(1), "subject": subject, "account": email,
                                 "sha256": hashlib.sha256(content).hexdigest()})
                if len(answered) == args.kill_after and not killed.is_set():
                    killed.set()
                    os.kill(args.server_pid, signal.SIGKILL)

    threads = [threading.Thread(target=worker, args=(PARTNERS[i % len(PARTNERS)],)) for i in range(args.clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    with open(args.out, "w", encoding="utf-8") as out:
        json.dump(answered, out)
    print(f"submissions: {args.count} tried, {outcomes['answered']} answered with their reference, "
          f"{outcomes['failed']} cut by the kill, {outcomes['refused']} refused before it; "
          f"server killed: {'yes' if killed.is_set() else 'no'}")
    if not killed.is_set():
        print("the server was never killed: fewer answers than --kill-after", file=sys.stderr)
        return 1
    if outcomes["refused"]:
        print("submissions were refused before the kill:", file=sys.stderr)
        for what, count in refusals.most_common(5):
            print(f"  {count} × {what}", file=sys.stderr)
        return 1
    return 0


def verify(args: argparse.Namespace) -> int:
    host, port = urllib.parse.urlsplit(args.base_url).hostname, urllib.parse.urlsplit(args.base_url).port
    with open(args.answered, encoding="utf-8") as source:
        answered = json.load(source)
    clients: dict[str, Client] = {}
    problems: list[str] = []
    for item in answered:
        client = clients.get(item["account"])
        if client is None:
            client = clients[item["account"]] = Client(host, port, timeout=60)
            client.sign_in(item["account"], args.password)
        page = client.get(f"/partenaire/demandes/{item['reference']}")
        if page.status != 200 or item["subject"] not in page.body:
            problems.append(f"{item['reference']}: page HTTP {page.status}, subject {'found' if item['subject'] in page.body else 'missing'}")
            continue
        links = FILE_LINK_RE.findall(page.body)
        if len(links) != 1:
            problems.append(f"{item['reference']}: {len(links)} file link(s) instead of 1")
            continue
        raw = file_bytes(client, links[0])
        if raw is None or hashlib.sha256(raw).hexdigest() != item["sha256"]:
            problems.append(f"{item['reference']}: the file is missing or differs")
    print(f"after the restart: {len(answered) - len(problems)} of {len(answered)} answered submissions whole "
          f"(page, subject, file)")
    for problem in problems[:10]:
        print(f"  {problem}")
    return 1 if problems else 0


def file_bytes(client: Client, path: str) -> bytes | None:
    """The file at `path`, as bytes (the Client decodes text)."""
    headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in client.cookies.items())}
    client.connect()
    client.conn.request("GET", path, headers=headers)
    response = client.conn.getresponse()
    raw = response.read()
    return raw if response.status == 200 else None


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="phase", required=True)
    first = sub.add_parser("submit")
    first.add_argument("--base-url", required=True)
    first.add_argument("--password", required=True)
    first.add_argument("--server-pid", type=int, required=True)
    first.add_argument("--count", type=int, default=1000)
    first.add_argument("--kill-after", type=int, default=500)
    first.add_argument("--clients", type=int, default=16)
    first.add_argument("--out", required=True)
    second = sub.add_parser("verify")
    second.add_argument("--base-url", required=True)
    second.add_argument("--password", required=True)
    second.add_argument("--answered", required=True)
    args = parser.parse_args()
    try:
        return submit(args) if args.phase == "submit" else verify(args)
    except SetupError as error:
        print(f"setup failed: {error}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
