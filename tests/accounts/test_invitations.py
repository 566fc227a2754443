from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone

from actlocal.accounts import services
from actlocal.accounts.models import AccountInvitation, User
from actlocal.common.models import AuditEntry
from tests.conftest import message_text
from tests.factories.accounts import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


def _invite_path(text: str) -> str:
    return re.search(r"/accounts/invitation/[\w-]+/", text).group(0)


def test_staff_invites_someone_who_creates_an_account_from_the_emailed_link(client, smtp_server):
    staff = UserFactory(email="staff@example.org", is_staff=True)
    client.force_login(staff)
    response = client.post(
        "/orga/users/invite/", {"email": "New.Host@example.org", "full_name": "Ana Host"}
    )
    assert response.status_code == 302

    (message,) = smtp_server.wait_for(1)
    assert message["To"] == "new.host@example.org"
    path = _invite_path(message_text(message))
    client.logout()

    page = client.get(path)
    assert page.status_code == 200
    assert b"new.host@example.org" in page.content
    response = client.post(path, {"full_name": "Ana Host", "password": "plenty-long-passphrase"})
    assert response.status_code == 302
    user = User.objects.get(email="new.host@example.org")
    assert user.check_password("plenty-long-passphrase")
    assert not user.is_staff
    assert AuditEntry.objects.filter(action="account.invitation_accepted").exists()

    # The link works once.
    assert client.get(path).status_code == 404


def test_invitation_link_refuses_weak_passwords(client):
    _invitation, token = services.invite_to_account(email="x@example.org", by=None)
    response = client.post(
        f"/accounts/invitation/{token}/", {"full_name": "X", "password": "12345678"}
    )
    assert response.status_code == 200
    assert b"too common" in response.content or b"entirely numeric" in response.content
    assert not User.objects.filter(email="x@example.org").exists()


def test_expired_invitation_link_answers_404(client):
    invitation, token = services.invite_to_account(email="late@example.org", by=None)
    AccountInvitation.objects.filter(pk=invitation.pk).update(
        expires_at=timezone.now() - dt.timedelta(minutes=1)
    )
    assert client.get(f"/accounts/invitation/{token}/").status_code == 404


def test_cannot_invite_an_existing_account(client):
    UserFactory(email="here@example.org")
    with pytest.raises(services.AccountError):
        services.invite_to_account(email="HERE@example.org", by=None)


def test_only_staff_may_invite(client):
    client.force_login(UserFactory(email="plain@example.org"))
    assert client.get("/orga/users/invite/").status_code == 403
    assert client.post("/orga/users/invite/", {"email": "y@example.org"}).status_code == 403
    assert not AccountInvitation.objects.exists()
