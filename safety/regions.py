"""Where a reader probably is, from what their browser says: its languages
(Accept-Language) and its time zone.

Both are guesses, so they come after what the reader chose (their setting, the region
cookie): see safety.resources.region_for for the order. A guess names a country only
when it is plain: a language tag with a country ("en-GB", "fr-CA") or a time zone that
lies in one country. Anything else is no guess at all, and the reader then sees the
international directory and "your local emergency number", never another country's
lines.
"""

import re

# IANA time zones in the countries we have crisis lines for, from the tz database's
# zone.tab (tzdata 2025b), plus the older names some browsers still report (the tz
# database's "backward" links). A zone not listed here guesses nothing.
TIMEZONE_REGIONS = {
    "CA": (
        "America/Atikokan America/Blanc-Sablon America/Cambridge_Bay America/Creston America/Dawson "
        "America/Dawson_Creek America/Edmonton America/Fort_Nelson America/Glace_Bay America/Goose_Bay "
        "America/Halifax America/Inuvik America/Iqaluit America/Moncton America/Rankin_Inlet America/Regina "
        "America/Resolute America/St_Johns America/Swift_Current America/Toronto America/Vancouver "
        "America/Whitehorse America/Winnipeg "
        # backward links
        "America/Montreal America/Nipigon America/Pangnirtung America/Rainy_River America/Thunder_Bay "
        "America/Yellowknife America/Coral_Harbour Canada/Atlantic Canada/Central Canada/Eastern "
        "Canada/Mountain Canada/Newfoundland Canada/Pacific Canada/Saskatchewan Canada/Yukon"
    ),
    "US": (
        "America/Adak America/Anchorage America/Boise America/Chicago America/Denver America/Detroit "
        "America/Indiana/Indianapolis America/Indiana/Knox America/Indiana/Marengo America/Indiana/Petersburg "
        "America/Indiana/Tell_City America/Indiana/Vevay America/Indiana/Vincennes America/Indiana/Winamac "
        "America/Juneau America/Kentucky/Louisville America/Kentucky/Monticello America/Los_Angeles "
        "America/Menominee America/Metlakatla America/New_York America/Nome America/North_Dakota/Beulah "
        "America/North_Dakota/Center America/North_Dakota/New_Salem America/Phoenix America/Sitka "
        "America/Yakutat Pacific/Honolulu "
        # backward links
        "America/Atka America/Fort_Wayne America/Indianapolis America/Knox_IN America/Louisville "
        "America/Shiprock Navajo US/Alaska US/Aleutian US/Arizona US/Central US/East-Indiana US/Eastern "
        "US/Hawaii US/Indiana-Starke US/Michigan US/Mountain US/Pacific"
    ),
    "GB": "Europe/London Europe/Belfast GB GB-Eire",
    "IE": "Europe/Dublin Eire",
    "AU": (
        "Antarctica/Macquarie Australia/Adelaide Australia/Brisbane Australia/Broken_Hill Australia/Darwin "
        "Australia/Eucla Australia/Hobart Australia/Lindeman Australia/Lord_Howe Australia/Melbourne "
        "Australia/Perth Australia/Sydney "
        # backward links
        "Australia/ACT Australia/Canberra Australia/Currie Australia/LHI Australia/NSW Australia/North "
        "Australia/Queensland Australia/South Australia/Tasmania Australia/Victoria Australia/West "
        "Australia/Yancowinna"
    ),
}
_ZONE_TO_REGION = {zone: region for region, zones in TIMEZONE_REGIONS.items() for zone in zones.split()}

# Country subtags that are not ISO 3166 codes but turn up in the wild.
_COUNTRY_ALIASES = {"UK": "GB"}
_LANGUAGE_TAG = re.compile(r"^[a-z]{2,3}(?:-[a-z]{4})?-(?P<country>[a-z]{2})(?:-|$)", re.IGNORECASE)
MAX_HEADER_LENGTH = 500


def region_from_timezone(zone: str | None) -> str | None:
    """The country of an IANA time zone, if it is one we know; else None."""
    return _ZONE_TO_REGION.get((zone or "").strip()[:64])


def country_from_accept_language(header: str | None) -> str | None:
    """The country of the reader's most preferred language tag that names one
    ("en-GB" -> "GB"), or None when no tag names a country. Later tags are not
    consulted once one names a country: a second language says less about where the
    reader is than the first."""
    tags = []
    for position, part in enumerate((header or "")[:MAX_HEADER_LENGTH].split(",")):
        tag, _, params = part.strip().partition(";")
        quality = 1.0
        for param in params.split(";"):
            name, _, value = param.strip().partition("=")
            if name == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        if tag and quality > 0:
            tags.append((-quality, position, tag.strip()))
    for _, _, tag in sorted(tags):
        found = _LANGUAGE_TAG.match(tag)
        if found:
            country = found.group("country").upper()
            return _COUNTRY_ALIASES.get(country, country)
    return None
