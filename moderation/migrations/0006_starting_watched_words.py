"""Starting hold rules for drug sourcing and selling (docs/safety-reference.md: no sourcing, selling or
price talk). Phrase-level on purpose: this forum talks about doses in mg, clinic costs,
crisis-line numbers and "my ketamine session" every day, and none of that is held.
Moderators edit or switch these off in the admin."""

from django.db import migrations

DRUGS = (
    r"(?:ket|ketamine|k|mdma|molly|mandy|ecstasy|xtc|e|pills|benzos?|xanax|xans|bars|valium|etizolam|"
    r"klonopin|oxys?|lsd|acid|tabs|shrooms|mushrooms|psilocybin|dmt|coke|speed|weed|gear)"
)
PRIVATE_CONTACT = "Please keep contact on the forum: private contact is how sourcing and scams start."
NO_SOURCING = "This forum has no sourcing, selling or price talk for drugs, so a moderator will look first."

RULES = [
    (
        "No sourcing: asking where to buy drugs",
        r"\b(?:where|how)\b[^.?!\n]{0,30}\b(?:buy|score|cop|get hold of|pick up|order)\b[^.?!\n]{0,25}\b"
        + DRUGS
        + r"\b(?![^.?!\n]{0,40}\b(?:treatment|clinic|therap|infusion|trial|prescri|doctor|psychiatrist|insurance))",
        NO_SOURCING,
    ),
    (
        "No sourcing: vendors, plugs and dealers",
        r"\b(?:(?:any(?:one|body)|who|some(?:one|body))(?: here)?(?: who)? (?:knows?|has|have|got|recommends?|can recommend)"
        r"|looking for|need|hook (?:me|you) up with|trusted|reliable|legit)"
        r" (?:an? |my |your |the |good |decent )*(?:plug|vendor|dealer|supplier|connect|hookup|hook-up)s?\b"
        r"|\b(?:any(?:one|body)|who)\b[^.?!\n]{0,25}\b(?:source|sauce)\b (?:for|of) " + DRUGS + r"\b",
        NO_SOURCING,
    ),
    (
        "No sourcing: darknet and no-prescription buying",
        r"\b(?:dark ?web|darknet|dnm|onion)\b[^.?!\n]{0,20}\b(?:markets?|vendors?|sites?|links?|shops?)\b"
        r"|\b(?:buy|bought|order|ordered|get|got|purchase|source)\w*\b[^.?!\n]{0,40}\b(?:without (?:a )?(?:prescription|script|rx)|no[- ]script)\b",
        NO_SOURCING,
    ),
    (
        "No selling or prices for drugs",
        r"\bhow much (?:for|is|are|per|do you (?:charge|want|sell)(?: for)?) (?:a |an |one |the |your |half (?:a )?)?"
        r"(?:g|gram|grams|oz|ounce|q|quarter|eighth|8th|tabs?|points?|bags?|baggies|bars?|caps?)\b"
        r"|(?:[$€£]\s?\d+|\b\d+\s?(?:\$|€|£|quid|bucks|dollars|euros?))\s?(?:a|per|/|for (?:a|an|one|the))\s?(?:g|gram|oz|ounce|tab|point|bag|bar|cap)s?\b"
        r"|\b(?:selling|for sale|(?:got|have) (?:some )?(?:extra|spare|leftover))\b[^.?!\n]{0,30}\b" + DRUGS + r"\b",
        NO_SOURCING,
    ),
    (
        "Private contact: DM me",
        r"\b(?:dm|pm|inbox|msg) me\b|\bhit me up\b|\bhmu\b|\bmessage me (?:privately|directly|off[- ]site|off the forum)\b"
        r"|\b(?:dm|pm) (?:for|4) (?:details|prices?|info|menu|more)\b|\bcheck (?:your|ur) (?:dms?|pms?|inbox)\b"
        r"|\bslide into (?:my|your) dms?\b",
        PRIVATE_CONTACT,
    ),
    (
        "Private contact: messenger or social media handles",
        r"\b(?:add|find|reach|contact|message|text|hit) me (?:up )?on (?:telegram|whatsapp|wickr|signal|snapchat|snap|kik|discord|threema|session|instagram|insta|ig|tiktok|wechat)\b"
        r"|\bmy (?:telegram|whatsapp|wickr|snapchat|snap|kik|discord|threema|instagram|insta|tiktok|wechat)(?: (?:is|id|handle|username|name))?\s?[:@]"
        r"|\b(?:telegram|whatsapp|wickr|snapchat|snap|kik|discord|threema|instagram|insta|ig|tiktok|wechat|signal|session)\s?(?:id|handle|username)?\s?[:=-]?\s?@[a-z0-9_.]{3,}"
        r"|\b(?:t\.me|telegram\.me|wa\.me|discord\.gg|discord\.com/invite|snapchat\.com/add)/\S+",
        PRIVATE_CONTACT,
    ),
    (
        "Private contact: crypto wallet addresses",
        r"\b(?:bc1[a-z0-9]{25,59}|[13][a-km-zA-HJ-NP-Z1-9]{25,34}|0x[a-f0-9]{40}|[48][0-9ab][1-9a-hj-np-z]{93})\b"
        r"|\b(?:pay|payment|accept|only take)\w*\b[^.?!\n]{0,20}\b(?:btc|bitcoin|xmr|monero|crypto|usdt)\b",
        NO_SOURCING,
    ),
    (
        "Private contact: phone numbers",
        # Toll-free numbers (crisis lines, helplines) are left alone: members share them to help.
        r"(?<![\w+])(?!(?:\+?1[\s.-]?)?\(?8(?:00|33|44|55|66|77|88)\b)"
        r"(?:\+\d{1,3}[\s.-]?)?(?:\(\d{2,4}\)\s?|\d{3}[\s.-])\d{3}[\s.-]\d{4}(?!\w)"
        r"|\+\d{2,3}[\s.-]?\d{2,4}[\s.-]?\d{3,4}[\s.-]?\d{3,4}(?!\w)"
        r"|\b07\d{3}\s?\d{6}\b",
        PRIVATE_CONTACT,
    ),
]


def add_rules(apps, schema_editor):
    WatchedWord = apps.get_model("moderation", "WatchedWord")
    for name, pattern, explanation in RULES:
        WatchedWord.objects.get_or_create(
            name=name,
            defaults={"pattern": pattern, "match_type": "regex", "action": "hold", "explanation": explanation},
        )


def remove_rules(apps, schema_editor):
    WatchedWord = apps.get_model("moderation", "WatchedWord")
    WatchedWord.objects.filter(name__in=[name for name, _, _ in RULES]).delete()


class Migration(migrations.Migration):
    dependencies = [("moderation", "0005_review_queue")]
    operations = [migrations.RunPython(add_rules, remove_rules)]
