"""The fake server's HTML parser against Telegram's behaviour.

Many inputs and expected results are tdlib's own cases from test/message_entities.cpp, so the
byte offsets in the error messages are the ones Telegram really reports. The 🏟 emoji is four
UTF-8 bytes and two UTF-16 code units, which is what makes those offsets interesting.
"""

from __future__ import annotations

import pytest

from bot.fake_telegram.entities import (
    EntityParseError,
    ParseModeNotInFake,
    UnsupportedParseMode,
    parse,
    parse_html,
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


# --- dispatch --------------------------------------------------------------------------------


@pytest.mark.parametrize("mode", [None, ""])
def test_parse_without_mode_leaves_text_alone(mode: str | None) -> None:
    assert parse("<b>*x*</b>.", mode) == ("<b>*x*</b>.", [])


@pytest.mark.parametrize("mode", ["HTML", "html", "Html"])
def test_parse_takes_html_case_insensitively(mode: str) -> None:
    assert parse("<b>x</b>", mode) == ("x", [ent("bold", 0, 1)])


@pytest.mark.parametrize(
    ("mode", "name"),
    [("MarkdownV2", "MarkdownV2"), ("markdownv2", "MarkdownV2"), ("Markdown", "Markdown")],
)
def test_markdown_modes_are_not_in_the_fake(mode: str, name: str) -> None:
    # Telegram takes them; the fake parses HTML only and says so, naming itself.
    with pytest.raises(ParseModeNotInFake) as excinfo:
        parse("*x*", mode)
    assert str(excinfo.value) == (
        f"parse_mode {name} is not supported by the fake Bot API, which parses HTML only"
    )
    assert not isinstance(excinfo.value, UnsupportedParseMode | EntityParseError)


def test_parse_rejects_unknown_mode() -> None:
    with pytest.raises(UnsupportedParseMode) as excinfo:
        parse("x", "Markdown2")
    assert str(excinfo.value) == "unsupported parse_mode"
    assert isinstance(excinfo.value, ValueError)
    assert not isinstance(excinfo.value, EntityParseError)


def test_parse_errors_are_value_errors() -> None:
    with pytest.raises(ValueError, match="^Unclosed start tag"):
        parse("Hi A&B <3", "HTML")
