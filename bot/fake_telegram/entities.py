"""Telegram's HTML parse mode, parsed the way Telegram parses it, for the fake Bot API server.

When a bot sends text with `parse_mode="HTML"`, Telegram turns the markup into plain text
plus MessageEntity objects, or refuses the request with
`400 Bad Request: can't parse entities: <reason>`. The fake server must behave the same way,
so that a bot bug such as a display name "A&B <3" interpolated into HTML without escaping
fails the test-suite exactly as it would fail in production.

The Bot API server delegates this to tdlib, so the parser below is a line-by-line port of
tdlib's `parse_html` (td/telegram/MessageEntity.cpp), together with the small
LinkManager/HttpUrl helpers it calls to validate link targets. The port works on the UTF-8
bytes of the text, as tdlib does, because tdlib reports positions as UTF-8 byte offsets and
counts entity offsets in UTF-16 code units while walking those bytes. Reading past the end
yields 0, standing in for the NUL terminator tdlib relies on.

Only HTML is ported. Telegram also takes "MarkdownV2" and the legacy "Markdown"; a bot that
sends only HTML never needs them, so the fake refuses them (`ParseModeNotInFake`) rather
than carry two more parsers nobody runs.

Only the parse step is reproduced. What Telegram does afterwards when it stores the message
(trimming surrounding whitespace, dropping entities nested inside code or pre, detecting
URLs and mentions, refusing empty text) belongs to the caller.
"""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass

__all__ = [
    "EntityParseError",
    "ParseModeNotInFake",
    "UnsupportedParseMode",
    "parse",
    "parse_html",
    "utf16_len",
]


class EntityParseError(ValueError):
    """str(err) is the part Telegram puts after "Bad Request: can't parse entities: "."""


class UnsupportedParseMode(ValueError):
    """A parse_mode Telegram does not know; Telegram answers 400 with this."""

    def __init__(self) -> None:
        super().__init__("unsupported parse_mode")


class ParseModeNotInFake(ValueError):
    """MarkdownV2 or Markdown: Telegram takes them, this fake does not (it parses HTML only)."""

    def __init__(self, mode: str) -> None:
        super().__init__(
            f"parse_mode {mode} is not supported by the fake Bot API, which parses HTML only"
        )


def utf16_len(text: str) -> int:
    """Length of `text` in UTF-16 code units, the unit of Telegram's entity offsets."""
    return len(text.encode("utf-16-le", "surrogatepass")) // 2


# --- entities -------------------------------------------------------------------------------

# tdlib's MessageEntity::get_type_priority: it breaks ties between entities that share offset
# and length, so the order matches what Telegram returns.
_PRIORITY = {
    "Bold": 90,
    "Italic": 91,
    "Code": 20,
    "Pre": 11,
    "PreCode": 10,
    "TextUrl": 49,
    "MentionName": 49,
    "Underline": 92,
    "Strikethrough": 93,
    "BlockQuote": 0,
    "Spoiler": 94,
    "CustomEmoji": 99,
    "ExpandableBlockQuote": 0,
}

_BOT_API_TYPE = {
    "Bold": "bold",
    "Italic": "italic",
    "Underline": "underline",
    "Strikethrough": "strikethrough",
    "Spoiler": "spoiler",
    "Code": "code",
    "Pre": "pre",
    "PreCode": "pre",
    "TextUrl": "text_link",
    # A real server answers text_mention with the user's profile, which a fake cannot know.
    "MentionName": "text_link",
    "CustomEmoji": "custom_emoji",
    "BlockQuote": "blockquote",
    "ExpandableBlockQuote": "expandable_blockquote",
}


@dataclass
class _Entity:
    kind: str  # tdlib's MessageEntity::Type name, which also appears in error messages
    offset: int
    length: int
    argument: str = ""
    user_id: int = 0
    custom_emoji_id: int = 0


