"""Rules for managing the organisation; no Telegram types here."""

from __future__ import annotations

import math
from dataclasses import dataclass

from bot.models import Invite, InviteKind, Member, Team
from bot.onboarding.service import NameProblem, clean_name
from bot.services import Services

UNIT_NAME_MAX = 40
PAGE_SIZE = 8


def clean_unit_name(text: str) -> str | NameProblem:
    """Workshop and team names: one line, up to 40 characters."""
    return clean_name(text, UNIT_NAME_MAX)


async def can_manage_team(
    services: Services, telegram_id: int, member: Member | None, team_id: int
) -> bool:
    """Admins manage every team; a leader manages the teams they lead."""
    if services.is_admin(telegram_id, member):
        return True
    if member is None:
        return False
    return any(team.id == team_id for team in await services.org.teams_led_by(member.id))


async def poster_invite(services: Services, team: Team) -> Invite:
    """The team's current poster invite, making one if there is none or it expired."""
    invite = await services.invites.current_member_invite(team.id)
    if invite is None:
        invite = await services.invites.create(
            team.id, InviteKind.MEMBER, services.member_invite_validity
        )
    return invite


@dataclass(frozen=True)
class Page:
    members: list[Member]
    number: int
    count: int
    total: int

    @property
    def has_previous(self) -> bool:
        return self.number > 0

    @property
    def has_next(self) -> bool:
        return self.number + 1 < self.count


async def member_page(services: Services, team: Team, number: int) -> Page:
    count = max(1, math.ceil(team.member_count / PAGE_SIZE))
    number = min(max(number, 0), count - 1)
    members = await services.org.team_members(team.id, offset=number * PAGE_SIZE, limit=PAGE_SIZE)
    return Page(members, number, count, team.member_count)
