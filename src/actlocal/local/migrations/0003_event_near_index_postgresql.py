"""On PostgreSQL, make the near-me index cover the query (index-only scans).

PostgreSQL indexes do not carry the row id as SQLite's do, and its planner preferred the
events app's (status, visibility, latitude, longitude) index and then fetched ~30,000
heap rows for a dense 5-mile search. A partial index on the public published rows with
the id and the filtered columns included answers the box from the index alone.
SQLite keeps the index of 0002 (its partial indexes do not match bound parameters).
"""

from typing import Any

from django.db import migrations

INDEX = "local_event_near_idx"
POSTGRES_INDEX = (
    f"CREATE INDEX IF NOT EXISTS {INDEX} ON events_event (latitude, longitude) "
    "INCLUDE (id, is_virtual, ends_at, starts_at) "
    "WHERE status = 'published' AND visibility = 'public'"
)
PORTABLE_INDEX = (
    f"CREATE INDEX IF NOT EXISTS {INDEX} ON events_event "
    "(status, visibility, latitude, longitude, is_virtual, ends_at, starts_at)"
)


def forwards(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")
        schema_editor.execute(POSTGRES_INDEX)


def backwards(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")
        schema_editor.execute(PORTABLE_INDEX)


class Migration(migrations.Migration):
    dependencies = [("local", "0002_event_near_index")]

    operations = [migrations.RunPython(forwards, backwards)]
