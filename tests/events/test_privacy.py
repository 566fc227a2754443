"""Invite-only events never leak to the uninvited, other cities' hosts or anonymous clients."""

from __future__ import annotations

import pytest
from django.core import mail, signing

from actlocal.events import selectors
from actlocal.events.models import Event, Invitation
from actlocal.events.services.events import cancel_event
from actlocal.events.services.rsvps import rsvp
from actlocal.web.views.events import FEED_SALT, feed_token
from tests.factories.accounts import PASSWORD, UserFactory
from tests.factories.events import (
    CampaignFactory,
    EventFactory,
    EventHostFactory,
    InvitationFactory,
    SessionFactory,
)
from tests.factories.people import PersonFactory

pytestmark = pytest.mark.django_db

SECRET_TITLE = "Secret Strategy Summit"
SECRET_VENUE = "Hidden Union Hall"
SECRET_STREET = "77 Quiet Lane"
SECRET_ATTENDEE = "Zebulon"


@pytest.fixture
def secret():
    campaign = CampaignFactory(slug="november")
    event = EventFactory(
        campaign=campaign,
        slug="november-denver",
        title=SECRET_TITLE,
        venue=SECRET_VENUE,
        address_line=SECRET_STREET,
        visibility=Event.Visibility.INVITE_ONLY,
        city="Denver",
        state="CO",
        zip_code="80202",
        latitude=39.75,
        longitude=-104.99,
        capacity=10,
    )
    SessionFactory(event=event, title="Closed-door planning")
    attendee = PersonFactory(given_name=SECRET_ATTENDEE)
    InvitationFactory(event=event, person=attendee)
    rsvp(event=event, person=attendee)
    EventFactory(campaign=campaign, slug="november-public", title="Open town hall")
    return event


def _other_city_host(campaign):
    other = EventFactory(
        campaign=campaign,
        slug="november-miami",
        title="Miami convening",
        visibility=Event.Visibility.INVITE_ONLY,
    )
    host = UserFactory(email="miami-host@example.org")
    EventHostFactory(event=other, user=host)
    return host


def _viewers(client, secret):
    """(label, logged-in client) for each outsider."""
    yield "anonymous", client
    UserFactory(email="outsider@example.org")
    client.login(email="outsider@example.org", password=PASSWORD)
    yield "uninvited", client
    client.logout()
    _other_city_host(secret.campaign)
    client.login(email="miami-host@example.org", password=PASSWORD)
    yield "host of another city", client


def _assert_no_leak(response, label, url):
    body = response.content.decode(errors="replace")
    for secret_text in (SECRET_TITLE, SECRET_VENUE, SECRET_STREET, SECRET_ATTENDEE, "Closed-door"):
        assert secret_text not in body, f"{label} learned {secret_text!r} from {url}"


def test_outsiders_get_404_without_a_trace_on_every_page(client, secret):
    urls = [
        f"/events/{secret.slug}/",
        f"/events/{secret.slug}/event.ics",
        f"/events/{secret.slug}/agenda/",
        f"/events/{secret.slug}/agenda/print/",
        f"/orga/events/{secret.slug}/",
        f"/orga/events/{secret.slug}/agenda/",
        f"/orga/events/{secret.slug}/invitations/",
        f"/orga/events/{secret.slug}/checkin/",
    ]
    for label, viewer in _viewers(client, secret):
        for url in urls:
            response = viewer.get(url)
            assert response.status_code in {404, 302}, (label, url, response.status_code)
            if url.startswith("/events/") or label != "anonymous":
                assert response.status_code == 404, (label, url)
            _assert_no_leak(response, label, url)


def test_outsiders_cannot_post_an_rsvp_to_an_invite_only_event(client, secret):
    response = client.post(
        f"/events/{secret.slug}/",
        {"given_name": "Eve", "email": "eve@example.net", "party_size": 1},
    )
    assert response.status_code == 404
    _assert_no_leak(response, "anonymous", "POST event page")
    assert not secret.rsvps.filter(person__given_name="Eve").exists()


