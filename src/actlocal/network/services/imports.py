"""Importing players from a spreadsheet: plan each row, write in batches, undo a whole run."""

from __future__ import annotations

import functools
import itertools
import json
import uuid
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection, models, transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from actlocal.common.audit import log_action
from actlocal.network import matching
from actlocal.network.fields import (
    LIST_FIELDS,
    REQUIRED_FIELDS,
    SCALAR_FIELDS,
    ParsedRow,
    parse_row,
)
from actlocal.network.models import (
    DuplicateCandidate,
    ImportChange,
    ImportRun,
    IssueArea,
    Leader,
    MappingPreset,
    NotDuplicate,
    Organization,
    Relationship,
)
from actlocal.network.services import NetworkError
from actlocal.network.tabular import Table, UnreadableFile, read_table

BATCH_SIZE = 500  # rows per transaction on SQLite: the write lock is held well under 1 s
PG_BATCH_SIZE = 2000  # PostgreSQL has row locks; bigger batches mean fewer round trips
SYMMETRIC_KINDS = Relationship.SYMMETRIC_KINDS  # a tie that reads the same both ways
PARENT_KINDS = {Organization.Kind.NATIONAL, Organization.Kind.ANCHOR, Organization.Kind.COALITION}


def source_key(source: str) -> str:
    return "_".join(source.strip().lower().split())


def imports_dir() -> Path:
    path = Path(settings.DATA_DIR) / "imports"
    path.mkdir(parents=True, exist_ok=True)
    return path


def create_run(
    *, path: Path, filename: str, source: str, by: Any = None, organization: Any = None
) -> ImportRun:
    """Register an uploaded file: read its headers now, refuse it if it is unreadable."""
    if not source_key(source):
        raise NetworkError(_("Name the source of the file (e.g. the partner's name)."))
    table = read_table(path, filename=filename)
    preset = MappingPreset.objects.filter(source=source_key(source)).first()
    from actlocal.network.fields import guess_mapping

    mapping = guess_mapping(table.headers)
    if preset is not None:
        mapping.update({h: f for h, f in preset.mapping.items() if h in table.headers})
    return ImportRun.objects.create(
        source=source.strip(),
        filename=filename[:255],
        file_path=str(path),
        headers=table.headers,
        mapping=mapping,
        total_rows=len(table.rows),
        created_by=by if getattr(by, "is_authenticated", False) else None,
        organization=organization,
    )


def validate_mapping(mapping: dict[str, str], headers: Sequence[str]) -> None:
    used: dict[str, str] = {}
    for header, name in mapping.items():
        if not name:
            continue
        if header not in headers:
            raise NetworkError(_('The file has no column "%(name)s".') % {"name": header})
        if name in used:
            raise NetworkError(
                _('Both "%(a)s" and "%(b)s" are mapped to the same field.')
                % {"a": used[name], "b": header}
            )
        used[name] = header
    missing = [name for name in REQUIRED_FIELDS if name not in used]
    if missing:
        raise NetworkError(
            _("No column is mapped to the required field(s): %(fields)s.")
            % {"fields": ", ".join(missing)}
        )


def configure_run(*, run: ImportRun, mapping: dict[str, str], dry_run: bool) -> ImportRun:
    """Save the column mapping (remembered for the source) and queue the run."""
    validate_mapping(mapping, run.headers)
    clean = {h: f for h, f in mapping.items() if f}
    with transaction.atomic():
        run.mapping = clean
        run.dry_run = dry_run
        run.status = ImportRun.Status.QUEUED
        run.save(update_fields=["mapping", "dry_run", "status", "modified_at"])
        MappingPreset.objects.update_or_create(
            source=source_key(run.source), defaults={"mapping": clean}
        )
    return run


def apply_dry_run(*, run: ImportRun, by: Any = None) -> ImportRun:
    """Queue the real import of a file that went through a dry run, with the same mapping."""
    if not run.dry_run or run.status != ImportRun.Status.DONE:
        raise NetworkError(_("Only a finished dry run can be applied."))
    if not Path(run.file_path).exists():
        raise NetworkError(_("The uploaded file is no longer available; upload it again."))
    return ImportRun.objects.create(
        source=run.source,
        filename=run.filename,
        file_path=run.file_path,
        headers=run.headers,
        mapping=run.mapping,
        total_rows=run.total_rows,
        status=ImportRun.Status.QUEUED,
        created_by=by if getattr(by, "is_authenticated", False) else None,
        organization=run.organization,
    )


