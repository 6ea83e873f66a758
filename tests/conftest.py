"""Fixtures: a fresh database, the fake Telegram on loopback and the real bot polling it."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.clock import FakeClock
from bot.config import Settings
from bot.fake_telegram.users import Person
from bot.sim.harness import Harness
from tests.helpers import on_virtual_time

ADMIN_ID = 9001


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(db_path=tmp_path / "shiftmate.sqlite3", admins=frozenset({ADMIN_ID}))


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
async def harness(
    settings: Settings, clock: FakeClock, caplog: pytest.LogCaptureFixture
) -> AsyncIterator[Harness]:
    """The bot, running against the fake Bot API.

    When the test ends, the bot must not have made a call Telegram would refuse
    as malformed (400/404), nor logged an error, unless the test said it expects
    that by setting `harness.expect_refused` or `harness.expect_errors`.
    """
    caplog.set_level(logging.INFO)
    # The bot's pacing and the fake's flood limits share one virtual time: limits are
    # kept exactly, and nobody waits for them in real time.
    async with Harness(settings, clock=clock, jobs=False, **on_virtual_time()) as running:
        yield running
        # "Not modified" is Telegram's answer to an edit that changes nothing: the bot
        # treats it as done (bot/telegram_bot.py), so it is no mistake of the bot's.
        refused = [
            call
            for call in running.fake.refused_calls()
            if not (call.error and "message is not modified" in call.error.description)
        ]
    if not running.expect_refused:
        assert not refused, "the bot made calls Telegram would refuse:\n" + "\n".join(
            f"{c.method}: {c.error.description if c.error else ''}" for c in refused
        )
    if not running.expect_errors:
        errors = [r for r in caplog.records if r.levelno >= logging.ERROR]
        assert not errors, "the bot logged errors:\n" + "\n".join(r.getMessage() for r in errors)


@pytest.fixture
def admin(harness: Harness) -> Person:
    return harness.person(ADMIN_ID, "王", last_name="芳", language_code="zh-hans")
