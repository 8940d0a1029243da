"""forum.markup.render: Markdown in, harmless HTML out."""

from html.parser import HTMLParser

import pytest

from forum.markup import render

# Each vector is something a hostile member might type. Whatever comes out must be
# inert: no script or foreign element, no event handler or style, no link that runs code.
XSS_VECTORS = [
    # script tags
    "<script>alert(1)</script>",
    "<SCRIPT SRC=http://evil.example/x.js></SCRIPT>",
    "<scr<script>ipt>alert(1)</scr</script>ipt>",
    "<script/src=data:,alert(1)>",
    "<<script>alert(1);//<</script>",
    "text <script>document.cookie</script> more",
    # event handlers
    "<img src=x onerror=alert(1)>",
    '<img src="x" onerror="alert(1)">',
    "<body onload=alert(1)>",
    '<div onmouseover="alert(1)">hover</div>',
    "<a href=https://ok.example onclick=alert(1)>click</a>",
    "<input autofocus onfocus=alert(1)>",
    "<details open ontoggle=alert(1)>",
    "<video><source onerror=alert(1)></video>",
    "<marquee onstart=alert(1)>",
    '<p title="x" onclick="alert(1)">para</p>',
    # javascript:, data:, vbscript: URLs with obfuscation
    "[click](javascript:alert(1))",
    "[click](JaVaScRiPt:alert(1))",
    "[click](javascript&#58;alert(1))",
    "[click](javascript&#x3A;alert(1))",
    "[click](&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1))",
    "[click]( javascript:alert(1))",
    "[click](java\tscript:alert(1))",
    "[click](<javascript:alert(1)>)",
    "[click](javascript://%0aalert(1))",
    "[click](vbscript:msgbox(1))",
    "[click](VBScript:msgbox(1))",
    "[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "[click](data:text/html,<script>alert(1)</script>)",
    "[click](DATA:text/html,x)",
    "[click](file:///etc/passwd)",
    '<a href="javascript:alert(1)">x</a>',
    '<a href=" &#14;  javascript:alert(1)">x</a>',
    "[x][ref]\n\n[ref]: javascript:alert(1)",
    "[x][ref]\n\n[ref]: data:text/html,hi",
    "<javascript:alert(1)>",
    "javascript:alert(1)",
    # SVG and MathML
    "<svg onload=alert(1)>",
    "<svg><script>alert(1)</script></svg>",
    '<svg><a xlink:href="javascript:alert(1)"><text>x</text></a></svg>',
    "<svg><animate onbegin=alert(1) attributeName=x dur=1s>",
    '<math><mtext><table><mglyph><style><img src=x onerror=alert(1)></style></mglyph></table></mtext></math>',
    '<math href="javascript:alert(1)">x</math>',
    # style and CSS
    "<style>body{background:url(javascript:alert(1))}</style>",
    '<p style="background:url(javascript:alert(1))">styled</p>',
    '<div style="width: expression(alert(1))">x</div>',
    "<link rel=stylesheet href=http://evil.example/x.css>",
    # malformed and unclosed tags, comments
    "<img src=x onerror=alert(1)",
    "<a href='javascript:alert(1)'",
    "<iframe src=javascript:alert(1)>",
    "<iframe srcdoc='<script>alert(1)</script>'>",
    "<object data=javascript:alert(1)>",
    "<embed src=javascript:alert(1)>",
    "<form action=javascript:alert(1)><button>go</button></form>",
    "<meta http-equiv=refresh content='0;url=javascript:alert(1)'>",
    "<base href=javascript:alert(1)//>",
    "<!--<script>alert(1)</script>-->",
    "<!--[if gte IE 4]><script>alert(1)</script><![endif]-->",
    "<![CDATA[<script>alert(1)</script>]]>",
    '<img """><script>alert(1)</script>">',
    "<</p>iframe src=javascript:alert(1)>",
    # Markdown link and image tricks
    "![x](javascript:alert(1))",
    '![x](http://ok.example/a.png "title" onerror=alert(1))',
    '![x" onerror="alert(1)](http://ok.example/a.png)',
    '[x](http://ok.example/" onclick="alert(1))',
    "[x](https://ok.example/\"><script>alert(1)</script>)",
    "[<img src=x onerror=alert(1)>](https://ok.example)",
    "```\n<script>alert(1)</script>\n```",
    "`<script>alert(1)</script>`",
    "    <script>alert(1)</script>",
    "> <script>alert(1)</script>",
    "* [x](javascript:alert(1))",
    "http://ok.example/<script>alert(1)</script>",
    "https://ok.example/?q=\"><svg onload=alert(1)>",
]

FORBIDDEN_TAGS = {
    "script", "style", "iframe", "object", "embed", "svg", "math", "img", "form", "input",
    "button", "link", "meta", "base", "video", "audio", "source", "details", "marquee", "body", "div",
}
SAFE_SCHEMES = ("http://", "https://", "mailto:", "/", "#", "//")


class TagCollector(HTMLParser):
    """Parses the output as a browser would and records every tag and attribute."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []
        self.comments: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, attrs))

    def handle_comment(self, data):
        self.comments.append(data)


def assert_harmless(output: str) -> None:
    collector = TagCollector()
    collector.feed(output)
    collector.close()
    assert not collector.comments, output
    for tag, attrs in collector.tags:
        assert tag not in FORBIDDEN_TAGS, output
        for name, value in attrs:
            assert not name.startswith("on"), output
            assert name not in {"style", "src", "srcdoc", "action", "formaction", "xlink:href"}, output
            if name == "href":
                # The parser has already decoded entities, as a browser would.
                assert (value or "").strip().lower().startswith(SAFE_SCHEMES), output


def test_there_are_at_least_sixty_vectors():
    assert len(XSS_VECTORS) >= 60


@pytest.mark.parametrize("vector", XSS_VECTORS)
def test_it_renders_each_attack_harmless(vector):
    assert_harmless(render(vector))


def test_raw_html_is_shown_as_text_not_dropped():
    assert render("I said <b>hi</b>") == "<p>I said &lt;b&gt;hi&lt;/b&gt;</p>"


def test_it_keeps_the_allowed_formatting():
    output = render("**strong** *em* ~~gone~~ `code`\n\n> quoted\n\n- one\n- two\n\n1. first\n\n---")
    for tag in ("<strong>", "<em>", "<del>", "<code>", "<blockquote>", "<ul>", "<li>", "<ol>", "<hr>"):
        assert tag in output


def test_it_linkifies_bare_urls_with_safe_rel():
    output = render("See https://clinicaltrials.gov/study for details")
    assert '<a href="https://clinicaltrials.gov/study" rel="nofollow ugc noopener noreferrer">' in output


def test_written_links_get_the_same_rel():
    output = render("[the study](https://research.example/paper)")
    assert 'rel="nofollow ugc noopener noreferrer"' in output


def test_urls_inside_code_are_not_linkified():
    assert "<a" not in render("`https://example.org`")


def test_images_become_links_instead_of_embeds():
    output = render("![my chart](https://example.org/chart.png)")
    assert "<img" not in output
    assert '<a href="https://example.org/chart.png"' in output and "my chart" in output


def test_headings_keep_their_text():
    assert "Week 3" in render("# Week 3\nStill going")


def test_unicode_round_trips_unchanged():
    text = "Merci 🙏🏽 — שלום עולם — e\u0301 — 你好"
    assert text in render(text)