@dataclass
class _Plan:
    row: int
    action: str  # created / updated / merged / rejected
    identifier: str
    parsed: ParsedRow
    target: int = 0  # org id, or a negative key for a player created earlier in this run
    review: list[matching.Match] = field(default_factory=list)
    links: list[tuple[str, int]] = field(default_factory=list)  # (kind, other player's key)


# (row, player id, [(kind, other player's key)], the row's ImportChange values)
_LinkItem = tuple[int, int, list[tuple[str, int]], dict[str, Any]]


@dataclass
class _Link:
    """A relationship whose other player was not known yet when its row was planned."""

    row: int
    identifier: str
    source: int  # key of the row's own player
    kind: str
    text: str
    place: matching.Record


def _plain_issues(org: Organization) -> list[str]:
    return sorted(area.slug for area in org.issue_areas.all())


class _Importer:
    def __init__(self, run: ImportRun, table: Table) -> None:
        self.run = run
        self.table = table
        self.source = source_key(run.source)
        self.header_pos = {h: i for i, h in enumerate(table.headers)}
        self.mapping = {f: h for h, f in run.mapping.items() if h in self.header_pos}
        self.positions = [(name, self.header_pos[h]) for name, h in self.mapping.items()]
        self.now = timezone.now()
        self.stamp = {"source": self.source, "run": str(run.uuid), "at": self.now.isoformat()}
        areas = list(IssueArea.objects.values_list("slug", "name", "id"))
        self.issue_lookup = {name.lower(): slug for slug, name, _id in areas}
        self.issue_lookup.update({slug.lower(): slug for slug, _name, _id in areas})
        for slug, name, _id in areas:
            for part in name.replace("/", ",").split(","):
                self.issue_lookup.setdefault(part.strip().lower(), slug)
        self.issue_ids = {slug: pk for slug, _name, pk in areas}
        self.index = matching.Index()
        self.by_identifier: dict[str, int] = {}
        self.parents: dict[str, int] = {}
        self.by_norm: dict[str, set[int]] = {}
        for *record, idents, kind in Organization.objects.filter(
            merged_into__isnull=True
        ).values_list(*matching.RECORD_FIELDS, "source_identifiers", "kind"):
            pk, name = record[0], record[1]
            indexed = matching.Record(*record)
            self.index.add(indexed)
            self.by_norm.setdefault(indexed.norm, set()).add(pk)
            for ident in idents or []:
                self.by_identifier[ident] = pk
            if kind in PARENT_KINDS:
                self.parents.setdefault(matching.normalize_name(name), pk)
        self.not_duplicates = set(NotDuplicate.objects.values_list("left_id", "right_id"))
        self.next_temp = -1
        self.real_ids: dict[int, int] = {}
        self.counts = dict.fromkeys(("created", "updated", "merged", "rejected", "flagged"), 0)
        self.review_count = 0
        self.problems: list[dict[str, Any]] = []
        self.pending: list[_Link] = []
        self.provenance_json: dict[tuple[str, ...], RawJSON] = {}
        self.link_counts = dict.fromkeys(("relationships", "leaders"), 0)

    def _raw(self, values: list[str]) -> dict[str, str]:
        return {name: values[position] for name, position in self.positions}

    def _resolve(self, key: int) -> int:
        return self.real_ids.get(key, key)

    def find_player(self, text: str, near: matching.Record) -> tuple[int | None, str]:
        """The player a relationship cell names: "<source>:<id>" through the identifier
        index, else the name through the matcher (same normalized name, or a spelling
        variant scoring as a certain duplicate near the row's place)."""
        if ":" in text:
            source, _sep, ident = text.partition(":")
            key = self.by_identifier.get(f"{source_key(source)}:{ident.strip()}")
            if key is not None:
                return key, ""
        norm = matching.normalize_name(text)
        keys = self.by_norm.get(norm, set())
        if len(keys) > 1:
            records = [self.index.records[k] for k in keys if k in self.index.records]
            same = [r.key for r in records if near.place and r.place == near.place] or [
                r.key for r in records if near.state and r.state == near.state
            ]
            if len(same) == 1:
                return same[0], ""
            return None, _('"%(value)s" names several players; use "<source>:<id>".') % {
                "value": text
            }
        if keys:
            return next(iter(keys)), ""
        probe = matching.Record(0, text, near.city, near.state)
        matches = self.index.best_matches(probe) if probe.norm else []
        if matches and matches[0].score >= matching.AUTO_MERGE_THRESHOLD:
            return matches[0].right, ""
        return None, _('No player "%(value)s" was found.') % {"value": text}

    def _link_problem(self, row: int, kind: str, problem: str) -> None:
        self.problems.append({"row": row, "field": kind, "level": "warning", "problem": problem})

    def _plan_links(self, plan: _Plan, record: matching.Record) -> None:
        for kind, text in plan.parsed.relations:
            key, _problem = self.find_player(text, record)
            if key is None or key == plan.target:
                # Maybe a row further down the file: tried again once every row is planned.
                link = _Link(plan.row, plan.identifier, plan.target, kind, text, record)
                self.pending.append(link)
            else:
                plan.links.append((kind, key))

    def plan(self, row_number: int, values: list[str]) -> _Plan:
        parsed = parse_row(self._raw(values), issue_lookup=self.issue_lookup)
        for name, problem, level in parsed.problems:
            self.problems.append(
                {"row": row_number, "field": name, "problem": problem, "level": level}
            )
        identifier = f"{self.source}:{parsed.source_id or row_number}"
        if parsed.rejected:
            self.counts["rejected"] += 1
            return _Plan(row_number, "rejected", identifier, parsed)
        if parsed.values.get("location_flag") == "unknown_zip":
            self.counts["flagged"] += 1
        v = parsed.values
        parent = self.parents.get(matching.normalize_name(parsed.parent_name))
        if parsed.parent_name and parent is None:
            self.problems.append(
                {
                    "row": row_number,
                    "field": "parent",
                    "level": "warning",
                    "problem": _('No national organization named "%(name)s".')
                    % {"name": parsed.parent_name},
                }
            )
        record = matching.Record(
            self.next_temp,
            v["name"],
            v.get("city", ""),
            v.get("state", ""),
            v.get("zip_code", ""),
            v.get("website", ""),
            v.get("public_email", ""),
            v.get("public_phone", ""),
            parent,
        )
        parsed.values["_parent"] = parent
        plan = self._match(row_number, identifier, parsed, record)
        if parsed.relations:
            self._plan_links(plan, record)
        return plan

    def _match(
        self, row_number: int, identifier: str, parsed: ParsedRow, record: matching.Record
    ) -> _Plan:
        existing = self.by_identifier.get(identifier)
        if existing is not None:
            self.counts["updated"] += 1
            return _Plan(row_number, "updated", identifier, parsed, target=existing)
        matches = self.index.best_matches(record)
        if matches and matches[0].score >= matching.AUTO_MERGE_THRESHOLD:
            target = matches[0].right
            self.by_identifier[identifier] = target
            self.counts["merged"] += 1
            return _Plan(row_number, "merged", identifier, parsed, target=target)
        self.index.add(record)
        self.by_norm.setdefault(record.norm, set()).add(record.key)
        self.next_temp -= 1
        self.by_identifier[identifier] = record.key
        self.counts["created"] += 1
        review = matches[:3]
        self.review_count += len(review)
        return _Plan(row_number, "created", identifier, parsed, target=record.key, review=review)

    def _provenance(self, names: tuple[str, ...]) -> RawJSON:
        """{field: stamp} of a new player, encoded once per set of fields (few per run)."""
        encoded = self.provenance_json.get(names)
        if encoded is None:
            encoded = RawJSON(json.dumps(dict.fromkeys(names, self.stamp)))
            self.provenance_json[names] = encoded
        return encoded

    def write(self, plans: list[_Plan]) -> None:
        creates = [p for p in plans if p.action == "created"]
        new_orgs: list[dict[str, Any]] = []
        for plan in creates:
            values = {k: v for k, v in plan.parsed.values.items() if not k.startswith("_")}
            new_orgs.append(
                {
                    **values,
                    "uuid": uuid.uuid4(),
                    "slug": f"{slugify(values['name'])[:200] or 'player'}-{uuid.uuid4().hex[:8]}",
                    "source_identifiers": [plan.identifier],
                    "parent_id": plan.parsed.values.get("_parent"),
                    "provenance": self._provenance(tuple(values)),
                }
            )
        new_ids = insert_many(Organization, new_orgs, now=self.now, with_ids=True)
        changes: list[dict[str, Any]] = []
        through: list[Any] = []
        relations: list[Relationship] = []
        for plan, row, pk in zip(creates, new_orgs, new_ids, strict=True):
            self.real_ids[plan.target] = pk
            changes.append(
                {
                    "run_id": self.run.pk,
                    "organization_id": pk,
                    "row": plan.row,
                    "action": "created",
                    "identifier": plan.identifier,
                    "after": {"issue_areas": sorted(plan.parsed.issue_areas)},
                }
            )
            through.extend(
                Organization.issue_areas.through(organization_id=pk, issuearea_id=self.issue_ids[s])
                for s in plan.parsed.issue_areas
            )
            if row["parent_id"]:
                relations.append(
                    Relationship(
                        source_id=pk,
                        target_id=row["parent_id"],
                        kind=Relationship.Kind.CHAPTER_OF,
                        data_source=self.source,
                    )
                )
        self._write_updates(
            [p for p in plans if p.action in {"updated", "merged"}], changes, through
        )
        candidates = []
        for plan in creates:
            for match in plan.review:
                left, right = sorted((self._resolve(plan.target), self._resolve(match.right)))
                if left > 0 and right > 0 and (left, right) not in self.not_duplicates:
                    candidates.append(
                        DuplicateCandidate(
                            left_id=left,
                            right_id=right,
                            score=match.score,
                            reasons=list(match.reasons),
                        )
                    )
        Organization.issue_areas.through.objects.bulk_create(through, ignore_conflicts=True)
        Relationship.objects.bulk_create(relations, ignore_conflicts=True)
        DuplicateCandidate.objects.bulk_create(candidates, ignore_conflicts=True)
        by_row = {change["row"]: change for change in changes}
        linked = [p for p in plans if (p.links or p.parsed.leader) and p.row in by_row]
        if linked:
            self.write_links(
                [(p.row, self._resolve(p.target), p.links, by_row[p.row]) for p in linked]
            )
            for plan in linked:
                if plan.parsed.leader:
                    self._write_leader(
                        self._resolve(plan.target), plan.parsed.leader, by_row[plan.row]
                    )
        insert_many(ImportChange, changes, now=self.now)

    def write_links(self, items: list[_LinkItem]) -> None:
        """Create the relationships of (row, player id, [(kind, other key)], change) items;
        the ids of the new ones go into the change, so that undo removes exactly those."""
        sources = {pk for _row, pk, links, _change in items if links}
        if not sources:
            return
        existing: set[tuple[int, int, str]] = set()
        for source, target, kind in Relationship.objects.filter(
            models.Q(source_id__in=sources) | models.Q(target_id__in=sources)
        ).values_list("source_id", "target_id", "kind"):
            existing.add((source, target, kind))
            if kind in SYMMETRIC_KINDS:
                existing.add((target, source, kind))
        new: list[tuple[dict[str, Any], Relationship]] = []
        for _row, pk, links, change in items:
            for kind, key in links:
                target = self._resolve(key)
                if target <= 0 or target == pk or (pk, target, kind) in existing:
                    continue
                existing.add((pk, target, kind))
                if kind in SYMMETRIC_KINDS:
                    existing.add((target, pk, kind))
                new.append(
                    (
                        change,
                        Relationship(
                            source_id=pk, target_id=target, kind=kind, data_source=self.source
                        ),
                    )
                )
        Relationship.objects.bulk_create([rel for _change, rel in new])
        for change, rel in new:
            change.setdefault("after", {}).setdefault("relationships", []).append(rel.pk)
        self.link_counts["relationships"] += len(new)

    def _write_leader(self, pk: int, leader: dict[str, str], change: dict[str, Any]) -> None:
        """Create or update the leader's person record and link them to the player."""
        from actlocal.people.services import upsert_person

        given, _sep, family = leader["name"].partition(" ")
        fields = {"given_name": given[:100], "family_name": family[:100]} if given else {}
        person = None
        if not leader["email"]:
            # Without an email only the player's own leader of that name is the same person.
            for known in Leader.objects.filter(organization_id=pk).select_related("person"):
                if known.person.full_name.lower() == leader["name"].lower():
                    person = known.person
                    break
        created = False
        if person is None:
            person, created = upsert_person(
                email=leader["email"] or None,
                fields=fields,
                phone=leader["phone"] or None,
                source=f"import:{self.source}",
                overwrite=False,
            )
        link = Leader.objects.filter(organization_id=pk, person=person).first()
        entry: dict[str, Any]
        if link is None:
            link = Leader.objects.create(
                organization_id=pk, person=person, role=leader["role"], data_source=self.source
            )
            entry = {"leader": link.pk, "person": person.pk, "person_created": created}
            self.link_counts["leaders"] += 1
        elif leader["role"] and link.role != leader["role"]:
            entry = {"leader": link.pk, "role": [link.role, leader["role"]]}
            Leader.objects.filter(pk=link.pk).update(role=leader["role"], modified_at=self.now)
        else:
            return
        change.setdefault("after", {}).setdefault("leaders", []).append(entry)

    def write_pending(self, *, dry_run: bool) -> None:
        """Relationships to players further down the file, once every row is planned."""
        items: dict[tuple[int, int], _LinkItem] = {}
        for link in self.pending:
            key, problem = self.find_player(link.text, link.place)
            if key is None or key == link.source:
                self._link_problem(
                    link.row,
                    link.kind,
                    problem or _("A player cannot be related to itself."),
                )
                continue
            source = self._resolve(link.source)
            if source <= 0:
                continue
            item = items.setdefault(
                (link.row, source),
                (
                    link.row,
                    source,
                    [],
                    {
                        "run_id": self.run.pk,
                        "organization_id": source,
                        "row": link.row,
                        "action": "updated",
                        "identifier": link.identifier,
                        "after": {},
                    },
                ),
            )
            item[2].append((link.kind, key))
        if dry_run or not items:
            return
        batch = list(items.values())
        for start in range(0, len(batch), BATCH_SIZE):
            with transaction.atomic():
                chunk = batch[start : start + BATCH_SIZE]
                self.write_links(chunk)
                insert_many(
                    ImportChange,
                    [change for *_rest, change in chunk if change["after"]],
                    now=self.now,
                )

    def _write_updates(
        self, plans: list[_Plan], changes: list[dict[str, Any]], through: list[Any]
    ) -> None:
        if not plans:
            return
        ids = {self._resolve(p.target) for p in plans}
        orgs = Organization.objects.prefetch_related("issue_areas").in_bulk(ids)
        touched: set[int] = set()
        changed_fields: dict[int, set[str]] = {}
        for plan in plans:
            org = orgs.get(self._resolve(plan.target))
            if org is None:
                continue
            before: dict[str, Any] = {}
            after: dict[str, Any] = {}
            overwrite = plan.action == "updated"  # the same record again: newer values win
            for name, value in plan.parsed.values.items():
                if name.startswith("_"):
                    continue
                current = getattr(org, name)
                if name in LIST_FIELDS:
                    merged = list(dict.fromkeys([*(current or []), *value]))
                    if merged != current:
                        before[name], after[name] = current, merged
                elif (
                    name in SCALAR_FIELDS
                    and value not in ("", None)
                    and value != current
                    and (overwrite or current in ("", None))
                ):
                    before[name], after[name] = current, value
            if plan.action == "merged" and plan.parsed.values["name"] != org.name:
                aliases = before.get("aliases", org.aliases) or []
                new_aliases = list(
                    dict.fromkeys([*after.get("aliases", aliases), plan.parsed.values["name"]])
                )
                before["aliases"], after["aliases"] = aliases, new_aliases
            if plan.identifier not in org.source_identifiers:
                before["source_identifiers"] = list(org.source_identifiers)
                after["source_identifiers"] = [*org.source_identifiers, plan.identifier]
            existing_issues = {a.slug for a in org.issue_areas.all()}
            added = [s for s in plan.parsed.issue_areas if s not in existing_issues]
            if added:
                before["issue_areas"] = sorted(existing_issues)
                after["issue_areas"] = sorted(existing_issues | set(added))
                through.extend(
                    Organization.issue_areas.through(
                        organization_id=org.pk, issuearea_id=self.issue_ids[s]
                    )
                    for s in added
                )
            for name, value in after.items():
                if name != "issue_areas":
                    setattr(org, name, value)
                    if name != "source_identifiers":
                        org.provenance[name] = self.stamp
            if after:
                touched.add(org.pk)
                changed_fields.setdefault(org.pk, set()).update(after)
            changes.append(
                {
                    "run_id": self.run.pk,
                    "organization_id": org.pk,
                    "row": plan.row,
                    "action": plan.action,
                    "identifier": plan.identifier,
                    "before": before,
                    "after": after,
                }
            )
        # One narrow UPDATE statement per set of changed columns, sent with executemany:
        # bulk_update's CASE over every column is far slower for the few fields an import
        # row changes, and one statement per player costs a round trip each on PostgreSQL.
        groups: dict[tuple[str, ...], list[tuple[int, dict[str, Any]]]] = {}
        for pk in touched:
            org = orgs[pk]
            names = tuple(sorted(changed_fields.get(pk, set()) - {"issue_areas"}))
            values = {name: getattr(org, name) for name in names}
            values.update(provenance=org.provenance, modified_at=self.now)
            groups.setdefault(names, []).append((pk, values))
        for names, rows in groups.items():
            update_many(Organization, [*names, "provenance", "modified_at"], rows)


