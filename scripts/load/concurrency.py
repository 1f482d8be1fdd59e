#!/usr/bin/env python3
"""The concurrency tier: a bounded load on a running server, then a burst against the sign-in throttle.

Several users of two caisses (partner agents, caisse agents, admins), several clients per account, each with its
own connection and cookie jar, ask for every kind of page at once for a fixed time. Every answer is checked:

  * the connection must not drop and the answer must be complete (a panic in a handler drops it);
  * no 5xx, and the status the page had when asked alone (200);
  * a request's page (`/partenaire/demandes/EP-…`, `/caisse/demandes/EP-…`) names in its <title> and <h1> the
    request asked for and no other; no page names a request of the other caisse; a list page names only requests
    its reader may see; every page shows who is signed in as that client, and keeps the title it has when asked alone;
  * the server's memory (VmRSS) after the run stays below twice its level after the warm-up.

Then the burst: N parallel sign-ins with a wrong password for one account that the load does not use; at most
`--max-verified` (the per-account limit, 5) may be checked and answered "wrong password", the others must be
answered "too many attempts".

Timings are printed for information only: nothing here fails on speed. Python 3.11 standard library only.
Exit status: 0 all checks hold, 1 a check failed, 2 the run could not be set up (sign-in refused, server gone…).
"""

from __future__ import annotations

import argparse
import html
import http.client
import json
import random
import re
import socket
import sys
import threading
import time
import urllib.parse
from collections import Counter, defaultdict
from dataclasses import dataclass, field

import totp

REF_RE = re.compile(r"EP-\d{4}-\d{6}")
TITLE_RE = re.compile(r"<title[^>]*>(.*?)</title>", re.S | re.I)
H1_RE = re.compile(r"<h1[^>]*>(.*?)</h1>", re.S | re.I)
TAG_RE = re.compile(r"<!--.*?-->|<[^>]+>", re.S)
USER_BOX_RE = re.compile(r'<div class="user-box">(.*?)<form', re.S)
NEXT_RE = re.compile(r'<a href="([^"]+)" rel="next"')

# Demo accounts (README, "Demo sign-ins"): who signs in, in which area, for which caisse.
ACCOUNTS = [
    ("partenaire.ccas-evry@example.org", "partner", "CPAM 91"),
    ("agent.cpam59@example.org", "caisse", "CPAM 59"),
    ("partenaire.fs-fourmies@example.org", "partner", "CPAM 59"),
    ("agent.cpam91@example.org", "caisse", "CPAM 91"),
    ("partenaire.ml-grigny@example.org", "partner", "CPAM 91"),
    ("agent.mas91@example.org", "caisse", "CPAM 91"),
    ("admin.cpam91@example.org", "admin", "CPAM 91"),
    ("admin.cpam59@example.org", "admin", "CPAM 59"),
]

# How often each kind of page is asked for, per area: request pages weigh most, they are where answers mix up.
WEIGHTS = {
    "partner": {"partner-home": 2, "partner-history": 2, "partner-request": 6, "partner-form": 1, "statistics": 1, "notifications": 1},
    "caisse": {"caisse-queue": 3, "caisse-request": 6, "caisse-canned": 1, "statistics": 1, "notifications": 1},
    "admin": {"admin-page": 5, "admin-detail": 3, "notifications": 1},
}
LIST_KINDS = {"partner-home", "partner-history", "caisse-queue"}
DETAIL_KINDS = {"partner-request", "caisse-request"}

# How the findings are listed (any other category comes last).
CATEGORY_ORDER = [
    "dropped connection or read error", "timeout (no answer)", "5xx answer", "unexpected status (not 5xx)",
    "title names another request", "… of which a request of the other caisse", "title does not name its request",
    "h1 names another request", "h1 does not name its request",
    "reference of the other caisse in the page (outside <title>)", "list names a request its reader cannot see",
    "page shows someone else signed in", "title differs from the page asked alone",
]

WRONG_PASSWORD_TEXTS = ("InvalidCredentials", "Adresse e-mail ou mot de passe incorrect")
THROTTLED_TEXTS = ("TooManyAttempts", "Trop de tentatives de connexion")


