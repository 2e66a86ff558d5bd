"""Every model, imported once so SQLAlchemy and Alembic see all tables."""

from app.accounts.feeds import CalendarLink  # noqa: F401
from app.accounts.models import Invitation, User  # noqa: F401
from app.accounts.throttle import SignInFailure  # noqa: F401
from app.business_case.models import BusinessCase, CostValue  # noqa: F401
from app.core.audit import AuditEvent  # noqa: F401
from app.delivery.models import Promise  # noqa: F401
from app.documents.models import PidNarrative, PidVersion  # noqa: F401
from app.gateways.models import CriterionConfirmation, Gateway, GatewayDecision  # noqa: F401
from app.kpis.models import KpiTarget, KpiValue  # noqa: F401
from app.meetings.models import Action, AgendaItem, Invitee, Meeting  # noqa: F401
from app.needs.models import NeedsVersion  # noqa: F401
from app.notifications.models import MailOptOut, MailPreference, OutboxMessage  # noqa: F401
from app.people.models import Group, GroupMember, Person  # noqa: F401
from app.plan.models import PendingImport, Plan, Task, TaskComment  # noqa: F401
from app.portfolio.models import SiteFollow, SiteTaskCounts  # noqa: F401
from app.risks.models import Mitigation, RaidEntry  # noqa: F401
from app.sites.models import Membership, Site  # noqa: F401
