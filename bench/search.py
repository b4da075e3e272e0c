"""Benchmark full-text search on a generated French corpus: the app's search function,
/api/v1/search and /recherche under gunicorn, throughput with concurrent clients,
`cnig-share import`, and a SQLite FTS5 baseline.

    .venv/bin/python bench/search.py [--n 10000] [--queries 300] [--seed 1]
                                     [--profile standard|content-heavy]
                                     [--query-set zipf|large-hit] [--clients 8]
                                     [--skip-http] [--skip-import] [--keep DIR]

Profiles: `standard` is about half function words (which the stop list drops);
`content-heavy` has almost none, like technical reports and extracted PDFs. The
`large-hit` query set (the default with content-heavy) picks words which, once
stemmed, match about 45 % of the documents.
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import itertools
import math
import os
import random
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import unicodedata
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import urlencode

from sqlalchemy import delete, insert, select

from cnig_share import create_app, markdown
from cnig_share.database import ensure_reference_data
from cnig_share.extensions import db
from cnig_share.models import KINDS, Ctd, GlossaryTerm, Resource, SearchOutbox, resource_terms
from cnig_share.search import sync
from cnig_share.search.analysis import stems
from cnig_share.search.service import SearchParams, search

CHUNK = 2000  # documents generated and inserted at a time
# Run before each measurement, not counted: words no document holds, so that the
# measured queries meet no score, position or passage kept by an earlier one.
WARMUP = [f"zorglub{n} xylophage{n}" for n in range(20)]
BUDGET = 900.0  # seconds per measured method at most: runs stay bounded at any --n
ZIPF = 1.05
EDITS = 20  # single published edits timed until searchable
PROFILES = ("standard", "content-heavy")
# Share of function words in a content-heavy text ("almost none").
CONTENT_HEAVY_FUNCTION_SHARE = 0.03
LARGE_HIT_SHARE = 0.45  # of documents a large-hit query aims to match…
LARGE_HIT_TOLERANCE = 0.06  # …give or take this, estimated from each stem's share
THROUGHPUT_SECONDS = 20.0  # the concurrent clients' run

# Function words: the most frequent ranks, never in queries.
FUNCTION_WORDS = """de la le les des et à en du un une pour dans par sur est qui que au avec sont
ce plus ou aux leur leurs cette ces son sa ses il elle ils nous se ne pas être a été entre tout
tous afin ainsi comme dont mais aussi également notamment lors sans chaque deux trois très après
déjà où vers chez depuis selon"""

# Nouns and adjectives (singular; plurals are derived), roughly by frequency.
LEMMAS = """donnée territoire service projet collectivité géographique référentiel adresse numérique
acteur réseau commune plateforme outil usage public région partage cadastre mutualisation
qualité département gouvernance besoin carte jumeau énergie mobilité urbanisme inondation
intercommunalité orthophotographie métropole parcelle bâtiment voirie plan local territorial
cartographie couche catalogue métadonnée standard norme schéma format interopérabilité licence
ouverture diffusion comité partenaire usager agent observatoire indicateur tableau analyse
traitement production précision résolution imagerie satellite relevé topographique altimétrie
occupation sol artificialisation foncier logement habitat population recensement démographie
économie emploi entreprise agriculture forêt biodiversité environnement climat risque naturel
submersion sécheresse eau assainissement déchet transport vélo piéton stationnement trafic
éclairage télécommunication fibre électricité gaz chaleur rénovation patrimoine tourisme santé
éducation école équipement espace nature littoral montagne rivière bassin versant zone zonage
périmètre limite administratif numérotation voie base national registre inventaire nomenclature
classification typologie modèle simulation scénario prospective stratégie politique feuille
route convention marché financement subvention budget coût logiciel application algorithme
intelligence artificiel apprentissage serveur flux géoservice visualisation atelier formation
sensibilisation animation réunion webinaire séminaire groupe travail communauté expérimentation
retour expérience pratique guide méthode méthodologie recommandation cahier charge
spécification exigence sécurité confidentialité protection juridique réglementation directive
européen obligation ouvert producteur réutilisateur utilisateur démarche accompagnement
ingénierie expertise compétence prestataire syndicat établissement opérateur État préfecture
conseil régional départemental agglomération maire élu citoyen habitant association partagé
commun spatial environnemental énergétique urbain rural agricole durable fiable précis récent
nouveau important principal nécessaire disponible accessible complet détaillé cohérent
homogène harmonisé collaboratif opérationnel stratégique technique thématique cadastral
hydrographique routier échelle étude enjeu évolution échange élément étape évaluation
aménagement développement déploiement câble compteur capteur mesure série période année mois
identifiant géométrie attribut table fichier export import version mise jour contrôle
validation anomalie correction fusion agrégation indicateur synthèse rapport bilan diagnostic
cartographique géolocalisé géoréférencé mutualisé interministériel métier référent chargé
mission pilotage feuille calendrier priorité objectif résultat bénéfice économique social
solidaire sobriété transition résilience adaptation vulnérabilité crue ruissellement digue
réseau chaleur photovoltaïque éolien méthanisation hydrogène borne recharge véhicule
covoiturage desserte gare arrêt itinéraire accessibilité handicap sentier randonnée"""

# Verb forms: no plural.
VERBS = """permet mutualiser partager publier diffuser produire collecter améliorer faciliter
développer accompagner favoriser construire harmoniser structurer valoriser exploiter intégrer
consolider garantir assurer identifier cartographier mesurer suivre évaluer anticiper réduire
renforcer présenter proposer organiser réunir définir décrire réutiliser géolocaliser numériser
actualiser présente propose vise repose facilite décrit permettent contribue"""


def plural(word: str) -> str:
    """The regular French plural of a noun or adjective."""
    if word.endswith(("s", "x", "z")):
        return word
    if word.endswith("al"):
        return word[:-2] + "aux"
    if word.endswith(("eau", "eu")):
        return word + "x"
    return word + "s"


def strip_accents(word: str) -> str:
    """The word as typed without accents: données → donnees."""
    decomposed = unicodedata.normalize("NFD", word)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


class Vocabulary:
    """Word forms with Zipf weights; function words first, then each lemma and its plural.

    `standard`: one Zipf law over all forms, so function words are about half
    of a text. `content-heavy`: function words are CONTENT_HEAVY_FUNCTION_SHARE
    of it, content words keep their Zipf law among themselves."""

    def __init__(self, profile: str = "standard") -> None:
        function_words, lemmas = FUNCTION_WORDS.split(), LEMMAS.split()
        self.lemmas = set(lemmas)
        forms = [form for lemma in lemmas for form in (lemma, plural(lemma))]
        self.content = list(dict.fromkeys(forms + VERBS.split()))
        self.forms = function_words + self.content
        weights = [1 / (rank + 1) ** ZIPF for rank in range(len(self.forms))]
        function, content = weights[: len(function_words)], weights[len(function_words) :]
        if profile == "content-heavy":
            share = CONTENT_HEAVY_FUNCTION_SHARE
            scale = share / (1 - share) * sum(content) / sum(function)
            function = [weight * scale for weight in function]
        self.cum = list(itertools.accumulate(function + content))
        self.content_cum = list(itertools.accumulate(content))

    def words(self, rng: random.Random, k: int, content: bool = False) -> list[str]:
        """k words drawn with the Zipf weights."""
        if content:
            return rng.choices(self.content, cum_weights=self.content_cum, k=k)
        return rng.choices(self.forms, cum_weights=self.cum, k=k)


def sentences(rng: random.Random, words: list[str]) -> str:
    """Words cut into capitalised sentences of 8–20 words and paragraphs of 3–6 sentences."""
    out, paragraph, i = [], [], 0
    while i < len(words):
        n = rng.randint(8, 20)
        chunk = words[i : i + n]
        i += n
        paragraph.append(chunk[0].capitalize() + " " + " ".join(chunk[1:]) + ".")
        if len(paragraph) >= rng.randint(3, 6):
            out.append(" ".join(paragraph))
            paragraph = []
    if paragraph:
        out.append(" ".join(paragraph))
    return "\n\n".join(out)


def corpus(rng: random.Random, vocab: Vocabulary, n: int, ctds: list, terms: list):
    """Yield n documents: title, summary, body, kind, CTD, 1–3 terms, a date in 2019–2026."""
    start = datetime(2019, 1, 1, tzinfo=UTC)
    span = (datetime(2027, 1, 1, tzinfo=UTC) - start).total_seconds()
    kinds = list(KINDS)
    for doc_id in range(1, n + 1):
        title = " ".join(vocab.words(rng, rng.randint(5, 12), content=True))
        yield {
            "id": doc_id,
            "title": title.capitalize(),
            "summary": sentences(rng, vocab.words(rng, rng.randint(20, 40))),
            "body": sentences(rng, vocab.words(rng, rng.randint(300, 1200))),
            "kind": rng.choice(kinds),
            "ctd": rng.choice(ctds),
            "terms": rng.sample(terms, rng.randint(1, 3)),
            "published_at": start + timedelta(seconds=rng.uniform(0, span)),
        }


def as_typed(rng: random.Random, vocab: Vocabulary, words: list[str]) -> str:
    """A quarter of the words put in the plural, a quarter without accents."""
    words = [plural(w) if w in vocab.lemmas and rng.random() < 0.25 else w for w in words]
    words = [strip_accents(w) if rng.random() < 0.25 else w for w in words]
    return " ".join(words)


def make_queries(rng: random.Random, vocab: Vocabulary, count: int) -> list[str]:
    """1–3 content words each, drawn with the Zipf weights."""
    return [
        as_typed(rng, vocab, vocab.words(rng, rng.randint(1, 3), content=True))
        for _ in range(count)
    ]


def large_hit_queries(
    rng: random.Random, vocab: Vocabulary, shares: dict[str, float], count: int
) -> list[str]:
    """1–3 content words each whose stems together match about LARGE_HIT_SHARE of
    the documents: the product of each stem's share of documents (`shares`,
    counted on the corpus) lies within LARGE_HIT_TOLERANCE of it."""
    words = sorted(w for w in vocab.content if shares.get(w, 0) >= LARGE_HIT_SHARE)
    if not words:
        raise RuntimeError("no word matches enough documents for large-hit queries")
    queries: list[str] = []
    for _ in range(count * 1000):
        chosen = rng.sample(words, min(len(words), rng.randint(1, 3)))
        if len({stem_of(w) for w in chosen}) < len(chosen):
            continue  # two forms of one word
        if abs(math.prod(shares[w] for w in chosen) - LARGE_HIT_SHARE) <= LARGE_HIT_TOLERANCE:
            queries.append(as_typed(rng, vocab, chosen))
            if len(queries) == count:
                return queries
    raise RuntimeError(f"only {len(queries)} large-hit queries found")


_stems: dict[str, str] = {}


def stem_of(word: str) -> str:
    """The app's indexed form of one word ("" for a stop word)."""
    if word not in _stems:
        _stems[word] = " ".join(stems(word))
    return _stems[word]


