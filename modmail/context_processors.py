from functools import cache

from forum import permissions

from .selectors import waiting_count


def modmail(request):
    """How many conversations wait for the team, for the team's header; computed only
    when a template asks."""
    user = request.user
    return {"modmail_waiting_count": cache(lambda: waiting_count(user) if permissions.is_crisis_responder(user) else 0)}
