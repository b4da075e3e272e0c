"""The rules of the glossary: labels that do not collide, a hierarchy without
cycles, symmetric related terms, renames and merges that keep old URLs
working. Pages, the import command and the API call these; each change
records an audit event."""

from __future__ import annotations

from dataclasses import dataclass, field

from slugify import slugify
from sqlalchemy import delete, func, select, update

from cnig_share import audit, conflicts, markdown
from cnig_share.extensions import db
from cnig_share.following import services as following
from cnig_share.formatting import french_number
from cnig_share.glossary import fields
from cnig_share.glossary.vocabulary import reachable
from cnig_share.models import (
    GlossaryTerm,
    Project,
    Resource,
    TermLabel,
    TermRedirect,
    User,
    project_terms,
    resource_terms,
    utcnow,
)
from cnig_share.text import fold


class GlossaryError(Exception):
    """A change the rules refuse, with a message for the person who asked."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


@dataclass
class TermInput:
    """What a curator (or an import) may set on a term."""

    pref_label: str
    definition: str = ""
    alt_labels: list[str] = field(default_factory=list)
    broader: list[GlossaryTerm] = field(default_factory=list)
    related: list[GlossaryTerm] = field(default_factory=list)
    scope_note: str = ""
    source: str = ""
    slug: str | None = None  # derived from the label unless given (imports keep theirs)


def label_key(label: str) -> str:
    """A label as compared: case, accents, spacing and a plural -s or -x ignored
    ("Données ouvertes" and "donnee ouverte" are the same label)."""
    words = []
    for word in fold(label).replace("-", " ").replace("'", " ").split():
        if len(word) > 3 and word[-1] in "sx" and word[-2] not in "s":
            word = word[:-1]
        words.append(word)
    return " ".join(words)


def clean_labels(labels: list[str]) -> list[str]:
    """Stripped, without blanks or repeats (case and accents aside). Plural
    forms stay: other SKOS tools do not compare labels the way we do."""
    seen, kept = set(), []
    for label in (" ".join(label.split()) for label in labels):
        if label and fold(label) not in seen:
            seen.add(fold(label))
            kept.append(label)
    return kept


def find_term(slug: str) -> GlossaryTerm | None:
    """The term answering at this slug, now or before a rename or merge."""
    term = db.session.scalar(select(GlossaryTerm).where(GlossaryTerm.slug == slug))
    if term is None:
        redirect = db.session.get(TermRedirect, slug)
        term = redirect.term if redirect else None
    return term


# --- checks ---------------------------------------------------------------------------


def _check_labels(term: GlossaryTerm | None, data: TermInput) -> None:
    """No label (preferred or alternative) may name another term."""
    if not data.pref_label.strip():
        raise GlossaryError("Le libellé préféré est obligatoire.", "pref_label")
    if len(data.source) > fields.SOURCE.max_length:
        raise GlossaryError(f"La source tient en {fields.SOURCE.max_length} caractères.", "source")
    labels = [data.pref_label, *data.alt_labels]
    if any(len(label) > fields.LABEL_LIMIT for label in labels):
        raise GlossaryError(
            f"Un libellé ne peut dépasser {fields.LABEL_LIMIT} caractères.", "pref_label"
        )
    others = db.session.scalars(
        select(GlossaryTerm).where(GlossaryTerm.id != (term.id if term else -1))
    )
    taken = {}
    for other in others:
        for label in [other.pref_label, *other.alt_label_texts]:
            taken[label_key(label)] = other
    for name, labels in (("pref_label", [data.pref_label]), ("alt_labels", data.alt_labels)):
        for label in labels:
            owner = taken.get(label_key(label))
            if owner is not None:
                raise GlossaryError(
                    f"« {label} » désigne déjà le terme « {owner.pref_label} ».", name
                )


def _ancestors(term: GlossaryTerm) -> set[int]:
    return reachable(term, "broader")


def _check_hierarchy(term: GlossaryTerm | None, broader: list[GlossaryTerm]) -> None:
    """A term cannot be more generic than itself, however far up."""
    if term is None:
        return
    for parent in broader:
        if parent.id == term.id or term.id in _ancestors(parent):
            raise GlossaryError(
                f"« {parent.pref_label} » ne peut pas être un terme générique de"
                f" « {term.pref_label} » : il en est déjà un terme spécifique"
                " (la hiérarchie formerait une boucle).",
                "broader",
            )


def _descendants(term: GlossaryTerm) -> set[int]:
    return reachable(term, "narrower")


def _hierarchy(term: GlossaryTerm | None, broader: list[GlossaryTerm]) -> set[int]:
    """Ids of every term above (through `broader`) and below `term`."""
    family = set() if term is None else _descendants(term)
    for parent in broader:
        family |= {parent.id} | _ancestors(parent)
    return family


def _check_related(
    term: GlossaryTerm | None, broader: list[GlossaryTerm], related: list[GlossaryTerm]
) -> None:
    """SKOS keeps "related" apart from the hierarchy (integrity condition S27),
    along the whole chain: nothing below the term may be related to anything
    above it once the change is made."""
    family = _hierarchy(term, broader)
    for other in related:
        if other.id in family:
            raise GlossaryError(
                f"« {other.pref_label} » est déjà un terme générique ou spécifique de ce terme :"
                " il ne peut pas être aussi un terme associé.",
                "related",
            )
    if term is None:
        return
    above = set()
    for parent in broader:
        above |= {parent.id} | _ancestors(parent)
    below = [
        term,
        *db.session.scalars(select(GlossaryTerm).where(GlossaryTerm.id.in_(_descendants(term)))),
    ]
    for lower in below:
        for other in related if lower is term else lower.related:
            if other.id in above:
                raise GlossaryError(
                    f"« {lower.pref_label} » est un terme associé de « {other.pref_label} » :"
                    " l'un ne peut pas être aussi plus générique que l'autre.",
                    "broader",
                )


RESERVED_SLUGS = {"nouveau"}  # /glossaire/nouveau is the form that creates a term


def _slug_for(term: GlossaryTerm | None, data: TermInput) -> str:
    slug = data.slug or slugify(data.pref_label, max_length=120) or "terme"
    if len(slug) > 120:
        raise GlossaryError("L'adresse d'un terme tient en 120 caractères.", "pref_label")
    if slug in RESERVED_SLUGS:
        slug = f"{slug}-terme"
    other = GlossaryTerm.id != (term.id if term else -1)
    clash = db.session.scalar(select(GlossaryTerm.id).where(GlossaryTerm.slug == slug, other))
    if clash is not None:
        raise GlossaryError(f"L'adresse « {slug} » est déjà celle d'un autre terme.", "pref_label")
    redirect = db.session.get(TermRedirect, slug)
    if redirect is not None and (term is None or redirect.term_id != term.id):
        # Its old links must keep leading where they did.
        raise GlossaryError(
            f"L'adresse « {slug} » renvoie déjà vers le terme « {redirect.term.pref_label} »"
            " (ancien nom ou terme fusionné) : choisissez un autre libellé.",
            "pref_label",
        )
    return slug


# --- changes ----------------------------------------------------------------------------


def _apply(term: GlossaryTerm, data: TermInput) -> None:
    term.pref_label = " ".join(data.pref_label.split())
    term.definition = data.definition.strip()
    term.scope_note = data.scope_note.strip()
    term.source = data.source.strip()
    wanted = [
        label for label in clean_labels(data.alt_labels) if fold(label) != fold(term.pref_label)
    ]
    current = {label.label: label for label in term.alt_labels}
    term.alt_labels = [current.get(label) or TermLabel(label=label) for label in wanted]
    term.broader = [parent for parent in data.broader if parent is not term]
    _set_related(term, [other for other in data.related if other is not term])


def _set_related(term: GlossaryTerm, related: list[GlossaryTerm]) -> None:
    """skos:related both ways."""
    for other in term.related:
        if other not in related and term in other.related:
            other.related.remove(term)
    for other in related:
        if term not in other.related:
            other.related.append(term)
    term.related = list(dict.fromkeys(related))


def _move_slug(term: GlossaryTerm, new_slug: str) -> None:
    """The old slug keeps answering; a term given back one of its own old
    slugs answers there directly again."""
    if term.slug and term.slug != new_slug:
        db.session.merge(TermRedirect(old_slug=term.slug, term_id=term.id))
    db.session.execute(
        delete(TermRedirect).where(
            TermRedirect.old_slug == new_slug, TermRedirect.term_id == term.id
        )
    )
    term.slug = new_slug


def _check_definition(data: TermInput) -> None:
    # The form's limits, for imports too (a SKOS file's definition may be a book).
    for name, rule, label in (
        ("definition", fields.DEFINITION, "La définition"),
        ("scope_note", fields.SCOPE_NOTE, "La note d'application"),
    ):
        if len(getattr(data, name)) > rule.max_length:
            limit = french_number(rule.max_length)
            raise GlossaryError(f"{label} tient en {limit} caractères.", name)
    refusal = markdown.refusal(data.definition.strip())
    if refusal:
        raise GlossaryError(refusal, "definition")


def create_term(data: TermInput, by: User | None, quiet: bool = False) -> GlossaryTerm:
    """A new term; `quiet` leaves the audit event to the caller (an import)."""
    _check_labels(None, data)
    _check_definition(data)
    _check_related(None, data.broader, data.related)
    term = GlossaryTerm(slug=_slug_for(None, data), pref_label=data.pref_label)
    db.session.add(term)
    _apply(term, data)
    db.session.flush()
    if not quiet:
        audit.record("glossary.create", "glossary_term", term.id, by, slug=term.slug)
    return term


def update_term(
    term: GlossaryTerm,
    data: TermInput,
    by: User | None,
    quiet: bool = False,
    version: int | None = None,
) -> None:
    """Save a term's edit; one made from `version` must find it still current."""
    conflicts.require_version(term.version, version)
    _check_labels(term, data)
    _check_definition(data)
    _check_hierarchy(term, data.broader)
    _check_related(term, data.broader, data.related)
    new_slug = _slug_for(term, data)
    before = snapshot(term)
    _move_slug(term, new_slug)
    _apply(term, data)
    after = snapshot(term)
    changed = {key: [before[key], after[key]] for key in after if before[key] != after[key]}
    if changed:
        term.updated_at = utcnow()  # labels and relations live in other tables
    if changed and not quiet:
        audit.record("glossary.update", "glossary_term", term.id, by, changes=changed)


