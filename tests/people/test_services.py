from __future__ import annotations

import pytest

from actlocal.common.models import AuditEntry
from actlocal.people import services
from actlocal.people.models import Membership, Submission
from tests.factories.network import OrganizationFactory
from tests.factories.people import FormFactory, PersonFactory, PersonListFactory

pytestmark = pytest.mark.django_db


def test_add_membership_is_idempotent_and_audited() -> None:
    person, org = PersonFactory(), OrganizationFactory()
    assert services.add_membership(person=person, organization=org, source="api") is True
    assert services.add_membership(person=person, organization=org) is False
    assert Membership.objects.count() == 1
    assert AuditEntry.objects.filter(action="person.joined_organization").count() == 1


def test_record_submission_counts_each_answer() -> None:
    form, person = FormFactory(), PersonFactory()
    services.record_submission(form=form, person=person)
    services.record_submission(form=form, person=person)
    assert Submission.objects.filter(form=form).count() == 2
    assert AuditEntry.objects.filter(action="submission.created").count() == 2


def test_add_list_item_once() -> None:
    person_list, person = PersonListFactory(), PersonFactory()
    _item, created = services.add_list_item(person_list=person_list, person=person)
    _again, created_again = services.add_list_item(person_list=person_list, person=person)
    assert created and not created_again


def test_create_tag_trims_and_refuses_empty_name() -> None:
    tag, created = services.create_tag(name="  canvasser ")
    assert tag.name == "canvasser" and created
    assert services.create_tag(name="canvasser") == (tag, False)
    with pytest.raises(ValueError, match="name"):
        services.create_tag(name="   ")
