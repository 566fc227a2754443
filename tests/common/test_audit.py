from __future__ import annotations

import pytest

from actlocal.common.audit import entries_for
from actlocal.common.context import acting_as
from actlocal.common.models import AuditEntry
from actlocal.people import services
from actlocal.people.models import Person
from tests.factories.accounts import UserFactory

pytestmark = pytest.mark.django_db


def test_create_is_logged_with_actor_and_fields():
    staff = UserFactory(email="staff@example.org", is_staff=True)
    with acting_as(user=staff, via="web", ip_address="203.0.113.9"):
        person, created = services.upsert_person(
            email="Ana@Example.org", fields={"given_name": "Ana", "postal_code": "20009"}
        )
    assert created
    entry = AuditEntry.objects.get(action="person.created")
    assert entry.actor == staff
    assert entry.actor_label == "staff@example.org"
    assert entry.ip_address == "203.0.113.9"
    assert entry.object_id == str(person.pk)
    assert entry.changes["given_name"] == [None, "Ana"]


def test_update_records_old_and_new_values_only_for_changed_fields():
    person, _ = services.upsert_person(email="ana@example.org", fields={"given_name": "Ana"})
    services.update_person(person=person, given_name="Ana María", family_name="")
    entry = AuditEntry.objects.get(action="person.updated")
    assert entry.changes == {"given_name": ["Ana", "Ana María"]}
    assert entry.actor is None
    assert entry.actor_label == "system"


def test_update_without_changes_writes_no_entry():
    person, _ = services.upsert_person(email="ana@example.org", fields={"given_name": "Ana"})
    services.update_person(person=person, given_name="Ana")
    assert not AuditEntry.objects.filter(action="person.updated").exists()


def test_delete_is_logged_and_survives_the_object():
    person, _ = services.upsert_person(email="ana@example.org", fields={"given_name": "Ana"})
    pk = person.pk
    services.delete_person(person=person)
    assert not Person.objects.filter(pk=pk).exists()
    entry = AuditEntry.objects.get(action="person.deleted")
    assert entry.object_id == str(pk)
    assert entry.changes["email"] == ["ana@example.org", None]


def test_a_failed_change_leaves_no_audit_entry():
    person, _ = services.upsert_person(email="ana@example.org", fields={"given_name": "Ana"})
    before = AuditEntry.objects.count()
    with pytest.raises(ValueError):
        services.update_person(person=person, given_name="Changed", not_a_field="x")
    assert AuditEntry.objects.count() == before
    person.refresh_from_db()
    assert person.given_name == "Ana"


def test_request_ip_and_user_come_from_the_web_request(client):
    staff = UserFactory(email="staff@example.org", is_staff=True)
    client.force_login(staff)
    client.post("/orga/users/invite/", {"email": "new@example.org"}, REMOTE_ADDR="198.51.100.7")
    entry = AuditEntry.objects.get(action="account.invited")
    assert entry.actor == staff
    assert entry.ip_address == "198.51.100.7"


def test_staff_see_the_audit_log_and_can_search_it(client):
    person, _ = services.upsert_person(email="ana@example.org", fields={"given_name": "Ana"})
    services.update_person(person=person, given_name="Beatriz")
    client.force_login(UserFactory(is_staff=True))
    page = client.get("/orga/audit/?q=person.updated")
    assert page.status_code == 200
    assert b"person.updated" in page.content
    assert b"Beatriz" in page.content
    assert b"person.created" not in page.content
    history = client.get(f"/orga/audit/people/person/{person.pk}/")
    assert history.status_code == 200
    assert b"person.created" in history.content and b"person.updated" in history.content
    assert list(entries_for(person).values_list("action", flat=True)) == [
        "person.updated",
        "person.created",
    ]


def test_object_pages_link_to_their_history_for_staff_only(client):
    from actlocal.events.services.events import update_event
    from tests.factories.events import EventFactory, EventHostFactory

    event = EventFactory(title="DC convening")
    host = EventHostFactory(event=event).user
    update_event(event=event, by=host, title="DC convening 2026")
    history = f"/orga/audit/events/event/{event.pk}/"

    client.force_login(UserFactory(is_staff=True))
    page = client.get(f"/orga/events/{event.slug}/").content.decode()
    assert f'href="{history}"' in page
    listing = client.get(history).content.decode()
    assert "event.updated" in listing and "DC convening 2026" in listing

    client.force_login(host)
    page = client.get(f"/orga/events/{event.slug}/").content.decode()
    assert history not in page
    assert client.get(history).status_code == 403
