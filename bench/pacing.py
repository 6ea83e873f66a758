"""What the pacer itself costs: scheduling a notice to every worker of a plant, ten plants over.

    .venv/bin/python -m bench.pacing --chats 3000 30000

The pacer runs on virtual time (a `JumpTicker`) with a callback that does
nothing, so the figures are the pacer's own bookkeeping per send: a grant must
not scan the queue, or a notice to 30,000 people would take minutes to schedule
rather than the 1,000 seconds Telegram's 30 a second allows.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import platform
import time
from typing import Any

from bot.clock import JumpTicker
from bot.pacing import Lane, Pacer


async def notice(chats: int) -> None:
    ticker = JumpTicker()
    pacer = Pacer(ticker=ticker)
    await pacer.initialize()

    async def nothing(*args: Any, **kwargs: Any) -> bool:
        return True

    async def send(chat: int, lane: Lane) -> None:
        data = {"chat_id": chat, "text": "notice"}
        await pacer.process_request(nothing, (), {}, "sendMessage", data, {"lane": lane})

    started = time.perf_counter()
    try:
        await asyncio.gather(
            *(send(chat, Lane.BULK) for chat in range(1, chats + 1)),
            # A tenth of the plant taps a button meanwhile: their replies go first.
            *(send(chat, Lane.REPLY) for chat in range(1, chats + 1, 10)),
        )
    finally:
        await pacer.shutdown()
    wall = time.perf_counter() - started
    sends = chats + len(range(1, chats + 1, 10))
    print(
        f"  {chats:6} chats: {sends} sends scheduled in {wall:5.2f} s of real time "
        f"({wall / sends * 1e6:5.1f} µs a send); on Telegram they take {ticker.now():6.0f} s"
    )


async def main(sizes: list[int]) -> None:
    print(
        f"machine: {platform.machine()} {os.cpu_count()} CPUs, {platform.system()}, "
        f"Python {platform.python_version()}"
    )
    for chats in sizes:
        await notice(chats)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--chats", type=int, nargs="+", default=[3000, 30000])
    asyncio.run(main(parser.parse_args().chats))
