"""The fake Telegram on loopback with the real bot attached: what tests and the simulator run.

Nothing is mocked between the two: the bot reaches the fake through
`BOT_API_BASE_URL` with its real HTTP client, polls it (or receives webhooks
from it), and goes through the real rate limiter and update processor.
"""

from __future__ import annotations

import asyncio
import contextlib
import socket
from dataclasses import replace
from types import TracebackType
from typing import Any

from telegram import Update
from telegram.ext import BaseRateLimiter

from bot.clock import Clock, Ticker
from bot.config import Settings
from bot.fake_telegram.fake import FakeTelegram
from bot.fake_telegram.server import FakeBotApiServer
from bot.fake_telegram.users import Person
from bot.runner import Running, running_bot
from bot.services import Services

SETTLE_TIMEOUT = 120.0


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Harness:
    """Start with `async with Harness(settings) as h:`; then `h.person(...)` to act."""

    def __init__(
        self,
        settings: Settings,
        *,
        fake: FakeTelegram | None = None,
        clock: Clock | None = None,
        webhook: bool = False,
        read_timeout: float = 10.0,
        rate_limit: bool = True,
        ticker: Ticker | None = None,
        limiter: BaseRateLimiter[Any] | None = None,
        jobs: bool = True,
    ) -> None:
        """`ticker` is the time the bot's pacing runs on (real time if None).

        Tests pass a `JumpTicker` and give the fake Telegram the same ticker's
        `now` for its flood limits, so both agree on every instant and no test
        waits in real time for a limit. `jobs=False` leaves out the work that runs
        by itself every few seconds; tests then run it when they choose (`tick`).
        """
        self.fake = fake or FakeTelegram()
        self.server = FakeBotApiServer(self.fake)
        self._base_settings = settings
        self._clock = clock
        self._webhook = webhook
        self._read_timeout = read_timeout
        self._rate_limit = rate_limit
        self._ticker = ticker
        self._limiter = limiter
        self._jobs = jobs
        self._stack = contextlib.AsyncExitStack()
        self._done: set[int] = set()
        # The fake's last event when the bot finished each update: events after it are
        # another update's doing (each chat's updates run one after the other).
        self.finished_at: dict[int, int] = {}
        self._waiting: dict[int, asyncio.Future[None]] = {}
        self.running: Running | None = None
        self.settings = settings
        # Tests that provoke refused calls or logged errors on purpose say so here.
        self.expect_refused = False
        self.expect_errors = False

    async def __aenter__(self) -> Harness:
        await self.server.start()
        self._stack.push_async_callback(self.server.stop)
        settings = replace(
            self._base_settings, bot_token=self.fake.token, api_base_url=self.server.base_url
        )
        if self._webhook:
            port = free_port()
            settings = replace(
                settings,
                webhook_url=f"http://127.0.0.1:{port}/telegram",
                webhook_listen="127.0.0.1",
                webhook_port=port,
                webhook_secret="sim-secret",  # noqa: S106 - loopback only
            )
        self.settings = settings
        try:
            self.running = await self._stack.enter_async_context(
                running_bot(
                    settings,
                    webhook=self._webhook,
                    clock=self._clock,
                    read_timeout=self._read_timeout,
                    poll_timeout=5,
                    rate_limit=self._rate_limit,
                    ticker=self._ticker,
                    limiter=self._limiter,
                    jobs=self._jobs,
                )
            )
        except BaseException:
            await self._stack.aclose()
            raise
        self.running.processor.listeners.append(self._processed)
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self._stack.aclose()

    @property
    def services(self) -> Services:
        assert self.running is not None  # noqa: S101 - only used while running
        return self.running.services

    def _processed(self, update: object, elapsed: float) -> None:
        if not isinstance(update, Update):
            return
        self._done.add(update.update_id)
        self.finished_at[update.update_id] = self.fake.last_seq
        waiter = self._waiting.pop(update.update_id, None)
        if waiter is not None and not waiter.done():
            waiter.set_result(None)

    async def settle(self, update_id: int) -> None:
        """Wait until the bot has finished handling this update."""
        if update_id in self._done:
            return
        waiter = self._waiting.setdefault(update_id, asyncio.get_running_loop().create_future())
        try:
            await asyncio.wait_for(waiter, SETTLE_TIMEOUT)
        except TimeoutError:
            raise AssertionError(
                f"the bot did not finish update {update_id} in {SETTLE_TIMEOUT}s"
            ) from None

    async def tick(self) -> None:
        """Run every feature's timed work once, now (what the JobQueue does every few seconds)."""
        from bot.app import FEATURES
        from bot.context import Ctx

        assert self.running is not None  # noqa: S101 - only used while running
        ctx = Ctx(self.running.app)
        for feature in FEATURES:
            for _seconds, job in feature.every:
                await job(ctx)
        await self.quiet()

    async def quiet(self) -> None:
        """Wait until what the bot sends in the background (a session to every member) is sent."""
        while True:
            pending = [t for t in asyncio.all_tasks() if t.get_name().startswith("deliver-")]
            if not pending:
                return
            await asyncio.gather(*pending, return_exceptions=True)

    def person(
        self,
        user_id: int,
        first_name: str,
        *,
        last_name: str | None = None,
        username: str | None = None,
        language_code: str | None = None,
    ) -> Person:
        user = self.fake.users.get(user_id) or self.fake.add_user(
            user_id, first_name, last_name=last_name, username=username, language_code=language_code
        )
        return Person(self.fake, user, self.settle)
