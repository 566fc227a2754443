"""The managed vocabulary of issue areas (also installed by migration 0003)."""

from __future__ import annotations

from actlocal.network.models import IssueArea

ISSUES = [
    ("immigration-daca", "Immigration / DACA"),
    ("health-care-medicaid", "Health care / Medicaid"),
    ("voting-rights", "Voting rights"),
    ("environment", "Environment"),
    ("gun-safety", "Gun safety"),
    ("reproductive-rights", "Reproductive rights"),
    ("racial-justice", "Racial justice"),
    ("labor", "Labor"),
    ("housing", "Housing"),
    ("education", "Education"),
]


def ensure_issue_areas() -> None:
    for slug, name in ISSUES:
        IssueArea.objects.get_or_create(slug=slug, defaults={"name": name})
