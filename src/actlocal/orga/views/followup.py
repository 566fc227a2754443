"""Dashboard pages of follow-up surveys: set up, send, close, results, CSV export."""

from __future__ import annotations

import csv
import io

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from actlocal.common.audit import log_action
from actlocal.common.exports import safe_cell
from actlocal.common.permissions import check_perm
from actlocal.events.models import Campaign, Event
from actlocal.followup import selectors, services
from actlocal.followup.forms import QuestionForm, SurveyForm
from actlocal.followup.models import Survey


def _survey(request: HttpRequest, uuid: str, perm: str = "followup.view_results") -> Survey:
    survey = get_object_or_404(Survey.objects.select_related("event", "campaign"), uuid=uuid)
    check_perm(request, "followup.view_results", survey, hide=True)
    if perm != "followup.view_results":
        check_perm(request, perm, survey)
    return survey


@login_required
def survey_list(request: HttpRequest) -> HttpResponse:
    surveys = selectors.surveys_for(user=request.user)
    create_query = ""
    if request.GET.get("event"):
        event = get_object_or_404(Event, slug=request.GET["event"])
        check_perm(request, "events.view_attendees", event, hide=True)
        surveys = surveys.filter(event=event)
        if request.user.has_perm("events.change_event", event):
            create_query = f"event={event.slug}"
    elif request.GET.get("campaign"):
        campaign = get_object_or_404(Campaign, slug=request.GET["campaign"])
        surveys = surveys.filter(campaign=campaign)
        if request.user.has_perm("events.change_campaign"):
            create_query = f"campaign={campaign.slug}"
    return render(
        request,
        "followup/orga/list.html",
        {"surveys": surveys[:200], "create_query": create_query},
    )


@login_required
def survey_create(request: HttpRequest) -> HttpResponse:
    """``?event=<slug>`` (staff or the lead host) or ``?campaign=<slug>`` (staff)."""
    event = campaign = None
    if request.GET.get("event"):
        event = get_object_or_404(Event, slug=request.GET["event"])
        check_perm(request, "events.view_attendees", event, hide=True)
        check_perm(request, "events.change_event", event)
    elif request.GET.get("campaign"):
        campaign = get_object_or_404(Campaign, slug=request.GET["campaign"])
        check_perm(request, "events.change_campaign")
    else:
        raise Http404
    subject = event or campaign
    form = SurveyForm(
        request.POST or None,
        initial={"title": _("What do you need after %(name)s?") % {"name": subject}},
    )
    if request.method == "POST" and form.is_valid():
        survey = services.create_survey(
            title=form.cleaned_data["title"],
            intro=form.cleaned_data["intro"],
            event=event,
            campaign=campaign,
            by=request.user,
            default_questions=form.cleaned_data["default_questions"],
            closes_on=form.cleaned_data["closes_on"],
        )
        messages.success(request, _("Survey created. Check the questions, then send it."))
        return redirect("orga:survey", uuid=survey.uuid)
    return render(request, "followup/orga/create.html", {"form": form, "subject": subject})


@login_required
def survey_detail(request: HttpRequest, uuid: str) -> HttpResponse:
    survey = _survey(request, uuid)
    can_change = request.user.has_perm("followup.change_survey", survey)
    form = QuestionForm(request.POST or None)
    if request.method == "POST":
        check_perm(request, "followup.change_survey", survey)
        if form.is_valid():
            try:
                services.add_question(survey=survey, by=request.user, **form.cleaned_data)
            except services.SurveyError as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(request, _("Question added."))
                return redirect("orga:survey", uuid=uuid)
    return render(
        request,
        "followup/orga/detail.html",
        {
            "survey": survey,
            "results": selectors.results(survey=survey),
            "recipients": survey.recipients.count(),
            "eligible": services.eligible_count(survey=survey),
            "responses": survey.responses.count(),
            "form": form,
            "can_change": can_change,
        },
    )


@login_required
@require_POST
def survey_send(request: HttpRequest, uuid: str) -> HttpResponse:
    survey = _survey(request, uuid, "followup.change_survey")
    try:
        services.request_sending(survey=survey, by=request.user)
    except services.SurveyError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request, _("The links are being sent in the background; this page shows progress.")
        )
    return redirect("orga:survey", uuid=uuid)


@login_required
@require_POST
def survey_close(request: HttpRequest, uuid: str) -> HttpResponse:
    survey = _survey(request, uuid, "followup.change_survey")
    services.close_survey(survey=survey, by=request.user)
    messages.success(request, _("Survey closed; answers can no longer be changed."))
    return redirect("orga:survey", uuid=uuid)


@login_required
def survey_export(request: HttpRequest, uuid: str) -> HttpResponse:
    survey = _survey(request, uuid, "followup.export_responses")
    headers, rows = selectors.export_rows(survey=survey)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(headers)
    writer.writerows([[safe_cell(c) for c in row] for row in rows])
    log_action(
        "survey.exported", obj=survey, data={"rows": len(rows), "format": "csv"}, actor=request.user
    )
    response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="survey-{survey.uuid}.csv"'
    response["Cache-Control"] = "private, no-store"
    return response