_MISSING = object()


class RawJSON(str):
    """A JSON value already encoded: ``insert_many`` sends it as it is."""


def _dump_json(value: Any) -> str:
    return value if isinstance(value, RawJSON) else json.dumps(value)


def _converters(fields: list[Any], now: Any) -> list[tuple[str, Any, Any]]:
    """Per column: (attname, prepared default, converter or None for values sent as-is).

    Calling ``get_db_prep_save`` for every value dominated the CPU time of an import
    (JSON columns above all), so JSON is dumped directly (a plain string is what both
    backends store) and defaults are prepared once.
    """
    plain = (models.CharField, models.TextField, models.IntegerField, models.FloatField,
             models.BooleanField, models.ForeignKey)  # fmt: skip
    out: list[tuple[str, Any, Any]] = []
    for f in fields:
        if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
            default = now
        elif (f.has_default() and not callable(f.default)) or f.default in (list, dict):
            default = f.get_default()
        else:
            default = None if f.null else ""
        if isinstance(f, plain):
            convert = None
        elif isinstance(f, models.JSONField) and f.encoder is None:
            convert = _dump_json
        else:
            convert = functools.partial(_prep, f)
        if convert is not None and default not in (None, ""):
            default = convert(default)
        out.append((f.attname, default, convert))
    return out