def _to_bot_api(entities: list[_Entity]) -> list[dict[str, object]]:
    ordered = sorted(entities, key=lambda e: (e.offset, -e.length, _PRIORITY[e.kind]))
    result: list[dict[str, object]] = []
    for entity in ordered:
        if entity.length <= 0:
            continue
        item: dict[str, object] = {
            "type": _BOT_API_TYPE[entity.kind],
            "offset": entity.offset,
            "length": entity.length,
        }
        if entity.kind == "TextUrl":
            item["url"] = entity.argument
        elif entity.kind == "MentionName":
            item["url"] = f"tg://user?id={entity.user_id}"
        elif entity.kind == "PreCode":
            item["language"] = entity.argument
        elif entity.kind == "CustomEmoji":
            item["custom_emoji_id"] = str(entity.custom_emoji_id)
        result.append(item)
    return result


def _link_entity(offset: int, length: int, url: str) -> _Entity | None:
    """What tdlib makes of a link: a user mention, a checked text link, or nothing at all."""
    user_id = _get_link_user_id(url)
    if user_id:
        return _Entity("MentionName", offset, length, user_id=user_id)
    checked = _get_checked_link(url)
    if not checked:
        return None
    return _Entity("TextUrl", offset, length, checked)


# --- byte-level helpers (tdutils misc.h / utf8.h) -------------------------------------------

_NUL, _TAB, _LF, _VT, _CR, _SPACE = 0, 9, 10, 11, 13, 32
_QUOTE, _HASH, _AMP, _APOS = 34, 35, 38, 39
_MINUS, _DOT, _SLASH = 45, 46, 47
_SEMI, _LT, _EQ, _GT = 59, 60, 61, 62

_ASCII_LOWER = bytes.maketrans(b"ABCDEFGHIJKLMNOPQRSTUVWXYZ", b"abcdefghijklmnopqrstuvwxyz")
_ASCII_LOWER_STR = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")


def _at(buf: bytes | bytearray, k: int) -> int:
    """buf[k], or 0 past the end, standing in for the NUL that ends a C++ string."""
    return buf[k] if k < len(buf) else 0


def _is_space(c: int) -> bool:
    # tdlib counts NUL as space, which is what stops its scans at the end of the string.
    return c in (_SPACE, _TAB, _CR, _LF, _NUL, _VT)


def _is_alpha(c: int) -> bool:
    return 65 <= c <= 90 or 97 <= c <= 122


def _is_digit(c: int) -> bool:
    return 48 <= c <= 57


def _is_alnum(c: int) -> bool:
    return _is_alpha(c) or _is_digit(c)


def _is_hex_digit(c: int) -> bool:
    return _is_digit(c) or 65 <= c <= 70 or 97 <= c <= 102


def _utf16_units(c: int) -> int:
    """UTF-16 units contributed by the UTF-8 byte `c`: counted once, on a character's first byte."""
    if c & 0xC0 == 0x80:
        return 0
    return 2 if c >= 0xF0 else 1


def _ascii_lower(text: str) -> str:
    # tdlib's to_lower only folds ASCII; str.lower() would also fold e.g. "İ" and change lengths.
    return text.translate(_ASCII_LOWER_STR)


def _text(raw: bytes | bytearray) -> str:
    return bytes(raw).decode("utf-8", "replace")


def _to_int_safe(text: str, bits: int) -> int | None:
    """td::to_integer_safe: accepted only if the number prints back as exactly `text`."""
    if not re.fullmatch(r"-?[0-9]+", text):
        return None
    value = int(text)
    if str(value) != text or not -(1 << (bits - 1)) <= value < (1 << (bits - 1)):
        return None
    return value


def _full_split(text: str, delimiter: str) -> list[str]:
    # td::full_split yields nothing for an empty string, unlike str.split.
    return text.split(delimiter) if text else []


# --- links (td/telegram/LinkManager.cpp, tdutils/td/utils/HttpUrl.cpp) ----------------------

_MAX_USER_ID = (1 << 40) - 1  # UserId::is_valid
_HOST_SYMBOLS = frozenset("abcdefghijklmnopqrstuvwxyz0123456789.-_!$,~*'();&+=")
_LOWER_HEX = frozenset("0123456789abcdef")


