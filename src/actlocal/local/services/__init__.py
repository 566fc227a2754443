"""Named actions of local action: hosting, moderation, groups, pledges."""

from actlocal.local.services.errors import LocalActionError

__all__ = ["LocalActionError"]
