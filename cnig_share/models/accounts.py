"""People who sign in, and the site-wide role each one holds."""

from __future__ import annotations

import hashlib
from datetime import datetime
from typing import TYPE_CHECKING

from flask_login import UserMixin
from sqlalchemy import CheckConstraint, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from cnig_share.models.base import Base, utcnow
from cnig_share.text import fold

if TYPE_CHECKING:
    from cnig_share.models.ctd import Ctd, Membership

# Site roles, weakest first; a curator may do all a member may, and so on.
ROLES = {
    "member": "Membre d'un CTD",
    "curator": "Équipe veille et relais",
    "admin": "Administration",
}


class User(UserMixin, Base):
    """An account: a CTD member, a curator of the CNIG team or an admin."""

    # "user" is a reserved word in PostgreSQL.
    __tablename__ = "user_account"
    __table_args__ = (CheckConstraint("role IN ('member', 'curator', 'admin')", name="role"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(200), default="")
    organisation: Mapped[str] = mapped_column(String(200), default="", server_default="")
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(20), default="member")
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_login_at: Mapped[datetime | None]
    # Raised to end every open session at once (deactivation), whatever the password.
    session_version: Mapped[int] = mapped_column(default=0, server_default="0")

    memberships: Mapped[list[Membership]] = relationship(
        back_populates="user", cascade="all, delete-orphan"
    )
    identities: Mapped[list[ExternalIdentity]] = relationship(
        back_populates="user", cascade="all, delete-orphan"
    )

    @property
    def is_active(self) -> bool:  # Flask-Login refuses inactive accounts
        return self.active

    @property
    def has_password(self) -> bool:
        """False for an account that signs in through ProConnect only (an empty hash)."""
        return bool(self.password_hash)

    def identity_from(self, issuer: str) -> ExternalIdentity | None:
        """The identity this account signs in with at an OpenID provider, if linked."""
        return next((i for i in self.identities if i.issuer == issuer), None)

    @property
    def session_key(self) -> str:
        """Changes with the password and the session version: sessions opened
        before either changed end. A digest of the salted hash, so the (readable)
        session cookie tells nothing."""
        # Version 0 keeps the keys of sessions opened before versions existed.
        material = self.password_hash
        if self.session_version:
            material += f":{self.session_version}"
        return hashlib.sha256(material.encode()).hexdigest()[:16]

    def get_id(self) -> str:
        """What a session remembers (Flask-Login's "alternative token"): the id
        and the session key, which ``load_user`` checks on every request."""
        return f"{self.id}:{self.session_key}"

    @property
    def is_curator(self) -> bool:
        return self.role in ("curator", "admin")

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"

    @property
    def role_label(self) -> str:
        return ROLES[self.role]

    @property
    def display_name(self) -> str:
        return self.name or self.email

    @property
    def ctds(self) -> list[Ctd]:
        return sorted((m.ctd for m in self.memberships), key=lambda ctd: fold(ctd.name))

    def is_member_of(self, ctd: Ctd) -> bool:
        return any(m.ctd_id == ctd.id for m in self.memberships)

    def __repr__(self) -> str:
        return f"<User {self.email}>"


class ExternalIdentity(Base):
    """An OpenID Connect identity (ProConnect) an account signs in with: the
    provider's issuer and its subject, which is per service and never reused.
    One per provider and account; a subject belongs to one account only."""

    __tablename__ = "external_identity"
    __table_args__ = (
        UniqueConstraint("issuer", "subject", name="uq_external_identity_subject"),
        UniqueConstraint("user_id", "issuer", name="uq_external_identity_user_issuer"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"))
    issuer: Mapped[str] = mapped_column(String(255))
    subject: Mapped[str] = mapped_column(String(255))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_used_at: Mapped[datetime | None]

    user: Mapped[User] = relationship(back_populates="identities")


class ApiToken(Base):
    """A secret that lets a program act as its owner through the API. Only a
    SHA-256 of it is stored: the secret is shown once, at creation."""

    __tablename__ = "api_token"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(
        ForeignKey("user_account.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(100), default="")
    digest: Mapped[str] = mapped_column(String(64), unique=True)
    prefix: Mapped[str] = mapped_column(String(12))  # shown in lists to tell tokens apart
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_used_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]

    user: Mapped[User] = relationship()
