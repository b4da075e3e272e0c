"""INSERT … ON CONFLICT on both databases: whether a row went in is told the same
way on each. psycopg answers rowcount -1 for these statements, which read as
"inserted" every time: a second follow event on PostgreSQL then notified the
followers again, and two first notifications at once both took the right to send."""

from __future__ import annotations

from sqlalchemy import func, select

from cnig_share import upserts
from cnig_share.extensions import db
from cnig_share.models import Follow
from cnig_share.models.base import utcnow
from tests import factories


def test_insert_or_ignore_tells_a_new_row_from_one_already_there(app, make_user):
    make_user("suiveuse@bretagne.example.org", ctds=("bretagne",))
    with app.app_context():
        user = factories.user("suiveuse@bretagne.example.org")
        ctd = factories.ctd("bretagne")
        values = dict(user_id=user.id, target_kind="ctd", target_id=ctd.id, created_at=utcnow())
        first = upserts.insert_or_ignore(db.session, Follow, **values)
        again = upserts.insert_or_ignore(db.session, Follow, **values)
        db.session.commit()
        assert first is not None and first.id > 0
        assert again is None
        assert db.session.scalar(select(func.count()).select_from(Follow)) == 1
