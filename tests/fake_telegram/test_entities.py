"""The fake server's parse_mode parsers against Telegram's behaviour.

Many inputs and expected results are tdlib's own cases from test/message_entities.cpp, so the
byte offsets in the error messages are the ones Telegram really reports. The 🏟 emoji is four
UTF-8 bytes and two UTF-16 code units, which is what makes those offsets interesting.
"""

from __future__ import annotations

import pytest

from bot.fake_telegram.entities import (
    EntityParseError,
    UnsupportedParseMode,
    parse,
    parse_html,
    parse_markdown,
    parse_markdown_v2,
    utf16_len,
)

Entities = list[dict[str, object]]


def ent(kind: str, offset: int, length: int, **extra: object) -> dict[str, object]:
    return {"type": kind, "offset": offset, "length": length, **extra}


# --- utf16_len -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "units"),
    [("", 0), ("abc", 3), ("好", 1), ("😀", 2), ("a😀b", 4), ("➡️", 2), ("🏟 🏟", 5)],
)
def test_utf16_len_counts_code_units(text: str, units: int) -> None:
    assert utf16_len(text) == units


# --- HTML ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("html", "text", "entities"),
    [
        # UTF-16 offsets: the emoji before the tag counts twice, the Chinese character once
        ("😀<b>好</b>", "😀好", [ent("bold", 2, 1)]),
        ("好<i>😀x</i>", "好😀x", [ent("italic", 1, 3)]),
        ("<b>bold <i>both</i></b>", "bold both", [ent("bold", 0, 9), ent("italic", 5, 4)]),
        ("<strong>s</strong><em>e</em>", "se", [ent("bold", 0, 1), ent("italic", 1, 1)]),
        ("<u>a</u><ins>b</ins>", "ab", [ent("underline", 0, 1), ent("underline", 1, 1)]),
        (
            "<s>a</s><strike>b</strike><del>c</del>",
            "abc",
            [ent("strikethrough", 0, 1), ent("strikethrough", 1, 1), ent("strikethrough", 2, 1)],
        ),
        (
            '<span class="tg-spoiler">a</span><tg-spoiler>b</tg-spoiler>',
            "ab",
            [ent("spoiler", 0, 1), ent("spoiler", 1, 1)],
        ),
        ("<code>x &lt; y</code>", "x < y", [ent("code", 0, 5)]),
        ("<pre>line\nline</pre>", "line\nline", [ent("pre", 0, 9)]),
        (
            '<pre><code class="language-python">print(1)</code></pre>',
            "print(1)",
            [ent("pre", 0, 8, language="python")],
        ),
        # a language on a lone <code> is dropped, as Telegram does
        ('<code class="language-python">x</code>', "x", [ent("code", 0, 1)]),
        ("<blockquote>q</blockquote>", "q", [ent("blockquote", 0, 1)]),
        ("<blockquote expandable>q</blockquote>", "q", [ent("expandable_blockquote", 0, 1)]),
        (
            '<tg-emoji emoji-id="5368324170671202286">👍</tg-emoji>',
            "👍",
            [ent("custom_emoji", 0, 2, custom_emoji_id="5368324170671202286")],
        ),
        # entities sharing a span come in tdlib's type-priority order
        (
            "<i><b><code>x</code></b></i>",
            "x",
            [ent("code", 0, 1), ent("bold", 0, 1), ent("italic", 0, 1)],
        ),
        # an empty tag leaves no entity; "</>" closes whatever is open
        ("a<b></b>c<i>d</>", "acd", [ent("italic", 2, 1)]),
    ],
)
def test_html_formatting(html: str, text: str, entities: Entities) -> None:
    assert parse_html(html) == (text, entities)


def link(offset: int, length: int, url: str) -> dict[str, object]:
    return ent("text_link", offset, length, url=url)


