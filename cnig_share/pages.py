"""The home page and the load balancer's health check."""

from __future__ import annotations

from dataclasses import dataclass, field

from flask import (
    Blueprint,
    Flask,
    current_app,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from sqlalchemy import func, select, text
from sqlalchemy.exc import SQLAlchemyError

from cnig_share import permissions
from cnig_share.ctds import national_map
from cnig_share.extensions import db
from cnig_share.models import Ctd, GlossaryTerm, Resource
from cnig_share.search.index import IndexUnavailable
from cnig_share.search.sync import count_quarantined, start_background_rebuild
from cnig_share.text import fold
from cnig_share.watch.services import public_selections

bp = Blueprint("pages", __name__)

HOME_LATEST = 6


@dataclass(frozen=True)
class NavLink:
    """A page of the navigation: its endpoint (and arguments), its label."""

    endpoint: str
    label: str
    values: dict[str, str] = field(default_factory=dict)

    def url(self) -> str:
        return url_for(self.endpoint, **self.values)


@dataclass(frozen=True)
class NavMenu:
    """A DSFR navigation menu: a button opening a list of pages."""

    label: str
    links: tuple[NavLink, ...]
    # The blueprints whose pages belong to this menu's section.
    sections: tuple[str, ...] = ()


# The main navigation, in order. The CTD workspace has its own menu, so that its
# national pages are found without knowing a CTD's page first.
MAIN_NAVIGATION: tuple[NavLink | NavMenu, ...] = (
    NavLink("pages.home", "Accueil"),
    NavLink("resources.index", "Ressources"),
    NavLink("search.page", "Recherche"),
    NavLink("glossary.index", "Glossaire"),
    NavLink("discussions.index", "Discussions"),
    NavMenu(
        "CTD",
        (
            NavLink("ctds.index", "Annuaire des CTD"),
            NavLink("ctds.map", "Carte des CTD"),
            NavLink("consultations.index", "Consultations du CNIG"),
            NavLink("search.page", "Projets des CTD", {"kind": "projet"}),
            NavLink("workspace.national_costs", "Coûts et économies"),
            NavLink("workspace.actors", "Acteurs nationaux"),
            NavLink("workspace.actor_map", "Qui travaille avec qui"),
            NavLink("ctds.coverage", "Couverture thématique"),
        ),
        sections=("ctds", "workspace", "consultations"),
    ),
    NavLink("watch.selections", "Veille"),
)
SEARCH_ENDPOINT = "search.page"


def _exact(link: NavLink) -> bool:
    """This very page: its endpoint, and the arguments the link names."""
    return request.endpoint == link.endpoint and all(
        request.args.get(name) == value for name, value in link.values.items()
    )


def current_navigation() -> tuple[NavLink | None, NavMenu | None]:
    """The link marked as the current page, and the menu that holds the current
    section (a CTD's page or workspace opens the CTD menu's section)."""
    links = [
        link
        for item in MAIN_NAVIGATION
        for link in (item.links if isinstance(item, NavMenu) else (item,))
    ]
    exact = [link for link in links if _exact(link)]
    if exact:
        link = max(exact, key=lambda link: len(link.values))  # the most specific
    else:
        # A page below a top-level entry (a resource, a term): that entry, by blueprint.
        link = next(
            (
                item
                for item in MAIN_NAVIGATION
                if isinstance(item, NavLink)
                and item.endpoint != "pages.home"
                and item.endpoint.split(".")[0] == request.blueprint
            ),
            None,
        )
    menu = next(
        (
            item
            for item in MAIN_NAVIGATION
            if isinstance(item, NavMenu)
            and (link in item.links or request.blueprint in item.sections)
        ),
        None,
    )
    return link, menu


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
    app.context_processor(_layout_context)


def _layout_context() -> dict[str, object]:
    current_link, current_menu = current_navigation()
    return {
        "main_navigation": MAIN_NAVIGATION,
        "current_link": current_link,
        "current_menu": current_menu,
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
        ctd_map=national_map.build(),
        term_count=term_count,
    )


@bp.get("/favicon.ico")
def favicon():
    """Browsers ask for it where a page names no icon (a framed widget does so in
    Chromium): the DSFR's, rather than a 404 in the console."""
    return redirect(url_for("static", filename="vendor/dsfr/favicon/favicon.ico"), 301)


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
