"""A whole plant in one transaction: for the simulator's demo, tests and benchmarks at plant scale.

Creating 3,000 members one by one is 3,000 commits, each waiting for the disk
(`synchronous=FULL`); a plant-sized fixture would take most of a test run.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.clock import Clock
from bot.db import rows
from bot.db.database import Database


@dataclass(frozen=True)
class PlantShape:
    """How many of each: teams spread over workshops in order, members over teams in order."""

    workshops: list[str]
    teams: list[tuple[int, str]]  # (index into workshops, team name)
    members: list[tuple[int, int, str]]  # (index into teams, Telegram id, display name)
    leaders: list[tuple[int, int]]  # (index into teams, index into members)


async def add_plant(db: Database, clock: Clock, shape: PlantShape) -> tuple[list[int], list[int]]:
    """Insert the plant; return the new team ids and member ids, in the shape's order."""
    now = rows.iso(clock.now())
    async with db.transaction() as tx:
        workshop_ids = [
            await tx.insert("INSERT INTO workshops (name, created_at) VALUES (?, ?)", (name, now))
            for name in shape.workshops
        ]
        team_ids = [
            await tx.insert(
                "INSERT INTO teams (workshop_id, name, created_at) VALUES (?, ?, ?)",
                (workshop_ids[workshop], name, now),
            )
            for workshop, name in shape.teams
        ]
        member_ids = []
        for team, telegram_id, name in shape.members:
            member_id = await tx.insert(
                """INSERT INTO members (telegram_id, display_name, locale, language_code,
                                        role, is_temporary, created_at)
                   VALUES (?, ?, 'zh_Hans', 'zh-hans', 'worker', ?, ?)""",
                (telegram_id, name, telegram_id % 3 == 0, now),
            )
            member_ids.append(member_id)
            await tx.execute(
                "INSERT INTO memberships (member_id, team_id, joined_at) VALUES (?, ?, ?)",
                (member_id, team_ids[team], now),
            )
        await tx.executemany(
            "INSERT INTO team_leaders (team_id, member_id, assigned_at) VALUES (?, ?, ?)",
            [(team_ids[team], member_ids[member], now) for team, member in shape.leaders],
        )
        await tx.executemany(
            "UPDATE members SET role = 'leader' WHERE id = ? AND role = 'worker'",
            [(member_ids[member],) for _, member in shape.leaders],
        )
    return team_ids, member_ids
