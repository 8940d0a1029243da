"""The words readers will read, in one form that every screening check matches against.

Screening used to read the Markdown a member typed, while readers see it rendered: an
HTML entity (`kill my&#115;elf`), a zero-width space, emphasis inside a word
(`ki**ll** myself`) or fullwidth letters hid words from the checks that readers saw
plainly. Crisis detection, method details and watched words now all read the text
through this module:

    visible_text(markdown)      the text of the rendered post (forum.markup), tags gone,
    html_text(body_html)        entities decoded, link text kept, quoted blocks in quotes
    fold(text)                  Unicode NFKC, zero-width and control characters removed,
                                Latin lookalikes in Latin words made Latin, case folded,
                                accents and ligatures removed, quotes and dashes made plain
    normalise(text)             fold, then common spellings joined: "im" and "i'm" -> "i am",
                                "ill be" -> "i will be", "tonights" -> "tonight is",
                                "kms" -> "kill myself", "ctb" -> "catch the bus",
                                "unalive" -> "kill", "chu" -> "je suis", "à soir" -> "ce soir"

The result is only ever matched against; nobody reads it, and the post is stored and
shown exactly as written.
"""

import re
import unicodedata
from functools import lru_cache
from html.parser import HTMLParser

# --- The rendered post as readers see it --------------------------------------------------

_BLOCK_TAGS = frozenset(
    {"p", "br", "li", "ul", "ol", "pre", "hr", "div", "tr", "table", "h1", "h2", "h3", "h4", "h5", "h6"}
)


class _TextParser(HTMLParser):
    """Collects the text of (sanitized) HTML: block elements start new lines, inline
    elements join their text to the words around them ("ki<strong>ll</strong>" is "kill"),
    a quoted block is put in double quotes, and links keep their text (and, when asked,
    where they point)."""

    def __init__(self, *, links: bool):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.links = links
        self._hrefs: list[str | None] = []
        self._link_start: list[int] = []
        self._quote_start: list[int] = []

    def handle_starttag(self, tag, attrs):
        if tag in _BLOCK_TAGS:
            self.parts.append("\n")
        elif tag == "blockquote":
            self._quote_start.append(len(self.parts))
        elif tag == "a":
            self._hrefs.append(dict(attrs).get("href"))
            self._link_start.append(len(self.parts))

    def handle_startendtag(self, tag, attrs):
        if tag in _BLOCK_TAGS:
            self.parts.append("\n")

    def handle_endtag(self, tag):
        if tag in _BLOCK_TAGS:
            self.parts.append("\n")
        elif tag == "blockquote" and self._quote_start:
            start = self._quote_start.pop()
            quoted = "".join(self.parts[start:]).strip()
            self.parts[start:] = [f"\n“{quoted}”\n"] if quoted else ["\n"]
        elif tag == "a" and self._hrefs:
            href = self._hrefs.pop()
            start = self._link_start.pop()
            text = "".join(self.parts[start:])
            if self.links and href and href not in text and href.split("://", 1)[-1] not in text:
                self.parts.append(f" ({href})")

    def handle_data(self, data):
        self.parts.append(data)

    def text(self) -> str:
        return "".join(self.parts)


def html_text(html: str, *, links: bool = False) -> str:
    """The text of the forum's sanitized HTML. With links=True each link's target follows
    its text when the text does not show it (watched words look for messenger links)."""
    if not html:
        return ""
    if "<" not in html and "&" not in html:
        return html
    parser = _TextParser(links=links)
    parser.feed(html)
    parser.close()
    return parser.text()


def visible_text(markdown: str, *, links: bool = False) -> str:
    """The text of a member's Markdown once rendered as the forum renders it."""
    if not markdown:
        return ""
    from forum.markup import render_without_mentions

    return html_text(render_without_mentions(markdown), links=links)


def post_text(*, title: str = "", body: str = "", body_html: str | None = None, links: bool = False) -> str:
    """A post as readers read it: the title (plain text) on the first line, then the body.
    Pass body_html when the post is already rendered; otherwise the Markdown is."""
    body_text = html_text(body_html, links=links) if body_html is not None else visible_text(body, links=links)
    return f"{title}\n{body_text}" if title else body_text


# --- Folding -------------------------------------------------------------------------------

