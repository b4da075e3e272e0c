"""Worst cases of comparing two revisions, at and around the cap.

    .venv/bin/python bench/diff.py [--lines 400 700 1000]

Prints, for each size, the slowest of several adversarial pairs of texts
(lines that all differ but look alike; a few lines repeated just under
SequenceMatcher's 1 % "popular" threshold, in different orders) through
the line_diff the compare page uses.
"""

from __future__ import annotations

import argparse
import time

from cnig_share import create_app
from cnig_share.resources.history import line_diff


def alike(count: int, place: str) -> str:
    return "\n".join(
        f"Donnée territoriale n° {i * 7919 % count} du CTD {place}." for i in range(count)
    )


def repeated(count: int, distinct: int, step: int) -> str:
    return "\n".join(f"Ligne {(i * step) % distinct}" for i in range(count))


def pairs(count: int):
    yield "alike", alike(count, "Bretagne"), alike(count, "Corse")
    for distinct in range(max(count // 100, 2), count // 4, max(count // 200, 1)):
        yield f"repeated×{distinct}", repeated(count, distinct, 3), repeated(count, distinct, 1)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--lines", type=int, nargs="+", default=[400, 700, 1000])
    args = parser.parse_args()
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    print(f"cap: {app.config['REVISION_DIFF_MAX_LINES']} lines")
    with app.app_context():
        for count in args.lines:
            worst = (0.0, "")
            for name, old, new in pairs(count):
                started = time.perf_counter()
                line_diff(old, new)
                worst = max(worst, (time.perf_counter() - started, name))
            print(f"{count:>5} lines: slowest {worst[0] * 1000:7.1f} ms ({worst[1]})")


if __name__ == "__main__":
    main()
