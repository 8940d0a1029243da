"""GIN indexes for full-text search (forum/search.py), on PostgreSQL only.

The expressions are exactly what Django's SearchVector("body"/"title", config="english")
writes, so the planner uses the indexes. Other databases (SQLite) search with LIKE and
get nothing here. AddIndex cannot be made conditional on the database, hence RunPython.
"""

from django.db import migrations

INDEXES = {
    "forum_post_body_search": ("forum_post", "body"),
    "forum_thread_title_search": ("forum_thread", "title"),
}


def create_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, (table, column) in INDEXES.items():
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON {table} "
            f"USING gin (to_tsvector('english'::regconfig, COALESCE({column}, '')))"
        )


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [
        ("forum", "0004_thread_version"),
    ]

    operations = [
        migrations.RunPython(create_indexes, drop_indexes, elidable=False),
    ]