def _prep(f: Any, value: Any) -> Any:
    return f.get_db_prep_save(value, connection)


def _db_row(converters: list[tuple[str, Any, Any]], row: dict[str, Any]) -> list[Any]:
    out = []
    for attname, default, convert in converters:
        value = row.get(attname, _MISSING)
        if value is _MISSING:
            out.append(default)
        elif convert is None or value is None:
            out.append(value)
        else:
            out.append(convert(value))
    return out


def insert_many(
    model: type[models.Model], rows: Sequence[dict[str, Any]], *, now: Any, with_ids: bool = False
) -> list[int]:
    """INSERT plain rows (attname -> value) in one statement per batch; return their ids.

    PostgreSQL: the ids are taken from the table's sequence in one query and the rows are
    sent with COPY (one round trip, no per-row statement overhead). SQLite: executemany
    (no round trips in-process); the ids are read back by ``uuid`` when asked for.
    Django's bulk_create was slower on both: SQLite splits wide rows into statements of
    999 parameters and every row becomes a model instance. Missing fields take their
    default; auto timestamps take ``now``. Rows are inserted in the given order.
    """
    if not rows:
        return []
    pk = model._meta.pk
    assert pk is not None
    table = connection.ops.quote_name(model._meta.db_table)
    ids: list[int] = []
    if connection.vendor == "postgresql":
        fields = list(model._meta.concrete_fields)
        if with_ids:
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                    [model._meta.db_table, pk.column, len(rows)],
                )
                ids = [row[0] for row in cursor.fetchall()]
            rows = [{**row, pk.attname: pk_value} for row, pk_value in zip(rows, ids, strict=True)]
        else:
            fields = [f for f in fields if not f.primary_key]
        converters = _converters(fields, now)
        columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
        # Identifiers come from the model's own metadata, never from input.
        sql = f"COPY {table} ({columns}) FROM STDIN"
        with connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
            for row in rows:
                copy.write_row(_db_row(converters, row))
        return ids
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    converters = _converters(fields, now)
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    marks = ", ".join(["%s"] * len(fields))
    sql = f"INSERT INTO {table} ({columns}) VALUES ({marks})"  # noqa: S608
    with connection.cursor() as cursor:
        cursor.executemany(sql, [_db_row(converters, row) for row in rows])
    if with_ids:
        by_uuid = dict(
            model._default_manager.filter(uuid__in=[row["uuid"] for row in rows]).values_list(
                "uuid", pk.attname
            )
        )
        ids = [by_uuid[row["uuid"]] for row in rows]
    return ids


