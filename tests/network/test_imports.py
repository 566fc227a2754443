"""Importing partners' spreadsheets: matching across sources, bad input, undo."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from openpyxl import Workbook

from actlocal.common.models import AuditEntry
from actlocal.network.models import DuplicateCandidate, ImportRun, Organization
from actlocal.network.services import imports
from actlocal.network.tabular import UnreadableFile
from tests.factories.people import PersonListFactory

pytestmark = pytest.mark.django_db

PARTNER_A = (
    "Chapter ID,Name,City,State,ZIP,Website,Email\n"
    "1001,Indivisible SF,San Francisco,CA,94110,indivisiblesf.org,hello@indivisiblesf.org\n"
    "1002,Indivisible Oakland,Oakland,CA,94612,,\n"
    "1003,Sunrise Movement Denver,Denver,CO,80202,,\n"
    "1004,Mothers for Safe Schools,Houston,TX,77002,safeschoolshtx.org,\n"
)
PARTNER_B = (
    "Org ID,Organization,City,State,Zip\n"
    "X1,Indivisible San Francisco Chapter,San Francisco,CA,94110\n"
    'X2,"Indivisible Oakland, Inc.",Oakland,CA,94612\n'
    "X3,Sunrise Movement Denver Hub,Denver,CO,80205\n"
    "X4,Mothers for Safe Schools Houston,Houston,TX,77002\n"
)


def write(tmp_path: Path, name: str, data: str | bytes, encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(data if isinstance(data, bytes) else data.encode(encoding))
    return path


def import_file(path: Path, source: str, **kwargs: Any) -> ImportRun:
    run = imports.create_run(path=path, filename=path.name, source=source)
    imports.configure_run(
        run=run, mapping=kwargs.get("mapping", run.mapping), dry_run=kwargs.get("dry_run", False)
    )
    return imports.run_import(run=run)


def live() -> Any:
    return Organization.objects.filter(merged_into__isnull=True)


def by_identifier(identifier: str) -> Organization:
    (org,) = [o for o in live() if identifier in o.source_identifiers]
    return org


def test_two_partner_files_with_different_spellings_give_one_player_per_chapter(
    tmp_path: Path,
) -> None:
    import_file(write(tmp_path, "a.csv", PARTNER_A), "Partner A")
    run = import_file(write(tmp_path, "b.csv", PARTNER_B), "Partner B")

    sf = by_identifier("partner_a:1001")
    assert "partner_b:X1" in sf.source_identifiers
    assert "Indivisible San Francisco Chapter" in sf.aliases
    oakland = by_identifier("partner_a:1002")
    assert "partner_b:X2" in oakland.source_identifiers
    # different ZIP and a looser name: uncertain, so it waits for review instead of merging
    assert run.merged_count >= 2
    assert DuplicateCandidate.objects.filter(status="pending").exists()
    pending = DuplicateCandidate.objects.get(left__name__startswith="Sunrise")
    assert {pending.left.name, pending.right.name} == {
        "Sunrise Movement Denver",
        "Sunrise Movement Denver Hub",
    }
    assert live().count() == 6
    assert sf.provenance["name"]["source"] == "partner_a"


def test_import_keeps_source_ids_as_text_and_falls_back_to_row_number(tmp_path: Path) -> None:
    wb = Workbook()
    sheet = wb.active
    sheet.append(["ID", "Name", "ZIP"])
    sheet.append([1001.0, "Casa de la Comunidad", 20009])
    path = tmp_path / "chapters.xlsx"
    wb.save(path)
    import_file(path, "Big Partner")
    org = live().get()
    assert org.source_identifiers == ["big_partner:1001"]
    assert org.zip_code == "20009" and org.state == "DC" and org.latitude

    import_file(write(tmp_path, "noid.csv", "Name,City,State\nVoces Unidas,Phoenix,AZ\n"), "No Ids")
    assert live().get(name="Voces Unidas").source_identifiers == ["no_ids:2"]


def test_importing_the_same_file_twice_updates_instead_of_duplicating(tmp_path: Path) -> None:
    path = write(tmp_path, "a.csv", PARTNER_A)
    import_file(path, "Partner A")
    again = import_file(path, "Partner A")
    assert again.updated_count == 4 and again.created_count == 0
    assert live().count() == 4


def test_utf8_bom_and_windows_1252_are_read(tmp_path: Path) -> None:
    bom = write(tmp_path, "bom.csv", "\ufeffName,City,State\nCasa Ñandú,Miami,FL\n")
    cp = write(tmp_path, "cp.csv", "Name;City;State\nCafé Solidaridad;Chicago;IL\n", "cp1252")
    import_file(bom, "bom")
    import_file(cp, "win")
    assert set(live().values_list("name", flat=True)) == {"Casa Ñandú", "Café Solidaridad"}


def test_missing_required_column_is_refused_and_nothing_is_stored(tmp_path: Path) -> None:
    path = write(tmp_path, "x.csv", "City,State\nDenver,CO\n")
    run = imports.create_run(path=path, filename="x.csv", source="x")
    with pytest.raises(imports.NetworkError, match="name"):
        imports.configure_run(run=run, mapping=run.mapping, dry_run=False)
    assert not Organization.objects.exists()


def test_bad_zip_row_is_kept_and_flagged_while_bad_rows_do_not_stop_good_ones(
    tmp_path: Path,
) -> None:
    data = "Name,ZIP,City,State\nGood Group,20009,,\n,20009,,\nOdd Zip Group,00000,Denver,CO\n"
    run = import_file(write(tmp_path, "z.csv", data), "z")
    assert run.created_count == 2 and run.rejected_count == 1 and run.flagged_count == 1
    odd = live().get(name="Odd Zip Group")
    assert odd.location_flag == "unknown_zip" and odd.latitude  # city centroid fallback
    assert {
        "row": 3,
        "field": "name",
        "problem": "The name is empty.",
        "level": "error",
    } in run.problems


def test_duplicated_header_is_refused_with_the_column_named(tmp_path: Path) -> None:
    path = write(tmp_path, "d.csv", "Name,City,name\nA,B,C\n")
    with pytest.raises(UnreadableFile, match='"name" appears twice'):
        imports.create_run(path=path, filename="d.csv", source="d")
    assert not ImportRun.objects.exists()


def test_empty_file_is_refused(tmp_path: Path) -> None:
    with pytest.raises(UnreadableFile, match="empty"):
        imports.create_run(path=write(tmp_path, "e.csv", b""), filename="e.csv", source="e")


def test_oversized_file_is_refused_before_reading(tmp_path: Path, settings: Any) -> None:
    settings.ACTLOCAL_MAX_UPLOAD_MB = 1
    path = tmp_path / "big.csv"
    with path.open("wb") as handle:
        handle.truncate(2 * 1024 * 1024)  # sparse: cheap to make
    with pytest.raises(UnreadableFile, match="limit is 1 MB"):
        imports.create_run(path=path, filename="big.csv", source="big")
    assert not ImportRun.objects.exists()


def test_dry_run_writes_nothing_but_reports_what_would_happen(tmp_path: Path) -> None:
    run = import_file(write(tmp_path, "a.csv", PARTNER_A), "Partner A", dry_run=True)
    assert run.created_count == 4
    assert not Organization.objects.exists()
    assert not AuditEntry.objects.filter(action="players.imported").exists()


def test_import_writes_one_audit_entry_naming_the_run(tmp_path: Path) -> None:
    run = import_file(write(tmp_path, "a.csv", PARTNER_A), "Partner A")
    entries = AuditEntry.objects.filter(action="players.imported")
    assert entries.count() == 1
    assert entries.get().data["run"] == str(run.uuid)


def test_undo_reverts_what_no_later_change_overwrote_and_lists_the_rest(tmp_path: Path) -> None:
    import_file(write(tmp_path, "a.csv", PARTNER_A), "Partner A")
    run_b = import_file(write(tmp_path, "b.csv", PARTNER_B), "Partner B")
    sf = by_identifier("partner_b:X1")
    denver_b = live().get(source_identifiers=["partner_b:X3"])
    denver_b.description = "edited by staff"
    denver_b.provenance["description"] = {"source": "staff", "run": "", "at": ""}
    denver_b.save()

    imports.undo_import(run=run_b)

    sf.refresh_from_db()
    assert "partner_b:X1" not in sf.source_identifiers
    assert "Indivisible San Francisco Chapter" not in sf.aliases
    assert live().filter(pk=denver_b.pk).exists()  # kept: changed after the import
    run_b.refresh_from_db()
    assert run_b.status == "undone"
    assert [c["identifier"] for c in run_b.undo_conflicts] == ["partner_b:X3"]
    assert live().count() == 5


def test_cli_import_prints_summary_writes_report_and_exits_zero(tmp_path: Path) -> None:
    path = write(tmp_path, "a.csv", PARTNER_A + ",,,,,,\n1005,,Denver,CO,80202,,\n")
    out = io.StringIO()
    call_command("import_players", str(path), "--source", "Partner A", stdout=out)
    text = out.getvalue()
    assert "created 4" in text and "rejected 1" in text and "rejected row 6: name" in text
    report = list(csv.reader((tmp_path / "a.errors.csv").open()))
    assert report[0] == ["row", "field", "level", "problem"]
    assert report[1][:3] == ["6", "name", "error"]


def test_cli_import_of_unreadable_file_exits_non_zero(tmp_path: Path) -> None:
    path = write(tmp_path, "bin.csv", b"\x00\x01\x02garbage")
    with pytest.raises(CommandError, match="binary"):
        call_command("import_players", str(path), "--source", "x")
    with pytest.raises(CommandError):
        call_command("import_players", str(tmp_path / "missing.csv"), "--source", "x")


def test_cli_import_with_explicit_mapping(tmp_path: Path) -> None:
    path = write(tmp_path, "m.csv", "Groupe,Ville,Etat\nLa Raza Unida,Houston,TX\n")
    mapping = '{"Groupe": "name", "Ville": "city", "Etat": "state"}'
    call_command(
        "import_players", str(path), "--source", "fr", "--mapping", mapping, stdout=io.StringIO()
    )
    assert live().get().city == "Houston"


def test_refused_files_leave_existing_players_untouched(tmp_path: Path, settings: Any) -> None:
    import_file(write(tmp_path, "a.csv", PARTNER_A), "Partner A")
    before = sorted(live().values_list("name", "zip_code", "source_identifiers"))
    settings.ACTLOCAL_MAX_UPLOAD_MB = 1
    big = tmp_path / "big.csv"
    with big.open("wb") as handle:
        handle.truncate(1024 * 1024 + 1)
    bad_files = [
        write(tmp_path, "dup.csv", "Name,name\nIndivisible SF,x\n"),
        write(tmp_path, "empty.csv", "\n\n"),
        write(tmp_path, "broken.xlsx", b"PK\x03\x04 not really a workbook"),
        big,
    ]
    for path in bad_files:
        with pytest.raises(UnreadableFile):
            imports.create_run(path=path, filename=path.name, source="Partner A")
    assert sorted(live().values_list("name", "zip_code", "source_identifiers")) == before
    assert ImportRun.objects.count() == 1


def test_issue_areas_from_the_managed_vocabulary(tmp_path: Path) -> None:
    from actlocal.network.vocabulary import ensure_issue_areas

    ensure_issue_areas()  # installed by a data migration; transactional tests flush it
    data = "Name,City,State,Issues\nVoces Unidas,Phoenix,AZ,Immigration; voting rights; Tacos\n"
    run = import_file(write(tmp_path, "i.csv", data), "issues")
    org = live().get()
    assert sorted(org.issue_areas.values_list("slug", flat=True)) == [
        "immigration-daca",
        "voting-rights",
    ]
    assert run.problems[0]["problem"] == 'Unknown issue area "Tacos".'


def test_unexpected_error_marks_the_run_failed_and_rolls_back_the_batch(
    tmp_path: Path, monkeypatch: Any
) -> None:
    run = imports.create_run(path=write(tmp_path, "a.csv", PARTNER_A), filename="a.csv", source="A")
    imports.configure_run(run=run, mapping=run.mapping, dry_run=False)

    def explode(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr(imports, "insert_many", explode)
    with pytest.raises(RuntimeError):
        imports.run_import(run=run)
    run.refresh_from_db()
    assert run.status == "failed" and "disk full" in run.error and "rows 2-5" in run.error
    assert not Organization.objects.exists()


LINKED = (
    "ID,Name,City,State,ZIP,Leader,Leader Role,Leader Email,Leader Phone,"
    "Partners,Member of,Coalition with,Funds\n"
    "1,Indivisible SF,San Francisco,CA,94110,Ana Ruiz,Chair,ana@example.org,415-555-0101,"
    "Sunrise Bay Area,,bay:2,\n"
    "2,Bay Area Funders,San Francisco,CA,94105,,,grants@bayfunders.org,,,,,"
    "Indivisible SF; Sunrise Bay Area\n"
    "3,Sunrise Bay Area,Oakland,CA,94612,Sam Lee,Hub coordinator,,,,"
    "old:7,Nowhere Alliance,\n"
    "4,Faith Together,San Francisco,CA,94110,Ana Ruiz,Pastor,ana@example.org,,old:7,,,\n"
)


def _linked_world() -> dict[str, Any]:
    from actlocal.network.models import Leader, Relationship
    from actlocal.people.services import upsert_person

    coalition = Organization.objects.create(
        name="Northern California Coalition", slug="ncc", kind="coalition",
        city="Oakland", state="CA", source_identifiers=["old:7"],
    )  # fmt: skip
    faith = Organization.objects.create(
        name="Faith Together", slug="faith", kind="faith", city="San Francisco", state="CA",
        zip_code="94110",
    )  # fmt: skip
    kept = Relationship.objects.create(source=faith, target=coalition, kind="partner_of")
    ana, _created = upsert_person(
        email="ana@example.org", fields={"given_name": "Ana", "family_name": "Ruiz"}
    )
    link = Leader.objects.create(organization=faith, person=ana, role="")
    return {"coalition": coalition, "faith": faith, "kept": kept, "ana": ana, "link": link}


def test_cli_import_with_leaders_and_relationships_and_undo_keeps_what_existed(
    tmp_path: Path,
) -> None:
    from actlocal.network.models import Leader, Relationship
    from actlocal.people.models import Person

    world = _linked_world()
    path = write(tmp_path, "linked.csv", LINKED)
    out = io.StringIO()
    call_command("import_players", str(path), "--source", "Bay", stdout=out)
    run = ImportRun.objects.get(source="Bay")
    assert run.mapping == {
        "ID": "source_id", "Name": "name", "City": "city", "State": "state", "ZIP": "zip_code",
        "Leader": "leader_name", "Leader Role": "leader_role", "Leader Email": "leader_email",
        "Leader Phone": "leader_phone", "Partners": "partner_of", "Member of": "member_of",
        "Coalition with": "coalition_with", "Funds": "funds",
    }  # fmt: skip
    assert run.created_count == 3 and run.merged_count == 1
    sf, funders, sunrise = (by_identifier(f"bay:{i}") for i in (1, 2, 3))
    assert by_identifier("bay:4") == world["faith"]
    created = set(
        Relationship.objects.exclude(pk=world["kept"].pk).values_list(
            "source__name", "kind", "target__name"
        )
    )
    assert created == {
        ("Indivisible SF", "partner_of", "Sunrise Bay Area"),  # a row further down
        ("Indivisible SF", "coalition_with", "Bay Area Funders"),  # by <source>:<id>
        ("Bay Area Funders", "funds", "Indivisible SF"),
        ("Bay Area Funders", "funds", "Sunrise Bay Area"),
        ("Sunrise Bay Area", "member_of", "Northern California Coalition"),
    }
    # the unknown player is reported with row, field and value; the row is imported anyway
    assert {
        "row": 4,
        "field": "coalition_with",
        "level": "warning",
        "problem": 'No player "Nowhere Alliance" was found.',
    } in run.problems
    assert sunrise.name == "Sunrise Bay Area"
    # leaders: Ana is the existing person (found by email), now leading two players
    ana = world["ana"]
    assert Person.objects.filter(email_addresses__address="ana@example.org").count() == 1
    assert set(ana.organizations_led.values_list("organization__name", "role")) == {
        ("Indivisible SF", "Chair"),
        ("Faith Together", "Pastor"),
    }
    assert ana.phone_numbers.get().number == "415-555-0101"
    grants = Person.objects.get(email_addresses__address="grants@bayfunders.org")
    assert grants.organizations_led.get().organization == funders
    sam = Leader.objects.get(organization=sunrise).person
    assert (sam.given_name, sam.family_name, sam.source) == ("Sam", "Lee", "import:bay")
    people_created = AuditEntry.objects.filter(action="person.created", data__source="import:bay")
    assert people_created.count() == 2  # grants@ and Sam; Ana existed
    entry = AuditEntry.objects.get(action="players.imported")
    assert entry.data["relationships"] == 5 and entry.data["leaders"] == 3
    run.refresh_from_db()
    assert run.link_counts == {"relationships": 5, "leaders": 3}  # shown on the run page
    assert "leaders linked 3, relationships added 5" in out.getvalue()

    # Importing the same file again changes nothing: no duplicate people or links.
    call_command("import_players", str(path), "--source", "Bay", stdout=io.StringIO())
    assert Person.objects.count() == 3 and Leader.objects.count() == 4
    assert Relationship.objects.count() == 6
    second = ImportRun.objects.filter(source="Bay").order_by("-created_at").first()
    assert second is not None
    imports.undo_import(run=second)
    assert Relationship.objects.count() == 6

    imports.undo_import(run=run)
    assert list(Relationship.objects.all()) == [world["kept"]]
    assert list(Person.objects.all()) == [ana]  # created people are gone, Ana stays
    world["link"].refresh_from_db()
    assert world["link"].role == ""  # the role the import set is reverted
    assert list(Leader.objects.all()) == [world["link"]]
    assert not live().filter(pk__in=[sf.pk, funders.pk, sunrise.pk]).exists()
    assert live().filter(pk=world["faith"].pk).exists()


def test_leader_used_elsewhere_after_the_import_is_kept_on_undo(tmp_path: Path) -> None:
    from actlocal.people.models import Person
    from actlocal.people.services import add_list_item

    run = import_file(
        write(tmp_path, "l.csv", "Name,City,State,Leader,Leader Email\n"
              "Casa Esperanza,Phoenix,AZ,Rosa Diaz,rosa@example.org\n"),
        "AZ",
    )  # fmt: skip
    rosa = Person.objects.get()
    add_list_item(person_list=PersonListFactory(), person=rosa)
    imports.undo_import(run=run)
    assert Person.objects.filter(pk=rosa.pk).exists()
    run.refresh_from_db()
    assert [c["field"] for c in run.undo_conflicts] == ["leader_name"]
    assert not live().exists()


def test_relationship_problems_in_a_dry_run_and_without_a_leader_name(tmp_path: Path) -> None:
    from actlocal.network.models import Relationship

    run = import_file(
        write(tmp_path, "d.csv", "Name,City,State,Funds,Leader Role\n"
              "Green Fund,Denver,CO,Green Fund|Ghost Group,Treasurer\n"),
        "Funders",
        dry_run=True,
    )  # fmt: skip
    assert [(p["row"], p["field"], p["problem"]) for p in run.problems] == [
        (2, "leader_name", "The leader has neither a name nor an email; no leader was recorded."),
        (2, "funds", "A player cannot be related to itself."),
        (2, "funds", 'No player "Ghost Group" was found.'),
    ]
    assert not Organization.objects.exists() and not Relationship.objects.exists()


def test_mapping_preset_remembers_leader_and_relationship_columns(tmp_path: Path) -> None:
    path = write(tmp_path, "p.csv", "Gruppe,Kontakt,Partner\nCasa,Rosa Diaz,Other Group\n")
    mapping = {"Gruppe": "name", "Kontakt": "leader_name", "Partner": "partner_of"}
    run = imports.create_run(path=path, filename="p.csv", source="DE")
    imports.configure_run(run=run, mapping=mapping, dry_run=True)
    again = imports.create_run(path=path, filename="p.csv", source="DE")
    assert again.mapping == mapping


def test_bulk_written_json_columns_are_json_values_not_strings(tmp_path: Path) -> None:
    import_file(write(tmp_path, "a.csv", PARTNER_A), "Partner A")
    # key lookups only work if COPY / executemany stored objects and lists, not quoted text
    assert Organization.objects.filter(provenance__name__source="partner_a").count() == 4
    assert Organization.objects.filter(source_identifiers__0="partner_a:1001").count() == 1
    assert Organization.objects.filter(aliases=[]).count() == 4


def test_failure_while_linking_players_further_down_marks_the_run_failed(
    tmp_path: Path, monkeypatch: Any
) -> None:
    from actlocal.network.models import Relationship

    def explode(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("connection lost")

    monkeypatch.setattr(imports._Importer, "write_links", explode)
    path = write(tmp_path, "f.csv", "Name,City,State,Partners\nA Group,Denver,CO,B Group\n"
                 "B Group,Denver,CO,\n")  # fmt: skip
    with pytest.raises(RuntimeError):
        import_file(path, "F")
    run = ImportRun.objects.get(source="F")
    assert run.status == "failed" and "connection lost" in run.error
    assert live().count() == 2 and not Relationship.objects.exists()
