"""Rules for joining: which invites still work, and if not, why."""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass

from bot.models import Invite, InviteEnd, InviteKind, Team
from bot.services import Services

_PAYLOAD = re.compile(r"^[A-Za-z0-9_-]{1,64}$")


class InviteStatus(enum.Enum):
    VALID = "valid"
    UNKNOWN = "unknown"  # garbage, mistyped, cut off, or never issued
    REPLACED = "replaced"  # a newer poster was made for the team
    WITHDRAWN = "withdrawn"  # a leader or admin stopped it
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
        if invite.revoked_reason is InviteEnd.REPLACED:
            return InviteCheck(InviteStatus.REPLACED, invite, team)
        return InviteCheck(InviteStatus.WITHDRAWN, invite, team)
    if invite.used_at is not None:
        return InviteCheck(InviteStatus.USED, invite, team)
    if invite.expires_at <= services.clock.now():
        return InviteCheck(InviteStatus.EXPIRED, invite, team)
    return InviteCheck(InviteStatus.VALID, invite, team)
