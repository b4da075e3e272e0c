"""The glossary in and out: SKOS (Turtle, JSON-LD) with rdflib, and CSV for
spreadsheets. An import is checked whole before anything is written, and
an import of our own export gives back the same vocabulary."""

from __future__ import annotations

import csv
import io
import json
import re
import warnings
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime

from rdflib import RDF, XSD, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, SKOS
from slugify import slugify
from sqlalchemy import select

from cnig_share import audit
from cnig_share.csv_files import csv_text, unescape
from cnig_share.dates import parse_instant
from cnig_share.extensions import db
from cnig_share.glossary import services
from cnig_share.glossary.vocabulary import all_terms
from cnig_share.models import GlossaryTerm, User
from cnig_share.text import unstorable

LANG = "fr"
CSV_COLUMNS = [
    "slug", "pref_label", "alt_labels", "definition", "scope_note", "source",
    "broader", "related", "created_at", "updated_at",
]  # fmt: skip
SEPARATOR = " | "  # between several values in one CSV cell
SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
FORMATS = {"turtle": "text/turtle", "json-ld": "application/ld+json"}
JSONLD_CONTEXT = {
    "skos": str(SKOS),
    "dcterms": str(DCTERMS),
    "xsd": str(XSD),
}


@dataclass
class TermRecord:
    """A term as a file carries it, relations by slug."""

    slug: str
    pref_label: str
    alt_labels: list[str] = field(default_factory=list)
    definition: str = ""
    scope_note: str = ""
    source: str = ""
    broader: list[str] = field(default_factory=list)
    related: list[str] = field(default_factory=list)
    created_at: datetime | None = None
    updated_at: datetime | None = None


class ExchangeError(Exception):
    """Everything wrong with a file, one message per bad line or triple."""

    def __init__(self, errors: list[str]) -> None:
        super().__init__("\n".join(errors))
        self.errors = errors


# --- export -----------------------------------------------------------------------------


def _records() -> list[TermRecord]:
    return [
        TermRecord(
            slug=term.slug,
            pref_label=term.pref_label,
            alt_labels=term.alt_label_texts,
            definition=term.definition,
            scope_note=term.scope_note,
            source=term.source,
            broader=sorted(t.slug for t in term.broader),
            related=sorted(t.slug for t in term.related),
            created_at=term.created_at,
            updated_at=term.updated_at,
        )
        for term in sorted(all_terms(), key=lambda term: term.slug)
    ]


def scheme_uri(base_url: str) -> URIRef:
    return URIRef(base_url.rstrip("/") + "/glossaire/")


def graph(base_url: str) -> Graph:
    """The glossary as a SKOS concept scheme; concepts at /glossaire/<slug>."""
    g = Graph()
    g.bind("skos", SKOS)
    g.bind("dcterms", DCTERMS)
    scheme = scheme_uri(base_url)
    g.add((scheme, RDF.type, SKOS.ConceptScheme))
    g.add((scheme, DCTERMS.title, Literal("Glossaire de référence de CNIG Partage", lang=LANG)))

    def uri(slug: str) -> URIRef:
        return URIRef(f"{scheme}{slug}")

    records = _records()
    for record in records:
        concept = uri(record.slug)
        g.add((concept, RDF.type, SKOS.Concept))
        g.add((concept, SKOS.inScheme, scheme))
        g.add((concept, SKOS.prefLabel, Literal(record.pref_label, lang=LANG)))
        for label in record.alt_labels:
            g.add((concept, SKOS.altLabel, Literal(label, lang=LANG)))
        for predicate, text in (
            (SKOS.definition, record.definition),
            (SKOS.scopeNote, record.scope_note),
        ):
            if text:
                g.add((concept, predicate, Literal(text, lang=LANG)))
        if record.source:
            g.add((concept, DCTERMS.source, Literal(record.source)))
        for predicate, moment in (
            (DCTERMS.created, record.created_at),
            (DCTERMS.modified, record.updated_at),
        ):
            if moment:
                g.add((concept, predicate, Literal(_iso(moment), datatype=XSD.dateTime)))
        for slug in record.broader:
            g.add((concept, SKOS.broader, uri(slug)))
            g.add((uri(slug), SKOS.narrower, concept))
        for slug in record.related:
            g.add((concept, SKOS.related, uri(slug)))
        if not record.broader:
            g.add((scheme, SKOS.hasTopConcept, concept))
            g.add((concept, SKOS.topConceptOf, scheme))
    return g