class StemShares:
    """Counts, while the corpus is loaded, the documents holding each stem;
    then each word form's share of documents (that of its stem)."""

    def __init__(self) -> None:
        self.documents = 0
        self.counts: Counter[str] = Counter()

    def add(self, doc: dict) -> None:
        self.documents += 1
        text = f"{doc['title']} {doc['summary']} {doc['body']}".lower().replace(".", " ")
        self.counts.update({stem_of(word) for word in set(text.split())})

    def by_word(self, vocab: Vocabulary) -> dict[str, float]:
        return {w: self.counts[stem_of(w)] / self.documents for w in vocab.content}


FTS_SCHEMA = """
CREATE VIRTUAL TABLE fts USING fts5(title, summary, body,
    tokenize="unicode61 remove_diacritics 2");
CREATE TABLE docs (id INTEGER PRIMARY KEY, kind TEXT, ctd TEXT, year TEXT);
CREATE TABLE doc_terms (doc INTEGER, term TEXT, PRIMARY KEY (doc, term)) WITHOUT ROWID;
CREATE TEMP TABLE hits (id INTEGER PRIMARY KEY);
"""


def load(fts: sqlite3.Connection, docs, shares: StemShares) -> tuple[int, float]:
    """Insert the documents into the app's database and the FTS5 file, in chunks;
    return the number of words and the seconds spent writing FTS5."""
    words, fts_seconds = 0, 0.0
    for chunk in iter(lambda: list(itertools.islice(docs, CHUNK)), []):
        for d in chunk:
            shares.add(d)
            # A bulk insert sets no attribute: the body's stored rendering (which
            # the index reads) is written here, as the forms and imports do.
            d["rendered"] = markdown.render(d["body"])
        resources = [
            {
                "id": d["id"],
                "title": d["title"],
                "summary": d["summary"],
                "body": d["body"],
                "body_html": d["rendered"].html,
                "body_text": d["rendered"].text,
                "kind": d["kind"],
                "ctd_id": d["ctd"][0],
                "status": "published",
                "published_at": d["published_at"],
                "created_at": d["published_at"],
                "updated_at": d["published_at"],
            }
            for d in chunk
        ]
        tags = [{"resource_id": d["id"], "term_id": t[0]} for d in chunk for t in d["terms"]]
        db.session.execute(insert(Resource), resources)
        db.session.execute(insert(resource_terms), tags)
        db.session.commit()
        words += sum(len(d["body"].split()) for d in chunk)

        started = time.perf_counter()
        fts.executemany(
            "INSERT INTO fts (rowid, title, summary, body) VALUES (?, ?, ?, ?)",
            [(d["id"], d["title"], d["summary"], d["body"]) for d in chunk],
        )
        fts.executemany(
            "INSERT INTO docs VALUES (?, ?, ?, ?)",
            [(d["id"], d["kind"], d["ctd"][1], str(d["published_at"].year)) for d in chunk],
        )
        fts.executemany(
            "INSERT INTO doc_terms VALUES (?, ?)",
            [(d["id"], t[1]) for d in chunk for t in d["terms"]],
        )
        fts.commit()
        fts_seconds += time.perf_counter() - started
    return words, fts_seconds


