from __future__ import annotations

import datetime as dt
import re

import pytest

from actlocal.common.models import AuditEntry
from actlocal.events.models import RSVP, Event, EventHost, Invitation, Nomination
from actlocal.events.services.invitations import nominate
from actlocal.events.services.rsvps import rsvp
from actlocal.network.models import IssueArea
from actlocal.people.models import Membership
from tests.factories.accounts import PASSWORD, UserFactory
from tests.factories.events import EventFactory, EventHostFactory
from tests.factories.network import OrganizationFactory
from tests.factories.people import PersonFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def hosted(client):
    event = EventFactory(visibility=Event.Visibility.INVITE_ONLY, capacity=10, timezone="UTC")
    host = UserFactory(email="lead@example.org")
    EventHostFactory(event=event, user=host, role=EventHost.Role.LEAD)
    client.login(email="lead@example.org", password=PASSWORD)
    return event


def test_edit_event_saves_and_audits_and_bad_zip_is_named(client, hosted):
    url = f"/orga/events/{hosted.slug}/edit/"
    form = client.get(url).context["form"]
    data = {k: v for k, v in form.initial.items() if v is not None}
    data.update(
        title="Renamed convening",
        starts_at=hosted.starts_at.strftime("%Y-%m-%dT%H:%M"),
        ends_at=hosted.ends_at.strftime("%Y-%m-%dT%H:%M"),
        zip_code="80202",
    )
    response = client.post(url, data)
    assert response.status_code == 302
    hosted.refresh_from_db()
    assert hosted.title == "Renamed convening" and round(hosted.latitude) == 40
    assert AuditEntry.objects.filter(action="event.updated", object_id=str(hosted.pk)).exists()
    response = client.post(url, {**data, "zip_code": "ABCDE"})
    assert "ZIP code ABCDE is not a US ZIP code." in response.content.decode()


def test_capacity_cannot_go_below_seats_taken(client, hosted):
    for _ in range(3):
        rsvp(event=hosted, person=PersonFactory())
    url = f"/orga/events/{hosted.slug}/edit/"
    data = {k: v for k, v in client.get(url).context["form"].initial.items() if v is not None}
    data.update(
        capacity=2,
        starts_at=hosted.starts_at.strftime("%Y-%m-%dT%H:%M"),
        ends_at=hosted.ends_at.strftime("%Y-%m-%dT%H:%M"),
    )
    response = client.post(url, data)
    assert "below the 3 seats" in response.content.decode()
    hosted.refresh_from_db()
    assert hosted.capacity == 10


def test_agenda_editor_names_unknown_facilitator_email(client, hosted):
    response = client.post(
        f"/orga/events/{hosted.slug}/agenda/",
        {
            "title": "Power mapping",
            "format": "workshop",
            "starts_at": hosted.starts_at.strftime("%Y-%m-%dT%H:%M"),
            "ends_at": hosted.ends_at.strftime("%Y-%m-%dT%H:%M"),
            "facilitator_emails": "nobody@example.net",
        },
    )
    assert "nobody@example.net" in response.content.decode()
    assert not hosted.sessions.exists()


def test_check_in_volunteer_cannot_edit_agenda_or_invite(client):
    event = EventFactory()
    volunteer = UserFactory(email="vol@example.org")
    EventHostFactory(event=event, user=volunteer, role=EventHost.Role.CHECKIN)
    client.login(email="vol@example.org", password=PASSWORD)
    assert client.get(f"/orga/events/{event.slug}/checkin/").status_code == 200
    assert client.post(f"/orga/events/{event.slug}/agenda/", {"title": "x"}).status_code == 403
    assert (
        client.post(f"/orga/events/{event.slug}/invitations/", {"emails": "a@b.org"}).status_code
        == 403
    )


def test_pasted_emails_with_a_bad_line_name_the_line_and_invite_nobody(client, hosted):
    response = client.post(
        f"/orga/events/{hosted.slug}/invitations/",
        {"emails": "ok@example.net, Ok\nnot-an-email\n", "send_now": "on"},
    )
    assert "Line 2" in response.content.decode()
    assert not Invitation.objects.exists()


def test_invite_from_network_map_by_issue_area(client, hosted, django_capture_on_commit_callbacks):
    area = IssueArea.objects.create(name="Immigration", slug="immigration")
    org = OrganizationFactory()
    org.issue_areas.add(area)
    leader = PersonFactory()
    Membership.objects.create(person=leader, organization=org)
    PersonFactory()  # not a member: not invited
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            f"/orga/events/{hosted.slug}/invitations/",
            {"from_map": "1", "issue_area": "immig", "send_now": "on"},
        )
    invitation = Invitation.objects.get()
    assert invitation.person == leader and invitation.status == Invitation.Status.SENT
    assert AuditEntry.objects.filter(action="invitations.created").exists()


def test_host_approves_nomination_which_invites_the_leader(
    client, hosted, django_capture_on_commit_callbacks
):
    nominee = PersonFactory()
    nomination = nominate(event=hosted, person=nominee, by=None, reason="Tenant organizer")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            f"/orga/events/{hosted.slug}/invitations/",
            {"nomination": nomination.pk, "decision": "approve"},
        )
    nomination.refresh_from_db()
    assert nomination.status == Nomination.Status.APPROVED
    assert Invitation.objects.get(person=nominee).status == Invitation.Status.SENT