@dataclass
class _HttpUrl:
    is_https: bool
    userinfo: str
    host: str
    is_ipv6: bool
    specified_port: int
    query: str

    def get_url(self) -> str:
        result = "https://" if self.is_https else "http://"
        if self.userinfo:
            result += self.userinfo + "@"
        result += self.host
        if self.specified_port > 0:
            result += f":{self.specified_port}"
        return result + self.query


def _parse_url(url: str) -> _HttpUrl | None:
    """td::parse_url; None where tdlib returns an error (the callers only need to know that)."""
    protocol_end = next((k for k, ch in enumerate(url) if ch in ":/?#@[]"), len(url))
    protocol = _ascii_lower(url[:protocol_end])
    is_https = False
    rest = url
    if url.startswith("://", protocol_end):
        if protocol == "https":
            is_https = True
        elif protocol != "http":
            return None
        rest = url[protocol_end + 3 :]

    host_end = next((k for k, ch in enumerate(rest) if ch in "/?#"), len(rest))
    userinfo_host_port, query = rest[:host_end], rest[host_end:]

    port = 0
    colon = len(userinfo_host_port) - 1
    while colon > 0 and userinfo_host_port[colon] not in ":]@":
        colon -= 1
    userinfo_host = userinfo_host_port
    if colon > 0 and userinfo_host_port[colon] == ":":
        port_text = userinfo_host_port[colon + 1 :]
        while len(port_text) > 1 and port_text[0] == "0":
            port_text = port_text[1:]
        parsed_port = _to_int_safe(port_text, 32)
        port = -1 if not parsed_port else parsed_port
        userinfo_host = userinfo_host_port[:colon]
    if port < 0 or port > 65535:
        return None

    at_pos = userinfo_host.rfind("@")
    userinfo = userinfo_host[:at_pos] if at_pos >= 0 else ""
    host = userinfo_host[at_pos + 1 :]

    is_ipv6 = False
    if host.startswith("[") and host.endswith("]") and len(host) >= 2:
        try:
            ipaddress.IPv6Address(host[1:-1])
        except ValueError:
            return None
        is_ipv6 = True
    if not host or host == ".":
        return None

    query = query.rstrip(" \t\r\n\x00\v") or "/"
    query_text = "" if query.startswith("/") else "/"
    for ch in query:
        query_text += f"%{ord(ch):02X}" if ord(ch) <= 0x20 else ch

    host = _ascii_lower(host)
    k = 0
    while k < len(host):
        ch = host[k]
        if is_ipv6:
            if not (k == 0 or k + 1 == len(host) or ch in ":." or ch in _LOWER_HEX):
                return None
        elif ch == "%":
            if not (host[k + 1 : k + 2] in _LOWER_HEX and host[k + 2 : k + 3] in _LOWER_HEX):
                return None
            k += 2
        elif ch not in _HOST_SYMBOLS and ord(ch) < 128:
            return None
        k += 1

    return _HttpUrl(is_https, userinfo, host, is_ipv6, port, query_text)


def _get_checked_link(link: str) -> str:
    """LinkManager::get_checked_link: the normalised link, or "" if Telegram would drop it."""
    lowered = _ascii_lower(link)
    scheme = ""
    for prefix in ("tg:", "ton:", "tonsite:"):
        if lowered.startswith(prefix):
            scheme = prefix[:-1]
            link = link[len(prefix) :]
            break
    if scheme and link.startswith("//"):
        link = link[2:]
    http_url = _parse_url(link)
    if http_url is None:
        return ""
    if scheme:
        if (
            _ascii_lower(link).startswith("http://")
            or http_url.is_https
            or http_url.userinfo
            or http_url.specified_port != 0
            or http_url.is_ipv6
        ):
            return ""
        query = http_url.query
        if len(query) > 1 and query[1] == "?":
            query = query[1:]
        for ch in http_url.host:
            if not (
                (ch.isascii() and ch.isalnum()) or ch in "-_" or (scheme == "tonsite" and ch == ".")
            ):
                return ""
        return f"{scheme}://{http_url.host}{query}"
    if "." not in http_url.host and not http_url.is_ipv6:
        return ""
    return http_url.get_url()


