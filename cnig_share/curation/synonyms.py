"""/curation/synonymes: the acronyms learnt from the published resources, for
the curators to accept (as an alternative label of a glossary term, or as a
site synonym) or reject; a decision takes effect at the next search."""

from __future__ import annotations

import re

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select

from cnig_share.curation.views import curators_only
from cnig_share.extensions import db
from cnig_share.glossary import vocabulary
from cnig_share.models import AcronymProposal, GlossaryTerm
from cnig_share.pagination import page_of
from cnig_share.routing import parse_id
from cnig_share.search import synonyms

bp = Blueprint("synonyms", __name__, url_prefix="/curation/synonymes")

bp.before_request(curators_only)


@bp.get("/")
def proposals():
    rows = db.session.scalars(
        select(AcronymProposal).order_by(
            AcronymProposal.resource_count.desc(), AcronymProposal.acronym
        )
    ).all()
    # Each section pages on its own: deciding on page 3 of the proposals leaves the
    # accepted and refused where they were.
    by_status = {
        status: page_of([row for row in rows if row.status == status], request.args, PAGE, param)
        for status, param in STATUSES.items()
    }
    return render_template(
        "curation/synonyms.html",
        by_status=by_status,
        params=STATUSES,
        pages=_pages_shown(request.args),
        args=request.args,
        terms=vocabulary.all_terms(),
    )


# Each status and the query argument of its section's page.
STATUSES = {"proposed": "page", "accepted": "page_acceptes", "rejected": "page_refuses"}
PAGE = 20


def _pages_shown(args) -> dict[str, str]:
    """The page each section was showing, as its query arguments."""
    return {
        param: args[param]
        for param in STATUSES.values()
        if re.fullmatch(r"[0-9]{1,6}", args.get(param, "")) and args[param] != "1"
    }


@bp.post("/<id:proposal_id>")
def decide(proposal_id: int):
    proposal = db.get_or_404(AcronymProposal, proposal_id)
    decision = request.form.get("decision", "")
    # Back to the pages the decision was made on (the forms' addresses carry them).
    back = redirect(url_for(".proposals", **_pages_shown(request.args)), 303)
    pair = f"« {proposal.acronym} » = « {proposal.expansion} »"
    if decision == "term":
        term = db.session.get(GlossaryTerm, parse_id(request.form.get("term", "")) or 0)
        if term is None:
            flash("Choisissez le terme auquel ajouter cet acronyme.", "error")
            return back
        try:
            synonyms.accept_as_term(proposal, term, current_user)
        except synonyms.DecisionError as error:
            db.session.rollback()
            flash(str(error), "error")
            return back
        message = f"{pair} : appellations du terme « {term.pref_label} »."
    elif decision == "site":
        synonyms.accept_as_site_synonym(proposal, current_user)
        message = f"{pair} : synonyme du site, dès la prochaine recherche."
    elif decision == "reject":
        synonyms.reject(proposal, current_user)
        message = f"{pair} : refusé."
    else:
        flash("Choisissez une décision : terme du glossaire, synonyme du site ou refus.", "error")
        return back
    db.session.commit()
    flash(message, "success")
    return back