def update_many(
    model: type[models.Model], names: Sequence[str], rows: Sequence[tuple[int, dict[str, Any]]]
) -> None:
    """UPDATE the columns ``names`` of many rows (pk, attname -> value) in one executemany
    (psycopg pipelines it: one round trip, not one per row)."""
    if not rows:
        return
    fields: list[Any] = [model._meta.get_field(name) for name in names]
    assignments = ", ".join(f"{connection.ops.quote_name(f.column)} = %s" for f in fields)
    table = connection.ops.quote_name(model._meta.db_table)
    # Identifiers come from the model's own metadata, never from input.
    sql = f"UPDATE {table} SET {assignments} WHERE id = %s"  # noqa: S608
    params = [
        [*(f.get_db_prep_save(values[f.attname], connection) for f in fields), pk]
        for pk, values in rows
    ]
    with connection.cursor() as cursor:
        cursor.executemany(sql, params)


def _chunks(rows: list[list[str]], size: int) -> Iterator[tuple[int, list[list[str]]]]:
    iterator = iter(enumerate(rows))
    while batch := list(itertools.islice(iterator, size)):
        yield batch[0][0], [values for _i, values in batch]


def run_import(*, run: ImportRun, table: Table | None = None) -> ImportRun:
    """Process a queued run. Commits in batches (SQLite: no long write lock); one audit entry."""
    if run.status in {ImportRun.Status.DONE, ImportRun.Status.UNDONE}:
        return run  # idempotent: a task delivered twice does nothing the second time
    try:
        table = table or read_table(Path(run.file_path), filename=run.filename)
        validate_mapping(run.mapping, table.headers)
    except (UnreadableFile, NetworkError) as exc:
        ImportRun.objects.filter(pk=run.pk).update(
            status=ImportRun.Status.FAILED, error=str(exc), finished_at=timezone.now()
        )
        run.refresh_from_db()
        return run
    ImportRun.objects.filter(pk=run.pk).update(
        status=ImportRun.Status.RUNNING, total_rows=len(table.rows), processed_rows=0
    )
    importer = _Importer(run, table)
    size = PG_BATCH_SIZE if connection.vendor == "postgresql" else BATCH_SIZE
    for start, batch in _chunks(table.rows, size):
        try:
            plans = [
                importer.plan(start + offset + 2, values) for offset, values in enumerate(batch)
            ]
            if not run.dry_run:
                with transaction.atomic():
                    importer.write(plans)
        except Exception as exc:
            # The batch rolled back whole; earlier batches stay and can be undone.
            ImportRun.objects.filter(pk=run.pk).update(
                status=ImportRun.Status.FAILED,
                error=_("Stopped at rows %(first)d-%(last)d: %(error)s")
                % {"first": start + 2, "last": start + len(batch) + 1, "error": exc},
                finished_at=timezone.now(),
                problems=importer.problems,
            )
            raise
        ImportRun.objects.filter(pk=run.pk).update(processed_rows=start + len(batch))
    try:
        importer.write_pending(dry_run=run.dry_run)
    except Exception as exc:
        # Every row is in; only links to players further down the file are missing.
        ImportRun.objects.filter(pk=run.pk).update(
            status=ImportRun.Status.FAILED,
            error=_("Stopped while linking players named further down the file: %(error)s")
            % {"error": exc},
            finished_at=timezone.now(),
            problems=importer.problems,
        )
        raise
    with transaction.atomic():
        counts = importer.counts
        ImportRun.objects.filter(pk=run.pk).update(
            status=ImportRun.Status.DONE,
            processed_rows=len(table.rows),
            created_count=counts["created"],
            updated_count=counts["updated"],
            merged_count=counts["merged"],
            flagged_count=counts["flagged"],
            rejected_count=counts["rejected"],
            review_count=importer.review_count,
            link_counts=importer.link_counts,
            problems=importer.problems,
            finished_at=timezone.now(),
        )
        run.refresh_from_db()
        if not run.dry_run:
            log_action(
                "players.imported",
                obj=run,
                data={
                    "run": str(run.uuid),
                    "source": run.source,
                    "file": run.filename,
                    **counts,
                    **importer.link_counts,
                },
            )
    return run


