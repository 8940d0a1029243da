"""Sourcing: does a post try to buy, sell, find or price drugs outside medical care?

The forum's rule (docs/safety.md, "Sourcing"): members share experiences of treatment,
legal and not, but no sourcing, selling or price talk for drugs obtained outside
medical care. Licensed clinics, prescriptions, pharmacies, clinical trials and
harm-reduction services (drug checking, naloxone, supervised consumption) are ordinary
topics and must pass, and so must stories of past use.

`check(text)` (Markdown) and `check_visible(text)` (already rendered, as screening passes
it) read the whole post through safety.text's normaliser, the way safety/crisis.py does,
and return a Finding or None. Two readers, either one enough:

- rules, one set per kind (selling, buying, source_request, contact_handle,
  online_pharmacy, underground_therapist, price), each a pattern over the whole post
  with the hard-negative guards that cancel it (a clinic or a prescription in the same
  sentence, a harm-reduction service, a story told in the past, a warning);
- a linear model (moderation/sourcing_model.py, trained on moderation/corpus by
  `manage.py sourcing_train`) for the phrasings no rule names.

A finding holds the post for a moderator (moderation/screening.py); it never blocks or
deletes it. Each kind has an explanation for the member, shown under their held post
and stored on the queue item with the rule's name.
"""

import re
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from safety import text as texts

SELLING = "selling"
BUYING = "buying"
SOURCE_REQUEST = "source_request"
CONTACT_HANDLE = "contact_handle"
ONLINE_PHARMACY = "online_pharmacy"
UNDERGROUND_THERAPIST = "underground_therapist"
PRICE = "price"
KINDS = (SELLING, BUYING, SOURCE_REQUEST, CONTACT_HANDLE, ONLINE_PHARMACY, UNDERGROUND_THERAPIST, PRICE)

# Each kind's rule name: stored in English as the queue item's reason (like every reason),
# shown translated to the author.
NAMES_EN = {
    SELLING: "Sourcing: offering drugs or medication to others",
    BUYING: "Sourcing: asking to buy or be given drugs",
    SOURCE_REQUEST: "Sourcing: asking for a dealer, vendor or market",
    CONTACT_HANDLE: "Sourcing: private contact to arrange drugs",
    ONLINE_PHARMACY: "Sourcing: online pharmacies without a prescription",
    UNDERGROUND_THERAPIST: "Sourcing: underground therapists, guides or clinics",
    PRICE: "Sourcing: prices of street drugs",
}
# The same names marked for translation (makemessages reads the literals).
NAMES = {
    SELLING: pgettext_lazy("sourcing rule", "Sourcing: offering drugs or medication to others"),
    BUYING: pgettext_lazy("sourcing rule", "Sourcing: asking to buy or be given drugs"),
    SOURCE_REQUEST: pgettext_lazy("sourcing rule", "Sourcing: asking for a dealer, vendor or market"),
    CONTACT_HANDLE: pgettext_lazy("sourcing rule", "Sourcing: private contact to arrange drugs"),
    ONLINE_PHARMACY: pgettext_lazy("sourcing rule", "Sourcing: online pharmacies without a prescription"),
    UNDERGROUND_THERAPIST: pgettext_lazy("sourcing rule", "Sourcing: underground therapists, guides or clinics"),
    PRICE: pgettext_lazy("sourcing rule", "Sourcing: prices of street drugs"),
}

# What the member is told: why the rule exists, and that nothing is deleted.
EXPLANATIONS = {
    SELLING: _(
        "It seems to offer drugs or medication to other members, for money or for free. Pills passed between "
        "people can be fake, wrongly dosed or dangerous with someone else's medication, so the forum does not "
        "allow it, even when it is meant kindly."
    ),
    BUYING: _(
        "It seems to ask other members for drugs or someone else's medication. We can't let the forum become a "
        "place to get them: what comes that way is often not what it seems. If you are running out of a "
        "medication or struggling with a taper, a pharmacist, a walk-in clinic or an emergency department can "
        "bridge you safely."
    ),
    SOURCE_REQUEST: _(
        "It seems to ask for a dealer, a supplier or a market. The forum has no sourcing of any kind, so that "
        "nobody here is pointed to drugs of unknown content, or to people who prey on those who are struggling."
    ),
    CONTACT_HANDLE: _(
        "It seems to move a conversation about drugs to a messaging app, a phone number or an email. Private "
        "contact is how sourcing and scams start, so please keep conversations on the forum, where moderators "
        "can help."
    ),
    ONLINE_PHARMACY: _(
        "It seems to be about buying medication or research chemicals online without a prescription. What these "
        "sites send is often fake or contaminated, and importing it can be illegal, so the forum does not "
        "recommend or name them."
    ),
    UNDERGROUND_THERAPIST: _(
        "It seems to ask for or offer an unlicensed therapist, guide, sitter or clinic. Psychedelic and "
        "ketamine sessions outside licensed care or a clinical trial carry real risks and no one to answer for "
        "them, so the forum does not help arrange them. Licensed clinics, trials and legal programmes are "
        "welcome topics."
    ),
    PRICE: _(
        "It seems to talk about what street drugs cost. Prices help people buy, so the forum does not allow "
        "them. Costs of legal treatment (clinics, prescriptions, insurance) are fine to share."
    ),
}
MODEL_KIND = "model"
NAMES_EN[MODEL_KIND] = "Sourcing: reads like the sourcing posts the model learned from"
MODEL_NAME = pgettext_lazy("sourcing rule", "Sourcing: reads like the sourcing posts the model learned from")
MODEL_EXPLANATION = _(
    "It reads like posts that try to buy, sell or find drugs outside medical care, which the forum does not "
    "allow. If it is about a licensed clinic, a prescription, a trial or a harm-reduction service, the moderator "
    "will see that and publish it."
)


