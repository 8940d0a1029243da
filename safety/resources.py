"""Crisis lines for the banner, /help/ and the support notes.

Every page shows the banner, so the lines are read once into Django's cache and served
from there; the admin calls `resources_changed()` when a line is saved or deleted.
The region a reader sees comes from their settings (members), a cookie (readers
without an account) or settings.CRISIS_DEFAULT_REGION.

The lines never depend on anything else working. A cache that fails is skipped for the
database; a database that fails (or holds no lines) is skipped for the lines shipped in
the repository (crisis_lines.json, the same lines the data migration seeds). Each outage
is logged once (forum.outages), not on every page.
"""

import json
import logging
import re
from dataclasses import dataclass, fields
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError
from django.utils.html import format_html
from django.utils.safestring import SafeString

from forum.outages import Outage

from .models import CrisisResource

logger = logging.getLogger(__name__)
SHIPPED_LINES = Path(__file__).with_name("crisis_lines.json")
cache_outage = Outage(logger, "The cache", "crisis lines are read from the database instead.")
database_outage = Outage(logger, "The database", "crisis lines are shown from the copy shipped with the forum.")

CACHE_KEY = "crisis-resources:v1"
CACHE_SECONDS = 60 * 60
REGION_COOKIE = "crisis_region"
REGION_COOKIE_MAX_AGE = 60 * 60 * 24 * 365

# The regions a reader can choose, in the order the selector lists them.
REGION_NAMES = {
    "CA": "Canada",
    "US": "United States",
    "GB": "United Kingdom",
    "IE": "Ireland",
    "AU": "Australia",
    CrisisResource.INTERNATIONAL: "Somewhere else",
}


@dataclass(frozen=True)
class Line:
    """One crisis line, as pages show it."""

    region: str
    name: str
    description: str
    call_number: str
    text_number: str
    text_keyword: str
    chat_url: str
    web_url: str
    hours: str
    languages: str
    is_primary: bool
    emergency_number: str
    source: str

    @property
    def call_display(self) -> str:
        return _display_number(self.name, self.call_number)

    @property
    def text_display(self) -> str:
        return _display_number(self.name, self.text_number)

    @property
    def call_href(self) -> str:
        return "tel:" + _digits(self.call_number)

    @property
    def text_href(self) -> str:
        return "sms:" + _digits(self.text_number)

    @property
    def web_label(self) -> str:
        return re.sub(r"^https?://(www\.)?", "", self.web_url).rstrip("/")

    @property
    def is_always_open(self) -> bool:
        return self.hours.strip() == "24/7"

    @property
    def emergency_numbers(self) -> list[str]:
        return [number.strip() for number in self.emergency_number.split(" or ") if number.strip()]

    @property
    def how_to_reach(self) -> str:
        """"Call or text 9-8-8", "Call 116 123", "Text SHOUT to 85258", for sentences."""
        call, text = self.call_display, self.text_display
        if call and text and call == text and not self.text_keyword:
            return f"Call or text {call}"
        parts = []
        if call:
            parts.append(f"call {call}")
        if text:
            parts.append(f"text {self.text_keyword} to {text}" if self.text_keyword else f"text {text}")
        if not parts and self.web_url:
            parts.append(f"visit {self.web_label}")
        sentence = " or ".join(parts)
        return sentence[:1].upper() + sentence[1:]

    @property
    def how_to_reach_html(self) -> SafeString:
        """The same words as how_to_reach, with each number a tel: or sms: link."""
        call, text = self.call_display, self.text_display
        call_link = format_html('<a href="{}">{}</a>', self.call_href, call) if call else ""
        text_link = format_html('<a href="{}">{}</a>', self.text_href, text) if text else ""
        if call and text and call == text and not self.text_keyword:
            return format_html("Call or text {}", call_link)
        parts = []
        if call:
            parts.append(format_html("call {}", call_link))
        if text:
            parts.append(
                format_html("text {} to {}", self.text_keyword, text_link)
                if self.text_keyword
                else format_html("text {}", text_link)
            )
        if not parts and self.web_url:
            parts.append(format_html('visit <a href="{}">{}</a>', self.web_url, self.web_label))
        html = format_html(" or ".join(["{}"] * len(parts)), *parts)
        return SafeString(html[:1].upper() + html[1:]) if html and html[0] != "<" else html


