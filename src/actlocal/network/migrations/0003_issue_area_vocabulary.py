"""The managed vocabulary of issue areas, present on every fresh database."""

from django.db import migrations

ISSUES = [
    ("immigration-daca", "Immigration / DACA"),
    ("health-care-medicaid", "Health care / Medicaid"),
    ("voting-rights", "Voting rights"),
    ("environment", "Environment"),
    ("gun-safety", "Gun safety"),
    ("reproductive-rights", "Reproductive rights"),
    ("racial-justice", "Racial justice"),
    ("labor", "Labor"),
    ("housing", "Housing"),
    ("education", "Education"),
]


def add_issue_areas(apps, schema_editor):  # type: ignore[no-untyped-def]
    IssueArea = apps.get_model("network", "IssueArea")
    for slug, name in ISSUES:
        IssueArea.objects.get_or_create(slug=slug, defaults={"name": name})


class Migration(migrations.Migration):
    dependencies = [("network", "0002_mappingpreset_importrun_importchange_mergerecord_and_more")]

    operations = [migrations.RunPython(add_issue_areas, migrations.RunPython.noop)]
