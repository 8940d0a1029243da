"""The steps of a personal safety plan, and the reads its pages share.

The steps are those of the Stanley-Brown Safety Planning Intervention (Stanley and
Brown, 2012; docs/safety-reference.md), in their order: a person works down the list
when things get hard, from what they notice to what keeps them alive. The wording of
the prompts is ours.
"""

from dataclasses import dataclass

from django.utils import dateformat, timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .models import SafetyPlan


@dataclass(frozen=True)
class Step:
    field: str
    # Marked lazily, read through the properties: in the reader's language at the time.
    heading_text: str
    prompt_text: str

    @property
    def heading(self) -> str:
        return str(self.heading_text)

    @property
    def prompt(self) -> str:
        return str(self.prompt_text)


STEPS = [
    Step("warning_signs", _("My warning signs"),
         _("Thoughts, feelings, situations or behaviour that tell me a crisis may be coming.")),
    Step("coping_alone", _("Things I can do on my own"),
         _("What helps me take my mind off things without contacting anyone: a walk, music, a shower, a film.")),
    Step("distractions", _("People and places that take my mind off things"),
         _("People I can be around, and places I can go, without having to talk about how I feel.")),
    Step("people_to_ask", _("People I can ask for help"),
         _("Friends or family I can tell that I am struggling, with how to reach them.")),
    Step("professionals", _("Professionals and lines I can contact"),
         _("My GP, prescriber, therapist or care team, and crisis lines, with their numbers and hours.")),
    Step("safer_surroundings", _("Making my surroundings safer"),
         _("What I can put out of reach, or ask someone to keep for me, while things are hard.")),
    Step("reasons_for_living", _("My reasons for living"),
         _("The people, things and hopes that matter most to me.")),
]
FIELDS = [step.field for step in STEPS]


@dataclass(frozen=True)
class FilledStep:
    step: Step
    items: list[str]

    @property
    def number(self) -> int:
        """The step's place in the whole plan (1 to 7), whichever steps are filled."""
        return STEPS.index(self.step) + 1


def plan_for(member) -> SafetyPlan | None:
    """The member's own plan, or None. Never call it for anyone but the member."""
    if not getattr(member, "is_authenticated", False):
        return None
    return SafetyPlan.objects.filter(member=member).first()


def items(text: str) -> list[str]:
    """One item a line, blank lines left out."""
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def filled_steps(plan: SafetyPlan | None) -> list[FilledStep]:
    """The steps the member wrote something in, in order."""
    if plan is None:
        return []
    return [FilledStep(step, items(getattr(plan, step.field))) for step in STEPS if items(getattr(plan, step.field))]


def is_empty(plan: SafetyPlan | None) -> bool:
    return not filled_steps(plan)


def as_text(plan: SafetyPlan) -> str:
    """The plan as plain text, for the member to copy or download and share where they
    choose (a message to the moderators, a note to a friend)."""
    updated = dateformat.format(timezone.localtime(plan.updated_at), "j F Y")
    lines = [gettext("My safety plan"), gettext("(updated %(date)s)") % {"date": updated}, ""]
    for filled in filled_steps(plan):
        lines.append(f"{filled.number}. {filled.step.heading}")
        lines.extend(f"   - {item}" for item in filled.items)
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"
