"""Watched-word patterns, compiled once: a phrase matches whole words in any case, a
regular expression as written (any case). Shared by the model's validation and by
screening, and importing neither."""

import functools
import re

PHRASE, REGEX = "phrase", "regex"


@functools.lru_cache(maxsize=512)
def compile_rule(match_type: str, pattern: str) -> re.Pattern:
    if match_type == REGEX:
        return re.compile(pattern, re.IGNORECASE)
    words = [re.escape(word) for word in pattern.split()]
    if not words:
        raise ValueError("the phrase is empty")
    return re.compile(r"(?<!\w)" + r"\W+".join(words) + r"(?!\w)", re.IGNORECASE)
