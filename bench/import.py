"""Benchmark `cnig-share import`: a synthetic French corpus as JSON Lines,
imported into a fresh instance (SQLite, index included), in docs/s.

    .venv/bin/python bench/import.py [--n 10000] [--seed 1] [--keep DIR]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from corpus_cli import cli, write_corpus


def run(folder: Path, args) -> None:
    instance = folder / "instance"
    lines = folder / "corpus.jsonl"
    started = time.perf_counter()
    size = write_corpus(lines, args.n, args.seed)
    print(f"corpus: {args.n} resources, {size / 1e6:.0f} MB of JSON Lines, "
          f"written in {time.perf_counter() - started:.1f} s")  # fmt: skip
    cli(instance, "init-db")
    started = time.perf_counter()
    output = cli(instance, "import", str(lines))
    seconds = time.perf_counter() - started
    print(output.strip())
    print(f"import (including indexing, whole command): {seconds:.1f} s, "
          f"{args.n / seconds:.0f} resources/s; cpu_count={os.cpu_count()}")  # fmt: skip
    print(cli(instance, "search", "check").strip())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--keep", type=Path, metavar="DIR", help="work in DIR and keep it")
    args = parser.parse_args()
    if args.keep:
        args.keep.mkdir(parents=True, exist_ok=True)
        run(args.keep.resolve(), args)
    else:
        with tempfile.TemporaryDirectory(prefix="cnig-import-") as tmp:
            run(Path(tmp), args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
