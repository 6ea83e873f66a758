"""The one place that builds the Application and wires every feature, in order.

Read `FEATURES` and `wire()` top to bottom to know what the bot does. Order
matters: within group 0 the first matching handler wins, so dialogs come before
the menu, the menu before the buttons, and the fallbacks last.
"""

from __future__ import annotations

import asyncio
import functools
import logging
import ssl
import time
import warnings
from collections import Counter
from collections.abc import Awaitable, Callable
from typing import Any

import httpx
from telegram import BotCommand, BotCommandScopeDefault, LinkPreviewOptions, Update
from telegram.constants import ParseMode
from telegram.ext import (
    Application,
    ApplicationBuilder,
    BaseHandler,
    BaseRateLimiter,
    BaseUpdateProcessor,
    CallbackQueryHandler,
    ChatMemberHandler,
    CommandHandler,
    ContextTypes,
    Defaults,
    MessageHandler,
    TypeHandler,
    filters,
)
from telegram.request import HTTPXRequest
from telegram.warnings import PTBUserWarning

from bot import common, errors
from bot.announcements.feature import FEATURE as ANNOUNCEMENTS
from bot.clock import Ticker
from bot.concerns.feature import FEATURE as CONCERNS
from bot.context import BotData, Ctx
from bot.db.persistence import SqlitePersistence
from bot.faq.feature import FEATURE as FAQ
from bot.feature import DialogParts, Feature, Handler, tap
from bot.onboarding.feature import FEATURE as ONBOARDING
from bot.org.feature import FEATURE as ORG
from bot.outbox import OUTBOX
from bot.pacing import Pacer
from bot.preshift.feature import FEATURE as PRESHIFT
from bot.services import Services
from bot.telegram_bot import ShiftmateBot

_LOGGER = logging.getLogger(__name__)

# Our dialogs mix typed and tapped steps on purpose; PTB warns that taps are then
# tracked per chat rather than per message, which is exactly what we want.
warnings.filterwarnings("ignore", message="If 'per_message=False'", category=PTBUserWarning)

BotApp = Application[Any, Ctx, dict[Any, Any], dict[Any, Any], BotData, Any]
Listener = Callable[[object, float], None]

# Every capability of the bot, in the order its handlers are tried and its
# commands are listed. A new feature is one more line here (see the README).
FEATURES: tuple[Feature, ...] = (
    OUTBOX,  # the one bulk sender; built first, the features below queue into it
    ONBOARDING,  # joining, /language, /mydata, /leave
    ORG,  # the admin panel and the leader's team view
    PRESHIFT,  # pre-shift study: sessions, quizzes, schedules
    CONCERNS,  # anonymous messages, reply keys, urgent alerts, the admins' inbox
    ANNOUNCEMENTS,  # the composer, read receipts, correcting and recalling
    FAQ,  # policy questions: curated answers, hand-offs, the gap list (free text comes last)
    common.BASICS,  # /help, /cancel, ℹ️
)


class ChatOrderedUpdateProcessor(BaseUpdateProcessor):
    """Many chats at once, but each chat's updates strictly in the order they came.

    A worker's taps must be handled in order (an answer before the next
    question), while thousands of workers are served concurrently. Listeners
    learn when each update is done and how long it took: the peak-load benchmark
    and the test harness both use that.
    """

    def __init__(self, max_concurrent_updates: int = 64) -> None:
        super().__init__(max_concurrent_updates)
        self._locks: dict[int, asyncio.Lock] = {}
        # How many updates hold or wait for each chat's lock: a lock is forgotten only
        # when nobody needs it (a released lock reads as unlocked while a woken
        # waiter has not run yet, so `locked()` cannot tell).
        self._users: Counter[int] = Counter()
        self.listeners: list[Listener] = []
        # Writes dialog state as soon as an update is handled, so a restart
        # resumes where the person was (set once the Application exists).
        self.after_update: Callable[[], Awaitable[None]] | None = None

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        started = time.perf_counter()
        key = _chat_key(update)
        try:
            if key is None:
                await coroutine
            else:
                lock = self._locks.setdefault(key, asyncio.Lock())
                self._users[key] += 1
                try:
                    async with lock:
                        await coroutine
                        await self._save_dialog_state()
                finally:
                    self._users[key] -= 1
                    if not self._users[key]:
                        del self._users[key], self._locks[key]
        finally:
            elapsed = time.perf_counter() - started
            for listener in self.listeners:
                listener(update, elapsed)

    async def _save_dialog_state(self) -> None:
        if self.after_update is None:
            return
        try:
            await self.after_update()
        except Exception as err:  # e.g. a full disk: the person was already told; keep serving
            _LOGGER.warning("Could not save dialog state: %s: %s", type(err).__name__, err)

    async def initialize(self) -> None:
        """Nothing to set up."""

    async def shutdown(self) -> None:
        """Nothing to release."""


