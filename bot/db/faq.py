"""Policy questions: the gap log, votes, open hand-offs and what admins taught the FAQ."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import date, datetime

from bot.clock import Clock
from bot.db import rows
from bot.db.database import Database


@dataclass(frozen=True)
class Gap:
    id: int
    day: date
    locale: str
    text: str
    reason: str
    best_entry: str | None


@dataclass(frozen=True)
class Handoff:
    id: int
    member_id: int
    telegram_id: int
    name: str
    asked_at: datetime
    locale: str
    text: str
    answer: str | None
    learned_as: str | None


@dataclass(frozen=True)
class Learned:
    kind: str  # "entry" or "phrasing"
    entry_id: str
    locale: str
    question: str
    answer: str | None


class FaqRepository:
    def __init__(self, db: Database, clock: Clock) -> None:
        self._db = db
        self._clock = clock

    # ------------------------------------------------------------------ gaps

    async def log_gap(
        self, day: date, locale: str, text: str, reason: str, best_entry: str | None
    ) -> None:
        await self._db.execute(
            "INSERT INTO faq_gaps (day, locale, text, reason, best_entry) VALUES (?, ?, ?, ?, ?)",
            (day.isoformat(), locale, text, reason, best_entry),
        )

    async def open_gaps(self, limit: int = 1000) -> list[Gap]:
        found = await self._db.fetch_all(
            "SELECT * FROM faq_gaps WHERE resolved = 0 ORDER BY day DESC, id DESC LIMIT ?",
            (limit,),
        )
        return [
            Gap(
                r["id"],
                date.fromisoformat(r["day"]),
                r["locale"],
                r["text"],
                r["reason"],
                r["best_entry"],
            )
            for r in found
        ]

    async def resolve_gaps(self, ids: list[int]) -> None:
        async with self._db.transaction() as tx:
            await tx.executemany(
                "UPDATE faq_gaps SET resolved = 1 WHERE id = ?", [(i,) for i in ids]
            )

    # ----------------------------------------------------------------- votes

    async def vote(self, entry_id: str, day: date, up: bool) -> None:
        column = "up" if up else "down"
        await self._db.execute(
            f"""INSERT INTO faq_votes (entry_id, day, {column}) VALUES (?, ?, 1)
                ON CONFLICT (entry_id, day) DO UPDATE SET {column} = {column} + 1""",  # noqa: S608 - fixed column
            (entry_id, day.isoformat()),
        )

    async def votes(self) -> dict[str, tuple[int, int]]:
        found = await self._db.fetch_all(
            "SELECT entry_id, SUM(up) AS up, SUM(down) AS down FROM faq_votes GROUP BY entry_id"
        )
        return {r["entry_id"]: (r["up"], r["down"]) for r in found}

    # -------------------------------------------------------------- hand-offs

    async def hand_off(self, member_id: int, locale: str, text: str) -> int:
        async with self._db.transaction() as tx:
            return await tx.insert(
                "INSERT INTO faq_handoffs (member_id, asked_at, locale, text) VALUES (?, ?, ?, ?)",
                (member_id, rows.iso(self._clock.now()), locale, text),
            )

    _SELECT = """SELECT h.*, m.telegram_id, m.display_name FROM faq_handoffs h
                 JOIN members m ON m.id = h.member_id"""

    @staticmethod
    def _handoff(row: sqlite3.Row) -> Handoff:
        return Handoff(
            row["id"],
            row["member_id"],
            row["telegram_id"],
            row["display_name"],
            rows.must(row["asked_at"]),
            row["locale"],
            row["text"],
            row["answer"],
            row["learned_as"],
        )

    async def handoff(self, handoff_id: int) -> Handoff | None:
        row = await self._db.fetch_one(f"{self._SELECT} WHERE h.id = ?", (handoff_id,))  # noqa: S608
        return self._handoff(row) if row else None

    async def open_handoffs(self, offset: int, limit: int) -> tuple[list[Handoff], int]:
        total = await self._db.fetch_one(
            "SELECT COUNT(*) FROM faq_handoffs WHERE answered_at IS NULL"
        )
        found = await self._db.fetch_all(
            f"{self._SELECT} WHERE h.answered_at IS NULL ORDER BY h.asked_at, h.id LIMIT ? OFFSET ?",  # noqa: S608
            (limit, offset),
        )
        return [self._handoff(r) for r in found], int(total[0]) if total else 0

    async def answer_handoff(self, handoff_id: int, answer: str, admin_id: int | None) -> bool:
        changed = await self._db.execute(
            "UPDATE faq_handoffs SET answer = ?, answered_at = ?, answered_by = ?"
            " WHERE id = ? AND answered_at IS NULL",
            (answer, rows.iso(self._clock.now()), admin_id, handoff_id),
        )
        return changed > 0

    async def asked_by(self, member_id: int) -> tuple[int, int]:
        """How many questions the member passed on, and how many still wait for an answer."""
        row = await self._db.fetch_one(
            "SELECT COUNT(*), COUNT(*) - COUNT(answered_at) FROM faq_handoffs WHERE member_id = ?",
            (member_id,),
        )
        return (int(row[0]), int(row[1])) if row else (0, 0)

    # ---------------------------------------------------------------- learned

    async def learn(
        self,
        kind: str,
        entry_id: str,
        locale: str,
        question: str,
        answer: str | None,
        admin_id: int | None,
        handoff_id: int | None = None,
    ) -> None:
        async with self._db.transaction() as tx:
            await tx.execute(
                """INSERT INTO faq_learned (kind, entry_id, locale, question, answer, added_at, added_by)
                   VALUES (?, ?, ?, ?, ?, ?, ?)""",
                (kind, entry_id, locale, question, answer, rows.iso(self._clock.now()), admin_id),
            )
            if handoff_id is not None:
                await tx.execute(
                    "UPDATE faq_handoffs SET learned_as = ? WHERE id = ?", (entry_id, handoff_id)
                )

    async def learned(self) -> list[Learned]:
        found = await self._db.fetch_all("SELECT * FROM faq_learned ORDER BY id")
        return [
            Learned(r["kind"], r["entry_id"], r["locale"], r["question"], r["answer"])
            for r in found
        ]