@dataclass(frozen=True)
class Finding:
    kind: str  # one of KINDS, or MODEL_KIND when only the model found it
    words: str  # the words that matched, for moderators
    by: str  # "rules" or "model"
    score: float | None = None  # the model's score when it was asked

    @property
    def name(self) -> str:
        return str(NAMES.get(self.kind, MODEL_NAME))

    @property
    def explanation(self) -> str:
        return str(EXPLANATIONS.get(self.kind, MODEL_EXPLANATION))

    def reason(self) -> str:
        """The queue item's reason, in the moderators' language: the rule and the words."""
        return f"{self.name} (“{self.words[:80]}”)" if self.words else self.name


def check(text: str) -> Finding | None:
    """The sourcing finding for this text (Markdown, as a member writes it), or None."""
    return check_visible(texts.visible_text(text or ""))


def check_visible(text: str) -> Finding | None:
    """check() for text already as readers see it (rendered, tags gone)."""
    reading = read(text or "")
    if not reading.strip():
        return None
    found = rule_finding(reading)
    if found is not None:
        return found
    from . import sourcing_model

    if not model_may_judge(reading):
        return None
    model = sourcing_model.model()
    if model is None:
        return None
    score = model.score(reading)
    if score.probability >= model.thresholds[threshold_for(reading)]:
        return Finding(kind=score.kind or MODEL_KIND, words=", ".join(score.top_words), by="model",
                       score=score.probability)
    return None


# --- Reading the post ---------------------------------------------------------------------

_SPACED_LETTERS = re.compile(r"(?<![\w'])(?:[a-z] ){3,}[a-z](?![\w'])")
_LEET = re.compile(r"\b[a-z]+[0134@$][a-z0-9@$]*[a-z][a-z0-9@$]*|\b[a-z]*[a-z][@$][a-z]+")
_LEET_MAP = str.maketrans({"0": "o", "1": "i", "3": "e", "4": "a", "@": "a", "$": "s"})
_NUMBER_WORDS = {
    "zero": "0", "oh": "0", "o": "0", "one": "1", "two": "2", "three": "3", "four": "4", "five": "5",
    "six": "6", "seven": "7", "eight": "8", "nine": "9",
}
_SPELLED = re.compile(
    r"\b(?:(?:double |triple )?(?:zero|oh|one|two|three|four|five|six|seven|eight|nine)\b[ ,.-]*){6,}"
)
_AT_DOT = re.compile(r"\s*[\[(]\s*(at|dot)\s*[\])]\s*")


def _spelled_number(match: re.Match) -> str:
    digits, repeat = [], 1
    for word in re.findall(r"[a-z]+", match.group(0)):
        if word in ("double", "triple"):
            repeat = 2 if word == "double" else 3
            continue
        digits.append(_NUMBER_WORDS[word] * repeat)
        repeat = 1
    return " " + "".join(digits) + " "


def read(text: str) -> str:
    """The post as the rules and the model read it: safety.text.normalise, then the
    tricks sellers use undone: spaced letters joined ("t e l e g r a m"), digits and
    symbols inside words made letters ("k3t", "s1gnal", "wh@tsapp"), numbers spelled
    out made digits ("six four seven, five five five"), "[at]" and "[dot]" made "@" and "."."""
    text = texts.normalise(text)
    text = _AT_DOT.sub(lambda match: "@" if match.group(1) == "at" else ".", text)
    text = _SPACED_LETTERS.sub(lambda match: match.group(0).replace(" ", ""), text)
    text = _LEET.sub(lambda match: match.group(0).translate(_LEET_MAP), text)
    return _SPELLED.sub(_spelled_number, text)


# --- The rules ----------------------------------------------------------------------------

