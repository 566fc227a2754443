from __future__ import annotations

import factory

from actlocal.followup.models import Question, Recipient, Survey


class SurveyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Survey

    title = factory.Sequence(lambda n: f"Follow-up {n}")
    event = factory.SubFactory("tests.factories.events.EventFactory")
    status = Survey.Status.OPEN


class QuestionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Question

    survey = factory.SubFactory(SurveyFactory)
    position = factory.Sequence(int)
    kind = Question.Kind.TEXT
    prompt = factory.Sequence(lambda n: f"Question {n}?")


class RecipientFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Recipient

    survey = factory.SubFactory(SurveyFactory)
    person = factory.SubFactory("tests.factories.people.PersonFactory")
    event = factory.LazyAttribute(lambda o: o.survey.event)
    token_hash = factory.Sequence(lambda n: Recipient.hash_token(f"survey-token-{n}"))
