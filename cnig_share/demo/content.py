"""Reading the demo content folder: Markdown pages whose header is TOML between
two `+++` lines, and plain TOML files. Only reading: the rules are those of
the imports, applied when the content is seeded; a file that cannot be read
is reported by name."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from pathlib import Path
from typing import Any

PACKAGED = Path(__file__).with_name("content")
FENCE = "+++"
# A day alone is published at half past nine, as the CNIG team would.
PUBLICATION_TIME = time(9, 30, tzinfo=UTC)


class DemoContentError(Exception):
    """Demo files that break a rule: one `file: reason` message each."""

    def __init__(self, messages: list[str]) -> None:
        super().__init__("\n".join(messages))
        self.messages = messages


@dataclass(frozen=True)
class Page:
    """A Markdown file: its name in the folder, its key (the file name
    without .md), its header and its text."""

    name: str
    key: str
    header: dict[str, Any]
    body: str


class Folder:
    """A demo content folder; collects the problems of what it reads."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.errors: list[str] = []
        self._tables: dict[str, dict[str, Any]] = {}  # each file read, and reported, once

    def fail(self, name: str, reason: str) -> None:
        self.errors.append(f"{name}: {reason}")

    def raise_errors(self) -> None:
        """DemoContentError with every problem found so far, if any."""
        if self.errors:
            raise DemoContentError(self.errors)

    def _text(self, name: str) -> str | None:
        try:
            return (self.root / name).read_text(encoding="utf-8").replace("\r\n", "\n")
        except (OSError, UnicodeDecodeError) as error:
            self.fail(name, f"lecture impossible ({error})")
            return None

    def table(self, name: str) -> dict[str, Any]:
        """A TOML file; empty when it cannot be read (the problem noted)."""
        if name not in self._tables:
            self._tables[name] = self._parse(name)
        return self._tables[name]

    def _parse(self, name: str) -> dict[str, Any]:
        text = self._text(name)
        if text is None:
            return {}
        try:
            return tomllib.loads(text)
        except tomllib.TOMLDecodeError as error:
            self.fail(name, f"TOML illisible ({error})")
            return {}

    def tables(self, name: str, key: str) -> list[dict[str, Any]]:
        """The `[[key]]` entries of a TOML file."""
        entries = self.table(name).get(key, [])
        if not isinstance(entries, list) or not all(isinstance(e, dict) for e in entries):
            self.fail(name, f"des entrées [[{key}]] attendues")
            return []
        return entries

    def pages(self, subfolder: str) -> list[Page]:
        """The Markdown files of a subfolder, in the order of their names."""
        if not (self.root / subfolder).is_dir():
            self.fail(subfolder, "dossier introuvable")
            return []
        pages = []
        for path in sorted((self.root / subfolder).glob("*.md")):
            name = path.relative_to(self.root).as_posix()
            text = self._text(name)
            page = None if text is None else self._page(name, path.stem, text)
            if page is not None:
                pages.append(page)
        return pages

    def _page(self, name: str, key: str, text: str) -> Page | None:
        opening, _, rest = text.partition("\n")
        header, fence, body = ("\n" + rest).partition(f"\n{FENCE}\n")
        if opening.strip() != FENCE or not fence:
            self.fail(
                name, f"en-tête TOML attendu entre deux lignes « {FENCE} » en début de fichier"
            )
            return None
        try:
            values = tomllib.loads(header)
        except tomllib.TOMLDecodeError as error:
            self.fail(name, f"en-tête TOML illisible ({error})")
            return None
        return Page(name, key, values, body.strip())


def moment(value: Any) -> Any:
    """A TOML day (or "AAAA-MM-JJ") as the instant it was published, other
    values unchanged, for the import's checks to judge."""
    if isinstance(value, str) and len(value) == 10:
        try:
            value = date.fromisoformat(value)
        except ValueError:
            return value
    if isinstance(value, date) and not isinstance(value, datetime):
        return datetime.combine(value, PUBLICATION_TIME)
    return value


def iso(value: Any) -> Any:
    """Dates and instants as the ISO text of the JSON import formats."""
    return value.isoformat() if isinstance(value, date) else value
