from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from actlocal.common.models import OutboundEmail
from actlocal.local.models import GroupMembership
from actlocal.local.services.groups import (
    join_local_network,
    send_group_message,
    unsubscribe_from_group,
)
from tests.factories.accounts import UserFactory
from tests.factories.events import EventFactory
from tests.factories.local import GroupMembershipFactory, LocalNetworkFactory
from tests.factories.people import PersonFactory

pytestmark = pytest.mark.django_db


def test_group_list_shows_public_groups_with_member_counts(
    client: Client, django_assert_max_num_queries: Any
) -> None:
    for _ in range(5):
        GroupMembershipFactory()
    LocalNetworkFactory(name="Hidden group", is_public=False)
    with django_assert_max_num_queries(6):
        html = client.get(reverse("web:groups")).content.decode()
    assert html.count('class="card"') == 5
    assert "Hidden group" not in html
    assert "1 member" in html


def test_group_page_shows_upcoming_events_nearby(client: Client) -> None:
    network = LocalNetworkFactory()
    EventFactory(title="Logan Circle huddle")
    EventFactory(title="Private dinner", visibility="invite_only")
    html = client.get(reverse("web:group", args=[network.slug])).content.decode()
    assert "Logan Circle huddle" in html
    assert "Private dinner" not in html


def test_join_with_one_form_twice_makes_one_membership(client: Client) -> None:
    network = LocalNetworkFactory()
    data = {"given_name": "Ana", "email": "Ana@Example.net", "zip_code": "20009", "consent": "on"}
    response = client.post(reverse("web:group", args=[network.slug]), data, follow=True)
    assert "Welcome to" in response.content.decode()
    response = client.post(reverse("web:group", args=[network.slug]), data, follow=True)
    assert "already a member" in response.content.decode()
    membership = GroupMembership.objects.get()
    assert membership.person.consent_follow_up is True
    assert OutboundEmail.objects.filter(template="group_welcome").count() == 1


def test_join_with_bad_zip_and_email_names_both(client: Client) -> None:
    network = LocalNetworkFactory()
    html = client.post(
        reverse("web:group", args=[network.slug]),
        {"given_name": "Ana", "email": "nope", "zip_code": "00000"},
    ).content.decode()
    assert "Enter a valid email address" in html
    assert "is not a US ZIP code we know" in html
    assert not GroupMembership.objects.exists()


def test_join_honeypot_stores_nothing(client: Client) -> None:
    network = LocalNetworkFactory()
    client.post(
        reverse("web:group", args=[network.slug]),
        {"given_name": "Bot", "email": "bot@example.net", "website": "x"},
    )
    assert not GroupMembership.objects.exists()


def test_message_goes_to_subscribed_members_with_unsubscribe(staff_user: Any) -> None:
    network = LocalNetworkFactory()
    join_local_network(network=network, email="a@example.net", given_name="A")
    join_local_network(network=network, email="b@example.net", given_name="B")
    message = send_group_message(
        network=network, subject="Next huddle", body="Tuesday 7pm", by=staff_user
    )
    assert message.recipient_count == 2
    mails = OutboundEmail.objects.filter(template="group_message")
    assert {m.to for m in mails} == {"a@example.net", "b@example.net"}
    mail_a = mails.get(to="a@example.net")
    assert "List-Unsubscribe" in mail_a.headers
    token = re.search(r"/groups/unsubscribe/([^/\s]+)/", mail_a.body_text)
    assert token
    assert unsubscribe_from_group(token=token.group(1)) is not None
    assert unsubscribe_from_group(token=token.group(1)) is not None  # repeat is harmless
    second = send_group_message(network=network, subject="Again", body="Hi", by=staff_user)
    assert second.recipient_count == 1


def test_unsubscribe_page_asks_then_confirms(client: Client, staff_user: Any) -> None:
    network = LocalNetworkFactory()
    join_local_network(network=network, email="a@example.net", given_name="A")
    send_group_message(network=network, subject="Hi", body="Hello", by=staff_user)
    body = OutboundEmail.objects.get(template="group_message").body_text
    path = re.search(r"/groups/unsubscribe/[^/\s]+/", body)
    assert path
    assert "Stop messages" in client.get(path.group(0)).content.decode()
    assert GroupMembership.objects.get().unsubscribed_at is None
    assert "You are unsubscribed" in client.post(path.group(0)).content.decode()
    assert GroupMembership.objects.get().unsubscribed_at is not None
    assert client.post("/groups/unsubscribe/bogus/").status_code == 404


def test_group_organizer_messages_members_from_the_dashboard(client: Client) -> None:
    network = LocalNetworkFactory()
    organizer = UserFactory()
    GroupMembershipFactory(network=network, person=PersonFactory(user=organizer), role="organizer")
    join_local_network(network=network, email="m@example.net", given_name="M")
    client.force_login(organizer)
    response = client.post(
        reverse("orga:local-group", args=[network.slug]),
        {"subject": "<b>Huddle</b>", "body": "See you"},
        follow=True,
    )
    assert "Message queued for 2 members" in response.content.decode()


def test_other_users_get_404_on_a_group_they_do_not_run(client: Client, plain_user: Any) -> None:
    network = LocalNetworkFactory()
    client.force_login(plain_user)
    assert client.get(reverse("orga:local-group", args=[network.slug])).status_code == 404
