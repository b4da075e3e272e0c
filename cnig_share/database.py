"""The database: migrations, and the reference rows init-db guarantees."""

from __future__ import annotations

import click
from flask import Flask, current_app
from flask.cli import with_appcontext
from flask_migrate import upgrade
from sqlalchemy import select

from cnig_share import reference_data
from cnig_share.ctds import stages
from cnig_share.extensions import MIGRATIONS_DIR, db
from cnig_share.models import (
    AuditEvent,
    Ctd,
    GlossaryTerm,
    GlossaryVersion,
    TermLabel,
    TermRedirect,
)
from cnig_share.search import sync as search_sync


def init_app(app: Flask) -> None:
    """Register init-db."""
    app.cli.add_command(init_db_command)


@click.command("init-db")
@with_appcontext
def init_db_command() -> None:
    """Create or migrate the schema, then add the reference CTDs and glossary terms."""
    migrate_schema()
    added = ensure_reference_data()
    click.echo(
        f"Base de données à jour : {added['ctds']} CTD et "
        f"{added['terms']} termes du glossaire ajoutés."
    )
    if added["stages"]:
        click.echo(f"Étape de référence : {added['stages']} CTD constitués en 2025.")
    if not current_app.extensions["search"].exists():
        # Every indexed kind, not only resources: projects, roadmaps, actors too.
        count = search_sync.rebuild(procs=1)
        click.echo(f"Index de recherche créé : {count} documents indexés.")


def migrate_schema() -> None:
    """Bring the schema to the latest migration (creating it when empty)."""
    upgrade(directory=MIGRATIONS_DIR)


def ensure_reference_data() -> dict[str, int]:
    """Add the reference CTDs and glossary terms that are missing; never edit others.

    Returns how many rows of each kind were added, so init-db can say so.
    """
    added = {"ctds": _ensure_ctds(), "terms": _ensure_terms()}
    db.session.flush()
    _ensure_glossary_version()
    added["stages"] = stages.ensure_reference_stages()
    db.session.commit()
    return added


def _ensure_glossary_version() -> None:
    """The row counting glossary changes (migration 0026 writes it; a schema
    made with create_all, as in the tests and benches, gets it here)."""
    if db.session.get(GlossaryVersion, 1) is None:
        db.session.add(GlossaryVersion(id=1, version=0))


def _ensure_ctds() -> int:
    existing = set(db.session.scalars(select(Ctd.slug)))
    added = 0
    for slug, region in reference_data.CTD_REGIONS:
        if slug in existing:
            continue
        db.session.add(
            Ctd(
                slug=slug,
                name=reference_data.ctd_name(region),
                region=region,
                description=reference_data.ctd_description(region),
            )
        )
        added += 1
    return added


def _retired_slugs() -> set[str]:
    """Reference terms a curator renamed, merged or deleted: not to come back."""
    redirected = set(db.session.scalars(select(TermRedirect.old_slug)))
    deleted = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "glossary.delete"))
    return redirected | {event.details.get("slug") for event in deleted}


def _ensure_terms() -> int:
    by_slug = {term.slug: term for term in db.session.scalars(select(GlossaryTerm))}
    retired = _retired_slugs()
    new: list[reference_data.TermData] = []
    for data in reference_data.GLOSSARY:
        if data["slug"] in by_slug or data["slug"] in retired:
            continue
        term = GlossaryTerm(
            slug=data["slug"],
            pref_label=data["label"],
            definition=data["definition"],
            source="CNIG — glossaire de référence des comités territoriaux de la donnée",
            alt_labels=[TermLabel(label=label) for label in data["alt_labels"]],
        )
        db.session.add(term)
        by_slug[term.slug] = term
        new.append(data)
    # Relations only for terms created now: a curator's later edits stand.
    for data in new:
        term = by_slug[data["slug"]]
        term.broader = [by_slug[slug] for slug in data["broader"] if slug in by_slug]
        for slug in data["related"]:
            other = by_slug.get(slug)
            if other is None:
                continue
            if other not in term.related:
                term.related.append(other)
            if term not in other.related:
                other.related.append(term)
    return len(new)
