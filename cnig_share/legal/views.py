"""/plan-du-site, /accessibilite, /mentions-legales, /donnees-personnelles, /cookies."""

from __future__ import annotations

from flask import Blueprint, current_app, render_template

from cnig_share.legal import accessibility, sitemap

bp = Blueprint("legal", __name__)


@bp.get("/plan-du-site")
def site_map():
    return render_template("legal/site_map.html", sections=sitemap.sections())


@bp.get("/accessibilite")
def accessibility_statement():
    return render_template(
        "legal/accessibility.html",
        audit=accessibility.load(),
        statuses=accessibility.STATUSES,
        methods=accessibility.METHODS,
    )


@bp.get("/mentions-legales")
def legal_notice():
    return render_template("legal/legal_notice.html")


@bp.get("/donnees-personnelles")
def personal_data():
    config = current_app.config
    return render_template(
        "legal/personal_data.html",
        misses_days=config["SEARCH_MISSES_DAYS"],
        reset_hours=config["PASSWORD_RESET_MAX_AGE"] // 3600,
    )


@bp.get("/cookies")
def cookies():
    return render_template("legal/cookies.html")
