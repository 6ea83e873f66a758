"""A whole plant's shift start: every team's pre-shift study at once, every worker answering.

    .venv/bin/python -m bench.shift_start --teams 300 --members 10 --minutes 5

Two processes, one core each. The "Telegram side" runs the fake Bot API (with
Telegram's flood limits, on real time) and the simulated workers; this process
runs the bot alone, so its CPU and latency are the bot's own. Every team's
session opens at the same moment, as shift schedules would open them. Each
worker, once their message arrives, starts within the first minute, then reads,
answers 5 questions and taps a face, thinking a few seconds before each tap, so
that the whole plant is done within `--minutes`.

Reported: taps handled per second and the bot's handling latency (p50, p99,
from the moment it starts on an update until it is done, its calls to Telegram
included); answers stored, which must be all; messages and edits per worker;
and the bot's CPU per tap as a multiple of a trivial python-telegram-bot
handler (answer the tap, edit the message) driven the same way in this process.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import multiprocessing
import os
import platform
import random
import statistics
import tempfile
import time
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import Application, CallbackQueryHandler, ContextTypes

from bot.clock import SystemClock
from bot.config import Settings
from bot.context import Ctx
from bot.db.bulk import PlantShape, add_plant
from bot.fake_telegram.fake import BotEvent, FakeTelegram
from bot.fake_telegram.flood import FloodLimits
from bot.fake_telegram.server import FakeBotApiServer
from bot.preshift import sessions
from bot.preshift.service import Preshift
from bot.runner import running_bot
from bot.services import Services

QUESTIONS = 5
TAPS = 1 + 1 + QUESTIONS + 1  # start, read, the answers, the face
FLOOR_PEOPLE = 300


@dataclass(frozen=True)
class Pace:
    arrive_within: float  # seconds after their message arrives, a worker starts
    think: tuple[float, float]  # seconds before each tap, at random in this range


def pace_for(minutes: float) -> Pace:
    spare = max(60.0, minutes * 60 - 60)
    return Pace(arrive_within=min(60.0, spare / 3), think=(1.0, spare / (TAPS * 2)))


# ------------------------------------------------------------ Telegram's side


class Chats:
    """Each chat's latest bot message with buttons, and an event when the bot reacts in it."""

    def __init__(self, fake: FakeTelegram, marker: str) -> None:
        self.latest: dict[int, int] = {}
        self.reacted: dict[int, asyncio.Event] = {}
        self.marker = marker
        fake.subscribe(self._seen)

    def event(self, chat_id: int) -> asyncio.Event:
        return self.reacted.setdefault(chat_id, asyncio.Event())

    def _seen(self, event: BotEvent) -> None:
        message = event.message
        if event.kind in ("sent", "edited") and message is not None:
            if message.buttons and message.buttons[0]["callback_data"].startswith(self.marker):
                self.latest[event.chat_id] = message.message_id
            # Only the worker's own session message is a reaction to their tap: a team
            # leader who also takes the quiz gets status messages in the same chat.
            if message.message_id == self.latest.get(event.chat_id):
                self.event(event.chat_id).set()


async def tap_through(
    fake: FakeTelegram, chats: Chats, user_id: int, pace: Pace, waits: list[float]
) -> None:
    """One worker: wait for the message, then tap its first button, thinking before each."""
    rng = random.Random(user_id)  # noqa: S311 - a benchmark's think times
    while user_id not in chats.latest:
        chats.event(user_id).clear()
        await chats.event(user_id).wait()
    await asyncio.sleep(rng.uniform(0, pace.arrive_within))
    for _ in range(TAPS):
        await asyncio.sleep(rng.uniform(*pace.think))
        message = fake.chats[user_id].messages[chats.latest[user_id]]
        if not message.buttons:
            return
        reacted = chats.event(user_id)
        reacted.clear()
        started = time.perf_counter()
        fake.user_taps(user_id, user_id, message.message_id, message.buttons[0]["callback_data"])
        await reacted.wait()
        waits.append(time.perf_counter() - started)


