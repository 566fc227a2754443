"""Reading surveys: results per question, lists for a viewer, rows for the CSV export."""

from __future__ import annotations

from collections import Counter
from typing import Any

from django.db.models import Count, Q, QuerySet

from actlocal.events.rules import hosted_event_ids
from actlocal.followup.models import Question, Response, Survey


def surveys_for(*, user: Any) -> QuerySet[Survey]:
    surveys = Survey.objects.select_related("event", "campaign").annotate(
        recipient_count=Count("recipients", distinct=True),
        response_count=Count("responses", distinct=True),
    )
    if user.is_staff:
        return surveys
    return surveys.filter(Q(event_id__in=hosted_event_ids(user)))


def results(*, survey: Survey) -> list[dict[str, Any]]:
    """Per question: counts per choice (with percentages of respondents) or the texts."""
    questions = list(survey.questions.all())
    answers = [r.answers for r in Response.objects.filter(survey=survey).only("answers")]
    total = len(answers)
    out = []
    for question in questions:
        key = str(question.pk)
        given = [a[key] for a in answers if a.get(key) not in (None, "", [])]
        row: dict[str, Any] = {"question": question, "answered": len(given), "total": total}
        if question.kind == Question.Kind.TEXT:
            row["texts"] = [str(v) for v in given]
        else:
            if question.kind == Question.Kind.SCALE:
                options = ["1", "2", "3", "4", "5"]
                counts = Counter(str(v) for v in given)
                numbers = [int(v) for v in given if str(v).isdigit()]
                row["average"] = round(sum(numbers) / len(numbers), 1) if numbers else None
            else:
                options = list(question.choices)
                counts = Counter()
                for value in given:
                    counts.update(value if isinstance(value, list) else [value])
            top = max([counts[o] for o in options] + [1])
            row["bars"] = [
                {
                    "label": option,
                    "count": counts[option],
                    "percent": round(100 * counts[option] / len(given)) if given else 0,
                    "width": round(100 * counts[option] / top),
                }
                for option in options
            ]
        out.append(row)
    return out


def export_rows(*, survey: Survey) -> tuple[list[str], list[list[str]]]:
    questions = list(survey.questions.all())
    headers = ["person", "email", "event", "submitted_at", *[q.prompt for q in questions]]
    rows = []
    responses = (
        Response.objects.filter(survey=survey)
        .select_related("recipient__person", "recipient__event")
        .prefetch_related("recipient__person__email_addresses")
    )
    for response in responses:
        person = response.recipient.person
        cells = [
            person.full_name,
            person.primary_email or "",
            str(response.recipient.event or ""),
            response.updated_at.isoformat(),
        ]
        for question in questions:
            value = response.answers.get(str(question.pk), "")
            cells.append(" | ".join(value) if isinstance(value, list) else str(value))
        rows.append(cells)
    return headers, rows
