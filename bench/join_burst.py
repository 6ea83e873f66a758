"""A crowd of new workers joining at once, through the real bot and the fake Telegram.

    .venv/bin/python -m bench.join_burst --workers 60 300

Each worker opens the invite, picks a language, types a name and picks a staff
type, all at the same moment as the others. Three runs per crowd size:

* "bot only": no pacing and no limits in the fake, which shows the bot's own cost;
* "ours": the bot's `Pacer` against the fake with Telegram's limits, strictly
  (30 messages in any one second overall, a burst then 1 a second per chat);
* "PTB": python-telegram-bot's `AIORateLimiter(overall_max_rate=29)`, as the bot
  used before, against the same fake, for comparison.

For each it prints how many calls Telegram refused with 429, and the time from
each tap or message to the first thing the worker sees change (a new message or
an edited one), p50 and p95. Everything runs on real time, in one process and on
one core with the fake, so the figures include the fake's own cost.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import platform
import statistics
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from telegram.ext import AIORateLimiter, BaseRateLimiter

from bot.config import Settings
from bot.fake_telegram.fake import BotEvent, FakeTelegram
from bot.fake_telegram.flood import FloodLimits
from bot.fake_telegram.users import Person, Reply
from bot.sim.harness import Harness
from tests.helpers import make_team


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


class Stopwatch:
    """When each of the fake's events happened, to time a tap to its first visible effect."""

    def __init__(self, fake: FakeTelegram) -> None:
        self.at: dict[int, float] = {}
        fake.subscribe(self._seen)

    def _seen(self, event: BotEvent) -> None:
        self.at[event.seq] = time.perf_counter()

    def reaction(self, started: float, reply: Reply) -> float | None:
        visible = [self.at[e.seq] for e in reply.events if e.kind in ("sent", "edited")]
        return min(visible) - started if visible else None


async def join(person: Person, link: str, watch: Stopwatch, waits: list[float]) -> None:
    steps: list[Callable[[], Awaitable[Reply]]] = [
        lambda: person.open_link(link),
        lambda: person.tap("English"),
        lambda: person.send(f"Worker {person.id}"),
        lambda: person.tap("Temporary staff"),
    ]
    reply = None
    for step in steps:
        started = time.perf_counter()
        reply = await step()
        reaction = watch.reaction(started, reply)
        if reaction is not None:
            waits.append(reaction)
    if reply is None or "Welcome to the team" not in reply.text:
        raise RuntimeError(f"worker {person.id} did not get in")


async def measure(workers: int, mode: str) -> None:
    limits = FloodLimits.off() if mode == "bot only" else None
    limiter: BaseRateLimiter[Any] | None = None
    if mode == "PTB":
        limiter = AIORateLimiter(overall_max_rate=29, max_retries=8)
    with tempfile.TemporaryDirectory() as folder:
        fake = FakeTelegram(limits=limits)
        settings = Settings(db_path=Path(folder) / "bench.sqlite3")
        async with Harness(
            settings, fake=fake, rate_limit=mode != "bot only", limiter=limiter
        ) as harness:
            link = await make_team(harness, "Salt", "A")
            watch = Stopwatch(fake)
            waits: list[float] = []
            people = [
                harness.person(10_000 + n, f"W{n}", language_code="en") for n in range(workers)
            ]
            started = time.perf_counter()
            await asyncio.gather(*(join(person, link, watch, waits) for person in people))
            wall = time.perf_counter() - started
            members = await harness.services.db.fetch_one("SELECT COUNT(*) FROM members")
            refused = sum(1 for c in fake.calls if c.error is not None and c.error.code == 429)
            sent = sum(1 for e in fake.events if e.kind in ("sent", "edited"))
    ms = [value * 1000 for value in waits]
    print(
        f"  {mode:8}  joined {members[0] if members else 0}/{workers}  "
        f"wall {wall:6.1f} s  messages {sent} ({sent / wall:4.1f}/s)  429s {refused:3}  "
        f"tap→visible p50 {statistics.median(ms):7.0f} ms  p95 {percentile(ms, 0.95):7.0f} ms"
    )


async def main(crowds: list[int]) -> None:
    print(
        f"machine: {platform.machine()} {os.cpu_count()} CPUs, {platform.system()}, "
        f"Python {platform.python_version()}"
    )
    for workers in crowds:
        print(f"{workers} workers join at once:")
        for mode in ("bot only", "ours", "PTB"):
            await measure(workers, mode)


if __name__ == "__main__":
    logging.basicConfig(level=logging.ERROR)  # the bot's own INFO lines would drown the figures
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--workers", type=int, nargs="+", default=[60, 300])
    asyncio.run(main(parser.parse_args().workers))