@dataclass(frozen=True)
class Banner:
    region: str
    region_name: str
    primary: Line | None
    sentence: str
    sentence_html: SafeString
    emergency_numbers: list[str]

    @property
    def action_sentence(self) -> str:
        """The sentence without its question: "Call or text 9-8-8, any time." """
        return self.sentence.split("? ", 1)[-1]


def all_lines() -> list[Line]:
    """Every line, by region then position: one cache read, one query when cold, and the
    shipped lines when neither the cache nor the database answers."""
    lines = _cached_lines()
    if lines is not None:
        return lines
    lines = _database_lines()
    if not lines:  # unreachable, or every line deleted: never leave a reader with none
        return shipped_lines()
    try:
        cache.set(CACHE_KEY, lines, CACHE_SECONDS)
    except Exception:  # noqa: BLE001 - a cache outage costs a query per page, never the page
        cache_outage.failed()
    return lines


def _cached_lines() -> list[Line] | None:
    try:
        lines = cache.get(CACHE_KEY)
    except Exception:  # noqa: BLE001 - whatever the backend raises, the lines come from elsewhere
        cache_outage.failed()
        return None
    cache_outage.recovered()
    return lines


def _database_lines() -> list[Line] | None:
    try:
        lines = [
            Line(
                region=r.region, name=r.name, description=r.description, call_number=r.call_number,
                text_number=r.text_number, text_keyword=r.text_keyword, chat_url=r.chat_url, web_url=r.web_url,
                hours=r.hours, languages=r.languages, is_primary=r.is_primary, emergency_number=r.emergency_number,
                source=r.source,
            )
            for r in CrisisResource.objects.order_by("region", "position", "name")
        ]
    except DatabaseError:
        database_outage.failed()
        return None
    database_outage.recovered()
    return lines


@lru_cache(maxsize=1)
def _shipped() -> tuple[Line, ...]:
    data = json.loads(SHIPPED_LINES.read_text(encoding="utf-8"))
    names = {field.name for field in fields(Line)}
    return tuple(Line(**{key: value for key, value in line.items() if key in names}) for line in data["lines"])


def shipped_lines() -> list[Line]:
    """The lines shipped in the repository (crisis_lines.json): no database, no cache."""
    return list(_shipped())


def shipped_lines_for(region: str) -> list[Line]:
    return [line for line in _shipped() if line.region == region]


def shipped_regions() -> list[tuple[str, str]]:
    """The regions of the shipped lines, in the selector's order."""
    return _regions_of(_shipped())


def resources_changed() -> None:
    """Call after any change to CrisisResource rows, so pages show it at once."""
    try:
        cache.delete(CACHE_KEY)
    except Exception:  # noqa: BLE001 - the entry expires after CACHE_SECONDS anyway
        cache_outage.failed()


def region_choices() -> list[tuple[str, str]]:
    return _regions_of(all_lines())


def _regions_of(lines) -> list[tuple[str, str]]:
    regions = {line.region for line in lines}
    known = [(code, name) for code, name in REGION_NAMES.items() if code in regions]
    others = sorted((code, code) for code in regions if code not in REGION_NAMES)
    return known + others


def region_choices_with_default() -> list[tuple[str, str]]:
    """The settings page's choices: "let the forum choose" first, then every region."""
    default = REGION_NAMES.get(settings.CRISIS_DEFAULT_REGION, settings.CRISIS_DEFAULT_REGION)
    return [("", f"Let the forum choose ({default})"), *region_choices()]


