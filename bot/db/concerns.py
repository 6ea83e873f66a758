"""Anonymous concerns: the records, their threads, the daily limits and the two queues.

Every method here keeps the anonymity rules of PRODUCT.md by what it can be
given: no method takes a Telegram id, a chat or a message id, except
`count_toward_limit`/`sent_today`, which turn the id into that day's tag and
never store it. Times are days. Ids are random. Listings are by day, and within
a day by the random id, never by arrival.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import sqlite3
from dataclasses import dataclass
from datetime import date

from bot.db import meta
from bot.db.database import Database, Transaction

STATUSES = ("new", "in_progress", "answered", "closed")
_MAX_ID = 2**53  # stays exact in JSON and in a spreadsheet


@dataclass(frozen=True)
class Concern:
    id: int
    day: date
    category: str
    unit_kind: str
    unit_id: int
    urgent: tuple[str, ...]
    due_on: date | None
    status: str
    sentiment: float
    answered_on: date | None
    awaiting: bool
    notify: bool  # a "reply is waiting" target is held until the next answer
    preview: str = ""  # the start of the concern's text, for listings

    def overdue(self, today: date) -> bool:
        return self.due_on is not None and self.answered_on is None and today > self.due_on


@dataclass(frozen=True)
class Message:
    position: int
    author: str  # "worker" or "admin"
    day: date
    text: str


@dataclass(frozen=True)
class NewConcern:
    day: date
    category: str
    unit: tuple[str, int]
    text: str
    urgent: tuple[str, ...]
    due_on: date | None
    sentiment: float
    receipt_salt: bytes
    receipt_hash: bytes
    notify_sealed: bytes | None
    export: bool  # queue it for the external analysis system


def _day(text: str | None) -> date | None:
    return date.fromisoformat(text) if text else None


def _concern(row: sqlite3.Row) -> Concern:
    keys = row.keys()
    return Concern(
        id=row["id"],
        day=date.fromisoformat(row["day"]),
        category=row["category"],
        unit_kind=row["unit_kind"],
        unit_id=row["unit_id"],
        urgent=tuple(k for k in row["urgent"].split(",") if k),
        due_on=_day(row["due_on"]),
        status=row["status"],
        sentiment=row["sentiment"],
        answered_on=_day(row["answered_on"]),
        awaiting=bool(row["awaiting"]),
        notify=row["notify_sealed"] is not None,
        preview=row["preview"] if "preview" in keys and row["preview"] else "",
    )


_SELECT = """SELECT c.*, (SELECT substr(m.text, 1, 60) FROM concern_messages m
                           WHERE m.concern_id = c.id AND m.position = 1) AS preview
             FROM concerns c"""


async def _random_id(tx: Transaction, table: str) -> int:
    while True:
        candidate = secrets.randbelow(_MAX_ID - 1) + 1
        taken = await tx.fetch_one(f"SELECT 1 FROM {table} WHERE id = ?", (candidate,))  # noqa: S608 - table names are ours
        if taken is None:
            return candidate


class ConcernRepository:
    def __init__(self, db: Database) -> None:
        self._db = db

    # ------------------------------------------------------------ raising

    async def create(self, new: NewConcern) -> int:
        """Store a concern and its text in one transaction; return its random id."""
        async with self._db.transaction() as tx:
            concern_id = await _random_id(tx, "concerns")
            await tx.execute(
                """INSERT INTO concerns (id, day, category, unit_kind, unit_id, urgent, due_on,
                       sentiment, alerts_due, receipt_salt, receipt_hash, notify_sealed)
                   VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
                (
                    concern_id,
                    new.day.isoformat(),
                    new.category,
                    new.unit[0],
                    new.unit[1],
                    ",".join(new.urgent),
                    new.due_on.isoformat() if new.due_on else None,
                    round(new.sentiment, 3),
                    1 if new.urgent else 0,
                    new.receipt_salt,
                    new.receipt_hash,
                    new.notify_sealed,
                ),
            )
            await tx.execute(
                "INSERT INTO concern_messages (concern_id, position, author, day, text)"
                " VALUES (?, 1, 'worker', ?, ?)",
                (concern_id, new.day.isoformat(), new.text),
            )
            if new.export:
                await tx.execute(
                    "INSERT INTO concern_outbox (concern_id) VALUES (?)", (concern_id,)
                )
        await self._db.forget_history()
        return concern_id

    # ------------------------------------------------------- daily limits

    async def _tag(self, tx: Transaction, day: date, telegram_id: int) -> bytes:
        """Today's tag for a person. Older days' keys and tags are deleted first."""
        await tx.execute("DELETE FROM concern_limit_keys WHERE day <> ?", (day.isoformat(),))
        await tx.execute("DELETE FROM concern_limits WHERE day <> ?", (day.isoformat(),))
        row = await tx.fetch_one(
            "SELECT key FROM concern_limit_keys WHERE day = ?", (day.isoformat(),)
        )
        if row is None:
            key = secrets.token_bytes(32)
            await tx.execute(
                "INSERT INTO concern_limit_keys (day, key) VALUES (?, ?)", (day.isoformat(), key)
            )
        else:
            key = row["key"]
        return hmac.new(key, str(telegram_id).encode(), hashlib.sha256).digest()[:16]

    async def sent_today(self, day: date, telegram_id: int) -> int:
        async with self._db.transaction() as tx:
            tag = await self._tag(tx, day, telegram_id)
            row = await tx.fetch_one(
                "SELECT count FROM concern_limits WHERE day = ? AND tag = ?",
                (day.isoformat(), tag),
            )
            return int(row["count"]) if row else 0

    async def count_toward_limit(self, day: date, telegram_id: int) -> None:
        """Count one concern against today's limit (a separate transaction from the concern)."""
        async with self._db.transaction() as tx:
            tag = await self._tag(tx, day, telegram_id)
            await tx.execute(
                "INSERT INTO concern_limits (day, tag, count) VALUES (?, ?, 1)"
                " ON CONFLICT (day, tag) DO UPDATE SET count = count + 1",
                (day.isoformat(), tag),
            )
        await self._db.forget_history()

    async def end_of_day(self, today: date) -> None:
        """Delete the keys and tags of days that are over (also done by every new tag)."""
        async with self._db.transaction() as tx:
            await tx.execute("DELETE FROM concern_limit_keys WHERE day <> ?", (today.isoformat(),))
            await tx.execute("DELETE FROM concern_limits WHERE day <> ?", (today.isoformat(),))
        await self._db.forget_history()

    # ------------------------------------------------------------- threads

    async def receipt(self, concern_id: int) -> tuple[bytes, bytes] | None:
        row = await self._db.fetch_one(
            "SELECT receipt_salt, receipt_hash FROM concerns WHERE id = ?", (concern_id,)
        )
        return (row["receipt_salt"], row["receipt_hash"]) if row else None

    async def get(self, concern_id: int) -> Concern | None:
        row = await self._db.fetch_one(f"{_SELECT} WHERE c.id = ?", (concern_id,))
        return _concern(row) if row else None

    async def messages(self, concern_id: int) -> list[Message]:
        found = await self._db.fetch_all(
            "SELECT position, author, day, text FROM concern_messages"
            " WHERE concern_id = ? ORDER BY position",
            (concern_id,),
        )
        return [
            Message(r["position"], r["author"], date.fromisoformat(r["day"]), r["text"])
            for r in found
        ]

    async def follow_up(
        self, concern_id: int, day: date, text: str, notify_sealed: bytes | None
    ) -> bool:
        """The worker adds to their thread; it reopens if it was answered or closed."""
        async with self._db.transaction() as tx:
            if await tx.fetch_one("SELECT 1 FROM concerns WHERE id = ?", (concern_id,)) is None:
                return False
            await self._append(tx, concern_id, "worker", day, text)
            await tx.execute(
                """UPDATE concerns SET awaiting = 1,
                       status = CASE WHEN status = 'new' THEN 'new' ELSE 'in_progress' END,
                       notify_sealed = COALESCE(?, notify_sealed)
                   WHERE id = ?""",
                (notify_sealed, concern_id),
            )
        await self._db.forget_history()
        return True

    async def want_notice(self, concern_id: int, notify_sealed: bytes) -> None:
        await self._db.execute(
            "UPDATE concerns SET notify_sealed = ? WHERE id = ?", (notify_sealed, concern_id)
        )
        await self._db.forget_history()

    async def answer(self, concern_id: int, day: date, text: str) -> bool:
        """An admin's answer. A held "reply is waiting" target moves to the notices queue,
        which does not say for which concern, and the concern forgets it."""
        async with self._db.transaction() as tx:
            row = await tx.fetch_one(
                "SELECT notify_sealed FROM concerns WHERE id = ?", (concern_id,)
            )
            if row is None:
                return False
            await self._append(tx, concern_id, "admin", day, text)
            await tx.execute(
                """UPDATE concerns SET status = 'answered', awaiting = 0, notify_sealed = NULL,
                       answered_on = COALESCE(answered_on, ?)
                   WHERE id = ?""",
                (day.isoformat(), concern_id),
            )
            if row["notify_sealed"] is not None:
                notice_id = await _random_id(tx, "concern_notices")
                await tx.execute(
                    "INSERT INTO concern_notices (id, sealed) VALUES (?, ?)",
                    (notice_id, row["notify_sealed"]),
                )
        await self._db.forget_history()
        return True

    async def _append(
        self, tx: Transaction, concern_id: int, author: str, day: date, text: str
    ) -> None:
        await tx.execute(
            """INSERT INTO concern_messages (concern_id, position, author, day, text)
               SELECT ?, COALESCE(MAX(position), 0) + 1, ?, ?, ?
               FROM concern_messages WHERE concern_id = ?""",
            (concern_id, author, day.isoformat(), text, concern_id),
        )

    async def set_status(self, concern_id: int, status: str) -> bool:
        if status not in STATUSES:
            raise ValueError(f"unknown status {status!r}")
        return (
            await self._db.execute(
                "UPDATE concerns SET status = ? WHERE id = ?", (status, concern_id)
            )
            > 0
        )

    # --------------------------------------------------------------- inbox

    async def inbox(
        self,
        *,
        status: str | None,
        category: str | None,
        since: date | None,
        offset: int,
        limit: int,
    ) -> tuple[list[Concern], int]:
        """A page of concerns, newest day first; within a day by random id, never by arrival."""
        where, params = self._filter(status, category, since)
        total = await self._db.fetch_one(f"SELECT COUNT(*) FROM concerns c {where}", params)  # noqa: S608 - built from fixed parts
        found = await self._db.fetch_all(
            f"{_SELECT} {where} ORDER BY c.day DESC, c.id LIMIT ? OFFSET ?",  # noqa: S608
            (*params, limit, offset),
        )
        return [_concern(r) for r in found], int(total[0]) if total else 0

    @staticmethod
    def _filter(
        status: str | None, category: str | None, since: date | None
    ) -> tuple[str, tuple[object, ...]]:
        clauses: list[str] = []
        params: list[object] = []
        if status is not None:
            clauses.append("c.status = ?")
            params.append(status)
        if category is not None:
            clauses.append("c.category = ?")
            params.append(category)
        if since is not None:
            clauses.append("c.day >= ?")
            params.append(since.isoformat())
        return ("WHERE " + " AND ".join(clauses) if clauses else ""), tuple(params)

    async def status_counts(self) -> dict[str, int]:
        found = await self._db.fetch_all(
            "SELECT status, COUNT(*) AS n FROM concerns GROUP BY status"
        )
        counts = dict.fromkeys(STATUSES, 0)
        counts.update({r["status"]: r["n"] for r in found})
        return counts

    async def overdue(self, today: date) -> int:
        row = await self._db.fetch_one(
            "SELECT COUNT(*) FROM concerns WHERE due_on < ? AND answered_on IS NULL",
            (today.isoformat(),),
        )
        return int(row[0]) if row else 0

    # -------------------------------------------------------------- queues

    async def alerts_due(self) -> list[Concern]:
        found = await self._db.fetch_all(f"{_SELECT} WHERE c.alerts_due = 1")  # noqa: S608
        return [_concern(r) for r in found]

    async def alerted(self, concern_id: int) -> None:
        await self._db.execute("UPDATE concerns SET alerts_due = 0 WHERE id = ?", (concern_id,))

    async def notices(self) -> list[tuple[int, bytes]]:
        found = await self._db.fetch_all("SELECT id, sealed FROM concern_notices")
        return [(r["id"], r["sealed"]) for r in found]

    async def notice_done(self, notice_id: int) -> None:
        await self._db.execute("DELETE FROM concern_notices WHERE id = ?", (notice_id,))
        await self._db.forget_history()

    async def outbox(self, limit: int) -> list[int]:
        found = await self._db.fetch_all(
            "SELECT concern_id FROM concern_outbox ORDER BY concern_id LIMIT ?", (limit,)
        )
        return [r["concern_id"] for r in found]

    async def pushed(self, concern_ids: list[int]) -> None:
        async with self._db.transaction() as tx:
            await tx.executemany(
                "DELETE FROM concern_outbox WHERE concern_id = ?", [(i,) for i in concern_ids]
            )

    async def push_failed(self, concern_ids: list[int]) -> None:
        async with self._db.transaction() as tx:
            await tx.executemany(
                "UPDATE concern_outbox SET attempts = attempts + 1 WHERE concern_id = ?",
                [(i,) for i in concern_ids],
            )

    # ------------------------------------------------- analysis and export

    async def export_pepper(self) -> bytes:
        """The secret that turns a concern's id into its export record id."""
        return await meta.secret(self._db, "concern_export_pepper")

    async def between(self, first: date, last: date) -> list[tuple[Concern, str]]:
        """Concerns that arrived from `first` to `last` (inclusive), with their text."""
        found = await self._db.fetch_all(
            """SELECT c.*, m.text AS text, substr(m.text, 1, 60) AS preview
               FROM concerns c JOIN concern_messages m ON m.concern_id = c.id AND m.position = 1
               WHERE c.day BETWEEN ? AND ? ORDER BY c.day, c.id""",
            (first.isoformat(), last.isoformat()),
        )
        return [(_concern(r), r["text"]) for r in found]

    async def by_ids(self, concern_ids: list[int]) -> list[tuple[Concern, str]]:
        found: list[tuple[Concern, str]] = []
        for concern_id in concern_ids:
            row = await self._db.fetch_one(
                """SELECT c.*, m.text AS text, substr(m.text, 1, 60) AS preview
                   FROM concerns c JOIN concern_messages m
                     ON m.concern_id = c.id AND m.position = 1 WHERE c.id = ?""",
                (concern_id,),
            )
            if row is not None:
                found.append((_concern(row), row["text"]))
        return found

    async def mood_counts(self, first: date, last: date) -> list[tuple[str, int, int, int]]:
        """Mood taps from pre-shift study: (unit kind, unit id, mood 1–5, taps)."""
        found = await self._db.fetch_all(
            """SELECT unit_kind, unit_id, mood, SUM(taps) AS taps FROM mood_counts
               WHERE day BETWEEN ? AND ? GROUP BY unit_kind, unit_id, mood""",
            (first.isoformat(), last.isoformat()),
        )
        return [(r["unit_kind"], r["unit_id"], r["mood"], r["taps"]) for r in found]
