"""Each anonymity rule of PRODUCT.md, checked against the real database file (and its
write-ahead log), the saved dialog state and the captured logs, after several
workers have raised anonymous messages and tapped a mood.
"""

from __future__ import annotations

import logging
import re
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import pytest

from bot.__main__ import quiet_talkative_libraries
from bot.clock import FakeClock
from bot.concerns import suppression
from bot.concerns.analysis import Period, analyse
from bot.concerns.service import Concerns
from bot.config import Settings
from bot.fake_telegram.users import Person
from bot.sim.harness import Harness
from tests.concerns.helpers import admin_at_hand, raise_concern
from tests.preshift.helpers import crew, session_message, take

ANONYMOUS_TABLES = {
    "concerns": {
        "id",
        "day",
        "category",
        "unit_kind",
        "unit_id",
        "urgent",
        "due_on",
        "status",
        "sentiment",
        "answered_on",
        "awaiting",
        "alerts_due",
        "receipt_salt",
        "receipt_hash",
        "notify_sealed",
    },
    "concern_messages": {"concern_id", "position", "author", "day", "text"},
    "concern_notices": {"id", "sealed"},
    "concern_limit_keys": {"day", "key"},
    "concern_limits": {"day", "tag", "count"},
    "concern_outbox": {"concern_id", "attempts"},
    "mood_counts": {"day", "unit_kind", "unit_id", "mood", "taps"},
}
TEXTS = [
    "The canteen rice was cold again all week",
    "Overtime on Sunday was not paid in October",
    "Our dormitory fan has been broken since May",
    "The forklift brakes are weak, someone will get hurt",
    "Please put a water cooler near pan 7",
]


@pytest.fixture
def settings(settings: Settings) -> Settings:
    # The small pre-shift bank (right answers are easy to find) with the shipped concerns.
    from dataclasses import replace

    return replace(settings, content_dir=Path(__file__).parent.parent / "preshift" / "content")


@pytest.fixture(autouse=True)
def _logger_levels() -> Iterator[None]:
    """Put back the library loggers' levels a test changed."""
    names = ("httpx", "httpcore", "telegram", "aiosqlite", "tornado.access")
    saved = {name: logging.getLogger(name).level for name in names}
    yield
    for name, level in saved.items():
        logging.getLogger(name).setLevel(level)


@dataclass
class Scene:
    big: list[Person]  # a team of 7 (at least k = 5)
    small: list[Person]  # a team of 2, in the same workshop
    message_ids: list[int]  # the workers' own messages that carried the concerns
    texts: list[str]


async def scene(harness: Harness) -> Scene:
    """Five workers raise a message each (one from the small team); two tap a mood."""
    await admin_at_hand(harness)
    big = await crew(harness, 6, team_name="Shift A", leader_id=700)
    small = await crew(harness, 1, team_name="Shift B", leader_id=800)
    for person in [big.leader, *big.workers, small.leader, *small.workers]:
        person.user.username = f"saltworker_{person.id}"
        person.user.last_name = "Zhou"
    await big.leader.press("Pre-shift study")
    await big.leader.tap("Start now")
    await harness.quiet()
    for worker, face in zip(big.workers[:2], ("😀", "🙁"), strict=True):
        await take(worker)
        await worker.tap(face, session_message(worker))
    writers = [*big.workers[:4], small.workers[0]]
    message_ids = []
    for worker, text in zip(writers, TEXTS, strict=True):
        await raise_concern(worker, "Something else", text, notify=True)
        typed = [m for m in worker.chat.messages.values() if m.text == text]
        message_ids += [m.message_id for m in typed]
    await harness.quiet()
    return Scene([big.leader, *big.workers], [small.leader, *small.workers], message_ids, TEXTS)


def identities(scene: Scene) -> set[str]:
    people = [*scene.big, *scene.small]
    found = {str(p.id) for p in people}
    found |= {p.user.first_name for p in people} | {f"Worker {p.id}" for p in people}
    found |= {p.user.username for p in people if p.user.username} | {"Zhou"}
    return found


