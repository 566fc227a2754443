"""Follow-up surveys: send to attendees by email, answer without an account, results, export."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re

import pytest
from django.db import transaction

from actlocal.common.models import AuditEntry
from actlocal.events.models import RSVP, EventHost
from actlocal.followup import services
from actlocal.followup.models import Question, Recipient, Response, Survey
from tests.conftest import message_text
from tests.factories.accounts import PASSWORD, UserFactory
from tests.factories.events import CampaignFactory, EventFactory, EventHostFactory, RSVPFactory
from tests.factories.followup import QuestionFactory, RecipientFactory, SurveyFactory
from tests.factories.people import PersonFactory

pytestmark = pytest.mark.django_db


def _token_from(text: str) -> str:
    match = re.search(r"/survey/([A-Za-z0-9_-]+)/", text)
    assert match, text
    return match.group(1)


def _answer_data(survey: Survey, **overrides):
    data = {}
    for q in survey.questions.all():
        if q.kind == Question.Kind.MULTIPLE:
            data[f"q{q.pk}"] = ["Training", "Funding"]
        elif q.kind == Question.Kind.SINGLE:
            data[f"q{q.pk}"] = "Training"
        elif q.kind == Question.Kind.SCALE:
            data[f"q{q.pk}"] = "4"
        else:
            data[f"q{q.pk}"] = "A phone bank training"
    data.update(overrides)
    return data


@pytest.mark.django_db(transaction=True)
def test_send_emails_attendees_only_and_the_link_answers_once_then_edits(client, smtp_server):
    event = EventFactory(title="Denver convening")
    came = RSVPFactory(event=event, status=RSVP.Status.ATTENDED)
    accepted = RSVPFactory(event=event, status=RSVP.Status.ACCEPTED)
    RSVPFactory(event=event, status=RSVP.Status.DECLINED)
    RSVPFactory(event=event, status=RSVP.Status.WAITLISTED)
    staff = UserFactory(is_staff=True, email="boss@example.org")
    with transaction.atomic():
        survey = services.create_survey(title="What do you need?", event=event, by=staff)
        assert services.send_survey(survey=survey, by=staff) == 2
    messages = smtp_server.wait_for(2)
    addresses = sorted(m["To"] for m in messages)
    assert addresses == sorted([came.person.primary_email, accepted.person.primary_email])
    survey.refresh_from_db()
    assert survey.status == Survey.Status.OPEN
    # Sending again asks only people not yet asked.
    with transaction.atomic():
        assert services.send_survey(survey=survey, by=staff) == 0
    (mail,) = smtp_server.to(came.person.primary_email)
    token = _token_from(message_text(mail))
    assert Recipient.objects.filter(token_hash=Recipient.hash_token(token)).exists()
    assert not Recipient.objects.filter(token_hash=token).exists()  # only the hash is stored

    url = f"/survey/{token}/"
    page = client.get(url)
    assert page.status_code == 200
    assert "What do you need most to organize locally?" in page.content.decode()
    response = client.post(url, _answer_data(survey))
    assert response.status_code == 200 and "Thank you!" in response.content.decode()
    assert Response.objects.count() == 1
    # The same link again: the answers are there, and a second post edits, never duplicates.
    assert "You have answered already" in client.get(url).content.decode()
    scale = survey.questions.get(kind=Question.Kind.SCALE)
    client.post(url, _answer_data(survey, **{f"q{scale.pk}": "2"}))
    assert Response.objects.count() == 1
    assert Response.objects.get().answers[str(scale.pk)] == 2
    assert AuditEntry.objects.filter(action="survey_response.updated").count() == 1


def test_required_question_and_bad_choice_are_named(client):
    survey = SurveyFactory()
    q = QuestionFactory(
        survey=survey, kind=Question.Kind.SINGLE, choices=["Training", "Funding"], required=True
    )
    RecipientFactory(survey=survey, token_hash=Recipient.hash_token("tok-1"))
    response = client.post("/survey/tok-1/", {f"q{q.pk}": "Helicopters"})
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()
    response = client.post("/survey/tok-1/", {})
    assert response.status_code == 400 and "This field is required" in response.content.decode()
    assert not Response.objects.exists()


def test_closed_survey_refuses_new_and_changed_answers(client):
    survey = SurveyFactory(status=Survey.Status.CLOSED)
    QuestionFactory(survey=survey)
    recipient = RecipientFactory(survey=survey, token_hash=Recipient.hash_token("tok-2"))
    response = client.get("/survey/tok-2/")
    assert response.status_code == 410 and "This survey is closed" in response.content.decode()
    response = client.post("/survey/tok-2/", {"anything": "x"})
    assert response.status_code == 410
    with pytest.raises(services.SurveyError):
        services.submit_response(recipient=recipient, answers={})
    assert not Response.objects.exists()


def test_unknown_link_is_404(client):
    assert client.get("/survey/not-a-real-token/").status_code == 404


def test_answer_page_in_spanish(client):
    survey = SurveyFactory()
    QuestionFactory(survey=survey)
    RecipientFactory(survey=survey, token_hash=Recipient.hash_token("tok-3"))
    response = client.get("/survey/tok-3/", HTTP_ACCEPT_LANGUAGE="es")
    assert response.status_code == 200 and 'lang="es"' in response.content.decode()


def _results_setup():
    event = EventFactory()
    survey = services.create_survey(title="Needs", event=event, by=None)
    survey.status = Survey.Status.OPEN
    survey.save()
    for answers in (["Training", "Funding"], ["Training"], ["Volunteers"]):
        recipient = RecipientFactory(survey=survey)
        multiple = survey.questions.get(kind=Question.Kind.MULTIPLE)
        text = survey.questions.get(kind=Question.Kind.TEXT)
        services.submit_response(
            recipient=recipient,
            answers={str(multiple.pk): answers, str(text.pk): f"=cmd|{answers[0]}"},
        )
    return event, survey


def test_results_for_staff_and_event_hosts_with_counts_and_texts(client):
    event, survey = _results_setup()
    host = UserFactory(email="host@example.org")
    EventHostFactory(event=event, user=host, role=EventHost.Role.CHECKIN)
    client.login(email=host.email, password=PASSWORD)
    page = client.get(f"/orga/surveys/{survey.uuid}/")
    assert page.status_code == 200
    results = {r["question"].kind: r for r in page.context["results"]}
    bars = {b["label"]: b["count"] for b in results[Question.Kind.MULTIPLE]["bars"]}
    assert bars == {
        "Training": 2,
        "Funding": 1,
        "Volunteers": 1,
        "Data and tools": 0,
        "Coalition partners": 0,
    }
    assert sorted(results[Question.Kind.TEXT]["texts"]) == [
        "=cmd|Training",
        "=cmd|Training",
        "=cmd|Volunteers",
    ]
    html = page.content.decode()
    assert 'role="img"' in html and "2 answers, 67%" in html
    # A check-in volunteer reads results but cannot send or close.
    assert client.post(f"/orga/surveys/{survey.uuid}/close/").status_code == 403


@pytest.mark.parametrize("who", ["anonymous", "plain", "other_host"])
def test_results_are_404_for_everyone_else(client, who):
    _event, survey = _results_setup()
    if who != "anonymous":
        user = UserFactory(email=f"{who}@example.org")
        if who == "other_host":
            EventHostFactory(event=EventFactory(), user=user)
        client.login(email=user.email, password=PASSWORD)
    response = client.get(f"/orga/surveys/{survey.uuid}/")
    assert response.status_code in {302, 404} if who == "anonymous" else response.status_code == 404
    assert client.get(f"/orga/surveys/{survey.uuid}/export.csv").status_code in {302, 404}


def test_campaign_survey_results_are_staff_only(client):
    campaign = CampaignFactory()
    event = EventFactory(campaign=campaign)
    survey = SurveyFactory(event=None, campaign=campaign)
    host = UserFactory(email="host@example.org")
    EventHostFactory(event=event, user=host)
    client.login(email=host.email, password=PASSWORD)
    assert client.get(f"/orga/surveys/{survey.uuid}/").status_code == 404


def test_csv_export_is_audited_and_defuses_formulas(client, staff_user):
    _event, survey = _results_setup()
    client.login(email=staff_user.email, password=PASSWORD)
    response = client.get(f"/orga/surveys/{survey.uuid}/export.csv")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][:4] == ["person", "email", "event", "submitted_at"]
    assert len(rows) == 4
    assert any(cell == "'=cmd|Training" for cell in rows[1])
    entry = AuditEntry.objects.get(action="survey.exported")
    assert entry.data == {"rows": 3, "format": "csv"} and entry.actor == staff_user


def test_staff_create_survey_with_default_needs_questions_and_add_one(client, staff_user):
    event = EventFactory()
    client.login(email=staff_user.email, password=PASSWORD)
    response = client.post(
        f"/orga/surveys/new/?event={event.slug}",
        {"title": "After the convening", "intro": "", "default_questions": "on"},
    )
    survey = Survey.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/orga/surveys/{survey.uuid}/"
    needs = survey.questions.get(kind=Question.Kind.MULTIPLE)
    assert needs.choices == [
        "Training",
        "Funding",
        "Volunteers",
        "Data and tools",
        "Coalition partners",
    ]
    url = f"/orga/surveys/{survey.uuid}/"
    bad = client.post(url, {"kind": "single", "prompt": "Pick", "choices": "only one"})
    assert "Give at least two choices" in bad.content.decode()
    client.post(url, {"kind": "single", "prompt": "Best day?", "choices": "Saturday\nSunday"})
    assert survey.questions.filter(prompt="Best day?", choices=["Saturday", "Sunday"]).exists()
    assert AuditEntry.objects.filter(action="survey.created").exists()


def test_plain_host_of_event_cannot_create_but_lead_can(client):
    event = EventFactory()
    volunteer = UserFactory(email="v@example.org")
    EventHostFactory(event=event, user=volunteer, role=EventHost.Role.CHECKIN)
    client.login(email=volunteer.email, password=PASSWORD)
    assert client.get(f"/orga/surveys/new/?event={event.slug}").status_code == 403
    lead = UserFactory(email="lead@example.org")
    EventHostFactory(event=event, user=lead, role=EventHost.Role.LEAD)
    client.logout()
    client.login(email=lead.email, password=PASSWORD)
    assert client.get(f"/orga/surveys/new/?event={event.slug}").status_code == 200
    stranger = UserFactory(email="s@example.org")
    client.logout()
    client.login(email=stranger.email, password=PASSWORD)
    assert client.get(f"/orga/surveys/new/?event={event.slug}").status_code == 404


def test_campaign_survey_goes_to_attendees_of_every_city(staff_user):
    campaign = CampaignFactory()
    for _ in range(2):
        RSVPFactory(event=EventFactory(campaign=campaign), status=RSVP.Status.ACCEPTED)
    RSVPFactory(event=EventFactory(), status=RSVP.Status.ACCEPTED)  # another campaign
    person = PersonFactory()
    RSVPFactory(event=EventFactory(campaign=campaign), person=person)
    RSVPFactory(event=EventFactory(campaign=campaign), person=person)  # two cities, one link
    survey = services.create_survey(title="Campaign needs", campaign=campaign, by=staff_user)
    assert services.send_survey(survey=survey, by=staff_user) == 3


def test_survey_list_and_results_query_counts_stay_flat(
    client, staff_user, django_assert_max_num_queries
):
    _event, survey = _results_setup()
    for _ in range(5):
        SurveyFactory()
    client.login(email=staff_user.email, password=PASSWORD)
    with django_assert_max_num_queries(8):
        assert len(client.get("/orga/surveys/").context["surveys"]) == 6
    with django_assert_max_num_queries(14):
        assert client.get(f"/orga/surveys/{survey.uuid}/").status_code == 200


def test_send_button_sends_in_the_background_in_batches(
    client, staff_user, monkeypatch, django_capture_on_commit_callbacks
):
    from actlocal.common.models import OutboundEmail

    monkeypatch.setattr(services, "SEND_BATCH", 2)
    event = EventFactory()
    RSVPFactory.create_batch(5, event=event, status=RSVP.Status.ACCEPTED)
    survey = services.create_survey(title="Needs", event=event, by=staff_user)
    client.login(email=staff_user.email, password=PASSWORD)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/orga/surveys/{survey.uuid}/send/")
    assert response.status_code == 302
    survey.refresh_from_db()
    assert survey.status == Survey.Status.OPEN and not survey.is_sending
    assert survey.recipients.count() == 5
    assert OutboundEmail.objects.filter(template="survey_invitation").count() == 5
    assert AuditEntry.objects.filter(action="survey.sent", data__recipients=5).exists()
    page = client.get(f"/orga/surveys/{survey.uuid}/").content.decode()
    assert "Sending:" not in page and "sent to 5" in page


def test_sending_page_shows_progress_until_done(client, staff_user):
    event = EventFactory()
    RSVPFactory.create_batch(3, event=event, status=RSVP.Status.ACCEPTED)
    survey = services.create_survey(title="Needs", event=event, by=staff_user)
    services.request_sending(survey=survey, by=staff_user)  # no commit: the task waits
    client.login(email=staff_user.email, password=PASSWORD)
    page = client.get(f"/orga/surveys/{survey.uuid}/").content.decode()
    assert "Sending: 0 of 3 attendees" in page and 'http-equiv="refresh"' in page


def test_closed_or_empty_survey_cannot_be_sent(staff_user):
    survey = SurveyFactory(status=Survey.Status.DRAFT)
    with pytest.raises(services.SurveyError, match="at least one question"):
        services.request_sending(survey=survey, by=staff_user)
    QuestionFactory(survey=survey)
    survey.status = Survey.Status.CLOSED
    with pytest.raises(services.SurveyError, match="closed"):
        services.request_sending(survey=survey, by=staff_user)


def test_dashboard_panel_lists_surveys_for_staff_and_hosts_only(client, staff_user):
    _event, survey = _results_setup()
    client.login(email=staff_user.email, password=PASSWORD)
    page = client.get("/orga/").content.decode()
    assert "Follow-up surveys" in page and survey.title in page and "3 / 3" in page
    client.logout()
    plain = UserFactory(email="plain@example.org")
    client.login(email=plain.email, password=PASSWORD)
    assert survey.title not in client.get("/orga/").content.decode()


def test_answer_page_groups_choices_in_fieldsets(client):
    survey = services.create_survey(title="Needs", event=EventFactory(), by=None)
    Survey.objects.filter(pk=survey.pk).update(status=Survey.Status.OPEN)
    RecipientFactory(survey=survey, token_hash=Recipient.hash_token("tok-4"))
    html = client.get("/survey/tok-4/").content.decode()
    assert html.count("<fieldset") == 3  # several, one, and the 1-5 scale
    assert "<legend>What do you need most to organize locally?" in html
    assert 'type="checkbox" name="q' in html and ">Coalition partners</label>" in html


def test_answers_are_taken_through_the_last_day_and_refused_after_it(client):
    from django.utils import timezone

    today = timezone.localdate()
    survey = SurveyFactory(status=Survey.Status.OPEN, closes_on=today)
    QuestionFactory(survey=survey)
    recipient = RecipientFactory(survey=survey, token_hash=Recipient.hash_token("tok-day"))
    page = client.get("/survey/tok-day/")
    assert page.status_code == 200
    assert "Answers are accepted until" in page.content.decode()

    Survey.objects.filter(pk=survey.pk).update(closes_on=today - dt.timedelta(days=1))
    response = client.get("/survey/tok-day/")
    assert response.status_code == 410 and "This survey is closed" in response.content.decode()
    survey.refresh_from_db()
    with pytest.raises(services.SurveyError):
        services.submit_response(recipient=recipient, answers={})
    assert not Response.objects.exists()


def test_last_day_is_set_on_creation_and_cannot_be_in_the_past(client, staff_user):
    from django.utils import timezone

    event = EventFactory()
    client.login(email=staff_user.email, password=PASSWORD)
    url = f"/orga/surveys/new/?event={event.slug}"
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    bad = client.post(url, {"title": "After", "closes_on": yesterday.isoformat()})
    assert "cannot be in the past" in bad.content.decode()
    assert not Survey.objects.exists()
    next_week = timezone.localdate() + dt.timedelta(days=7)
    client.post(url, {"title": "After", "closes_on": next_week.isoformat()})
    assert Survey.objects.get().closes_on == next_week