def undo_import(*, run: ImportRun) -> ImportRun:
    """Revert every change of the run that no later change overwrote; list the rest."""
    if run.dry_run or run.status != ImportRun.Status.DONE:
        raise NetworkError(_("Only a finished import (not a dry run) can be undone."))
    conflicts: list[dict[str, Any]] = []
    reverted = 0
    changes = list(run.changes.order_by("-row", "-id"))
    for start in range(0, len(changes), BATCH_SIZE):
        with transaction.atomic():
            for change in changes[start : start + BATCH_SIZE]:
                reverted += _undo_change(change, conflicts)
    with transaction.atomic():
        run.status = ImportRun.Status.UNDONE
        run.undone_at = timezone.now()
        run.undo_conflicts = conflicts
        run.save(update_fields=["status", "undone_at", "undo_conflicts", "modified_at"])
        log_action(
            "players.import_undone",
            obj=run,
            data={"run": str(run.uuid), "reverted": reverted, "kept": len(conflicts)},
        )
    return run


def _only_traces_of_import(person: Any) -> bool:
    """Whether deleting the person would take nothing but their own emails and phones
    (no RSVP, membership, other leadership, ...): only then does undo delete them."""
    from django.db.models.deletion import Collector, ProtectedError

    from actlocal.people.models import EmailAddress, Person, PhoneNumber

    own = {Person, EmailAddress, PhoneNumber}
    collector = Collector(using=person._state.db)
    try:
        collector.collect([person])
    except ProtectedError:
        return False
    if any(model not in own and objs for model, objs in collector.data.items()):
        return False
    for qs in collector.fast_deletes:
        if qs.model not in own and qs.exists():
            return False
    return not any(
        (objs.exists() if hasattr(objs, "exists") else objs)
        for updates in collector.field_updates.values()
        for objs in updates
    )