def test_check_in_page_search_by_name_and_walk_in(client, hosted):
    record, _ = rsvp(event=hosted, person=PersonFactory(given_name="Odalys"))
    page = client.get(f"/orga/events/{hosted.slug}/checkin/?q=odal")
    assert [r.pk for r in page.context["found"]] == [record.pk]
    client.post(f"/orga/events/{hosted.slug}/checkin/", {"rsvp": record.pk})
    record.refresh_from_db()
    assert record.status == RSVP.Status.ATTENDED
    client.post(
        f"/orga/events/{hosted.slug}/checkin/",
        {"walk_in": "1", "given_name": "Wanda", "family_name": "Walkin"},
    )
    counts = client.get(f"/orga/events/{hosted.slug}/checkin/").context["counts"]
    assert counts == {"expected": 2, "checked_in": 2}


def test_unknown_code_is_a_clear_error(client, hosted):
    response = client.post(f"/orga/events/{hosted.slug}/checkin/", {"code": "ACTLOCAL:NOPE"})
    assert "No RSVP for this event has this code." in response.content.decode()


def test_add_host_requires_an_existing_account(client, hosted):
    url = f"/orga/events/{hosted.slug}/hosts/"
    response = client.post(url, {"email": "ghost@example.org", "role": "agenda"})
    assert "No account uses this email" in response.content.decode()
    UserFactory(email="agenda@example.org")
    client.post(url, {"email": "agenda@example.org", "role": "agenda"})
    assert hosted.hosts.filter(user__email="agenda@example.org", role="agenda").exists()


def test_cancel_event_from_dashboard(client, hosted, django_capture_on_commit_callbacks):
    rsvp(event=hosted, person=PersonFactory())
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/orga/events/{hosted.slug}/cancel/", {"reason": "Storm"})
    hosted.refresh_from_db()
    assert hosted.status == Event.Status.CANCELLED


def test_staff_create_city_event_in_campaign_geocoded_from_zip(client):
    from tests.factories.events import CampaignFactory

    campaign = CampaignFactory(slug="nov")
    UserFactory(email="boss@example.org", is_staff=True)
    client.login(email="boss@example.org", password=PASSWORD)
    assert "Add a city event" in client.get("/orga/campaigns/nov/").content.decode()
    response = client.post(
        "/orga/campaigns/nov/events/new/",
        {
            "title": "ActLocal November: Tucson, AZ",
            "event_type": "convening",
            "visibility": "invite_only",
            "status": "published",
            "city": "Tucson",
            "state": "AZ",
            "zip_code": "85701",
            "address_line": "1 Private Home Rd",
            "address_is_private": "on",
            "starts_at": "2030-12-12T09:00",
            "ends_at": "2030-12-12T17:00",
            "timezone": "America/Phoenix",
            "capacity": 60,
            "max_guests": 0,
            "accessibility_status": "accessible",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    event = Event.objects.get(campaign=campaign)
    assert event.starts_at.hour == 16  # 09:00 in Phoenix is 16:00 UTC
    assert event.latitude is not None and round(event.latitude, 1) == 32.2
    assert AuditEntry.objects.filter(action="event.created").exists()


def test_hosts_cannot_create_campaign_events(client, hosted):
    assert client.get(f"/orga/campaigns/{hosted.campaign.slug}/events/new/").status_code == 403


def test_partner_nominates_and_the_answer_never_reveals_whether_an_event_exists(client):
    from actlocal.network.models import OrganizationAdmin
    from tests.factories.events import CampaignFactory

    campaign = CampaignFactory(slug="nov")
    EventFactory(
        campaign=campaign, visibility=Event.Visibility.INVITE_ONLY, city="Denver", state="CO"
    )
    partner = UserFactory(email="partner@example.org")
    OrganizationAdmin.objects.create(organization=OrganizationFactory(), user=partner)
    client.login(email="partner@example.org", password=PASSWORD)
    assert "Nominate leaders" in client.get("/orga/").content.decode()
    answers = []
    for state in ("CO", "WY"):
        response = client.post(
            "/orga/campaigns/nov/nominate/",
            {
                "email": f"leader-{state}@example.net",
                "given_name": "Lee",
                "state": state,
                "city": "Denver",
                "reason": "Runs the food bank",
            },
            follow=True,
        )
        body = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", response.content.decode())
        answers.append(body.replace(state, "XX"))
    assert answers[0] == answers[1]
    nomination = Nomination.objects.get()
    assert nomination.event.city == "Denver" and nomination.organization is not None
    assert "Wyoming" not in answers[1]


def test_plain_users_cannot_nominate(client):
    from tests.factories.events import CampaignFactory

    CampaignFactory(slug="nov")
    UserFactory(email="plain@example.org")
    client.login(email="plain@example.org", password=PASSWORD)
    assert client.get("/orga/campaigns/nov/nominate/").status_code == 403


def test_agenda_session_is_edited_in_place(client, hosted):
    from actlocal.events.services.agenda import save_session

    facilitator = PersonFactory()
    start = hosted.starts_at
    session = save_session(
        event=hosted,
        by=None,
        title="Old title",
        starts_at=start,
        ends_at=start + dt.timedelta(hours=1),
        room_name="Hall",
        facilitators=[facilitator],
    )
    page = client.get(f"/orga/events/{hosted.slug}/agenda/?edit={session.pk}")
    assert page.context["form"].initial["room_name"] == "Hall"
    assert page.context["form"].initial["facilitator_emails"] == facilitator.primary_email
    client.post(
        f"/orga/events/{hosted.slug}/agenda/?edit={session.pk}",
        {
            "title": "New title",
            "format": "training",
            "starts_at": start.strftime("%Y-%m-%dT%H:%M"),
            "ends_at": (start + dt.timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"),
            "room_name": "Room B",
            "facilitator_emails": facilitator.primary_email,
        },
    )
    session.refresh_from_db()
    assert (session.title, session.room.name, hosted.sessions.count()) == ("New title", "Room B", 1)
    assert session.facilitators.get().person == facilitator
