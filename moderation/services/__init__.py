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
from .posts import (  # noqa: F401
    post_approve,
    post_held_notice,
    post_hide,
    post_reject,
    post_revise,
    post_unhide,
    post_warning_set,
)
from .queue import (  # noqa: F401
    hand_over_choices,
    item_claim,
    item_hand_over,
    item_open,
    item_release,
    item_touch,
    items_resolve,
    post_items_resolve,
    post_removed_items_close,
)
from .reports import (  # noqa: F401
    items_bulk,
    report_agree,
    report_create,
    report_disagree,
    report_dismiss,
    report_ignore,
    reporter_weight,
)
from .threads import (  # noqa: F401
    thread_lock,
    thread_move,
    thread_pin,
    thread_retitle,
    thread_unlock,
    thread_unpin,
)
