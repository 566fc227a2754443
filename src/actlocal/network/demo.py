"""Demo network: anchors, national partners, local chapters in the convening cities,
issue areas, relationships and a few duplicates waiting for review. Idempotent."""

from __future__ import annotations

import random
from typing import Any

from django.db import transaction

from actlocal.accounts.demo import PARTNER_EMAIL, demo_user
from actlocal.common import geo
from actlocal.network import matching
from actlocal.network.models import (
    DuplicateCandidate,
    IssueArea,
    Leader,
    Organization,
    OrganizationAdmin,
    Relationship,
)
from actlocal.network.selectors import CONVENING_CITIES
from actlocal.network.vocabulary import ensure_issue_areas
from actlocal.people.models import Person

ANCHORS = [
    "Neighbors Rising",
    "Common Ground Alliance",
    "Forward Together Network",
    "United Voices Project",
    "People's Table",
    "Hometown Action Fund",
]
NATIONAL_WORDS = (
    ["Coalition for", "Alliance for", "Campaign for", "Center for", "Network for"],
    [
        "Fair Wages",
        "Clean Air",
        "Safe Schools",
        "Voter Access",
        "Healthy Families",
        "Immigrant Dignity",
        "Housing Justice",
        "Racial Equity",
        "Reproductive Freedom",
        "Public Schools",
        "Climate Action",
    ],
)
LOCAL_WORDS = (
    ["Neighbors for", "Friends of", "Voices of", "Organize", "Rise Up", "Together"],
    ["Justice", "Change", "Democracy", "Community", "Action", "Solidarity"],
)
KINDS = [
    Organization.Kind.CHAPTER,
    Organization.Kind.GRASSROOTS,
    Organization.Kind.FAITH,
    Organization.Kind.UNION,
    Organization.Kind.CAMPUS,
    Organization.Kind.COALITION,
]


def _city_zip(city: str, state: str) -> str:
    for code, place in geo._zip_table().items():
        if place.city.lower() == city.lower() and place.state == state:
            return code
    return ""


def load(stdout: Any) -> None:
    anchor, _created = Organization.objects.get_or_create(
        slug="neighbors-rising",
        defaults={
            "name": "Neighbors Rising",
            "kind": Organization.Kind.ANCHOR,
            "city": "Washington",
            "state": "DC",
            "zip_code": "20009",
            "latitude": 38.9193,
            "longitude": -77.0374,
            "listed_publicly": True,
        },
    )
    OrganizationAdmin.objects.get_or_create(organization=anchor, user=demo_user(PARTNER_EMAIL))
    ensure_issue_areas()
    if Organization.objects.filter(slug="demo-local-0").exists():
        if stdout:
            stdout.write("demo: network already loaded")
        return
    with transaction.atomic():
        _load_network(anchor)
    if stdout:
        stdout.write(f"demo: network with {Organization.objects.count()} players")


