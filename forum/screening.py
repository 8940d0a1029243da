"""The posting workflow's one seam: what the apps above the forum decide about a post.

The forum keeps threads and posts. Whether a post is refused, held for a moderator or
published with a flag, how worried to be about its author, and what the moderators'
queue gets afterwards are moderation's and safety's concerns. Moderation installs a
Screener here when it starts (moderation/apps.py) and forum.services asks it at two
points, inside the writing transaction:

    screening = screener().screen(...)      # before saving: may raise ValidationError
    screener().screened(post=..., ...)       # after saving: queue items, alerts
    screener().removed(post=...)             # after its author removed it

Why a seam rather than a `posting` app above everything: forum.services keeps its public
names (post_create, thread_create, post_edit) as the one way in for views, commands and
tests, and the forum imports nothing above it. Without an installed Screener (the forum
on its own) every valid post is published.
"""

from dataclasses import dataclass, field

from .models import Visibility

NONE = "none"


@dataclass
class Screening:
    status: str = Visibility.PUBLISHED
    held: list[str] = field(default_factory=list)  # why the post waits for a moderator
    flagged: list[str] = field(default_factory=list)  # rules a published post matched
    crisis_level: str = NONE  # "none", "concern" or "urgent": stored on the post
    crisis_reasons: tuple[str, ...] = ()

    @property
    def is_held(self) -> bool:
        return self.status == Visibility.PENDING


class Screener:
    """The interface, and the forum's default: publish every valid post."""

    def screen(
        self, *, author, title: str, body: str, body_html: str, starts_thread: bool, editing, replying_to=None
    ) -> Screening:
        """Decide before the post is saved. Raise ValidationError (on "body") to refuse
        it; the member keeps their text. `editing` is the post being edited, or None;
        `replying_to` the post a reply answers (its parent, or the thread's opening post)."""
        return Screening()

    def screened(self, *, post, screening: Screening, editing: bool) -> None:
        """After the post (or the edit) is saved, in the same transaction."""

    def removed(self, *, post) -> None:
        """After its author removed the post, in the same transaction (moderation closes
        the post's queue items: nothing is left to decide)."""


_installed: list[Screener] = [Screener()]


def install(screener_: Screener) -> None:
    _installed[0] = screener_


def screener() -> Screener:
    return _installed[0]
