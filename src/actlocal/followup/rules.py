"""Who may run a survey and read its answers: staff, and the hosts of the survey's event."""

from __future__ import annotations

from typing import Any

import rules

from actlocal.accounts.rules import is_network_staff
from actlocal.events.rules import hosted_event_ids


@rules.predicate
def is_survey_event_host(user: Any, survey: Any) -> bool:
    """Event surveys only: a campaign survey holds answers from every city."""
    return (
        survey is not None
        and survey.event_id is not None
        and (survey.event_id in hosted_event_ids(user))
    )


@rules.predicate
def is_survey_event_lead(user: Any, survey: Any) -> bool:
    if survey is None or survey.event_id is None:
        return False
    return bool(
        user.is_authenticated and survey.event.hosts.filter(user=user, role="lead").exists()
    )


rules.add_perm("followup.view_results", is_network_staff | is_survey_event_host)
rules.add_perm("followup.change_survey", is_network_staff | is_survey_event_lead)
rules.add_perm("followup.export_responses", is_network_staff | is_survey_event_host)
