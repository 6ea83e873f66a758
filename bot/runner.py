"""Starting and stopping the bot in the right order.

The database opens before the Application initialises (persistence reads it
then) and closes after the Application has shut down (persistence writes its
last changes then). This follows python-telegram-bot's documented pattern for
running the Application inside our own event loop.
"""

from __future__ import annotations

import asyncio
import logging
import signal
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlparse

from telegram import Update
from telegram.error import NetworkError
from telegram.ext import BaseRateLimiter

from bot.app import BotApp, ChatOrderedUpdateProcessor, build_application, publish_commands
from bot.clock import Clock, Ticker
from bot.config import Settings
from bot.services import Services

_LOGGER = logging.getLogger(__name__)


@dataclass
class Running:
    services: Services
    app: BotApp
    processor: ChatOrderedUpdateProcessor


def _polling_leftover(loop: asyncio.AbstractEventLoop, context: dict[str, Any]) -> None:
    """A getUpdates that failed at the moment polling was told to stop: not an error.

    python-telegram-bot's retry loop returns as soon as its stop event is set; when
    the poll ended with a time-out in the same instant, nobody reads that task's
    exception and asyncio reports it as an error. It happens only at shut-down on a
    busy machine (see python-telegram-bot PR #5310). Everything else goes to the
    default handler.
    """
    error = context.get("exception")
    future = repr(context.get("future", ""))
    if isinstance(error, NetworkError) and "polling_action_cb" in future:
        _LOGGER.info("A poll for updates ended with %s while stopping", type(error).__name__)
        return
    loop.default_exception_handler(context)


@asynccontextmanager
async def running_bot(
    settings: Settings,
    *,
    webhook: bool = False,
    clock: Clock | None = None,
    read_timeout: float = 10.0,
    poll_timeout: int = 10,
    rate_limit: bool = True,
    ticker: Ticker | None = None,
    limiter: BaseRateLimiter[Any] | None = None,
    jobs: bool = True,
) -> AsyncIterator[Running]:
    """The bot receiving updates (long polling, or a webhook) until the block exits."""
    asyncio.get_running_loop().set_exception_handler(_polling_leftover)
    services = await Services.start(settings, clock=clock)
    processor = ChatOrderedUpdateProcessor()
    try:
        app = build_application(
            services,
            processor=processor,
            read_timeout=read_timeout,
            rate_limit=rate_limit,
            ticker=ticker,
            limiter=limiter,
            jobs=jobs,
        )
        async with app:
            services.bot_username = app.bot.username
            await publish_commands(app, services)
            await app.start()
            assert app.updater is not None  # noqa: S101 - the builder makes one
            if webhook:
                await app.updater.start_webhook(
                    listen=settings.webhook_listen,
                    port=settings.webhook_port,
                    url_path=urlparse(settings.webhook_url or "").path.lstrip("/"),
                    secret_token=settings.webhook_secret,
                    webhook_url=settings.webhook_url,
                    allowed_updates=Update.ALL_TYPES,
                )
            else:
                await app.updater.start_polling(
                    poll_interval=0.0, timeout=poll_timeout, allowed_updates=Update.ALL_TYPES
                )
            _LOGGER.info(
                "Shiftmate is running as @%s (%s)",
                app.bot.username,
                "webhook" if webhook else "polling",
            )
            try:
                yield Running(services, app, processor)
            finally:
                await app.updater.stop()
                await app.stop()
    finally:
        await services.close()
        _LOGGER.info("Shiftmate stopped")


async def serve(settings: Settings, *, webhook: bool = False) -> None:
    """Run until SIGINT or SIGTERM."""
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        try:
            loop.add_signal_handler(sig, stop.set)
        except NotImplementedError:  # Windows: Ctrl+C still raises KeyboardInterrupt
            pass
    async with running_bot(settings, webhook=webhook):
        await stop.wait()
