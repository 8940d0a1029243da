"""Every moderation action: one idempotent function each, each writing one row to the
moderation log (Misago's threads/hide.py, lock.py, approve.py), grouped by what it acts
on. Calling an action a second time (a double-clicked button, two moderators at once)
finds the work done, changes nothing and writes no second row. Reads live in
moderation/selectors.py.

Import from here: `from moderation import services; services.post_hide(...)`.
"""

from .crisis import (  # noqa: F401
    crisis_acknowledge,
    crisis_emergency_services,
    crisis_item_open,
    crisis_items_escalate,
    crisis_member_item_open,
    crisis_no_risk,
    crisis_outreach_record,
    crisis_reached_out,
    crisis_resolve,
    escalation_due,
    moderator_emails,
)
from .log import SYSTEM_NAME, log_write, notice_send  # noqa: F401
from .roles import peer_supporter_appoint, peer_supporter_remove  # noqa: F401
from .rota import on_call_shift_add, on_call_shift_remove  # noqa: F401
from .members import (  # noqa: F401
    member_ban,
    member_note_add,
    member_remove_spammer,
    member_sanction_lift,
    member_silence,
    member_suspend,
    member_unsuspend,
    member_warn,
)
from .posts import post_approve, post_hide, post_reject, post_revise, post_unhide, post_warning_set  # noqa: F401
from .queue import item_claim, item_open, items_resolve, post_items_resolve  # noqa: F401
from .reports import report_create, report_dismiss  # noqa: F401
from .threads import (  # noqa: F401
    thread_lock,
    thread_move,
    thread_pin,
    thread_retitle,
    thread_unlock,
    thread_unpin,
)