def dump(db_path: Path) -> dict[str, list[sqlite3.Row]]:
    """Every row of every table, read from the file by a separate connection."""
    conn = sqlite3.connect(db_path)
    conn.row_factory = sqlite3.Row
    try:
        tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        return {t: conn.execute(f"SELECT * FROM {t}").fetchall() for t in tables}  # noqa: S608
    finally:
        conn.close()


def file_bytes(db_path: Path) -> dict[str, bytes]:
    return {
        suffix or "db": Path(f"{db_path}{suffix}").read_bytes()
        for suffix in ("", "-wal", "-shm")
        if Path(f"{db_path}{suffix}").exists()
    }


async def test_anonymous_records_hold_no_telegram_id_name_or_message_id(
    harness: Harness, settings: Settings
) -> None:
    seen = await scene(harness)
    rows = dump(settings.db_path)
    for table, columns in ANONYMOUS_TABLES.items():
        found = {
            r[1] for r in sqlite3.connect(settings.db_path).execute(f"PRAGMA table_info({table})")
        }
        assert found == columns, f"{table} has columns nobody checked: {found - columns}"
    people = identities(seen)
    ids = {p.id for p in [*seen.big, *seen.small]}
    for table in ANONYMOUS_TABLES:
        for row in rows[table]:
            for column, value in zip(row.keys(), tuple(row), strict=True):
                assert value not in ids, f"{table}.{column} holds a Telegram id"
                if isinstance(value, str):
                    assert not any(p in value for p in people if not p.isdigit()), (table, column)
                if column not in (
                    "position",
                    "count",
                    "taps",
                    "mood",
                    "unit_id",
                    "attempts",
                    "awaiting",
                    "alerts_due",
                ):
                    assert value not in seen.message_ids or isinstance(
                        value, str | bytes | float
                    ), f"{table}.{column} may hold a message id"
    # The notice target is sealed: no chat id in it, and it differs for each concern.
    sealed = [r["notify_sealed"] for r in rows["concerns"]]
    assert all(s is not None for s in sealed)
    assert len(set(sealed)) == len(sealed)
    for blob in sealed:
        assert all(str(i).encode() not in blob for i in ids)


async def test_times_are_days_never_finer(harness: Harness, settings: Settings) -> None:
    await scene(harness)
    rows = dump(settings.db_path)
    day = re.compile(r"^\d{4}-\d{2}-\d{2}$")
    for table in ANONYMOUS_TABLES:
        for row in rows[table]:
            for column, value in zip(row.keys(), tuple(row), strict=True):
                if isinstance(value, str) and re.search(r"\d{4}-\d{2}", value):
                    assert day.match(value), f"{table}.{column} = {value!r} is finer than a day"
                if isinstance(value, str):
                    assert not re.search(r"\d{1,2}:\d{2}", value), f"{table}.{column} holds a time"


async def test_order_within_a_day_is_not_the_order_of_arrival(harness: Harness) -> None:
    big = await crew(harness, 5, team_name="Shift A", leader_id=700)
    sent = []
    for round_ in range(2):
        for worker in big.workers:
            reply = await raise_concern(worker, "A suggestion", f"Idea {round_} from the floor")
            (key,) = [
                b["callback_data"]
                for m in reply.messages
                for b in m.buttons
                if b["callback_data"].startswith("cr:")
            ]
            sent.append(int(key.split(":")[1]))
    listed = [
        c.id
        for c in (
            await harness.services.get(Concerns).repo.inbox(
                status=None, category=None, since=None, offset=0, limit=50
            )
        )[0]
    ]
    assert sorted(listed) == sorted(sent)
    assert listed != sent, "the inbox lists them in the order they arrived"
    assert sent != sorted(sent), "ids grow with arrival"
    stored = await harness.services.db.fetch_all("SELECT id FROM concerns")
    assert [r["id"] for r in stored] != sent


async def test_a_unit_smaller_than_k_is_rolled_up(harness: Harness, settings: Settings) -> None:
    seen = await scene(harness)
    rows = dump(settings.db_path)
    units = {(r["unit_kind"]) for r in rows["concerns"]}
    assert units == {"team", "workshop"}  # the team of 7, and the team of 2 inside its workshop
    assert len(seen.small) == 2  # fewer than k: its worker's message counts in the workshop
    assert len([r for r in rows["concerns"] if r["unit_kind"] == "team"]) == 4