def add_alt_labels(term: GlossaryTerm, labels: list[str], by: User | None) -> list[str]:
    """Add labels the term does not have yet as alternative labels (audited as
    an update); returns those added. Raises GlossaryError if one names another term."""
    have = {label_key(label) for label in [term.pref_label, *term.alt_label_texts]}
    added = [label for label in clean_labels(labels) if label_key(label) not in have]
    if added:
        data = TermInput(
            pref_label=term.pref_label,
            definition=term.definition,
            alt_labels=[*term.alt_label_texts, *added],
            broader=list(term.broader),
            related=list(term.related),
            scope_note=term.scope_note,
            source=term.source,
            slug=term.slug,
        )
        update_term(term, data, by)
    return added


def usage(term: GlossaryTerm) -> int:
    """Resources tagged with the term, whatever their status."""
    return _tagged(resource_terms, term)


def project_usage(term: GlossaryTerm) -> int:
    """CTD projects tagged with the term."""
    return _tagged(project_terms, term)


def _tagged(table, term: GlossaryTerm) -> int:
    return (
        db.session.scalar(select(func.count()).select_from(table).where(table.c.term_id == term.id))
        or 0
    )


def _counted(count: int, singular: str) -> str:
    return f"{count} {singular}{'s' if count > 1 else ''}"


