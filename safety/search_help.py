"""Whether a search reads as someone looking for help right now.

The search page shows the reader's crisis lines above the results for such a query.
Forum's search knows nothing of this: its template asks the `reads_as_crisis` filter."""

import re

from . import crisis

# Queries too short to read as a crisis on their own words, but that plainly ask for help.
CRISIS_QUERY_PHRASES = (
    "suicide hotline", "suicide helpline", "suicide line", "suicide lifeline", "suicide prevention line",
    "crisis line", "crisis hotline", "crisis helpline", "crisis text line", "crisis number",
    "feeling suicidal", "feel suicidal", "suicidal thoughts", "suicidal ideation",
    "want to die", "wanna die", "end my life", "ending my life", "kill myself", "killing myself",
    "hurt myself", "hurting myself", "self harm", "harm myself", "no reason to live",
)


def is_crisis_query(query: str) -> bool:
    """The crisis assessment the posts get, or one of a few explicit phrases. Single
    everyday words ("dose", "overdose", "suicide" on its own) are not enough."""
    if not query:
        return False
    if crisis.assess(query).level != crisis.NONE:
        return True
    words = " " + " ".join(re.findall(r"[a-z0-9]+", query.lower())) + " "
    return any(f" {' '.join(re.findall(r'[a-z0-9]+', phrase))} " in words for phrase in CRISIS_QUERY_PHRASES)
