from actlocal.network.models.dedupe import DuplicateCandidate, MergeRecord, NotDuplicate
from actlocal.network.models.dedupe_run import DedupeRun
from actlocal.network.models.imports import ImportChange, ImportRun, MappingPreset
from actlocal.network.models.organization import (
    IssueArea,
    Organization,
    OrganizationAdmin,
)
from actlocal.network.models.relationship import Leader, Relationship

__all__ = [
    "DedupeRun",
    "DuplicateCandidate",
    "ImportChange",
    "ImportRun",
    "IssueArea",
    "Leader",
    "MappingPreset",
    "MergeRecord",
    "NotDuplicate",
    "Organization",
    "OrganizationAdmin",
    "Relationship",
]