def export_skos(base_url: str, format: str) -> str:
    g = graph(base_url)
    if format == "json-ld":
        return g.serialize(format="json-ld", context=JSONLD_CONTEXT, indent=2)
    return g.serialize(format="turtle")


def csv_rows() -> Iterator[list[str]]:
    """The glossary as CSV rows, header first: the download and the export command."""
    yield CSV_COLUMNS
    for record in _records():
        yield [
            record.slug,
            record.pref_label,
            SEPARATOR.join(record.alt_labels),
            record.definition,
            record.scope_note,
            record.source,
            SEPARATOR.join(record.broader),
            SEPARATOR.join(record.related),
            _iso(record.created_at),
            _iso(record.updated_at),
        ]


def export_csv() -> str:
    """The glossary as CSV text (the import reads it back)."""
    return csv_text(csv_rows())


def _iso(moment: datetime | None) -> str:
    return moment.astimezone(UTC).isoformat(timespec="seconds") if moment else ""


# --- reading files ------------------------------------------------------------------------


def read_csv(text: str) -> list[TermRecord]:
    """Records from CSV; ExchangeError listing every bad line."""
    rows = csv.reader(io.StringIO(text.lstrip("\ufeff")))
    try:
        header = next(rows, None)
    except csv.Error as error:
        raise ExchangeError([f"ligne 1 : CSV illisible ({error})."]) from None
    if header is None or [column.strip() for column in header] != CSV_COLUMNS:
        raise ExchangeError([f"ligne 1 : en-tête attendu « {','.join(CSV_COLUMNS)} »."])
    lines: list[tuple[int, TermRecord]] = []
    errors: list[str] = []
    try:
        for line, row in enumerate(rows, start=2):
            if any(cell.strip() for cell in row):
                record = _csv_record(line, row, errors)
                if record is not None:
                    lines.append((line, record))
    except csv.Error as error:  # a cell beyond the csv module's limit, a stray NUL…
        errors.append(f"ligne {rows.line_num} : CSV illisible ({error}).")
    in_file = {record.slug for _, record in lines}
    for line, record in lines:
        for name in ("broader", "related"):
            for slug in getattr(record, name):
                if slug not in in_file and not _known_slug(slug):
                    errors.append(f"ligne {line}, colonne {name} : terme inconnu « {slug} ».")
    if errors:
        raise ExchangeError(errors)
    return [record for _, record in lines]


def _csv_record(line: int, row: list[str], errors: list[str]) -> TermRecord | None:
    """One CSV line as a record, or None with its problems added to `errors`."""
    if len(row) != len(CSV_COLUMNS):
        errors.append(f"ligne {line} : {len(row)} colonnes au lieu de {len(CSV_COLUMNS)}.")
        return None
    # Cells the export escaped against spreadsheet formulas come back as they were.
    cells = dict(zip(CSV_COLUMNS, (unescape(cell.strip()) for cell in row), strict=True))

    def many(name: str) -> list[str]:
        return [value.strip() for value in cells[name].split("|") if value.strip()]

    record = TermRecord(
        slug=cells["slug"],
        pref_label=cells["pref_label"],
        alt_labels=many("alt_labels"),
        definition=cells["definition"],
        scope_note=cells["scope_note"],
        source=cells["source"],
        broader=many("broader"),
        related=many("related"),
    )
    problems = []
    if not SLUG.match(record.slug) or len(record.slug) > 120:
        problems.append("colonne slug : minuscules, chiffres et tirets, 120 caractères au plus")
    if not record.pref_label:
        problems.append("colonne pref_label : le libellé préféré est obligatoire")
    for name in ("created_at", "updated_at"):
        if cells[name]:
            try:
                setattr(record, name, parse_instant(cells[name]))
            except ValueError:
                problems.append(f"colonne {name} : date ISO 8601 attendue")
    errors.extend(f"ligne {line}, {problem}." for problem in problems)
    return None if problems else record


