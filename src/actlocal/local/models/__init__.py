from actlocal.local.models.groups import GroupMembership, GroupMessage, LocalNetwork
from actlocal.local.models.hosting import HostedEvent, ModerationDecision
from actlocal.local.models.pledges import Pledge

__all__ = [
    "GroupMembership",
    "GroupMessage",
    "HostedEvent",
    "LocalNetwork",
    "ModerationDecision",
    "Pledge",
]