# Format characters (zero-width spaces and joiners, soft hyphens, direction marks, BOM,
# invisible operators) and control characters other than newline and tab.
_INVISIBLE = re.compile(
    "[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5"
    "\u180b-\u180f\u200b-\u200f\u202a-\u202e\u2060-\u206f\u3164\ufe00-\ufe0f\ufeff\uffa0\ufff0-\ufffb]"
    "|[\U000e0000-\U000e007f]"
)
_PUNCTUATION = str.maketrans(
    {
        "‘": "'", "’": "'", "‚": "'", "‛": "'", "ʼ": "'", "ʻ": "'", "`": "'", "´": "'", "′": "'",
        "“": '"', "”": '"', "„": '"', "‟": '"', "«": '"', "»": '"', "″": '"',
        "‐": "-", "‑": "-", "‒": "-", "–": "-", "—": "-", "―": "-", "−": "-",
        "\t": " ", "\r": "\n", "\u00a0": " ", "\u2028": "\n", "\u2029": "\n",
        "œ": "oe", "æ": "ae", "ø": "o", "đ": "d", "ł": "l", "ı": "i",
    }
)
# Cyrillic and Greek letters that look like Latin ones. Swapped only inside a word that
# also has Latin letters ("mysеlf" with a Cyrillic е), so Russian or Greek text is left be.
_LOOKALIKES = str.maketrans(
    {
        "а": "a", "в": "b", "е": "e", "ё": "e", "к": "k", "м": "m", "н": "h", "о": "o", "р": "p",
        "с": "c", "т": "t", "у": "y", "х": "x", "і": "i", "ї": "i", "ј": "j", "ѕ": "s", "ԁ": "d",
        "ɡ": "g", "һ": "h", "ԛ": "q", "ԝ": "w", "ӏ": "l", "ɩ": "i", "α": "a", "β": "b", "ε": "e", "ι": "i", "κ": "k",
        "ν": "v", "ο": "o", "ρ": "p", "τ": "t", "υ": "u", "χ": "x", "ϲ": "c",
    }
)
_MIXED_WORD = re.compile(r"\w*[a-z]\w*")
_NOT_LATIN = re.compile(r"[^\x00-\x7f]")
_SPACES = re.compile(r"[ \u2000-\u200a\u202f\u205f\u3000]+")
_BLANK_LINES = re.compile(r"\n\s*\n+")


def _latin_lookalikes(match: re.Match) -> str:
    word = match.group(0)
    return word.translate(_LOOKALIKES) if _NOT_LATIN.search(word) else word


def fold(text: str) -> str:
    """Unicode NFKC, invisible characters removed, lookalike letters made Latin inside
    Latin words, case folded, accents and ligatures removed, curly quotes and dashes
    made plain, runs of spaces made one."""
    if not text:
        return ""
    text = unicodedata.normalize("NFKC", text)
    text = _INVISIBLE.sub("", text).casefold().translate(_PUNCTUATION)
    if _NOT_LATIN.search(text):
        text = _MIXED_WORD.sub(_latin_lookalikes, text)
        decomposed = unicodedata.normalize("NFKD", text)
        text = "".join(char for char in decomposed if not unicodedata.combining(char))
        text = unicodedata.normalize("NFKC", text).translate(_PUNCTUATION)
    text = _SPACES.sub(" ", text)
    return _BLANK_LINES.sub("\n\n", text).strip()


def fold_pattern(pattern: str) -> str:
    """A moderator's regular expression made to meet folded text: NFKC, accents removed,
    case left alone (the rules match in any case; case folding would turn \\S into \\s)."""
    pattern = unicodedata.normalize("NFKC", pattern)
    if not _NOT_LATIN.search(pattern):
        return pattern
    decomposed = unicodedata.normalize("NFKD", pattern)
    return unicodedata.normalize("NFKC", "".join(char for char in decomposed if not unicodedata.combining(char)))


# --- Common spellings joined --------------------------------------------------------------

