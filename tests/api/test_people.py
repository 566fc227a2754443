"""People, tags, lists and forms against Action Network v2's documented shapes.

Expected keys are written by hand from Action Network's public API docs (people,
person signup helper, tags, taggings, lists, items, forms, submissions), not
copied from our output.
"""

from __future__ import annotations

import re
from typing import Any

import pytest

from actlocal.common.models import AuditEntry
from actlocal.people.models import Membership, Person, Tagging
from tests.api.conftest import OsdiClient
from tests.factories.people import (
    EmailAddressFactory,
    FormFactory,
    PersonFactory,
    PersonListFactory,
    PhoneNumberFactory,
    TagFactory,
)

pytestmark = pytest.mark.django_db

# Action Network: "Collections ... total_pages, per_page, page, total_records, _links, _embedded".
COLLECTION_KEYS = {"total_pages", "per_page", "page", "total_records", "_links", "_embedded"}
# Action Network person resource fields.
PERSON_KEYS = {
    "identifiers",
    "created_date",
    "modified_date",
    "given_name",
    "family_name",
    "email_addresses",
    "phone_numbers",
    "postal_addresses",
    "languages_spoken",
    "custom_fields",
    "_links",
}
ISO_UTC = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")


def signup(client: OsdiClient, email: str, **person: Any) -> Any:
    body: dict[str, Any] = {"person": {"email_addresses": [{"address": email}], **person}}
    return client.post("/api/v2/people", body)


def test_people_collection_has_action_network_shape(staff_api: OsdiClient) -> None:
    person = PersonFactory(given_name="Ana", family_name="Ruiz")
    PhoneNumberFactory(person=person, number="2025550101")
    data = staff_api.get("/api/v2/people").json()
    assert set(data) >= COLLECTION_KEYS
    assert data["page"] == 1 and data["per_page"] == 25 and data["total_records"] == 1
    assert data["total_pages"] == 1
    assert data["_links"]["self"]["href"].startswith("http://testserver/api/v2/people?")
    [entry] = data["_embedded"]["osdi:people"]
    assert set(entry) >= PERSON_KEYS
    assert f"actlocal:{person.uuid}" in entry["identifiers"]
    assert f"action_network:{person.uuid}" in entry["identifiers"]
    assert entry["email_addresses"][0] == {
        "primary": True,
        "address": person.primary_email,
        "status": "subscribed",
    }
    assert entry["phone_numbers"][0]["number"] == "2025550101"
    address = entry["postal_addresses"][0]
    assert address["postal_code"] == "20009" and address["locality"] == "Washington"
    assert set(address["location"]) >= {"latitude", "longitude", "accuracy"}
    assert ISO_UTC.match(entry["created_date"]) and ISO_UTC.match(entry["modified_date"])
    assert entry["_links"]["self"]["href"] == f"http://testserver/api/v2/people/{person.uuid}"


def test_people_page_past_the_end_is_200_with_empty_list_keeping_the_key(
    staff_api: OsdiClient,
) -> None:
    PersonFactory()
    response = staff_api.get("/api/v2/people", page=9)
    assert response.status_code == 200
    data = response.json()
    assert data["_embedded"] == {"osdi:people": []}
    assert data["page"] == 9 and data["total_records"] == 1
    assert "next" not in data["_links"]


def test_per_page_is_capped_at_25_and_links_are_absolute(staff_api: OsdiClient) -> None:
    for _ in range(30):
        PersonFactory()
    data = staff_api.get("/api/v2/people", per_page=100).json()
    assert data["per_page"] == 25 and len(data["_embedded"]["osdi:people"]) == 25
    assert data["total_pages"] == 2
    assert data["_links"]["next"]["href"].startswith("http://testserver/api/v2/people?")
    assert "page=2" in data["_links"]["next"]["href"]
    second = staff_api.get("/api/v2/people", page=2).json()
    assert len(second["_embedded"]["osdi:people"]) == 5
    assert "page=1" in second["_links"]["previous"]["href"]


def test_people_filter_by_modified_date_email_and_identifier(staff_api: OsdiClient) -> None:
    old = PersonFactory()
    Person.objects.filter(pk=old.pk).update(modified_at="2020-01-01T12:00:00Z")
    new = PersonFactory()

    def ids(flt: str) -> set[str]:
        data = staff_api.get("/api/v2/people", filter=flt).json()
        return {p["identifiers"][0] for p in data["_embedded"]["osdi:people"]}

    assert ids("modified_date gt '2020-01-01'") == {new.identifier}
    assert ids("modified_date lt '2020-01-02'") == {old.identifier}
    assert ids("modified_date eq '2020-01-01'") == {old.identifier}
    assert ids(f"email eq '{new.primary_email.upper()}'") == {new.identifier}
    assert ids(f"identifier eq 'action_network:{old.uuid}'") == {old.identifier}


def test_bad_filter_answers_400_naming_the_problem(staff_api: OsdiClient) -> None:
    response = staff_api.get("/api/v2/people", filter="modified_date gt 'yesterday'")
    assert response.status_code == 400
    assert "not a date" in response.json()["error"]
    response = staff_api.get("/api/v2/people", filter="shoe_size eq '9'")
    assert response.status_code == 400 and "shoe_size" in response.json()["error"]


