"""Load check: mixed traffic against gunicorn on loopback, on a 10,000-resource corpus.

Closed loop: C clients (threads, standard library http.client) send requests
one after the other without pause for D seconds; gunicorn's sync workers close
the connection after each answer, so each request opens its own. The mix: 80 % search and
pages (/recherche with and without facets, some as htmx, home, resource, CTD
and glossary pages), 15 % API reads (/api/v1/search, the resource list and
detail), 5 % writes through the API with a curator's Bearer token (create,
edit, publish/archive). It prints throughput, p50/p95/p99 overall, per category
and per kind of request, the errors (any status ≥ 400 and any exception), then
PASS or FAIL against p95 < 300 ms and no error, and `cnig-share search check`.

    .venv/bin/python bench/load.py --find-rate [--workers 4] [--duration 60]
                                   [--cache DIR] [--database-url URL] [--redis-url URL]
    .venv/bin/python bench/load.py --clients 4 --cache /tmp/cnig-load-cache

--find-rate steps the concurrency (short steps) and runs the measurement at the
one with the highest throughput whose p95 stayed under the threshold. The
instance is a temporary folder, built with `cnig-share init-db` and `import`
(bench/corpus_cli.py); --cache DIR keeps the freshly imported instance in DIR and
copies it for later runs (SQLite only). --database-url uses that PostgreSQL
database instead of SQLite, and EMPTIES IT first.
"""

from __future__ import annotations

import argparse
import http.client
import itertools
import json
import os
import random
import shutil
import statistics
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent))

from corpus_cli import cli, write_corpus
from search import Vocabulary, gunicorn, make_queries, percentile, sentences
from sqlalchemy import create_engine, text

from cnig_share.models import KINDS
from cnig_share.reference_data import CTD_REGIONS, GLOSSARY

THRESHOLD_MS = 300.0
# Clients tried by --find-rate, in order, until p95 reaches the threshold.
STEPS = (1, 2, 4, 6, 8, 12, 16, 24, 32, 48, 64)
BENCH_EMAIL = "banc-de-charge@cnig-partage.fr"
# API writes are limited per account (API_WRITE_RATE_LIMIT, 120 a minute by
# default): the bench's single writer account needs far more.
WRITE_LIMIT = "100000 per minute"
# Searches are limited per client address (SEARCH_RATE_LIMIT): every bench client
# shares the loopback address.
SEARCH_LIMIT = "1000000 per minute"
TIMEOUT = 30  # seconds a client waits for an answer before counting an error

STARTED = time.perf_counter()

CTD_SLUGS = [slug for slug, _ in CTD_REGIONS]
TERM_SLUGS = [term["slug"] for term in GLOSSARY]
TERM_LABELS = [term["label"] for term in GLOSSARY]
YEARS = [str(year) for year in range(2019, 2027)]


@dataclass(frozen=True)
class Target:
    """What the clients need to know about the running site."""

    port: int
    token: str
    documents: int
    queries: list[str]


@dataclass
class Result:
    """One request: its category, kind, time, and status or exception."""

    category: str
    kind: str
    ms: float
    status: int | None
    error: str | None = None