def fts_search(fts: sqlite3.Connection, text: str) -> int:
    """Top 10 by bm25 with snippets, exact count and four facets; return the count."""
    match = " AND ".join('"' + w.replace('"', '""') + '"' for w in text.split())
    top = fts.execute(
        "SELECT rowid, bm25(fts, 4.0, 2.0, 1.0),"
        " snippet(fts, 2, '<mark>', '</mark>', ' … ', 32)"
        " FROM fts WHERE fts MATCH ? ORDER BY bm25(fts, 4.0, 2.0, 1.0) LIMIT 10",
        (match,),
    ).fetchall()
    fts.execute("DELETE FROM hits")
    fts.execute("INSERT INTO hits SELECT rowid FROM fts WHERE fts MATCH ?", (match,))
    total = fts.execute("SELECT count(*) FROM hits").fetchone()[0]
    for column in ("kind", "ctd", "year"):
        fts.execute(
            f"SELECT d.{column}, count(*) FROM hits JOIN docs d USING (id) GROUP BY d.{column}"
        ).fetchall()
    fts.execute(
        "SELECT t.term, count(*) FROM hits JOIN doc_terms t ON t.doc = hits.id GROUP BY t.term"
    ).fetchall()
    assert total >= len(top)
    return total


def app_search(app, text: str) -> int:
    """The app's search function as a request runs it; return the total."""
    with app.test_request_context():
        results = search(SearchParams(q=text, per_page=10))
        assert len(results.hits) <= 10 and not results.degraded
        return results.total


