"""The audit trail: one event per decision, kept with who, what and why."""

from __future__ import annotations

from typing import Any

from cnig_share.extensions import db
from cnig_share.models import AuditEvent, User


def record(
    action: str,
    target_type: str,
    target_id: int | None,
    actor: User | None,
    comment: str = "",
    **details: Any,
) -> AuditEvent:
    """Add an event to the session; it is committed with the change it records."""
    event = AuditEvent(
        action=action,
        target_type=target_type,
        target_id=target_id,
        actor=actor,
        comment=comment,
        details=details,
    )
    db.session.add(event)
    return event
