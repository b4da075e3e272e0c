"""The data model; importing this package registers every table."""

from cnig_share.models.accounts import ROLES, ApiToken, ExternalIdentity, User
from cnig_share.models.alerts import PERIODS, Subscription
from cnig_share.models.audit import AuditEvent
from cnig_share.models.base import Base, utcnow
from cnig_share.models.ctd import MEMBERSHIP_ROLES, Ctd, Membership
from cnig_share.models.discussions import (
    REPORT_REASONS,
    REPORT_TARGETS,
    SUBJECT_TYPES,
    Message,
    MessageVersion,
    Report,
    Thread,
)
from cnig_share.models.glossary import (
    GlossaryTerm,
    TermLabel,
    TermRedirect,
    term_broader,
    term_related,
)
from cnig_share.models.invitations import Invitation, InvitationSending
from cnig_share.models.membership import JOIN_REQUEST_STATUSES, JoinRequest
from cnig_share.models.resources import (
    DEFAULT_LICENCE,
    KINDS,
    STATUSES,
    Attachment,
    Link,
    Resource,
    Revision,
    resource_terms,
)
from cnig_share.models.search import SearchMiss, SearchOutbox
from cnig_share.models.watch import Selection, SelectionItem
from cnig_share.models.workspace import (
    ACTOR_ROLES,
    ACTOR_TYPES,
    PROJECT_STATUSES,
    CostYear,
    Governance,
    NationalActor,
    Project,
    ProjectActor,
    RoadmapVersion,
    project_shared_ctds,
    project_terms,
)

__all__ = [
    "ACTOR_ROLES",
    "ACTOR_TYPES",
    "DEFAULT_LICENCE",
    "JOIN_REQUEST_STATUSES",
    "KINDS",
    "MEMBERSHIP_ROLES",
    "PERIODS",
    "PROJECT_STATUSES",
    "REPORT_REASONS",
    "REPORT_TARGETS",
    "ROLES",
    "STATUSES",
    "SUBJECT_TYPES",
    "ApiToken",
    "Attachment",
    "AuditEvent",
    "Base",
    "CostYear",
    "Ctd",
    "ExternalIdentity",
    "GlossaryTerm",
    "Governance",
    "Invitation",
    "InvitationSending",
    "JoinRequest",
    "Link",
    "Membership",
    "Message",
    "MessageVersion",
    "NationalActor",
    "Project",
    "ProjectActor",
    "Report",
    "Resource",
    "Revision",
    "RoadmapVersion",
    "SearchMiss",
    "SearchOutbox",
    "Selection",
    "SelectionItem",
    "Subscription",
    "TermLabel",
    "TermRedirect",
    "Thread",
    "User",
    "project_shared_ctds",
    "project_terms",
    "resource_terms",
    "term_broader",
    "term_related",
    "utcnow",
]