def measure(label: str, run, queries: list[str]) -> dict:
    """Warm up, then time run(query) for each query within the budget: the
    wall-clock time, and this process's CPU time (which other work on the
    machine barely changes; it is the search's own only when run in-process)."""
    for text in WARMUP:
        run(text)
    times, cpu, totals, started = [], [], [], time.perf_counter()
    for text in queries:
        t0, c0 = time.perf_counter(), time.process_time()
        totals.append(run(text))
        times.append((time.perf_counter() - t0) * 1000)
        cpu.append((time.process_time() - c0) * 1000)
        if time.perf_counter() - started > BUDGET:
            print(f"  {label}: budget reached after {len(times)} queries", file=sys.stderr)
            break
    print(f"  {label}: {len(times)} queries in {time.perf_counter() - started:.1f} s")
    return {"label": label, "times": times, "cpu": cpu, "totals": totals}


def free_port() -> int:
    """A free TCP port on the loopback interface."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def http_get(port: int, path: str) -> bytes:
    """GET a path on the loopback server; the body, or an error unless 200."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        body = response.read()
    finally:
        connection.close()
    if response.status != 200:
        raise RuntimeError(f"GET {path}: HTTP {response.status}")
    return body


def getter(port: int, prefix: str):
    """A function that GETs prefix + q=query and returns the body's length."""
    return lambda text: len(http_get(port, prefix + urlencode({"q": text})))


