"""cnig-share consultations remind: the daily cron job of consultations.

It moves no state (states follow the clock); it only sends mail: the opening
of a consultation whose date has come, and the reminders CONSULTATION_REMINDER_DAYS
days before closing, each once per closing date (recorded, so a second run the
same day, or on another host, sends nothing)."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import AppGroup
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from cnig_share.consultations import notifications
from cnig_share.consultations.states import in_state, paris_day
from cnig_share.extensions import db
from cnig_share.models import Consultation, ConsultationReminder, utcnow

consultations_cli = AppGroup("consultations", help="Consultations des CTD.")


def send_due(now=None) -> tuple[int, int]:
    """Announce openings and send due reminders; (openings, reminders) sent."""
    today = paris_day(now)
    days = sorted(int(d) for d in current_app.config["CONSULTATION_REMINDER_DAYS"])
    ids = db.session.scalars(select(Consultation.id).where(in_state("open", now))).all()
    openings = reminders = 0
    for consultation_id in ids:
        consultation = db.session.get(Consultation, consultation_id)
        if consultation.opening_announced_at is None:
            consultation.opening_announced_at = utcnow()
            notifications.opening(consultation)
            openings += 1
        left = (consultation.closes_on - today).days
        due = [d for d in days if left <= d]
        sent = set(
            db.session.scalars(
                select(ConsultationReminder.days).where(
                    ConsultationReminder.consultation_id == consultation.id,
                    ConsultationReminder.closes_on == consultation.closes_on,
                )
            )
        )
        # The most urgent one only: a consultation opened 2 days before its end
        # gets one reminder, not the 14-day one and the 3-day one at once.
        if due and due[0] not in sent:
            waiting = [c.ctd for c in consultation.contributions if c.status == "draft"]
            notifications.reminder(consultation, sorted(waiting, key=lambda c: c.name), left)
            reminders += 1
        for d in set(due) - sent:
            db.session.add(
                ConsultationReminder(
                    consultation_id=consultation.id, closes_on=consultation.closes_on, days=d
                )
            )
        # Another run recorded them first: its mail went, not ours.
        try:
            db.session.commit()
        except (IntegrityError, StaleDataError):
            db.session.rollback()
    _reindex_closed(now)
    return openings, reminders


# The reminder row with days = 0 marks a closing date already handled.
CLOSING = 0


def _reindex_closed(now) -> None:
    """Contributions public *à la clôture* become searchable when it closes: no row
    changes at that instant, so the first run after it touches the consultation,
    which puts it in the search outbox (once per closing date)."""
    ids = db.session.scalars(
        select(Consultation.id).where(in_state("closed", now), Consultation.visibility == "closing")
    ).all()
    for consultation_id in ids:
        consultation = db.session.get(Consultation, consultation_id)
        done = db.session.scalar(
            select(ConsultationReminder.id).where(
                ConsultationReminder.consultation_id == consultation.id,
                ConsultationReminder.closes_on == consultation.closes_on,
                ConsultationReminder.days == CLOSING,
            )
        )
        if done is not None:
            continue
        consultation.updated_at = utcnow()
        db.session.add(
            ConsultationReminder(
                consultation_id=consultation.id, closes_on=consultation.closes_on, days=CLOSING
            )
        )
        try:
            db.session.commit()
        except (IntegrityError, StaleDataError):
            db.session.rollback()


@consultations_cli.command("remind")
def remind_command() -> None:
    """Announce consultations that opened, remind CTDs that have not answered."""
    with current_app.test_request_context(base_url=current_app.config["PUBLIC_URL"]):
        openings, reminders = send_due()
    click.echo(f"{openings} ouverture(s) annoncée(s), {reminders} rappel(s) envoyé(s).")
