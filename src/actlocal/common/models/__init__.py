from actlocal.common.models.audit import AuditEntry
from actlocal.common.models.base import TimeStampedModel, UUIDModel
from actlocal.common.models.mail import OutboundEmail

__all__ = ["AuditEntry", "OutboundEmail", "TimeStampedModel", "UUIDModel"]
