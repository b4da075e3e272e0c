"""The data model; importing this package registers every table."""

from cnig_share.models.accounts import ROLES, ApiToken, ExternalIdentity, User
from cnig_share.models.alerts import PERIODS, Subscription
from cnig_share.models.audit import AuditEvent
from cnig_share.models.base import Base, utcnow
from cnig_share.models.ctd import CTD_STAGES, MEMBERSHIP_ROLES, Ctd, CtdStageChange, Membership
from cnig_share.models.discussions import (
    REPORT_REASONS,
    REPORT_TARGETS,
    SUBJECT_TYPES,
    Message,
    MessageVersion,
    Report,
    Thread,
)
from cnig_share.models.following import (
    NOTIFICATION_MODES,
    Follow,
    NotificationSettings,
    NotificationThrottle,
    PendingNotification,
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
from cnig_share.models.usage import ResourceDailyCount, SearchedWord, UsefulMark
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
    ProjectStatusChange,
    RoadmapVersion,
    project_shared_ctds,
    project_terms,
)

__all__ = [
    "ACTOR_ROLES",
    "ACTOR_TYPES",
    "CTD_STAGES",
    "DEFAULT_LICENCE",
    "JOIN_REQUEST_STATUSES",
    "KINDS",
    "MEMBERSHIP_ROLES",
    "NOTIFICATION_MODES",
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
    "CtdStageChange",
    "ExternalIdentity",
    "Follow",
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
    "NotificationSettings",
    "NotificationThrottle",
    "PendingNotification",
    "Project",
    "ProjectActor",
    "ProjectStatusChange",
    "Report",
    "Resource",
    "ResourceDailyCount",
    "Revision",
    "RoadmapVersion",
    "SearchMiss",
    "SearchOutbox",
    "SearchedWord",
    "Selection",
    "SelectionItem",
    "Subscription",
    "TermLabel",
    "TermRedirect",
    "Thread",
    "UsefulMark",
    "User",
    "project_shared_ctds",
    "project_terms",
    "resource_terms",
    "term_broader",
    "term_related",
    "utcnow",
]
