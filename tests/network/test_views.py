"""Map, graph, player card, review queue and import pages."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from actlocal.network.models import DuplicateCandidate, ImportRun, Organization, Relationship
from tests.factories.network import OrganizationAdminFactory, OrganizationFactory

pytestmark = pytest.mark.django_db


def test_map_requires_login(client: Any) -> None:
    response = client.get(reverse("web:network-map"))
    assert response.status_code == 302


def test_map_list_and_data_with_bounded_queries(
    client: Any, staff_user: Any, django_assert_max_num_queries: Any
) -> None:
    for i in range(30):
        OrganizationFactory(name=f"Group {i}", state="DC" if i % 2 else "CO")
    client.force_login(staff_user)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("web:network-map"), {"state": "DC"})
    assert response.status_code == 200
    assert b"15 players" in response.content
    data = client.get(reverse("web:network-map-data"), {"zoom": "4"}).json()
    assert data["mode"] == "clusters" and data["total"] == 30
    points = client.get(reverse("web:network-map-data"), {"zoom": "12", "state": "CO"}).json()
    assert points["mode"] == "points" and len(points["points"]) == 15


def test_player_card_shows_relationships_on_both_ends(client: Any, staff_user: Any) -> None:
    a = OrganizationFactory(name="Alpha Union")
    b = OrganizationFactory(name="Beta Faith Circle")
    Relationship.objects.create(source=a, target=b, kind="coalition_with")
    client.force_login(staff_user)
    for org, other in ((a, b), (b, a)):
        page = client.get(reverse("web:network-player", args=[org.uuid])).content.decode()
        assert other.name in page


def test_graph_reports_brokers_isolated_and_gaps(client: Any, staff_user: Any) -> None:
    hub = OrganizationFactory(name="Hub")
    lonely = OrganizationFactory(name="Lonely Group")
    for i in range(4):
        Relationship.objects.create(
            source=OrganizationFactory(name=f"Spoke {i}"), target=hub, kind="partner_of"
        )
    client.force_login(staff_user)
    response = client.get(reverse("web:network-graph"))
    assert response.status_code == 200
    metrics = response.context["metrics"]
    assert metrics.brokers[0]["name"] == "Hub"
    assert lonely.name in [i["name"] for i in metrics.isolated]


def test_partner_admin_edits_own_org_but_not_others(client: Any) -> None:
    membership = OrganizationAdminFactory()
    stranger = OrganizationFactory()
    client.force_login(membership.user)
    own = reverse("orga:network-player-edit", args=[membership.organization.uuid])
    assert client.get(own).status_code == 200
    response = client.post(own, {"name": "Renamed", "kind": "grassroots", "zip_code": "20009"})
    assert response.status_code == 302
    membership.organization.refresh_from_db()
    assert membership.organization.name == "Renamed"
    assert client.get(reverse("orga:network-player-edit", args=[stranger.uuid])).status_code == 403


def test_review_merge_and_not_duplicate(client: Any, staff_user: Any) -> None:
    a, b, c = (OrganizationFactory(name=n) for n in ("Casa Uno", "Casa 1", "Casa Dos"))
    merge = DuplicateCandidate.objects.create(left=a, right=b, score=0.8)
    other = DuplicateCandidate.objects.create(left=a, right=c, score=0.76)
    client.force_login(staff_user)
    client.post(reverse("orga:network-review-pair", args=[other.pk]), {"action": "not_duplicate"})
    client.post(
        reverse("orga:network-review-pair", args=[merge.pk]), {"action": "merge", "keep": "left"}
    )
    b.refresh_from_db()
    assert b.merged_into == a
    assert DuplicateCandidate.objects.filter(status="pending").count() == 0


def test_upload_refuses_oversized_file_before_reading(
    client: Any, staff_user: Any, settings: Any
) -> None:
    settings.ACTLOCAL_MAX_UPLOAD_MB = 1
    client.force_login(staff_user)
    big = SimpleUploadedFile("big.csv", b"Name\n" + b"x" * (1024 * 1024 + 10))
    response = client.post(
        reverse("orga:network-imports"), {"source": "x", "file": big}, follow=True
    )
    assert "limit is 1 MB" in response.content.decode()
    assert not ImportRun.objects.exists()


def test_upload_map_and_run_import(
    client: Any, staff_user: Any, tmp_path: Path, django_capture_on_commit_callbacks: Any
) -> None:
    client.force_login(staff_user)
    upload = SimpleUploadedFile("p.csv", b"Groupe,Ville,Etat\nLa Raza Unida,Houston,TX\n")
    response = client.post(reverse("orga:network-imports"), {"source": "Partner", "file": upload})
    run = ImportRun.objects.get()
    assert response.status_code == 302
    url = reverse("orga:network-import", args=[run.uuid])
    missing = client.post(url, {"col-0": "", "col-1": "city"})
    assert "required" in missing.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"col-0": "name", "col-1": "city", "col-2": "state", "run": "1"})
    run.refresh_from_db()
    assert run.status == "done" and run.created_count == 1
    assert Organization.objects.get().city == "Houston"


def test_large_graph_is_computed_in_the_background_then_served_from_cache(
    client: Any, staff_user: Any, monkeypatch: Any, django_capture_on_commit_callbacks: Any
) -> None:
    from actlocal.network import graph

    monkeypatch.setattr(graph, "INLINE_LIMIT", 2)
    for i in range(3):
        OrganizationFactory(name=f"Group {i}")
    client.force_login(staff_user)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        first = client.get(reverse("web:network-graph"))
    assert "Computing the metrics" in first.content.decode()
    for callback in callbacks:
        callback()  # the worker runs the task
    second = client.get(reverse("web:network-graph"))
    assert second.context["metrics"].nodes == 3


def test_partner_admin_may_import_but_not_review_and_plain_user_may_do_neither(
    client: Any, plain_user: Any
) -> None:
    membership = OrganizationAdminFactory()
    client.force_login(membership.user)
    assert client.get(reverse("orga:network-imports")).status_code == 200
    assert client.get(reverse("orga:network-review")).status_code == 403
    client.force_login(plain_user)
    assert client.get(reverse("orga:network-imports")).status_code == 403
    assert client.get(reverse("web:network-map")).status_code == 200  # logged in: may see the map


def test_dry_run_then_apply_imports_for_real(
    client: Any, staff_user: Any, django_capture_on_commit_callbacks: Any
) -> None:
    client.force_login(staff_user)
    upload = SimpleUploadedFile("p.csv", b"Name,City,State\nLa Raza Unida,Houston,TX\n")
    client.post(reverse("orga:network-imports"), {"source": "Partner", "file": upload})
    run = ImportRun.objects.get()
    url = reverse("orga:network-import", args=[run.uuid])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"col-0": "name", "col-1": "city", "col-2": "state", "dry_run": "1"})
    assert not Organization.objects.exists()
    assert "import it for real" in client.get(url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("orga:network-import-apply", args=[run.uuid]))
    assert Organization.objects.get().name == "La Raza Unida"


def test_add_relationship_shows_on_both_ends_and_refuses_bad_dates(
    client: Any, staff_user: Any
) -> None:
    a, b = OrganizationFactory(name="Alpha Union"), OrganizationFactory(name="Beta Circle")
    client.force_login(staff_user)
    url = reverse("orga:network-relationship-add", args=[a.uuid])
    bad = client.post(url, {"kind": "funds", "target": b.pk, "start_date": "2025-05-01",
                             "end_date": "2024-01-01"})  # fmt: skip
    assert "end date is before the start date" in bad.content.decode()
    client.post(url, {"kind": "funds", "target": b.pk, "data_source": "990 filing"})
    assert Relationship.objects.get().kind == "funds"
    assert (
        "Alpha Union" in client.get(reverse("web:network-player", args=[b.uuid])).content.decode()
    )


def test_partner_admin_upload_is_attributed_to_the_partner(client: Any) -> None:
    membership = OrganizationAdminFactory()
    client.force_login(membership.user)
    upload = SimpleUploadedFile("p.csv", b"Name,City,State\nVoces,Houston,TX\n")
    client.post(reverse("orga:network-imports"), {"source": "Our chapters", "file": upload})
    assert ImportRun.objects.get().organization == membership.organization


def test_show_connections_filters_the_map_to_the_player_and_its_ties(
    client: Any, staff_user: Any
) -> None:
    hub = OrganizationFactory(name="Hub Coalition", slug="hub-coalition")
    tied = OrganizationFactory(name="Tied Group")
    OrganizationFactory(name="Unrelated Group")
    Relationship.objects.create(source=tied, target=hub, kind="member_of")
    client.force_login(staff_user)
    card = client.get(reverse("web:network-player", args=[hub.uuid])).content.decode()
    link = reverse("web:network-map") + "?related_to=hub-coalition"
    assert link in card
    page = client.get(link).content.decode()
    assert "2 players" in page and "Unrelated Group" not in page
    assert "Showing Hub Coalition and the players it has a relationship with." in page
    data = client.get(
        reverse("web:network-map-data"), {"zoom": "12", "related_to": "hub-coalition"}
    ).json()
    assert {p["name"] for p in data["points"]} == {"Hub Coalition", "Tied Group"}


def test_relationship_recorded_twice_shows_once_after_a_merge(client: Any, staff_user: Any) -> None:
    from actlocal.network.services.merging import merge_organizations

    third = OrganizationFactory(name="Faith Circle")
    keep = OrganizationFactory(name="Casa Uno")
    dupe = OrganizationFactory(name="Casa 1")
    Relationship.objects.create(source=keep, target=third, kind="coalition_with")
    Relationship.objects.create(source=third, target=dupe, kind="coalition_with")
    Relationship.objects.create(source=dupe, target=third, kind="funds")
    merge_organizations(survivor=keep, other=dupe)
    client.force_login(staff_user)
    page = client.get(reverse("web:network-player", args=[third.uuid])).content.decode()
    assert page.count("Casa Uno") == 2  # in coalition with, and funds
    assert "Casa 1" not in page
    own = client.get(reverse("web:network-player", args=[keep.uuid])).content.decode()
    assert own.count("Faith Circle") == 2
    # The same symmetric tie recorded from both ends, without any merge, shows once too.
    other = OrganizationFactory(name="Eastside Tenants")
    Relationship.objects.create(source=other, target=third, kind="partner_of")
    Relationship.objects.create(source=third, target=other, kind="partner_of")
    page = client.get(reverse("web:network-player", args=[third.uuid])).content.decode()
    assert page.count("Eastside Tenants") == 1