def test_signup_helper_creates_person_with_equal_created_and_modified_dates(
    staff_api: OsdiClient,
) -> None:
    response = signup(
        staff_api,
        "Maya@Example.org",
        given_name="Maya",
        family_name="Lin",
        postal_addresses=[{"postal_code": "20009", "address_lines": ["1 Logan Circle"]}],
        languages_spoken=["en", "es"],
        custom_fields={},
    )
    assert response.status_code == 201
    assert response["Content-Type"].startswith("application/hal+json")
    data = response.json()
    assert set(data) >= PERSON_KEYS
    assert data["created_date"] == data["modified_date"]
    assert data["given_name"] == "Maya"
    assert data["email_addresses"][0]["address"] == "maya@example.org"
    assert data["postal_addresses"][0]["address_lines"] == ["1 Logan Circle"]
    assert data["postal_addresses"][0]["location"]["latitude"] is not None
    assert data["languages_spoken"] == ["en", "es"]
    assert any(i.startswith("action_network:") for i in data["identifiers"])


def test_signup_helper_upserts_by_email_and_updates_only_given_fields(
    staff_api: OsdiClient,
) -> None:
    person = PersonFactory(given_name="Sam", family_name="Old", custom_fields={"shirt": "M"})
    email = person.primary_email
    response = signup(staff_api, email.upper(), family_name="New", custom_fields={"team": "A"})
    assert response.status_code == 200
    data = response.json()
    assert data["identifiers"][0] == person.identifier
    assert data["given_name"] == "Sam" and data["family_name"] == "New"
    assert data["custom_fields"] == {"shirt": "M", "team": "A"}
    assert Person.objects.count() == 1
    assert AuditEntry.objects.filter(action="person.updated").count() == 1


def test_signup_helper_adds_and_removes_tags(staff_api: OsdiClient) -> None:
    person = PersonFactory()
    TagFactory(name="volunteer")
    Tagging.objects.create(tag=TagFactory(name="prospect"), person=person)
    body = {
        "person": {"email_addresses": [{"address": person.primary_email}]},
        "add_tags": ["volunteer", "host"],
        "remove_tags": ["prospect"],
    }
    assert staff_api.post("/api/v2/people", body).status_code == 200
    assert set(person.tags.values_list("name", flat=True)) == {"volunteer", "host"}


def test_signup_helper_accepts_hal_json_and_trailing_slash_without_redirect(
    staff_api: OsdiClient,
) -> None:
    response = staff_api.post(
        "/api/v2/people/",
        {"person": {"email_addresses": [{"address": "slash@example.org"}]}},
        content_type="application/hal+json",
    )
    assert response.status_code == 201


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"person": {"given_name": "No email"}}, "email_addresses"),
        ({"person": {"email_addresses": [{"address": "not-an-email"}]}}, "email_addresses"),
        (
            {"person": {"email_addresses": [{"address": "a@b.org"}], "custom_fields": []}},
            "custom_fields",
        ),
        ({"person": "text"}, "person"),
        (["a list"], "body"),
    ],
)
def test_signup_helper_bad_input_answers_400_and_writes_nothing(
    staff_api: OsdiClient, body: Any, field: str
) -> None:
    response = staff_api.post("/api/v2/people", body)
    assert response.status_code == 400
    assert field in response.json()["error"]
    assert not Person.objects.exists()


def test_invalid_json_answers_400(staff_api: OsdiClient) -> None:
    response = staff_api.client.post(
        "/api/v2/people",
        "{not json",
        content_type="application/json",
        HTTP_OSDI_API_TOKEN=staff_api.token,
    )
    assert response.status_code == 400
    assert "error" in response.json()


def test_person_detail_and_update(staff_api: OsdiClient) -> None:
    person = PersonFactory(given_name="Lee")
    url = f"/api/v2/people/{person.uuid}"
    assert staff_api.get(url).json()["given_name"] == "Lee"
    updated = staff_api.put(url, {"given_name": "Leigh"}).json()
    assert updated["given_name"] == "Leigh"
    assert staff_api.get("/api/v2/people/not-a-uuid").status_code == 404


def test_tags_taggings_shapes_and_tagging_by_person_href(staff_api: OsdiClient) -> None:
    person = PersonFactory()
    created = staff_api.post("/api/v2/tags", {"name": "Canvasser"})
    assert created.status_code == 201
    tag = created.json()
    assert set(tag) >= {"identifiers", "name", "created_date", "modified_date", "_links"}
    tag_id = tag["identifiers"][0].split(":", 1)[1]
    tags = staff_api.get("/api/v2/tags").json()
    assert tags["_embedded"]["osdi:tags"][0]["name"] == "Canvasser"
    person_href = f"http://testserver/api/v2/people/{person.uuid}"
    tagging = staff_api.post(
        f"/api/v2/tags/{tag_id}/taggings", {"_links": {"osdi:person": {"href": person_href}}}
    )
    assert tagging.status_code == 201
    body = tagging.json()
    assert body["_links"]["osdi:person"]["href"] == person_href
    assert body["_links"]["osdi:tag"]["href"].endswith(f"/tags/{tag_id}")
    listing = staff_api.get(f"/api/v2/tags/{tag_id}/taggings").json()
    assert listing["total_records"] == 1
    assert set(listing["_embedded"]) == {"osdi:taggings"}
    tagging_self = body["_links"]["self"]["href"].replace("http://testserver", "")
    assert staff_api.delete(tagging_self).status_code == 200
    assert not person.tags.exists()


