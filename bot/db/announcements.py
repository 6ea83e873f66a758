"""Announcements: what an admin sent, to whom, and who has read it."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime

from bot.clock import Clock
from bot.db import rows
from bot.db.database import Database
from bot.db.org import MEMBER_SELECT
from bot.db.outbox import Op, Recipient, enqueue_in
from bot.models import Member


@dataclass(frozen=True)
class Audience:
    """Who gets it: everyone, chosen workshops or teams, temporary staff, or a language."""

    kind: str  # "everyone" | "workshops" | "teams" | "temporary" | "language"
    ids: tuple[int, ...] = ()
    locale: str | None = None

    def to_json(self) -> str:
        return json.dumps({"kind": self.kind, "ids": list(self.ids), "locale": self.locale})

    @classmethod
    def from_json(cls, text: str) -> Audience:
        data = json.loads(text)
        return cls(
            str(data["kind"]), tuple(int(i) for i in data.get("ids") or ()), data.get("locale")
        )


@dataclass(frozen=True)
class Announcement:
    id: int
    author_id: int | None
    created_at: datetime
    state: str  # scheduled | sending | sent | cancelled | recalled
    send_at: datetime
    started_at: datetime | None
    finished_at: datetime | None
    attachment: str | None  # "photo" | "pdf"
    file_id: str | None
    ask_ack: bool
    pin: bool
    audience: Audience
    recipients: int
    status_chat: int | None
    status_message: int | None
    remind_after_s: int | None
    reminded_at: datetime | None
    corrected_at: datetime | None
    texts: dict[str, str] = field(default_factory=dict)  # locale ('' = everyone else) → HTML

    def text_for(self, locale: str) -> str:
        return self.texts.get(locale) or self.texts[""]


def _announcement(row: sqlite3.Row, texts: dict[str, str]) -> Announcement:
    return Announcement(
        id=row["id"],
        author_id=row["author_id"],
        created_at=rows.must(row["created_at"]),
        state=row["state"],
        send_at=rows.must(row["send_at"]),
        started_at=rows.when(row["started_at"]),
        finished_at=rows.when(row["finished_at"]),
        attachment=row["attachment"],
        file_id=row["file_id"],
        ask_ack=bool(row["ask_ack"]),
        pin=bool(row["pin"]),
        audience=Audience.from_json(row["audience"]),
        recipients=row["recipients"],
        status_chat=row["status_chat"],
        status_message=row["status_message"],
        remind_after_s=row["remind_after_s"],
        reminded_at=rows.when(row["reminded_at"]),
        corrected_at=rows.when(row["corrected_at"]),
        texts=texts,
    )


class AnnouncementRepository:
    def __init__(self, db: Database, clock: Clock) -> None:
        self._db = db
        self._clock = clock

    async def create(
        self,
        *,
        author_id: int | None,
        texts: dict[str, str],
        attachment: str | None,
        file_id: str | None,
        ask_ack: bool,
        pin: bool,
        audience: Audience,
        send_at: datetime | None,
        remind_after_s: int | None,
    ) -> int:
        now = self._clock.now()
        async with self._db.transaction() as tx:
            new_id = await tx.insert(
                "INSERT INTO announcements (author_id, created_at, state, send_at, attachment,"
                " file_id, ask_ack, pin, audience, remind_after_s)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    author_id,
                    rows.iso(now),
                    "scheduled",
                    rows.iso((send_at or now).astimezone(UTC)),  # stored in UTC, as all times
                    attachment,
                    file_id,
                    int(ask_ack),
                    int(pin),
                    audience.to_json(),
                    remind_after_s,
                ),
            )
            await tx.executemany(
                "INSERT INTO announcement_texts (announcement_id, locale, html) VALUES (?, ?, ?)",
                [(new_id, locale, html) for locale, html in texts.items()],
            )
        return new_id

    async def get(self, announcement_id: int) -> Announcement | None:
        row = await self._db.fetch_one(
            "SELECT * FROM announcements WHERE id = ?", (announcement_id,)
        )
        if row is None:
            return None
        return _announcement(row, await self._texts(announcement_id))

    async def _texts(self, announcement_id: int) -> dict[str, str]:
        found = await self._db.fetch_all(
            "SELECT locale, html FROM announcement_texts WHERE announcement_id = ?",
            (announcement_id,),
        )
        return {r["locale"]: r["html"] for r in found}

    async def page(self, offset: int, limit: int) -> tuple[list[Announcement], int]:
        """Newest first (scheduled ones by their time, at the top)."""
        total = await self._db.fetch_one("SELECT COUNT(*) FROM announcements")
        found = await self._db.fetch_all(
            "SELECT * FROM announcements ORDER BY state = 'scheduled' DESC, send_at DESC, id DESC"
            " LIMIT ? OFFSET ?",
            (limit, offset),
        )
        return [_announcement(r, await self._texts(r["id"])) for r in found], (
            int(total[0]) if total else 0
        )

    async def due(self) -> list[int]:
        """Scheduled announcements whose time has come."""
        found = await self._db.fetch_all(
            "SELECT id FROM announcements WHERE state = 'scheduled' AND send_at <= ? ORDER BY id",
            (rows.iso(self._clock.now()),),
        )
        return [r["id"] for r in found]

    async def start(self, announcement_id: int, recipients: Sequence[Recipient]) -> bool:
        """scheduled → sending, with one outbox row per recipient, in one transaction;
        False if someone else started or cancelled it first."""
        now = rows.iso(self._clock.now())
        async with self._db.transaction() as tx:
            cursor = await tx.execute(
                "UPDATE announcements SET state = 'sending', started_at = ?, recipients = ?"
                " WHERE id = ? AND state = 'scheduled'",
                (now, len(recipients), announcement_id),
            )
            if cursor.rowcount == 0:
                return False
            await enqueue_in(tx, "announcement", announcement_id, Op.SEND, recipients, now)
        return True

    async def set_state(self, announcement_id: int, state: str, *, only_from: str) -> bool:
        column = {"sent": "finished_at", "cancelled": "finished_at", "recalled": "corrected_at"}
        stamp = column.get(state)
        extra = f", {stamp} = COALESCE({stamp}, ?)" if stamp else ""
        params: tuple[object, ...] = (state,) + ((rows.iso(self._clock.now()),) if stamp else ())
        changed = await self._db.execute(
            f"UPDATE announcements SET state = ?{extra} WHERE id = ? AND state = ?",  # noqa: S608 - fixed columns
            (*params, announcement_id, only_from),
        )
        return changed > 0

    async def set_status_message(self, announcement_id: int, chat: int, message: int) -> None:
        await self._db.execute(
            "UPDATE announcements SET status_chat = ?, status_message = ? WHERE id = ?",
            (chat, message, announcement_id),
        )

    async def correct(self, announcement_id: int, texts: dict[str, str]) -> None:
        async with self._db.transaction() as tx:
            await tx.execute(
                "UPDATE announcements SET corrected_at = ? WHERE id = ?",
                (rows.iso(self._clock.now()), announcement_id),
            )
            await tx.execute(
                "DELETE FROM announcement_texts WHERE announcement_id = ?", (announcement_id,)
            )
            await tx.executemany(
                "INSERT INTO announcement_texts (announcement_id, locale, html) VALUES (?, ?, ?)",
                [(announcement_id, locale, html) for locale, html in texts.items()],
            )

    async def members(self, audience: Audience) -> list[Member]:
        """The members an audience names, reachable or not, in a stable order. A language
        is decided by the caller (it needs each person's Telegram language too)."""
        where = ""
        params: tuple[int, ...] = ()
        if audience.kind == "workshops":
            marks = ",".join("?" for _ in audience.ids) or "NULL"
            where, params = f" WHERE t.workshop_id IN ({marks})", audience.ids
        elif audience.kind == "teams":
            marks = ",".join("?" for _ in audience.ids) or "NULL"
            where, params = f" WHERE ms.team_id IN ({marks})", audience.ids
        elif audience.kind == "temporary":
            where = " WHERE mb.is_temporary = 1"
        found = await self._db.fetch_all(MEMBER_SELECT + where + " ORDER BY mb.id", params)
        return [rows.member(r) for r in found]

    async def groups(self, audience: Audience) -> list[int]:
        """The linked group chats of the teams an audience names (none for temporary
        staff or a language: a group is a whole team)."""
        if audience.kind in ("temporary", "language"):
            return []
        where = ""
        if audience.kind in ("workshops", "teams"):
            marks = ",".join("?" for _ in audience.ids) or "NULL"
            column = "workshop_id" if audience.kind == "workshops" else "id"
            where = f" AND {column} IN ({marks})"
        found = await self._db.fetch_all(
            "SELECT DISTINCT group_chat_id FROM teams WHERE group_chat_id IS NOT NULL"  # noqa: S608 - fixed columns
            " AND archived_at IS NULL" + where + " ORDER BY group_chat_id",
            audience.ids if where else (),
        )
        return [r[0] for r in found]

    # ------------------------------------------------------------- acknowledgements

    async def acknowledge(self, announcement_id: int, member_id: int) -> bool:
        """Record "I have read it"; False if it was already recorded (a double tap)."""
        changed = await self._db.execute(
            "INSERT OR IGNORE INTO announcement_acks (announcement_id, member_id, at)"
            " VALUES (?, ?, ?)",
            (announcement_id, member_id, rows.iso(self._clock.now())),
        )
        return changed > 0

    async def read_by(self, member_id: int) -> int:
        """How many notices this member has tapped "I have read it" on."""
        row = await self._db.fetch_one(
            "SELECT COUNT(*) FROM announcement_acks WHERE member_id = ?", (member_id,)
        )
        return int(row[0]) if row else 0

    async def acknowledged(self, announcement_id: int) -> int:
        row = await self._db.fetch_one(
            "SELECT COUNT(*) FROM announcement_acks WHERE announcement_id = ?", (announcement_id,)
        )
        return int(row[0]) if row else 0

    async def readers_of(self, announcement_id: int) -> set[int]:
        """The members who have tapped "I have read it" on this notice."""
        found = await self._db.fetch_all(
            "SELECT member_id FROM announcement_acks WHERE announcement_id = ?",
            (announcement_id,),
        )
        return {r["member_id"] for r in found}

    async def not_acknowledged(self, announcement_id: int) -> list[tuple[int, int, str]]:
        """(member, chat, name) of everyone it reached who has not tapped "I have read it"."""
        found = await self._db.fetch_all(
            "SELECT DISTINCT o.member_id, o.chat_id, m.display_name FROM outbox o"
            " JOIN members m ON m.id = o.member_id"
            " WHERE o.kind = 'announcement' AND o.ref = ? AND o.op = 'send' AND o.state = 'done'"
            " AND NOT EXISTS (SELECT 1 FROM announcement_acks a"
            "                 WHERE a.announcement_id = o.ref AND a.member_id = o.member_id)"
            " ORDER BY m.display_name, o.member_id",
            (announcement_id,),
        )
        return [(r["member_id"], r["chat_id"], r["display_name"]) for r in found]

    async def reminders_due(self) -> list[int]:
        """Sent announcements asking for acknowledgement whose reminder time has come."""
        found = await self._db.fetch_all(
            "SELECT id, finished_at, remind_after_s FROM announcements"
            " WHERE state = 'sent' AND ask_ack = 1 AND reminded_at IS NULL"
            " AND remind_after_s IS NOT NULL AND finished_at IS NOT NULL"
        )
        now = self._clock.now()
        return [
            r["id"]
            for r in found
            if (now - rows.must(r["finished_at"])).total_seconds() >= r["remind_after_s"]
        ]

    async def mark_reminded(self, announcement_id: int) -> bool:
        changed = await self._db.execute(
            "UPDATE announcements SET reminded_at = ? WHERE id = ? AND reminded_at IS NULL",
            (rows.iso(self._clock.now()), announcement_id),
        )
        return changed > 0