class SetupError(Exception):
    """The run cannot even start (sign-in refused, server not answering): exit status 2."""


def text_of(fragment: str) -> str:
    return " ".join(html.unescape(TAG_RE.sub(" ", fragment)).split())


def title_of(body: str) -> str:
    found = TITLE_RE.search(body)
    return text_of(found.group(1)) if found else ""


def h1s_of(body: str) -> list[str]:
    return [text_of(h) for h in H1_RE.findall(body)]


def user_box_of(body: str) -> str:
    found = USER_BOX_RE.search(body)
    return text_of(found.group(1)) if found else ""


@dataclass
class Answer:
    status: int
    headers: http.client.HTTPMessage
    body: str


class Client:
    """One browser: a keep-alive connection and a cookie jar of its own. Never retries: a failure is a finding."""

    def __init__(self, host: str, port: int, timeout: float):
        self.host, self.port, self.timeout = host, port, timeout
        self.origin = f"http://{host}:{port}"
        self.conn: http.client.HTTPConnection | None = None
        self.cookies: dict[str, str] = {}

    def connect(self) -> None:
        if self.conn is None:
            self.conn = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)
            self.conn.connect()
            self.conn.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def close(self) -> None:
        if self.conn is not None:
            self.conn.close()
            self.conn = None

    def request(self, method: str, path: str, body: bytes | None = None, headers: dict | None = None) -> Answer:
        all_headers = {"Accept-Language": "fr-FR,fr;q=0.9", "User-Agent": "ep-concurrency-test"}
        all_headers.update(headers or {})
        if self.cookies:
            all_headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        try:
            self.connect()
            self.conn.request(method, path, body=body, headers=all_headers)
            response = self.conn.getresponse()
            raw = response.read()
            if response.will_close:
                self.close()
        except BaseException:
            self.close()
            raise
        for cookie in response.headers.get_all("Set-Cookie") or []:
            self._keep_cookie(cookie)
        return Answer(response.status, response.headers, raw.decode("utf-8", errors="replace"))

    def _keep_cookie(self, header: str) -> None:
        first, *attributes = [part.strip() for part in header.split(";")]
        name, _, value = first.partition("=")
        expired = any(a.lower().startswith("max-age=") and a[8:].strip().lstrip("-").isdigit()
                      and int(a[8:]) <= 0 for a in attributes)
        if expired:
            self.cookies.pop(name, None)
        else:
            self.cookies[name] = value

    def get(self, path: str) -> Answer:
        return self.request("GET", path, headers={
            "Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
            "Sec-Fetch-Site": "same-origin", "Sec-Fetch-Mode": "navigate", "Sec-Fetch-Dest": "document",
        })

    def post_login(self, email: str, password: str) -> Answer:
        """What the hydrated sign-in form sends: the `login` server function, form-encoded, answered in JSON."""
        body = urllib.parse.urlencode({"email": email, "password": password, "suite": ""}).encode()
        return self.request("POST", "/api/login", body=body, headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "Accept": "application/json",
            "Origin": self.origin, "Sec-Fetch-Site": "same-origin", "Sec-Fetch-Mode": "cors",
            "Sec-Fetch-Dest": "empty", "Referer": f"{self.origin}/login",
        })

    def post_code(self, code: str) -> Answer:
        """The second step, as the hydrated code form sends it: the `confirm_code` server function."""
        body = urllib.parse.urlencode({"code": code}).encode()
        return self.request("POST", "/api/confirm_code", body=body, headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "Accept": "application/json",
            "Origin": self.origin, "Sec-Fetch-Site": "same-origin", "Sec-Fetch-Mode": "cors",
            "Sec-Fetch-Dest": "empty", "Referer": f"{self.origin}/login/code",
        })

    def sign_in(self, email: str, password: str) -> str:
        """Signs in as a browser with JavaScript does, the password then the demo app's code; answers the home path.
        Any refusal stops the run."""
        self.get("/login")
        answer = self.post_login(email, password)
        if answer.status != 200 or "ep_session" not in self.cookies:
            raise SetupError(f"sign-in of {email} refused: HTTP {answer.status} {answer.body[:200]!r}")
        home = self.path_of(email, answer)
        if home == "/login/code":
            for _ in range(3):
                code = totp.next_code(email)
                # The wait for the code may outlast the server's keep-alive (10 s): a fresh connection for it.
                self.close()
                answer = self.post_code(code)
                if answer.status == 200:
                    break
                # Another process used this step's code for the account: the next step's comes in under 30 s.
            home = self.path_of(email, answer)
        return home

    @staticmethod
    def path_of(email: str, answer: Answer) -> str:
        try:
            path = json.loads(answer.body)
        except ValueError:
            raise SetupError(f"sign-in of {email}: unexpected answer HTTP {answer.status} {answer.body[:200]!r}") from None
        if answer.status != 200 or not isinstance(path, str) or not path.startswith("/"):
            raise SetupError(f"sign-in of {email}: unexpected answer HTTP {answer.status} {answer.body[:200]!r}")
        return path