# Drugs people source: street names first, then medicines that are passed around.
_STREET = (
    r"ket|keta|ketamine|k|special k|kitty|mdma|molly|mandy|md|ecstasy|xtc|pingers?|yokes?|taz|pills?|caps?|"
    r"tabs?|lucy|acid|lsd|shrooms|mushies|mushrooms?|champis?|champignons?|psilocybin|golden teachers|"
    r"penis envy|dmt|ayahuasca|coke|speed|gear|bars|xans|xannies|blues|vallies|vals|benzos?|pregab|stuff|"
    r"plant medicine|meds|pharma"
)
_MEDICINES = (
    r"xanax|alprazolam|valium|diazepam|clonazepam|klonopin|rivotril|ativan|lorazepam|etizolam|pregabalin|"
    r"lyrica|zopiclone|imovane|seroquel|quetiapine|oxy|oxycodone|tramadol|modafinil|modalert|lexomil|"
    r"tianeptine|phenibut|kratom|codeine|gabapentin|adderall|ritalin"
)
DRUG = rf"(?:{_STREET}|{_MEDICINES})"
# What a rule's sentence must not be about: legal care, harm reduction, the forum's own team.
_CARE = (
    r"clinics?|cliniques?|infusions?|iv|spravato|esketamine|trials?|essais?|stud(?:y|ies)|prescri\w*|scripts?|"
    r"ordonnance|doctor|doc|gp|psychiatrist|psych|prescriber|pharmac(?:y|ies|ist)|pharmacie|chemist|insurance|"
    r"copay|covered|ohip|ramq|nhs|hse|referral|telehealth|compounding|taper plan|legally|legal route is|"
    r"drug checking|test strips?|naloxone|reagent kits?|harm reduction|moderators?|mods"
)
_PAST = (
    r"used to|back in|years ago|back when|when i was|in (?:19|20)\d\d|in my (?:early )?(?:teens|twenties|twenties)|"
    r"in (?:high )?school|at uni|in college|in university|got arrested|arrested|did time|went to prison|"
    r"passed|blocked him|locked up"
)
_WARNING = (
    r"please (?:do not|don't|be careful|test|report)|do not bother|report it|is a scam|it is a scam|"
    r"not licensed|are not licensed|be careful|stick to clinics|so glad i|not going back"
)


def _re(pattern: str) -> re.Pattern:
    return re.compile(pattern, re.IGNORECASE)


@dataclass(frozen=True)
class Rule:
    kind: str
    pattern: re.Pattern
    # Cancels the match when found in the same sentence (None: nothing cancels it there).
    guard: re.Pattern | None = None
    # Cancels the match when found anywhere in the post.
    post_guard: re.Pattern | None = None
    # The post must also contain this somewhere (a drug, a request...).
    needs: re.Pattern | None = None
    # The matching sentence must also contain this.
    also: re.Pattern | None = None
    # The guard also reads the sentence before ("Six infusions at the clinic. £450 a pop.").
    guard_before: bool = False


_ASKING = r"(?:any ?(?:one|body|1)|some(?:one|body)|who|qqn|quelqu'un|quelqu un|does anyone|is there anyone)"
_PLACE_WORDS = r"(?:in|near|round|around|on|from|a|sur)"
_SOURCE_NOUN = (
    r"plugs?|connects?|dealers?|vendors?|suppliers?|sources?|sauce|dnm|darknet|dark web|darkweb|onion link|"
    r"markets?|vendeurs?|fournisseurs?|contact pour"
)
_MONEY = (
    r"(?:[$£€]\s?\d[\d,.]*k?|\d[\d,.]*\s?(?:[$£€]|quid|bucks|dollars|euros?|balles)|"
    r"(?:a|two|three|five|ten|twenty|forty|fifty) quid|a tenner|a ton|a fiver)"
)
_UNIT = (
    r"(?:a |an |per |the |/ ?|le |la |each|pièce|piece|la pièce)?\s?(?:g|gs|gram|grams|gramme|half g|point|"
    r"8th|eighth|3\.5|oz|ounce|zip|quarter|ball|bag|baggie|poche|cap|caps|pill|pills|tab|tabs|bar|bars|strip|"
    r"pinger|pingers|yoke|yokes|taz|each|pop)\b"
)

