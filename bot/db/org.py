"""Workshops, teams and who leads them."""

from __future__ import annotations

import sqlite3

from bot.clock import Clock
from bot.db import rows
from bot.db.database import Database, Transaction
from bot.models import InviteEnd, Member, PlantCounts, Role, Team, Workshop


class NameTaken(Exception):
    """Another active workshop (or team in the same workshop) already has this name."""


_TEAM_SELECT = """
    SELECT t.id, t.workshop_id, w.name AS workshop_name, t.name, t.created_at, t.archived_at,
           (SELECT COUNT(*) FROM memberships m
             WHERE m.team_id = t.id AND m.left_at IS NULL) AS member_count
      FROM teams t JOIN workshops w ON w.id = t.workshop_id
"""

MEMBER_SELECT = """
    SELECT mb.*, ms.team_id, ms.joined_at, t.name AS team_name, w.name AS workshop_name,
           EXISTS (SELECT 1 FROM team_leaders tl
                    WHERE tl.member_id = mb.id AND tl.team_id = ms.team_id) AS leads_team
      FROM members mb
      LEFT JOIN memberships ms ON ms.member_id = mb.id AND ms.left_at IS NULL
      LEFT JOIN teams t ON t.id = ms.team_id
      LEFT JOIN workshops w ON w.id = t.workshop_id
"""

_WORKSHOP_SELECT = """
    SELECT w.*, (SELECT COUNT(*) FROM teams t
                  WHERE t.workshop_id = w.id AND t.archived_at IS NULL) AS team_count
      FROM workshops w
"""


def name_part(text: str) -> str:
    """A LIKE pattern for names containing `text`, any case, with % and _ taken literally."""
    escaped = text.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


