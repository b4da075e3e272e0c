"""The home page and the load balancer's health check."""

from __future__ import annotations

from flask import Blueprint, Flask, current_app, jsonify, render_template, url_for
from sqlalchemy import func, select, text
from sqlalchemy.exc import SQLAlchemyError

from cnig_share import permissions
from cnig_share.extensions import db
from cnig_share.models import Ctd, GlossaryTerm, Resource
from cnig_share.search.index import IndexUnavailable
from cnig_share.search.sync import count_quarantined, start_background_rebuild
from cnig_share.text import fold
from cnig_share.watch.services import public_selections

bp = Blueprint("pages", __name__)

HOME_LATEST = 6


# (endpoint, label) of the main navigation, in order.
MAIN_NAVIGATION = [
    ("pages.home", "Accueil"),
    ("resources.index", "Ressources"),
    ("search.page", "Recherche"),
    ("glossary.index", "Glossaire"),
    ("ctds.index", "CTD"),
    ("watch.selections", "Veille"),
]
SEARCH_ENDPOINT = "search.page"


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
    app.context_processor(_layout_context)


def _layout_context() -> dict[str, object]:
    return {
        "main_navigation": MAIN_NAVIGATION,
        "search_endpoint": SEARCH_ENDPOINT,
        "search_url": url_for(SEARCH_ENDPOINT),
    }


@bp.get("/")
def home():
    published = permissions.public_resources()
    featured = db.session.scalars(
        published.where(Resource.featured).order_by(Resource.published_at.desc()).limit(3)
    ).all()
    latest = db.session.scalars(
        published.order_by(Resource.published_at.desc()).limit(HOME_LATEST)
    ).all()
    selections = db.session.scalars(public_selections().limit(3)).all()
    ctds = db.session.execute(
        select(Ctd, func.count(Resource.id))
        .outerjoin(Resource, (Resource.ctd_id == Ctd.id) & permissions.public())
        .group_by(Ctd.id)
    ).all()
    ctds.sort(key=lambda row: fold(row[0].region))
    term_count = db.session.scalar(select(func.count(GlossaryTerm.id)))
    return render_template(
        "pages/home.html",
        featured=featured,
        latest=latest,
        selections=selections,
        ctds=ctds,
        term_count=term_count,
    )


@bp.get("/healthz")
def healthz():
    """200 when the database and the search index answer, for a load balancer.

    A rebuild in progress still answers 200: search works, degraded, meanwhile.
    """
    status = {"status": "ok", "database": "ok", "index": "ok"}
    try:
        db.session.execute(text("SELECT 1"))
    except SQLAlchemyError:
        db.session.rollback()
        status.update(status="error", database="unavailable")
    else:
        # Documents the index could not take: the site still serves, an operator should look.
        quarantined = count_quarantined()
        if quarantined:
            status["search_quarantined"] = quarantined
    index = current_app.extensions["search"]
    try:
        index.searcher()
    except IndexUnavailable:
        if index.rebuilding():
            status["index"] = "rebuilding"
        else:
            start_background_rebuild()
            status.update(status="error", index="unavailable")
    return jsonify(status), 200 if status["status"] == "ok" else 503