def test_search_feeds_and_calendars_never_list_invite_only_events(client, secret):
    for url in [
        "/events/?zip=80202&radius=50",
        "/api/public/v1/events",
        "/api/public/v1/events?zipcode=80202&max_dist=50",
        f"/campaigns/{secret.campaign.slug}/events.ics",
        "/api/v2/events",
        "/sitemap.xml",
    ]:
        response = client.get(url)
        _assert_no_leak(response, "anonymous", url)
    feed = client.get(f"/campaigns/{secret.campaign.slug}/events.ics").content.decode()
    assert "Open town hall" in feed


def test_selectors_filter_invite_only_by_viewer(secret):
    assert secret not in selectors.public_events()
    assert secret not in selectors.visible_events(viewer=None)
    outsider = UserFactory()
    assert secret not in selectors.visible_events(viewer=outsider)
    other_host = _other_city_host(secret.campaign)
    assert secret not in selectors.visible_events(viewer=other_host)
    rows = selectors.campaign_dashboard(campaign=secret.campaign, viewer=other_host)
    assert [r["event"].slug for r in rows] == ["november-miami"]


def test_invited_person_host_and_staff_can_see_it(client, secret):
    invited_user = UserFactory(email="invited@example.org")
    person = PersonFactory(user=invited_user)
    InvitationFactory(event=secret, person=person)
    host = UserFactory(email="denver-host@example.org")
    EventHostFactory(event=secret, user=host)
    UserFactory(email="boss@example.org", is_staff=True)
    for email in ("invited@example.org", "denver-host@example.org", "boss@example.org"):
        client.login(email=email, password=PASSWORD)
        response = client.get(f"/events/{secret.slug}/")
        assert response.status_code == 200, email
        assert SECRET_TITLE in response.content.decode()
        assert secret in selectors.visible_events(viewer=response.wsgi_request.user)
        client.logout()


def test_revoked_invitation_no_longer_grants_access(client, secret):
    user = UserFactory(email="revoked@example.org")
    person = PersonFactory(user=user)
    InvitationFactory(event=secret, person=person, status=Invitation.Status.REVOKED)
    client.login(email="revoked@example.org", password=PASSWORD)
    assert client.get(f"/events/{secret.slug}/").status_code == 404
    assert secret not in selectors.visible_events(viewer=user)


def test_personal_feed_shows_only_the_owners_events_and_rejects_forged_tokens(client, secret):
    attendee = secret.rsvps.get().person
    stranger = PersonFactory()
    own = client.get(f"/calendar/{feed_token(attendee)}.ics").content.decode()
    assert SECRET_TITLE in own and "BEGIN:VTIMEZONE" in own
    theirs = client.get(f"/calendar/{feed_token(stranger)}.ics")
    _assert_no_leak(theirs, "stranger feed", "personal feed")
    forged = signing.dumps(str(attendee.uuid), salt=FEED_SALT + "x", compress=True)
    assert client.get(f"/calendar/{forged}.ics").status_code == 404


def test_bad_invitation_and_manage_tokens_answer_404_without_details(client, secret):
    for url in ("/invitations/not-a-token/", "/rsvp/not-a-token/", "/rsvp/not-a-token/qr.svg"):
        response = client.get(url)
        assert response.status_code == 404
        _assert_no_leak(response, "anonymous", url)


def test_cancelling_emails_only_people_who_rsvped(secret, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    invited_only = PersonFactory()
    InvitationFactory(event=secret, person=invited_only)
    from django.test import TestCase

    with TestCase.captureOnCommitCallbacks(execute=True):
        cancel_event(event=secret, by=None, reason="Venue flooded")
    recipients = {m.to[0] for m in mail.outbox}
    attendee = secret.rsvps.get().person
    assert recipients == {attendee.primary_email}
