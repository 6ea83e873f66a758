"""Pre-shift study: sessions, attendance, answers, reviews, anonymous mood counts, shift schedules.

Each write that a person's tap causes is one transaction that commits before
the person is told anything: the answer and its review, the finish and the
status mark, the mood count and the mark that it was given.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from bot.clock import Clock
from bot.db import rows
from bot.db.database import Database

DONE = ("done", "late", "in_person")  # attendance that counts as having taken part
NOT_YET = ("pending", "started")


class SessionOpen(Exception):
    """The team already has an open session."""


@dataclass(frozen=True)
class Session:
    id: int
    team_id: int
    day: date
    module_id: str
    opened_at: datetime
    closes_at: datetime
    closed_at: datetime | None
    finished_at: datetime | None
    started_by: int | None
    schedule_id: int | None
    reminded_at: datetime | None
    status_at: datetime | None
    status_stale: bool

    @property
    def open(self) -> bool:
        return self.closed_at is None


@dataclass(frozen=True)
class Picked:
    """What one worker gets in a session: a module and its questions, options in the order shown."""

    module_id: str
    questions: list[tuple[str, list[int]]]  # (question id, option order: content positions)


@dataclass(frozen=True)
class Attendance:
    session_id: int
    member_id: int
    status: str
    picked: Picked
    message_id: int | None
    delivered_at: datetime | None
    started_at: datetime | None
    finished_at: datetime | None
    reminded_at: datetime | None
    mood_given: bool
    # Filled in by the listing queries:
    display_name: str = ""
    telegram_id: int = 0
    locale: str | None = None
    language_code: str | None = None
    reachable: bool = True
    right: int = 0  # answers right so far
    answered: int = 0

    @property
    def taken_part(self) -> bool:
        return self.status in DONE


@dataclass(frozen=True)
class Schedule:
    id: int
    team_id: int
    weekdays: int  # bit 0 Monday … bit 6 Sunday
    shift_at: time
    lead_minutes: int
    created_at: datetime

    def on(self, day: date) -> bool:
        return bool(self.weekdays >> day.weekday() & 1)


_ATTENDANCE_SELECT = """
    SELECT a.*, m.display_name, m.telegram_id, m.locale, m.language_code, m.reachable,
           (SELECT COUNT(*) FROM answers x WHERE x.session_id = a.session_id
               AND x.member_id = a.member_id AND x.correct = 1) AS right_count,
           (SELECT COUNT(*) FROM answers x WHERE x.session_id = a.session_id
               AND x.member_id = a.member_id) AS answered_count
      FROM attendance a JOIN members m ON m.id = a.member_id
