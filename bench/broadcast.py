"""A notice to 3,000 people through the outbox, against the fake Bot API with Telegram's limits.

    .venv/bin/python -m bench.broadcast [--people 3000] [--no-kill]

The fake Bot API (Telegram's flood limits on, real time) and the simulated people run
in this process; the bot runs as `python -m bot run` in a child process, as in
production. The plant is written into the bot's database with one notice to
everyone, due now; the bot's timed run finds it and sends it.

Run 1 sends the notice alone. In run 2, while it goes out, a worker asks a policy
question every half second (20 workers in turn): the time from a message to the bot's
answer is the reply latency while the outbox is busy, and the answers take their
share of the 30 a second (`rate_used` counts every message sent meanwhile). Run 3 does
the same and kills the bot hard (SIGKILL) when about half have the notice, then
starts it again (its latency includes the restart). Each notice is queued once the
bot is up and answering.

Reported per run: wall time from the first to the last delivery against the
`people / 30` seconds Telegram's 30 a second allows (efficiency), the share of that
rate used by all messages sent meanwhile, people who never got it (lost), people who
got it twice, 429s, and the questions' reply latency (p50, p99).
Not part of the test suite.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import platform
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from bot.clock import SystemClock
from bot.db.announcements import AnnouncementRepository, Audience
from bot.db.bulk import PlantShape, add_plant
from bot.db.database import Database
from bot.fake_telegram.fake import BotEvent, FakeTelegram
from bot.fake_telegram.server import FakeBotApiServer

ROOT = Path(__file__).resolve().parent.parent
FIRST_ID = 500_000
QUESTION = "how many days of paid annual leave do I get"
TEAM_SIZE = 10


@dataclass
class Watch:
    """What the fake saw: deliveries of the notice per chat, and the probe's answers."""

    text: str
    probes: list[int]
    deliveries: dict[int, int] = field(default_factory=dict)
    first: float | None = None
    last: float | None = None
    asked: dict[int, float] = field(default_factory=dict)
    latencies: list[float] = field(default_factory=list)
    expected: int = 0
    answered: int = 0
    sent_meanwhile: int = 0

    def see(self, event: BotEvent) -> None:
        message = event.message
        if event.kind != "sent" or message is None:
            return
        now = time.monotonic()
        if self.first is not None and len(self.deliveries) < self.expected:
            self.sent_meanwhile += 1  # every message, the notice's and the answers'
        if message.text == self.text:
            self.deliveries[event.chat_id] = self.deliveries.get(event.chat_id, 0) + 1
            self.first = self.first if self.first is not None else now
            self.last = now
        elif event.chat_id in self.asked:
            took = now - self.asked.pop(event.chat_id)
            self.answered += 1
            if self.first is not None and len(self.deliveries) < self.expected:
                self.latencies.append(took)  # asked and answered while the notice went out


def machine() -> str:
    return (
        f"{platform.machine()}, {len(os.sched_getaffinity(0))} cores (nproc), "
        f"Python {platform.python_version()}"
    )


