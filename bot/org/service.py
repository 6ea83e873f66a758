"""Rules for running the organisation: who may do what, lists a page at a time. No Telegram here."""

from __future__ import annotations

import enum

from bot.models import (
    Invite,
    InviteKind,
    Member,
    Page,
    Role,
    Team,
    Workshop,
    page_of,
    page_window,
)
from bot.names import NameProblem, clean_name
from bot.services import Services

UNIT_NAME_MAX = 40
QUERY_MAX = 40
# Lines of text and buttons that still fit a small phone's screen.
LIST_PAGE = 10
MEMBER_PAGE = 8


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
    return await services.org.leads(team_id, member.id)


async def poster_invite(services: Services, team: Team) -> Invite:
    """The team's current poster invite, making one if there is none or it expired."""
    invite = await services.invites.current_member_invite(team.id)
    if invite is None:
        invite = await services.invites.create(
            team.id, InviteKind.MEMBER, services.member_invite_validity
        )
    return invite


# --------------------------------------------------------------------- pages


async def workshops_page(services: Services, number: int) -> Page[Workshop]:
    total = (await services.org.counts()).workshops
    number, offset = page_window(total, number, LIST_PAGE)
    items = await services.org.workshops_page(offset=offset, limit=LIST_PAGE)
    return page_of(items, number, total, LIST_PAGE)


async def teams_page(services: Services, workshop: Workshop, number: int) -> Page[Team]:
    number, offset = page_window(workshop.team_count, number, LIST_PAGE)
    items = await services.org.teams_page(workshop.id, offset=offset, limit=LIST_PAGE)
    return page_of(items, number, workshop.team_count, LIST_PAGE)


async def members_page(services: Services, team: Team, number: int) -> Page[Member]:
    number, offset = page_window(team.member_count, number, MEMBER_PAGE)
    items = await services.org.team_members(team.id, offset=offset, limit=MEMBER_PAGE)
    return page_of(items, number, team.member_count, MEMBER_PAGE)


async def leaders_page(services: Services, team: Team, number: int) -> Page[Member]:
    total = await services.org.leader_count(team.id)
    number, offset = page_window(total, number, MEMBER_PAGE)
    items = await services.org.leaders_page(team.id, offset=offset, limit=MEMBER_PAGE)
    return page_of(items, number, total, MEMBER_PAGE)


async def promoted_admins_page(services: Services, number: int) -> Page[Member]:
    """Admins made in the bot; those set by the plant (BOT_ADMINS) are listed apart."""
    configured = sorted(services.settings.admins)
    total, _ = await services.members.promoted_admins_page(excluding=configured, offset=0, limit=0)
    number, offset = page_window(total, number, MEMBER_PAGE)
    _, items = await services.members.promoted_admins_page(
        excluding=configured, offset=offset, limit=MEMBER_PAGE
    )
    return page_of(items, number, total, MEMBER_PAGE)


async def find(services: Services, part: str, number: int) -> tuple[int, Page[Team | Member]]:
    """Teams, then people, whose names contain `part`: (how many teams, one page of both)."""
    team_total, _ = await services.org.find_teams(part, offset=0, limit=0)
    people_total, _ = await services.members.find(part, offset=0, limit=0)
    total = team_total + people_total
    number, offset = page_window(total, number, MEMBER_PAGE)
    items: list[Team | Member] = []
    if offset < team_total:
        _, teams = await services.org.find_teams(part, offset=offset, limit=MEMBER_PAGE)
        items += teams
    room = MEMBER_PAGE - len(items)
    if room > 0 and people_total:
        _, people = await services.members.find(
            part, offset=max(0, offset - team_total), limit=room
        )
        items += people
    return team_total, page_of(items, number, total, MEMBER_PAGE)


def clean_query(text: str) -> str | None:
    """What an admin typed to find someone, tidied; None if there is nothing to look for."""
    query = " ".join(text.split())
    return query[:QUERY_MAX] or None


# ------------------------------------------------------------------- changes


async def set_leader(services: Services, team: Team, member: Member, lead: bool) -> bool:
    """Make the member a leader of the team, or not; True if that changed anything."""
    if await services.org.leads(team.id, member.id) == lead:
        return False
    if lead:
        await services.org.assign_leader(team.id, member.id)
    else:
        await services.org.remove_leader(team.id, member.id)
    return True


class AdminChange(enum.Enum):
    PROMOTED = "promoted"
    DEMOTED = "demoted"
    UNCHANGED = "unchanged"
    LAST_ADMIN = "last_admin"  # refused: nobody would be left to run the bot
    SET_BY_PLANT = "set_by_plant"  # refused: BOT_ADMINS decides, not the bot


async def set_admin(services: Services, member: Member, admin: bool) -> AdminChange:
    """Promote a member to admin, or take the rights back; at least one admin always stays."""
    if member.telegram_id in services.settings.admins:
        return AdminChange.UNCHANGED if admin else AdminChange.SET_BY_PLANT
    if (member.role is Role.ADMIN) == admin:
        return AdminChange.UNCHANGED
    if admin:
        await services.members.set_role(member.id, Role.ADMIN)
        return AdminChange.PROMOTED
    if not services.settings.admins and len(await services.members.admins()) <= 1:
        return AdminChange.LAST_ADMIN
    await services.members.demote_admin(member.id)
    return AdminChange.DEMOTED