@dataclass
class Page:
    kind: str
    path: str
    reference: str | None = None  # for a request's page: the one it must name
    title: str | None = None  # for other pages: the title it has when asked alone


@dataclass
class Account:
    email: str
    area: str
    caisse: str
    home: str = ""
    who: str = ""  # what the header says about who is signed in
    visible: set[str] = field(default_factory=set)  # every reference its lists show
    pages: dict[str, list[Page]] = field(default_factory=lambda: defaultdict(list))


# ---------------------------------------------------------------------------------------------------- discovery

def follow_list(client: Client, first: str, max_pages: int = 30) -> tuple[set[str], list[str]]:
    """The references on a list and its following pages (rel="next"), and the paths of those pages."""
    refs, paths, path = set(), [], first
    while path and len(paths) < max_pages:
        answer = client.get(path)
        if answer.status != 200:
            raise SetupError(f"{path}: HTTP {answer.status} when asked alone")
        paths.append(path)
        refs |= set(REF_RE.findall(answer.body))
        found = NEXT_RE.search(answer.body)
        path = html.unescape(found.group(1)) if found else None
    return refs, paths


def discover(host: str, port: int, timeout: float, password: str, sample: int) -> list[Account]:
    """Signs in once per account, alone, and lists the pages it may open, with what each shows when asked alone."""
    accounts = []
    for email, area, caisse in ACCOUNTS:
        account = Account(email, area, caisse)
        client = Client(host, port, timeout)
        account.home = client.sign_in(email, password)
        candidates: list[tuple[str, str]] = [("notifications", "/compte/notifications")]
        if area == "partner":
            refs, history = follow_list(client, "/partenaire/historique")
            home_refs, _ = follow_list(client, "/partenaire/demandes", max_pages=1)
            account.visible = refs | home_refs
            candidates += [("partner-home", "/partenaire/demandes"), ("partner-history", "/partenaire/historique")]
            candidates += [("partner-history", p) for p in history[1:3]]
            candidates += [("partner-history", "/partenaire/historique?statut=ouvertes"),
                           ("partner-history", "/partenaire/historique?auteur=moi")]
            candidates += [("partner-form", f"/partenaire/demandes/nouvelle/{slug}")
                           for slug in ("contact", "mas", "rendez-vous", "etude-dossier")]
            candidates += [("statistics", "/partenaire/statistiques")]
            for ref in sorted(account.visible):
                account.pages["partner-request"].append(Page("partner-request", f"/partenaire/demandes/{ref}", ref))
        elif area == "caisse":
            refs, queue = follow_list(client, "/caisse/file")
            account.visible = refs
            candidates += [("caisse-queue", p) for p in queue[:3]]
            candidates += [("caisse-queue", "/caisse/file?tri=echeance"), ("caisse-queue", "/caisse/file?tri=anciennes")]
            candidates += [("caisse-canned", "/caisse/reponses-types")]
            candidates += [("statistics", "/caisse/statistiques"), ("statistics", "/caisse/statistiques?periode=mois&type=mas_referral")]
            for ref in sorted(account.visible):
                account.pages["caisse-request"].append(Page("caisse-request", f"/caisse/demandes/{ref}", ref))
        else:
            lists = ["/admin", "/admin/structures", "/admin/conventions", "/admin/comptes", "/admin/delais",
                     "/admin/courriels", "/admin/journal", "/admin/accueils", "/admin/equipes", "/caisse/statistiques"]
            candidates += [("admin-page", p) for p in lists]
            for path in ("/admin/structures", "/admin/comptes", "/admin/accueils", "/admin/equipes"):
                body = client.get(path).body
                section = path.rsplit("/", 1)[1]
                ids = sorted(set(re.findall(rf'href="(/admin/{section}/[A-Za-z0-9_-]+)"', body)))
                candidates += [("admin-detail", p) for p in ids[:sample]]
        for kind, path in candidates:
            answer = client.get(path)
            if answer.status != 200:
                print(f"  (left out: {email} {path} answers HTTP {answer.status} when asked alone)")
                continue
            account.who = account.who or user_box_of(answer.body)
            account.pages[kind].append(Page(kind, path, title=title_of(answer.body)))
        if not account.who:
            raise SetupError(f"{email}: no page shows who is signed in (div.user-box)")
        client.close()
        accounts.append(account)
    return accounts


