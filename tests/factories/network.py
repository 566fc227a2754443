from __future__ import annotations

import factory

from actlocal.network.models import Organization, OrganizationAdmin, Relationship


class OrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organization

    name = factory.Sequence(lambda n: f"Community Group {n}")
    slug = factory.Sequence(lambda n: f"community-group-{n}")
    kind = Organization.Kind.GRASSROOTS
    city = "Washington"
    state = "DC"
    zip_code = "20009"
    latitude = 38.9193
    longitude = -77.0374


class OrganizationAdminFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OrganizationAdmin

    organization = factory.SubFactory(OrganizationFactory)
    user = factory.SubFactory("tests.factories.accounts.UserFactory")


class RelationshipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Relationship

    source = factory.SubFactory(OrganizationFactory)
    target = factory.SubFactory(OrganizationFactory)
    kind = Relationship.Kind.COALITION_WITH