def _load_network(anchor: Organization) -> None:
    rng = random.Random(4)
    issues = list(IssueArea.objects.all())
    cities = [(c, s, _city_zip(c, s)) for c, s in CONVENING_CITIES]
    orgs: list[Organization] = []
    for i, name in enumerate(ANCHORS[1:], start=1):
        city, state, zip_code = cities[i]
        orgs.append(
            _org(f"demo-anchor-{i}", name, Organization.Kind.ANCHOR, city, state, zip_code, True)
        )
    for i in range(55):
        name = f"{NATIONAL_WORDS[0][i % 5]} {NATIONAL_WORDS[1][i % 11]}" + (
            f" {i // 55 + 1}" if i >= 55 else ""
        )
        name = name if i < 50 else f"National {NATIONAL_WORDS[1][i % 11]} Project"
        city, state, zip_code = cities[i % len(cities)]
        orgs.append(
            _org(
                f"demo-national-{i}",
                name,
                Organization.Kind.NATIONAL,
                city,
                state,
                zip_code,
                i % 3 == 0,
            )
        )
    Organization.objects.bulk_create(orgs)
    nationals = list(Organization.objects.filter(kind__in=["national", "anchor"]))
    locals_: list[Organization] = []
    for i in range(336):
        city, state, zip_code = cities[i % len(cities)]
        parent = nationals[i % len(nationals)]
        if i % 3 == 0:
            name, kind = f"{parent.name} — {city}", Organization.Kind.CHAPTER
        else:
            name = f"{rng.choice(LOCAL_WORDS[0])} {rng.choice(LOCAL_WORDS[1])} {city} {i}"
            kind = rng.choice(KINDS[1:])
        org = _org(f"demo-local-{i}", name, kind, city, state, zip_code, i % 4 == 0)
        org.latitude = (org.latitude or 0) + rng.uniform(-0.08, 0.08)
        org.longitude = (org.longitude or 0) + rng.uniform(-0.08, 0.08)
        org.parent = parent if kind == Organization.Kind.CHAPTER else None
        locals_.append(org)
    # realistic duplicates: the same chapter sent by two partners
    for i, j in ((0, 3), (16, 19), (32, 35)):
        base = locals_[i]
        dup = _org(
            f"demo-dup-{i}",
            base.name.replace(" — ", " ") + " Action Team",
            base.kind,
            base.city,
            base.state,
            "",
            False,
        )
        dup.source_identifiers = [f"partner_sheet:{j}"]
        dup.website = ""
        dup.latitude, dup.longitude = base.latitude, base.longitude
        locals_.append(dup)
    Organization.objects.bulk_create(locals_)
    everyone = {o.slug: o for o in Organization.objects.all()}
    through = Organization.issue_areas.through
    through.objects.bulk_create(
        [
            through(organization_id=o.pk, issuearea_id=rng.choice(issues).pk)
            for o in everyone.values()
        ],
        ignore_conflicts=True,
    )
    rels = []
    local_orgs = [everyone[o.slug] for o in locals_]
    for org in local_orgs:
        if org.parent_id:
            rels.append(
                Relationship(
                    source=org, target_id=org.parent_id, kind="chapter_of", data_source="demo"
                )
            )
        if rng.random() < 0.5:
            other = rng.choice([o for o in local_orgs if o.city == org.city and o.pk != org.pk])
            rels.append(
                Relationship(source=org, target=other, kind="coalition_with", data_source="demo")
            )
    for national in nationals:
        rels.append(
            Relationship(source=national, target=anchor, kind="partner_of", data_source="demo")
        )
        if rng.random() < 0.3:
            rels.append(
                Relationship(
                    source=national, target=rng.choice(local_orgs), kind="funds", data_source="demo"
                )
            )
    Relationship.objects.bulk_create(rels, ignore_conflicts=True)
    leaders = [
        ("Marisol", "Quintero", "Executive director"),
        ("Dwayne", "Holloway", "Organizing director"),
        ("Priya", "Ramaswamy", "Chapter lead"),
        ("Tomasz", "Wrobel", "Co-chair"),
        ("Keisha", "Ardmore", "Co-chair"),
        ("Luis", "Bencomo", "Coordinator"),
    ]
    anchors = [anchor, *[everyone[f"demo-anchor-{i}"] for i in range(1, len(ANCHORS))]]
    for org, (given, family, role) in zip(anchors, leaders, strict=False):
        person = Person.objects.create(given_name=given, family_name=family, source="demo")
        Leader.objects.create(organization=org, person=person, role=role, data_source="demo")
    for i in (0, 16, 32):
        left, right = sorted(
            [everyone[f"demo-local-{i}"], everyone[f"demo-dup-{i}"]], key=lambda o: o.pk
        )
        score, reasons = matching.score_pair(_record(left), _record(right))
        DuplicateCandidate.objects.get_or_create(
            left=left, right=right, defaults={"score": score, "reasons": reasons}
        )


def _org(
    slug: str, name: str, kind: str, city: str, state: str, zip_code: str, public: bool
) -> Organization:
    point = geo.locate(zip_code=zip_code, city=city, state=state)
    return Organization(
        slug=slug,
        name=name,
        kind=kind,
        city=city,
        state=state,
        zip_code=zip_code,
        latitude=point[0] if point else None,
        longitude=point[1] if point else None,
        listed_publicly=public,
        source_identifiers=[f"demo:{slug}"],
        website=f"https://{slug}.example.org",
    )


def _record(org: Organization) -> matching.Record:
    return matching.Record(
        org.pk,
        org.name,
        org.city,
        org.state,
        org.zip_code,
        org.website,
        org.public_email,
        org.public_phone,
        org.parent_id,
    )
