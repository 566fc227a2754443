"""A covering index for the near-me search (bounding box on latitude/longitude).

The search reads id, latitude, longitude, starts_at of public published
upcoming non-virtual events inside a box: with every filtered and read column
in the index, SQLite and PostgreSQL answer from the index alone. It lives here
(raw SQL with a reverse) because the events app owns the Event model.
"""

from django.db import migrations

INDEX = "local_event_near_idx"


class Migration(migrations.Migration):
    dependencies = [
        ("events", "0001_initial"),
        ("local", "0001_initial"),
    ]

    operations = [
        migrations.RunSQL(
            sql=(
                f"CREATE INDEX IF NOT EXISTS {INDEX} ON events_event "
                "(status, visibility, latitude, longitude, is_virtual, ends_at, starts_at)"
            ),
            reverse_sql=f"DROP INDEX IF EXISTS {INDEX}",
        ),
    ]