@pytest.mark.parametrize(
    ("html", "text", "entities"),
    [
        (
            '<a href="https://example.com/x?a=1">go</a>',
            "go",
            [link(0, 2, "https://example.com/x?a=1")],
        ),
        # unquoted and single-quoted values; the host is lower-cased and gets a path
        ("<a href=example.com>go</a>", "go", [link(0, 2, "http://example.com/")]),
        ("<a href='HTTPS://Example.COM'>go</a>", "go", [link(0, 2, "https://example.com/")]),
        ("<a href='telegram.org?&lt;'>go</a>", "go", [link(0, 2, "http://telegram.org/?<")]),
        ('<a href="tg://user?id=42">Bob</a>', "Bob", [link(0, 3, "tg://user?id=42")]),
        ('<a href="TG:resolve?domain=ann">x</a>', "x", [link(0, 1, "tg://resolve?domain=ann")]),
        # no href: the link text itself is the target
        ("<a>telegram.org</a>", "telegram.org", [link(0, 12, "http://telegram.org/")]),
        # targets Telegram cannot use are dropped silently, not refused
        ('<a href="asdasd">x</a>', "x", []),
        ('<a href="ftp://example.com">x</a>', "x", []),
        ("<a>telegram.org </a>", "telegram.org ", []),
        # tdlib matches attribute names as written, so an upper-case HREF is ignored
        ('<a HREF="https://example.com">x</a>', "x", []),
    ],
)
def test_html_links(html: str, text: str, entities: Entities) -> None:
    assert parse_html(html) == (text, entities)


def test_html_tag_and_attribute_value_case_and_quoting() -> None:
    assert parse_html("<B>x</b><PRE><CODE class=language-Go>y</CODE></PRE>") == (
        "xy",
        [ent("bold", 0, 1), ent("pre", 1, 1, language="go")],
    )
    assert parse_html("<i aba = caba  x='1' y=\"2\">a</i>") == ("a", [ent("italic", 0, 1)])


def test_html_character_references() -> None:
    text, entities = parse_html("&lt;&gt;&amp;&quot;&#65;&#x42;&#128512;&lt")
    assert (text, entities) == ('<>&"AB😀<', [])
    # only four named references exist; Telegram keeps anything else, and a bare '&', as text
    assert parse_html("A&B &nbsp; &#0; &#X41; &") == ("A&B &nbsp; &#0; &#X41; &", [])


def test_html_decoded_emoji_counts_two_utf16_units() -> None:
    assert parse_html("&#x1F600;<b>x</b>") == ("😀x", [ent("bold", 2, 1)])


@pytest.mark.parametrize(
    ("html", "error"),
    [
        # the motivating bug: a display name interpolated without escaping
        ("Hi A&B <3", "Unclosed start tag at byte offset 7"),
        ("Hi A&B <3 you", 'Unsupported start tag "3" at byte offset 7'),
        ("<foo>x</foo>", 'Unsupported start tag "foo" at byte offset 0'),
        ("🏟 🏟&lt;<abacaba", "Unclosed start tag at byte offset 13"),
        ("🏟 🏟&lt;<abac aba>", 'Unsupported start tag "abac" at byte offset 13'),
        ("🏟 🏟&lt;<i   =aba>", 'Empty attribute name in the tag "i" at byte offset 13'),
        ("🏟 🏟&lt;<i    aba>", 'Can\'t find end tag corresponding to start tag "i"'),
        ("<b>bold", 'Can\'t find end tag corresponding to start tag "b"'),
        ("🏟 🏟&lt;<i    aba  =  ", 'Unclosed start tag "i" at byte offset 13'),
        ("🏟 🏟&lt;<i    aba  =  190azAz-.,", "Unexpected end of name token at byte offset 27"),
        ('🏟 🏟&lt;<i    aba  =  "&lt;&gt;&quot;>', "Unclosed start tag at byte offset 13"),
        ("🏟 🏟&lt;</", "Unexpected end tag at byte offset 13"),
        ("🏟 🏟&lt;<b></b></", "Unexpected end tag at byte offset 20"),
        ("🏟 🏟&lt;<i>a</i   ", "Unclosed end tag at byte offset 17"),
        (
            "🏟 🏟&lt;<i>a</em   >",
            'Unmatched end tag at byte offset 17, expected "</i>", found "</em>"',
        ),
        ("<b><i>x</b></i>", 'Unmatched end tag at byte offset 7, expected "</i>", found "</b>"'),
        ('<span class="x">s</span>', 'Tag "span" must have class "tg-spoiler" at byte offset 0'),
        ('<tg-emoji emoji-id="12a">👍</tg-emoji>', "Invalid custom emoji identifier specified"),
        ("<tg-emoji>👍</tg-emoji>", "Invalid custom emoji identifier specified"),
        (
            "&#xDFDF;",
            "Text contains invalid Unicode characters after decoding HTML entities, "
            "check for unmatched surrogate code units",
        ),
    ],
)
def test_html_errors(html: str, error: str) -> None:
    with pytest.raises(EntityParseError) as excinfo:
        parse_html(html)
    assert str(excinfo.value) == error


