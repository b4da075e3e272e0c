"""How long each fact sheet takes to draw (the cache bypassed), on an instance:

    CNIG_SHARE_INSTANCE_PATH=/tmp/demo .venv/bin/python bench/factsheets.py

Prints, for the 18 CTD sheets and the national one, the time to gather what a
sheet shows and the time to draw it, then the slowest. The issue asks for
under 2 s a sheet."""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import select

from cnig_share import create_app
from cnig_share.ctds import factsheet, geography
from cnig_share.ctds.factsheet_pdf import draw
from cnig_share.extensions import db
from cnig_share.models import Ctd


def main() -> None:
    app = create_app()
    with app.test_request_context():
        geography.frames()  # computed once per process, at the first map drawn
        timings = []
        ctds = db.session.scalars(select(Ctd).order_by(Ctd.slug)).all()
        for name, gather in [
            *((ctd.slug, lambda ctd=ctd: factsheet.ctd_sheet(ctd)) for ctd in ctds),
            ("national", factsheet.national_sheet),
        ]:
            start = time.perf_counter()
            sheet = gather()
            gathered = time.perf_counter()
            draw(sheet)
            drawn = time.perf_counter()
            timings.append(drawn - start)
            print(f"{name:28} gather {gathered - start:6.3f} s  draw {drawn - gathered:6.3f} s")
        print(f"median {statistics.median(timings):.3f} s, slowest {max(timings):.3f} s")


if __name__ == "__main__":
    main()
