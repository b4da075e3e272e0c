"""Time the searches a hostile visitor can type, on the synthetic French corpus of
search.py: with the limits off (as before issue 14) and with the settings' limits
(SEARCH_MAX_PHRASES, SEARCH_MAX_TERMS, SEARCH_DEADLINE).

    .venv/bin/python bench/hostile_search.py [--n 10000] [--seed 1] [--keep DIR]

With --keep, the instance is built in DIR the first time and reused afterwards.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from search import Vocabulary, build, make_queries

from cnig_share import create_app
from cnig_share.search.service import SearchParams, search

RUNS = 3  # each query, each setting; the median is shown
NO_LIMITS = {"SEARCH_MAX_PHRASES": 10_000, "SEARCH_MAX_TERMS": 10_000, "SEARCH_DEADLINE": None}


def hostile_queries(vocab: Vocabulary, rng: random.Random) -> dict[str, str]:
    """What issue 14 measured, and a few more of the same family."""
    common = vocab.content[:90]
    pairs = [f'"{a} {b}"' for a, b in zip(common[0:90:2], common[1:90:2], strict=True)]
    short = [f'"{" ".join(vocab.words(rng, 2))}"' for _ in range(90)]
    return {
        "45 quoted pairs of common words": " ".join(pairs),
        "90 short phrases": " ".join(short),
        "200 common words": " ".join(vocab.words(rng, 200, content=True)),
        "one 1,000-character phrase": '"' + " ".join(common * 5)[:998] + '"',
    }


def timed(app, text: str) -> tuple[float, int, bool, bool]:
    """Seconds, total, partial, capped of one search as a request runs it."""
    with app.test_request_context():
        started = time.perf_counter()
        results = search(SearchParams(q=text, per_page=10))
        seconds = time.perf_counter() - started
    return seconds, results.total, results.partial, results.capped


def measure(instance: Path, settings: dict, queries: dict[str, str]) -> None:
    app = create_app(settings, environ={"CNIG_SHARE_INSTANCE_PATH": str(instance)})
    timed(app, "donnée")  # open the searcher and read the segments once
    for label, text in queries.items():
        runs = [timed(app, text) for _ in range(RUNS)]
        seconds = statistics.median(run[0] for run in runs)
        _, total, partial, capped = runs[0]
        flags = ", ".join(name for name, on in (("partial", partial), ("capped", capped)) if on)
        print(f"  {label:<34}{seconds:>8.2f} s {total:>7} results  {flags}")
    app.extensions["search"].close()


def run(instance: Path, args) -> None:
    vocab = Vocabulary()
    if not (instance / "index").exists():
        args.queries = 40
        app, fts, _, _ = build(instance, args)
        fts.close()
        app.extensions["search"].close()
    queries = hostile_queries(vocab, random.Random(f"hostile-{args.seed}"))
    ordinary = make_queries(random.Random(f"queries-{args.seed}"), vocab, 3)
    queries.update({f"ordinary: {text}": text for text in ordinary})
    print(f"corpus: {args.n} documents in {instance}")
    print("limits off (SEARCH_MAX_PHRASES, SEARCH_MAX_TERMS, SEARCH_DEADLINE unset):")
    measure(instance, NO_LIMITS, queries)
    print("limits on (the settings' defaults):")
    measure(instance, {}, queries)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=10_000, help="documents (default 10000)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--keep", type=Path, metavar="DIR", help="build in DIR, reuse it")
    args = parser.parse_args()
    started = time.perf_counter()
    if args.keep:
        args.keep.mkdir(parents=True, exist_ok=True)
        run(args.keep.resolve(), args)
    else:
        with tempfile.TemporaryDirectory(prefix="cnig-bench-") as tmp:
            run(Path(tmp), args)
    print(f"total run time: {time.perf_counter() - started:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
