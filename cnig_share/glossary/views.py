"""/glossaire/: the terms of reference and each term's page."""

from __future__ import annotations

from flask import Blueprint, render_template
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from cnig_share.extensions import db
from cnig_share.models import GlossaryTerm, Resource

bp = Blueprint("glossary", __name__, url_prefix="/glossaire")


@bp.get("/")
def index():
    terms = db.session.scalars(
        select(GlossaryTerm)
        .options(selectinload(GlossaryTerm.alt_labels))
        .order_by(GlossaryTerm.slug)
    ).all()
    return render_template("glossary/index.html", terms=terms)


@bp.get("/<slug>")
def show(slug: str):
    term = db.first_or_404(select(GlossaryTerm).where(GlossaryTerm.slug == slug))
    resources = db.session.scalars(
        select(Resource)
        .where(Resource.status == "published", Resource.terms.contains(term))
        .order_by(Resource.published_at.desc())
    ).all()
    return render_template("glossary/show.html", term=term, resources=resources)
