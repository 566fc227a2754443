"""Merging duplicate players (reversibly) and remembering pairs that are not duplicates."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from actlocal.common.audit import log_action
from actlocal.network.fields import LIST_FIELDS, SCALAR_FIELDS
from actlocal.network.models import (
    DuplicateCandidate,
    Leader,
    MergeRecord,
    NotDuplicate,
    Organization,
    OrganizationAdmin,
    Relationship,
)
from actlocal.network.services import NetworkError

KEPT_FIELDS = (*SCALAR_FIELDS, *LIST_FIELDS, "source_identifiers", "provenance", "listed_publicly")


def _pair(a: Organization, b: Organization) -> tuple[int, int]:
    return (a.pk, b.pk) if a.pk < b.pk else (b.pk, a.pk)


def merge_organizations(
    *,
    survivor: Organization,
    other: Organization,
    take_from_other: set[str] | frozenset[str] = frozenset(),
    automatic: bool = False,
    score: float | None = None,
    audit: bool = True,
) -> MergeRecord:
    """Fold ``other`` into ``survivor``: every identifier, relationship and leader is kept.

    Fields named in ``take_from_other`` take the other's value; blank fields are filled
    from the other. The merge is recorded so that ``unmerge`` can reverse it.
    """
    if survivor.pk == other.pk:
        raise NetworkError(_("A player cannot be merged with itself."))
    if survivor.merged_into_id or other.merged_into_id:
        raise NetworkError(_("One of these players was already merged into another."))
    with transaction.atomic():
        before = {name: getattr(survivor, name) for name in KEPT_FIELDS}
        before["issue_areas"] = list(survivor.issue_areas.values_list("id", flat=True))
        for name in SCALAR_FIELDS:
            mine, theirs = getattr(survivor, name), getattr(other, name)
            if theirs in ("", None):
                continue
            if name in take_from_other or mine in ("", None):
                setattr(survivor, name, theirs)
                if name in other.provenance:
                    survivor.provenance[name] = other.provenance[name]
        for name in LIST_FIELDS:
            setattr(
                survivor,
                name,
                list(dict.fromkeys([*getattr(survivor, name), *getattr(other, name)])),
            )
        names = [other.name, *other.aliases]
        survivor.aliases = [
            a for a in dict.fromkeys([*survivor.aliases, *names]) if a != survivor.name
        ]
        survivor.source_identifiers = list(
            dict.fromkeys(
                [*survivor.source_identifiers, other.identifier, *other.source_identifiers]
            )
        )
        survivor.listed_publicly = survivor.listed_publicly or other.listed_publicly
        survivor.save()
        survivor.issue_areas.add(*other.issue_areas.all())
        moved: dict[str, list[int]] = {
            "out": [],
            "in": [],
            "leaders": [],
            "chapters": [],
            "admins": [],
        }
        # A tie is a duplicate only in its own direction ("X funds A" is not "A funds X"),
        # except for the kinds that read the same both ways.
        outgoing = set(
            Relationship.objects.filter(source=survivor).values_list("target_id", "kind")
        )
        incoming = set(
            Relationship.objects.filter(target=survivor).values_list("source_id", "kind")
        )
        symmetric = Relationship.SYMMETRIC_KINDS
        for rel in Relationship.objects.filter(source=other).exclude(target=survivor):
            key = (rel.target_id, rel.kind)
            if key not in outgoing and not (rel.kind in symmetric and key in incoming):
                moved["out"].append(rel.pk)
                outgoing.add(key)
        for rel in Relationship.objects.filter(target=other).exclude(source=survivor):
            key = (rel.source_id, rel.kind)
            if key not in incoming and not (rel.kind in symmetric and key in outgoing):
                moved["in"].append(rel.pk)
                incoming.add(key)
        Relationship.objects.filter(pk__in=moved["out"]).update(source=survivor)
        Relationship.objects.filter(pk__in=moved["in"]).update(target=survivor)
        led = set(survivor.leaders.values_list("person_id", flat=True))
        moved["leaders"] = list(
            other.leaders.exclude(person_id__in=led).values_list("pk", flat=True)
        )
        Leader.objects.filter(pk__in=moved["leaders"]).update(organization=survivor)
        moved["chapters"] = list(other.chapters.values_list("pk", flat=True))
        Organization.objects.filter(pk__in=moved["chapters"]).update(parent=survivor)
        admins = set(survivor.admin_memberships.values_list("user_id", flat=True))
        moved["admins"] = list(
            other.admin_memberships.exclude(user_id__in=admins).values_list("pk", flat=True)
        )
        OrganizationAdmin.objects.filter(pk__in=moved["admins"]).update(organization=survivor)
        other.merged_into = survivor
        other.save(update_fields=["merged_into", "modified_at"])
        left, right = _pair(survivor, other)
        DuplicateCandidate.objects.filter(left_id=left, right_id=right).update(
            status=DuplicateCandidate.Status.MERGED, resolved_at=timezone.now()
        )
        record = MergeRecord.objects.create(
            survivor=survivor,
            merged=other,
            survivor_before=_json(before),
            moved=moved,
            automatic=automatic,
            score=score,
        )
        if audit:
            log_action(
                "organization.merged",
                obj=survivor,
                data={
                    "merged": other.identifier,
                    "name": other.name,
                    "merge": str(record.uuid),
                    "automatic": automatic,
                    "score": score,
                },
            )
    return record


def _json(values: dict[str, Any]) -> dict[str, Any]:
    from actlocal.common.audit import _plain

    return dict(_plain(values))


def unmerge(*, record: MergeRecord) -> Organization:
    """Undo a merge: the absorbed player comes back with what it brought."""
    if record.undone_at is not None:
        raise NetworkError(_("This merge was already undone."))
    with transaction.atomic():
        survivor, other = record.survivor, record.merged
        before = record.survivor_before
        added_idents = set(survivor.source_identifiers) - set(before["source_identifiers"])
        for name in KEPT_FIELDS:
            if name in before:
                setattr(survivor, name, before[name])
        # identifiers that arrived after the merge (later imports) stay with the survivor
        later = added_idents - {other.identifier, *other.source_identifiers}
        survivor.source_identifiers = [*survivor.source_identifiers, *sorted(later)]
        survivor.save()
        survivor.issue_areas.set(before.get("issue_areas", []))
        moved = record.moved
        Relationship.objects.filter(pk__in=moved.get("out", [])).update(source=other)
        Relationship.objects.filter(pk__in=moved.get("in", [])).update(target=other)
        Leader.objects.filter(pk__in=moved.get("leaders", [])).update(organization=other)
        Organization.objects.filter(pk__in=moved.get("chapters", [])).update(parent=other)
        OrganizationAdmin.objects.filter(pk__in=moved.get("admins", [])).update(organization=other)
        other.merged_into = None
        other.save(update_fields=["merged_into", "modified_at"])
        record.undone_at = timezone.now()
        record.save(update_fields=["undone_at", "modified_at"])
        left, right = _pair(survivor, other)
        DuplicateCandidate.objects.filter(left_id=left, right_id=right).update(
            status=DuplicateCandidate.Status.PENDING, resolved_at=None
        )
        log_action(
            "organization.unmerged",
            obj=survivor,
            data={"restored": other.identifier, "merge": str(record.uuid)},
        )
    return other


def resolve_candidate(
    *, candidate: DuplicateCandidate, keep: str, take_from_other: set[str], by: Any
) -> MergeRecord:
    """Merge a reviewed pair; ``keep`` is "left" or "right" (the record that stays)."""
    if candidate.status != DuplicateCandidate.Status.PENDING:
        raise NetworkError(_("This pair was already reviewed."))
    survivor, other = (
        (candidate.left, candidate.right) if keep == "left" else (candidate.right, candidate.left)
    )
    with transaction.atomic():
        record = merge_organizations(
            survivor=survivor, other=other, take_from_other=take_from_other, score=candidate.score
        )
        DuplicateCandidate.objects.filter(pk=candidate.pk).update(
            status=DuplicateCandidate.Status.MERGED,
            resolved_at=timezone.now(),
            resolved_by=by if getattr(by, "is_authenticated", False) else None,
        )
    return record


def mark_not_duplicate(*, candidate: DuplicateCandidate, by: Any) -> DuplicateCandidate:
    """Remember that the pair are different players; dedupe will not propose them again."""
    user = by if getattr(by, "is_authenticated", False) else None
    with transaction.atomic():
        NotDuplicate.objects.get_or_create(
            left_id=candidate.left_id, right_id=candidate.right_id, defaults={"created_by": user}
        )
        candidate.status = DuplicateCandidate.Status.NOT_DUPLICATE
        candidate.resolved_at = timezone.now()
        candidate.resolved_by = user
        candidate.save(update_fields=["status", "resolved_at", "resolved_by"])
        log_action(
            "organization.not_duplicate",
            obj=candidate.left,
            data={"other": candidate.right.identifier, "score": candidate.score},
        )
    return candidate