async def telegram_side(pipe: Connection, users: list[int], mode: str, pace: Pace) -> None:
    limits = None if mode == "quiz" else FloodLimits.off()
    fake = FakeTelegram(limits=limits, callback_timeout=3600)
    for user_id in users:
        fake.add_user(user_id, f"W{user_id}").started = True
    server = FakeBotApiServer(fake)
    await server.start()
    chats = Chats(fake, "psb:" if mode == "quiz" else "a")
    if mode == "floor":
        keyboard = {"inline_keyboard": [[{"text": "A", "callback_data": "a"}]]}
        for user_id in users:
            await fake.call(
                fake.token,
                "sendMessage",
                {"chat_id": user_id, "text": "tap", "reply_markup": keyboard},
                from_form=False,
            )
    pipe.send(("ready", server.base_url, fake.token))
    waits: list[float] = []
    cpu, wall = time.process_time(), time.perf_counter()
    await asyncio.gather(*(tap_through(fake, chats, u, pace, waits) for u in users))
    private = [e for e in fake.events if e.chat_id > 0]
    own = [e for e in private if e.message and e.message.message_id == chats.latest.get(e.chat_id)]
    pipe.send(
        (
            "done",
            {
                "waits": waits,
                "side_busy": (time.process_time() - cpu) / (time.perf_counter() - wall),
                "sent": sum(e.kind == "sent" for e in private) / len(users),
                "edited": sum(e.kind == "edited" for e in own) / len(users),
                "status_edits": sum(e.kind == "edited" for e in private)
                - sum(e.kind == "edited" for e in own),
                "refused": sum(c.error is not None and c.error.code == 429 for c in fake.calls),
            },
        )
    )
    pipe.recv()  # the bot has stopped: now the server may go
    await server.stop()


def run_telegram_side(pipe: Connection, users: list[int], mode: str, pace: Pace) -> None:
    logging.basicConfig(level=logging.ERROR)
    asyncio.run(telegram_side(pipe, users, mode, pace))


# --------------------------------------------------------------- the bot's side