async def test_daily_limit_keys_rotate_and_cannot_be_linked_afterwards(
    harness: Harness, settings: Settings, clock: FakeClock
) -> None:
    big = await crew(harness, 5, team_name="Shift A", leader_id=700)
    worker = big.workers[0]
    for n in range(3):
        await raise_concern(worker, "A suggestion", f"Suggestion number {n}")
    refused = await raise_concern(worker, "A suggestion", "One more suggestion")
    assert "limit for anonymous messages" in refused.text
    assert len(await harness.services.db.fetch_all("SELECT * FROM concerns")) == 3
    first = dump(settings.db_path)
    (tag_day1,) = [r["tag"] for r in first["concern_limits"]]
    (key_day1,) = [r["key"] for r in first["concern_limit_keys"]]

    clock.advance(timedelta(days=1))
    await harness.tick()
    after = dump(settings.db_path)
    assert not after["concern_limits"] and not after["concern_limit_keys"]
    raw = b"".join(file_bytes(settings.db_path).values())
    assert tag_day1 not in raw and key_day1 not in raw  # zeroed, not just unlinked

    await raise_concern(worker, "A suggestion", "A new day, a new suggestion")
    (tag_day2,) = [r["tag"] for r in dump(settings.db_path)["concern_limits"]]
    assert tag_day2 != tag_day1


async def test_concern_text_is_nowhere_but_its_own_record(
    harness: Harness, settings: Settings, caplog: pytest.LogCaptureFixture
) -> None:
    # The operator's log at its most talkative level, as `python -m bot run` sets it up.
    quiet_talkative_libraries("DEBUG")
    caplog.set_level(logging.DEBUG)
    seen = await scene(harness)
    rows = dump(settings.db_path)
    for table, found in rows.items():
        if table == "concern_messages":
            continue
        for row in found:
            for value in tuple(row):
                if isinstance(value, str):
                    assert not any(t in value for t in seen.texts), f"concern text in {table}"
    stored = {r["text"] for r in rows["concern_messages"]}
    assert stored == set(seen.texts)
    raw = file_bytes(settings.db_path)
    for text in seen.texts:
        encoded = text.encode()
        assert raw["db"].count(encoded) == 1, "a stale copy of the text is left in the file"
        assert all(encoded not in data for name, data in raw.items() if name != "db")
    for record in caplog.records:
        message = record.getMessage()
        assert not any(t in message for t in seen.texts), f"concern text in the log: {record.name}"


async def test_the_saved_dialog_state_never_holds_a_draft(
    harness: Harness, settings: Settings
) -> None:
    big = await crew(harness, 5, team_name="Shift A", leader_id=700)
    worker = big.workers[0]
    await worker.send("/start")
    await worker.press("Anonymous message")
    await worker.tap("Something else")
    await worker.send("A draft about my foreman, not sent yet")
    assert harness.running is not None
    await harness.running.app.update_persistence()  # as after every update
    rows = dump(settings.db_path)
    for table in ("dialog_data", "conversation_states"):
        for row in rows[table]:
            assert "foreman" not in " ".join(str(v) for v in tuple(row))
            assert "concern" not in " ".join(str(v) for v in tuple(row))
    assert b"foreman" not in b"".join(file_bytes(settings.db_path).values())


async def test_report_cells_under_k_are_suppressed_even_against_subtraction(
    harness: Harness,
) -> None:
    await scene(harness)
    concerns = harness.services.get(Concerns)
    today = concerns.today()
    result = await analyse(concerns, Period.month(f"{today:%Y-%m}"))
    assert result.total == 5
    table = result.table
    published = [
        *table.cells.values(),
        *table.row_totals.values(),
        *table.column_totals.values(),
        table.grand_total,
    ]
    assert all(v is None or v == 0 or v >= result.k for v in published)
    assert suppression.derivable(table) == []  # no hidden cell follows from the others
    assert result.mood.index is None  # two taps: fewer than k, so no index at all
    assert result.hot_words == []  # no word is in two messages of these five
