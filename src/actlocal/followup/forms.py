"""Forms of follow-up surveys: set up a survey, add a question, answer one."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from actlocal.followup.models import Question, Survey


class SurveyForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    intro = forms.CharField(
        label=_("Introduction"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    default_questions = forms.BooleanField(
        label=_("Start with the questions on local leaders' needs"), required=False, initial=True
    )
    closes_on = forms.DateField(
        label=_("Answers accepted until"),
        required=False,
        help_text=_("Optional. The last day people can answer or change their answers."),
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    def clean_closes_on(self) -> dt.date | None:
        closes_on: dt.date | None = self.cleaned_data["closes_on"]
        if closes_on is not None and closes_on < timezone.localdate():
            raise forms.ValidationError(_("The last day to answer cannot be in the past."))
        return closes_on


class QuestionForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=Question.Kind.choices)
    prompt = forms.CharField(label=_("Question"), max_length=300)
    choices = forms.CharField(
        label=_("Choices"),
        required=False,
        help_text=_("One per line, for choice questions."),
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    required = forms.BooleanField(label=_("Answer required"), required=False)

    def clean_choices(self) -> list[str]:
        lines = [line.strip() for line in self.cleaned_data["choices"].splitlines()]
        return list(dict.fromkeys(line[:200] for line in lines if line))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("kind") in {Question.Kind.SINGLE, Question.Kind.MULTIPLE} and (
            len(data.get("choices") or []) < 2
        ):
            self.add_error("choices", _("Give at least two choices, one per line."))
        return data


SCALE_CHOICES = [(str(n), str(n)) for n in range(1, 6)]


class AnswerForm(forms.Form):
    """One field per question, named ``q<id>``; labels and choices shown translated."""

    def __init__(self, *args: Any, survey: Survey, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.questions = list(survey.questions.all())
        for question in self.questions:
            label = gettext(question.prompt)
            choices = [(c, gettext(c)) for c in question.choices]
            field: forms.Field
            if question.kind == Question.Kind.TEXT:
                field = forms.CharField(
                    label=label, max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
                )
            elif question.kind == Question.Kind.SINGLE:
                field = forms.ChoiceField(label=label, choices=choices, widget=forms.RadioSelect)
            elif question.kind == Question.Kind.MULTIPLE:
                field = forms.MultipleChoiceField(
                    label=label, choices=choices, widget=forms.CheckboxSelectMultiple
                )
            else:
                field = forms.ChoiceField(
                    label=label, choices=SCALE_CHOICES, widget=forms.RadioSelect
                )
            field.required = question.required
            field.help_text = gettext(question.help_text) if question.help_text else ""
            self.fields[f"q{question.pk}"] = field

    @classmethod
    def initial_from(cls, answers: dict[str, Any]) -> dict[str, Any]:
        return {f"q{key}": value for key, value in answers.items()}

    def answers(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for question in self.questions:
            value = self.cleaned_data.get(f"q{question.pk}")
            if question.kind == Question.Kind.SCALE and value:
                out[str(question.pk)] = int(value)
            elif value not in (None, "", []):
                out[str(question.pk)] = value
        return out
