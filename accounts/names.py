"""Pseudonyms that look like another: a name is compared by its skeleton, not its letters.

A skeleton (Unicode's UTS #39) maps every character to the one it can be mistaken for:
Cyrillic "а" and Latin "a", fullwidth "Ａ" and "A", "0" and "O", "m" and "rn". Here it is
NFKC first (compatibility forms such as fullwidth letters), then the confusables mapping,
then case folding, repeated until nothing changes (folding can uncover another mapping:
Cyrillic "М" maps to "M", which folds to "m", which looks like "rn").

Two names collide when they share a key. A name has two keys: its skeleton as written
(so "BiII" with capital i's meets "Bill") and the skeleton of its case-folded form (so
"Ilse" meets "ilse" even with a Cyrillic "е"). The keys are stored as SHA-256 digests on
the member's row (accounts.models.User.name_key, name_key_folded) and a former member
keeps the keys of the name they had: a deleted member's name is never handed to someone
else, so old @mention links never point to a newcomer.

The mapping is Unicode's own data, accounts/data/confusables.txt.
"""

import functools
import hashlib
import re
import unicodedata
from pathlib import Path

CONFUSABLES = Path(__file__).resolve().parent / "data" / "confusables.txt"

# Names that could pass for the forum's staff, its services or a crisis line.
RESERVED_WORDS = frozenset(
    """
    admin administrator administration root sysadmin superuser system
    mod mods moderator moderators moderation staff team official
    support helpdesk help helpline hotline crisis crisisline emergency
    988 911 999 112 000 samaritans lifeline
    forum commonground security abuse report reports noreply postmaster webmaster
    doctor nurse psychiatrist therapist
    """.split()
)
# A name that begins with one of these reads as staff even without a separator.
RESERVED_PREFIXES = ("admin", "moderator", "crisis", "official", "988", "911")


@functools.cache
def _prototypes() -> dict[str, str]:
    mapping = {}
    for line in CONFUSABLES.read_text(encoding="utf-8").splitlines():
        if not line or line.startswith("#"):
            continue
        source, target = (part.strip() for part in line.split(";")[:2])
        mapping[chr(int(source, 16))] = "".join(chr(int(code, 16)) for code in target.split())
    return mapping


def _uts39(text: str) -> str:
    """UTS #39's skeleton: NFD, each character to its prototype, NFD again."""
    prototypes = _prototypes()
    decomposed = unicodedata.normalize("NFD", text)
    return unicodedata.normalize("NFD", "".join(prototypes.get(char, char) for char in decomposed))


def skeleton(text: str) -> str:
    """NFKC, confusables folded, case folded, until it no longer changes."""
    current = unicodedata.normalize("NFKC", text)
    for _ in range(5):
        folded = unicodedata.normalize("NFKC", _uts39(current).casefold())
        if folded == current:
            break
        current = folded
    return current


def name_keys(username: str) -> tuple[str, str]:
    """The two keys a name is compared by: its skeleton as written, and that of its
    case-folded form. Digests, so a former member's row does not keep the name itself."""
    return _digest(skeleton(username)), _digest(skeleton(username.casefold()))


def _digest(value: str) -> str:
    return hashlib.sha256(value.encode("utf-8")).hexdigest()


@functools.cache
def _reserved() -> tuple[frozenset[str], tuple[str, ...]]:
    return frozenset(skeleton(word) for word in RESERVED_WORDS), tuple(skeleton(p) for p in RESERVED_PREFIXES)


def username_is_reserved(username: str) -> bool:
    """True when a username reads as staff, a service or a crisis line, however it is
    spelled: "admin", "Mod_Jo", "crisis-line", "988help", "support.team", fullwidth
    "Ａｄｍｉｎ" and "Moderatоr" with a Cyrillic "о" are refused; "modern_life",
    "supportive_sam" and "jo1988x" are not.

    Words (runs of letters, or of digits) are compared whole, and the name with its
    separators taken out is compared whole and by its beginning, each as a skeleton.
    """
    words, prefixes = _reserved()
    folded = unicodedata.normalize("NFKC", username).casefold()
    runs = re.findall(r"[^\W\d_]+|\d+", folded)
    squashed = skeleton("".join(runs))
    return (
        squashed in words
        or any(skeleton(run) in words for run in runs)
        or squashed.startswith(prefixes)
    )