def _chat_key(update: object) -> int | None:
    if isinstance(update, Update) and update.effective_chat is not None:
        return update.effective_chat.id
    return None


@functools.cache
def _tls() -> ssl.SSLContext:
    """One TLS context for every connection to Telegram.

    httpx would otherwise load the certificate store for each client it makes
    (about 50 ms each, twice per start: replies and polling).
    """
    return httpx.create_ssl_context()


def build_application(
    services: Services,
    *,
    processor: ChatOrderedUpdateProcessor | None = None,
    read_timeout: float = 10.0,
    rate_limit: bool = True,
    ticker: Ticker | None = None,
    limiter: BaseRateLimiter[Any] | None = None,
    jobs: bool = True,
) -> BotApp:
    """The Application for these services, with every feature wired.

    Every call to Telegram goes through the `Pacer`, on `ticker`'s time (real
    time unless a test passes a virtual one). Benchmarks may drop it
    (`rate_limit=False`, to measure the bot's own cost) or pass another `limiter`
    to compare with.
    """
    settings = services.settings
    if settings.bot_token is None:
        raise ValueError("BOT_TOKEN is needed to build the application")
    bot = ShiftmateBot(
        token=settings.bot_token,
        base_url=settings.api_base_url,
        base_file_url=settings.file_base_url,
        request=HTTPXRequest(
            connection_pool_size=64,
            read_timeout=read_timeout,
            write_timeout=20.0,
            httpx_kwargs={"verify": _tls()},
        ),
        get_updates_request=HTTPXRequest(connection_pool_size=1, httpx_kwargs={"verify": _tls()}),
        defaults=Defaults(
            parse_mode=ParseMode.HTML,
            tzinfo=settings.timezone,
            link_preview_options=LinkPreviewOptions(is_disabled=True),
        ),
        rate_limiter=(limiter or Pacer(ticker=ticker)) if rate_limit else None,
        on_edit=services.taps.edited,
    )
    processor = processor or ChatOrderedUpdateProcessor()
    app: BotApp = (
        ApplicationBuilder()
        .bot(bot)
        .context_types(ContextTypes(context=Ctx, bot_data=BotData))
        .persistence(SqlitePersistence(services.db))
        .concurrent_updates(processor)
        .build()
    )
    services.provide([provider for feature in FEATURES for provider in feature.provides])
    app.bot_data.services = services
    app.bot_data.features = FEATURES
    processor.after_update = app.update_persistence
    wire(app, services, FEATURES)
    if jobs:
        schedule_jobs(app, FEATURES)
    return app


def schedule_jobs(app: BotApp, features: tuple[Feature, ...]) -> None:
    """Each feature's work that runs by itself, every few seconds.

    The work decides from the database and the clock what is due, so a late run
    catches up with everything due meanwhile: late runs are never dropped
    (python-telegram-bot's JobQueue would drop a run more than a second late,
    PTB issue #3642), several late runs become one, and one never overlaps the next.
    """
    assert app.job_queue is not None  # noqa: S101 - the job-queue extra is installed
    for feature in features:
        for seconds, job in feature.every:
            app.job_queue.run_repeating(
                job,
                interval=seconds,
                first=1.0,
                name=f"{feature.name}:{job.__name__}",
                job_kwargs={"misfire_grace_time": None, "coalesce": True, "max_instances": 1},
            )