@contextlib.contextmanager
def gunicorn(instance: Path, workers: int = 2, environ: dict[str, str] | None = None):
    """Run the app under gunicorn on loopback until the block ends; yield the port.
    `environ` adds settings (CNIG_SHARE_* variables)."""
    port = free_port()
    log = open(instance / "gunicorn.log", "wb")  # noqa: SIM115 — closed below
    command = [sys.executable, "-m", "gunicorn", "-w", str(workers), "-b", f"127.0.0.1:{port}"]
    process = subprocess.Popen(
        [*command, "--timeout", "300", "cnig_share:create_app()"],
        env={**os.environ, **(environ or {}), "CNIG_SHARE_INSTANCE_PATH": str(instance)},
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"gunicorn exited with {process.returncode}; see {log.name}")
            with contextlib.suppress(OSError, RuntimeError):
                http_get(port, "/healthz")
                break
            if time.monotonic() > deadline:
                raise RuntimeError("gunicorn did not answer /healthz within 60 s")
            time.sleep(0.2)
        yield port
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()


# Every query comes from one address: the per-address search limit
# (SEARCH_RATE_LIMIT, 60 a minute by default) is lifted for the bench.
RAISED_SEARCH_LIMIT = {"CNIG_SHARE_SEARCH_RATE_LIMIT": "1000000 per minute"}


def edit_latency(app, port: int, count: int, documents: int, seed: str = "edits") -> list[float]:
    """Publish an edit `count` times in this process and time, from the start
    of its commit, until a gunicorn worker's /api/v1/search finds it."""
    rng = random.Random(seed)
    delays = []
    for n in range(count):
        # A made-up word, so that only the edited resource can match it.
        word = "".join(rng.choice("bcdfghjklmnpqrstvwxz") for _ in range(6)) + "ou"
        with app.app_context():
            resource = db.session.get(Resource, 1 + n * 97 % documents)
            resource.summary = f"{resource.summary} {word}"
            started = time.perf_counter()
            db.session.commit()  # the after-commit hook writes the index
        deadline = started + 30
        path = "/api/v1/search?" + urlencode({"q": word})
        while b'"total":1' not in http_get(port, path).replace(b" ", b""):
            if time.perf_counter() > deadline:
                raise RuntimeError(f"edit {n} not searchable after 30 s")
            time.sleep(0.005)
        delays.append((time.perf_counter() - started) * 1000)
    return delays


def megabytes(path: Path) -> float:
    """Size of a file or folder in MB."""
    files = [path] if path.is_file() else [f for f in path.rglob("*") if f.is_file()]
    return sum(f.stat().st_size for f in files) / 1e6


