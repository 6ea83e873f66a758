"""People: who they are, which team they are in, how to reach them."""

from __future__ import annotations

from bot.clock import Clock
from bot.db import rows
from bot.db.database import Database, Transaction
from bot.db.org import MEMBER_SELECT, assign_leader_in, name_part
from bot.models import Member, Role


class InviteSpent(Exception):
    """A single-use invite was used by someone else a moment earlier."""


class MemberRepository:
    def __init__(self, db: Database, clock: Clock) -> None:
        self._db = db
        self._clock = clock

    async def by_telegram_id(self, telegram_id: int) -> Member | None:
        row = await self._db.fetch_one(MEMBER_SELECT + " WHERE mb.telegram_id = ?", (telegram_id,))
        return rows.member(row) if row else None

    async def get(self, member_id: int) -> Member | None:
        row = await self._db.fetch_one(MEMBER_SELECT + " WHERE mb.id = ?", (member_id,))
        return rows.member(row) if row else None

    async def register(
        self,
        *,
        telegram_id: int,
        display_name: str,
        locale: str | None,
        language_code: str | None,
        is_temporary: bool,
        team_id: int | None,
        role: Role = Role.WORKER,
        leader_invite_id: int | None = None,
        leads: int | None = None,
    ) -> Member:
        """Create the member, or update them if they already exist, and put them in a team.

        With a leader invite, spend it and make them a leader of the team `leads`
        (by default the team they join).
        One transaction: a crash halfway leaves either the old record or the new one.
        """
        now = rows.iso(self._clock.now())
        async with self._db.transaction() as tx:
            existing = await tx.fetch_one(
                "SELECT id, role FROM members WHERE telegram_id = ?", (telegram_id,)
            )
            if existing is None:
                member_id = await tx.insert(
                    """INSERT INTO members (telegram_id, display_name, locale, language_code,
                                            role, is_temporary, created_at)
                       VALUES (?, ?, ?, ?, ?, ?, ?)""",
                    (telegram_id, display_name, locale, language_code, role, is_temporary, now),
                )
            else:
                member_id = existing["id"]
                await tx.execute(
                    """UPDATE members SET display_name = ?, locale = COALESCE(?, locale),
                              language_code = COALESCE(?, language_code), is_temporary = ?,
                              reachable = 1, unreachable_since = NULL
                        WHERE id = ?""",
                    (display_name, locale, language_code, is_temporary, member_id),
                )
            if team_id is not None:
                await _move_in(tx, member_id, team_id, now)
            led = leads if leads is not None else team_id
            if leader_invite_id is not None and led is not None:
                spent = await tx.execute(
                    "UPDATE invites SET used_at = ? WHERE id = ? AND used_at IS NULL",
                    (now, leader_invite_id),
                )
                if spent.rowcount != 1:
                    raise InviteSpent(leader_invite_id)
                await assign_leader_in(tx, led, member_id, self._clock)
        found = await self.get(member_id)
        assert found is not None  # noqa: S101 - written above
        return found

    async def move_to_team(self, member_id: int, team_id: int) -> None:
        async with self._db.transaction() as tx:
            await _move_in(tx, member_id, team_id, rows.iso(self._clock.now()))

    async def set_locale(self, member_id: int, locale: str) -> None:
        await self._db.execute("UPDATE members SET locale = ? WHERE id = ?", (locale, member_id))

    async def set_display_name(self, member_id: int, name: str) -> None:
        await self._db.execute(
            "UPDATE members SET display_name = ? WHERE id = ?", (name, member_id)
        )

    async def set_temporary(self, member_id: int, temporary: bool) -> None:
        await self._db.execute(
            "UPDATE members SET is_temporary = ? WHERE id = ?", (temporary, member_id)
        )

    async def set_role(self, member_id: int, role: Role) -> None:
        await self._db.execute("UPDATE members SET role = ? WHERE id = ?", (role, member_id))

    async def demote_admin(self, member_id: int) -> None:
        """An admin who steps down keeps leading the teams they lead."""
        await self._db.execute(
            """UPDATE members SET role = CASE
                   WHEN EXISTS (SELECT 1 FROM team_leaders WHERE member_id = members.id)
                   THEN 'leader' ELSE 'worker' END
                WHERE id = ? AND role = 'admin'""",
            (member_id,),
        )

    async def set_reachable(self, telegram_id: int, reachable: bool) -> bool:
        """Record whether the bot can message this person; True if that changed anything."""
        since = None if reachable else rows.iso(self._clock.now())
        changed = await self._db.execute(
            """UPDATE members SET reachable = ?, unreachable_since = ?
                WHERE telegram_id = ? AND reachable != ?""",
            (reachable, since, telegram_id, reachable),
        )
        return changed > 0

    async def admins(self) -> list[Member]:
        found = await self._db.fetch_all(
            MEMBER_SELECT + " WHERE mb.role = 'admin' ORDER BY mb.display_name"
        )
        return [rows.member(r) for r in found]

    async def promoted_admins_page(
        self, *, excluding: list[int], offset: int, limit: int
    ) -> tuple[int, list[Member]]:
        """Admins made in the bot (not those `excluding`, the configured ones); (how many, a page)."""
        marks = ",".join("?" * len(excluding)) or "NULL"
        where = f" WHERE mb.role = 'admin' AND mb.telegram_id NOT IN ({marks})"
        total = await self._db.fetch_one(
            "SELECT COUNT(*) FROM members mb" + where,  # noqa: S608 - only placeholders
            excluding,
        )
        found = await self._db.fetch_all(
            MEMBER_SELECT + where + " ORDER BY mb.display_name, mb.id LIMIT ? OFFSET ?",
            [*excluding, limit, offset],
        )
        return (total[0] if total else 0), [rows.member(r) for r in found]

    async def find(self, part: str, *, offset: int, limit: int) -> tuple[int, list[Member]]:
        """People whose name contains `part`, any case; (how many, a page)."""
        pattern = name_part(part)
        total = await self._db.fetch_one(
            "SELECT COUNT(*) FROM members mb WHERE lower(mb.display_name) LIKE ? ESCAPE '\\'",
            (pattern,),
        )
        found = await self._db.fetch_all(
            MEMBER_SELECT
            + " WHERE lower(mb.display_name) LIKE ? ESCAPE '\\'"
            + " ORDER BY mb.display_name, mb.id LIMIT ? OFFSET ?",
            (pattern, limit, offset),
        )
        return (total[0] if total else 0), [rows.member(r) for r in found]

    async def by_telegram_ids(self, telegram_ids: list[int]) -> list[Member]:
        if not telegram_ids:
            return []
        marks = ",".join("?" * len(telegram_ids))
        found = await self._db.fetch_all(
            MEMBER_SELECT + f" WHERE mb.telegram_id IN ({marks}) ORDER BY mb.display_name",  # noqa: S608 - only placeholders
            telegram_ids,
        )
        return [rows.member(r) for r in found]

    async def delete(self, member_id: int) -> None:
        """Erase a member and everything linked to them (memberships, leadership).

        Anonymous records hold no member id, so they are untouched by design.
        """
        async with self._db.transaction() as tx:
            await tx.execute("DELETE FROM members WHERE id = ?", (member_id,))


async def _move_in(tx: Transaction, member_id: int, team_id: int, now: str) -> None:
    current = await tx.fetch_one(
        "SELECT team_id FROM memberships WHERE member_id = ? AND left_at IS NULL", (member_id,)
    )
    if current is not None and current["team_id"] == team_id:
        return
    await tx.execute(
        "UPDATE memberships SET left_at = ? WHERE member_id = ? AND left_at IS NULL",
        (now, member_id),
    )
    await tx.execute(
        "INSERT INTO memberships (member_id, team_id, joined_at) VALUES (?, ?, ?)",
        (member_id, team_id, now),
    )