async def seed(db_path: Path, people: int) -> list[int]:
    """The plant, and nothing else; returns the members' Telegram ids."""
    ids = [FIRST_ID + n for n in range(people)]
    teams = (people + TEAM_SIZE - 1) // TEAM_SIZE
    shape = PlantShape(
        workshops=["Salt works"],
        teams=[(0, f"T{n:03d}") for n in range(teams)],
        members=[(n // TEAM_SIZE, telegram_id, f"W{n}") for n, telegram_id in enumerate(ids)],
        leaders=[],
    )
    db = await Database.open(db_path)
    try:
        await add_plant(db, SystemClock(), shape)
    finally:
        await db.close()
    return ids


async def queue_notice(db_path: Path, text: str) -> None:
    db = await Database.open(db_path)
    try:
        await AnnouncementRepository(db, SystemClock()).create(
            author_id=None,
            texts={"": text},
            attachment=None,
            file_id=None,
            ask_ack=False,
            pin=False,
            audience=Audience("everyone"),
            send_at=None,
            remind_after_s=None,
        )
    finally:
        await db.close()


class Bot:
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
        self.process = subprocess.Popen(  # noqa: S603 - our own interpreter and module
            [sys.executable, "-m", "bot", "run"],
            cwd=ROOT,
            env=self.env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )

    def kill(self) -> None:
        assert self.process is not None
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(10)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            self.process.wait(30)


async def probe(fake: FakeTelegram, watch: Watch, stop: asyncio.Event, *, ask: bool) -> None:
    """A worker asks a question every half second, 20 workers in turn (one person may
    get only about one message a second from a bot); the answers that come while the
    notice goes out are timed."""
    turn = 0
    while not stop.is_set():
        # Without `ask`, only until the bot is up (the notice then has Telegram to itself).
        if len(watch.deliveries) < watch.expected and (ask or watch.answered < 5):
            asker = watch.probes[turn % len(watch.probes)]
            turn += 1
            if asker not in watch.asked:
                watch.asked[asker] = time.monotonic()
                fake.user_message(asker, text=QUESTION)
        await asyncio.sleep(0.5)


async def run(
    server: FakeBotApiServer, db: Path, ids: list[int], text: str, *, kill: bool, ask: bool
) -> dict[str, float]:
    fake = server.fake
    watch = Watch(text, ids[1:21], expected=len(ids))
    fake.subscribe(watch.see)
    bot = Bot(server, db)
    before_429 = sum(1 for c in fake.calls if c.error is not None and c.error.code == 429)
    bot.start()
    stop = asyncio.Event()
    asking = asyncio.create_task(probe(fake, watch, stop, ask=ask))
    while watch.answered < 5:  # noqa: ASYNC110 - the bot is another process; then the notice
        await asyncio.sleep(0.1)
    await queue_notice(db, text)
    killed_at = None
    limit = time.monotonic() + len(ids) / 30 * 3 + 120
    try:
        while len(watch.deliveries) < len(ids) and time.monotonic() < limit:
            if kill and killed_at is None and len(watch.deliveries) >= len(ids) // 2:
                bot.kill()
                killed_at = len(watch.deliveries)
                await asyncio.sleep(0.5)  # what was on the wire lands, or not
                bot.start()
            await asyncio.sleep(0.05)
        await asyncio.sleep(2.0)  # anything still in flight arrives
    finally:
        stop.set()
        await asyncio.gather(asking, return_exceptions=True)
        bot.stop()
    assert watch.first is not None and watch.last is not None
    wall = watch.last - watch.first + 1 / 30
    ideal = len(ids) / 30
    latencies = sorted(watch.latencies)
    return {
        "recipients": len(ids),
        "wall_s": wall,
        "efficiency": ideal / wall,
        "rate_used": watch.sent_meanwhile / (30 * wall),
        "lost": sum(1 for i in ids if watch.deliveries.get(i, 0) == 0),
        "twice": sum(1 for i in ids if watch.deliveries.get(i, 0) > 1),
        "429s": sum(1 for c in fake.calls if c.error is not None and c.error.code == 429)
        - before_429,
        "killed_at": float(killed_at or 0),
        "reply_p50_ms": statistics.median(latencies) * 1000 if latencies else float("nan"),
        "reply_p99_ms": latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))] * 1000
        if latencies
        else float("nan"),
        "questions": len(latencies),
    }


async def main_async(people: int, kill: bool) -> None:
    print(f"machine: {machine()}")
    with tempfile.TemporaryDirectory() as folder:
        db = Path(folder) / "bench.sqlite3"
        fake = FakeTelegram()  # Telegram's flood limits, on real time
        server = FakeBotApiServer(fake)
        await server.start()
        try:
            ids = await seed(db, people)
            for telegram_id in ids:
                # Each has opened the chat with the bot before (they joined a team).
                fake.add_user(telegram_id, f"W{telegram_id}", language_code="en").started = True
            runs = [
                ("the notice alone", False, False),
                ("with a question every half second", False, True),
            ] + ([("killed at half way, and questions", True, True)] if kill else [])
            for number, (label, hard, ask) in enumerate(runs, start=1):
                text = f"Notice {number}: the canteen opens at 11:00 on Friday."
                figures = await run(server, db, ids, text, kill=hard, ask=ask)
                print(f"\nrun {number}, {label}:")
                for key, value in figures.items():
                    print(
                        f"  {key:<14} {value:,.3f}"
                        if isinstance(value, float)
                        else f"  {key:<14} {value}"
                    )
        finally:
            await server.stop()


def main(argv: list[str] | None = None) -> int:
    args = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    args.add_argument("--people", type=int, default=3000)
    args.add_argument("--no-kill", action="store_true", help="only the undisturbed run")
    options = args.parse_args(argv)
    asyncio.run(main_async(options.people, not options.no_kill))
    return 0


if __name__ == "__main__":
    sys.exit(main())