# ---------------------------------------------------------------------------------------------------- the load

class Findings:
    """What the clients saw, shared by every thread."""

    def __init__(self, examples: int = 6):
        self.lock = threading.Lock()
        self.requests = 0
        self.per_kind = Counter()
        self.latencies = defaultdict(list)  # kind -> seconds
        self.statuses = Counter()
        self.wrong_answers = 0  # answers with at least one problem
        self.errors = Counter()  # category -> count
        self.errors_per_kind = Counter()
        self.examples = defaultdict(list)  # category -> a few descriptions
        self.max_examples = examples

    def record(self, kind: str, seconds: float | None, status: int | None, problems: list[tuple[str, str]]):
        with self.lock:
            self.requests += 1
            self.per_kind[kind] += 1
            if seconds is not None:
                self.latencies[kind].append(seconds)
            if status is not None:
                self.statuses[status] += 1
            if problems:
                self.wrong_answers += 1
            for category, detail in problems:
                self.errors[category] += 1
                self.errors_per_kind[kind] += 1
                if len(self.examples[category]) < self.max_examples:
                    self.examples[category].append(detail)


def check(page: Page, account: Account, answer: Answer, other_caisse_refs: set[str]) -> list[tuple[str, str]]:
    """Everything that must hold of one answer; each problem as (category, description)."""
    problems = []
    where = f"{account.email} GET {page.path}"
    if answer.status >= 500:
        return [("5xx answer", f"{where}: HTTP {answer.status} {text_of(answer.body)[:160]!r}")]
    if answer.status != 200:
        location = answer.headers.get("Location", "")
        return [("unexpected status (not 5xx)", f"{where}: HTTP {answer.status} {location}".rstrip())]
    title = title_of(answer.body)
    if page.reference:
        in_title = set(REF_RE.findall(title))
        in_h1 = set(REF_RE.findall(" ".join(h1s_of(answer.body))))
        if in_title - {page.reference}:
            problems.append(("title names another request", f"{where}: <title>{title}</title>"))
            if in_title & other_caisse_refs:
                problems.append(("… of which a request of the other caisse", f"{where}: <title>{title}</title>"))
        elif page.reference not in in_title:
            problems.append(("title does not name its request", f"{where}: <title>{title}</title>"))
        if in_h1 - {page.reference}:
            problems.append(("h1 names another request", f"{where}: <h1> names {', '.join(sorted(in_h1))}"))
        elif page.reference not in in_h1:
            problems.append(("h1 does not name its request", f"{where}: <h1> {h1s_of(answer.body)}"))
    elif page.title is not None and title != page.title:
        problems.append(("title differs from the page asked alone", f"{where}: {title!r}, alone {page.title!r}"))
    # The title is judged above; the rest of the page must not name a request of the other caisse either.
    refs = set(REF_RE.findall(TITLE_RE.sub("", answer.body)))
    foreign = refs & other_caisse_refs
    if foreign:
        problems.append(("reference of the other caisse in the page (outside <title>)",
                         f"{where}: names {', '.join(sorted(foreign)[:5])}"))
    if page.kind in LIST_KINDS and refs - account.visible - foreign:
        strangers = sorted(refs - account.visible - foreign)
        problems.append(("list names a request its reader cannot see", f"{where}: {', '.join(strangers[:5])}"))
    who = user_box_of(answer.body)
    if who != account.who:
        problems.append(("page shows someone else signed in", f"{where}: {who!r}, expected {account.who!r}"))
    return problems


