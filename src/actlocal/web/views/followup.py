"""The answer page of a follow-up survey: no account, a personal link, one answer per person."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from actlocal.followup import services
from actlocal.followup.forms import AnswerForm
from actlocal.followup.models import Response


def survey(request: HttpRequest, token: str) -> HttpResponse:
    recipient = services.recipient_for_token(token)
    if recipient is None:
        return render(request, "followup/invalid.html", status=404)
    existing = Response.objects.filter(recipient=recipient).first()
    survey = recipient.survey
    if not survey.accepts_answers:
        closed = survey.status == survey.Status.CLOSED or survey.is_past_closing_day
        return render(
            request,
            "followup/closed.html",
            {"survey": survey, "answered": existing is not None},
            status=410 if closed else 404,
        )
    form = AnswerForm(
        request.POST if request.method == "POST" else None,
        survey=survey,
        initial=AnswerForm.initial_from(existing.answers) if existing else None,
    )
    saved = False
    if request.method == "POST" and form.is_valid():
        try:
            services.submit_response(recipient=recipient, answers=form.answers())
        except services.SurveyError as exc:
            form.add_error(None, exc.message)
        else:
            saved = True
    response = render(
        request,
        "followup/answer.html",
        {
            "survey": survey,
            "person": recipient.person,
            "form": form,
            "saved": saved,
            "editing": existing is not None,
            "thanks": _(
                "Thank you! You can change your answers with the same link until the survey closes."
            ),
        },
        status=400 if form.is_bound and form.errors else 200,
    )
    response["Referrer-Policy"] = "no-referrer"
    response["Cache-Control"] = "private, no-store"
    return response