def _undo_links(change: ImportChange, conflicts: list[dict[str, Any]]) -> int:
    """Remove the relationships and leader links the row created (never older ones)."""
    from actlocal.people.models import Person
    from actlocal.people.services import delete_person

    undone = 0
    ids = change.after.get("relationships") or []
    if ids:
        undone += Relationship.objects.filter(pk__in=ids).delete()[0]
    for entry in change.after.get("leaders") or []:
        if "role" in entry:
            old, new = entry["role"]
            if Leader.objects.filter(pk=entry["leader"], role=new).update(role=old):
                undone += 1
            elif Leader.objects.filter(pk=entry["leader"]).exists():
                conflicts.append(
                    {
                        "row": change.row,
                        "identifier": change.identifier,
                        "field": "leader_role",
                        "problem": _("changed after the import"),
                    }
                )
            continue
        undone += Leader.objects.filter(pk=entry["leader"]).delete()[0]
        person = Person.objects.filter(pk=entry["person"]).first()
        if entry.get("person_created") and person is not None:
            if _only_traces_of_import(person):
                delete_person(person=person)
            else:
                conflicts.append(
                    {
                        "row": change.row,
                        "identifier": change.identifier,
                        "field": "leader_name",
                        "problem": _("kept: the leader's person record is used elsewhere now"),
                    }
                )
    return 1 if undone else 0


