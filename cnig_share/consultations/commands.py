"""cnig-share consultations remind: the daily cron job of consultations.

It moves no state (states follow the clock); it only sends mail: the opening
of a consultation whose date has come, the reminders CONSULTATION_REMINDER_DAYS
days before closing, each once per closing date (recorded, so a second run the
same day, or on another host, sends nothing), and the closing to the
consultation's followers."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import AppGroup
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from cnig_share.consultations import followable, notifications, services
from cnig_share.consultations.states import closes_at, in_state, opens_at, paris_day
from cnig_share.extensions import db
from cnig_share.models import Consultation, ConsultationEvent, ConsultationReminder

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
            # It opened with its date, at 00:00 Paris: /fil says so, not this run's hour.
            services.announce_opening(consultation, at=opens_at(consultation))
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
    _record_closings(now)
    return openings, reminders


def _record_closings(now) -> None:
    """Closing changes no row: the first run after it tells the followers
    (once per closing date: followable.record ignores a second), dated at its
    closing, 23:59:59 Paris (as the Atom feed dates it)."""
    told = select(ConsultationEvent.id).where(
        ConsultationEvent.consultation_id == Consultation.id,
        ConsultationEvent.kind == "closing",
        ConsultationEvent.closes_on == Consultation.closes_on,
    )
    closed = select(Consultation.id).where(in_state("closed", now), ~told.exists())
    for consultation_id in db.session.scalars(closed).all():
        consultation = db.session.get(Consultation, consultation_id)
        followable.record(consultation, "closing", at=closes_at(consultation))
        db.session.commit()


@consultations_cli.command("remind")
def remind_command() -> None:
    """Announce consultations that opened, remind CTDs that have not answered."""
    with current_app.test_request_context(base_url=current_app.config["PUBLIC_URL"]):
        openings, reminders = send_due()
    click.echo(f"{openings} ouverture(s) annoncée(s), {reminders} rappel(s) envoyé(s).")
