"""A bench instance made through the real commands: the synthetic French corpus
of search.py as JSON Lines (SPEC §4), and `cnig-share` run against an instance
folder. Shared by import.py and load.py."""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from search import Vocabulary, corpus

from cnig_share.reference_data import CTD_REGIONS, GLOSSARY


def write_corpus(path: Path, n: int, seed: int, profile: str = "standard") -> int:
    """The JSON Lines file (search.Vocabulary's profile); returns its size in bytes."""
    rng = random.Random(seed)
    ctds = [(None, slug) for slug, _ in CTD_REGIONS]
    terms = [(None, term["label"]) for term in GLOSSARY]
    with path.open("w", encoding="utf-8") as out:
        for doc in corpus(rng, Vocabulary(profile), n, ctds, terms):
            record = {
                "title": doc["title"][:300],
                "summary": doc["summary"][:1000],
                "body": doc["body"],
                "kind": doc["kind"],
                "ctd": doc["ctd"][1],
                "terms": [label for _, label in doc["terms"]],
                "status": "published",
                "published_at": doc["published_at"].date().isoformat(),
            }
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
    return path.stat().st_size


def cli(
    instance: Path, *args: str, environ: Mapping[str, str] | None = None, stdin: str = ""
) -> str:
    """Run `cnig-share ARGS` on the instance (plus `environ`); its standard output."""
    env = {**os.environ, **(environ or {}), "CNIG_SHARE_INSTANCE_PATH": str(instance)}
    command = [str(Path(sys.executable).with_name("cnig-share")), *args]
    done = subprocess.run(
        command, env=env, input=stdin, capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(args)} failed:\n{done.stdout}{done.stderr}")
    return done.stdout