def percentile(values: list[float], p: float) -> float:
    """Nearest-rank percentile."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)]


def report(rows: list[dict], baseline: dict) -> None:
    """Print median, p95, p99 and the ratio of each p95 to the FTS5 p95."""
    base95 = percentile(baseline["times"], 95)
    print(f"\n{'':<34}{'n':>5}{'median':>10}{'p95':>10}{'p99':>10}{'p95 ÷ FTS5':>12}")
    for row in rows:
        times = row["times"]
        p95 = percentile(times, 95)
        print(
            f"{row['label']:<34}{len(times):>5}{statistics.median(times):>10.1f}"
            f"{p95:>10.1f}{percentile(times, 99):>10.1f}{p95 / base95:>11.1f}×"
        )
    print("(milliseconds)")


def build(instance: Path, args) -> tuple:
    """Create the instance, load the corpus, build both indexes; return app, FTS5,
    stats, the queries measured and those that put workers in service."""
    app = create_app({}, environ={"CNIG_SHARE_INSTANCE_PATH": str(instance)})
    fts = sqlite3.connect(instance / "fts5.db")
    fts.executescript(FTS_SCHEMA)
    vocab = Vocabulary(args.profile)
    rng = random.Random(args.seed)
    shares = StemShares()
    with app.app_context():
        db.create_all()
        ensure_reference_data()
        ctds = [tuple(row) for row in db.session.execute(select(Ctd.id, Ctd.slug))]
        terms = [
            tuple(row) for row in db.session.execute(select(GlossaryTerm.id, GlossaryTerm.slug))
        ]
        started = time.perf_counter()
        words, fts_seconds = load(fts, corpus(rng, vocab, args.n, ctds, terms), shares)
        print(
            f"corpus ({args.profile}): {args.n} documents, {words:,} body words,"
            f" {len(vocab.forms)} word forms"
        )
        print(f"  generated and loaded in {time.perf_counter() - started:.1f} s")
        db.session.execute(delete(SearchOutbox))
        db.session.commit()
        started = time.perf_counter()
        indexed = sync.rebuild(procs=2)
        index_seconds = time.perf_counter() - started
    if indexed != args.n:
        raise RuntimeError(f"indexed {indexed} documents, expected {args.n}")
    stats = {"index": args.n / index_seconds, "fts": args.n / fts_seconds, "words": words}
    print(f"  Whoosh rebuild(procs=2): {index_seconds:.1f} s, {stats['index']:.0f} docs/s")
    print(f"  FTS5 inserts: {fts_seconds:.1f} s, {stats['fts']:.0f} docs/s")
    # Their own generators: the same queries whatever --n; and as many others, drawn
    # alike, that workers answer first to be "in service".
    sets = []
    for name in ("queries", "serving"):
        rng = random.Random(f"{name}-{args.seed}")
        if args.query_set == "large-hit":
            sets.append(large_hit_queries(rng, vocab, shares.by_word(vocab), args.queries))
        else:
            sets.append(make_queries(rng, vocab, args.queries))
    return app, fts, stats, *sets


def throughput(port: int, queries: list[str], clients: int, seconds: float) -> float:
    """Requests per second of `clients` threads each sending /api/v1/search
    requests one after the other (closed loop) for `seconds`."""
    done = [0] * clients
    errors: list[BaseException] = []
    stop_at = time.perf_counter() + seconds

    def client(number: int) -> None:
        try:
            for text in itertools.islice(itertools.cycle(queries), number * 7, None):
                if time.perf_counter() >= stop_at:
                    return
                http_get(port, "/api/v1/search?per_page=10&" + urlencode({"q": text}))
                done[number] += 1
        except BaseException as error:  # reported below, not lost in the thread
            errors.append(error)

    started = time.perf_counter()
    threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if errors:
        raise errors[0]
    return sum(done) / (time.perf_counter() - started)


def import_rate(folder: Path, args) -> float:
    """Resources per second of `cnig-share import` (indexing included) of the
    same kind of corpus, in a fresh instance."""
    from corpus_cli import cli, write_corpus  # it imports this module

    folder.mkdir()
    lines = folder / "corpus.jsonl"
    write_corpus(lines, args.n, args.seed, args.profile)
    cli(folder / "instance", "init-db")
    started = time.perf_counter()
    cli(folder / "instance", "import", str(lines))
    return args.n / (time.perf_counter() - started)


def run(instance: Path, args) -> None:
    """Build, measure every method on the same queries, print the table."""
    app, fts, stats, queries, serving = build(instance, args)
    print(f"queries ({args.query_set}): {len(queries)}, e.g. {', '.join(queries[:6])}")
    delays: list[float] = []
    rate = None
    # Each method first on queries it has not seen (the index's scores, positions and
    # passages are kept per worker until the index changes), then on the same again.
    search_fn = lambda text: app_search(app, text)  # noqa: E731
    rows = [measure("app search function", search_fn, queries)]
    rows.append(measure("app search function, again", search_fn, queries))
    baseline = measure("FTS5 baseline", lambda text: fts_search(fts, text), queries)
    if not args.skip_http:
        # Every query comes from one address: lift the per-address search limit.
        # The API's default page is 20 results: ask for 10, like the other methods.
        for label, path in (("/api/v1/search", "/api/v1/search?per_page=10&"),
                            ("/recherche", "/recherche?")):  # fmt: skip
            with gunicorn(instance, environ=RAISED_SEARCH_LIMIT) as port:  # fresh workers
                rows.append(measure(f"HTTP {label}", getter(port, path), queries))
                measure(f"HTTP {label}, second pass", getter(port, path), queries)
                # Two passes: each of the two workers has then seen most queries.
                rows.append(measure(f"HTTP {label}, again", getter(port, path), queries))
                if label == "/api/v1/search":
                    rate = throughput(port, queries, args.clients, args.seconds)
                    delays = edit_latency(app, port, EDITS, args.n)
            # Workers in service: they have answered other queries, then an edit was
            # published (the scores they kept went with their searchers; what they keep
            # per segment stays, as on a site in use). The queries are new to them.
            with gunicorn(instance, environ=RAISED_SEARCH_LIMIT) as port:
                get = getter(port, path)
                for text in serving:
                    get(text)
                edit_latency(app, port, 1, args.n, seed=f"in service {label}")
                rows.append(measure(f"HTTP {label}, in service", get, queries))
    report([*rows, baseline], baseline)
    cpu = rows[0]["cpu"]
    print(
        f"app search function, CPU time: median {statistics.median(cpu):.1f} ms,"
        f" p95 {percentile(cpu, 95):.1f} ms"
    )
    if rate is not None:
        print(
            f"/api/v1/search with {args.clients} concurrent clients on gunicorn -w 2:"
            f" {rate:.1f} req/s"
        )
    if delays:
        print(
            f"single edit → found by /api/v1/search: median {statistics.median(delays):.0f} ms,"
            f" max {max(delays):.0f} ms over {len(delays)} edits"
        )
    for row in (rows[0], baseline):
        share = statistics.median(row["totals"]) / args.n
        empty = sum(1 for total in row["totals"] if total == 0)
        print(f"{row['label']}: median matches {share:.0%} of documents, {empty} queries empty")
    print(f"indexing: Whoosh {stats['index']:.0f} docs/s, FTS5 {stats['fts']:.0f} docs/s")
    if not args.skip_import:
        imported = import_rate(instance / "import", args)
        print(f"cnig-share import of {args.n} resources: {imported:.0f} resources/s")
    sizes = {name: megabytes(instance / name) for name in ("index", "cnig_share.db", "fts5.db")}
    print(f"corpus: {args.n} documents, {stats['words']:,} body words; cpu_count={os.cpu_count()}")
    print("on disk: " + ", ".join(f"{name} {size:.0f} MB" for name, size in sizes.items()))
    fts.close()
    app.extensions["search"].close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=10_000, help="documents (default 10000)")
    parser.add_argument("--queries", type=int, default=300, help="queries (default 300)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--profile", choices=PROFILES, default="standard")
    parser.add_argument(
        "--query-set",
        choices=("zipf", "large-hit"),
        help="zipf: 1–3 words drawn like the text; large-hit: ~45 %% of documents each"
        " (the default with --profile content-heavy)",
    )
    parser.add_argument("--clients", type=int, default=8, help="concurrent clients (8)")
    parser.add_argument(
        "--seconds", type=float, default=THROUGHPUT_SECONDS, help="of the concurrent run"
    )
    parser.add_argument("--skip-http", action="store_true", help="no gunicorn measurements")
    parser.add_argument("--skip-import", action="store_true", help="no `cnig-share import`")
    parser.add_argument(
        "--keep", type=Path, metavar="DIR", help="build the instance in DIR, keep it"
    )
    args = parser.parse_args()
    if args.query_set is None:
        args.query_set = "large-hit" if args.profile == "content-heavy" else "zipf"
    started = time.perf_counter()
    if args.keep:
        if args.keep.exists() and any(args.keep.iterdir()):
            parser.error(f"{args.keep} is not empty")
        run(args.keep.resolve(), args)
    else:
        with tempfile.TemporaryDirectory(prefix="cnig-bench-") as tmp:
            run(Path(tmp), args)
    print(f"total run time: {time.perf_counter() - started:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
