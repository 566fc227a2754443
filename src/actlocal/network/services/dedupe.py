"""On-demand deduplication over every live player: auto-merge the certain, queue the likely."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction

from actlocal.common.audit import log_action
from actlocal.network import matching
from actlocal.network.models import DuplicateCandidate, NotDuplicate, Organization
from actlocal.network.services.merging import merge_organizations


@dataclass
class DedupeResult:
    compared: int
    merged: int
    for_review: int


def load_index() -> matching.Index:
    index = matching.Index()
    for row in Organization.objects.filter(merged_into__isnull=True).values_list(
        *matching.RECORD_FIELDS
    ):
        index.add(matching.Record(*row))
    return index


def run_dedupe(*, auto_merge: bool = True) -> DedupeResult:
    """(Re)compute duplicate candidates; pairs at or above the threshold merge."""
    index = load_index()
    pairs = index.all_pairs()
    known_different = set(NotDuplicate.objects.values_list("left_id", "right_id"))
    resolved = set(
        DuplicateCandidate.objects.exclude(status=DuplicateCandidate.Status.PENDING).values_list(
            "left_id", "right_id"
        )
    )
    gone: set[int] = set()
    merged = 0
    review: dict[tuple[int, int], matching.Match] = {}
    for match in pairs:
        key = (match.left, match.right)
        if key in known_different or match.left in gone or match.right in gone:
            continue
        if auto_merge and match.score >= matching.AUTO_MERGE_THRESHOLD:
            survivor, other = Organization.objects.in_bulk([match.left, match.right]).values()
            if survivor.pk > other.pk:
                survivor, other = other, survivor
            merge_organizations(
                survivor=survivor, other=other, automatic=True, score=match.score, audit=False
            )
            gone.add(other.pk)
            merged += 1
        elif key not in resolved:
            review[key] = match
    with transaction.atomic():
        pending = DuplicateCandidate.objects.filter(status=DuplicateCandidate.Status.PENDING)
        stale = [
            pk
            for pk, left, right in pending.values_list("pk", "left_id", "right_id")
            if (left, right) not in review
        ]
        DuplicateCandidate.objects.filter(pk__in=stale).delete()
        existing = set(pending.values_list("left_id", "right_id"))
        DuplicateCandidate.objects.bulk_create(
            [
                DuplicateCandidate(
                    left_id=m.left, right_id=m.right, score=m.score, reasons=list(m.reasons)
                )
                for key, m in review.items()
                if key not in existing
            ],
            batch_size=500,
            ignore_conflicts=True,
        )
        result = DedupeResult(compared=len(pairs), merged=merged, for_review=len(review))
        log_action(
            "players.deduped",
            data={"pairs": len(pairs), "merged": merged, "for_review": len(review)},
        )
    return result