class Client:
    """One simulated user: a connection, a random stream, the resources it created."""

    def __init__(self, target: Target, seed: str) -> None:
        self.target = target
        self.rng = random.Random(seed)
        self.vocab = Vocabulary()
        self.connection = http.client.HTTPConnection("127.0.0.1", target.port, timeout=TIMEOUT)
        # Its own resources by status, so that no two clients race on one.
        self.owned: dict[str, list[int]] = {"draft": [], "published": [], "archived": []}
        self.results: list[Result] = []
        self.failures: list[str] = []  # a few examples, to tell what went wrong

    def run(self, deadline: float) -> None:
        while time.perf_counter() < deadline:
            action = self.rng.choices(ACTIONS, cum_weights=CUM_WEIGHTS)[0]
            action.call(self)
        self.connection.close()

    def request(
        self, category: str, kind: str, method: str, path: str, body: dict | None = None,
        headers: dict[str, str] | None = None,
    ) -> bytes | None:  # fmt: skip
        """Send, time, record; the body of a 2xx/3xx answer, else None."""
        headers = dict(headers or {})
        payload = None
        if body is not None:
            payload = json.dumps(body, ensure_ascii=False).encode()
            headers["Content-Type"] = "application/json"
        if category == "writes":
            headers["Authorization"] = f"Bearer {self.target.token}"
        started = time.perf_counter()
        try:
            self.connection.request(method, path, body=payload, headers=headers)
            response = self.connection.getresponse()
            data = response.read()
        except (OSError, http.client.HTTPException) as exception:
            ms = (time.perf_counter() - started) * 1000
            name = type(exception).__name__
            self.results.append(Result(category, kind, ms, None, name))
            self._note(f"{method} {path}: {name}: {exception}")
            self.connection.close()  # the next request opens a new connection
            return None
        ms = (time.perf_counter() - started) * 1000
        self.results.append(Result(category, kind, ms, response.status))
        if response.status >= 400:
            self._note(f"{method} {path}: HTTP {response.status} {data[:200]!r}")
            return None
        return data

    def _note(self, failure: str) -> None:
        if len(self.failures) < 3:
            self.failures.append(failure)

    # Search and pages ---------------------------------------------------------

    def query(self) -> str:
        return self.rng.choice(self.target.queries)

    def search_page(self) -> None:
        htmx = self.rng.random() < 0.3  # the live search swaps the results block only
        headers = {"HX-Request": "true"} if htmx else None
        path = "/recherche?" + urlencode({"q": self.query()})
        self.request("search+pages", "recherche", "GET", path, headers=headers)

    def search_facets(self) -> None:
        params = {"q": self.query()}
        for name, values in (("kind", KINDS), ("ctd", CTD_SLUGS), ("term", TERM_SLUGS),
                             ("year", YEARS)):  # fmt: skip
            if self.rng.random() < 0.4:
                params[name] = self.rng.choice(list(values))
        if self.rng.random() < 0.3:
            params["sort"] = "recent"
        if self.rng.random() < 0.2:
            params["page"] = "2"
        path = "/recherche?" + urlencode(params)
        self.request("search+pages", "recherche + facets", "GET", path)

    def home(self) -> None:
        self.request("search+pages", "home", "GET", "/")

    def resource_page(self) -> None:
        path = f"/ressources/{self.rng.randint(1, self.target.documents)}"
        self.request("search+pages", "resource page", "GET", path)

    def ctd_page(self) -> None:
        path = "/ctd/" if self.rng.random() < 0.2 else f"/ctd/{self.rng.choice(CTD_SLUGS)}"
        self.request("search+pages", "CTD page", "GET", path)

    def glossary_page(self) -> None:
        slug = self.rng.choice(TERM_SLUGS)
        path = "/glossaire/" if self.rng.random() < 0.3 else f"/glossaire/{slug}"
        self.request("search+pages", "glossary", "GET", path)

    # API reads ----------------------------------------------------------------

    def api_search(self) -> None:
        params = {"q": self.query()}
        if self.rng.random() < 0.3:
            params["ctd"] = self.rng.choice(CTD_SLUGS)
        self.request("api reads", "api search", "GET", "/api/v1/search?" + urlencode(params))

    def api_list(self) -> None:
        params = {"page": str(self.rng.randint(1, 20))}
        if self.rng.random() < 0.5:
            name, values = self.rng.choice(
                (("kind", list(KINDS)), ("ctd", CTD_SLUGS), ("term", TERM_SLUGS))
            )
            params[name] = self.rng.choice(values)
        self.request("api reads", "api list", "GET", "/api/v1/resources?" + urlencode(params))

    def api_detail(self) -> None:
        path = f"/api/v1/resources/{self.rng.randint(1, self.target.documents)}"
        self.request("api reads", "api detail", "GET", path)

    # Writes, with the token ---------------------------------------------------

    def words(self, low: int, high: int) -> list[str]:
        return self.vocab.words(self.rng, self.rng.randint(low, high))

    def create(self) -> None:
        record = {
            "title": " ".join(self.vocab.words(self.rng, 6, content=True)).capitalize(),
            "summary": sentences(self.rng, self.words(20, 40)),
            "body": sentences(self.rng, self.words(300, 800)),
            "kind": self.rng.choice(list(KINDS)),
            "ctd": self.rng.choice(CTD_SLUGS),
            "terms": self.rng.sample(TERM_LABELS, self.rng.randint(1, 3)),
        }
        data = self.request("writes", "api create", "POST", "/api/v1/resources", record)
        if data is not None:
            self.owned["draft"].append(json.loads(data)["id"])

    def edit(self) -> None:
        """A new summary, on a resource of the corpus (published) or one of its own."""
        mine = [i for ids in self.owned.values() for i in ids]
        if mine and self.rng.random() < 0.5:
            resource_id = self.rng.choice(mine)
        else:
            resource_id = self.rng.randint(1, self.target.documents)
        change = {"summary": sentences(self.rng, self.words(20, 40))}
        self.request("writes", "api edit", "PATCH", f"/api/v1/resources/{resource_id}", change)

    def transition(self) -> None:
        """Publish one of its drafts or archived resources, or archive a published one."""
        moves = [("publish", "draft", "published"), ("archive", "published", "archived"),
                 ("publish", "archived", "published")]  # fmt: skip
        moves = [move for move in moves if self.owned[move[1]]]
        if not moves:
            self.create()
            return
        action, before, after = self.rng.choice(moves)
        resource_id = self.owned[before].pop(self.rng.randrange(len(self.owned[before])))
        path = f"/api/v1/resources/{resource_id}/{action}"
        if self.request("writes", f"api {action}", "POST", path) is not None:
            self.owned[after].append(resource_id)
        else:
            self.owned[before].append(resource_id)