def _text(g: Graph, subject, predicate) -> list[str]:
    """Literals in French or without a language; other languages are skipped."""
    return [
        str(value)
        for value in g.objects(subject, predicate)
        if isinstance(value, Literal)
        and (value.language is None or value.language.lower().split("-")[0] == LANG)
    ]


def _slug_of(uri) -> str:
    last = re.split(r"[/#]", str(uri).rstrip("/"))[-1]
    return last if SLUG.match(last) else slugify(last, max_length=120)


def read_skos(data: str, format: str = "turtle") -> list[TermRecord]:
    """Records from SKOS; ExchangeError naming each bad triple."""
    if format == "json-ld":
        _refuse_context_addresses(data)
    g = Graph()
    try:
        with warnings.catch_warnings():
            # rdflib's JSON-LD parser uses a class rdflib itself deprecates.
            warnings.filterwarnings("ignore", "ConjunctiveGraph", DeprecationWarning)
            g.parse(data=data, format=format)
    except Exception as error:  # rdflib raises many kinds; its message names the line
        raise ExchangeError([f"fichier illisible : {error}".strip()]) from None
    imports = sorted(str(target) for target in g.objects(None, OWL.imports))
    if imports:
        raise ExchangeError(
            [f"owl:imports <{target}> : refusé, le fichier doit se suffire." for target in imports]
        )
    concepts = sorted(set(g.subjects(RDF.type, SKOS.Concept)), key=str)
    if not concepts:
        raise ExchangeError(["aucun skos:Concept dans le fichier."])
    slugs = {concept: _slug_of(concept) for concept in concepts}
    errors: list[str] = []
    records = []
    for concept in concepts:
        where = f"<{concept}>"
        labels = _text(g, concept, SKOS.prefLabel)
        if len(labels) != 1:
            errors.append(
                f"{where} skos:prefLabel : un seul libellé préféré attendu,"
                f" {len(labels)} trouvé(s)."
            )
            continue
        record = TermRecord(
            slug=slugs[concept],
            pref_label=labels[0],
            alt_labels=sorted(_text(g, concept, SKOS.altLabel)),
            definition="\n\n".join(_text(g, concept, SKOS.definition)),
            scope_note="\n\n".join(_text(g, concept, SKOS.scopeNote)),
            source=" ; ".join(str(value) for value in g.objects(concept, DCTERMS.source)),
        )
        for predicate, name in ((DCTERMS.created, "created_at"), (DCTERMS.modified, "updated_at")):
            for value in g.objects(concept, predicate):
                try:
                    setattr(record, name, parse_instant(str(value)))
                except ValueError:
                    errors.append(
                        f"{where} {predicate.n3(g.namespace_manager)} « {value} » :"
                        " date ISO 8601 attendue."
                    )
        broader = set(g.objects(concept, SKOS.broader)) | set(g.subjects(SKOS.narrower, concept))
        related = set(g.objects(concept, SKOS.related)) | set(g.subjects(SKOS.related, concept))
        for name, others in (("broader", broader), ("related", related)):
            for other in sorted(others, key=str):
                if other in slugs:
                    getattr(record, name).append(slugs[other])
                elif not (isinstance(other, URIRef) and _known_slug(_slug_of(other))):
                    errors.append(f"{where} skos:{name} <{other}> : concept inconnu.")
                else:
                    getattr(record, name).append(_slug_of(other))
        records.append(record)
    if errors:
        raise ExchangeError(errors)
    return records


def _refuse_context_addresses(data: str) -> None:
    """Only contexts written in the file itself: rdflib would fetch a context
    named by address (`"@context": "https://…"`, `file:…`, `@import`) from the
    network or the disk, even for a dry run, on behalf of whoever wrote it."""
    try:
        document = json.loads(data)
    except (ValueError, RecursionError) as error:
        raise ExchangeError([f"fichier illisible : {error}"]) from None
    problems = []
    for context in _contexts(document):
        for item in context if isinstance(context, list) else [context]:
            if isinstance(item, str):
                problems.append(f"@context « {item[:200]} » : {CONTEXT_REFUSED}")
            elif isinstance(item, dict) and "@import" in item:
                problems.append(f"@import « {str(item['@import'])[:200]} » : {CONTEXT_REFUSED}")
    if problems:
        raise ExchangeError(problems)


