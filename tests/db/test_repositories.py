"""Repositories: the organisation's rules as the database keeps them."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path

import pytest

from bot.clock import FakeClock
from bot.config import Settings
from bot.db.members import InviteSpent
from bot.db.org import NameTaken
from bot.models import InviteKind, Member, Role
from bot.services import Services


@pytest.fixture
async def services(tmp_path: Path, clock: FakeClock) -> AsyncIterator[Services]:
    running = await Services.start(Settings(db_path=tmp_path / "db.sqlite3"), clock=clock)
    yield running
    await running.close()


async def join(services: Services, telegram_id: int, team_id: int | None, name: str = "Li") -> int:
    member = await services.members.register(
        telegram_id=telegram_id,
        display_name=name,
        locale="en",
        language_code="en",
        is_temporary=False,
        team_id=team_id,
    )
    return member.id


async def test_names_are_unique_among_active_units_only(services: Services) -> None:
    salt = await services.org.create_workshop("Salt")
    with pytest.raises(NameTaken):
        await services.org.create_workshop("Salt")
    team = await services.org.create_team(salt.id, "A")
    with pytest.raises(NameTaken):
        await services.org.create_team(salt.id, "A")
    packing = await services.org.create_workshop("Packing")
    await services.org.create_team(packing.id, "A")  # same name, other workshop: fine
    await services.org.archive_team(team.id)
    await services.org.create_team(salt.id, "A")  # the archived name is free again


async def test_a_workshop_with_teams_cannot_be_archived(services: Services) -> None:
    salt = await services.org.create_workshop("Salt")
    team = await services.org.create_team(salt.id, "A")
    assert not await services.org.archive_workshop(salt.id)
    await services.org.archive_team(team.id)
    assert await services.org.archive_workshop(salt.id)
    assert await services.org.workshops() == []


async def test_moving_team_keeps_the_history(services: Services, clock: FakeClock) -> None:
    salt = await services.org.create_workshop("Salt")
    a = await services.org.create_team(salt.id, "A")
    b = await services.org.create_team(salt.id, "B")
    member_id = await join(services, 1, a.id)
    clock.advance(timedelta(days=3))
    await services.members.move_to_team(member_id, b.id)
    await services.members.move_to_team(member_id, b.id)  # already there: no new row
    rows = await services.db.fetch_all(
        "SELECT team_id, joined_at, left_at FROM memberships WHERE member_id = ? ORDER BY id",
        (member_id,),
    )
    assert [(r["team_id"], r["left_at"] is None) for r in rows] == [(a.id, False), (b.id, True)]
    assert rows[0]["left_at"] == rows[1]["joined_at"]
    assert (await services.org.team(a.id)).member_count == 0  # type: ignore[union-attr]
    assert (await services.org.team(b.id)).member_count == 1  # type: ignore[union-attr]


async def test_archiving_a_team_releases_members_leaders_and_invites(services: Services) -> None:
    salt = await services.org.create_workshop("Salt")
    team = await services.org.create_team(salt.id, "A")
    leader_id = await join(services, 1, team.id)
    await services.org.assign_leader(team.id, leader_id)
    assert (await services.members.get(leader_id)).role is Role.LEADER  # type: ignore[union-attr]
    invite = await services.invites.create(team.id, InviteKind.MEMBER, timedelta(days=1))
    await services.org.archive_team(team.id)
    leader = await services.members.get(leader_id)
    assert leader is not None and leader.team_id is None and leader.role is Role.WORKER
    assert (await services.invites.get(invite.id)).revoked_at is not None  # type: ignore[union-attr]


async def test_a_new_poster_invite_replaces_the_old_one(
    services: Services, clock: FakeClock
) -> None:
    salt = await services.org.create_workshop("Salt")
    team = await services.org.create_team(salt.id, "A")
    first = await services.invites.create(team.id, InviteKind.MEMBER, timedelta(days=1))
    leader_invite = await services.invites.create(team.id, InviteKind.LEADER, timedelta(days=1))
    second = await services.invites.create(team.id, InviteKind.MEMBER, timedelta(days=1))
    assert (await services.invites.get(first.id)).revoked_at is not None  # type: ignore[union-attr]
    assert (await services.invites.get(leader_invite.id)).revoked_at is None  # type: ignore[union-attr]
    assert await services.invites.current_member_invite(team.id) == second
    clock.advance(timedelta(days=2))
    assert await services.invites.current_member_invite(team.id) is None  # expired


async def test_a_leader_invite_is_spent_once(services: Services) -> None:
    salt = await services.org.create_workshop("Salt")
    team = await services.org.create_team(salt.id, "A")
    invite = await services.invites.create(team.id, InviteKind.LEADER, timedelta(days=7))

    async def accept(telegram_id: int) -> Member:
        return await services.members.register(
            telegram_id=telegram_id,
            display_name=f"L{telegram_id}",
            locale="en",
            language_code="en",
            is_temporary=False,
            team_id=team.id,
            leader_invite_id=invite.id,
        )

    assert (await accept(1)).role is Role.LEADER
    with pytest.raises(InviteSpent):
        await accept(2)
    assert await services.members.by_telegram_id(2) is None  # the whole registration rolled back
    assert [m.telegram_id for m in await services.org.leaders(team.id)] == [1]


async def test_deleting_a_member_removes_everything_linked_to_them(services: Services) -> None:
    salt = await services.org.create_workshop("Salt")
    team = await services.org.create_team(salt.id, "A")
    member_id = await join(services, 1, team.id)
    await services.org.assign_leader(team.id, member_id)
    await services.members.delete(member_id)
    for table in ("members", "memberships", "team_leaders"):
        assert await services.db.fetch_all(f"SELECT * FROM {table}") == []  # noqa: S608 - fixed names
    assert (await services.org.team(team.id)).member_count == 0  # type: ignore[union-attr]


async def test_reachability_changes_are_reported_once(services: Services) -> None:
    await join(services, 1, None)
    assert await services.members.set_reachable(1, False)
    assert not await services.members.set_reachable(1, False)
    member = await services.members.by_telegram_id(1)
    assert member is not None and not member.reachable and member.unreachable_since is not None
    assert await services.members.set_reachable(1, True)


async def test_a_demoted_admin_keeps_their_teams(services: Services) -> None:
    salt = await services.org.create_workshop("Salt")
    team = await services.org.create_team(salt.id, "A")
    member_id = await join(services, 1, team.id)
    await services.org.assign_leader(team.id, member_id)
    await services.members.set_role(member_id, Role.ADMIN)
    await services.members.demote_admin(member_id)
    assert (await services.members.get(member_id)).role is Role.LEADER  # type: ignore[union-attr]


async def test_member_ids_are_never_given_out_again(services: Services) -> None:
    """A newcomer never inherits a departed worker's id, and with it their records."""
    salt = await services.org.create_workshop("Salt")
    team = await services.org.create_team(salt.id, "A")
    first = await join(services, 1, team.id)
    departed = await join(services, 2, team.id)
    await services.members.delete(departed)
    newcomer = await join(services, 3, team.id)
    assert newcomer not in (first, departed) and newcomer > departed


async def test_finding_people_and_teams_by_part_of_a_name(services: Services) -> None:
    salt = await services.org.create_workshop("制盐一车间")
    for name in ("甲班", "乙班", "100%_班"):
        await services.org.create_team(salt.id, name)
    await join(services, 1, None, "Member One")
    total, teams = await services.org.find_teams("班", offset=0, limit=2)
    assert total == 3 and [t.name for t in teams] == ["甲班", "乙班"]
    assert (await services.org.find_teams("制盐", offset=0, limit=10))[0] == 3  # workshop name
    # % and _ are taken literally, not as wildcards.
    assert [t.name for t in (await services.org.find_teams("%_", offset=0, limit=9))[1]] == [
        "100%_班"
    ]
    assert (await services.org.find_teams("_", offset=0, limit=9))[0] == 1
    total, people = await services.members.find("member", offset=0, limit=9)  # any case
    assert total == 1 and people[0].telegram_id == 1
