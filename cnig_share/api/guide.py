"""/api/: the API explained in French, for the people who write clients."""

from __future__ import annotations

from flask import Blueprint, current_app, render_template

bp = Blueprint("api_guide", __name__)


@bp.get("/api/")
def page():
    return render_template("api/guide.html", base=current_app.config["PUBLIC_URL"].rstrip("/"))