# --- MarkdownV2 ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("markdown", "text", "entities"),
    [
        ("😀*好*", "😀好", [ent("bold", 2, 1)]),
        (
            "_i_ __u__ ~s~ ||p|| `c`",
            "i u s p c",
            [
                ent("italic", 0, 1),
                ent("underline", 2, 1),
                ent("strikethrough", 4, 1),
                ent("spoiler", 6, 1),
                ent("code", 8, 1),
            ],
        ),  # fmt: skip
        # the nesting example from the Bot API documentation
        (
            "*bold _italic bold ~italic bold strikethrough ||italic bold strikethrough "
            "spoiler||~ __underline italic bold___ bold*",
            "bold italic bold italic bold strikethrough italic bold strikethrough spoiler "
            "underline italic bold bold",
            [
                ent("bold", 0, 103),
                ent("italic", 5, 93),
                ent("strikethrough", 17, 59),
                ent("spoiler", 43, 33),
                ent("underline", 77, 21),
            ],
        ),
        # every reserved character is fine once escaped, and escapes count one unit each
        (
            r"\_\*\[\]\(\)\~\`\>\#\+\-\=\|\{\}\.\!\\",
            "_*[]()~`>#+-=|{}.!\\",
            [],
        ),
        (r"🏟 \.🏟_🏟\. 🏟_", "🏟 .🏟🏟. 🏟", [ent("italic", 6, 6)]),
        # inside code only ` and \ matter; the rest is literal
        (r"`a_*[.]\`b\\`", "a_*[.]`b\\", [ent("code", 0, 9)]),
        ("```\ncode\n```", "code\n", [ent("pre", 0, 5)]),
        ("```python\nprint(1)\n```", "print(1)\n", [ent("pre", 0, 9, language="python")]),
        (
            "[link](https://example.com/a\\)b)",
            "link",
            [
                ent("text_link", 0, 4, url="https://example.com/a)b"),
            ],
        ),  # fmt: skip
        ("[telegram\\.org]", "telegram.org", [ent("text_link", 0, 12, url="http://telegram.org/")]),
        ("[Ann](tg://user?id=123456)", "Ann", [ent("text_link", 0, 3, url="tg://user?id=123456")]),
        ("[x](asdasd) [](telegram.org)", "x ", []),
        (
            "![👍](tg://emoji?id=5368324170671202286)",
            "👍",
            [ent("custom_emoji", 0, 2, custom_emoji_id="5368324170671202286")],
        ),
        ("||test||", "test", [ent("spoiler", 0, 4)]),
        ("🏟 🏟**", "🏟 🏟", []),
    ],
)
def test_markdown_v2_formatting(markdown: str, text: str, entities: Entities) -> None:
    assert parse_markdown_v2(markdown) == (text, entities)