"""


def _session(row: sqlite3.Row) -> Session:
    return Session(
        id=row["id"],
        team_id=row["team_id"],
        day=date.fromisoformat(row["day"]),
        module_id=row["module_id"],
        opened_at=rows.must(row["opened_at"]),
        closes_at=rows.must(row["closes_at"]),
        closed_at=rows.when(row["closed_at"]),
        finished_at=rows.when(row["finished_at"]),
        started_by=row["started_by"],
        schedule_id=row["schedule_id"],
        reminded_at=rows.when(row["reminded_at"]),
        status_at=rows.when(row["status_at"]),
        status_stale=bool(row["status_stale"]),
    )


def _attendance(row: sqlite3.Row) -> Attendance:
    keys = row.keys()
    questions = [(str(q), [int(i) for i in order]) for q, order in json.loads(row["questions"])]
    return Attendance(
        session_id=row["session_id"],
        member_id=row["member_id"],
        status=row["status"],
        picked=Picked(row["module_id"], questions),
        message_id=row["message_id"],
        delivered_at=rows.when(row["delivered_at"]),
        started_at=rows.when(row["started_at"]),
        finished_at=rows.when(row["finished_at"]),
        reminded_at=rows.when(row["reminded_at"]),
        mood_given=bool(row["mood_given"]),
        display_name=row["display_name"] if "display_name" in keys else "",
        telegram_id=row["telegram_id"] if "telegram_id" in keys else 0,
        locale=row["locale"] if "locale" in keys else None,
        language_code=row["language_code"] if "language_code" in keys else None,
        reachable=bool(row["reachable"]) if "reachable" in keys else True,
        right=row["right_count"] if "right_count" in keys else 0,
        answered=row["answered_count"] if "answered_count" in keys else 0,
    )


def _schedule(row: sqlite3.Row) -> Schedule:
    return Schedule(
        id=row["id"],
        team_id=row["team_id"],
        weekdays=row["weekdays"],
        shift_at=time.fromisoformat(row["shift_at"]),
        lead_minutes=row["lead_minutes"],
        created_at=rows.must(row["created_at"]),
    )


class StudyRepository:
    def __init__(self, db: Database, clock: Clock) -> None:
        self._db = db
        self._clock = clock

    # ------------------------------------------------------------- sessions

    async def open_session(
        self,
        *,
        team_id: int,
        day: date,
        module_id: str,
        closes_at: datetime,
        started_by: int | None,
        picks: dict[int, Picked],
        schedule_id: int | None = None,
        occurrence_at: datetime | None = None,
    ) -> Session:
        """Open a session with its attendance list; SessionOpen if the team has one open."""
        now = rows.iso(self._clock.now())
        try:
            async with self._db.transaction() as tx:
                session_id = await tx.insert(
                    """INSERT INTO study_sessions (team_id, day, module_id, opened_at, closes_at,
                                                   started_by, schedule_id, status_at)
                       VALUES (?, ?, ?, ?, ?, ?, ?, ?)""",
                    (
                        team_id,
                        day.isoformat(),
                        module_id,
                        now,
                        rows.iso(closes_at),
                        started_by,
                        schedule_id,
                        now,
                    ),
                )
                await tx.executemany(
                    """INSERT INTO attendance (session_id, member_id, module_id, questions)
                       VALUES (?, ?, ?, ?)""",
                    [
                        (session_id, member_id, pick.module_id, json.dumps(pick.questions))
                        for member_id, pick in picks.items()
                    ],
                )
                if schedule_id is not None and occurrence_at is not None:
                    await tx.execute(
                        """INSERT INTO schedule_runs (schedule_id, occurrence_at, outcome, session_id)
                           VALUES (?, ?, 'started', ?)""",
                        (schedule_id, rows.iso(occurrence_at), session_id),
                    )
        except sqlite3.IntegrityError as err:
            raise SessionOpen(team_id) from err
        found = await self.session(session_id)
        assert found is not None  # noqa: S101 - just written
        return found

    async def session(self, session_id: int) -> Session | None:
        row = await self._db.fetch_one("SELECT * FROM study_sessions WHERE id = ?", (session_id,))
        return _session(row) if row else None

    async def open_for(self, team_id: int) -> Session | None:
        row = await self._db.fetch_one(
            "SELECT * FROM study_sessions WHERE team_id = ? AND closed_at IS NULL", (team_id,)
        )
        return _session(row) if row else None

    async def latest_for(self, team_id: int) -> Session | None:
        row = await self._db.fetch_one(
            "SELECT * FROM study_sessions WHERE team_id = ? ORDER BY id DESC LIMIT 1", (team_id,)
        )
        return _session(row) if row else None

    async def close(self, session_id: int) -> bool:
        """Close the window now; False if it was closed already."""
        changed = await self._db.execute(
            "UPDATE study_sessions SET closed_at = ?, status_stale = 1"
            " WHERE id = ? AND closed_at IS NULL",
            (rows.iso(self._clock.now()), session_id),
        )
        return changed > 0

    async def extend(self, session_id: int, closes_at: datetime) -> bool:
        changed = await self._db.execute(
            "UPDATE study_sessions SET closes_at = ?, reminded_at = NULL, status_stale = 1"
            " WHERE id = ? AND closed_at IS NULL",
            (rows.iso(closes_at), session_id),
        )
        return changed > 0

    async def finish_day(self, session_id: int) -> bool:
        """The session's day is over: who has not taken part is absent."""
        now = rows.iso(self._clock.now())
        async with self._db.transaction() as tx:
            done = await tx.execute(
                """UPDATE study_sessions SET finished_at = ?, closed_at = COALESCE(closed_at, ?),
                          status_stale = 1
                    WHERE id = ? AND finished_at IS NULL""",
                (now, now, session_id),
            )
            if done.rowcount == 0:
                return False
            await tx.execute(
                "UPDATE attendance SET status = 'absent' WHERE session_id = ? AND status IN (?, ?)",
                (session_id, *NOT_YET),
            )
            return True

    async def due_to_close(self) -> list[Session]:
        found = await self._db.fetch_all(
            "SELECT * FROM study_sessions WHERE closed_at IS NULL AND closes_at <= ? ORDER BY id",
            (rows.iso(self._clock.now()),),
        )
        return [_session(r) for r in found]

    async def due_reminders(self, before: timedelta) -> list[Session]:
        found = await self._db.fetch_all(
            """SELECT * FROM study_sessions
                WHERE closed_at IS NULL AND reminded_at IS NULL AND closes_at <= ? ORDER BY id""",
            (rows.iso(self._clock.now() + before),),
        )
        return [_session(r) for r in found]

    async def mark_reminded(self, session_id: int) -> bool:
        changed = await self._db.execute(
            "UPDATE study_sessions SET reminded_at = ? WHERE id = ? AND reminded_at IS NULL",
            (rows.iso(self._clock.now()), session_id),
        )
        return changed > 0

    async def unfinished_before(self, day: date) -> list[Session]:
        found = await self._db.fetch_all(
            "SELECT * FROM study_sessions WHERE finished_at IS NULL AND day < ? ORDER BY id",
            (day.isoformat(),),
        )
        return [_session(r) for r in found]

    async def undelivered(self) -> list[Session]:
        """Open sessions with members whose message has not gone out yet."""
        found = await self._db.fetch_all(
            """SELECT DISTINCT s.* FROM study_sessions s
                 JOIN attendance a ON a.session_id = s.id
                WHERE s.closed_at IS NULL AND a.delivered_at IS NULL
                  AND a.status IN ('pending', 'started')
                ORDER BY s.id"""
        )
        return [_session(r) for r in found]

    async def stale(self) -> list[Session]:
        found = await self._db.fetch_all(
            "SELECT * FROM study_sessions WHERE status_stale = 1 ORDER BY id"
        )
        return [_session(r) for r in found]

    async def mark_stale(self, session_id: int) -> None:
        await self._db.execute(
            "UPDATE study_sessions SET status_stale = 1 WHERE id = ?", (session_id,)
        )

    async def mark_status_shown(self, session_id: int) -> None:
        await self._db.execute(
            "UPDATE study_sessions SET status_stale = 0, status_at = ? WHERE id = ?",
            (rows.iso(self._clock.now()), session_id),
        )

    async def sessions_of(self, team_id: int) -> int:
        row = await self._db.fetch_one(
            "SELECT COUNT(*) FROM study_sessions WHERE team_id = ?", (team_id,)
        )
        return row[0] if row else 0

    async def modules_used(self, team_id: int) -> dict[str, datetime]:
        """When the team last had each module as its lesson."""
        found = await self._db.fetch_all(
            """SELECT module_id, MAX(opened_at) AS last FROM study_sessions
                WHERE team_id = ? GROUP BY module_id""",
            (team_id,),
        )
        return {r["module_id"]: rows.must(r["last"]) for r in found}

    # ----------------------------------------------------------- attendance

    async def attendance(self, session_id: int, member_id: int) -> Attendance | None:
        row = await self._db.fetch_one(
            _ATTENDANCE_SELECT + " WHERE a.session_id = ? AND a.member_id = ?",
            (session_id, member_id),
        )
        return _attendance(row) if row else None

    async def attendance_list(self, session_id: int) -> list[Attendance]:
        found = await self._db.fetch_all(
            _ATTENDANCE_SELECT + " WHERE a.session_id = ? ORDER BY m.display_name, m.id",
            (session_id,),
        )
        return [_attendance(r) for r in found]

    async def delivered(self, session_id: int, member_id: int, message_id: int) -> None:
        await self._db.execute(
            "UPDATE attendance SET message_id = ?, delivered_at = ?"
            " WHERE session_id = ? AND member_id = ?",
            (message_id, rows.iso(self._clock.now()), session_id, member_id),
        )

    async def begin(self, session_id: int, member_id: int) -> bool:
        changed = await self._db.execute(
            "UPDATE attendance SET status = 'started', started_at = ?"
            " WHERE session_id = ? AND member_id = ? AND status = 'pending'",
            (rows.iso(self._clock.now()), session_id, member_id),
        )
        return changed > 0

    async def answer(
        self,
        *,
        session_id: int,
        member_id: int,
        question_id: str,
        position: int,
        chosen: int,
        correct: bool,
        today: date,
    ) -> bool:
        """Store an answer and update the worker's reviews; False if this question was answered.

        Wrong: the question comes back one day later, then two, four, … (up to 16).
        Right: it leaves the reviews.
        """
        async with self._db.transaction() as tx:
            stored = await tx.execute(
                """INSERT OR IGNORE INTO answers
                       (session_id, member_id, question_id, position, chosen, correct, answered_at)
                   VALUES (?, ?, ?, ?, ?, ?, ?)""",
                (
                    session_id,
                    member_id,
                    question_id,
                    position,
                    chosen,
                    correct,
                    rows.iso(self._clock.now()),
                ),
            )
            if stored.rowcount == 0:
                return False
            if correct:
                await tx.execute(
                    "DELETE FROM reviews WHERE member_id = ? AND question_id = ?",
                    (member_id, question_id),
                )
            else:
                previous = await tx.fetch_one(
                    "SELECT interval_days FROM reviews WHERE member_id = ? AND question_id = ?",
                    (member_id, question_id),
                )
                interval = min(previous["interval_days"] * 2, 16) if previous else 1
                await tx.execute(
                    """INSERT INTO reviews (member_id, question_id, due_on, interval_days)
                       VALUES (?, ?, ?, ?)
                       ON CONFLICT (member_id, question_id)
                       DO UPDATE SET due_on = excluded.due_on,
                                     interval_days = excluded.interval_days""",
                    (
                        member_id,
                        question_id,
                        (today + timedelta(days=interval)).isoformat(),
                        interval,
                    ),
                )
            await tx.execute(
                "UPDATE study_sessions SET status_stale = 1 WHERE id = ?", (session_id,)
            )
            return True

    async def finish(self, session_id: int, member_id: int, *, late: bool) -> bool:
        changed = await self._db.execute(
            "UPDATE attendance SET status = ?, finished_at = ?"
            " WHERE session_id = ? AND member_id = ? AND status IN (?, ?)",
            (
                "late" if late else "done",
                rows.iso(self._clock.now()),
                session_id,
                member_id,
                *NOT_YET,
            ),
        )
        return changed > 0

    async def in_person(self, session_id: int, member_id: int) -> bool:
        """A team leader saw the member take part without a phone."""
        changed = await self._db.execute(
            "UPDATE attendance SET status = 'in_person', finished_at = ?"
            " WHERE session_id = ? AND member_id = ? AND status IN ('pending', 'started', 'absent')",
            (rows.iso(self._clock.now()), session_id, member_id),
        )
        if changed:
            await self.mark_stale(session_id)
        return changed > 0

    async def left(self, session_id: int, member_id: int) -> None:
        """The member left the team during the session: no longer counted for it."""
        await self._db.execute(
            "UPDATE attendance SET status = 'left'"
            " WHERE session_id = ? AND member_id = ? AND status IN ('pending', 'started')",
            (session_id, member_id),
        )

    async def remind(self, session_id: int, member_id: int, again_after: timedelta | None) -> bool:
        """Note a reminder to someone who has not taken part; False if they had one already
        (or, with `again_after`, had one less than that long ago)."""
        now = self._clock.now()
        before = rows.iso(now - again_after) if again_after is not None else ""
        changed = await self._db.execute(
            "UPDATE attendance SET reminded_at = ? WHERE session_id = ? AND member_id = ?"
            " AND (reminded_at IS NULL OR reminded_at <= ?) AND status IN ('pending', 'started')",
            (rows.iso(now), session_id, member_id, before),
        )
        return changed > 0

    async def mood(
        self, *, session_id: int, member_id: int, day: date, unit: tuple[str, int], mood: int
    ) -> bool:
        """Count a mood tap under the anonymity rules; False if this worker gave it already.

        The attendance row keeps only that a mood was given; the count keeps only the
        day, the unit and the face: nothing ties one to the other.
        """
        async with self._db.transaction() as tx:
            marked = await tx.execute(
                "UPDATE attendance SET mood_given = 1"
                " WHERE session_id = ? AND member_id = ? AND mood_given = 0",
                (session_id, member_id),
            )
            if marked.rowcount == 0:
                return False
            await tx.execute(
                """INSERT INTO mood_counts (day, unit_kind, unit_id, mood, taps)
                   VALUES (?, ?, ?, ?, 1)
                   ON CONFLICT (day, unit_kind, unit_id, mood) DO UPDATE SET taps = taps + 1""",
                (day.isoformat(), unit[0], unit[1], mood),
            )
        # The log would show this count changing in the same commit as the worker's row.
        await self._db.forget_history()
        return True

    # ---------------------------------------------------------------- history

    async def completed_modules(self, member_id: int) -> set[str]:
        found = await self._db.fetch_all(
            "SELECT DISTINCT module_id FROM attendance WHERE member_id = ? AND status IN (?, ?, ?)",
            (member_id, *DONE),
        )
        return {r["module_id"] for r in found}

    async def answered_right(self, member_id: int) -> set[str]:
        found = await self._db.fetch_all(
            "SELECT DISTINCT question_id FROM answers WHERE member_id = ? AND correct = 1",
            (member_id,),
        )
        return {r["question_id"] for r in found}

    async def record_of(self, member_id: int) -> tuple[int, int, int, int, int]:
        """A member's pre-shift study so far: taken part, of which late, missed, right, answered."""
        row = await self._db.fetch_one(
            """SELECT
                 (SELECT COUNT(*) FROM attendance WHERE member_id = ? AND status IN (?, ?, ?)),
                 (SELECT COUNT(*) FROM attendance WHERE member_id = ? AND status = 'late'),
                 (SELECT COUNT(*) FROM attendance WHERE member_id = ? AND status = 'absent'),
                 (SELECT COUNT(*) FROM answers WHERE member_id = ? AND correct = 1),
                 (SELECT COUNT(*) FROM answers WHERE member_id = ?)""",
            (member_id, *DONE, member_id, member_id, member_id, member_id),
        )
        assert row is not None  # noqa: S101 - an aggregate always has a row
        return row[0], row[1], row[2], row[3], row[4]

    async def due_reviews(self, member_id: int, today: date) -> list[str]:
        found = await self._db.fetch_all(
            """SELECT question_id FROM reviews WHERE member_id = ? AND due_on <= ?
                ORDER BY due_on, question_id""",
            (member_id, today.isoformat()),
        )
        return [r["question_id"] for r in found]

    async def review(self, member_id: int, question_id: str) -> tuple[date, int] | None:
        row = await self._db.fetch_one(
            "SELECT due_on, interval_days FROM reviews WHERE member_id = ? AND question_id = ?",
            (member_id, question_id),
        )
        return (date.fromisoformat(row["due_on"]), row["interval_days"]) if row else None

    # --------------------------------------------------------- status messages

    async def add_status_message(self, session_id: int, chat_id: int, message_id: int) -> None:
        await self._db.execute(
            "INSERT OR REPLACE INTO session_status_messages (session_id, chat_id, message_id)"
            " VALUES (?, ?, ?)",
            (session_id, chat_id, message_id),
        )

    async def status_messages(self, session_id: int) -> list[tuple[int, int]]:
        found = await self._db.fetch_all(
            "SELECT chat_id, message_id FROM session_status_messages WHERE session_id = ?",
            (session_id,),
        )
        return [(r["chat_id"], r["message_id"]) for r in found]

    # ---------------------------------------------------------------- schedules

    async def add_schedule(
        self, team_id: int, weekdays: int, shift_at: time, lead_minutes: int
    ) -> Schedule:
        schedule_id = await self._insert_schedule(team_id, weekdays, shift_at, lead_minutes)
        found = await self._db.fetch_one(
            "SELECT * FROM shift_schedules WHERE id = ?", (schedule_id,)
        )
        assert found is not None  # noqa: S101 - just written
        return _schedule(found)

    async def _insert_schedule(
        self, team_id: int, weekdays: int, shift_at: time, lead_minutes: int
    ) -> int:
        async with self._db.transaction() as tx:
            return await tx.insert(
                """INSERT INTO shift_schedules (team_id, weekdays, shift_at, lead_minutes, created_at)
                   VALUES (?, ?, ?, ?, ?)""",
                (
                    team_id,
                    weekdays,
                    shift_at.strftime("%H:%M"),
                    lead_minutes,
                    rows.iso(self._clock.now()),
                ),
            )

    async def remove_schedule(self, schedule_id: int) -> bool:
        changed = await self._db.execute(
            "UPDATE shift_schedules SET removed_at = ? WHERE id = ? AND removed_at IS NULL",
            (rows.iso(self._clock.now()), schedule_id),
        )
        return changed > 0

    async def schedules(self, team_id: int | None = None) -> list[Schedule]:
        """The schedules in use, of one team or of every team in use."""
        if team_id is None:
            found = await self._db.fetch_all(
                """SELECT s.* FROM shift_schedules s JOIN teams t ON t.id = s.team_id
                    WHERE s.removed_at IS NULL AND t.archived_at IS NULL ORDER BY s.id"""
            )
        else:
            found = await self._db.fetch_all(
                """SELECT * FROM shift_schedules WHERE team_id = ? AND removed_at IS NULL
                    ORDER BY shift_at, id""",
                (team_id,),
            )
        return [_schedule(r) for r in found]

    async def schedule(self, schedule_id: int) -> Schedule | None:
        row = await self._db.fetch_one(
            "SELECT * FROM shift_schedules WHERE id = ? AND removed_at IS NULL", (schedule_id,)
        )
        return _schedule(row) if row else None

    async def ran(self, schedule_id: int, occurrence_at: datetime) -> bool:
        row = await self._db.fetch_one(
            "SELECT 1 FROM schedule_runs WHERE schedule_id = ? AND occurrence_at = ?",
            (schedule_id, rows.iso(occurrence_at)),
        )
        return row is not None

    async def record_run(self, schedule_id: int, occurrence_at: datetime, outcome: str) -> bool:
        """Note a scheduled start that did not open a session; False if it was noted already."""
        changed = await self._db.execute(
            "INSERT OR IGNORE INTO schedule_runs (schedule_id, occurrence_at, outcome)"
            " VALUES (?, ?, ?)",
            (schedule_id, rows.iso(occurrence_at), outcome),
        )
        return changed > 0

    # ---------------------------------------------------------------- groups

    async def link_group(self, team_id: int, chat_id: int | None) -> None:
        await self._db.execute(
            "UPDATE teams SET group_chat_id = ? WHERE id = ?", (chat_id, team_id)
        )

    async def group_of(self, team_id: int) -> int | None:
        row = await self._db.fetch_one("SELECT group_chat_id FROM teams WHERE id = ?", (team_id,))
        return row["group_chat_id"] if row else None
