"""Invite tokens behind the deep links and QR codes a team joins with."""

from __future__ import annotations

import secrets
from datetime import timedelta

from bot.clock import Clock
from bot.db import rows
from bot.db.database import Database
from bot.models import Invite, InviteEnd, InviteKind


def new_token() -> str:
    """16 random bytes as URL-safe base64: 22 characters, fits a /start payload."""
    return secrets.token_urlsafe(16)


class InviteRepository:
    def __init__(self, db: Database, clock: Clock) -> None:
        self._db = db
        self._clock = clock

    async def create(self, team_id: int, kind: InviteKind, valid_for: timedelta) -> Invite:
        """A new invite; a new team poster replaces (revokes) the previous one."""
        now = self._clock.now()
        async with self._db.transaction() as tx:
            if kind is InviteKind.MEMBER:
                await tx.execute(
                    """UPDATE invites SET revoked_at = ?, revoked_reason = ?
                        WHERE team_id = ? AND kind = ? AND revoked_at IS NULL""",
                    (rows.iso(now), InviteEnd.REPLACED, team_id, kind),
                )
            invite_id = await tx.insert(
                """INSERT INTO invites (token, team_id, kind, created_at, expires_at)
                   VALUES (?, ?, ?, ?, ?)""",
                (new_token(), team_id, kind, rows.iso(now), rows.iso(now + valid_for)),
            )
            row = await tx.fetch_one("SELECT * FROM invites WHERE id = ?", (invite_id,))
        assert row is not None  # noqa: S101 - just inserted
        return rows.invite(row)

    async def current_member_invite(self, team_id: int) -> Invite | None:
        """The team's poster invite, if it is still valid."""
        row = await self._db.fetch_one(
            """SELECT * FROM invites
                WHERE team_id = ? AND kind = ? AND revoked_at IS NULL AND expires_at > ?
                ORDER BY id DESC LIMIT 1""",
            (team_id, InviteKind.MEMBER, rows.iso(self._clock.now())),
        )
        return rows.invite(row) if row else None

    async def by_token(self, token: str) -> Invite | None:
        row = await self._db.fetch_one("SELECT * FROM invites WHERE token = ?", (token,))
        return rows.invite(row) if row else None

    async def get(self, invite_id: int) -> Invite | None:
        row = await self._db.fetch_one("SELECT * FROM invites WHERE id = ?", (invite_id,))
        return rows.invite(row) if row else None

    async def withdraw_member_invites(self, team_id: int) -> int:
        """Stop the team's poster invite: nobody can join with it any more."""
        return await self._db.execute(
            """UPDATE invites SET revoked_at = ?, revoked_reason = ?
                WHERE team_id = ? AND kind = ? AND revoked_at IS NULL""",
            (rows.iso(self._clock.now()), InviteEnd.WITHDRAWN, team_id, InviteKind.MEMBER),
        )
