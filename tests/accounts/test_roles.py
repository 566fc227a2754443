"""Each role, allowed and refused: network staff, event host, partner admin, plain person."""

from __future__ import annotations

import pytest

from tests.factories.accounts import UserFactory
from tests.factories.events import EventFactory, EventHostFactory
from tests.factories.network import OrganizationAdminFactory, OrganizationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    dc = EventFactory(title="DC convening", visibility="invite_only")
    nyc = EventFactory(title="NYC convening", visibility="invite_only")
    host = EventHostFactory(event=dc).user
    checkin = EventHostFactory(event=dc, role="checkin").user
    national = OrganizationFactory(name="National Org", kind="national")
    chapter = OrganizationFactory(name="National Org DC", kind="chapter", parent=national)
    other = OrganizationFactory(name="Another Org")
    partner = OrganizationAdminFactory(organization=national).user
    return {
        "dc": dc,
        "nyc": nyc,
        "host": host,
        "checkin": checkin,
        "national": national,
        "chapter": chapter,
        "other": other,
        "partner": partner,
        "staff": UserFactory(is_staff=True),
        "plain": UserFactory(),
    }


def test_network_staff_may_do_everything(world):
    staff = world["staff"]
    for perm in ("events.view_event", "events.change_event", "events.view_attendees"):
        assert staff.has_perm(perm, world["dc"])
        assert staff.has_perm(perm, world["nyc"])
    assert staff.has_perm("network.change_organization", world["other"])
    assert staff.has_perm("accounts.view_audit_log")
    assert staff.has_perm("accounts.invite_user")


def test_host_manages_only_their_own_event(world):
    host = world["host"]
    assert host.has_perm("events.view_event", world["dc"])
    assert host.has_perm("events.change_event", world["dc"])
    assert host.has_perm("events.view_attendees", world["dc"])
    assert not host.has_perm("events.view_event", world["nyc"])
    assert not host.has_perm("events.change_event", world["nyc"])
    assert not host.has_perm("events.view_attendees", world["nyc"])
    assert not host.has_perm("accounts.view_audit_log")
    assert not host.has_perm("network.change_organization", world["national"])


def test_checkin_volunteer_checks_in_but_does_not_edit_the_event(world):
    volunteer = world["checkin"]
    assert volunteer.has_perm("events.check_in", world["dc"])
    assert not volunteer.has_perm("events.change_event", world["dc"])
    assert not volunteer.has_perm("events.edit_agenda", world["dc"])
    assert not volunteer.has_perm("events.check_in", world["nyc"])


def test_partner_admin_edits_own_organization_and_its_chapters_only(world):
    partner = world["partner"]
    assert partner.has_perm("network.change_organization", world["national"])
    assert partner.has_perm("network.change_organization", world["chapter"])
    assert not partner.has_perm("network.change_organization", world["other"])
    assert partner.has_perm("network.import_players")
    assert not partner.has_perm("network.review_duplicates")
    assert not partner.has_perm("events.view_event", world["dc"])
    assert not partner.has_perm("accounts.view_audit_log")


def test_plain_person_has_no_organizer_rights(world):
    plain = world["plain"]
    assert not plain.has_perm("events.view_event", world["dc"])
    assert not plain.has_perm("events.change_event", world["dc"])
    assert not plain.has_perm("network.change_organization", world["national"])
    assert not plain.has_perm("network.import_players")
    assert not plain.has_perm("accounts.view_audit_log")
    assert plain.has_perm("network.view_map")


def test_staff_pages_answer_by_role(client, world):
    client.force_login(world["staff"])
    assert client.get("/orga/audit/").status_code == 200
    assert client.get("/orga/outbox/").status_code == 200
    assert client.get("/orga/users/").status_code == 200
    for role in ("host", "partner", "plain"):
        client.force_login(world[role])
        assert client.get("/orga/").status_code == 200
        assert client.get("/orga/audit/").status_code == 403
        assert client.get("/orga/outbox/").status_code == 403
        assert client.get("/orga/users/").status_code == 403
    client.logout()
    assert client.get("/orga/audit/").status_code == 302
