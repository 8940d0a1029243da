"""Search that ignores accents, across English and French (forum/search.py), on
PostgreSQL only: the unaccent extension, an immutable wrapper around it that an index may
use (`forum_unaccent`; unaccent() itself is only STABLE, since its dictionary could
change), and GIN indexes over to_tsvector('simple', forum_unaccent(...)), written exactly
as Django's SearchVector(Func(F(...), function="forum_unaccent"), config="simple") writes
them so the planner uses them. SQLite gets the same function from Python on each
connection (forum/folding.py) and needs nothing here.

unaccent is a trusted extension (PostgreSQL 13 and later): the database's owner may
create it without being a superuser.
"""

from django.db import migrations

INDEXES = {
    "forum_post_body_folded_search": ("forum_post", "body"),
    "forum_thread_title_folded_search": ("forum_thread", "title"),
}

CREATE_FUNCTION = """
CREATE OR REPLACE FUNCTION forum_unaccent(text) RETURNS text
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
AS $$ SELECT public.unaccent('public.unaccent'::regdictionary, $1) $$
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS unaccent SCHEMA public")
    schema_editor.execute(CREATE_FUNCTION)
    for name, (table, column) in INDEXES.items():
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON {table} "
            f"USING gin (to_tsvector('simple'::regconfig, COALESCE(forum_unaccent({column}), '')))"
        )


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")
    schema_editor.execute("DROP FUNCTION IF EXISTS forum_unaccent(text)")
    # The extension stays: something else in the database may use it.


class Migration(migrations.Migration):
    dependencies = [("forum", "0013_category_in_french")]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
