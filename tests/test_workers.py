"""Several gunicorn workers at once, as in production (SPEC §8): concurrent
writes through the API lose nothing, a worker killed in the middle of a burst
leaves nothing half-written, and rate limits held in Redis bind every worker.

Each test starts a real gunicorn on a loopback port against the test database
and the test instance folder, then looks at the result from outside: the API, the
search, and `cnig-share search check`. Concurrent and interrupted writes run on
SQLite and PostgreSQL, whose locking differs, and so does hostile Markdown (its
versions and outbox rows are written beside the others' writes); the tests whose
outcome no query decides (a limit held in Redis, an index rebuilt) on one backend.
"""

from __future__ import annotations

import contextlib
import http.client
import json
import os
import random
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode

import pytest
from sqlalchemy import func, select

from cnig_share.extensions import db
from cnig_share.models import Resource, SearchOutbox
from tests.budgets import loaded
from tests.conftest import PASSWORD, REDIS_URL

CLIENTS = 8
pytestmark = pytest.mark.slow


# --- a real server --------------------------------------------------------------------


@dataclass
class Server:
    process: subprocess.Popen
    port: int
    access_log: Path

    def workers(self) -> set[int]:
        """Process ids of the master's living workers."""
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        return {int(pid) for pid in children.read_text().split()}

    def served_by(self) -> list[tuple[int, int]]:
        """(worker pid, status) of every request so far, from the access log."""
        lines = self.access_log.read_text().split()
        pairs = (line.strip("<>").replace(">", "").split(":") for line in lines if ":" in line)
        return [(int(pid), int(status)) for pid, status in pairs]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def gunicorn(app, instance: Path, workers: int = 2, **settings) -> Iterator[Server]:
    """Serve the test app's database and instance folder with gunicorn."""
    port = free_port()
    env = {
        **os.environ,
        "CNIG_SHARE_INSTANCE_PATH": str(instance),
        "CNIG_SHARE_SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
        "CNIG_SHARE_SECRET_KEY": "gunicorn-tests",
        "CNIG_SHARE_SEARCH_RATE_LIMIT": "100000 per minute",  # polled searches
        **{f"CNIG_SHARE_{key}": json.dumps(value) for key, value in settings.items()},
    }
    access_log = instance / "access.log"
    error_log = instance / "gunicorn.log"
    command = [
        sys.executable, "-m", "gunicorn", "-w", str(workers), "-b", f"127.0.0.1:{port}",
        "--access-logfile", str(access_log), "--access-logformat", "%(p)s:%(s)s",
        "--error-logfile", str(error_log), "--capture-output", "--graceful-timeout", "5",
        "cnig_share:create_app()",
    ]  # fmt: skip
    # From the instance folder, so no gunicorn.conf.py of the checkout applies.
    process = subprocess.Popen(command, env=env, cwd=instance)
    server = Server(process, port, access_log)
    try:
        wait_until_ready(server, workers)
        yield server
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def wait_until_ready(server: Server, workers: int, timeout: float = 60) -> None:
    """Until every worker is up and /healthz answers 200."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert server.process.poll() is None, "gunicorn exited; see gunicorn.log"
        with contextlib.suppress(OSError):
            if len(server.workers()) == workers and call(server, "GET", "/healthz")[0] == 200:
                return
        time.sleep(0.2)
    raise AssertionError(f"gunicorn not ready within {timeout} s")


def call(server: Server, method: str, path: str, token: str | None = None, payload=None):
    """One request on a fresh connection: (status, JSON body or None)."""
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=60)
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    body = None if payload is None else json.dumps(payload)
    try:
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        data = response.read()
    finally:
        connection.close()
    return response.status, (json.loads(data) if data else None)


def found_ids(server: Server, query: str) -> set[int]:
    status, body = call(server, "GET", "/api/v1/search?" + urlencode({"q": query}))
    assert status == 200, body
    return {hit["id"] for hit in body["results"]}


def search_check(instance: Path, app) -> subprocess.CompletedProcess:
    """The real console script, as an operator would run it."""
    env = {
        **os.environ,
        "CNIG_SHARE_INSTANCE_PATH": str(instance),
        "CNIG_SHARE_SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
    }
    script = Path(sys.executable).with_name("cnig-share")
    return subprocess.run(
        [str(script), "search", "check"], env=env, capture_output=True, text=True, timeout=120
    )


# --- writers ----------------------------------------------------------------------------


def word(client: int, number: int) -> str:
    """A made-up word only this resource holds (letters only, so the French
    analyser keeps it whole)."""
    return "zq" + "".join("bcdfghjklm"[int(d)] for d in f"{client}{number:03d}") + "x"


def record(client: int, number: int) -> dict:
    return {
        "title": f"Retour d'expérience {word(client, number)}",
        "summary": "Écrit pendant une rafale concurrente.",
        "body": f"Mot unique : {word(client, number)}. Thème : concurrence.",
        "kind": "retour-experience",
        "ctd": "bretagne",
        "terms": ["CTD"],
        "status": "published",
    }


@pytest.fixture
def tokens(app, make_user) -> list[str]:
    """One curator account and token per client, so per-account limits stay out of the way."""
    secrets = []
    for n in range(CLIENTS):
        email = make_user(f"veille{n}@cnig.example.org", role="curator")
        result = app.test_cli_runner().invoke(args=["create-token", email])
        assert result.exit_code == 0, result.output
        secrets.append(result.output.strip())
    return secrets


def stored_titles(app) -> dict[int, str]:
    with app.app_context():
        rows = db.session.execute(select(Resource.id, Resource.title)).all()
        db.session.remove()
    return dict(rows)


# --- the tests --------------------------------------------------------------------------


def test_concurrent_writes_from_every_worker_lose_nothing(app, instance_path, tokens):
    creates, edits = 10, 4  # per client: 8 × 14 = 112 writes
    with gunicorn(app, instance_path, workers=3) as server:

        def client(n: int) -> dict[int, str]:
            """Create, then edit some; the last title written for each id."""
            titles = {}
            for number in range(creates):
                payload = record(n, number)
                status, body = call(server, "POST", "/api/v1/resources", tokens[n], payload)
                assert status == 201, body
                titles[body["id"]] = body["title"]
            for resource_id in list(titles)[:edits]:
                title = titles[resource_id] + " retouchee" + word(n, 900 + len(titles))
                status, body = call(
                    server, "PATCH", f"/api/v1/resources/{resource_id}", tokens[n],
                    {"title": title},
                )  # fmt: skip
                assert status == 200, body
                titles[resource_id] = title
            return titles

        with ThreadPoolExecutor(CLIENTS) as pool:
            results = list(pool.map(client, range(CLIENTS)))
        written = {key: value for result in results for key, value in result.items()}

        assert len(written) == CLIENTS * creates
        assert len({pid for pid, _ in server.served_by()}) >= 2, "one worker took every request"
        assert stored_titles(app) == written
        for resource_id, title in written.items():
            # Found by its own word, and an edited one by the word its edit added.
            for made_up in (w for w in title.split() if w.startswith("zq")):
                assert resource_id in found_ids(server, made_up)
        status, body = call(server, "GET", "/api/v1/search?q=concurrence")
        assert status == 200 and body["total"] == len(written)

    result = search_check(instance_path, app)
    assert result.returncode == 0, result.stdout + result.stderr


def test_a_worker_killed_during_a_burst_leaves_nothing_half_written(app, instance_path, tokens):
    per_client = 12
    acknowledged: dict[int, str] = {}  # id → title, answered 201
    cut_short: list[str] = []  # titles whose request died with the worker
    lock = threading.Lock()
    with gunicorn(app, instance_path, workers=2) as server:

        def client(n: int) -> None:
            for number in range(per_client):
                payload = record(n, number)
                try:
                    status, body = call(server, "POST", "/api/v1/resources", tokens[n], payload)
                except (ConnectionError, http.client.HTTPException):
                    with lock:
                        cut_short.append(payload["title"])
                    continue
                assert status == 201, body
                with lock:
                    acknowledged[body["id"]] = body["title"]

        with ThreadPoolExecutor(CLIENTS) as pool:
            running = [pool.submit(client, n) for n in range(CLIENTS)]
            # Kill a busy worker until a request is cut short by it (a sync
            # worker is nearly always inside a request during the burst).
            kills = 0
            while not cut_short and not all(f.done() for f in running) and kills < 5:
                while len(acknowledged) < 20 * (kills + 1) and not all(f.done() for f in running):
                    time.sleep(0.01)
                os.kill(min(server.workers()), signal.SIGKILL)
                kills += 1
                time.sleep(0.3)
            for future in running:
                future.result()
        assert cut_short, "no request was in flight when the workers were killed"
        wait_until_ready(server, workers=2)  # the master replaced the killed worker

        stored = stored_titles(app)
        # Every acknowledged write is stored as answered; anything else stored
        # is one of the requests cut short, stored whole or not at all.
        assert {i: stored.get(i) for i in acknowledged} == acknowledged
        unacknowledged = {i: t for i, t in stored.items() if i not in acknowledged}
        assert set(unacknowledged.values()) <= set(cut_short)
        assert len(stored) == CLIENTS * per_client - len(cut_short) + len(unacknowledged)
        for resource_id in stored:
            status, body = call(server, "GET", f"/api/v1/resources/{resource_id}", tokens[0])
            assert status == 200
            assert body["terms"] == ["comité territorial de la donnée"]
            assert body["status"] == "published"
            assert body["title"].split()[-1] in body["body"]
        # Every committed write is searchable once the workers catch up on
        # what the killed one had left in the outbox.
        for resource_id, title in stored.items():
            assert resource_id in found_ids(server, title.split()[-1])
        with app.app_context():
            assert db.session.scalar(select(func.count(SearchOutbox.id))) == 0
            db.session.remove()
        # The index is not left locked or damaged: a new write is found at once.
        status, body = call(server, "POST", "/api/v1/resources", tokens[0], record(9, 999))
        assert status == 201
        assert found_ids(server, word(9, 999)) == {body["id"]}

    result = search_check(instance_path, app)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.one_backend
@pytest.mark.skipif(not REDIS_URL, reason="Redis unavailable: CNIG_SHARE_TEST_REDIS_URL not set")
def test_write_limit_held_in_redis_binds_every_worker(app, instance_path, tokens):
    import redis

    store = redis.Redis.from_url(REDIS_URL)
    store.flushdb()
    limit = 6
    settings = {"REDIS_URL": REDIS_URL, "API_WRITE_RATE_LIMIT": f"{limit} per minute"}
    try:
        with gunicorn(app, instance_path, workers=3, **settings) as server:

            def write(number: int) -> int:
                return call(server, "POST", "/api/v1/resources", tokens[0], record(0, number))[0]

            with ThreadPoolExecutor(CLIENTS) as pool:
                statuses = list(pool.map(write, range(3 * limit)))
            served = server.served_by()
            status, body = call(server, "POST", "/api/v1/resources", tokens[0], record(0, 99))
            other_account = call(server, "POST", "/api/v1/resources", tokens[1], record(1, 0))[0]
    finally:
        store.flushdb()

    assert sorted(statuses) == [201] * limit + [429] * (2 * limit)
    assert len({pid for pid, status in served if status in (201, 429)}) >= 2
    assert status == 429 and body["error"]["code"] == "rate_limited"
    assert other_account == 201
    assert len(stored_titles(app)) == limit + 1


DEGRADED_NOTICE = "L'index de recherche est en cours de reconstruction"


def page(server: Server, path: str) -> tuple[int, str]:
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=60)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        return response.status, response.read().decode()
    finally:
        connection.close()


def deleted(index: Path) -> None:
    shutil.rmtree(index)


def scrambled(index: Path) -> None:
    """Every file of the index overwritten with noise of the same size."""
    noise = random.Random(8)
    for path in index.iterdir():
        if path.is_file():
            path.write_bytes(noise.randbytes(max(path.stat().st_size, 16)))


@pytest.mark.one_backend
@pytest.mark.parametrize("damage", [deleted, scrambled])
def test_a_lost_index_is_rebuilt_in_the_background_while_search_answers(
    app, instance_path, tokens, damage
):
    with gunicorn(app, instance_path, workers=2) as server:
        published = set()
        for number in range(6):
            status, body = call(server, "POST", "/api/v1/resources", tokens[0], record(0, number))
            assert status == 201
            published.add(body["id"])
        assert len(found_ids(server, "concurrence")) == 6
        for _ in range(4):  # every worker holds a searcher on the index about to go
            assert page(server, "/recherche?q=concurrence")[0] == 200

        damage(instance_path / "index")

        status, html = page(server, "/recherche?q=" + word(0, 3))
        assert status == 200
        assert DEGRADED_NOTICE in html  # the request that finds the damage answers from the titles
        assert f"/ressources/{sorted(published)[3]}" in html
        deadline = time.monotonic() + 60
        while found_ids(server, "concurrence") != published:
            assert time.monotonic() < deadline, "the index was not rebuilt within 60 s"
            time.sleep(0.2)
        status, html = page(server, "/recherche?q=concurrence")
        assert status == 200 and DEGRADED_NOTICE not in html
        assert {pid for pid, status in server.served_by() if status >= 500} == set()

    result = search_check(instance_path, app)
    assert result.returncode == 0, result.stdout + result.stderr


# --- hostile Markdown (issue 14 §1) -------------------------------------------------------

# The same two poisons by two paths: a resource's body through the API (JSON), a
# CTD's roadmap through its form (a signed-in session). First the 30,000 "["
# (0.26 s of CPU: stored, or refused where two busy hyperthreads double that past the
# budget; the issue allows both), then the costliest input measured at the field's
# length limit (always over the budget). A round's number leads each, so that no
# render is reused from a cache; only the resource bodies say "crochets".
API_POISONS = [
    ("Crochets {} " + "[" * 30_000, {201, 422}),
    ("{}" + "![" * 99_999, {422}),  # the body's limit: 200,000 characters
]
FORM_POISONS = [
    ("Axes {} " + "[" * 30_000, {303, 422}),
    ("{}" + "![" * 49_999, {422}),  # the roadmap's limit: 100,000 characters
]
REFUSED = "Ce texte demande trop de calcul pour être mis en forme."


def timed_call(server: Server, method: str, path: str, token: str | None = None, payload=None):
    started = time.perf_counter()
    status, body = call(server, method, path, token, payload)
    return status, body, time.perf_counter() - started


class Session:
    """A person in a browser: cookies kept, forms posted with their CSRF token,
    redirects not followed."""

    def __init__(self, server: Server) -> None:
        self.server = server
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, form: dict | None = None) -> tuple[int, str]:
        connection = http.client.HTTPConnection("127.0.0.1", self.server.port, timeout=60)
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        body = None
        if form is not None:
            body = urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            text = response.read().decode()
        finally:
            connection.close()
        for cookie in response.headers.get_all("Set-Cookie") or []:
            name, _, value = cookie.split(";")[0].partition("=")
            self.cookies[name] = value
        return response.status, text

    def submit(self, path: str, data: dict) -> tuple[int, str, float]:
        """The form at `path` posted with `data` and the page's own hidden fields:
        (status, page, seconds of the post)."""
        _, page = self.request("GET", path)
        hidden = dict(
            re.findall(r'<input[^>]*name="(csrf_token|version)"[^>]*value="([^"]*)"', page)
        )
        started = time.perf_counter()
        status, text = self.request("POST", path, {**hidden, **data})
        return status, text, time.perf_counter() - started


def test_hostile_markdown_costs_little_while_others_search_and_write(app, instance_path, tokens):
    """One curator sends the poison texts again and again, by the API and by a
    form; meanwhile other clients search and write through the API. Every answer is
    measured."""
    rounds, others = 2, 2
    with gunicorn(app, instance_path, workers=2) as server:
        for number in range(4):  # something to find from the start
            assert call(server, "POST", "/api/v1/resources", tokens[1], record(1, number))[0] == 201
        person = Session(server)
        status, _, _ = person.submit(
            "/connexion", {"email": "veille0@cnig.example.org", "password": PASSWORD}
        )
        assert status == 303
        stop = threading.Event()

        def poisoner() -> list[tuple[str, set[int], int, float]]:
            answers = []
            try:
                for round in range(rounds):
                    for body, expected in API_POISONS:
                        payload = {**record(0, 0), "body": body.format(round)}
                        status, _, seconds = timed_call(
                            server, "POST", "/api/v1/resources", tokens[0], payload
                        )
                        answers.append(("api", expected, status, seconds))
                    for body, expected in FORM_POISONS:
                        path = "/ctd/bretagne/feuille-de-route/modifier"
                        status, page, seconds = person.submit(path, {"body": body.format(round)})
                        assert status != 422 or REFUSED in page, page
                        answers.append(("form", expected, status, seconds))
            finally:  # a poison that fails the test also ends the others' loop
                stop.set()
            return answers

        def bystander(n: int) -> list[tuple[str, int, float]]:
            answers, number = [], 0
            while not stop.is_set():
                status, _, seconds = timed_call(server, "GET", "/api/v1/search?q=concurrence")
                answers.append(("search", status, seconds))
                number += 1
                status, _, seconds = timed_call(
                    server, "POST", "/api/v1/resources", tokens[n], record(n, number)
                )
                answers.append(("write", status, seconds))
            return answers

        with ThreadPoolExecutor(1 + others) as pool:
            poisoned = pool.submit(poisoner)
            watched = [pool.submit(bystander, n) for n in range(2, 2 + others)]
            poison_answers = poisoned.result()
            answers = [answer for future in watched for answer in future.result()]

        assert all(status in expected for _, expected, status, _ in poison_answers), poison_answers
        assert {path for path, *_ in poison_answers} == {"api", "form"}
        stored = sum(path == "api" and status == 201 for path, _, status, _ in poison_answers)
        slowest_poison = max(seconds for *_, seconds in poison_answers)
        # The bounds hold on this machine at rest (the is two seconds);
        # answers come from other processes, so only their wall-clock time can be
        # read, and when other work shares the two cores (the other pytest process,
        # other sessions) every answer stretches by the run queue: so do the bounds.
        assert slowest_poison < loaded(2.0), slowest_poison
        assert {status for kind, status, _ in answers} <= {200, 201}, answers
        latencies = sorted(seconds for _, _, seconds in answers)
        median, slowest = latencies[len(latencies) // 2], latencies[-1]
        print(f"poison: slowest {slowest_poison:.2f} s; others: {len(answers)} answers, "
              f"median {median:.3f} s, slowest {slowest:.2f} s")  # fmt: skip
        assert len(answers) >= 2 * others  # they were served meanwhile, not after
        assert median < loaded(0.5) and slowest < loaded(2.0), (median, slowest)
        # The accepted poison is found, and searching it costs nothing more.
        status, body, seconds = timed_call(server, "GET", "/api/v1/search?q=crochets")
        assert status == 200 and body["total"] == stored and seconds < loaded(2.0)

    result = search_check(instance_path, app)
    assert result.returncode == 0, result.stdout + result.stderr
