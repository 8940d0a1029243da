"""Crisis detection lives in the safety app (safety/crisis.py). This name is kept because
moderation.crisis.assess is a public name other code and tools call."""

from safety.crisis import LEVELS, NONE, URGENT, CONCERN, Assessment, assess, method_details  # noqa: F401
