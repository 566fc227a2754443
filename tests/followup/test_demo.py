from __future__ import annotations

import pytest

from actlocal.events import demo as events_demo
from actlocal.followup import demo
from actlocal.followup.models import Response, Survey

pytestmark = pytest.mark.django_db


def test_demo_survey_has_a_few_responses_and_is_idempotent(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    demo.load(None)  # without the convenings there is nothing to survey
    assert not Survey.objects.exists()
    events_demo.load(None)
    demo.load(None)
    demo.load(None)
    survey = Survey.objects.get()
    assert survey.status == Survey.Status.OPEN and survey.recipients.count() > 4
    assert Response.objects.filter(survey=survey).count() == 4