CONNECTION_ERRORS = (http.client.HTTPException, ConnectionError, OSError)


def client_loop(client: Client, account: Account, rng: random.Random, deadline: float,
                other_caisse_refs: set[str], findings: Findings) -> None:
    kinds = [k for k in WEIGHTS[account.area] if account.pages.get(k)]
    weights = [WEIGHTS[account.area][k] for k in kinds]
    while time.monotonic() < deadline:
        kind = rng.choices(kinds, weights)[0]
        page = rng.choice(account.pages[kind])
        started = time.monotonic()
        try:
            answer = client.get(page.path)
        except socket.timeout:
            findings.record(kind, None, None, [("timeout (no answer)", f"{account.email} GET {page.path}")])
            continue
        except CONNECTION_ERRORS as error:
            findings.record(kind, None, None, [("dropped connection or read error",
                                                f"{account.email} GET {page.path}: {type(error).__name__}: {error}")])
            time.sleep(0.05)  # a server that died would otherwise be hammered in a tight loop
            continue
        elapsed = time.monotonic() - started
        findings.record(kind, elapsed, answer.status, check(page, account, answer, other_caisse_refs))


def rss_kib(pid: int) -> int | None:
    try:
        with open(f"/proc/{pid}/status") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        return None
    return None


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else float("nan")


def run_load(args, accounts: list[Account]) -> tuple[Findings, dict]:
    by_caisse: dict[str, set[str]] = defaultdict(set)
    for account in accounts:
        if account.area in ("partner", "caisse"):
            by_caisse[account.caisse] |= account.visible
    caisses = sorted(by_caisse)
    shared = set.intersection(*by_caisse.values()) if len(caisses) > 1 else set()
    if shared:
        print(f"  warning: references seen by both caisses are not checked: {sorted(shared)[:5]}")
    other = {c: set().union(*(by_caisse[o] for o in caisses if o != c)) - shared for c in caisses}
    print("  requests per caisse: " + ", ".join(f"{c} {len(by_caisse[c])}" for c in caisses))

    # Every client signs in on its own session before the clock starts; none of these may fail.
    clients = []
    for i in range(args.clients):
        account = accounts[i % len(accounts)]
        client = Client(args.host, args.port, args.timeout)
        client.sign_in(account.email, args.password)
        clients.append((client, account))
    # Waiting for the accounts' next codes may have left connections idle past the server's keep-alive (10 s): every
    # client starts the run on a fresh one.
    for client, _ in clients:
        client.close()
    per_account = Counter(a.email for _, a in clients)
    print("  clients per account: " + ", ".join(f"{e.split('@')[0]} {n}" for e, n in per_account.items()))

    findings = Findings()
    memory = {"start": rss_kib(args.server_pid)}
    started = time.monotonic()
    deadline = started + args.duration
    threads = [threading.Thread(target=client_loop, daemon=True,
                                args=(c, a, random.Random(args.seed * 1000 + i), deadline,
                                      other.get(a.caisse, set()), findings))
               for i, (c, a) in enumerate(clients)]
    for thread in threads:
        thread.start()
    peak = memory["start"] or 0
    warm_at = started + args.warmup
    while any(t.is_alive() for t in threads):
        time.sleep(0.25)
        now_rss = rss_kib(args.server_pid)
        if now_rss is not None:
            peak = max(peak, now_rss)
        if "warm" not in memory and time.monotonic() >= warm_at:
            memory["warm"] = now_rss
            memory["warm_requests"] = findings.requests
    for thread in threads:
        thread.join()
    memory["elapsed"] = time.monotonic() - started
    time.sleep(0.5)  # let the server finish what the last answers started (audit rows, session writes)
    memory["after"] = rss_kib(args.server_pid)
    memory["peak"] = max(peak, memory["after"] or 0)
    for client, _ in clients:
        client.close()
    return findings, memory