@dataclass(frozen=True)
class Action:
    weight: int
    call: Callable[[Client], None]


# The mix, in percent: 80 search and pages, 15 API reads, 5 writes.
ACTIONS = [
    Action(34, Client.search_page),
    Action(12, Client.search_facets),
    Action(8, Client.home),
    Action(14, Client.resource_page),
    Action(6, Client.ctd_page),
    Action(6, Client.glossary_page),
    Action(6, Client.api_search),
    Action(5, Client.api_list),
    Action(4, Client.api_detail),
    Action(2, Client.create),
    Action(2, Client.edit),
    Action(1, Client.transition),
]
CUM_WEIGHTS = list(itertools.accumulate(action.weight for action in ACTIONS))
assert CUM_WEIGHTS[-1] == 100


@dataclass
class Run:
    clients: int
    seconds: float
    results: list[Result]
    failures: list[str] = field(default_factory=list)
    server_cpu: float = 0.0  # seconds of CPU the gunicorn processes used
    client_cpu: float = 0.0  # seconds of CPU this load generator used

    @property
    def errors(self) -> list[Result]:
        return [r for r in self.results if r.error or (r.status or 0) >= 400]

    @property
    def throughput(self) -> float:
        return len(self.results) / self.seconds

    def p95(self) -> float:
        return percentile([r.ms for r in self.results], 95) if self.results else float("inf")

    def passed(self) -> bool:
        return self.p95() < THRESHOLD_MS and not self.errors


def say(message: str) -> None:
    """A phase of the run, with the seconds since the start."""
    print(f"[{time.perf_counter() - STARTED:5.0f} s] {message}", flush=True)


def load(target: Target, clients: int, seconds: float, label: str) -> Run:
    """C clients without pause for `seconds`; the requests still in flight finish."""
    users = [Client(target, f"{label}-{n}") for n in range(clients)]
    server_cpu, client_cpu = server_cpu_seconds(target.port), time.process_time()
    started = time.perf_counter()
    deadline = started + seconds
    threads = [threading.Thread(target=user.run, args=(deadline,)) for user in users]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    results = [r for user in users for r in user.results]
    failures = [f for user in users for f in user.failures]
    server_cpu = server_cpu_seconds(target.port) - server_cpu
    return Run(clients, elapsed, results, failures, server_cpu, time.process_time() - client_cpu)