@pytest.mark.parametrize(
    ("markdown", "text", "entities"),
    [
        (">quote\n>more\nafter", "quote\nmore\nafter", [ent("blockquote", 0, 11)]),
        ("abc\n> \n> \n>\ndef", "abc\n \n \n\ndef", [ent("blockquote", 4, 5)]),
        (">*abcd*", "abcd", [ent("blockquote", 0, 4), ent("bold", 0, 4)]),
        # "||" at the end of the last quoted line makes the quotation expandable
        (
            ">asd\n>q||e||w||\nasdad",
            "asd\nqew\nasdad",
            [ent("expandable_blockquote", 0, 8), ent("spoiler", 5, 1)],
        ),
        (
            ">asd\n>q||ew||\nasdad",
            "asd\nqew\nasdad",
            [ent("blockquote", 0, 8), ent("spoiler", 5, 2)],
        ),
        (">||", "", []),
    ],
)
def test_markdown_v2_block_quotations(markdown: str, text: str, entities: Entities) -> None:
    assert parse_markdown_v2(markdown) == (text, entities)


@pytest.mark.parametrize("char", list("]()>#+-=|{}.!"))
def test_markdown_v2_reserved_character_must_be_escaped(char: str) -> None:
    with pytest.raises(EntityParseError) as excinfo:
        parse_markdown_v2(f"a{char}")
    expected = f"Character '{char}' is reserved and must be escaped with the preceding '\\'"
    assert str(excinfo.value) == expected
    assert parse_markdown_v2(f"a\\{char}") == (f"a{char}", [])


@pytest.mark.parametrize(
    ("markdown", "error"),
    [
        (
            "Shift starts at 9.",
            "Character '.' is reserved and must be escaped with the preceding '\\'",
        ),
        ("Hello *world", "Can't find end of Bold entity at byte offset 6"),
        ("🏟 🏟_abacaba", "Can't find end of Italic entity at byte offset 9"),
        ("🏟 🏟_abac * asd ", "Can't find end of Bold entity at byte offset 15"),
        ("🏟 🏟`", "Can't find end of Code entity at byte offset 9"),
        ("🏟 🏟```", "Can't find end of Pre entity at byte offset 9"),
        ("🏟 🏟```a ", "Can't find end of PreCode entity at byte offset 9"),
        ("🏟 🏟__", "Can't find end of Underline entity at byte offset 9"),
        ("🏟 🏟||test\\|", "Can't find end of Spoiler entity at byte offset 9"),
        ("~a", "Can't find end of Strikethrough entity at byte offset 0"),
        ("[a", "Can't find end of TextUrl entity at byte offset 0"),
        ("🏟 🏟```🏟 🏟`", "Can't find end of Code entity at byte offset 21"),
        ("[telegram\\.org](asd\\)", "Can't find end of a URL at byte offset 16"),
        ("🏟 🏟![", "Can't find end of CustomEmoji entity at byte offset 9"),
        ("🏟 🏟![👍]", "Custom emoji entity must contain a tg://emoji URL"),
        ("🏟 🏟![👍](tg://emoji?id=1234", "Can't find end of a custom emoji URL at byte offset 17"),
        ("🏟 🏟![👍](t://emoji?id=1234)", "Custom emoji URL must have scheme tg"),
        ("🏟 🏟![👍](tg:emojis?id=1234)", 'Custom emoji URL must have host "emoji"'),
        ("🏟 🏟![👍](tg://emoji#test)", "Custom emoji URL must have an emoji identifier"),
        ("🏟 🏟![👍](tg://emoji?test=1231&id=025)", "Invalid custom emoji identifier specified"),
        (">*b\n>ld \n>bo\nld*\nasd\ndef", "Can't find end of Bold entity at byte offset 1"),
        (">\n*a*>2", "Character '>' is reserved and must be escaped with the preceding '\\'"),
        (">asd\n>q||ew\n||asdad", "Can't find end of Spoiler entity at byte offset 7"),
        (">asd\n>q||e||w__\n||asdad", "Can't find end of Underline entity at byte offset 13"),
    ],
)
def test_markdown_v2_errors(markdown: str, error: str) -> None:
    with pytest.raises(EntityParseError) as excinfo:
        parse_markdown_v2(markdown)
    assert str(excinfo.value) == error