class OrgRepository:
    def __init__(self, db: Database, clock: Clock) -> None:
        self._db = db
        self._clock = clock

    # Workshops

    async def create_workshop(self, name: str) -> Workshop:
        try:
            async with self._db.transaction() as tx:
                new_id = await tx.insert(
                    "INSERT INTO workshops (name, created_at) VALUES (?, ?)",
                    (name, rows.iso(self._clock.now())),
                )
        except sqlite3.IntegrityError as err:
            raise NameTaken(name) from err
        found = await self.workshop(new_id)
        assert found is not None  # noqa: S101 - just inserted
        return found

    async def counts(self) -> PlantCounts:
        """How many workshops, teams and team members the plant has now."""
        row = await self._db.fetch_one(
            """SELECT (SELECT COUNT(*) FROM workshops WHERE archived_at IS NULL),
                      (SELECT COUNT(*) FROM teams WHERE archived_at IS NULL),
                      (SELECT COUNT(*) FROM memberships WHERE left_at IS NULL)"""
        )
        assert row is not None  # noqa: S101 - an aggregate always has a row
        return PlantCounts(workshops=row[0], teams=row[1], members=row[2])

    async def workshops(self) -> list[Workshop]:
        found = await self._db.fetch_all(
            _WORKSHOP_SELECT + " WHERE w.archived_at IS NULL ORDER BY w.id"
        )
        return [rows.workshop(r) for r in found]

    async def workshops_page(self, *, offset: int, limit: int) -> list[Workshop]:
        found = await self._db.fetch_all(
            _WORKSHOP_SELECT + " WHERE w.archived_at IS NULL ORDER BY w.id LIMIT ? OFFSET ?",
            (limit, offset),
        )
        return [rows.workshop(r) for r in found]

    async def workshop(self, workshop_id: int) -> Workshop | None:
        row = await self._db.fetch_one(_WORKSHOP_SELECT + " WHERE w.id = ?", (workshop_id,))
        return rows.workshop(row) if row else None

    async def rename_workshop(self, workshop_id: int, name: str) -> None:
        try:
            await self._db.execute(
                "UPDATE workshops SET name = ? WHERE id = ? AND archived_at IS NULL",
                (name, workshop_id),
            )
        except sqlite3.IntegrityError as err:
            raise NameTaken(name) from err

    async def archive_workshop(self, workshop_id: int) -> bool:
        """Archive an empty workshop; False if it still has active teams."""
        async with self._db.transaction() as tx:
            row = await tx.fetch_one(
                "SELECT COUNT(*) FROM teams WHERE workshop_id = ? AND archived_at IS NULL",
                (workshop_id,),
            )
            if row is not None and row[0] > 0:
                return False
            await tx.execute(
                "UPDATE workshops SET archived_at = ? WHERE id = ? AND archived_at IS NULL",
                (rows.iso(self._clock.now()), workshop_id),
            )
            return True

    # Teams

    async def create_team(self, workshop_id: int, name: str) -> Team:
        try:
            async with self._db.transaction() as tx:
                new_id = await tx.insert(
                    "INSERT INTO teams (workshop_id, name, created_at) VALUES (?, ?, ?)",
                    (workshop_id, name, rows.iso(self._clock.now())),
                )
        except sqlite3.IntegrityError as err:
            raise NameTaken(name) from err
        found = await self.team(new_id)
        assert found is not None  # noqa: S101 - just inserted
        return found

    async def teams(self, workshop_id: int) -> list[Team]:
        found = await self._db.fetch_all(
            _TEAM_SELECT + " WHERE t.workshop_id = ? AND t.archived_at IS NULL ORDER BY t.id",
            (workshop_id,),
        )
        return [rows.team(r) for r in found]

    async def teams_page(self, workshop_id: int, *, offset: int, limit: int) -> list[Team]:
        found = await self._db.fetch_all(
            _TEAM_SELECT
            + " WHERE t.workshop_id = ? AND t.archived_at IS NULL ORDER BY t.id LIMIT ? OFFSET ?",
            (workshop_id, limit, offset),
        )
        return [rows.team(r) for r in found]

    async def find_teams(self, part: str, *, offset: int, limit: int) -> tuple[int, list[Team]]:
        """Open teams whose name, or whose workshop's name, contains `part`; (how many, a page)."""
        pattern = name_part(part)
        total = await self._db.fetch_one(
            """SELECT COUNT(*) FROM teams t JOIN workshops w ON w.id = t.workshop_id
                WHERE t.archived_at IS NULL
                  AND (lower(t.name) LIKE ? ESCAPE '\\' OR lower(w.name) LIKE ? ESCAPE '\\')""",
            (pattern, pattern),
        )
        found = await self._db.fetch_all(
            _TEAM_SELECT
            + """ WHERE t.archived_at IS NULL
                    AND (lower(t.name) LIKE ? ESCAPE '\\' OR lower(w.name) LIKE ? ESCAPE '\\')
                  ORDER BY w.id, t.id LIMIT ? OFFSET ?""",
            (pattern, pattern, limit, offset),
        )
        return (total[0] if total else 0), [rows.team(r) for r in found]

    async def all_teams(self) -> list[Team]:
        found = await self._db.fetch_all(
            _TEAM_SELECT + " WHERE t.archived_at IS NULL ORDER BY w.id, t.id"
        )
        return [rows.team(r) for r in found]

    async def team(self, team_id: int) -> Team | None:
        row = await self._db.fetch_one(_TEAM_SELECT + " WHERE t.id = ?", (team_id,))
        return rows.team(row) if row else None

    async def rename_team(self, team_id: int, name: str) -> None:
        try:
            await self._db.execute(
                "UPDATE teams SET name = ? WHERE id = ? AND archived_at IS NULL", (name, team_id)
            )
        except sqlite3.IntegrityError as err:
            raise NameTaken(name) from err

    async def archive_team(self, team_id: int) -> None:
        """Archive a team: its members become team-less, its leaders step down, invites die."""
        now = rows.iso(self._clock.now())
        async with self._db.transaction() as tx:
            await tx.execute(
                "UPDATE teams SET archived_at = ? WHERE id = ? AND archived_at IS NULL",
                (now, team_id),
            )
            await tx.execute(
                "UPDATE memberships SET left_at = ? WHERE team_id = ? AND left_at IS NULL",
                (now, team_id),
            )
            await tx.execute(
                """UPDATE invites SET revoked_at = ?, revoked_reason = ?
                    WHERE team_id = ? AND revoked_at IS NULL""",
                (now, InviteEnd.TEAM_CLOSED, team_id),
            )
            led = await tx.fetch_all(
                "SELECT member_id FROM team_leaders WHERE team_id = ?", (team_id,)
            )
            await tx.execute("DELETE FROM team_leaders WHERE team_id = ?", (team_id,))
            for row in led:
                await _settle_role(tx, row["member_id"])

    async def team_members(self, team_id: int, *, offset: int = 0, limit: int = 10) -> list[Member]:
        found = await self._db.fetch_all(
            MEMBER_SELECT
            + " WHERE ms.team_id = ? ORDER BY mb.display_name, mb.id LIMIT ? OFFSET ?",
            (team_id, limit, offset),
        )
        return [rows.member(r) for r in found]

    # Leaders

    async def remove_member(self, team_id: int, member_id: int) -> bool:
        """Take a member out of a team, and off its leaders; False if they were not in it."""
        async with self._db.transaction() as tx:
            left = await tx.execute(
                """UPDATE memberships SET left_at = ?
                    WHERE member_id = ? AND team_id = ? AND left_at IS NULL""",
                (rows.iso(self._clock.now()), member_id, team_id),
            )
            await tx.execute(
                "DELETE FROM team_leaders WHERE team_id = ? AND member_id = ?", (team_id, member_id)
            )
            await _settle_role(tx, member_id)
            return left.rowcount > 0

    async def leader_count(self, team_id: int) -> int:
        row = await self._db.fetch_one(
            "SELECT COUNT(*) FROM team_leaders WHERE team_id = ?", (team_id,)
        )
        return row[0] if row else 0

    async def leaders_page(self, team_id: int, *, offset: int, limit: int) -> list[Member]:
        found = await self._db.fetch_all(
            MEMBER_SELECT
            + " JOIN team_leaders tl ON tl.member_id = mb.id"
            + " WHERE tl.team_id = ? ORDER BY mb.display_name, mb.id LIMIT ? OFFSET ?",
            (team_id, limit, offset),
        )
        return [rows.member(r) for r in found]

    async def leads(self, team_id: int, member_id: int) -> bool:
        row = await self._db.fetch_one(
            "SELECT 1 FROM team_leaders WHERE team_id = ? AND member_id = ?", (team_id, member_id)
        )
        return row is not None

    async def leaders(self, team_id: int) -> list[Member]:
        found = await self._db.fetch_all(
            MEMBER_SELECT
            + " JOIN team_leaders tl ON tl.member_id = mb.id"
            + " WHERE tl.team_id = ? ORDER BY mb.display_name",
            (team_id,),
        )
        return [rows.member(r) for r in found]

    async def teams_led_by(self, member_id: int) -> list[Team]:
        found = await self._db.fetch_all(
            _TEAM_SELECT
            + " JOIN team_leaders tl ON tl.team_id = t.id"
            + " WHERE tl.member_id = ? AND t.archived_at IS NULL ORDER BY w.id, t.id",
            (member_id,),
        )
        return [rows.team(r) for r in found]

    async def assign_leader(self, team_id: int, member_id: int) -> None:
        async with self._db.transaction() as tx:
            await assign_leader_in(tx, team_id, member_id, self._clock)

    async def remove_leader(self, team_id: int, member_id: int) -> None:
        async with self._db.transaction() as tx:
            await tx.execute(
                "DELETE FROM team_leaders WHERE team_id = ? AND member_id = ?", (team_id, member_id)
            )
            await _settle_role(tx, member_id)


async def assign_leader_in(tx: Transaction, team_id: int, member_id: int, clock: Clock) -> None:
    await tx.execute(
        "INSERT OR IGNORE INTO team_leaders (team_id, member_id, assigned_at) VALUES (?, ?, ?)",
        (team_id, member_id, rows.iso(clock.now())),
    )
    await tx.execute(
        "UPDATE members SET role = ? WHERE id = ? AND role = ?",
        (Role.LEADER, member_id, Role.WORKER),
    )


async def _settle_role(tx: Transaction, member_id: int) -> None:
    """A leader who no longer leads any team is a worker again; admins stay admins."""
    await tx.execute(
        """UPDATE members SET role = ?
            WHERE id = ? AND role = ?
              AND NOT EXISTS (SELECT 1 FROM team_leaders WHERE member_id = ?)""",
        (Role.WORKER, member_id, Role.LEADER, member_id),
    )
