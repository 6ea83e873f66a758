"""Rules for joining: which invites are good, which names are acceptable."""

from __future__ import annotations

import enum
import re
import unicodedata
from dataclasses import dataclass

from bot.models import Invite, InviteKind, Team
from bot.services import Services

NAME_MAX = 32
_PAYLOAD = re.compile(r"^[A-Za-z0-9_-]{1,64}$")


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


class InviteStatus(enum.Enum):
    VALID = "valid"
    UNKNOWN = "unknown"  # garbage, mistyped, cut off, or never issued
    REVOKED = "revoked"  # replaced by a newer poster or withdrawn by an admin
    EXPIRED = "expired"
    USED = "used"  # a single-use leader invite someone already took
    TEAM_ARCHIVED = "team_archived"


@dataclass(frozen=True)
class InviteCheck:
    status: InviteStatus
    invite: Invite | None = None
    team: Team | None = None

    @property
    def is_leader_invite(self) -> bool:
        return self.invite is not None and self.invite.kind is InviteKind.LEADER


async def check_invite(services: Services, payload: str) -> InviteCheck:
    """What a /start payload points to, and whether it may still be used."""
    if not _PAYLOAD.match(payload):
        return InviteCheck(InviteStatus.UNKNOWN)
    invite = await services.invites.by_token(payload)
    if invite is None:
        return InviteCheck(InviteStatus.UNKNOWN)
    team = await services.org.team(invite.team_id)
    if team is None or team.archived_at is not None:
        return InviteCheck(InviteStatus.TEAM_ARCHIVED, invite, team)
    if invite.revoked_at is not None:
        return InviteCheck(InviteStatus.REVOKED, invite, team)
    if invite.used_at is not None:
        return InviteCheck(InviteStatus.USED, invite, team)
    if invite.expires_at <= services.clock.now():
        return InviteCheck(InviteStatus.EXPIRED, invite, team)
    return InviteCheck(InviteStatus.VALID, invite, team)