def test_tagging_with_unknown_person_href_answers_400(staff_api: OsdiClient) -> None:
    tag = TagFactory()
    response = staff_api.post(
        f"/api/v2/tags/{tag.uuid}/taggings",
        {
            "_links": {
                "osdi:person": {
                    "href": "http://x/api/v2/people/0d9c0c9e-0000-4000-8000-000000000000"
                }
            }
        },
    )
    assert response.status_code == 400
    assert "osdi:person" in response.json()["error"]


def test_lists_and_items_with_list_item_add(staff_api: OsdiClient) -> None:
    person_list = PersonListFactory(name="Precinct captains")
    person = PersonFactory()
    lists = staff_api.get("/api/v2/lists").json()
    [entry] = lists["_embedded"]["osdi:lists"]
    assert entry["title"] == "Precinct captains" and entry["total_items"] == 0
    href = f"http://testserver/api/v2/people/{person.uuid}"
    added = staff_api.post(
        f"/api/v2/lists/{person_list.uuid}/items", {"_links": {"osdi:person": {"href": href}}}
    )
    assert added.status_code == 201
    assert added.json()["item_type"] == "osdi:person"
    items = staff_api.get(f"/api/v2/lists/{person_list.uuid}/items").json()
    assert items["_embedded"]["osdi:items"][0]["_links"]["osdi:person"]["href"] == href


def test_forms_and_record_submission_helper(staff_api: OsdiClient) -> None:
    form = FormFactory(title="Join the huddle")
    forms = staff_api.get("/api/v2/forms").json()
    assert forms["_embedded"]["osdi:forms"][0]["title"] == "Join the huddle"
    response = staff_api.post(
        f"/api/v2/forms/{form.uuid}/submissions",
        {"person": {"email_addresses": [{"address": "formfill@example.org"}]}},
    )
    assert response.status_code == 201
    submission = response.json()
    assert set(submission) >= {"identifiers", "created_date", "_links"}
    person_href = submission["_links"]["osdi:person"]["href"]
    assert Person.objects.get(uuid=person_href.rsplit("/", 1)[1])
    listing = staff_api.get(f"/api/v2/forms/{form.uuid}/submissions").json()
    assert listing["total_records"] == 1
    assert AuditEntry.objects.filter(action="submission.created").exists()


def test_created_form_appears_in_collection(staff_api: OsdiClient) -> None:
    response = staff_api.post("/api/v2/forms", {"title": "Pledge"})
    assert response.status_code == 201
    assert staff_api.post("/api/v2/forms", {"title": ""}).status_code == 400


# --- scope ---------------------------------------------------------------------------


def test_partner_key_sees_only_its_organizations_people(
    partner: Any, partner_api: OsdiClient
) -> None:
    outsider = PersonFactory()
    member = PersonFactory()
    Membership.objects.create(person=member, organization=partner.organization)
    data = partner_api.get("/api/v2/people").json()
    assert [p["identifiers"][0] for p in data["_embedded"]["osdi:people"]] == [member.identifier]
    assert partner_api.get(f"/api/v2/people/{outsider.uuid}").status_code == 404


def test_partner_signup_enrolls_person_in_partner_organization(
    partner: Any, partner_api: OsdiClient
) -> None:
    response = signup(partner_api, "newmember@example.org")
    assert response.status_code == 201
    person = Person.objects.get(email_addresses__address="newmember@example.org")
    assert Membership.objects.filter(person=person, organization=partner.organization).exists()
    assert partner_api.get(f"/api/v2/people/{person.uuid}").status_code == 200


def test_people_page_of_25_uses_constant_queries(
    staff_api: OsdiClient, django_assert_max_num_queries: Any
) -> None:
    for _ in range(30):
        person = PersonFactory()
        EmailAddressFactory(person=person, primary=False)
        PhoneNumberFactory(person=person)
        PhoneNumberFactory(person=person, primary=False)
    with django_assert_max_num_queries(9):
        data = staff_api.get("/api/v2/people").json()
    assert len(data["_embedded"]["osdi:people"]) == 25
    assert all(len(p["email_addresses"]) == 2 for p in data["_embedded"]["osdi:people"])
    assert all(len(p["phone_numbers"]) == 2 for p in data["_embedded"]["osdi:people"])


def test_nul_characters_answer_400_not_500(staff_api: OsdiClient) -> None:
    # Found by schemathesis on PostgreSQL, which cannot store NUL in text.
    assert staff_api.post("/api/v2/tags", {"name": "a\x00b"}).status_code == 400
    response = staff_api.get("/api/v2/people", filter="email eq 'a\x00b'")
    assert response.status_code == 400
