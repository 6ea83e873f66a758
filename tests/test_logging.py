"""What reaches the log: never what people typed, never the bot token, at any level."""

from __future__ import annotations

import logging
from collections.abc import Iterator

import pytest

from bot.__main__ import quiet_talkative_libraries
from bot.sim.harness import Harness
from tests.helpers import at_name_step, make_team

TALKATIVE = ("httpx", "httpcore", "telegram", "aiosqlite", "tornado.access")


@pytest.fixture
def debug_logging(caplog: pytest.LogCaptureFixture) -> Iterator[pytest.LogCaptureFixture]:
    levels = {name: logging.getLogger(name).level for name in TALKATIVE}
    caplog.set_level(logging.DEBUG)
    quiet_talkative_libraries("DEBUG")
    yield caplog
    for name, level in levels.items():
        logging.getLogger(name).setLevel(level)


async def test_debug_logs_carry_no_typed_text_and_no_token(
    harness: Harness, debug_logging: pytest.LogCaptureFixture
) -> None:
    link = await make_team(harness, "Salt", "A")
    worker = await at_name_step(harness, 80, link, "Li")
    await worker.send("Zhuang Xiaoming")
    await worker.tap("Regular staff")
    await worker.send("a question nobody should read in a log")
    records = [r.getMessage() for r in debug_logging.records]
    assert records, "the bot logged nothing at all, which would make this test pointless"
    assert any("joined team" in r for r in records)  # the operator still learns what happened
    for record in records:
        assert "Zhuang Xiaoming" not in record
        assert "nobody should read" not in record
        assert harness.fake.token.split(":")[1] not in record
