"""cnig-share search reindex | check | acronyms."""

from __future__ import annotations

import sys

import click
from flask import current_app
from flask.cli import AppGroup
from sqlalchemy.orm import Session

from cnig_share.extensions import db
from cnig_share.search import sync, synonyms
from cnig_share.search.index import IndexUnavailable

# Why the index could not be read (IndexUnavailable's reason), in French.
UNAVAILABLE = {
    "missing": "L'index de recherche est absent",
    "damaged": "L'index de recherche est illisible (endommagé ou d'un ancien format)",
    "rebuilding": "L'index de recherche est en cours de reconstruction",
}

search_cli = AppGroup("search", help="Index de recherche.")


@search_cli.command("reindex")
@click.option("--procs", type=int, default=None, help="Processus d'indexation (défaut : 2).")
def reindex_command(procs: int | None) -> None:
    """Rebuild the index from the database, then swap it in."""
    procs = procs or current_app.config["SEARCH_REINDEX_PROCS"]
    with Session(db.engine) as session:
        total = sync.count_published(session)
    with click.progressbar(length=total, label="Indexation", file=sys.stderr, show_pos=True) as bar:
        count = sync.rebuild(procs=procs, progress=bar.update)
    click.echo(
        f"Index reconstruit : {count} documents "
        "(ressources publiées, projets et feuilles de route des CTD, acteurs nationaux)."
    )


@search_cli.command("check")
def check_command() -> None:
    """Compare index and database; exit 1 and list the differences if any."""
    try:
        differences = sync.check()
    except IndexUnavailable as error:
        reason = UNAVAILABLE.get(str(error), "L'index de recherche ne peut pas être lu")
        click.echo(f"{reason} ({current_app.config['INDEX_PATH']}).", err=True)
        click.echo("Reconstruisez-le avec `cnig-share search reindex`.", err=True)
        sys.exit(1)
    if not any(differences.values()):
        click.echo("Index et base de données concordent.")
        return
    # Documents by their key: a resource's number, projet-3, acteur-5.
    names = {
        "missing": "absent(s) de l'index",
        "extra": "en trop dans l'index",
        "stale": "périmé(s)",
        "quarantined": "mis de côté après des échecs d'indexation",
    }
    for key, keys in differences.items():
        if keys:
            click.echo(f"{len(keys)} document(s) {names[key]} : {', '.join(keys)}")
    for document_key, error in sync.quarantined():
        click.echo(f"  {document_key} : {error}")
    if differences["quarantined"]:
        click.echo("Corrigez la cause, puis lancez `cnig-share search reindex`.")
    sys.exit(1)


@search_cli.command("acronyms")
def acronyms_command() -> None:
    """Propose the acronyms the published resources define (/curation/synonymes)."""
    learnt = synonyms.learn()
    db.session.commit()
    click.echo(
        f"Acronymes : {learnt.proposed} proposé(s), {learnt.updated} recompté(s), "
        f"{learnt.dropped} retiré(s) faute de ressource publiée."
    )