# One word (or a few) as people type it -> the spelling the crisis rules are written in.
# Contractions are expanded so a negation is always the word "not".
_WORDS = {
    # English contractions, with and without the apostrophe.
    "i'm": "i am", "im": "i am", "i've": "i have", "ive": "i have", "i'll": "i will", "i'd": "i had",
    "can't": "cannot", "cant": "cannot", "won't": "will not", "shan't": "shall not", "ain't": "am not",
    "don't": "do not", "dont": "do not", "doesn't": "does not", "doesnt": "does not", "didn't": "did not",
    "didnt": "did not", "isn't": "is not", "isnt": "is not", "wasn't": "was not", "wasnt": "was not",
    "aren't": "are not", "arent": "are not", "weren't": "were not", "wouldn't": "would not",
    "wouldnt": "would not", "couldn't": "could not", "couldnt": "could not", "shouldn't": "should not",
    "shouldnt": "should not", "haven't": "have not", "havent": "have not", "hasn't": "has not",
    "hasnt": "has not", "hadn't": "had not", "hadnt": "had not", "mustn't": "must not",
    "you're": "you are", "youre": "you are", "we're": "we are", "they're": "they are", "theyre": "they are",
    "he's": "he is", "hes": "he is", "she's": "she is", "shes": "she is", "it's": "it is",
    "that's": "that is", "thats": "that is", "there's": "there is", "theres": "there is",
    "what's": "what is", "whats": "what is", "here's": "here is", "who's": "who is", "where's": "where is",
    "tonight's": "tonight is", "tonights": "tonight is", "today's": "today is", "todays": "today is",
    "everything's": "everything is", "everythings": "everything is", "nothings": "nothing is",
    "life's": "life is", "this's": "this is",
    "you'll": "you will", "he'll": "he will", "she'll": "she will", "they'll": "they will",
    "it'll": "it will", "that'll": "that will", "we'll": "we will",
    "you've": "you have", "we've": "we have", "they've": "they have", "you'd": "you would",
    "he'd": "he would", "she'd": "she would", "they'd": "they would", "it'd": "it would",
    "gonna": "going to", "gunna": "going to", "finna": "going to", "wanna": "want to", "gotta": "got to",
    "tryna": "trying to", "lemme": "let me", "dunno": "do not know", "idk": "i do not know",
    "ngl": "not going to lie", "tbh": "to be honest", "rn": "right now", "atm": "at the moment",
    "u": "you", "ur": "your", "ppl": "people", "bc": "because", "cuz": "because",
    "coz": "because", "cos": "because", "tho": "though", "thru": "through", "pls": "please",
    "plz": "please", "tmrw": "tomorrow", "tmr": "tomorrow", "tmrrw": "tomorrow", "tomoz": "tomorrow",
    "2morrow": "tomorrow", "tonite": "tonight", "2nite": "tonight", "2night": "tonight", "nite": "night",
    "b4": "before", "yrs": "years", "yr": "year", "mins": "minutes", "hrs": "hours", "hr": "hour",
    "w/": "with", "bf": "boyfriend", "gf": "girlfriend",
    # Words for suicide and self-harm that avoid the words.
    "kms": "kill myself", "kmsl": "kill myself", "kys": "kill yourself", "ctb": "catch the bus",
    "unalive": "kill", "unalived": "killed", "unaliving": "killing", "unalive myself": "kill myself",
    "sewerslide": "suicide", "sewer slide": "suicide", "suicde": "suicide", "sucide": "suicide",
    "suiside": "suicide", "suicidial": "suicidal", "suicidle": "suicidal", "selfharm": "self harm",
    "self-harm": "self harm", "self-harming": "self harming", "selfharming": "self harming",
    "s/h": "self harm", "od": "overdose", "od'd": "overdosed", "od'ed": "overdosed", "oding": "overdosing",
    "o.d.": "overdose", "o.d": "overdose", "ded": "dead", "goodbyes": "goodbye", "byeee": "bye",
    # French: everyday Québécois and texting spellings ("j'ai" stays, and reads "j ai").
    "jai": "j'ai", "cest": "c'est", "j'suis": "je suis", "jsuis": "je suis", "chu": "je suis",
    "chus": "je suis", "jsus": "je suis", "j'vais": "je vais", "jvais": "je vais", "j'vas": "je vais",
    "jvas": "je vais", "je vas": "je vais", "m'as": "je vais", "j'veux": "je veux", "jveux": "je veux",
    "j'pense": "je pense", "jpense": "je pense", "j'peux": "je peux", "jpeux": "je peux",
    "j'sais": "je sais", "jsais": "je sais", "j'me": "je me", "jme": "je me", "j'm'en": "je m'en",
    "y'a": "il y a", "y'é": "il est", "à soir": "ce soir", "icitte": "ici", "c'tu": "c'est tu",
    "c'est-tu": "c'est tu", "p'tit": "petit", "ptit": "petit", "pcq": "parce que",
}
_WORDS = {fold(key): value for key, value in _WORDS.items()}
_MULTI_WORDS = sorted((key for key in _WORDS if " " in key), key=len, reverse=True)
# "ill" is a word too ("I've been ill"): read it as "i will" only before a verb; "i'd"
# (and "id") as "i would" before a verb, and otherwise as "i had" ("i'd written").
_ILL = re.compile(
    r"\b(?:(ill)\b(?= (?:never|not)\b)|(ill|id|i'd)\b(?= (?:be|just|do|go|take|finally|kill|end|try|see|make|"
    r"have|jump|stop|get|let|die|write|post|say|tell|wake|sleep|call|ring|text|head|walk|drive|drink|swallow|sit|lie|"
    r"use|start|finish|keep|rather|leave|miss|probably|definitely|really|still|always|hang|cut|hurt)\b))"
)
_WORD_RE = re.compile(
    r"(?<![\w'/.])(?:" + "|".join(re.escape(key) for key in _MULTI_WORDS) + r"|[\w'/.]+)(?![\w'])"
)
def _join(match: re.Match) -> str:
    word = match.group(0)
    replacement = _WORDS.get(word)
    if replacement is not None:
        return replacement
    stripped = word.strip("./")
    if stripped != word and stripped in _WORDS:
        return word.replace(stripped, _WORDS[stripped])
    return word


@lru_cache(maxsize=256)
def normalise(text: str) -> str:
    """fold(text), then common spellings joined, so the crisis rules and the model meet
    one spelling of each phrase."""
    text = fold(text)
    if not text:
        return ""
    text = _ILL.sub(lambda match: "i will" if "ill" in (match.group(1), match.group(2)) else "i would", text)
    return _WORD_RE.sub(_join, text)