RULES: tuple[Rule, ...] = (
    # --- contact handles: messaging apps, phone numbers, emails, "in my bio" --------------
    Rule(
        CONTACT_HANDLE,
        _re(
            r"\b(?:telegram|tele|tg|whatsapp|whats app|signal|sig|wickr|snapchat|snap|kik|discord|session|threema|"
            r"insta|instagram|ig|wechat|the app with the blue plane)\b\s*(?:id|handle|username|name)?\s*(?:is\s*)?"
            r"(?:[:=]\s*@?|\bis\s*@)\s*[a-z0-9_.#-]{3,}"
            r"|\b(?:add|find|reach|contact|message|msg|text|hit|hmu|dm|pm|ping|catch|drop me a line|drop a line|"
            r"ajoute-moi|ajoute moi|ecris-moi|ecris moi|ecrivez-moi|me) (?:me )?(?:up )?(?:on|sur|via|at) "
            r"(?:telegram|tele|tg|whatsapp|signal|sig|wickr|snapchat|snap|kik|discord|session|threema|insta|"
            r"instagram|ig|wechat)\b"
            r"|\b(?:telegram|tele|tg|whatsapp|signal|wickr|snapchat|snap|kik|discord|session|threema) me\b"
            r"|\bmy (?:telegram|tele|tg|whatsapp|signal|sig|wickr|snapchat|snap|kik|discord|session|threema|insta|"
            r"instagram|ig|number|digits|line|email|handle)\b(?! (?:group|chat|app))"
            r"|\b(?:telegram|whatsapp|signal|wickr|snapchat|kik|discord|session|insta|instagram)\b[^.\n]{0,40}"
            r"(?:same (?:as my )?(?:user)?name|username|in my (?:bio|profile))"
            r"|\bdrop (?:your|ur) @"
            r"|\b(?:kik|snap|discord|wickr|session id|tele|telegram|signal|insta|ig)\b [a-z0-9_.]*_[a-z0-9_.]+"
            r"|\b(?:text|call|ring|txt|whatsapp|hit my line|email) (?:me )?(?:at |on )?\+?\(?\d[\d ().-]{7,}\d"
            r"|\b(?:hit my line|text me|txt me|email me|text (?:me )?on the number|"
            r"number (?:is )?in my (?:profile|bio)|is in my (?:bio|profile)|in my profile bio|"
            r"same (?:user)?name as (?:here|on here)|mention this site|say you are from the forum)\b"
            r"|\b[a-z0-9._-]+ ?@ ?(?:proton|protonmail|gmail|tutanota|outlook|yahoo)\b"
            r"|\b(?:t\.me|wa\.me|discord\.gg|telegram\.me)/"
            r"|\b(?:signal|telegram|whatsapp|wickr|snapchat|kik|discord|session|threema)(?: is)? better for this\b"
        ),
        guard=_re(r"\b(?:moderators?|mods|report it|crisis|lifeline|helpline|samaritans|family group chat)\b"),
    ),
    Rule(
        CONTACT_HANDLE,
        # A phone number (at least nine digits, however spaced) that no crisis line explains.
        _re(r"(?<![\w+])\+?\(?\d(?:[\s().-]{0,3}\d){8,13}(?!\w)"),
        guard=_re(
            r"\b(?:crisis|988|lifeline|helpline|help ?line|samaritans|beyond blue|suicide|nami|shout|pieta|"
            r"appelle|3114|drogues info|gratuit|anonyme|toll[- ]free|hotline|line is|text help)\b"
            r"|\b1[ -]?8(?:00|33|44|55|66|77|88)\b|\b0 ?800\b|\b1300\b|\b1800\b|\b13 ?11 ?14\b"
        ),
    ),
    # --- online pharmacies and research chemicals -------------------------------------------
    Rule(
        ONLINE_PHARMACY,
        _re(
            r"\b(?:no[- ]?(?:script|rx|prescription)(?: needed| required)?|without (?:a |any |needing a )?"
            r"(?:script|rx|prescription)|sans (?:ordonnance|prescription)|no questions(?: asked)?|"
            r"(?:does not|do not|doesnt) (?:need|ask for|require) (?:a )?(?:prescription|script)|"
            r"do not ask (?:any )?questions)\b"
        ),
        guard=_re(
            r"\b(?:naloxone|take home|walk in|walk-in|no referral|years ago|please do not|do not bother with|free|"
            r"trial|gp|doctor|clinic)\b"
        ),
        needs=_re(
            rf"\b(?:sites?|websites?|online|pharmac(?:y|ies)|pharmacie|shops?|vendors?|mail order|overseas|"
            rf"indian|india|import\w*|ship\w*|order\w*|chemist|commande\w*|livr\w*|en ligne|customs|{DRUG})\b"
        ),
    ),
    Rule(
        ONLINE_PHARMACY,
        _re(
            r"\b(?:research chem\w*|rc vendors?|rcs|2-?fdck|3-?meo-?pcp|3-?ho-?pcp|o-?pce|fluorexetamine|"
            r"deschloroketamine|dck|arylcyclohexylamines?|4-?aco-?dmt|legal (?:ketamine )?alternatives?|"
            r"(?:ketamine|ket) (?:powder )?for research)\b"
        ),
    ),
    Rule(
        ONLINE_PHARMACY,
        _re(
            r"\b(?:indian|overseas|foreign|offshore|mexican|canadian|online|mail[- ]order|internet|etranger|indien|"
            r"en ligne)\b[^.?!\n]{0,25}\b(?:pharmac(?:y|ies)|pharmacie|chemists?|sites?|websites?|shops?|vendors?|"
            r"stores?)\b"
            r"|\b(?:pharmac(?:y|ies)|pharmacie|chemists?|sites?|websites?|shops?|vendors?)\b[^.?!\n]{0,20}"
            r"\b(?:en ligne|in (?:india|mexico|the philippines)|from (?:india|overseas|europe))\b"
            r"|\b(?:site|website|sites|websites)\b[^.?!\n]{0,40}\b(?:ships?|send|sells?|sell|livre|vend)\b"
            r"|\b(?:site|website|shop)\b[^.?!\n]{0,40}\b(?:bitcoin|crypto|takes card|paypal)\b"
            r"|\border\w*\b[^.?!\n]{0,30}\bfrom (?:a|an|the|one of those|those|this|that) (?:site|website|online)\b"
        ),
        guard=_re(
            r"\b(?:with (?:a |my )?(?:script|prescription)|prescri\w*|psychiatrist|doctor|compounding|"
            r"cost plus|goodrx|dancesafe|reagent|naloxone|test strips?|drug checking|not licensed|illegal|"
            r"legally|health canada|warnings?|scam|years ago|reddit|instagram|moderators?|mods|forum)\b"
        ),
        needs=_re(rf"\b(?:{DRUG}|order\w*|ship\w*|import\w*|commande\w*|customs|douane)\b"),
    ),
    # --- underground therapists, guides and clinics -----------------------------------------
    Rule(
        UNDERGROUND_THERAPIST,
        _re(
            r"\b(?:underground|clandestin\w*|off the books|under the table|on the quiet|unlicensed|unregistered|"
            r"not (?:a )?licensed|not (?:a )?registered|outside (?:of )?the regulated|not the legal route|"
            r"not a licensed thing|not medical|pas legal|meme si c'est pas legal|trained or not|"
            r"does not do all the psych eval|no referral, no paperwork|for cash)\b"
        ),
        guard=_re(
            r"\b(?:trials?|stud(?:y|ies)|legally|licensed clinics?|prop 122|service cent(?:er|re)|shops?|sites?|"
            r"online|illegal)\b"
        ),
        guard_before=True,
        needs=_re(
            r"\b(?:therapists?|therapeute|therapy|therapie|guides?|facilitat\w*|sitters?|sitting|sessions?|"
            r"seances?|clinics?|cliniques?|ceremon\w*|shaman|healer|network|nurse|accompagnateur|journeys?|"
            r"ket|ketamine|mdma|psilocybin|mushroom|ayahuasca)\b"
        ),
    ),
    Rule(
        UNDERGROUND_THERAPIST,
        _re(
            r"\b(?:mdma|psilocybin|mushroom|shroom|psychedelic|ayahuasca|ketamine|ket|iv ket|ceremon\w*)"
            r"[^.?!\n]{0,40}\b(?:guide|facilitator|sitter|shaman|healer|therapist|ceremonialist|sessions?|journeys?|"
            r"ceremon\w*)\b"
            r"|\b(?:guide|facilitator|sitter|shaman|healer|ceremonialist|trip sitter|sit with me|hold space|"
            r"i sit for people|sit for people|someone to guide me|accompagnateur)\b"
        ),
        guard=_re(
            r"\b(?:trials?|stud(?:y|ies)|licensed|legal|legally|registered|prop 122|service cent(?:er|re)|clinic|"
            r"clinique|retreat in|where (?:it is|they are|mushrooms are) legal|psychiatrist|maps training|"
            r"integration (?:work|calls?)?|spravato|covered|insurance|ohip|authorised)\b"
        ),
        needs=_re(
            r"\b(?:pay|paying|paid|fee|fees|cash|rates?|donation|sliding scale|charges?|hire|cost|price|"
            r"euros?|payer|paie|\d+ ?(?:[$£€]|euros)|[$£€] ?\d+|off the books|not licensed|not the legal route|"
            r"trained|experienced|recommend|refer|any recs|contact|know (?:a|an|of|someone)|private|privately|"
            r"discreet|quiet)\b|[$£€] ?\d"
        ),
    ),
    # --- prices of street drugs ------------------------------------------------------------------
    Rule(
        PRICE,
        _re(
            rf"{_MONEY}\s?{_UNIT}|\b(?:for|paid|pay|paying|wants|want|at) \d+ (?:a|per|for \d+) {_UNIT}"
            rf"|\b(?:for|paid|pay|paying|at) {_MONEY}\b[^.?!\n]{{0,30}}\b(?:{_STREET})\b"
            rf"|\b(?:{_STREET}|keta)\b[^.?!\n]{{0,25}}\b(?:for|at|a|sont a|est passe a) {_MONEY}"
        ),
        guard=_re(
            rf"\b(?:{_CARE}|sessions?|seance|consult\w*|rebate\w*|generic|generique|troches|lozenges|"
            r"treatment|therapist|copay|membership|superbill|month|monthly|a month)\b|" + _PAST
        ),
        guard_before=True,
    ),
    Rule(
        PRICE,
        _re(
            r"\bhow much (?:is|are|for|does|do|should|would|did)\b[^.?!\n]{0,40}\b(?:go(?:ing)? for|run me|"
            r"on the street|cost|paying|pay|g|gram|point|8th|eighth|oz|zip|bag|cap|caps|pill|tab|bar|bars|"
            rf"strip|{_STREET})\b"
            r"|\bwhat(?: is| do| does|s)?\b[^.?!\n]{0,30}\b(?:go(?:es)? for|going rate|damage for|price of (?:a|an)|"
            r"cost on the street|fair price)\b"
            r"|\b(?:going for|go for|goes for)\b[^.?!\n]{0,30}\b(?:these days|now|right now|each|per|on the street)\b"
            r"|\b(?:ripped off|rip ?off|ripoff|mugged off|get scammed|got scammed|c'est du vol|daylight robbery)\b"
            r"|\bcombien pour\b|\b(?:costs?|price|prices|go(?:es)? for) on the street\b|\bstreet (?:price|value)\b"
            r"|\bwants? \d+ for \d+\b"
        ),
        guard=_re(rf"\b(?:{_CARE}|sessions?|seance|treatment|generic|wellbutrin|bupropion)\b"),
        needs=_re(rf"\b(?:{_STREET}|{_MEDICINES})\b"),
    ),
    # --- sources: plugs, dealers, vendors, markets -------------------------------------------
    Rule(
        SOURCE_REQUEST,
        _re(
            rf"\b(?:{_SOURCE_NOUN})\b(?! with| to (?:others|people))"
        ),
        guard=_re(
            r"\b(?:(?:my|our|his|her|an|the) (?:old|ex|former) (?:dealer|plug|connect)|my dad|my uncle|"
            r"shameless plug|plugged|source for the claim|sources? (?:for|of) "
            r"(?:the|that|this) (?:claim|study|article|info)|support group|parkrun|resource|"
            r"spammer|report|moderators?|mods|no sourcing|sourcing talk)\b|" + _PAST
        ),
        needs=_re(
            r"\?|\b(?:any ?(?:one|body|1)|some(?:one|body)|who|need|looking|lf|know|recommend\w*|point me|"
            r"pointers|find|trusted|reliable|legit|decent|trustworthy|best|go-to|still up|new one|cherche|"
            r"c'est quoi|vous avez|plz|please|help)\b"
        ),
    ),
    Rule(
        SOURCE_REQUEST,
        _re(
            r"\bwho(?: is|s)? (?:moving|selling|holding|dealing)\b|\bwhos the (?:plug|connect|dealer)\b"
            r"|\bsomeone (?:selling|who sells|who is selling)\b"
            r"|\bsauce (?:for|on)\b|\bwho is the (?:plug|connect|dealer)\b"
            r"|\b(?:need|got|find) a new (?:one|plug|connect|dealer)\b"
            r"|\bnew (?:plug|connect|dealer)\b"
            r"|\bexit scam\w*|\bstealth shipping\b|\bdread\b"
        ),
    ),
    Rule(
        SOURCE_REQUEST,
        _re(r"\b(?:any ?(?:one|body|1)|some(?:one|body)|who|qqn|quelqu'un)\b(?: here| on here)? (?:is )?"
            r"(?:selling|sell|sells|vend|vends|deal|deals|dealing)\b"),
        guard=_re(rf"\b(?:{_CARE})\b"),
        also=_re(rf"\b(?:{DRUG})\b"),
    ),
    # --- selling ----------------------------------------------------------------------------------
    Rule(
        SELLING,
        _re(
            r"\b(?:spare|extra|leftover|left over|going spare|surplus|en trop|de trop|in stock|du stock|"
            r"il me reste|still (?:have|got)|sitting here|sitting in|sat there|sat in the|over-ordered|"
            r"clearing out|a stash|a strip of|boxes going|half a sheet|(?:have|got) some|"
            r"i have got|have a few|got a few|have about|have like|have some|(?:got|have) more|have a bunch|"
            r"j'ai (?:un|du|des|encore))\b"
        ),
        guard=_re(
            r"\b(?:pharmacy|pharmacie|chemist|take back|return|dispose|bin them|clinic will|"
            r"naloxone|moderators?|mods|depression|therapist|psychiatrist|prescribed me)\b"
            r"|\bi have (?:been|had|tried|done|a therapist|a psych|to|no)\b|" + _PAST
        ),
        also=_re(rf"\b(?:{DRUG}|grams?|comprimes|grow|sheet|vials?|bottle|bag)\b"),
        needs=_re(
            r"\b(?:anyone|anybody|any of you|if you|if anyone|lmk|let me know|hmu|pm|can (?:send|post|mail|meet|"
            r"help|sort|pass|arrange)|will (?:sell|pass|send|mail|trade)|happy to (?:share|mail|send|pass|help)|"
            r"selling|for sale|sell|trade|offers?|at cost|cover (?:shipping|my cost)|not charging|price|"
            r"first come|reach me|fais-moi signe|t'en envoyer|vous en|depanner|au prix|prix coutant|"
            r"would rather they helped|does anyone on here actually need|who wants|wants some|if you are after|"
            r"i am in|only|area|region|seulement|help others|help out|can arrange|letting them go|let them go)\b"
        ),
    ),
    Rule(
        SELLING,
        _re(
            r"\b(?:i|we) can (?:send|post|mail|sort|hook|get) (?:you|u|ya|them|some|a few|it)\b"
            r"|\b(?:i can|happy to) (?:post|mail|send) (?:you )?(?:a few|some)\b"
            r"|\b(?:will|happy to|i can|can) (?:sell|pass (?:on|along)|mail|post) (?:to|them|some|it|a few)\b"
            r"|\bselling (?:a few|some|my|extra)\b|\bfor sale\b|\bopen to offers\b|\bfirst come,? first served\b"
            r"|\bsorted (?:a few )?(?:folks|people) on here\b|\bput a word in\b|\bi have what you need\b"
            r"|\bgot what you are after\b|\bje peux (?:t'en|vous en|en) (?:envoyer|depanner)|\bje peux en depanner\b"
            r"|\bje (?:la|les) laisse\b|\bi (?:will|can) sort (?:you|u) out\b|\bi can get you sorted\b"
            r"|\bi got you\b|\bi can help with (?:that|what you are looking for)\b|\bwe help people find\b"
            r"|\bi am selling\b|\bcan help you out\b|\bi can help\b[^.?!\n]{0,30}\breasonable\b"
        ),
        guard=_re(r"\b(?:moderators?|mods|link|recruitment page|resources?|support group)\b"),
    ),
    # --- buying -----------------------------------------------------------------------------------
    Rule(
        BUYING,
        _re(
            rf"\b(?:where|how|ou|anywhere)\b[^.?!\n]{{0,30}}\b(?:get|find|buy|score|cop|pick up|source|order|"
            rf"trouver|acheter|procurer|get some|get hold of)\b[^.?!\n]{{0,30}}\b(?:{DRUG})\b"
        ),
        guard=_re(rf"\b(?:{_CARE}|legally|legal|therapist|psychologue|support|resource)\b"),
    ),
    Rule(
        BUYING,
        _re(
            rf"\b(?:need|needs|want|wanna|looking|trying|tryna|desperate\w*|after (?:some|a few|a bit)|cherche|besoin|"
            rf"really need|"
            rf"could really use|help a \w+ out)\b[^.?!\n]{{0,40}}\b(?:{DRUG}|kéta|vals)\b"
            rf"|\b(?:{DRUG})\b[^.?!\n]{{0,20}}\b(?:they can part with|to part with|could part with)\b"
            r"|\bpart with (?:a few|some|their|any)\b|\b(?:to spare|could spare|can spare)\b"
            r"|\bsell me\b|\bsort me out\b|\bhook me up\b|\bget me some\b"
            r"|\bcan get (?:me )?some\b|\bhelp (?:a \w+|me) out with\b|\bmake it worth your while\b|\bcash ready\b"
            r"|\bwill pay (?:well|extra|over the odds)|\bpay well\b|\bover the odds\b|\bpeut me depanner\b"
            r"|\bserious only\b|\bnot looking for a (?:lecture|clinic)\b|\bnot fussed about price\b|"
            rf"\bwho(?: is|s) got (?:some )?(?:{DRUG})\b|\bwho can get\b"
            r"|\b(?:looking|want|wanting|trying|need|needing) to (?:buy|score|cop|pick up)\b"
        ),
        guard=_re(
            rf"\b(?:{_CARE}|legally|legal|therapist|psychologue|support group|resource|tips|advice|non-drug|"
            r"recipe|info|information|research|studies|fda|sleep hygiene)\b"
            # Words of someone at risk, not of a buyer ("I want to take all my pills tonight").
            r"|\b(?:take all|all (?:of )?my (?:pills|meds)|overdose|not wake up|end (?:it|my life)|kill myself|"
            r"to die)\b"
        ),
        needs=_re(
            r"\?|\b(?:any ?(?:one|body|1)|some(?:one|body)|who|qqn|quelqu'un|quelqu un|in|near|round|around|"
            r"sur|a|pay|cash|lmk|hmu|help|buy)\b"
        ),
    ),
)


