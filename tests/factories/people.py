from __future__ import annotations

import factory

from actlocal.people.models import EmailAddress, Person


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    given_name = factory.Faker("first_name")
    family_name = factory.Faker("last_name")
    postal_code = "20009"
    locality = "Washington"
    region = "DC"

    email = factory.RelatedFactory(
        "tests.factories.people.EmailAddressFactory", factory_related_name="person"
    )


class EmailAddressFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EmailAddress

    address = factory.Sequence(lambda n: f"person{n}@example.net")
    primary = True


class TagFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "people.Tag"

    name = factory.Sequence(lambda n: f"tag {n}")


class PersonListFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "people.PersonList"

    name = factory.Sequence(lambda n: f"List {n}")


class FormFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "people.Form"

    title = factory.Sequence(lambda n: f"Sign up {n}")


class PhoneNumberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "people.PhoneNumber"

    number = factory.Sequence(lambda n: f"202555{n:04d}")
