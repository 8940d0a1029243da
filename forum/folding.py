"""Accent folding for search: "éveil" and "eveil", "sevrage" and "SÉVRAGE" are the same
word to someone typing on a phone keyboard without accents.

`fold(text)` keeps the text's length (one character in, one out), so a match found in
the folded text marks the same span of the original. The database does the same to the
stored text: on PostgreSQL the `forum_unaccent` function (an immutable wrapper around the
unaccent extension, forum/migrations/0014_search_in_french.py), on SQLite a Python
function of that name registered on each connection (forum.apps), so both fold alike.
"""

import unicodedata
from functools import lru_cache

SQL_FUNCTION = "forum_unaccent"


@lru_cache(maxsize=4096)
def _fold_char(char: str) -> str:
    decomposed = unicodedata.normalize("NFD", char)
    base = decomposed[0]
    if len(decomposed) > 1 and all(unicodedata.combining(mark) for mark in decomposed[1:]):
        return base
    return char


def fold(text: str | None) -> str | None:
    """The text without its accents, one character for one."""
    if text is None:
        return None
    return "".join(_fold_char(char) for char in text)


def register_sqlite_function(sender, connection, **kwargs) -> None:
    """SQLite has no unaccent: give each new connection ours (connection_created)."""
    if connection.vendor == "sqlite":
        connection.connection.create_function(SQL_FUNCTION, 1, fold, deterministic=True)
