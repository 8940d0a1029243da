"""Crisis lines for the banner, /help/ and the support notes.

Every page shows the banner, so the lines are read once into Django's cache and served
from there; the admin calls `resources_changed()` when a line is saved or deleted.
The region a reader sees comes, in order, from: the member's setting; the region cookie
(the banner's selector); the browser's languages (Accept-Language, "en-GB"); the time
zone the page sends (safety/regions.py; kept in a member's session, never stored for a
reader without an account). When none of them names a region we have lines for, the
reader gets the international directory and "your local emergency number", never
another country's lines.

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
from urllib.parse import quote

from django.core.cache import cache
from django.db import DatabaseError
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from forum.outages import Outage

from . import regions
from .models import CrisisResource

logger = logging.getLogger(__name__)
SHIPPED_LINES = Path(__file__).with_name("crisis_lines.json")
cache_outage = Outage(logger, "The cache", "crisis lines are read from the database instead.")
database_outage = Outage(logger, "The database", "crisis lines are shown from the copy shipped with the forum.")

CACHE_KEY = "crisis-resources:v2"
CACHE_SECONDS = 60 * 60
REGION_COOKIE = "crisis_region"
REGION_COOKIE_MAX_AGE = 60 * 60 * 24 * 365
# A member's region guessed from the time zone their page sent (safety.views.region_guess).
SESSION_TIMEZONE_REGION = "crisis_region_from_timezone"
UNKNOWN = CrisisResource.INTERNATIONAL

# Where the reader's region came from: the banner offers a choice when it is a guess or unknown.
CHOSEN, COOKIE, LANGUAGE, TIMEZONE, NOT_KNOWN = "setting", "cookie", "language", "timezone", "unknown"

# The regions a reader can choose, in the order the selector lists them.
REGION_NAMES = {
    "CA": gettext_lazy("Canada"),
    "US": gettext_lazy("United States"),
    "GB": gettext_lazy("United Kingdom"),
    "IE": gettext_lazy("Ireland"),
    "AU": gettext_lazy("Australia"),
    CrisisResource.INTERNATIONAL: gettext_lazy("Somewhere else"),
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
    languages: str  # codes: "en,fr"
    is_primary: bool
    emergency_number: str
    source: str
    name_fr: str = ""
    description_fr: str = ""

    @property
    def display_name(self) -> str:
        """The service's own name in the reader's language, where it has one."""
        return self.name_fr if self.name_fr and _reading_french() else self.name

    @property
    def display_description(self) -> str:
        return self.description_fr if self.description_fr and _reading_french() else self.description

    @property
    def language_codes(self) -> list[str]:
        return [code.strip() for code in self.languages.split(",") if code.strip()]

    @property
    def answers_in(self) -> str:
        """"English and French", in the reader's language; "" when the service does not say."""
        names = [str(LANGUAGE_NAMES.get(code, code)) for code in self.language_codes]
        if len(names) < 2:
            return names[0] if names else ""
        return _("%(some)s and %(last)s") % {"some": ", ".join(names[:-1]), "last": names[-1]}

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
        """sms: with the keyword as the message body ("sms:85258?body=SHOUT", RFC 5724),
        so one tap opens a message ready to send."""
        href = "sms:" + _digits(self.text_number)
        return f"{href}?body={quote(self.text_keyword)}" if self.text_keyword else href

    @property
    def text_label(self) -> str:
        """"Text SHOUT to 85258", "Text 9-8-8": the words on a Text button."""
        if self.text_keyword:
            return _("Text %(keyword)s to %(number)s") % {"keyword": self.text_keyword, "number": self.text_display}
        return _("Text %(number)s") % {"number": self.text_display}

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
        return str(self._how_to_reach(self.call_display, self.text_display, self.web_label, plain=True))

    @property
    def how_to_reach_html(self) -> SafeString:
        """The same words as how_to_reach, with each number a tel: or sms: link."""
        call = format_html('<a href="{}">{}</a>', self.call_href, self.call_display) if self.call_display else ""
        text = format_html('<a href="{}">{}</a>', self.text_href, self.text_display) if self.text_display else ""
        web = format_html('<a href="{}">{}</a>', self.web_url, self.web_label) if self.web_url else ""
        return self._how_to_reach(call, text, web, plain=False)

    @property
    def sentence(self) -> str:
        """"Call or text 9-8-8, any time.": how to reach it, and when."""
        if self.is_always_open:
            return _("%(how)s, any time.") % {"how": self.how_to_reach}
        return f"{self.how_to_reach}."

    @property
    def sentence_html(self) -> SafeString:
        if self.is_always_open:
            return format_html(_("%(how)s, any time.").replace("%(how)s", "{}"), self.how_to_reach_html)
        return format_html("{}.", self.how_to_reach_html)

    def _how_to_reach(self, call, text, web, *, plain: bool):
        """One sentence for both: the words are translated once, the numbers (plain, or
        as links) slot in."""
        both = call and text and self.call_display == self.text_display and not self.text_keyword
        if both:
            template, values = _("Call or text %(number)s"), {"number": call}
        elif call and text and self.text_keyword:
            template, values = _("Call %(call)s or text %(keyword)s to %(text)s"), {
                "call": call, "keyword": self.text_keyword, "text": text,
            }
        elif call and text:
            template, values = _("Call %(call)s or text %(text)s"), {"call": call, "text": text}
        elif call:
            template, values = _("Call %(number)s"), {"number": call}
        elif text and self.text_keyword:
            template, values = _("Text %(keyword)s to %(number)s"), {"keyword": self.text_keyword, "number": text}
        elif text:
            template, values = _("Text %(number)s"), {"number": text}
        elif web:
            template, values = _("Visit %(site)s"), {"site": web}
        else:
            return ""
        if plain:
            return template % values
        return format_html(template.replace("%(", "{").replace(")s", "}"), **values)


