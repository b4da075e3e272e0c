"""/statistiques: the public figures, each with its chart, its data table and
its CSV file (/statistiques/<table>.csv)."""

from __future__ import annotations

from flask import Blueprint, abort, render_template

from cnig_share.csv_files import spreadsheet_download
from cnig_share.statistics import figures

bp = Blueprint("statistics", __name__)

# Figures change with each publication, not with each visit: a shared cache
# may keep a CSV file a few minutes. Not the page, which carries the signed-in
# person's header and CSRF token like every page.
CSV_CACHE = "public, max-age=300"


@bp.get("/statistiques")
def page():
    return render_template("statistics/index.html", sections=figures.sections())


@bp.get("/statistiques/<key>.csv")
def table_csv(key: str):
    table = figures.tables().get(key)
    if table is None:
        abort(404, "Ce tableau de statistiques n'existe pas.")
    response = spreadsheet_download(
        f"statistiques-{table.key}", [[table.first, table.second], *table.rows]
    )
    response.headers["Cache-Control"] = CSV_CACHE
    return response
