"""Where each CTD stands: its stage, set by curators and its coordinators,
audited, kept in a history that the CTD's feed announces."""

from __future__ import annotations

from datetime import date

from sqlalchemy import exists, select, update

from cnig_share import audit, conflicts, reference_data
from cnig_share.dates import today
from cnig_share.extensions import db
from cnig_share.models import CTD_STAGES, Ctd, CtdStageChange, User

FIRST_INSTALLATION = date(2000, 1, 1)


class StageError(ValueError):
    """A stage refused for a reason the person can fix; the message is French."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


def check_stage(stage: str, installed_on: date | None) -> None:
    """The rules of a stage, for the form and any other caller alike."""
    if stage not in CTD_STAGES:
        raise StageError("stage", "Choisissez une étape dans la liste.")
    if installed_on is None:
        return
    if stage != "constituted":
        raise StageError(
            "installed_on", "Seul un comité constitué a une date d'installation : videz ce champ."
        )
    if installed_on > today():
        raise StageError("installed_on", "La date d'installation ne peut pas être à venir.")
    if installed_on < FIRST_INSTALLATION:
        raise StageError("installed_on", "La date d'installation ne peut pas précéder l'an 2000.")


def set_stage(
    ctd: Ctd, stage: str, installed_on: date | None, by: User | None, loaded: int | None
) -> bool:
    """Set the stage from a form made from stage version `loaded`; False when
    nothing changed. A conditional update: of two changes made from the same
    version, the later raises EditConflict. The caller commits. A person's change
    is audited; init-db's reference stages (`by` None) are reference data, which the
    log leaves out as it does the glossary's reference terms."""
    check_stage(stage, installed_on)
    conflicts.require_version(ctd.stage_version, loaded)
    if (ctd.stage, ctd.installed_on) == (stage, installed_on):
        return False
    changed = db.session.execute(
        update(Ctd)
        .where(Ctd.id == ctd.id, Ctd.stage_version == ctd.stage_version)
        .values(stage=stage, installed_on=installed_on, stage_version=Ctd.stage_version + 1)
        .execution_options(synchronize_session=False)
    )
    if changed.rowcount != 1:
        db.session.rollback()
        raise conflicts.EditConflict()
    db.session.refresh(ctd)
    db.session.add(CtdStageChange(ctd=ctd, stage=stage, installed_on=installed_on, author=by))
    if by is not None:
        audit.record("ctd.stage", "ctd", ctd.id, by, stage=stage, installed_on=_iso(installed_on))
    return True


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


def history(ctd: Ctd) -> list[CtdStageChange]:
    """The CTD's changes of stage, newest first."""
    query = select(CtdStageChange).where(CtdStageChange.ctd_id == ctd.id)
    return list(
        db.session.scalars(
            query.order_by(CtdStageChange.created_at.desc(), CtdStageChange.id.desc())
        )
    )


def ensure_reference_stages() -> int:
    """Mark the CTDs set up in 2025 as constituted, only on an instance where no
    stage was ever set (never overwrite a choice); returns how many were marked."""
    if db.session.scalar(select(exists().where(CtdStageChange.id.is_not(None)))):
        return 0
    ctds = db.session.scalars(
        select(Ctd).where(
            Ctd.slug.in_(reference_data.CONSTITUTED_IN_2025), Ctd.stage == "not-engaged"
        )
    ).all()
    for ctd in ctds:
        set_stage(ctd, "constituted", None, None, None)
    return len(ctds)