@dataclass(frozen=True)
class Banner:
    region: str
    region_name: str
    primary: Line | None
    sentence: str
    sentence_html: SafeString
    emergency_numbers: list[str]
    # The big buttons on the banner's first line and at the top of /help/: the region's
    # line to call and line to text (the same service, or two), or, where no line takes
    # calls (the international directory), a link to find one.
    call_line: Line | None = None
    text_line: Line | None = None
    find_url: str = ""

    action: str = ""  # the sentence without its question: "Call or text 9-8-8, any time."

    @property
    def action_sentence(self) -> str:
        return self.action


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
                source=r.source, name_fr=r.name_fr, description_fr=r.description_fr,
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
    """The settings page's choices: "work it out" first, then every region."""
    return [("", _("Let the forum work it out from my browser")), *region_choices()]


def valid_region(code: str | None, known=None) -> str | None:
    """The region code if we list lines for it (`known`: the regions to check against,
    by default those of the current lines)."""
    if not code:
        return None
    code = code.strip()
    code = code if code == CrisisResource.INTERNATIONAL else code.upper()
    return code if code in dict(region_choices() if known is None else known) else None


@dataclass(frozen=True)
class ReaderRegion:
    code: str  # a region with lines, or "international"
    source: str  # CHOSEN, COOKIE, LANGUAGE, TIMEZONE or NOT_KNOWN

    @property
    def is_guess(self) -> bool:
        """Not chosen by the reader: the banner offers them the choice."""
        return self.source not in (CHOSEN, COOKIE)


def reader_region(request, *, use_database: bool = True) -> ReaderRegion:
    """The reader's region and where it came from, worked out once per request.

    With use_database=False (the 500 page) nothing is asked of the database or the cache:
    a member's setting counts only if this request already loaded the member, and regions
    are checked against the shipped lines."""
    if not use_database:
        return _reader_region(request, known=shipped_regions(), user=getattr(request, "_cached_user", None))
    found = getattr(request, "_crisis_region", None)
    if found is None:
        found = _reader_region(request, known=None, user=getattr(request, "user", None))
        try:
            request._crisis_region = found
        except AttributeError:  # a request-like object that takes no attributes
            pass
    return found