# What a post must mention before the model may hold it: a drug (street names, medicines
# people pass around), a source, a guide or sitter. (A messaging app alone is the rules'
# to judge: families move group chats to WhatsApp.) A post about selling
# candles, a dog or a choir is never held by the model, however much it reads like an offer.
TOPIC = _re(
    rf"\b(?:{DRUG}|{_SOURCE_NOUN}|research chem\w*|guide|sitter|facilitator|shaman|underground|clandestin\w*|"
    r"stash|sheet|dmt|2-?fdck|\d+ ?(?:g|ug))\b"
)


def model_may_judge(reading: str) -> bool:
    """Whether the model is asked at all: a post of at least sourcing_model.MIN_WORDS
    words (no labelled post is shorter, so on fewer the model guesses: "reply 150" read
    as a phone number) that is on the topic (TOPIC) and warns nobody (WARNS). The others
    are the rules' alone."""
    from . import sourcing_model

    return (
        len(sourcing_model.words_of(reading)) >= sourcing_model.MIN_WORDS
        and TOPIC.search(reading) is not None
        and WARNS.search(reading) is None
    )


# Care that a post turns away from is no guard: "GP can't see me for 3 weeks", "not
# looking for a clinic", "can't afford the clinic", "the clinic waitlist is 8 months".
_CARE_WORDS = (
    r"(?:clinics?|cliniques?|doctors?|doc|gp|psychiatrists?|psych|prescri\w*|scripts?|pharmac(?:y|ies)|"
    r"therapists?|trials?|ordonnance|medecin)"
)
_DISMISSED_CARE = _re(
    rf"\b{_CARE_WORDS}\b(?: \w+){{0,3}} (?:cannot|can not|will not|would not|refuses?|refused|does not|"
    r"do not|is not|isnt|wont|cant|waitlist|waiting list|wait list|is too|are too|costs? too|keeps? telling|"
    r"plus m'en|veut plus|ne veut)\b"
    rf"|\b(?:not looking for|not|no|cannot afford|can not afford|afford|instead of|skip|sick of|tired of|"
    rf"fed up with|than|without|sans|pas) (?:\w+ ){{0,2}}{_CARE_WORDS}\b"
)
# A post that speaks of care, harm reduction, a warning or the past (and does not turn
# away from it) is held by the model only on a higher score: that is where the hard
# negatives are. Both thresholds are chosen by cross-validation on the training posts.
CARE_CONTEXT = _re(
    rf"\b(?:{_CARE}|{_WARNING}|{_PAST}|psychologue|psychologist|licensed|registered|(?:days|weeks|months|years) "
    r"clean|sober|recovery)\b"
)