def _get_link_user_id(url: str) -> int:
    """LinkManager::get_link_user_id: the user of a tg://user?id= link, or 0."""
    url = _ascii_lower(url)
    if not url.startswith("tg:"):
        return 0
    url = url[3:]
    if url.startswith("//"):
        url = url[2:]
    if not url.startswith("user") or (len(url) > 4 and url[4] not in "/?#"):
        return 0
    url = url[4:]
    if url.startswith("/"):
        url = url[1:]
    if not url.startswith("?"):
        return 0
    for parameter in _full_split(url[1:].split("#", 1)[0], "&"):
        key, _, value = parameter.partition("=")
        if key == "id":
            user_id = _to_int_safe(value, 64)
            return user_id if user_id is not None and 0 < user_id <= _MAX_USER_ID else 0
    return 0


# --- HTML (tdlib parse_html) ----------------------------------------------------------------

_HTML_TAGS = frozenset(
    {
        "a", "b", "strong", "i", "em", "s", "strike", "del", "u", "ins",
        "tg-spoiler", "tg-emoji", "span", "pre", "code", "blockquote",
    }
)  # fmt: skip
_HTML_NAMED = {b"lt": 0x3C, b"gt": 0x3E, b"amp": 0x26, b"quot": 0x22}
_SURROGATE_ERROR = (
    "Text contains invalid Unicode characters after decoding HTML entities, "
    "check for unmatched surrogate code units"
)


def _decode_html_entity(src: bytes, pos: int) -> tuple[int, int]:
    """(code point, position after the entity); code point 0 means "not an entity, keep '&'"."""
    end = pos + 1
    code = 0
    if _at(src, pos + 1) == _HASH:
        end += 1
        if _at(src, pos + 2) == ord("x"):  # tdlib accepts only a lower-case x
            end += 1
            while _is_hex_digit(_at(src, end)):
                code = code * 16 + int(chr(_at(src, end)), 16)
                end += 1
        else:
            while _is_digit(_at(src, end)):
                code = code * 10 + _at(src, end) - 48
                end += 1
        if code == 0 or code >= 0x10FFFF or end - pos >= 10:
            return 0, pos
    else:
        while _is_alpha(_at(src, end)):
            end += 1
        code = _HTML_NAMED.get(src[pos + 1 : end], 0)
        if code == 0:
            return 0, pos
    if _at(src, end) == _SEMI:
        end += 1
    return code, end


def _encode_code_point(code: int) -> bytes:
    # surrogatepass keeps a lone surrogate as tdlib writes it, so the final UTF-8 check sees it
    return chr(code).encode("utf-8", "surrogatepass")


@dataclass
class _OpenTag:
    name: str
    argument: bytes
    offset: int
    begin_pos: int  # where the tag's content starts in the output bytes


