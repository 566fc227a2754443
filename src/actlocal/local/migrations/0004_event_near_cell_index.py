"""The near-me index orders events by latitude cell, then longitude.

With (latitude, longitude) first, a box query reads every index entry of its latitude
stripe across the whole country (a 50-mile search near Chicago read the entries of
Denver, Omaha and Philadelphia too). Keyed by the cell (``floor(latitude * 20)``, 1/20 of
a degree, about 3.5 miles), each cell is one index range bounded in longitude, so a
search reads little more than the rows of its circle. ``actlocal.events.nearby`` repeats
the expression exactly (``cell_expression``): a query only uses an expression index when
it writes the same expression.

SQLite: status and visibility lead (the query binds them as parameters, which a partial
index would not match); the row id is implicit, so the index covers the query.
PostgreSQL: partial on public published rows, with the id and the filtered columns
included (index-only scans; ``latitude`` is included because PostgreSQL only plans an
index-only scan for an expression index when the underlying column is in it too).
"""

from typing import Any

from django.db import migrations

INDEX = "local_event_near_idx"

SQLITE_INDEX = (
    f"CREATE INDEX {INDEX} ON events_event (status, visibility, "
    "CAST(latitude * 20 AS INTEGER), longitude, latitude, is_virtual, ends_at, starts_at)"
)
POSTGRES_INDEX = (
    f"CREATE INDEX {INDEX} ON events_event ((floor(latitude * 20)), longitude) "
    "INCLUDE (latitude, id, is_virtual, ends_at, starts_at) "
    "WHERE status = 'published' AND visibility = 'public'"
)
# What 0002 and 0003 made, for the reverse.
OLD_SQLITE_INDEX = (
    f"CREATE INDEX {INDEX} ON events_event "
    "(status, visibility, latitude, longitude, is_virtual, ends_at, starts_at)"
)
OLD_POSTGRES_INDEX = (
    f"CREATE INDEX {INDEX} ON events_event (latitude, longitude) "
    "INCLUDE (id, is_virtual, ends_at, starts_at) "
    "WHERE status = 'published' AND visibility = 'public'"
)


def forwards(apps: Any, schema_editor: Any) -> None:
    postgres = schema_editor.connection.vendor == "postgresql"
    schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")
    schema_editor.execute(POSTGRES_INDEX if postgres else SQLITE_INDEX)


def backwards(apps: Any, schema_editor: Any) -> None:
    postgres = schema_editor.connection.vendor == "postgresql"
    schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")
    schema_editor.execute(OLD_POSTGRES_INDEX if postgres else OLD_SQLITE_INDEX)


class Migration(migrations.Migration):
    dependencies = [("local", "0003_event_near_index_postgresql")]

    operations = [migrations.RunPython(forwards, backwards)]