def plant(teams: int, members: int) -> PlantShape:
    workshops = [f"{n:02d}车间" for n in range(1, 21)]
    team_list = [(n % len(workshops), f"{n:03d}班") for n in range(teams)]
    people = [(n // members, 200_000 + n, f"职工{n:05d}") for n in range(teams * members)]
    leaders = [(t, t * members) for t in range(teams)]
    return PlantShape(workshops, team_list, people, leaders)


def start_telegram(users: list[int], mode: str, pace: Pace) -> tuple[Any, Connection, str, str]:
    ours, theirs = multiprocessing.Pipe()
    side = multiprocessing.get_context("spawn").Process(
        target=run_telegram_side, args=(theirs, users, mode, pace), daemon=True
    )
    side.start()
    _ready, base_url, token = ours.recv()
    return side, ours, base_url, token


async def received(pipe: Connection) -> Any:
    return await asyncio.to_thread(pipe.recv)


async def quiz(teams: int, members: int, pace: Pace) -> dict[str, Any]:
    shape = plant(teams, members)
    users = [user for _team, user, _name in shape.members]
    side, pipe, base_url, token = start_telegram(users, "quiz", pace)
    with tempfile.TemporaryDirectory() as folder:
        settings = Settings(
            bot_token=token, api_base_url=base_url, db_path=Path(folder) / "bench.sqlite3"
        )
        services = await Services.start(settings)
        team_ids, _ = await add_plant(services.db, services.clock, shape)
        await services.close()
        latencies: list[float] = []
        async with running_bot(settings, clock=SystemClock(), jobs=True) as bot:
            bot.processor.listeners.append(
                lambda update, elapsed: (
                    latencies.append(elapsed)
                    if isinstance(update, Update) and update.callback_query is not None
                    else None
                )
            )
            preshift = bot.services.get(Preshift)
            preshift.module_questions = QUESTIONS
            ctx = Ctx(bot.app)
            cpu, wall = time.process_time(), time.perf_counter()
            for team_id in team_ids:
                team = await bot.services.org.team(team_id)
                assert team is not None
                session = await sessions.open_session(ctx, team, started_by=None)
                assert session is not None
                sessions.start_delivery(ctx, session)
                await sessions.announce(ctx, session, team, except_chat=None)
            _done, seen = await received(pipe)
            wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
            stored = await bot.services.db.fetch_one("SELECT COUNT(*) FROM answers")
        pipe.send("stop")
        side.join(30)
    return {
        "workers": len(users),
        "answers": stored[0] if stored else 0,
        "wall": wall,
        "cpu": cpu,
        "taps": len(latencies),
        "latencies": latencies,
        **seen,
    }


async def floor(pace: Pace) -> tuple[float, int]:
    """CPU seconds per tap of a trivial python-telegram-bot handler, driven the same way."""
    users = list(range(300_000, 300_000 + FLOOR_PEOPLE))
    side, pipe, base_url, token = start_telegram(users, "floor", pace)
    keyboard = InlineKeyboardMarkup([[InlineKeyboardButton("A", callback_data="a")]])
    handled = 0

    async def answer(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        nonlocal handled
        query = update.callback_query
        assert query is not None
        await query.answer()
        await query.edit_message_text(f"ok {handled}", reply_markup=keyboard)
        handled += 1

    app = (
        Application.builder()
        .token(token)
        .base_url(base_url)
        .base_file_url(base_url.replace("/bot", "/file/bot"))
        .concurrent_updates(64)
        .build()
    )
    app.add_handler(CallbackQueryHandler(answer))
    async with app:
        await app.start()
        assert app.updater is not None
        await app.updater.start_polling(poll_interval=0.0, timeout=5)
        cpu = time.process_time()
        await received(pipe)
        cpu = time.process_time() - cpu
        await app.updater.stop()
        await app.stop()
    pipe.send("stop")
    side.join(30)
    return cpu / max(handled, 1), handled


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


async def main(teams: int, members: int, minutes: float) -> None:
    print(
        f"machine: {platform.machine()} {os.cpu_count()} CPUs, {platform.system()}, "
        f"Python {platform.python_version()}"
    )
    pace = pace_for(minutes)
    result = await quiz(teams, members, pace)
    ms = [value * 1000 for value in result["latencies"]]
    per_tap = result["cpu"] / max(result["taps"], 1)
    trivial, floor_taps = await floor(Pace(arrive_within=10.0, think=(0.5, 2.0)))
    waits = [value * 1000 for value in result["waits"]]
    print(
        f"{result['workers']} workers in {teams} teams, all starting at once: "
        f"{result['taps']} taps in {result['wall']:.0f} s ({result['taps'] / result['wall']:.0f} taps/s)"
    )
    print(
        f"answers stored: {result['answers']} of {result['workers'] * QUESTIONS}; "
        f"429s: {result['refused']}"
    )
    print(
        f"bot's handling latency per tap: p50 {statistics.median(ms):.1f} ms, "
        f"p99 {percentile(ms, 0.99):.1f} ms"
    )
    print(
        f"worker's tap to visible change: p50 {statistics.median(waits):.0f} ms, "
        f"p99 {percentile(waits, 0.99):.0f} ms"
    )
    print(
        f"per worker: {result['sent']:.2f} messages sent, {result['edited']:.2f} edits of their "
        f"session message; team leaders' status messages: {result['status_edits']} edits"
    )
    print(
        f"busy: the bot's process {result['cpu'] / result['wall']:.0%} of a core, "
        f"the Telegram side's {result['side_busy']:.0%}"
    )
    print(
        f"bot CPU per tap: {per_tap * 1000:.2f} ms; trivial PTB handler: {trivial * 1000:.2f} ms "
        f"({floor_taps} taps); ratio {per_tap / trivial:.1f}x"
    )


if __name__ == "__main__":
    logging.basicConfig(level=logging.ERROR)
    # At shut-down python-telegram-bot confirms the last updates with one more getUpdates,
    # which can time out against the other process's busy fake; harmless here.
    logging.getLogger("telegram.ext.Updater").setLevel(logging.CRITICAL)
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--teams", type=int, default=300)
    parser.add_argument("--members", type=int, default=10)
    parser.add_argument("--minutes", type=float, default=5.0)
    arguments = parser.parse_args()
    asyncio.run(main(arguments.teams, arguments.members, arguments.minutes))