def _read_start_tag(src: bytes, begin_pos: int) -> tuple[str, bytes, int]:
    """Parse the start tag at `begin_pos`: (tag name, the argument it carries, index of '>')."""
    i = begin_pos + 1
    while not _is_space(_at(src, i)) and _at(src, i) != _GT:
        i += 1
    if _at(src, i) == _NUL:
        raise EntityParseError(f"Unclosed start tag at byte offset {begin_pos}")
    tag_name = _text(src[begin_pos + 1 : i].translate(_ASCII_LOWER))
    if tag_name not in _HTML_TAGS:
        raise EntityParseError(f'Unsupported start tag "{tag_name}" at byte offset {begin_pos}')
    unclosed = f'Unclosed start tag "{tag_name}" at byte offset {begin_pos}'

    argument = b""
    while _at(src, i) != _GT:
        while _at(src, i) != _NUL and _is_space(_at(src, i)):
            i += 1
        if _at(src, i) == _GT:
            break
        attribute_begin = i
        while not _is_space(_at(src, i)) and _at(src, i) not in (_EQ, _GT, _SLASH, _QUOTE, _APOS):
            i += 1
        # tdlib compares attribute names as written, so HREF is not href
        attribute_name = src[attribute_begin:i]
        if not attribute_name:
            raise EntityParseError(
                f'Empty attribute name in the tag "{tag_name}" at byte offset {begin_pos}'
            )
        while _at(src, i) != _NUL and _is_space(_at(src, i)):
            i += 1
        if _at(src, i) != _EQ:
            if _at(src, i) == _NUL:
                raise EntityParseError(unclosed)
            if tag_name == "blockquote" and attribute_name == b"expandable":
                argument = b"1"
            continue
        i += 1
        while _at(src, i) != _NUL and _is_space(_at(src, i)):
            i += 1
        if _at(src, i) == _NUL:
            raise EntityParseError(unclosed)

        if _at(src, i) not in (_QUOTE, _APOS):
            # an unquoted value is an SGML name token, which is case-insensitive
            token_begin = i
            while _is_alnum(_at(src, i)) or _at(src, i) in (_DOT, _MINUS):
                i += 1
            value = src[token_begin:i].translate(_ASCII_LOWER)
            if not _is_space(_at(src, i)) and _at(src, i) != _GT:
                raise EntityParseError(f"Unexpected end of name token at byte offset {token_begin}")
        else:
            end_character = _at(src, i)
            i += 1
            decoded = bytearray()
            while _at(src, i) != end_character and _at(src, i) != _NUL:
                if _at(src, i) == _AMP:
                    code, after = _decode_html_entity(src, i)
                    if code:
                        decoded += _encode_code_point(code)
                        i = after
                        continue
                decoded.append(_at(src, i))
                i += 1
            if _at(src, i) == end_character:
                i += 1
            value = bytes(decoded)
        if _at(src, i) == _NUL:
            raise EntityParseError(f"Unclosed start tag at byte offset {begin_pos}")

        if tag_name == "a" and attribute_name == b"href":
            argument = value
        elif tag_name == "code" and attribute_name == b"class" and value.startswith(b"language-"):
            argument = value[9:]
        elif tag_name == "span" and attribute_name == b"class" and value.startswith(b"tg-"):
            argument = value[3:]
        elif tag_name == "tg-emoji" and attribute_name == b"emoji-id":
            argument = value
        elif tag_name == "blockquote" and attribute_name == b"expandable":
            argument = b"1"

    if tag_name == "span" and argument != b"spoiler":
        raise EntityParseError(
            f'Tag "span" must have class "tg-spoiler" at byte offset {begin_pos}'
        )
    return tag_name, argument, i


def _close_tag(top: _OpenTag, utf16: int, out: bytearray, entities: list[_Entity]) -> None:
    """Record the entity for a tag closed at UTF-16 offset `utf16`; empty ones leave no trace."""
    if utf16 <= top.offset:
        return
    offset, length, name = top.offset, utf16 - top.offset, top.name
    last = entities[-1] if entities else None
    same_span_as_last = last is not None and (last.offset, last.length) == (offset, length)
    if name in ("i", "em"):
        entities.append(_Entity("Italic", offset, length))
    elif name in ("b", "strong"):
        entities.append(_Entity("Bold", offset, length))
    elif name in ("s", "strike", "del"):
        entities.append(_Entity("Strikethrough", offset, length))
    elif name in ("u", "ins"):
        entities.append(_Entity("Underline", offset, length))
    elif name in ("tg-spoiler", "span"):
        entities.append(_Entity("Spoiler", offset, length))
    elif name == "tg-emoji":
        emoji_id = _to_int_safe(_text(top.argument), 64)
        if not emoji_id:
            raise EntityParseError("Invalid custom emoji identifier specified")
        entities.append(_Entity("CustomEmoji", offset, length, custom_emoji_id=emoji_id))
    elif name == "a":
        link = _link_entity(offset, length, _text(top.argument or out[top.begin_pos :]))
        if link is not None:
            entities.append(link)
    elif name == "pre":
        # <code class="language-x"><pre>...</pre></code> is a pre with a language too
        if last is not None and same_span_as_last and last.kind == "Code" and last.argument:
            last.kind = "PreCode"
        else:
            entities.append(_Entity("Pre", offset, length))
    elif name == "code":
        if last is not None and same_span_as_last and last.kind == "Pre" and top.argument:
            last.kind = "PreCode"
            last.argument = _text(top.argument)
        else:
            entities.append(_Entity("Code", offset, length, _text(top.argument)))
    elif name == "blockquote":
        kind = "ExpandableBlockQuote" if top.argument else "BlockQuote"
        entities.append(_Entity(kind, offset, length))


