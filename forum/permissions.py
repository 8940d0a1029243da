"""Who may do what: one Viewer per request, asked by views, templates, consumers and the
page cache alike, so HTTP, WebSocket and the page's script can never disagree.

A Viewer reads the member's standing once (one prepared query: moderator, verified
email, running suspension, unread inbox count) and answers every question about threads and posts from it.
`viewer_for(user)` keeps one Viewer on the user object, so a request asks the database
once however many posts its page shows. The module-level functions below are the same
questions for callers that hold a user rather than a viewer.

The thread page also hands the viewer's capabilities to its script (`capabilities`), and
live posts carry their own facts (author, status); static/js/thread.js combines the two
with the rule in `post_controls`, written once here and mirrored there.
"""

import datetime
from functools import cached_property

from django.utils import dateformat
from django.utils.translation import get_language, gettext

from accounts import roles, two_factor
from accounts.models import RUNNING_FIRST, Suspension, unlifted_runs

from .models import Visibility
from .prepared import PreparedQuery


class Viewer:
    def __init__(self, user):
        self.user = user
        self.is_authenticated = bool(getattr(user, "is_authenticated", False))
        self.id = user.pk if self.is_authenticated else None

    # --- Standing -----------------------------------------------------------------------

    @cached_property
    def _standing(self) -> dict:
        if not self.is_authenticated:
            return {
                "moderates": False, "supports": False, "verified": False, "unread_notifications": 0,
                "suspension_id": None, "sanction": None, "blocks": "", "drafts": 0,
            }
        row = STANDING.first(member_id=self.id) or {}
        # Whether the sanction still runs is decided here, so the SQL holds no time.
        ends_at = row.get("suspension_ends_at")
        runs = row.get("suspension_id") is not None and unlifted_runs(ends_at)
        return {
            "moderates": bool(row.get("moderates")),
            "supports": bool(row.get("supports")),
            "verified": bool(row.get("verified")),
            "unread_notifications": row.get("unread_notifications") or 0,
            "suspension_id": row.get("suspension_id") if runs else None,
            "sanction": row.get("suspension_kind") if runs else None,
            # Changes whenever a block by or of this member is made or lifted: part of the
            # page cache key, and "" (no query for the sets below) when there are none.
            "blocks": _blocks_version(row),
            "drafts": row.get("draft_count") or 0,
        }

    @cached_property
    def _blocks(self) -> tuple[frozenset, frozenset]:
        """(whom this member blocked, who blocked this member): one query, and only for
        members who have any block either way."""
        if not self._standing["blocks"]:
            return frozenset(), frozenset()
        from django.db.models import Q

        from .models import Block

        made, received = set(), set()
        for member_id, blocked_id in Block.objects.filter(Q(member_id=self.id) | Q(blocked_id=self.id)).values_list(
            "member_id", "blocked_id"
        ):
            if member_id == self.id:
                made.add(blocked_id)
            else:
                received.add(member_id)
        return frozenset(made), frozenset(received)

    @property
    def has_drafts(self) -> bool:
        """Whether the member keeps any draft: pages look for theirs only then."""
        return bool(self._standing["drafts"])

    @property
    def blocked_ids(self) -> list[int]:
        """Whom this viewer blocked: the thread page folds their live posts away too."""
        return sorted(self._blocks[0])

    def has_blocked(self, member_id) -> bool:
        """Whether this viewer blocked that member (their posts fold away)."""
        return bool(member_id) and member_id in self._blocks[0]

    def is_blocked_by(self, member_id) -> bool:
        """Whether that member blocked this viewer (no replies to their posts)."""
        return bool(member_id) and member_id in self._blocks[1]

    @cached_property
    def is_member(self) -> bool:
        """Signed in, active, not a deleted account."""
        return self.is_authenticated and self.user.is_active and not getattr(self.user, "is_former", False)

    @cached_property
    def holds_moderator_role(self) -> bool:
        """A moderator by role (accounts.roles): the header offers them the queue."""
        return roles.is_moderator_by_standing(self.user, self._standing["moderates"])

    @cached_property
    def is_moderator(self) -> bool:
        """Moderates now: the role, and a sign-in with the second factor the role needs
        (accounts/two_factor.py). Until then a moderator sees what a member sees."""
        return self.holds_moderator_role and two_factor.sign_in_complete(self.user)

    @cached_property
    def is_peer_supporter(self) -> bool:
        """A trained volunteer who answers crisis items (accounts.roles)."""
        return roles.is_peer_supporter_by_standing(self.user, self._standing["supports"])

    @cached_property
    def is_crisis_responder(self) -> bool:
        """Sees crisis items and writes to members privately: moderators and peer supporters."""
        return self.is_moderator or self.is_peer_supporter

    @property
    def has_verified_email(self) -> bool:
        return self.is_authenticated and self._standing["verified"]

    @property
    def unread_notifications(self) -> int:
        return self._standing["unread_notifications"]

    @cached_property
    def is_suspended(self) -> bool:
        """Any running sanction (silence, suspension, ban): posting is paused."""
        return self._standing["suspension_id"] is not None

    @property
    def sanction(self) -> str | None:
        """The running sanction's kind ("silence", "suspend", "ban"), or None."""
        return self._standing["sanction"]

    @property
    def is_silenced(self) -> bool:
        return self.sanction == Suspension.Kind.SILENCE

    @property
    def is_banned(self) -> bool:
        return self.sanction == Suspension.Kind.BAN

    @cached_property
    def suspension(self):
        """The running sanction (which, until when, and why), or None."""
        if not self.is_suspended:
            return None
        return Suspension.objects.filter(pk=self._standing["suspension_id"]).first()

    @cached_property
    def can_post(self) -> bool:
        """Signed in with a verified email address, and not suspended."""
        return self.is_member and self.has_verified_email and not self.is_suspended

    @property
    def needs_email_verification(self) -> bool:
        return self.is_authenticated and self.user.is_active and not self.has_verified_email

    @property
    def can_report(self) -> bool:
        """Reporting other members' posts. Moderators act instead of reporting; a silenced
        or banned member's reports would be one more way to reach other members."""
        return self.is_member and not self.is_moderator and self.sanction not in (
            Suspension.Kind.SILENCE, Suspension.Kind.BAN)

    # --- Threads and posts ------------------------------------------------------------

    @property
    def reads_members_only(self) -> bool:
        """Members-only categories are for signed-in members who are not banned."""
        return self.is_authenticated and not self.is_banned

    def can_read_thread(self, thread) -> bool:
        if thread.category.members_only and not self.reads_members_only:
            return False  # a members-only category: its threads are for members in good standing
        if thread.status == Visibility.PUBLISHED or self.is_moderator:
            return True
        return thread.status == Visibility.PENDING and self.is_authenticated and thread.author_id == self.id

    def can_reply(self, thread) -> bool:
        if not self.can_read_thread(thread) or not self.can_post:
            return False
        return not thread.locked or self.is_moderator

    def can_follow(self, thread=None) -> bool:
        """Following threads, and the member's own live socket. Not for a banned member."""
        return self.is_member and not self.is_banned and (thread is None or self.can_read_thread(thread))

    def can_see_post(self, post) -> bool:
        """Whether the post appears at all (as its text or as a placeholder)."""
        if post.status != Visibility.PENDING:
            return True
        return self.is_moderator or (self.is_authenticated and post.author_id == self.id)

    def can_read_post_body(self, post) -> bool:
        """Whether the post's text is shown, rather than a placeholder."""
        if post.status in (Visibility.PUBLISHED, Visibility.PENDING):
            return self.can_see_post(post)
        return self.is_moderator

    def is_author(self, post) -> bool:
        return self.is_authenticated and post.author_id == self.id

    def can_edit_post(self, post) -> bool:
        return self.post_controls(post, can_reply=False)["edit"]

    def can_delete_post(self, post) -> bool:
        return self.post_controls(post, can_reply=False)["delete"]

    def can_react(self, post) -> bool:
        return self.post_controls(post, can_reply=False)["react"] and self.can_read_thread(post.thread)

    def can_report_post(self, post) -> bool:
        return self.post_controls(post, can_reply=False)["report"]

    def post_controls(self, post, *, can_reply: bool) -> dict:
        """The controls under one post. `can_reply` is the viewer's answer for the post's
        thread, asked once per page. static/js/thread.js applies this same rule to live
        posts, from `capabilities` and the post's author and status."""
        own = self.is_author(post)
        published = post.status == Visibility.PUBLISHED
        return {
            # A member who blocked this viewer gets no direct replies from them.
            "reply": can_reply and post.status != Visibility.PENDING and not self.is_blocked_by(post.author_id),
            "edit": own and self.can_post and post.status in (Visibility.PUBLISHED, Visibility.PENDING),
            # A moderator's hide stands: the author cannot turn it into a removal.
            "delete": own and post.status in (Visibility.PUBLISHED, Visibility.PENDING),
            "report": not own and self.can_report and published,
            "react": not own and self.can_post and published,
            "moderate": self.is_moderator,
        }

    def capabilities(self, thread) -> dict:
        """What the thread page tells its script about this viewer."""
        return {
            "viewer_id": self.id or "",
            "can_reply": self.can_reply(thread),
            "can_post": self.can_post,
            "can_report": self.can_report,
            "is_moderator": self.is_moderator,
        }

    # --- The page cache -----------------------------------------------------------------

    def cache_key(self, thread) -> str | None:
        """Which cached rendering of a thread this viewer may share: anonymous readers
        share one per language; each member has their own; moderators are never cached.
        The page's words and dates are in the reader's language, so it is in every key."""
        language = get_language() or "-"
        if not self.is_authenticated:
            return f"anon:{language}"
        if self.is_moderator:
            return None
        expand = int(bool(getattr(self.user, "always_expand_warnings", False)))
        key = f"m{self.id}:{int(self.can_reply(thread))}:{expand}:{self.user.region or '-'}:{language}"
        return f"{key}:b{self._standing['blocks']}" if self._standing["blocks"] else key