# --- legacy Markdown -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("markdown", "text", "entities"),
    [
        (
            "*bold* _it_ `code` [link](http://example.com)",
            "bold it code link",
            [
                ent("bold", 0, 4),
                ent("italic", 5, 2),
                ent("code", 8, 4),
                ent("text_link", 13, 4, url="http://example.com/"),
            ],
        ),
        ("😀*好*", "😀好", [ent("bold", 2, 1)]),
        ("```py\nx = 1\n```", "x = 1\n", [ent("pre", 0, 6, language="py")]),
        ("```\nx\n```", "x\n", [ent("pre", 0, 2)]),
        # no nesting: marks inside an entity are literal, and so are '.' and '!'
        ("*a_b* done.", "a_b done.", [ent("bold", 0, 3)]),
        # escapes work outside entities only
        (r"\*not bold\* \_ \` \[", "*not bold* _ ` [", []),
        ("[Ann](tg://user?id=5)", "Ann", [ent("text_link", 0, 3, url="tg://user?id=5")]),
        ("**", "", []),
    ],
)
def test_markdown_formatting(markdown: str, text: str, entities: Entities) -> None:
    assert parse_markdown(markdown) == (text, entities)


@pytest.mark.parametrize(
    ("markdown", "error"),
    [
        ("*bold", "Can't find end of the entity starting at byte offset 0"),
        ("snake_case", "Can't find end of the entity starting at byte offset 5"),
        ("🏟 `code", "Can't find end of the entity starting at byte offset 5"),
        ("```py\nx", "Can't find end of the entity starting at byte offset 0"),
        ("see [docs", "Can't find end of the entity starting at byte offset 4"),
    ],
)
def test_markdown_errors(markdown: str, error: str) -> None:
    with pytest.raises(EntityParseError) as excinfo:
        parse_markdown(markdown)
    assert str(excinfo.value) == error


# --- dispatch --------------------------------------------------------------------------------


@pytest.mark.parametrize("mode", [None, ""])
def test_parse_without_mode_leaves_text_alone(mode: str | None) -> None:
    assert parse("<b>*x*</b>.", mode) == ("<b>*x*</b>.", [])


@pytest.mark.parametrize(
    ("mode", "source", "expected"),
    [
        ("HTML", "<b>x</b>", ("x", [ent("bold", 0, 1)])),
        ("html", "<b>x</b>", ("x", [ent("bold", 0, 1)])),
        ("MarkdownV2", "*x*\\.", ("x.", [ent("bold", 0, 1)])),
        ("MARKDOWNV2", "*x*\\.", ("x.", [ent("bold", 0, 1)])),
        ("Markdown", "*x*.", ("x.", [ent("bold", 0, 1)])),
        ("markdown", "*x*.", ("x.", [ent("bold", 0, 1)])),
    ],
)
def test_parse_dispatches_case_insensitively(
    mode: str, source: str, expected: tuple[str, Entities]
) -> None:
    assert parse(source, mode) == expected


def test_parse_rejects_unknown_mode() -> None:
    with pytest.raises(UnsupportedParseMode) as excinfo:
        parse("x", "Markdown2")
    assert str(excinfo.value) == "unsupported parse_mode"
    assert isinstance(excinfo.value, ValueError)
    assert not isinstance(excinfo.value, EntityParseError)


def test_parse_errors_are_value_errors() -> None:
    with pytest.raises(ValueError, match="^Character '!' is reserved"):
        parse("Welcome!", "MarkdownV2")
