"""The bot as it runs for real: webhooks, restarts, and a hard kill in the middle of a dialog."""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import signal
import sqlite3
import subprocess
import sys
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from bot.clock import FakeClock
from bot.config import Settings
from bot.fake_telegram.fake import FakeTelegram
from bot.fake_telegram.server import FakeBotApiServer
from bot.fake_telegram.users import Person, plain
from bot.sim.harness import Harness
from tests.dialog import Link, Tap, verify_dialog
from tests.helpers import make_team, member_row, on_virtual_time

ROOT = Path(__file__).resolve().parent.parent


async def test_webhook_mode(settings: Settings, clock: FakeClock) -> None:
    async with Harness(settings, clock=clock, webhook=True, **on_virtual_time()) as harness:
        assert harness.fake.webhook is not None
        assert harness.fake.webhook["secret_token"] == "sim-secret"  # noqa: S105 - the harness's own
        link = await make_team(harness, "Salt", "A")
        worker = harness.person(70, "Li", language_code="en")
        await verify_dialog(
            worker,
            [
                (Link(link), "choose your language"),
                (Tap("English"), "What name should your team see?"),
                ("Li", "regular staff"),
                (Tap("Regular staff"), "Welcome to the team A · Salt, Li!"),
            ],
        )
        polled = [c for c in harness.fake.calls if c.method == "getUpdates"]
        assert polled == []  # every update arrived by webhook
        assert not harness.fake.refused_calls()


async def test_a_restart_resumes_a_half_finished_join(settings: Settings, clock: FakeClock) -> None:
    shared = on_virtual_time()  # one Telegram for both runs of the bot
    async with Harness(settings, clock=clock, **shared) as first:
        link = await make_team(first, "Salt", "A")
        worker = first.person(71, "Li", language_code="en")
        await worker.open_link(link)
        await worker.tap("English")
    async with Harness(settings, clock=clock, **shared) as second:
        worker = second.person(71, "Li")
        await verify_dialog(
            worker, [("Li Lei", "regular staff"), (Tap("Temporary staff"), "Welcome to the team")]
        )
        assert (await member_row(second, 71))["is_temporary"] == 1


class BotProcess:
    """`python -m bot run` in a child process, pointed at the fake Telegram."""

    def __init__(self, server: FakeBotApiServer, db: Path) -> None:
        self.env = {
            "BOT_TOKEN": server.fake.token,
            "BOT_API_BASE_URL": server.base_url,
            "BOT_DB": str(db),
            "BOT_LOG_LEVEL": "WARNING",
            "PATH": os.environ.get("PATH", ""),
        }
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "bot", "run"],
            cwd=ROOT,
            env=self.env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )

    def kill(self) -> None:
        assert self.process is not None and self.process.stderr is not None
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(10)
        self.process.stderr.close()

    async def stop(self) -> str:
        """A graceful stop; the fake Telegram keeps answering meanwhile (it shares our loop)."""
        assert self.process is not None
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            await asyncio.to_thread(self.process.wait, 10)
        assert self.process.stderr is not None
        with self.process.stderr:
            return self.process.stderr.read().decode()


async def until(condition: Callable[[], bool]) -> None:
    """Wait for another process to do something; the limit only stops a test that hangs."""
    try:
        async with asyncio.timeout(90):
            while not condition():  # noqa: ASYNC110 - the bot is another process
                await asyncio.sleep(0.05)
    except TimeoutError:
        raise AssertionError("the bot process did not answer in time") from None


def saved_step(db: Path, user_id: int) -> str | None:
    """The join step saved for this person, read from the database file as it is on disk."""
    with contextlib.closing(sqlite3.connect(f"file:{db}?mode=ro", uri=True)) as conn:
        row = conn.execute(
            "SELECT state FROM conversation_states WHERE handler = 'join' AND key = ?",
            (json.dumps([user_id, user_id]),),
        ).fetchone()
    return json.loads(row[0]) if row else None


def no_settle(update_id: int) -> Awaitable[None]:
    """The bot runs in another process: actions return at once, and `shows` waits instead."""
    return asyncio.sleep(0)


async def shows(worker: Person, action: Callable[[], Awaitable[object]], *needles: str) -> None:
    """Do `action`, then wait (on the fake, not on a clock) until the chat shows every needle."""
    fake = worker.fake
    start = fake.last_seq
    await action()

    def answered() -> bool:
        text = "\n".join(plain(e.message) for e in fake.events_since(start, worker.id) if e.message)
        return all(needle in text for needle in needles)

    await until(answered)


@pytest.fixture
async def server() -> AsyncIterator[FakeBotApiServer]:
    running = FakeBotApiServer(FakeTelegram())
    await running.start()
    yield running
    await running.stop()


@pytest.fixture
def bot_process(server: FakeBotApiServer, tmp_path: Path) -> Iterator[BotProcess]:
    process = BotProcess(server, tmp_path / "bot.sqlite3")
    yield process
    if process.process is not None and process.process.poll() is None:
        process.kill()


async def test_a_hard_kill_mid_dialog_resumes_after_restart(
    server: FakeBotApiServer, bot_process: BotProcess, tmp_path: Path
) -> None:
    from bot.services import Services

    services = await Services.start(Settings(db_path=tmp_path / "bot.sqlite3"))
    try:
        salt = await services.org.create_workshop("Salt")
        team = await services.org.create_team(salt.id, "A")
        from bot.models import InviteKind

        invite = await services.invites.create(
            team.id, InviteKind.MEMBER, services.member_invite_validity
        )
    finally:
        await services.close()

    fake = server.fake
    worker = Person(fake, fake.add_user(72, "Li", language_code="en"), no_settle)
    bot_process.start()
    await until(lambda: fake.long_polling)  # the bot is up and waiting for updates
    await shows(worker, lambda: worker.send(f"/start {invite.token}"), "choose your language")
    await shows(worker, lambda: worker.tap("English"), "What name should your team see?")
    # The step is saved just after the prompt goes out; a kill in between would lose this one
    # step (the worker is asked again), so the kill comes once it is in the database.
    await until(lambda: saved_step(tmp_path / "bot.sqlite3", 72) == "join.name")
    bot_process.kill()  # no shutdown, no flush: as if the power went

    restarted = BotProcess(server, tmp_path / "bot.sqlite3")
    restarted.start()
    try:
        await shows(worker, lambda: worker.send("Li Lei"), "regular staff or temporary staff")
        await shows(
            worker, lambda: worker.tap("Regular staff"), "Welcome to the team A · Salt, Li Lei!"
        )
    finally:
        log = await restarted.stop()
    assert "Traceback" not in log
    services = await Services.start(replace(Settings(), db_path=tmp_path / "bot.sqlite3"))
    try:
        member = await services.members.by_telegram_id(72)
        assert member is not None and member.display_name == "Li Lei" and member.team_name == "A"
    finally:
        await services.close()