CONTEXT_REFUSED = (
    "un contexte désigné par une adresse n'est pas accepté (rien n'est téléchargé ni lu "
    "ailleurs) ; écrivez le contexte dans le fichier."
)


def _contexts(document) -> list:
    """Every @context value in a JSON document, however deep (without recursion)."""
    found, pending = [], [document]
    while pending:
        node = pending.pop()
        if isinstance(node, dict):
            if "@context" in node:
                found.append(node["@context"])
            pending.extend(node.values())
        elif isinstance(node, list):
            pending.extend(node)
    return found


def _known_slug(slug: str) -> bool:
    return db.session.scalar(select(GlossaryTerm.id).where(GlossaryTerm.slug == slug)) is not None


# --- applying -----------------------------------------------------------------------------


def apply(records: list[TermRecord], by: User | None = None) -> tuple[int, int]:
    """Create or update every record's term (by slug), relations included;
    ExchangeError with every refusal. The caller commits, or rolls back."""
    broken = [record.slug for record in records if unstorable(vars(record))]
    if broken:
        raise ExchangeError(
            [f"« {slug[:120]} » : caractère interdit (NUL ou UTF-16 isolé)." for slug in broken]
        )
    slugs = [record.slug for record in records]
    twice = sorted({slug for slug in slugs if slugs.count(slug) > 1})
    if twice:
        raise ExchangeError([f"« {slug} » : le terme figure deux fois." for slug in twice])
    _symmetric_related(records)
    by_slug = {term.slug: term for term in db.session.scalars(select(GlossaryTerm))}
    created = [record.slug for record in records if record.slug not in by_slug]

    def each(step) -> None:
        errors = []
        for record in records:
            try:
                step(record)
            except services.GlossaryError as error:
                errors.append(f"« {record.slug} » : {error.message}")
        if errors:
            raise ExchangeError(errors)

    def texts(record: TermRecord) -> None:
        # Without relations at first: they may point at any term of the file,
        # and the hierarchy is checked once it is the file's.
        data = _input(record, [], [])
        term = by_slug.get(record.slug)
        if term is None:
            by_slug[record.slug] = services.create_term(data, by, quiet=True)
        else:
            services.update_term(term, data, by, quiet=True)

    def relations(record: TermRecord) -> None:
        term = by_slug[record.slug]
        broader = [by_slug[slug] for slug in record.broader if slug in by_slug]
        related = [by_slug[slug] for slug in record.related if slug in by_slug]
        services.update_term(term, _input(record, broader, related), by, quiet=True)

    each(texts)
    db.session.flush()
    each(relations)
    db.session.flush()
    for record in records:  # the file's dates, so that a round trip changes nothing
        term = by_slug[record.slug]
        term.created_at = record.created_at or term.created_at
        term.updated_at = record.updated_at or term.updated_at
    db.session.flush()
    audit.record(
        "glossary.import", "glossary_term", None, by,
        created=created, updated=[slug for slug in slugs if slug not in created],
    )  # fmt: skip
    return len(created), len(records) - len(created)


def _input(record: TermRecord, broader, related) -> services.TermInput:
    return services.TermInput(
        pref_label=record.pref_label,
        definition=record.definition,
        alt_labels=record.alt_labels,
        scope_note=record.scope_note,
        source=record.source,
        slug=record.slug,
        broader=broader,
        related=related,
    )


def _symmetric_related(records: list[TermRecord]) -> None:
    """skos:related goes both ways, even when a file states one."""
    by_slug = {record.slug: record for record in records}
    for record in records:
        for slug in record.related:
            other = by_slug.get(slug)
            if other is not None and record.slug not in other.related:
                other.related.append(record.slug)