def wire(app: BotApp, services: Services, features: tuple[Feature, ...]) -> None:
    """Register every feature's handlers. Note: order matters!"""
    private = filters.ChatType.PRIVATE
    labels = {
        label
        for feature in features
        for entry in feature.menu
        for label in services.i18n.every_translation(entry.label)
    }
    app.bot_data.menu_labels = frozenset(labels)
    menu_press = private & filters.Text(sorted(labels))
    parts = DialogParts(
        exits=exit_handlers(services, features, cancel=common.cancel_dialog),
        typed=private & filters.TEXT & ~filters.COMMAND & ~menu_press,
        media=private & ~filters.TEXT & ~filters.COMMAND & filters.UpdateType.MESSAGE,
        translations=services.i18n.every_translation,
    )

    # Group -1: who is writing, in which language; is their button genuine, or a repeat.
    app.add_handler(TypeHandler(Update, common.prepare), group=-1)

    # Dialogs first: while one waits for typed input, that input is theirs.
    for feature in features:
        for dialog in feature.dialogs(parts) if feature.dialogs else ():
            app.add_handler(dialog)

    # Commands and the main menu (outside a dialog, /cancel has nothing to cancel).
    for handler in exit_handlers(services, features, cancel=common.nothing_to_cancel):
        app.add_handler(handler)

    # Buttons, then anything else a feature answers (e.g. a command in its group chats).
    for feature in features:
        for route, callback in feature.taps:
            app.add_handler(tap(route, callback))
    for feature in features:
        for handler in feature.handlers:
            app.add_handler(handler)

    # Someone blocked or unblocked the bot.
    app.add_handler(ChatMemberHandler(common.track_reachability, ChatMemberHandler.MY_CHAT_MEMBER))

    # Fallbacks, last: whatever nobody above wanted gets a plain answer.
    app.add_handler(MessageHandler(filters.ChatType.GROUPS & filters.COMMAND, common.group_message))
    app.add_handler(MessageHandler(private & filters.COMMAND, common.unknown_command))
    app.add_handler(MessageHandler(private & filters.TEXT, common.stray_text))
    app.add_handler(MessageHandler(parts.media, common.not_text))
    app.add_handler(CallbackQueryHandler(common.stale_button))

    # Group 1, after everything: a tap just handled makes an identical next tap a repeat.
    app.add_handler(TypeHandler(Update, common.finish_tap), group=1)

    app.add_error_handler(errors.on_error)


def exit_handlers(
    services: Services, features: tuple[Feature, ...], *, cancel: Handler
) -> list[BaseHandler[Update, Ctx, Any]]:
    """Every command and menu button: each ends a half-finished dialog, then does its job."""
    private = filters.ChatType.PRIVATE
    handlers: list[BaseHandler[Update, Ctx, Any]] = []
    for feature in features:
        for command in feature.commands:
            callback = cancel if command.name == "cancel" else command.callback
            handlers.append(
                CommandHandler(command.name, common.ends_dialog(callback), filters=private)
            )
        for entry in feature.menu:
            label = filters.Text(sorted(services.i18n.every_translation(entry.label)))
            handlers.append(MessageHandler(private & label, common.ends_dialog(entry.callback)))
    return handlers


async def publish_commands(app: BotApp, services: Services) -> None:
    """Tell Telegram the command list in each language (Telegram keys them by 2-letter code)."""
    listed = [c for feature in FEATURES for c in feature.commands if c.description]
    by_code = {"": services.settings.locale, "en": "en", "zh": "zh_Hans"}
    if services.settings.locale == "zh_Hant":
        by_code["zh"] = "zh_Hant"
    for code, locale in by_code.items():
        tr = services.i18n.translator(locale)
        commands = [BotCommand(c.name, tr.gettext(c.description or "")) for c in listed]
        await app.bot.set_my_commands(
            commands, scope=BotCommandScopeDefault(), language_code=code or None
        )
