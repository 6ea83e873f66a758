"""The outbox: every bulk message, one row each, written before the first send."""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass, fields
from datetime import datetime, timedelta
from enum import StrEnum

from bot.clock import Clock
from bot.db import rows
from bot.db.database import Database, Transaction


class Op(StrEnum):
    """What a row asks of Telegram."""

    SEND = "send"  # a new message
    REMIND = "remind"  # a new message, the reminder of one sent before
    EDIT = "edit"  # change the message `target` in that chat
    DELETE = "delete"  # delete the message `target`


class State(StrEnum):
    QUEUED = "queued"
    DONE = "done"
    FAILED = "failed"  # refused for good, or still failing after every retry
    BLOCKED = "blocked"  # 403: the person blocked the bot or left Telegram
    CANCELLED = "cancelled"  # recalled before it went


@dataclass(frozen=True)
class Item:
    """One row of the outbox."""

    id: int
    kind: str
    ref: int
    op: Op
    chat_id: int
    member_id: int | None
    target: int | None
    attempts: int


@dataclass(frozen=True)
class Recipient:
    """Whom a row goes to: a chat, the member it belongs to (if any), and for an
    edit or a delete, the message in that chat."""

    chat_id: int
    member_id: int | None = None
    target: int | None = None


@dataclass(frozen=True)
class Tally:
    """How far the rows of one op of one batch have got."""

    queued: int = 0
    done: int = 0
    failed: int = 0
    blocked: int = 0
    cancelled: int = 0

    @property
    def total(self) -> int:
        return self.queued + self.done + self.failed + self.blocked + self.cancelled


def _item(row: sqlite3.Row) -> Item:
    return Item(
        row["id"],
        row["kind"],
        row["ref"],
        Op(row["op"]),
        row["chat_id"],
        row["member_id"],
        row["target"],
        row["attempts"],
    )


async def enqueue_in(
    tx: Transaction, kind: str, ref: int, op: Op, recipients: Sequence[Recipient], due: str
) -> None:
    """The rows, inside a transaction the caller holds (with its own change of state)."""
    await tx.executemany(
        "INSERT INTO outbox (kind, ref, op, chat_id, member_id, target, due_at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?)",
        [(kind, ref, op.value, r.chat_id, r.member_id, r.target, due) for r in recipients],
    )


class OutboxRepository:
    def __init__(self, db: Database, clock: Clock) -> None:
        self._db = db
        self._clock = clock

    async def enqueue(
        self,
        kind: str,
        ref: int,
        op: Op,
        recipients: Sequence[Recipient],
        at: datetime | None = None,
    ) -> int:
        """Queue one row per recipient, all in one transaction; the number queued."""
        async with self._db.transaction() as tx:
            await enqueue_in(tx, kind, ref, op, recipients, rows.iso(at or self._clock.now()))
        return len(recipients)

    async def due(self, limit: int, skip: Sequence[int] = ()) -> list[Item]:
        """Queued rows whose time has come, oldest first, leaving out `skip` (in flight)."""
        now = rows.iso(self._clock.now())
        found = await self._db.fetch_all(
            "SELECT * FROM outbox WHERE state = 'queued' AND due_at <= ? ORDER BY id LIMIT ?",
            (now, limit + len(skip)),
        )
        skipped = set(skip)
        return [_item(r) for r in found if r["id"] not in skipped][:limit]

    async def finish_many(self, done: Sequence[tuple[int, State, int | None, str | None]]) -> None:
        """Several rows' outcomes, (id, state, message id, error), in one transaction."""
        now = rows.iso(self._clock.now())
        async with self._db.transaction() as tx:
            await tx.executemany(
                "UPDATE outbox SET state = ?, message_id = ?, error = ?, done_at = ?"
                " WHERE id = ? AND state = 'queued'",
                [
                    (state.value, message, error, now, item_id)
                    for item_id, state, message, error in done
                ],
            )

    async def retry(self, item_id: int, after: timedelta, error: str) -> None:
        """Try the row again later; the attempt is counted."""
        await self._db.execute(
            "UPDATE outbox SET attempts = attempts + 1, due_at = ?, error = ?"
            " WHERE id = ? AND state = 'queued'",
            (rows.iso(self._clock.now() + after), error, item_id),
        )

    async def tallies(self, kind: str, ref: int) -> dict[Op, Tally]:
        """How far each op of a batch has got, in one query."""
        found = await self._db.fetch_all(
            "SELECT op, state, COUNT(*) AS n FROM outbox WHERE kind = ? AND ref = ?"
            " GROUP BY op, state",
            (kind, ref),
        )
        counts: dict[Op, dict[str, int]] = {op: {} for op in Op}
        for r in found:
            counts[Op(r["op"])][r["state"]] = r["n"]
        return {op: Tally(**states) for op, states in counts.items()}

    async def tally(self, kind: str, ref: int, ops: Sequence[Op] = (Op.SEND,)) -> Tally:
        """The rows of these ops of a batch, counted together."""
        each = await self.tallies(kind, ref)
        return Tally(*(sum(getattr(each[op], f.name) for op in ops) for f in fields(Tally)))

    async def delivered(self, kind: str, ref: int) -> list[tuple[int, int | None, int]]:
        """(chat, member, message) for every message of the batch that went out."""
        found = await self._db.fetch_all(
            "SELECT chat_id, member_id, message_id FROM outbox WHERE kind = ? AND ref = ?"
            " AND op IN ('send', 'remind') AND state = 'done' AND message_id IS NOT NULL"
            " ORDER BY id",
            (kind, ref),
        )
        return [(r["chat_id"], r["member_id"], r["message_id"]) for r in found]

    async def cancel(self, kind: str, ref: int, ops: Sequence[Op]) -> int:
        """Cancel the rows of these ops not sent yet; how many."""
        marks = ",".join("?" for _ in ops)
        async with self._db.transaction() as tx:
            cursor = await tx.execute(
                f"UPDATE outbox SET state = 'cancelled', done_at = ? WHERE kind = ? AND ref = ?"  # noqa: S608 - placeholders only
                f" AND op IN ({marks}) AND state = 'queued'",
                (rows.iso(self._clock.now()), kind, ref, *(op.value for op in ops)),
            )
            return cursor.rowcount