def parse_html(text: str) -> tuple[str, list[dict[str, object]]]:
    """Telegram's HTML parse mode: (plain text, Bot API entities), or EntityParseError."""
    src = text.encode("utf-8", "surrogatepass")
    out = bytearray()
    entities: list[_Entity] = []
    nested: list[_OpenTag] = []
    utf16 = 0
    need_recheck_utf8 = False

    i = -1
    while True:
        i += 1
        if i >= len(src):
            break
        c = src[i]
        if c == _AMP:
            code, after = _decode_html_entity(src, i)
            if code:
                i = after - 1
                utf16 += 2 if code > 0xFFFF else 1
                if 0xD800 <= code <= 0xDFFF:
                    need_recheck_utf8 = True
                out += _encode_code_point(code)
                continue
        if c != _LT:
            # tdlib keeps a bare '&' or '>' as text; only '<' has to start a tag
            utf16 += _utf16_units(c)
            out.append(c)
            continue

        begin_pos = i
        if _at(src, i + 1) != _SLASH:
            tag_name, argument, i = _read_start_tag(src, begin_pos)
            nested.append(_OpenTag(tag_name, argument, utf16, len(out)))
            continue

        if not nested:
            raise EntityParseError(f"Unexpected end tag at byte offset {begin_pos}")
        i += 1
        while not _is_space(_at(src, i)) and _at(src, i) != _GT:
            i += 1
        end_tag_name = _text(src[begin_pos + 2 : i].translate(_ASCII_LOWER))
        while _is_space(_at(src, i)) and _at(src, i) != _NUL:
            i += 1
        if _at(src, i) != _GT:
            raise EntityParseError(f"Unclosed end tag at byte offset {begin_pos}")
        top = nested.pop()
        if end_tag_name and end_tag_name != top.name:
            raise EntityParseError(
                f"Unmatched end tag at byte offset {begin_pos}, "
                f'expected "</{top.name}>", found "</{end_tag_name}>"'
            )
        _close_tag(top, utf16, out, entities)

    if nested:
        raise EntityParseError(
            f'Can\'t find end tag corresponding to start tag "{nested[-1].name}"'
        )
    for entity in entities:
        if entity.kind == "Code":
            entity.argument = ""  # a language only counts on a pre block

    if need_recheck_utf8:
        try:
            plain = out.decode("utf-8")
        except UnicodeDecodeError:
            raise EntityParseError(_SURROGATE_ERROR) from None
    else:
        plain = out.decode("utf-8", "surrogatepass")
    return plain, _to_bot_api(entities)


# --- dispatch -------------------------------------------------------------------------------

_MARKDOWN_MODES = {"markdownv2": "MarkdownV2", "markdown": "Markdown"}


def parse(text: str, parse_mode: str | None) -> tuple[str, list[dict[str, object]]]:
    """Parse `text` as the Bot API would for `parse_mode` (case-insensitive); None or "" -> as is.

    Raises EntityParseError for markup Telegram refuses, UnsupportedParseMode for a mode
    Telegram does not know, and ParseModeNotInFake for MarkdownV2 and Markdown, which
    Telegram knows and this fake does not.
    """
    if not parse_mode:
        return text, []
    mode = parse_mode.lower()
    if mode == "html":
        return parse_html(text)
    if mode in _MARKDOWN_MODES:
        raise ParseModeNotInFake(_MARKDOWN_MODES[mode])
    raise UnsupportedParseMode()