def valid_region(code: str | None, known=None) -> str | None:
    """The region code if we list lines for it (`known`: the regions to check against,
    by default those of the current lines)."""
    if not code:
        return None
    code = code.strip()
    code = code if code == CrisisResource.INTERNATIONAL else code.upper()
    return code if code in dict(region_choices() if known is None else known) else None


def region_for(request, *, use_database: bool = True) -> str:
    """The reader's region: their setting, else their cookie, else the country their
    browser's language names (en-GB, fr-CA), else the default.

    With use_database=False (the 500 page) nothing is asked of the database or the cache:
    a member's setting counts only if this request already loaded the member, and regions
    are checked against the shipped lines."""
    known = region_choices() if use_database else shipped_regions()
    user = getattr(request, "user", None) if use_database else getattr(request, "_cached_user", None)
    if getattr(user, "is_authenticated", False):
        chosen = valid_region(getattr(user, "region", ""), known)
        if chosen:
            return chosen
    return (
        valid_region(request.COOKIES.get(REGION_COOKIE), known)
        or region_from_languages(request.headers.get("Accept-Language", ""), known)
        or settings.CRISIS_DEFAULT_REGION
    )


def region_from_languages(header: str, known) -> str | None:
    """The country of the reader's most preferred language that names one ("en-AU" is
    Australia): one we list lines for, else "international" (Find A Helpline) for a
    country we have none for. None when no language names a country ("en")."""
    known = dict(known)
    ranked = []
    for position, part in enumerate(header.split(",")[:16]):
        tag, _, params = part.strip().partition(";")
        quality = 1.0
        if params.strip().startswith("q="):
            try:
                quality = float(params.strip()[2:])
            except ValueError:
                quality = 0.0
        ranked.append((-quality, position, tag.strip()))
    for quality, _, tag in sorted(ranked):
        if quality == 0:  # q=0: "not this language"
            continue
        # The region subtag: two letters after the language (and any script): en-GB, zh-Hant-TW.
        country = next((sub for sub in tag.split("-")[1:] if len(sub) == 2 and sub.isalpha()), None)
        if country:
            country = country.upper()
            if country in known:
                return country
            if CrisisResource.INTERNATIONAL in known:
                return CrisisResource.INTERNATIONAL
    return None


def lines_for(region: str) -> list[Line]:
    return [line for line in all_lines() if line.region == region]


def lines_by_region() -> list[tuple[str, str, list[Line]]]:
    """(code, name, lines) for every region, in the selector's order."""
    return [(code, name, lines_for(code)) for code, name in region_choices()]


def banner_for(region: str, lines: list[Line] | None = None) -> Banner:
    """The banner's sentence for a region, from its lines (by default the current ones)."""
    lines = lines_for(region) if lines is None else lines
    primary = next((line for line in lines if line.is_primary), lines[0] if lines else None)
    if primary is None:
        sentence = "Thinking about suicide or in crisis? Find a line near you on our help page."
        sentence_html = format_html("{}", sentence)
        emergency = []
    else:
        when = ", any time." if primary.is_always_open else "."
        sentence = f"Thinking about suicide or in crisis? {primary.how_to_reach}{when}"
        sentence_html = format_html("Thinking about suicide or in crisis? {}{}", primary.how_to_reach_html, when)
        emergency = primary.emergency_numbers
    return Banner(
        region=region,
        region_name=REGION_NAMES.get(region, region),
        primary=primary,
        sentence=sentence,
        sentence_html=sentence_html,
        emergency_numbers=emergency,
    )


def _digits(number: str) -> str:
    return re.sub(r"[^0-9+]", "", number)


def _display_number(name: str, number: str) -> str:
    """A number as its service writes it: Canada's line is "9-8-8" in its own name."""
    if not number:
        return ""
    for candidate in re.findall(r"\d[\d\- ]*\d", name):
        if _digits(candidate) == _digits(number) and candidate != number:
            return candidate
    return number
