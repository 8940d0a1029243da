"""Work a worker does once, before it takes traffic, instead of inside its first requests.

A worker that starts (a deploy, or a restart after a crash) is often met by every page
that was reading from it reconnecting at once. Left to those requests, each of Django's
first-use costs is paid many times over in parallel: every request thread populates the
URL resolver for its language (Django guards it per thread, not per process), compiles
the same templates and imports the same template-tag libraries under the import lock.
A reconnect storm of 500 readers on a fresh worker spent a tenth of its time there.
The same goes for the screening every post goes through (its rules and models).
"""

from django.conf import settings
from django.template.loader import get_template
from django.urls import reverse
from django.utils import translation

from moderation import sourcing
from safety import crisis

# The templates of the paths a reconnecting page takes (its socket's events and catch-up)
# and of the thread page itself.
HOT_TEMPLATES = (
    "forum/thread.html",
    "forum/_thread_tree.html",
    "forum/_node.html",
    "forum/_post_own_notes.html",
    "forum/_live_controls.html",
    "forum/_live_control_templates.html",
    "forum/_reaction_choices.html",
    "forum/_reaction_button.html",
)

WARM_UP_POST = "Week three of the taper and the evenings are easier; thank you all for the notes."


def warm_up() -> None:
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            reverse("forum:home")  # populates the resolver's dictionaries for this language
    for name in HOT_TEMPLATES:
        get_template(name)
    # Every post is screened: the crisis and sourcing rules are parsed and compiled, and
    # their models read, on first use. The first reply after a restart waited 0.6 s
    # for it, with a reconnect storm under way.
    crisis.assess(WARM_UP_POST)
    sourcing.check(WARM_UP_POST)
