"""OSDI people, tags and taggings, lists and items, forms and submissions."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from actlocal.api import parsing
from actlocal.api import representations as rep
from actlocal.api.hal import FilterField, apply_filter, get_by_uuid, paginated
from actlocal.api.services import signup_person, submit_form
from actlocal.api.views.base import (
    COLLECTION_PARAMS,
    PAGE_PARAMS,
    RECORD,
    OsdiView,
    body,
    collection_schema,
    errors,
)
from actlocal.common.audit import log_action
from actlocal.people import services as people_services
from actlocal.people.models import Form, ListItem, Person, PersonList, Submission, Tag, Tagging

PERSON_FILTERS = {
    "modified_date": FilterField("date", "modified_at"),
    "created_date": FilterField("date", "created_at"),
    "email": FilterField("email", "email_addresses__address"),
    "email_address": FilterField("email", "email_addresses__address"),
    "identifier": FilterField("identifier", "uuid"),
    "identifiers": FilterField("identifier", "uuid"),
    "given_name": FilterField("text", "given_name"),
    "family_name": FilterField("text", "family_name"),
    "postal_code": FilterField("text", "postal_code"),
}
DATE_FILTERS = {
    "modified_date": FilterField("date", "modified_at"),
    "created_date": FilterField("date", "created_at"),
    "identifier": FilterField("identifier", "uuid"),
    "identifiers": FilterField("identifier", "uuid"),
}
SIGNUP_REQUEST = {
    "type": "object",
    "properties": {
        "person": {"type": "object"},
        "add_tags": {"type": "array", "items": {"type": "string"}},
        "remove_tags": {"type": "array", "items": {"type": "string"}},
    },
    "required": ["person"],
}
LINK_REQUEST = {
    "type": "object",
    "properties": {
        "_links": {
            "type": "object",
            "properties": {
                "osdi:person": {"type": "object", "properties": {"href": {"type": "string"}}}
            },
        }
    },
    "required": ["_links"],
}


def _person_or_404(view: OsdiView, person_id: str) -> Person:
    person = get_by_uuid(view.scope.people(), person_id)
    if not isinstance(person, Person):
        raise Http404
    return person


def _linked_person(view: OsdiView, data: Any) -> Person:
    uuid = parsing.linked_uuid(parsing.body_object(data), "osdi:person", "people")
    person = view.scope.people().filter(uuid=uuid).first()
    if person is None:
        raise ValidationError({"_links.osdi:person.href": _("no person with this id")})
    return person


def _log_read(view: OsdiView, count: int) -> None:
    """Personal data leaving through the API is logged like any export."""
    log_action(
        "people.exported",
        data={"via": "api", "path": view.request.path, "records": count},
    )


class PeopleView(OsdiView):
    @extend_schema(
        operation_id="people_list",
        parameters=COLLECTION_PARAMS,
        responses={200: collection_schema("osdi:people"), **errors(400, 401, 403)},
    )
    def get(self, request: Request) -> Response:
        people = apply_filter(request, self.scope.people(), PERSON_FILTERS)
        # Oldest first by primary key: cheap at 100k rows, and a sync walking the pages
        # never skips anyone when people are added meanwhile. Filters join on unique
        # addresses only, so there are no duplicates and no DISTINCT.
        people = rep.people_with_contacts(people.order_by("id"))
        data = paginated(
            request,
            people,
            name="osdi:people",
            path="people",
            represent=lambda p: rep.person_json(request, p),
        )
        _log_read(self, len(data["_embedded"]["osdi:people"]))
        return Response(data)

    @extend_schema(
        operation_id="person_signup_helper",
        request=body(SIGNUP_REQUEST),
        responses={200: RECORD, 201: RECORD, **errors(400, 401, 403)},
    )
    def post(self, request: Request) -> Response:
        body = parsing.body_object(request.data)
        data = parsing.person_input(body.get("person"))
        add_tags = parsing.string_list(body.get("add_tags"), "add_tags")
        remove_tags = parsing.string_list(body.get("remove_tags"), "remove_tags")
        person, created = signup_person(
            data=data,
            add_tags=add_tags,
            remove_tags=remove_tags,
            organization=self.scope.write_organization,
            source=f"api:{self.scope.key.name}",
        )
        person = rep.people_with_contacts(Person.objects.filter(pk=person.pk)).get()
        return Response(
            rep.person_json(request, person),
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
        )


class PersonView(OsdiView):
    @extend_schema(operation_id="person_detail", responses={200: RECORD, **errors(401, 403, 404)})
    def get(self, request: Request, person_id: str) -> Response:
        person = _person_or_404(self, person_id)
        person = rep.people_with_contacts(Person.objects.filter(pk=person.pk)).get()
        _log_read(self, 1)
        return Response(rep.person_json(request, person))

    @extend_schema(
        operation_id="person_update",
        request=body({"type": "object"}),
        responses={200: RECORD, **errors(400, 401, 403, 404)},
    )
    def put(self, request: Request, person_id: str) -> Response:
        person = _person_or_404(self, person_id)
        data = parsing.person_input(parsing.body_object(request.data), require_email=False)
        fields = dict(data.fields)
        if data.custom_fields:
            fields["custom_fields"] = {**person.custom_fields, **data.custom_fields}
        people_services.update_person(person=person, **fields)
        person = rep.people_with_contacts(Person.objects.filter(pk=person.pk)).get()
        return Response(rep.person_json(request, person))


class PersonTaggingsView(OsdiView):
    @extend_schema(
        operation_id="person_taggings",
        parameters=PAGE_PARAMS,
        responses={200: collection_schema("osdi:taggings"), **errors(401, 403, 404)},
    )
    def get(self, request: Request, person_id: str) -> Response:
        person = _person_or_404(self, person_id)
        taggings = Tagging.objects.filter(person=person).select_related("tag", "person")
        return Response(
            paginated(
                request,
                taggings.order_by("created_at", "id"),
                name="osdi:taggings",
                path=f"people/{person.uuid}/taggings",
                represent=lambda t: rep.tagging_json(request, t),
            )
        )


# --- tags ---------------------------------------------------------------------------


class TagsView(OsdiView):
    @extend_schema(
        operation_id="tags_list",
        parameters=COLLECTION_PARAMS,
        responses={200: collection_schema("osdi:tags"), **errors(400, 401, 403)},
    )
    def get(self, request: Request) -> Response:
        tags = apply_filter(request, Tag.objects.order_by("name", "id"), DATE_FILTERS)
        return Response(
            paginated(
                request,
                tags,
                name="osdi:tags",
                path="tags",
                represent=lambda t: rep.tag_json(request, t),
            )
        )

    @extend_schema(
        operation_id="tag_create",
        request=body(
            {
                "type": "object",
                "properties": {"name": {"type": "string"}},
                "required": ["name"],
            }
        ),
        responses={200: RECORD, 201: RECORD, **errors(400, 401, 403)},
    )
    def post(self, request: Request) -> Response:
        body = parsing.body_object(request.data)
        name = body.get("name")
        if not isinstance(name, str) or not name.strip():
            raise ValidationError({"name": _("a tag needs a name")})
        tag, created = people_services.create_tag(name=name)
        return Response(
            rep.tag_json(request, tag), status=status.HTTP_201_CREATED if created else 200
        )


class TagView(OsdiView):
    @extend_schema(operation_id="tag_detail", responses={200: RECORD, **errors(401, 403, 404)})
    def get(self, request: Request, tag_id: str) -> Response:
        tag = get_by_uuid(Tag.objects.all(), tag_id)
        if tag is None:
            raise Http404
        return Response(rep.tag_json(request, tag))


def _tag_or_404(tag_id: str) -> Tag:
    tag = get_by_uuid(Tag.objects.all(), tag_id)
    if not isinstance(tag, Tag):
        raise Http404
    return tag


class TaggingsView(OsdiView):
    @extend_schema(
        operation_id="taggings_list",
        parameters=COLLECTION_PARAMS,
        responses={200: collection_schema("osdi:taggings"), **errors(400, 401, 403, 404)},
    )
    def get(self, request: Request, tag_id: str) -> Response:
        tag = _tag_or_404(tag_id)
        taggings = Tagging.objects.filter(tag=tag, person__in=self.scope.people())
        taggings = apply_filter(request, taggings, DATE_FILTERS)
        return Response(
            paginated(
                request,
                taggings.select_related("tag", "person").order_by("created_at", "id"),
                name="osdi:taggings",
                path=f"tags/{tag.uuid}/taggings",
                represent=lambda t: rep.tagging_json(request, t),
            )
        )

    @extend_schema(
        operation_id="tagging_create",
        request=body(LINK_REQUEST),
        responses={200: RECORD, 201: RECORD, **errors(400, 401, 403, 404)},
    )
    def post(self, request: Request, tag_id: str) -> Response:
        tag = _tag_or_404(tag_id)
        person = _linked_person(self, request.data)
        made = people_services.tag_person(person=person, tag_names=[tag.name])
        tagging = Tagging.objects.select_related("tag", "person").get(tag=tag, person=person)
        return Response(rep.tagging_json(request, tagging), status=201 if made else 200)


class TaggingView(OsdiView):
    def _tagging(self, tag_id: str, tagging_id: str) -> Tagging:
        tag = _tag_or_404(tag_id)
        queryset = Tagging.objects.filter(tag=tag, person__in=self.scope.people())
        tagging = get_by_uuid(queryset.select_related("tag", "person"), tagging_id)
        if not isinstance(tagging, Tagging):
            raise Http404
        return tagging

    @extend_schema(operation_id="tagging_detail", responses={200: RECORD, **errors(401, 403, 404)})
    def get(self, request: Request, tag_id: str, tagging_id: str) -> Response:
        return Response(rep.tagging_json(request, self._tagging(tag_id, tagging_id)))

    @extend_schema(
        operation_id="tagging_delete",
        responses={200: {"type": "object"}, **errors(401, 403, 404)},
    )
    def delete(self, request: Request, tag_id: str, tagging_id: str) -> Response:
        tagging = self._tagging(tag_id, tagging_id)
        people_services.untag_person(person=tagging.person, tag_names=[tagging.tag.name])
        return Response({"notice": _("This tagging was successfully deleted.")})


# --- lists --------------------------------------------------------------------------


def _lists(view: OsdiView) -> QuerySet[PersonList]:
    lists = PersonList.objects.annotate(item_count=Count("items"))
    if view.scope.network_wide:
        return lists
    return lists.filter(organization_id__in=view.scope.organization_ids)


def _list_or_404(view: OsdiView, list_id: str) -> PersonList:
    found = get_by_uuid(_lists(view), list_id)
    if not isinstance(found, PersonList):
        raise Http404
    return found


class ListsView(OsdiView):
    @extend_schema(
        operation_id="lists_list",
        parameters=COLLECTION_PARAMS,
        responses={200: collection_schema("osdi:lists"), **errors(400, 401, 403)},
    )
    def get(self, request: Request) -> Response:
        lists = apply_filter(request, _lists(self).order_by("name", "id"), DATE_FILTERS)
        return Response(
            paginated(
                request,
                lists,
                name="osdi:lists",
                path="lists",
                represent=lambda x: rep.list_json(request, x),
            )
        )


class ListView(OsdiView):
    @extend_schema(operation_id="list_detail", responses={200: RECORD, **errors(401, 403, 404)})
    def get(self, request: Request, list_id: str) -> Response:
        return Response(rep.list_json(request, _list_or_404(self, list_id)))


class ListItemsView(OsdiView):
    @extend_schema(
        operation_id="list_items",
        parameters=COLLECTION_PARAMS,
        responses={200: collection_schema("osdi:items"), **errors(400, 401, 403, 404)},
    )
    def get(self, request: Request, list_id: str) -> Response:
        person_list = _list_or_404(self, list_id)
        items = apply_filter(request, person_list.items.all(), DATE_FILTERS)
        return Response(
            paginated(
                request,
                items.select_related("person_list", "person").order_by("created_at", "id"),
                name="osdi:items",
                path=f"lists/{person_list.uuid}/items",
                represent=lambda i: rep.item_json(request, i),
            )
        )

    @extend_schema(
        operation_id="list_item_add",
        request=body(LINK_REQUEST),
        responses={200: RECORD, 201: RECORD, **errors(400, 401, 403, 404)},
    )
    def post(self, request: Request, list_id: str) -> Response:
        person_list = _list_or_404(self, list_id)
        person = _linked_person(self, request.data)
        item, created = people_services.add_list_item(person_list=person_list, person=person)
        return Response(rep.item_json(request, item), status=201 if created else 200)


class ListItemView(OsdiView):
    @extend_schema(
        operation_id="list_item_detail", responses={200: RECORD, **errors(401, 403, 404)}
    )
    def get(self, request: Request, list_id: str, item_id: str) -> Response:
        person_list = _list_or_404(self, list_id)
        item = get_by_uuid(person_list.items.select_related("person_list", "person"), item_id)
        if not isinstance(item, ListItem):
            raise Http404
        return Response(rep.item_json(request, item))


# --- forms --------------------------------------------------------------------------


def _forms(view: OsdiView) -> QuerySet[Form]:
    forms = Form.objects.annotate(submission_count=Count("submissions"))
    if view.scope.network_wide:
        return forms
    return forms.filter(organization_id__in=view.scope.organization_ids)


def _form_or_404(view: OsdiView, form_id: str) -> Form:
    found = get_by_uuid(_forms(view), form_id)
    if not isinstance(found, Form):
        raise Http404
    return found


class FormsView(OsdiView):
    @extend_schema(
        operation_id="forms_list",
        parameters=COLLECTION_PARAMS,
        responses={200: collection_schema("osdi:forms"), **errors(400, 401, 403)},
    )
    def get(self, request: Request) -> Response:
        forms = apply_filter(request, _forms(self).order_by("-created_at", "id"), DATE_FILTERS)
        return Response(
            paginated(
                request,
                forms,
                name="osdi:forms",
                path="forms",
                represent=lambda f: rep.form_json(request, f),
            )
        )

    @extend_schema(
        operation_id="form_create",
        request=body(
            {
                "type": "object",
                "properties": {"title": {"type": "string"}},
                "required": ["title"],
            }
        ),
        responses={201: RECORD, **errors(400, 401, 403)},
    )
    def post(self, request: Request) -> Response:
        body = parsing.body_object(request.data)
        title = body.get("title")
        if not isinstance(title, str) or not title.strip():
            raise ValidationError({"title": _("a form needs a title")})
        description = body.get("description") if isinstance(body.get("description"), str) else ""
        form = people_services.create_form(
            title=title.strip()[:200],
            description=description or "",
            organization=self.scope.write_organization,
        )
        form.submission_count = 0  # type: ignore[attr-defined]
        return Response(rep.form_json(request, form), status=201)


class FormView(OsdiView):
    @extend_schema(operation_id="form_detail", responses={200: RECORD, **errors(401, 403, 404)})
    def get(self, request: Request, form_id: str) -> Response:
        return Response(rep.form_json(request, _form_or_404(self, form_id)))


class SubmissionsView(OsdiView):
    @extend_schema(
        operation_id="submissions_list",
        parameters=COLLECTION_PARAMS,
        responses={200: collection_schema("osdi:submissions"), **errors(400, 401, 403, 404)},
    )
    def get(self, request: Request, form_id: str) -> Response:
        form = _form_or_404(self, form_id)
        submissions = apply_filter(request, form.submissions.all(), DATE_FILTERS)
        return Response(
            paginated(
                request,
                submissions.select_related("form", "person").order_by("created_at", "id"),
                name="osdi:submissions",
                path=f"forms/{form.uuid}/submissions",
                represent=lambda s: rep.submission_json(request, s),
            )
        )

    @extend_schema(
        operation_id="record_submission_helper",
        request=body(SIGNUP_REQUEST),
        responses={201: RECORD, **errors(400, 401, 403, 404)},
    )
    def post(self, request: Request, form_id: str) -> Response:
        form = _form_or_404(self, form_id)
        body = parsing.body_object(request.data)
        data = parsing.person_input(body.get("person"))
        add_tags = parsing.string_list(body.get("add_tags"), "add_tags")
        submission = submit_form(
            form=form,
            data=data,
            add_tags=add_tags,
            organization=self.scope.write_organization or form.organization,
            source=f"form:{form.uuid}",
        )
        submission = Submission.objects.select_related("form", "person").get(pk=submission.pk)
        return Response(rep.submission_json(request, submission), status=201)
