"""Background work of follow-up surveys: thin, take ids, reload, safe to run twice."""

from __future__ import annotations

from django_tasks import task

from actlocal.accounts.models import User
from actlocal.common.context import acting_as
from actlocal.followup.models import Survey


@task()
def send_survey_links(survey_id: int, user_id: int | None = None) -> int:
    from actlocal.followup.services import SurveyError, send_survey

    survey = Survey.objects.filter(pk=survey_id).first()
    if survey is None:
        return 0
    user = User.objects.filter(pk=user_id).first() if user_id else None
    with acting_as(user=user, via="task"):
        try:
            return send_survey(survey=survey, by=user)
        except SurveyError:
            return 0