def viewer_for(user) -> Viewer:
    """The request's one Viewer, kept on the user object."""
    if user is None:
        from django.contrib.auth.models import AnonymousUser

        return Viewer(AnonymousUser())
    viewer = getattr(user, "_forum_viewer", None)
    if viewer is None:
        viewer = Viewer(user)
        try:
            user._forum_viewer = viewer
        except AttributeError:  # an object that takes no attributes: ask again next time
            pass
    return viewer


def forget_viewer(user) -> None:
    """Drop the cached Viewer (after the member's standing changed in this request)."""
    if hasattr(user, "_forum_viewer"):
        del user._forum_viewer


def _standing_query(member_id: int):
    from allauth.account.models import EmailAddress
    from django.contrib.auth import get_user_model
    from django.db.models import Count, Exists, Max, OuterRef

    from .models import Block, Draft, Notification

    # The sanction not lifted that ends last (a ban first); whether it still runs is
    # decided in Python.
    suspension = Suspension.objects.filter(member=OuterRef("pk"), lifted_at__isnull=True).order_by(*RUNNING_FIRST)
    return (
        get_user_model()
        .objects.filter(pk=member_id)
        .annotate(
            moderates=roles.holds_moderate_permission(),
            supports=roles.in_peer_supporters_group(),
            verified=Exists(EmailAddress.objects.filter(user=OuterRef("pk"), verified=True)),
            unread_notifications=Notification.objects.filter(
                Notification.visible_q(), recipient=OuterRef("pk"), read_at__isnull=True
            )
            .values("recipient")
            .annotate(n=Count("pk"))
            .values("n")[:1],
            suspension_id=suspension.values("pk")[:1],
            suspension_ends_at=suspension.values("ends_at")[:1],
            suspension_kind=suspension.values("kind")[:1],
            draft_count=Draft.objects.filter(member=OuterRef("pk")).values("member").annotate(n=Count("pk")).values("n")[:1],
            **{
                f"blocks_{side}_{name}": Block.objects.filter(**{field: OuterRef("pk")})
                .values(field)
                .annotate(v=aggregate("pk"))
                .values("v")[:1]
                for side, field in (("made", "member"), ("received", "blocked"))
                for name, aggregate in (("n", Count), ("last", Max))
            },
        )
        .values(
            "moderates", "supports", "verified", "unread_notifications", "suspension_id", "suspension_ends_at",
            "suspension_kind", "draft_count", "blocks_made_n", "blocks_made_last", "blocks_received_n",
            "blocks_received_last",
        )
    )