def server_cpu_seconds(port: int) -> float:
    """User + system CPU time so far of the gunicorn processes serving this port.
    Unlike latencies, CPU per request hardly depends on what else the machine runs."""
    total, ticks = 0.0, os.sysconf("SC_CLK_TCK")
    for process in Path("/proc").iterdir():
        if not process.name.isdigit():
            continue
        try:
            if f"127.0.0.1:{port}".encode() not in (process / "cmdline").read_bytes():
                continue
            fields = (process / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:  # gone meanwhile
            continue
        total += (int(fields[11]) + int(fields[12])) / ticks  # utime, stime
    return total


def row(label: str, results: list[Result], seconds: float) -> str:
    times = [r.ms for r in results]
    errors = sum(1 for r in results if r.error or (r.status or 0) >= 400)
    return (
        f"{label:<22}{len(times):>8}{len(times) / seconds:>9.1f}"
        f"{statistics.median(times):>8.0f}{percentile(times, 95):>8.0f}"
        f"{percentile(times, 99):>8.0f}{errors:>8}"
    )


def report(run: Run) -> None:
    print(f"\n{run.clients} clients, {run.seconds:.1f} s: {len(run.results)} requests, "
          f"{run.throughput:.1f} req/s")  # fmt: skip
    print(f"{'':<22}{'requests':>8}{'req/s':>9}{'p50':>8}{'p95':>8}{'p99':>8}{'errors':>8}")
    print(row("all", run.results, run.seconds))
    by_category: dict[str, list[Result]] = {}
    by_kind: dict[str, list[Result]] = {}
    for result in run.results:
        by_category.setdefault(result.category, []).append(result)
        by_kind.setdefault(result.kind, []).append(result)
    for category in ("search+pages", "api reads", "writes"):
        if category in by_category:
            print(row(category, by_category[category], run.seconds))
    print("(milliseconds)")
    for kind, results in by_kind.items():
        print(row("  " + kind, results, run.seconds))
    errors = run.errors
    statuses = Counter(r.error or f"HTTP {r.status}" for r in errors)
    print(f"errors: {len(errors)}" + (f" ({dict(statuses)})" if errors else ""))
    count = max(1, len(run.results))
    server, client = run.server_cpu * 1000 / count, run.client_cpu * 1000 / count
    print(f"CPU per request: {server:.1f} ms in gunicorn, {client:.1f} ms in this load "
          f"generator; {os.cpu_count()} cores are saturated at about "
          f"{os.cpu_count() * 1000 / (server + client):.0f} req/s")  # fmt: skip
    for failure in run.failures[:10]:
        print(f"  e.g. {failure}")


def find_rate(target: Target, step_seconds: float) -> int:
    """Step the concurrency up until p95 reaches the threshold or errors
    appear; the passing step with the highest throughput (1 if none passed)."""
    best, best_rate = 1, 0.0
    for clients in STEPS:
        run = load(target, clients, step_seconds, f"step-{clients}")
        verdict = "ok" if run.passed() else "over"
        print(f"  {clients:>3} clients: {run.throughput:6.1f} req/s, p95 {run.p95():5.0f} ms, "
              f"{len(run.errors)} errors: {verdict}", flush=True)  # fmt: skip
        if not run.passed():
            break
        if run.throughput > best_rate:
            best, best_rate = clients, run.throughput
    if not best_rate:
        say(f"no step kept p95 under {THRESHOLD_MS:.0f} ms without errors")
    return best


def prepare(folder: Path, args, settings: dict[str, str]) -> Path:
    """The instance to load: imported afresh, or copied from the cache."""
    instance = folder / "instance"
    marker = f"{args.n} resources, seed {args.seed}\n"
    cached = args.cache and (args.cache / "corpus.txt").exists()
    if cached:
        if (args.cache / "corpus.txt").read_text() != marker:
            raise SystemExit(f"{args.cache} holds another corpus: {(args.cache / 'corpus.txt')}")
        shutil.copytree(args.cache / "instance", instance)
        cli(instance, "init-db", environ=settings)  # the code may have migrations the cache lacks
        say(f"instance copied from {args.cache} and migrated")
    else:
        if args.database_url:
            empty_database(args.database_url)
        started = time.perf_counter()
        lines = folder / "corpus.jsonl"
        write_corpus(lines, args.n, args.seed)
        cli(instance, "init-db", environ=settings)
        print(cli(instance, "import", str(lines), environ=settings).strip().splitlines()[-1])
        lines.unlink()
        say(f"corpus of {args.n} resources imported in {time.perf_counter() - started:.0f} s")
        if args.cache:
            shutil.copytree(instance, args.cache / "instance")
            (args.cache / "corpus.txt").write_text(marker)
            say(f"instance kept in {args.cache} for later runs")
    return instance


def empty_database(url: str) -> None:
    """Drop everything in the PostgreSQL database given to the bench."""
    engine = create_engine(url)
    with engine.begin() as connection:
        connection.execute(text("DROP SCHEMA public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))
    engine.dispose()


def pending_outbox(instance: Path, database_url: str | None) -> int:
    """Index updates left in the outbox once the server stopped."""
    url = database_url or f"sqlite:///{instance / 'cnig_share.db'}"
    engine = create_engine(url)
    with engine.connect() as connection:
        count = connection.execute(text("SELECT count(*) FROM search_outbox")).scalar_one()
    engine.dispose()
    return count


def run(folder: Path, args) -> int:
    settings = {
        "CNIG_SHARE_API_WRITE_RATE_LIMIT": WRITE_LIMIT,
        "CNIG_SHARE_SEARCH_RATE_LIMIT": SEARCH_LIMIT,
    }
    if args.database_url:
        settings["CNIG_SHARE_SQLALCHEMY_DATABASE_URI"] = args.database_url
    if args.redis_url:
        settings["CNIG_SHARE_REDIS_URL"] = args.redis_url
    instance = prepare(folder, args, settings)
    cli(instance, "create-user", BENCH_EMAIL, "--role", "curator", "--name", "Banc de charge",
        environ=settings, stdin="banc-de-charge-" + os.urandom(8).hex() + "\n")  # fmt: skip
    token = cli(instance, "create-token", BENCH_EMAIL, "--name", "bench", environ=settings)
    say(f"curator {BENCH_EMAIL} and its API token created")
    queries = make_queries(random.Random(f"load-{args.seed}"), Vocabulary(), 1000)
    database = "PostgreSQL" if args.database_url else "SQLite"
    limits = "Redis" if args.redis_url else "memory, per worker"
    print(f"gunicorn -w {args.workers}, {database}, rate limits in {limits}, "
          f"API_WRITE_RATE_LIMIT={WRITE_LIMIT!r}; cpu_count={os.cpu_count()}, "
          f"load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}")  # fmt: skip
    with gunicorn(instance, args.workers, settings) as port:
        target = Target(port, token.strip(), args.n, queries)
        say(f"server ready; warm-up: {args.warmup:.0f} s at 4 clients")
        load(target, 4, args.warmup, "warmup")
        clients = args.clients
        if args.find_rate:
            say(f"finding the rate: steps of {args.step:.0f} s")
            clients = find_rate(target, args.step)
            say(f"best rate: {clients} clients")
        say(f"measuring: {clients} clients for {args.duration:.0f} s")
        measured = load(target, clients, args.duration, "measure")
    report(measured)
    if measured.errors:
        log = (instance / "gunicorn.log").read_text(errors="replace").splitlines()
        print("gunicorn.log, last lines:\n" + "\n".join(log[-40:]))
    print(f"load average after the run: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print(f"index updates left in the outbox: {pending_outbox(instance, args.database_url)}")
    say("cnig-share search check")
    try:
        print("cnig-share search check: " + cli(instance, "search", "check", environ=settings))
        checked = True
    except RuntimeError as failure:
        print(f"cnig-share search check FAILED: {failure}")
        checked = False
    errors = len(measured.errors)
    verdict = "PASS" if measured.passed() and checked else "FAIL"
    print(f"{verdict}: {measured.throughput:.1f} req/s with {clients} clients, "
          f"p95 {measured.p95():.0f} ms (< {THRESHOLD_MS:.0f}), {errors} errors, "
          f"search check {'ok' if checked else 'failed'}")  # fmt: skip
    return 0 if verdict == "PASS" else 1


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=10_000, help="resources (default 10000)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers (default 4)")
    parser.add_argument("--clients", type=int, default=4, help="concurrent clients (default 4)")
    parser.add_argument("--find-rate", action="store_true",
                        help="step the clients, then measure at the best rate")  # fmt: skip
    parser.add_argument("--duration", type=float, default=60, help="seconds (default 60)")
    parser.add_argument("--step", type=float, default=15, help="seconds a --find-rate step")
    parser.add_argument("--warmup", type=float, default=10, help="seconds, not counted")
    parser.add_argument("--cache", type=Path, metavar="DIR",
                        help="keep the imported instance in DIR and copy it next time")  # fmt: skip
    parser.add_argument("--database-url", metavar="URL",
                        help="PostgreSQL database to use; it is emptied first")  # fmt: skip
    parser.add_argument("--redis-url", metavar="URL", help="rate limits in Redis")
    args = parser.parse_args()
    if args.cache and args.database_url:
        parser.error("--cache keeps a SQLite instance; it cannot be used with --database-url")
    if args.cache:
        args.cache = args.cache.resolve()
        args.cache.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="cnig-load-") as tmp:
        return run(Path(tmp), args)


if __name__ == "__main__":
    sys.exit(main())
