"""The member's data rights, access and erasure: "download my data" and "delete my
account" ask every app that keeps something about a member.

Each such app has a module `<app>/member_data.py` with:

    MODELS = ["app_label.ModelName", ...]      the models it answers for
    def export(member) -> dict                 sections of the member's download
    def erase(member, *, remove_posts, names)  erase what identifies the member

They are found by autodiscovery, not listed here, so accounts imports nothing above it
and a new app cannot be forgotten: tests/accounts/test_member_data.py fails when any
model that points at the member is in no app's MODELS.

Erasure runs from the top layer down (moderation, safety, forum, then accounts itself),
so every app still sees the member's name and email (`names`) while it scrubs them.
"""

from importlib import import_module
from types import ModuleType

from django.apps import apps


def providers() -> list[ModuleType]:
    """Every app's member_data module, in INSTALLED_APPS order."""
    found = []
    for config in apps.get_app_configs():
        try:
            module = import_module(f"{config.name}.member_data")
        except ModuleNotFoundError as error:
            if error.name != f"{config.name}.member_data":
                raise
            continue
        found.append(module)
    return found


def export_all(member) -> dict:
    data: dict = {}
    for provider in providers():
        data.update(provider.export(member))
    return data


def erase_all(member, *, remove_posts: bool, names: list[str]) -> None:
    for provider in reversed(providers()):
        provider.erase(member, remove_posts=remove_posts, names=names)


def covered_models() -> set[str]:
    return {label for provider in providers() for label in provider.MODELS}


def iso(value) -> str | None:
    return value.isoformat() if value is not None else None