def _blocks_version(row: dict) -> str:
    """How many blocks this member made and received, and the newest of each: any new
    block raises a newest id, any lifted one lowers a count."""
    parts = [row.get(name) or 0 for name in ("blocks_made_n", "blocks_made_last", "blocks_received_n",
                                              "blocks_received_last")]
    return ".".join(str(part) for part in parts) if any(parts) else ""


# Every page a member opens asks this: its SQL is compiled once per process.
STANDING = PreparedQuery(_standing_query, member_id=-7_301_904_117)


# --- The same questions, for callers that hold a user -----------------------------------


def is_moderator(user) -> bool:
    return viewer_for(user).is_moderator


def is_peer_supporter(user) -> bool:
    return viewer_for(user).is_peer_supporter


def is_crisis_responder(user) -> bool:
    return viewer_for(user).is_crisis_responder


def can_post(user) -> bool:
    return viewer_for(user).can_post


def is_suspended(user) -> bool:
    return viewer_for(user).is_suspended


def has_verified_email(user) -> bool:
    return viewer_for(user).has_verified_email


def needs_email_verification(user) -> bool:
    return viewer_for(user).needs_email_verification


def reads_members_only(user) -> bool:
    return viewer_for(user).reads_members_only


def can_read_thread(user, thread) -> bool:
    return viewer_for(user).can_read_thread(thread)