def _reader_region(request, *, known, user) -> ReaderRegion:
    member = getattr(user, "is_authenticated", False)
    if member:
        chosen = valid_region(getattr(user, "region", ""), known)
        if chosen:
            return ReaderRegion(chosen, CHOSEN)
    cookies = getattr(request, "COOKIES", {})
    chosen = valid_region(cookies.get(REGION_COOKIE), known)
    if chosen:
        return ReaderRegion(chosen, COOKIE)
    headers = getattr(request, "headers", {})
    country = regions.country_from_accept_language(headers.get("Accept-Language"))
    if country and country != UNKNOWN and valid_region(country, known):
        return ReaderRegion(valid_region(country, known), LANGUAGE)
    session = getattr(request, "session", None) if known is None else None
    if member and session is not None:
        guessed = valid_region(session.get(SESSION_TIMEZONE_REGION))
        if guessed:
            return ReaderRegion(guessed, TIMEZONE)
    return ReaderRegion(UNKNOWN, NOT_KNOWN)


def page_variant(request) -> str:
    """What of the crisis lines a page shows for this reader: their region, where it came
    from (a guess offers the choice), the region's lines and the regions to choose from.
    Pages kept for anonymous readers (forum.page_cache) are kept apart by it, so an edited
    line shows at once."""
    region = reader_region(request)
    return repr((region.code, region.source, lines_for(region.code), region_choices()))


def region_for(request, *, use_database: bool = True) -> str:
    """The reader's region: their setting, their cookie, their browser's languages, the
    time zone their page sent; "international" when none of them names a region we have
    lines for."""
    return reader_region(request, use_database=use_database).code


def region_for_timezone(zone: str | None) -> str | None:
    """A region we have lines for, from an IANA time zone the page sent; else None."""
    region = regions.region_from_timezone(zone)
    return valid_region(region) if region else None


def lines_for(region: str) -> list[Line]:
    """The region's lines; for a reader who reads French, the lines that answer in French
    come first (in their own order), so a francophone is not sent to an English-only line."""
    lines = [line for line in all_lines() if line.region == region]
    language = (get_language() or "en").split("-")[0]
    return sorted(lines, key=lambda line: language not in line.language_codes) if language != "en" else lines


def lines_by_region() -> list[tuple[str, str, list[Line]]]:
    """(code, name, lines) for every region, in the selector's order."""
    return [(code, name, lines_for(code)) for code, name in region_choices()]


def banner_for(region: str, lines: list[Line] | None = None) -> Banner:
    """The banner's sentence for a region, from its lines (by default the current ones)."""
    lines = lines_for(region) if lines is None else lines
    primary = next((line for line in lines if line.is_primary), lines[0] if lines else None)
    question = _("Thinking about suicide or in crisis?")
    if primary is None:
        action = _("Find a line near you on our help page.")
        action_html = format_html("{}", action)
        emergency = []
    else:
        action, action_html = primary.sentence, primary.sentence_html
        emergency = primary.emergency_numbers
    sentence = f"{question} {action}"
    sentence_html = format_html("{} {}", question, action_html)
    call_line = _first_with(lines, primary, "call_number")
    text_line = _first_with(lines, primary, "text_number")
    find_url = primary.web_url if primary and not call_line and not text_line else ""
    return Banner(
        region=region,
        region_name=REGION_NAMES.get(region, region),
        primary=primary,
        sentence=sentence,
        sentence_html=sentence_html,
        emergency_numbers=emergency,
        call_line=call_line,
        text_line=text_line,
        find_url=find_url,
        action=action,
    )


def _first_with(lines: list[Line], primary: Line | None, field: str) -> Line | None:
    """The primary line if it has this way in, else the first line that has."""
    if primary is not None and getattr(primary, field):
        return primary
    return next((line for line in lines if getattr(line, field)), None)


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


LANGUAGE_NAMES = {"en": gettext_lazy("English"), "fr": gettext_lazy("French")}


def _reading_french() -> bool:
    return (get_language() or "").startswith("fr")
