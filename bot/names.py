"""How a name people typed becomes a name others see: one line, nothing invisible, not too long."""

from __future__ import annotations

import enum
import unicodedata

NAME_MAX = 32


class NameProblem(enum.Enum):
    EMPTY = "empty"
    TOO_LONG = "too_long"


# Invisible characters that only hide or reorder text (zero-width spaces, byte-order
# marks, direction overrides that make a name read backwards). Joiners stay: emoji need them.
_INVISIBLE = dict.fromkeys(
    [0x200B, 0x200E, 0x200F, 0x2060, 0xFEFF, *range(0x202A, 0x202F), *range(0x2066, 0x206A)]
)
_JOINERS = {"\u200c", "\u200d"}


def clean_name(text: str, max_length: int = NAME_MAX) -> str | NameProblem:
    """A name as people will see it: one line, nothing invisible, spaces tidied."""
    visible = text.translate(_INVISIBLE)
    printable = "".join(
        " " if unicodedata.category(ch) in ("Cc", "Zl", "Zp") else ch for ch in visible
    )
    name = " ".join(printable.split())
    if not name.strip("".join(_JOINERS)):
        return NameProblem.EMPTY
    if len(name) > max_length:
        return NameProblem.TOO_LONG
    return name


def full_name(first: str, last: str | None) -> str:
    """First and last name as the person would write them: 张 + 伟 is 张伟, Sam + Li is Sam Li."""
    if not last:
        return first
    joiner = "" if _is_cjk(first[-1:]) and _is_cjk(last[:1]) else " "
    return f"{first}{joiner}{last}"


def _is_cjk(char: str) -> bool:
    return bool(char) and unicodedata.name(char, "").startswith("CJK UNIFIED IDEOGRAPH")
