"""Choices on the member's settings page that belong to the apps above accounts.

The settings page is the member's, but some of its choices are not: the crisis regions
are safety's, the content warnings the forum's. Those apps register a function that
lists the choices when they start (their AppConfig.ready), so accounts, at the bottom of
the layers, imports none of them.
"""

from collections.abc import Callable

_providers: dict[str, Callable[[], list[tuple[str, str]]]] = {}


def register_choices(field: str, provider: Callable[[], list[tuple[str, str]]]) -> None:
    _providers[field] = provider


def choices_for(field: str) -> list[tuple[str, str]]:
    provider = _providers.get(field)
    return list(provider()) if provider else []