def _undo_change(change: ImportChange, conflicts: list[dict[str, Any]]) -> int:
    org = change.organization
    if org is None:
        return 0
    links = _undo_links(change, conflicts)
    if change.action == "created":
        later = org.merged_from.exists() or org.merged_into_id is not None
        edited = any(
            entry.get("run") != str(change.run.uuid)
            for entry in org.provenance.values()
            if isinstance(entry, dict)
        )
        if later or edited or org.source_identifiers != [change.identifier]:
            conflicts.append(
                {
                    "row": change.row,
                    "identifier": change.identifier,
                    "field": "",
                    "problem": _("kept: the player was changed or merged after the import"),
                }
            )
            return links
        org.delete()
        return 1
    update_fields: list[str] = []
    for name, new_value in change.after.items():
        if name in {"relationships", "leaders"}:
            continue
        if name == "issue_areas":
            current = _plain_issues(org)
            if current == new_value:
                removed = set(new_value) - set(change.before.get(name, []))
                org.issue_areas.remove(*IssueArea.objects.filter(slug__in=removed))
            else:
                conflicts.append(
                    {
                        "row": change.row,
                        "identifier": change.identifier,
                        "field": name,
                        "problem": _("changed after the import"),
                    }
                )
            continue
        if name == "source_identifiers":
            if change.identifier in org.source_identifiers:
                org.source_identifiers = [
                    i for i in org.source_identifiers if i != change.identifier
                ]
                update_fields.append(name)
            continue
        if getattr(org, name) == new_value:
            setattr(org, name, change.before.get(name))
            org.provenance.pop(name, None)
            update_fields.append(name)
        else:
            conflicts.append(
                {
                    "row": change.row,
                    "identifier": change.identifier,
                    "field": name,
                    "problem": _("changed after the import"),
                }
            )
    if update_fields:
        org.save(update_fields=[*update_fields, "provenance", "modified_at"])
    return 1 if update_fields or links else 0


def problems_csv_rows(run: ImportRun) -> list[list[str]]:
    rows = [["row", "field", "level", "problem"]]
    rows.extend(
        [str(p["row"]), p["field"], p.get("level", "error"), p["problem"]] for p in run.problems
    )
    return rows
