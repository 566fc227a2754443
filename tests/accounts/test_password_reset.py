from __future__ import annotations

import re

import pytest

from actlocal.common.models import OutboundEmail
from tests.conftest import message_text
from tests.factories.accounts import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_password_reset_mail_arrives_over_smtp_and_its_link_sets_a_new_password(
    client, smtp_server
):
    user = UserFactory(email="leader@example.org")
    response = client.post("/accounts/password-reset/", {"email": "leader@example.org"})
    assert response.status_code == 302

    (message,) = smtp_server.wait_for(1)
    assert message["To"] == "leader@example.org"
    assert "Reset your ActLocal password" in message["Subject"]
    assert message.get_body(preferencelist=("html",)) is not None
    link = re.search(r"http://\S+/accounts/reset/\S+/", message_text(message)).group(0)
    assert OutboundEmail.objects.get().status == OutboundEmail.Status.SENT

    path = link.split("127.0.0.1:8000", 1)[-1] if "127.0.0.1:8000" in link else link
    form_page = client.get(path, follow=True)
    assert form_page.status_code == 200
    set_url = form_page.redirect_chain[-1][0]
    response = client.post(
        set_url,
        {"new_password1": "a-new-long-passphrase", "new_password2": "a-new-long-passphrase"},
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password("a-new-long-passphrase")


def test_password_reset_for_unknown_email_sends_nothing_and_does_not_say_so(client, smtp_server):
    response = client.post("/accounts/password-reset/", {"email": "nobody@example.org"})
    assert response.status_code == 302
    assert OutboundEmail.objects.count() == 0
    done = client.get(response["Location"])
    assert b"If an account exists for that address" in done.content
