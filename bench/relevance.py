"""Measure how well search ranks on a judged set of French queries over the demo
content: recall@5, precision@1 and MRR, per group of queries and overall.

    .venv/bin/python bench/relevance.py [--database-url URL] [--judged FILE] [--misses]
                                        [--no-synonyms]

The demo content is loaded (`seed-demo`) into a fresh database — a temporary
SQLite file, or the PostgreSQL database given, whose tables are DROPPED first —
and an index in a temporary folder; a curator then accepts every acronym the
demo's published resources define as a site synonym (unless --no-synonyms),
and each query of the judged set (bench/relevance.toml) goes through the app's
search function.

- recall@5: the share of the relevant items in the first five results, out of
  the relevant items (or five, when more are relevant);
- precision@1: whether the first result is relevant;
- MRR: the mean of 1 / rank of the first relevant result (0 if none in the ten first).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import tomllib
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select

from cnig_share import create_app
from cnig_share.database import ensure_reference_data
from cnig_share.demo.content import PACKAGED
from cnig_share.demo.seed import seed
from cnig_share.extensions import db
from cnig_share.models import (
    AcronymProposal,
    NationalActor,
    Project,
    Resource,
    RoadmapVersion,
    User,
)
from cnig_share.resources import extraction_jobs
from cnig_share.search import sync, synonyms
from cnig_share.search.service import SearchParams, search

JUDGED = Path(__file__).with_name("relevance.toml")
CUTOFF = 5
DEPTH = 10  # results read for the MRR


@dataclass(frozen=True)
class Judged:
    group: str
    q: str
    relevant: tuple[str, ...]
    why: str


def read_judged(path: Path) -> list[Judged]:
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    return [
        Judged(entry["group"], entry["q"], tuple(entry["relevant"]), entry["why"])
        for entry in data["query"]
    ]


def demo_keys(folder: Path) -> dict[str, str]:
    """The demo file name of each resource's and project's title."""
    keys = {}
    for prefix, files in (("ressource", "resources"), ("projet", "workspace/projects")):
        for path in sorted((folder / files).glob("*.md")):
            header = path.read_text(encoding="utf-8").split("+++")[1]
            keys[(prefix, tomllib.loads(header)["title"])] = f"{prefix}:{path.stem}"
    return keys


def key_of(item, keys: dict) -> str:
    """How the judged set names a search result."""
    if isinstance(item, Resource):
        return keys.get(("ressource", item.title), f"ressource:?{item.title}")
    if isinstance(item, Project):
        return keys.get(("projet", item.title), f"projet:?{item.title}")
    if isinstance(item, NationalActor):
        return f"acteur:{item.name}"
    if isinstance(item, RoadmapVersion):
        return f"feuille-de-route:{item.ctd.slug}"
    return f"{type(item).__name__.lower()}:{getattr(item, 'title', item.id)}"


def measure(judged: Judged, found: list[str]) -> tuple[float, float, float]:
    relevant = set(judged.relevant)
    recall = len(relevant & set(found[:CUTOFF])) / min(len(relevant), CUTOFF)
    precision = 1.0 if found and found[0] in relevant else 0.0
    rank = next((i for i, key in enumerate(found[:DEPTH], 1) if key in relevant), None)
    return recall, precision, (1 / rank if rank else 0.0)


def build(instance: Path, database_url: str | None, accept_synonyms: bool):
    settings = {"SEARCH_REINDEX_PROCS": 1}
    if database_url:
        settings["SQLALCHEMY_DATABASE_URI"] = database_url
    app = create_app(settings, environ={"CNIG_SHARE_INSTANCE_PATH": str(instance)})
    with app.app_context():
        if database_url:
            db.drop_all()
        db.create_all()
        ensure_reference_data()
        seed(PACKAGED)
        # The attachments' text, as the site's worker extracts it, then the
        # acronyms they define too ("Relire les textes publiés").
        extraction_jobs.work(until_empty=True, report=lambda outcome: None)
        synonyms.learn()
        db.session.commit()
        sync.rebuild()
        if accept_synonyms:
            print(f"Accepted as site synonyms: {', '.join(accept_proposals())}")
    return app


def accept_proposals() -> list[str]:
    """What curators would do on /curation/synonymes: accept every proposal."""
    curator = db.session.scalar(select(User).where(User.role == "curator").order_by(User.id))
    accepted = []
    for proposal in db.session.scalars(select(AcronymProposal).order_by(AcronymProposal.acronym)):
        synonyms.accept_as_site_synonym(proposal, curator)
        accepted.append(f"{proposal.acronym} = {proposal.expansion}")
    db.session.commit()
    return accepted


def run(app, judged: list[Judged], show_misses: bool) -> dict[str, list[tuple]]:
    keys = demo_keys(PACKAGED)
    by_group: dict[str, list[tuple]] = defaultdict(list)
    with app.test_request_context():
        for entry in judged:
            results = search(SearchParams(q=entry.q, per_page=DEPTH))
            found = [key_of(hit.item, keys) for hit in results.hits]
            figures = measure(entry, found)
            by_group[entry.group].append(figures)
            if show_misses and (figures[0] < 1 or figures[1] < 1):
                print(f"  [{entry.group}] {entry.q!r}: R@5 {figures[0]:.2f} P@1 {figures[1]:.0f}")
                print(f"      expected {', '.join(entry.relevant)}")
                print(f"      found    {', '.join(found[:CUTOFF]) or '(rien)'}")
    return by_group


def report(by_group: dict[str, list[tuple]], label: str) -> None:
    print(f"\n{label}")
    print(f"{'group':<16}{'queries':>8}{'recall@5':>10}{'P@1':>8}{'MRR':>8}")
    rows = [*by_group.items(), ("overall", [f for group in by_group.values() for f in group])]
    for name, figures in rows:
        n = len(figures)
        recall, precision, mrr = (sum(f[i] for f in figures) / n for i in range(3))
        print(f"{name:<16}{n:>8}{recall:>10.3f}{precision:>8.3f}{mrr:>8.3f}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", help="PostgreSQL database to EMPTY and use")
    parser.add_argument("--judged", type=Path, default=JUDGED)
    parser.add_argument("--misses", action="store_true", help="print the queries that miss")
    parser.add_argument(
        "--no-synonyms", action="store_true", help="leave the learnt acronyms undecided"
    )
    args = parser.parse_args()
    judged = read_judged(args.judged)
    with tempfile.TemporaryDirectory(prefix="relevance-") as folder:
        app = build(Path(folder), args.database_url, not args.no_synonyms)
        by_group = run(app, judged, args.misses)
        app.extensions["search"].close()
        with app.app_context():
            db.session.remove()
            db.engine.dispose()
    backend = "PostgreSQL" if args.database_url else "SQLite"
    report(by_group, f"{len(judged)} judged queries, {backend}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
