from actlocal.network.models.organization import (
    IssueArea,
    Organization,
    OrganizationAdmin,
)

__all__ = ["IssueArea", "Organization", "OrganizationAdmin"]
