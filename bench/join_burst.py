"""A team's worth of new workers joining at once, through the real bot and the fake Telegram.

    .venv/bin/python -m bench.join_burst --workers 300

Runs twice. "As on Telegram": the bot's own flood limiter keeps it under
Telegram's ~30 messages a second overall, which is what workers will feel when
a whole shift joins at once. "Bot only": no limiter and no limits in the fake,
which shows the bot's own cost. Handling latency is measured by the update
processor (from the moment the bot starts on an update until it is done,
including its calls to Telegram). The fake Telegram runs in the same process
and on the same core, so these figures include its cost: the bot alone is faster.
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
from pathlib import Path

from telegram import Update

from bot.config import Settings
from bot.fake_telegram.fake import FakeTelegram
from bot.fake_telegram.flood import FloodLimits
from bot.fake_telegram.users import Person
from bot.sim.harness import Harness
from tests.helpers import make_team


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


async def join(person: Person, link: str) -> None:
    await person.open_link(link)
    await person.tap("English")
    await person.send(f"Worker {person.id}")
    reply = await person.tap("Temporary staff")
    if "Welcome to the team" not in reply.text:
        raise RuntimeError(f"worker {person.id} did not get in: {reply.text!r}")


async def measure(workers: int, *, telegram_limits: bool) -> None:
    with tempfile.TemporaryDirectory() as folder:
        unlimited = FloodLimits(overall_per_second=1e6, overall_burst=1e6, private_burst=1e6)
        fake = FakeTelegram(limits=None if telegram_limits else unlimited)
        settings = Settings(db_path=Path(folder) / "bench.sqlite3")
        async with Harness(settings, fake=fake, rate_limit=telegram_limits) as harness:
            link = await make_team(harness, "Salt", "A")
            latencies: list[float] = []
            assert harness.running is not None
            harness.running.processor.listeners.append(
                lambda update, elapsed: (
                    latencies.append(elapsed) if isinstance(update, Update) else None
                )
            )
            people = [
                harness.person(10_000 + n, f"W{n}", language_code="en") for n in range(workers)
            ]
            started = time.perf_counter()
            await asyncio.gather(*(join(person, link) for person in people))
            wall = time.perf_counter() - started
            members = await harness.services.db.fetch_one("SELECT COUNT(*) FROM members")
    ms = [value * 1000 for value in latencies]
    print(
        "As on Telegram (30 messages/s overall):"
        if telegram_limits
        else "Bot only (no flood limits):"
    )
    print(f"workers joined: {members[0] if members else 0} of {workers} ({len(ms)} updates)")
    print(f"wall time: {wall:.2f} s ({len(ms) / wall:.0f} updates/s)")
    print(
        "handling latency ms: "
        f"p50 {statistics.median(ms):.1f}  p95 {percentile(ms, 0.95):.1f}  "
        f"p99 {percentile(ms, 0.99):.1f}  max {max(ms):.1f}"
    )


async def main(workers: int) -> None:
    print(
        f"machine: {platform.machine()} {os.cpu_count()} CPUs, {platform.system()}, Python {platform.python_version()}"
    )
    print(
        f"{workers} workers each open the invite, pick a language, type a name, pick a staff type"
    )
    await measure(workers, telegram_limits=False)
    await measure(workers, telegram_limits=True)


if __name__ == "__main__":
    logging.basicConfig(level=logging.ERROR)  # the bot's own INFO lines would drown the figures
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--workers", type=int, default=300)
    asyncio.run(main(parser.parse_args().workers))