# A post that warns others (reported, blocked, a scam, the police) is never held by the
# model: it reads like the offer it warns about.
WARNS = _re(
    r"\b(?:reported|report (?:it|them)|blocked|police|do not trust|scams?|be careful|watch out|stay safe|"
    r"please do not|signale\w*|bloque\w*|arnaque)\b"
)


def threshold_for(reading: str) -> str:
    """Which of the model's thresholds applies: "care" or "plain"."""
    return "care" if CARE_CONTEXT.search(_DISMISSED_CARE.sub(" ", reading)) else "plain"


_SENTENCES = re.compile(r"(?<=[.!?\n])\s+|\s+-\s+")


def sentences(reading: str) -> list[str]:
    return [sentence for sentence in _SENTENCES.split(reading) if sentence.strip()]


def rule_finding(reading: str) -> Finding | None:
    """The first rule (in the order above) that matches a sentence its guards leave alone."""
    parts = sentences(reading)
    guarded = [_DISMISSED_CARE.sub(" ", sentence) for sentence in parts]
    for rule in RULES:
        if rule.post_guard is not None and rule.post_guard.search(reading):
            continue
        if rule.needs is not None and not rule.needs.search(reading):
            continue
        for number, sentence in enumerate(parts):
            match = rule.pattern.search(sentence)
            if match is None:
                continue
            if rule.guard is not None:
                context = guarded[number]
                if rule.guard_before and number:
                    context = guarded[number - 1] + " " + context
                if rule.guard.search(context):
                    continue
            if rule.also is not None and not rule.also.search(sentence):
                continue
            return Finding(kind=rule.kind, words=match.group(0).strip(), by="rules")
    return None