def can_reply(user, thread) -> bool:
    return viewer_for(user).can_reply(thread)


def can_see_post(user, post) -> bool:
    return viewer_for(user).can_see_post(post)


def can_edit_post(user, post) -> bool:
    return viewer_for(user).can_edit_post(post)


def can_delete_post(user, post) -> bool:
    return viewer_for(user).can_delete_post(post)


def can_react(user, post) -> bool:
    return viewer_for(user).can_react(post)


def can_report(user, post) -> bool:
    return viewer_for(user).can_report_post(post)


def can_follow(user, thread=None) -> bool:
    return viewer_for(user).can_follow(thread)


def unread_notification_count(user) -> int:
    return viewer_for(user).unread_notifications


def current_suspension(user):
    return viewer_for(user).suspension


def suspension_message(suspension) -> str:
    """Why the member cannot post now, in plain words: what, why, until when."""
    return gettext(
        "%(what)s Reason: %(reason)s. You can still read, and write to the moderators. Your text is kept here."
    ) % {
        "what": sanction_summary(suspension), "reason": suspension.reason.rstrip("."),
    }


def sanction_summary(suspension) -> str:
    """One sentence: which sanction, and until when (the date in the reader's language,
    "3 mars 2027, 14:00", in UTC as the sentence says)."""
    until = (
        dateformat.format(suspension.ends_at.astimezone(datetime.timezone.utc), gettext("j F Y, H:i"))
        if suspension.ends_at else None
    )
    if suspension.kind == Suspension.Kind.BAN:
        return gettext("A moderator has banned you from posting here.")
    if suspension.kind == Suspension.Kind.SILENCE:
        if until:
            return gettext(
                "A moderator has silenced you until %(until)s UTC: you cannot post, reply, react or report."
            ) % {"until": until}
        return gettext(
            "A moderator has silenced you until a moderator lifts it: you cannot post, reply, react or report.")
    if until:
        return gettext("A moderator has paused your posting until %(until)s UTC.") % {"until": until}
    return gettext("A moderator has paused your posting until a moderator lifts it.")
