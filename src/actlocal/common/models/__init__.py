from actlocal.common.models.audit import AuditEntry
from actlocal.common.models.base import TimeStampedModel, UUIDModel
from actlocal.common.models.mail import OutboundEmail
from actlocal.common.models.ratelimit import RateLimitCounter

__all__ = ["AuditEntry", "OutboundEmail", "RateLimitCounter", "TimeStampedModel", "UUIDModel"]