def deletion_refusal(term: GlossaryTerm) -> str | None:
    """Why the term cannot be deleted (it is in use), or None."""
    uses = [
        _counted(count, name)
        for count, name in ((usage(term), "ressource"), (project_usage(term), "projet"))
        if count
    ]
    if not uses:
        return None
    return (
        f"« {term.pref_label} » est utilisé par {' et '.join(uses)} :"
        " fusionnez-le avec un autre terme plutôt que de le supprimer."
    )


def delete_term(term: GlossaryTerm, by: User | None) -> None:
    refusal = deletion_refusal(term)
    if refusal is not None:
        raise GlossaryError(refusal)
    audit.record("glossary.delete", "glossary_term", term.id, by, slug=term.slug,
                 label=term.pref_label, term=snapshot(term))  # fmt: skip
    _set_related(term, [])
    db.session.delete(term)


def merge_terms(merged: GlossaryTerm, kept: GlossaryTerm, by: User | None) -> None:
    """`merged` disappears into `kept`: its resources and projects, labels, relations and
    URL go to `kept`; its preferred label becomes an alternative label."""
    if merged.id == kept.id:
        raise GlossaryError("Un terme ne peut pas être fusionné avec lui-même.", "kept")
    # Both terms first, in id order (no deadlock): of two concurrent merges
    # touching them, one waits for the other, then is refused (409).
    for term in sorted((merged, kept), key=lambda term: term.id):
        conflicts.claim(term)
    tagged = [
        *db.session.scalars(select(Resource).where(Resource.terms.contains(merged))),
        *db.session.scalars(select(Project).where(Project.terms.contains(merged))),
    ]
    for item in tagged:
        item.terms = [t for t in item.terms if t.id != merged.id]
        if kept not in item.terms:
            item.terms.append(kept)
    labels = clean_labels([*kept.alt_label_texts, merged.pref_label, *merged.alt_label_texts])
    merged_broader, merged_narrower = list(merged.broader), list(merged.narrower)
    merged_related = [t for t in merged.related if t.id != kept.id]
    merged.alt_labels = []
    _set_related(merged, [])
    merged.broader, merged.narrower = [], []
    db.session.flush()  # the merged term's labels and links are gone before they move
    family = _ancestors(kept)
    kept.alt_labels = [
        *kept.alt_labels,
        *[TermLabel(label=label) for label in labels if label not in kept.alt_label_texts
          and fold(label) != fold(kept.pref_label)],
    ]  # fmt: skip
    # The merged term's place in the hierarchy, unless it would make a cycle.
    for parent in merged_broader:
        if parent.id == kept.id or parent in kept.broader or kept.id in _ancestors(parent):
            continue
        kept.broader.append(parent)
    for child in merged_narrower:
        if child.id != kept.id and child.id not in family and child not in kept.narrower:
            kept.narrower.append(child)
    family = _hierarchy(kept, list(kept.broader))
    related = [t for t in dict.fromkeys([*kept.related, *merged_related]) if t.id not in family]
    _set_related(kept, related)
    db.session.execute(
        update(TermRedirect).where(TermRedirect.term_id == merged.id).values(term_id=kept.id)
    )
    following.move_follows("term", merged.id, kept.id)
    slug, label = merged.slug, merged.pref_label
    db.session.delete(merged)
    db.session.flush()
    db.session.add(TermRedirect(old_slug=slug, term_id=kept.id))
    audit.record(
        "glossary.merge", "glossary_term", kept.id, by, merged_slug=slug, merged_label=label
    )


def snapshot(term: GlossaryTerm) -> dict:
    """A term as plain data, for audit events and exports."""
    return {
        "slug": term.slug,
        "pref_label": term.pref_label,
        "alt_labels": term.alt_label_texts,
        "definition": term.definition,
        "scope_note": term.scope_note,
        "source": term.source,
        "broader": sorted(t.slug for t in term.broader),
        "related": sorted(t.slug for t in term.related),
    }