# ---------------------------------------------------------------------------------------------------- the burst

def run_burst(args) -> dict:
    """N sign-ins with a wrong password for one account, released together from N connections."""
    n = args.burst
    barrier = threading.Barrier(n)
    outcomes: list[tuple[str, int | None, str]] = [("not run", None, "")] * n

    def one(i: int) -> None:
        client = Client(args.host, args.port, args.timeout)
        try:
            client.connect()
        except CONNECTION_ERRORS as error:
            outcomes[i] = ("connection error", None, repr(error))
            barrier.abort()
            return
        try:
            barrier.wait()
            answer = client.post_login(args.burst_account, f"pas-le-bon-{i}")
        except threading.BrokenBarrierError:
            outcomes[i] = ("not run", None, "barrier broken")
            return
        except CONNECTION_ERRORS as error:
            outcomes[i] = ("connection error", None, f"{type(error).__name__}: {error}")
            return
        finally:
            client.close()
        if any(t in answer.body for t in WRONG_PASSWORD_TEXTS):
            outcomes[i] = ("wrong password (checked)", answer.status, answer.body)
        elif any(t in answer.body for t in THROTTLED_TEXTS):
            outcomes[i] = ("too many attempts", answer.status, answer.body)
        else:
            outcomes[i] = ("other answer", answer.status, answer.body)

    started = time.monotonic()
    threads = [threading.Thread(target=one, args=(i,)) for i in range(n)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return {
        "elapsed": time.monotonic() - started,
        "outcomes": Counter(o[0] for o in outcomes),
        "statuses": Counter(o[1] for o in outcomes if o[1] is not None),
        "bodies": Counter(o[2][:120] for o in outcomes if o[0] in ("other answer", "connection error", "not run")),
        "samples": {o[0]: (o[1], o[2][:160]) for o in outcomes},
    }


# ---------------------------------------------------------------------------------------------------- report

def report(args, findings: Findings, memory: dict, burst: dict | None) -> list[str]:
    failures = []
    print()
    print(f"== Load: {args.clients} clients × {args.duration:g} s on {args.host}:{args.port} "
          f"({len(ACCOUNTS)} accounts of 2 caisses)")
    rate = findings.requests / memory["elapsed"] if memory.get("elapsed") else 0
    print(f"requests: {findings.requests} in {memory['elapsed']:.1f} s ({rate:.0f}/s, for information)")
    print("statuses: " + ", ".join(f"{s} × {n}" for s, n in sorted(findings.statuses.items())))
    print(f"{'page kind':<18}{'pages':>8}{'p50 ms':>9}{'p99 ms':>9}{'errors':>8}")
    for kind in sorted(findings.per_kind):
        lat = findings.latencies.get(kind, [])
        print(f"{kind:<18}{findings.per_kind[kind]:>8}{percentile(lat, .5) * 1000:>9.1f}"
              f"{percentile(lat, .99) * 1000:>9.1f}{findings.errors_per_kind[kind]:>8}")
    if findings.errors:
        print(f"errors: {findings.wrong_answers} of {findings.requests} requests went wrong "
              f"({100 * findings.wrong_answers / findings.requests:.1f} %)")
        order = {c: i for i, c in enumerate(CATEGORY_ORDER)}
        for category, count in sorted(findings.errors.items(), key=lambda item: (order.get(item[0], 99), item[0])):
            print(f"  {count:>6} × {category}")
            for example in findings.examples[category]:
                print(f"           e.g. {example}")
        for category, count in findings.errors.items():
            if not category.startswith("…"):
                failures.append(f"{count} × {category}")
    else:
        print("errors: none")

    def mib(kib):
        return f"{kib / 1024:.1f} MiB" if kib is not None else "unknown"
    warm, after = memory.get("warm"), memory.get("after")
    ratio = (after / warm) if warm and after else float("nan")
    print(f"server RSS: before {mib(memory.get('start'))}, after warm-up ({args.warmup:.1f} s) {mib(warm)}, "
          f"peak {mib(memory.get('peak'))}, after the run {mib(after)} (×{ratio:.2f} of warm-up; limit ×2)")
    if after is None:
        failures.append("the server process is gone (or its memory cannot be read)")
    elif warm is None:
        failures.append("no memory reading after warm-up (run shorter than the warm-up?)")
    elif after > 2 * warm:
        failures.append(f"memory after the run {mib(after)} > 2 × {mib(warm)} after warm-up")

    if burst is not None:
        print()
        print(f"== Sign-in throttle burst: {args.burst} parallel wrong passwords for {args.burst_account}")
        outcomes = burst["outcomes"]
        checked = outcomes.get("wrong password (checked)", 0)
        print(f"answers in {burst['elapsed']:.2f} s: " + ", ".join(f"{k} {v}" for k, v in outcomes.most_common()))
        print("HTTP statuses: " + ", ".join(f"{s} × {n}" for s, n in sorted(burst["statuses"].items())))
        for kind, (status, body) in sorted(burst["samples"].items()):
            print(f"  {kind}: e.g. HTTP {status} {body!r}")
        if checked > args.max_verified:
            failures.append(f"throttle: {checked} of {args.burst} parallel wrong passwords were checked "
                            f"(at most {args.max_verified})")
        for kind in ("connection error", "other answer", "not run"):
            if outcomes.get(kind):
                failures.append(f"throttle burst: {outcomes[kind]} × {kind}")
    return failures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--base-url", default="http://127.0.0.1:3000", help="the server (loopback only)")
    parser.add_argument("--server-pid", type=int, required=True, help="the server's process, for its memory")
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--duration", type=float, default=30.0, help="seconds of load")
    parser.add_argument("--warmup", type=float, default=None, help="seconds before the reference memory reading "
                        "(default: a sixth of the duration, at most 5)")
    parser.add_argument("--password", default="demo-espace-partenaires")
    parser.add_argument("--burst", type=int, default=50, help="parallel wrong passwords (0: no burst)")
    parser.add_argument("--burst-account", default="partenaire.nouveau@example.org")
    parser.add_argument("--max-verified", type=int, default=5, help="the per-account failure limit")
    parser.add_argument("--timeout", type=float, default=20.0, help="seconds to wait for one answer")
    parser.add_argument("--sample", type=int, default=4, help="admin detail pages kept per list")
    parser.add_argument("--seed", type=int, default=13)
    args = parser.parse_args()
    url = urllib.parse.urlsplit(args.base_url)
    args.host, args.port = url.hostname, url.port or 80
    if args.host not in ("127.0.0.1", "localhost", "::1"):
        parser.error("loopback only")
    if args.warmup is None:
        args.warmup = min(5.0, args.duration / 6)

    try:
        print(f"== Discovery: each account alone ({len(ACCOUNTS)} accounts)")
        accounts = discover(args.host, args.port, args.timeout, args.password, args.sample)
        for account in accounts:
            kinds = ", ".join(f"{k} {len(v)}" for k, v in sorted(account.pages.items()))
            print(f"  {account.email:<38} {account.caisse}  sees {len(account.visible):>3} requests; pages: {kinds}")
        findings, memory = run_load(args, accounts)
    except SetupError as error:
        print(f"SETUP FAILED: {error}")
        return 2
    except CONNECTION_ERRORS as error:
        print(f"SETUP FAILED: the server did not answer: {type(error).__name__}: {error}")
        return 2
    alive = rss_kib(args.server_pid) is not None
    burst = run_burst(args) if args.burst > 0 and alive else None
    failures = report(args, findings, memory, burst)
    if args.burst > 0 and burst is None:
        failures.append("throttle burst not run: the server is gone")
    print()
    if failures:
        print("FAILED:")
        for failure in failures:
            print(f"  - {failure}")
        return 1
    print("PASSED: no dropped connection, no 5xx, every page named only its own request, memory bounded, "
          "throttle held")
    return 0


if __name__ == "__main__":
    sys.exit(main())
