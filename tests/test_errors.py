"""When something fails: an apology for the person, one useful log line for the operator."""

from __future__ import annotations

import asyncio
import logging
import sqlite3
import threading
from collections.abc import AsyncIterator
from dataclasses import replace
from pathlib import Path

import pytest

from bot import errors
from bot.clock import FakeClock
from bot.config import Settings
from bot.db import database
from bot.fake_telegram.fake import Fault
from bot.fake_telegram.flood import FloodLimits
from bot.fake_telegram.users import Person
from bot.sim.harness import Harness
from tests.helpers import at_name_step, make_team, member_row, on_virtual_time
from tests.onboarding.test_join import joined


async def renaming(harness: Harness, user_id: int) -> Person:
    worker = await joined(harness, user_id, await make_team(harness, "Salt", f"T{user_id}"))
    await worker.press("My info")
    await worker.tap("Change the name")
    return worker


def error_lines(caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    return [r for r in caplog.records if r.name == "bot.errors"]


async def test_a_failing_handler_apologises_and_logs_what_an_operator_needs(
    harness: Harness, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    harness.expect_errors = True
    worker = await renaming(harness, 60)

    async def broken(member_id: int, name: str) -> None:
        raise RuntimeError("the disk controller caught fire")

    monkeypatch.setattr(harness.services.members, "set_display_name", broken)
    caplog.clear()
    reply = await worker.send("Secret Name")
    assert "Sorry, something went wrong on my side." in reply.text
    (line,) = error_lines(caplog)
    text = line.getMessage()
    assert "message update" in text and "for chat 60" in text
    assert "bot.onboarding.handlers:rename_typed" in text
    assert "RuntimeError: the disk controller caught fire" in text
    assert all("Secret Name" not in r.getMessage() for r in caplog.records)
    assert (await member_row(harness, 60))["display_name"] == "Worker 60"


async def test_failures_in_anonymous_flows_log_no_identity_and_no_text(
    harness: Harness, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    harness.expect_errors = True
    worker = await renaming(harness, 61)
    # As if renaming were an anonymous flow (the concerns feature claims its own updates).
    monkeypatch.setattr(errors, "is_anonymous", lambda update, ctx: True)

    async def broken(member_id: int, name: str) -> None:
        raise ValueError(f"cannot store {name!r}")  # an exception that repeats what was typed

    monkeypatch.setattr(harness.services.members, "set_display_name", broken)
    caplog.clear()
    reply = await worker.send("my foreman shouts at us")
    assert "Sorry, something went wrong" in reply.text  # the person still hears back
    (line,) = error_lines(caplog)
    text = line.getMessage()
    assert "bot.onboarding.handlers:rename_typed" in text and "ValueError" in text
    assert "foreman" not in text and "61" not in text.split("[")[0]
    assert line.exc_info is None  # no traceback text either: it would carry the message
    assert all("foreman" not in r.getMessage() for r in caplog.records)


async def test_a_locked_database(
    harness: Harness, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    harness.expect_errors = True
    worker = await renaming(harness, 62)
    await harness.services.db.execute("PRAGMA busy_timeout = 100")
    other = sqlite3.connect(settings.db_path, isolation_level=None)
    other.execute("BEGIN EXCLUSIVE")  # e.g. a maintenance script holding the write lock
    try:
        reply = await worker.send("New Name")
        assert "Sorry, I could not save that just now. Please try again in a minute." in reply.text
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert (await member_row(harness, 62))["display_name"] == "Worker 62"
    assert "Your name is now Newer Name." in (await worker.send("Newer Name")).text


async def test_a_full_disk(harness: Harness) -> None:
    harness.expect_errors = True
    link = await make_team(harness, "Salt", "A")
    first = await joined(harness, 63, link)
    pages = await harness.services.db.fetch_one("PRAGMA page_count")
    assert pages is not None
    await harness.services.db.execute(f"PRAGMA max_page_count = {pages[0]}")
    filler = 10_000
    for size in (32, 4, 1):  # fill the last free space in the members table
        with pytest.raises(sqlite3.OperationalError, match="full"):
            while True:
                filler += 1
                await harness.services.db.execute(
                    "INSERT INTO members (telegram_id, display_name, role, created_at) VALUES (?, ?, 'worker', '')",
                    (filler, "f" * size),
                )
    newcomer = await at_name_step(harness, 64, link, "Wu")
    await newcomer.send("Wu " + "x" * 20)
    reply = await newcomer.tap("Regular staff")
    assert "Sorry, I could not save that just now." in reply.text
    assert await harness.services.members.by_telegram_id(64) is None
    assert "Name: Worker 63" in (await first.press("My info")).text  # what was stored is intact
    await harness.services.db.execute("PRAGMA max_page_count = 1073741823")


async def test_a_telegram_outage_gets_an_apology_once_it_is_back(
    harness: Harness, caplog: pytest.LogCaptureFixture
) -> None:
    worker = await joined(harness, 65, await make_team(harness, "Salt", "A"))
    harness.fake.inject(Fault("sendMessage", status=502, description="Bad Gateway"))
    caplog.clear()
    reply = await worker.press("My info")
    assert "the connection to Telegram broke off" in reply.text
    assert any(
        r.levelno == logging.WARNING and "NetworkError" in r.getMessage()
        for r in error_lines(caplog)
    )


@pytest.fixture
async def impatient(settings: Settings, clock: FakeClock) -> AsyncIterator[Harness]:
    """A bot that gives up on Telegram after two seconds (its default is ten)."""
    async with Harness(
        replace(settings, db_path=settings.db_path.with_name("impatient.sqlite3")),
        clock=clock,
        read_timeout=2.0,
        **on_virtual_time(),
    ) as running:
        yield running


async def test_a_telegram_time_out(impatient: Harness) -> None:
    # The member is made directly, so the only call that can time out is the hung one.
    await make_team(impatient, "Salt", "A")
    team = (await impatient.services.org.all_teams())[0]
    await impatient.services.members.register(
        telegram_id=66,
        display_name="Li",
        locale="en",
        language_code="en",
        is_temporary=False,
        team_id=team.id,
    )
    worker = impatient.person(66, "Li", language_code="en")
    impatient.fake.inject(Fault("sendMessage", status=None, hang=6.0))
    reply = await worker.send("/mydata")
    assert "the connection to Telegram broke off" in reply.text
    assert await member_row(impatient, 66)


@pytest.fixture
async def strict(tmp_path: Path, clock: FakeClock) -> AsyncIterator[Harness]:
    """Telegram allowing one message a second in a private chat, with no burst."""
    async with Harness(
        Settings(db_path=tmp_path / "strict.sqlite3"),
        clock=clock,
        **on_virtual_time(limits=FloodLimits(private_burst=1)),
    ) as running:
        yield running


async def test_flood_limits_are_waited_out_not_lost(strict: Harness) -> None:
    link = await make_team(strict, "Salt", "A")
    worker = strict.person(67, "Li", language_code="en")
    await worker.open_link(link)
    reply = await worker.tap("English")  # an edit and a new message in the same second
    assert "Language: English" in reply.text and "What name should your team see?" in reply.text
    throttled = [c for c in strict.fake.calls if c.error is not None and c.error.code == 429]
    assert throttled and throttled[0].error is not None and throttled[0].error.retry_after == 1


def test_the_handler_is_found_in_the_traceback() -> None:
    def handler() -> None:
        raise KeyError("x")

    try:
        handler()
    except KeyError as err:
        assert (
            errors.failing_handler(err) == "tests.test_errors:handler"
            or errors.failing_handler(err) == "unknown"
        )


async def test_a_corrupt_database_file_is_refused_and_released(tmp_path: Path) -> None:
    path = tmp_path / "broken.sqlite3"
    path.write_bytes(b"this is not a database" * 100)
    threads = threading.active_count()
    with pytest.raises(sqlite3.DatabaseError):
        await database.Database.open(path)
    await asyncio.sleep(0.05)
    # The connection's thread is gone: a leaked one keeps the process from ever exiting.
    assert threading.active_count() == threads


async def test_a_poll_that_times_out_while_stopping_is_not_an_error(
    caplog: pytest.LogCaptureFixture,
) -> None:
    """python-telegram-bot can leave a timed-out poll unread at the instant it stops."""
    from telegram.error import TimedOut

    from bot.runner import _polling_leftover

    loop = asyncio.get_running_loop()

    async def polling_action_cb() -> None:
        raise TimedOut

    leftover = loop.create_task(polling_action_cb())
    await asyncio.gather(leftover, return_exceptions=True)
    caplog.set_level(logging.INFO)
    caplog.clear()
    _polling_leftover(
        loop,
        {
            "message": "Task exception was never retrieved",
            "exception": TimedOut(),
            "future": leftover,
        },
    )
    assert [r.levelno for r in caplog.records] == [logging.INFO]
    caplog.clear()
    _polling_leftover(loop, {"message": "something else", "exception": ValueError("x")})
    assert [r.levelno for r in caplog.records] == [logging.ERROR]
