"""Demo stages of CTDs (content/ctds/stages.toml), so that the map and the fact
sheets show the three stages. Checked like a person's choice (ctds.stages);
applied only to a CTD whose stage nobody has set yet, never over a choice."""

from __future__ import annotations

import datetime
from typing import Any

from sqlalchemy import select

from cnig_share.ctds import stages
from cnig_share.demo.content import Folder
from cnig_share.extensions import db
from cnig_share.models import Ctd, CtdStageChange, User

STAGES_FILE = "ctds/stages.toml"


def check(folder: Folder, ctd_slugs: set[str]) -> dict[str, tuple[str, datetime.date | None]]:
    """(stage, installation day) by CTD slug; each problem noted in `folder`."""
    found = {}
    for slug, values in folder.table(STAGES_FILE).items():
        if slug not in ctd_slugs or not isinstance(values, dict):
            folder.fail(STAGES_FILE, f"{slug} : une table [<ctd>] d'un CTD existant attendue")
            continue
        stage, installed_on = values.get("stage"), values.get("installed_on")
        try:
            _check_types(stage, installed_on)
            stages.check_stage(stage, installed_on)
        except stages.StageError as error:
            folder.fail(STAGES_FILE, f"{slug} : {error.message}")
            continue
        found[slug] = (stage, installed_on)
    return found


def _check_types(stage: Any, installed_on: Any) -> None:
    if not isinstance(stage, str):
        raise stages.StageError("stage", "« stage » doit être un texte.")
    if installed_on is not None and type(installed_on) is not datetime.date:
        raise stages.StageError("installed_on", "« installed_on » doit être une date (2025-03-14).")


def create(found: dict[str, tuple[str, datetime.date | None]], curator: User) -> int:
    """Set the stages of CTDs that no person has set yet; returns how many."""
    chosen = set(
        db.session.scalars(
            select(CtdStageChange.ctd_id).where(CtdStageChange.author_id.is_not(None))
        )
    )
    count = 0
    for ctd in db.session.scalars(select(Ctd).where(Ctd.slug.in_(found))):
        if ctd.id in chosen:
            continue
        stage, installed_on = found[ctd.slug]
        count += stages.set_stage(ctd, stage, installed_on, curator, None)
    return count
