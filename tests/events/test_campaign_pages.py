"""Campaign pages: create/edit/archive (staff), branding, shared documents, event defaults."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from actlocal.common.models import AuditEntry
from actlocal.events.branding import contrast_with_white, safe_brand_color
from actlocal.events.models import Campaign, CampaignDocument, Event, EventHost, Session
from actlocal.events.services import campaigns as services
from tests.factories.accounts import PASSWORD, UserFactory
from tests.factories.events import CampaignFactory, EventFactory, EventHostFactory, SessionFactory

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 40
PDF = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"


def _docx() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def staff_client(client, staff_user):
    client.login(email=staff_user.email, password=PASSWORD)
    return client


def _campaign_data(**overrides):
    data = {
        "name": "ActLocal Spring",
        "slug": "",
        "kind": Campaign.Kind.CONVENING,
        "summary": "Convenings in every city",
        "description": "",
        "starts_on": "2027-04-10",
        "ends_on": "2027-04-11",
        "is_public": "on",
        "requires_approval": "on",
        "brand_color": "#7c2d12",
        "default_event_type": Event.Type.CONVENING,
        "default_visibility": Event.Visibility.INVITE_ONLY,
        "default_capacity": "80",
        "default_start_time": "10:00",
        "default_end_time": "15:30",
        "default_timezone": "",
        "default_description": "A day of local leaders.",
        "default_accessibility_status": Event.Accessibility.ACCESSIBLE,
        "default_accessibility_notes": "Step-free entrance.",
        "default_contact_name": "Network staff",
        "default_contact_email": "convenings@example.org",
    }
    data.update(overrides)
    return data


# --- branding rules ------------------------------------------------------------------


def test_contrast_of_white_text_follows_wcag():
    assert round(contrast_with_white("#000000"), 1) == 21.0
    assert round(contrast_with_white("#ffffff"), 1) == 1.0
    assert contrast_with_white("#1d4ed8") > 4.5
    assert safe_brand_color("#fde047") == "#1d4ed8"  # yellow: unreadable, default used
    assert safe_brand_color("#7C2D12") == "#7c2d12"


# --- create / edit -------------------------------------------------------------------


def test_staff_create_campaign_with_slug_from_name_logo_and_audit(staff_client):
    logo = SimpleUploadedFile("logo.png", PNG, content_type="image/png")
    response = staff_client.post("/orga/campaigns/new/", {**_campaign_data(), "logo_file": logo})
    assert response.status_code == 302, response.content.decode()[:2000]
    campaign = Campaign.objects.get(slug="actlocal-spring")
    assert response["Location"] == "/orga/campaigns/actlocal-spring/"
    assert campaign.brand_color == "#7c2d12" and campaign.default_capacity == 80
    assert campaign.logo.name.startswith("campaigns/logos/") and campaign.logo.name.endswith(".png")
    entry = AuditEntry.objects.get(action="campaign.created", object_id=str(campaign.pk))
    assert entry.changes["name"] == "ActLocal Spring"
    logo_response = staff_client.get(f"/campaigns/logo/{campaign.uuid}/")
    assert logo_response["Content-Type"] == "image/png"
    assert b"".join(logo_response.streaming_content) == PNG


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"brand_color": "blue"}, "brand_color", "six hex digits"),
        ({"brand_color": "#fde047"}, "brand_color", "contrast of only 1.3:1"),
        ({"slug": "Not A Slug!"}, "slug", "lower-case letters, digits and hyphens"),
        ({"slug": "new"}, "slug", "already uses"),
        ({"ends_on": "2027-04-01"}, "ends_on", "cannot be before the first day"),
        ({"default_timezone": "Mars/Olympus"}, "default_timezone", "not a known time zone"),
    ],
)
def test_campaign_form_names_the_problem(staff_client, overrides, field, message):
    response = staff_client.post("/orga/campaigns/new/", _campaign_data(**overrides))
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert field in errors and message in " ".join(errors[field])
    assert message in response.content.decode()
    assert not Campaign.objects.exists()


def test_duplicate_slug_is_refused_clearly(staff_client):
    CampaignFactory(slug="actlocal-spring")
    response = staff_client.post("/orga/campaigns/new/", _campaign_data())
    assert "Another campaign already uses the web address" in response.content.decode()
    assert Campaign.objects.count() == 1


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("logo.gif", b"GIF89a" + b"\x00" * 20, "not accepted"),
        ("logo.png", b"<svg xmlns='http://www.w3.org/2000/svg'/>", "contents are not PNG"),
        ("logo.pdf", PDF, "not accepted"),
    ],
)
def test_logo_must_be_a_real_image(staff_client, name, content, message):
    upload = SimpleUploadedFile(name, content)
    response = staff_client.post("/orga/campaigns/new/", {**_campaign_data(), "logo_file": upload})
    assert message in " ".join(response.context["form"].errors["logo_file"])
    assert not Campaign.objects.exists()


def test_oversize_upload_is_refused_before_reading(staff_client, settings):
    settings.ACTLOCAL_MAX_UPLOAD_MB = 1
    big = SimpleUploadedFile("logo.png", PNG + b"\x00" * (1024 * 1024 + 10))
    response = staff_client.post("/orga/campaigns/new/", {**_campaign_data(), "logo_file": big})
    assert response.status_code == 200
    assert "the limit is 1 MB" in response.content.decode()
    assert not Campaign.objects.exists()


def test_edit_campaign_audits_the_diff(staff_client):
    campaign = CampaignFactory(name="Old name", slug="old")
    url = f"/orga/campaigns/{campaign.slug}/edit/"
    assert staff_client.get(url).status_code == 200
    response = staff_client.post(url, _campaign_data(name="New name", slug="old"))
    assert response.status_code == 302
    entry = AuditEntry.objects.get(action="campaign.updated", object_id=str(campaign.pk))
    assert entry.changes["name"] == ["Old name", "New name"]


@pytest.mark.parametrize("who", ["anonymous", "plain", "host"])
def test_campaign_pages_are_staff_only(client, who):
    campaign = CampaignFactory()
    if who != "anonymous":
        user = UserFactory(email=f"{who}@example.org")
        if who == "host":
            EventHostFactory(event=EventFactory(campaign=campaign), user=user)
        client.login(email=user.email, password=PASSWORD)
    for url in (
        "/orga/campaigns/",
        "/orga/campaigns/new/",
        f"/orga/campaigns/{campaign.slug}/edit/",
        f"/orga/campaigns/{campaign.slug}/archive/",
    ):
        response = client.get(url)
        expected = 302 if who == "anonymous" else 403
        assert response.status_code == expected, url
    response = client.post("/orga/campaigns/new/", _campaign_data())
    assert (
        response.status_code in {302, 403}
        and not Campaign.objects.filter(slug="actlocal-spring").exists()
    )


def test_campaign_list_shows_counts_and_archive_hides_from_public(staff_client, client):
    campaign = CampaignFactory(name="Visible", is_public=True, is_open_for_hosting=True)
    EventFactory.create_batch(2, campaign=campaign)
    response = staff_client.get("/orga/campaigns/")
    listed = list(response.context["campaigns"])
    assert [c.event_count for c in listed] == [2]
    assert staff_client.get(f"/campaigns/{campaign.slug}/").status_code == 200
    assert (
        "Visible" in staff_client.get(f"/orga/campaigns/{campaign.slug}/archive/").content.decode()
    )
    response = staff_client.post(f"/orga/campaigns/{campaign.slug}/archive/")
    assert response.status_code == 302
    campaign.refresh_from_db()
    assert campaign.archived_at and not campaign.is_public and not campaign.is_open_for_hosting
    assert Event.objects.filter(campaign=campaign).count() == 2  # data kept
    assert list(staff_client.get("/orga/campaigns/").context["campaigns"]) == []
    assert list(staff_client.get("/orga/campaigns/?archived=1").context["campaigns"]) == [campaign]
    assert AuditEntry.objects.filter(action="campaign.archived").exists()
    staff_client.logout()
    assert client.get(f"/campaigns/{campaign.slug}/").status_code == 404


def test_public_campaign_page_and_event_page_carry_the_branding(client):
    campaign = CampaignFactory(brand_color="#7c2d12", is_public=True)
    services.update_campaign(
        campaign=campaign, by=None, logo=io.BytesIO(PNG), logo_name="l.png", logo_size=len(PNG)
    )
    event = EventFactory(campaign=campaign, title="Denver convening")
    page = client.get(f"/campaigns/{campaign.slug}/").content.decode()
    assert "--brand: #7c2d12" in page and "Denver convening" in page
    assert f"/campaigns/logo/{campaign.uuid}/" in page
    event_page = client.get(f"/events/{event.slug}/").content.decode()
    assert "--brand: #7c2d12" in event_page and 'data-testid="campaign-logo"' in event_page
    # A colour stored before the contrast rule existed never reaches the page.
    Campaign.objects.filter(pk=campaign.pk).update(brand_color="#fde047")
    assert "--brand: #1d4ed8" in client.get(f"/events/{event.slug}/").content.decode()


def test_unlisted_campaign_page_is_404_for_public(client):
    campaign = CampaignFactory(is_public=False)
    assert client.get(f"/campaigns/{campaign.slug}/").status_code == 404


# --- shared documents ----------------------------------------------------------------


def _upload(client, campaign, name, content, title="Host guide"):
    return client.post(
        f"/orga/campaigns/{campaign.slug}/documents/",
        {"title": title, "description": "", "file": SimpleUploadedFile(name, content)},
    )


@pytest.mark.parametrize(
    ("name", "content"),
    [("guide.pdf", PDF), ("guide.docx", _docx()), ("notes.txt", "Señal: ¡hola!\n".encode())],
)
def test_staff_upload_document_and_host_downloads_it(staff_client, client, name, content):
    campaign = CampaignFactory()
    response = _upload(staff_client, campaign, name, content)
    assert response.status_code == 302
    document = CampaignDocument.objects.get()
    assert AuditEntry.objects.filter(action="campaign.document_added").exists()
    staff_client.logout()
    host = UserFactory(email="host@example.org")
    EventHostFactory(event=EventFactory(campaign=campaign), user=host, role=EventHost.Role.CHECKIN)
    client.login(email=host.email, password=PASSWORD)
    listing = client.get(f"/orga/campaigns/{campaign.slug}/documents/")
    assert listing.status_code == 200 and "Host guide" in listing.content.decode()
    assert "Share a document" not in listing.content.decode()
    response = client.get(f"/orga/campaigns/{campaign.slug}/documents/{document.uuid}/")
    assert response.status_code == 200
    extension = name.rsplit(".", 1)[1]
    assert response["Content-Disposition"] == f'attachment; filename="host-guide.{extension}"'
    assert b"".join(response.streaming_content) == content
    assert "private" in response["Cache-Control"]
    # Hosts read; they do not upload.
    assert _upload(client, campaign, "x.pdf", PDF).status_code == 403


@pytest.mark.parametrize("who", ["anonymous", "plain", "other_host"])
def test_documents_are_404_for_everyone_else(client, staff_user, who):
    campaign = CampaignFactory()
    document = services.add_document(
        campaign=campaign,
        by=staff_user,
        title="Plan",
        stream=io.BytesIO(PDF),
        name="p.pdf",
        size=len(PDF),
    )
    if who != "anonymous":
        user = UserFactory(email=f"{who}@example.org")
        if who == "other_host":
            EventHostFactory(event=EventFactory(campaign=CampaignFactory()), user=user)
        client.login(email=user.email, password=PASSWORD)
    base = f"/orga/campaigns/{campaign.slug}/documents/"
    assert client.get(base).status_code == 404
    assert client.get(f"{base}{document.uuid}/").status_code == 404
    assert client.get(f"/media/{document.file.name}").status_code == 404


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("tool.exe", b"MZ\x90\x00", "not accepted"),
        ("guide.pdf", b"MZ\x90\x00 not a pdf", "contents are not PDF"),
        ("sheet.xlsx", _docx(), "contents are not XLSX"),
        ("empty.txt", b"", "empty"),
    ],
)
def test_wrong_document_type_is_refused(staff_client, name, content, message):
    campaign = CampaignFactory()
    response = _upload(staff_client, campaign, name, content)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not CampaignDocument.objects.exists()


def test_oversize_document_is_refused(staff_client, settings):
    settings.ACTLOCAL_MAX_UPLOAD_MB = 1
    campaign = CampaignFactory()
    response = _upload(staff_client, campaign, "big.pdf", PDF + b"0" * (1024 * 1024))
    assert "the limit is 1 MB" in response.content.decode()
    assert not CampaignDocument.objects.exists()


def test_delete_document_asks_first_then_removes_file(
    staff_client, staff_user, django_capture_on_commit_callbacks
):
    campaign = CampaignFactory()
    document = services.add_document(
        campaign=campaign,
        by=staff_user,
        title="Plan",
        stream=io.BytesIO(PDF),
        name="p.pdf",
        size=len(PDF),
    )
    path = Path(document.file.path)
    assert path.read_bytes() == PDF
    url = f"/orga/campaigns/{campaign.slug}/documents/{document.uuid}/delete/"
    assert "Delete “Plan”?" in staff_client.get(url).content.decode()
    assert CampaignDocument.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(url)
    assert response.status_code == 302 and not CampaignDocument.objects.exists()
    assert AuditEntry.objects.filter(action="campaign.document_deleted").exists()
    assert not path.exists()
    host = UserFactory(email="h@example.org")
    EventHostFactory(event=EventFactory(campaign=campaign), user=host)
    staff_client.logout()
    staff_client.login(email=host.email, password=PASSWORD)
    assert staff_client.get(url).status_code == 403


# --- new city events from the defaults ---------------------------------------------


def test_new_event_form_is_prefilled_from_campaign_defaults(staff_client):
    campaign = CampaignFactory(
        starts_on=dt.date(2027, 4, 10),
        default_event_type=Event.Type.TRAINING,
        default_visibility=Event.Visibility.PUBLIC,
        default_capacity=60,
        default_start_time=dt.time(9, 30),
        default_end_time=dt.time(16, 0),
        default_description="Bring your questions.",
        default_accessibility_status=Event.Accessibility.ACCESSIBLE,
        default_contact_email="team@example.org",
    )
    form = staff_client.get(f"/orga/campaigns/{campaign.slug}/events/new/").context["form"]
    initial = form.initial
    assert initial["event_type"] == Event.Type.TRAINING
    assert initial["visibility"] == Event.Visibility.PUBLIC
    assert initial["capacity"] == 60
    assert initial["starts_at"] == dt.datetime(2027, 4, 10, 9, 30)
    assert initial["ends_at"] == dt.datetime(2027, 4, 10, 16, 0)
    assert initial["description"] == "Bring your questions."
    assert initial["contact_email"] == "team@example.org"
    assert initial["timezone"] == ""


def test_new_event_takes_zip_time_zone_and_copies_agenda_shifted(staff_client):
    campaign = CampaignFactory(starts_on=dt.date(2027, 4, 10))
    eastern = ZoneInfo("America/New_York")
    template = EventFactory(
        campaign=campaign,
        timezone="America/New_York",
        starts_at=dt.datetime(2027, 3, 6, 9, 0, tzinfo=eastern),
        ends_at=dt.datetime(2027, 3, 6, 17, 0, tzinfo=eastern),
    )
    SessionFactory(
        event=template,
        title="Welcome",
        starts_at=dt.datetime(2027, 3, 6, 10, 0, tzinfo=eastern),
        ends_at=dt.datetime(2027, 3, 6, 11, 0, tzinfo=eastern),
    )
    campaign.template_event = template
    campaign.save()
    data = {
        "title": "Denver convening",
        "event_type": Event.Type.CONVENING,
        "visibility": Event.Visibility.INVITE_ONLY,
        "status": Event.Status.DRAFT,
        "city": "Denver",
        "state": "CO",
        "zip_code": "80202",
        "starts_at": "2027-04-10T09:00",
        "ends_at": "2027-04-10T17:00",
        "timezone": "",
        "max_guests": "0",
        "accessibility_status": Event.Accessibility.UNKNOWN,
        "copy_agenda": "1",
    }
    response = staff_client.post(f"/orga/campaigns/{campaign.slug}/events/new/", data)
    assert response.status_code == 302, response.context["form"].errors
    event = Event.objects.get(title="Denver convening")
    mountain = ZoneInfo("America/Denver")
    assert event.timezone == "America/Denver"
    assert event.starts_at == dt.datetime(2027, 4, 10, 9, 0, tzinfo=mountain)
    session = Session.objects.get(event=event)
    # 10:00 local on the template's day -> 10:00 local on the new event's day.
    assert session.starts_at == dt.datetime(2027, 4, 10, 10, 0, tzinfo=mountain)
    assert session.title == "Welcome"
    assert AuditEntry.objects.filter(action="event.agenda_copied", object_id=str(event.pk)).exists()
    # Without the box ticked, no agenda is copied.
    data.update(title="Austin convening", zip_code="78701", copy_agenda="")
    staff_client.post(f"/orga/campaigns/{campaign.slug}/events/new/", data)
    austin = Event.objects.get(title="Austin convening")
    assert austin.timezone == "America/Chicago" and not austin.sessions.exists()


def test_template_event_must_belong_to_the_campaign(staff_user):
    campaign = CampaignFactory()
    other = EventFactory(campaign=CampaignFactory())
    with pytest.raises(services.CampaignError):
        services.update_campaign(campaign=campaign, by=staff_user, template_event=other)


def test_demo_sets_campaign_defaults_and_one_shared_pdf_idempotently():
    from actlocal.events import demo

    demo.load(None)
    demo.load(None)
    campaign = Campaign.objects.get(slug="actlocal-november")
    assert campaign.default_start_time == dt.time(9, 30) and campaign.default_capacity == 100
    assert campaign.template_event is not None and campaign.template_event.sessions.exists()
    (document,) = campaign.documents.all()
    assert document.content_type == "application/pdf" and document.filename == (
        "host-committee-guide.pdf"
    )
    assert document.file.open("rb").read(5) == b"%PDF-"


def test_campaign_list_query_count_does_not_grow_with_campaigns(
    staff_client, django_assert_max_num_queries
):
    for _ in range(8):
        campaign = CampaignFactory()
        EventFactory.create_batch(2, campaign=campaign)
    with django_assert_max_num_queries(8):
        response = staff_client.get("/orga/campaigns/")
    assert len(response.context["campaigns"]) == 8


def test_archived_campaign_leaves_public_lists_and_host_page(client, staff_user):
    from actlocal.local import selectors as local_selectors

    campaign = CampaignFactory(is_public=True, is_open_for_hosting=True)
    EventFactory(campaign=campaign)
    assert campaign in local_selectors.open_campaigns()
    assert campaign in local_selectors.public_campaigns()
    services.archive_campaign(campaign=campaign, by=staff_user)
    assert campaign not in local_selectors.open_campaigns()
    assert campaign not in local_selectors.public_campaigns()
    assert campaign.name not in client.get(f"/campaigns/{campaign.slug}/host/").content.decode()
    services.unarchive_campaign(campaign=campaign, by=staff_user)
    campaign.refresh_from_db()
    assert campaign.archived_at is None and not campaign.is_public


def test_replace_and_remove_logo(staff_client, django_capture_on_commit_callbacks):
    campaign = CampaignFactory(slug="logo-test")
    services.update_campaign(
        campaign=campaign, by=None, logo=io.BytesIO(PNG), logo_name="a.png", logo_size=len(PNG)
    )
    campaign.refresh_from_db()
    first = Path(campaign.logo.path)
    assert first.exists()
    url = "/orga/campaigns/logo-test/edit/"
    data = _campaign_data(name="Logo test", slug="logo-test")
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(url, {**data, "remove_logo": "on"})
    assert response.status_code == 302
    campaign.refresh_from_db()
    assert not campaign.logo and not first.exists()
    assert staff_client.get(f"/campaigns/logo/{campaign.uuid}/").status_code == 404


def test_event_pages_link_hosts_to_the_campaign_documents(client):
    event = EventFactory(campaign=CampaignFactory(slug="docs-link"))
    host = UserFactory(email="navhost@example.org")
    EventHostFactory(event=event, user=host)
    client.login(email=host.email, password=PASSWORD)
    page = client.get(f"/orga/events/{event.slug}/agenda/").content.decode()
    assert "/orga/campaigns/docs-link/documents/" in page


def test_host_page_of_a_campaign_carries_its_colour(client):
    campaign = CampaignFactory(
        slug="hov", brand_color="#14532d", is_public=True, is_open_for_hosting=True
    )
    page = client.get(f"/campaigns/{campaign.slug}/host/").content.decode()
    assert "--brand: #14532d" in page
