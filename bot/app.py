"""The one place that builds the Application and wires every handler, in order.

Read `wire()` top to bottom to know what the bot does. Order matters: within
group 0 the first matching handler wins, so dialogs come before the menu,
the menu before the fallbacks, and the fallbacks last.
"""

from __future__ import annotations

import asyncio
import logging
import time
import warnings
from collections import Counter
from collections.abc import Awaitable, Callable, Coroutine
from typing import Any

from telegram import BotCommand, BotCommandScopeDefault, LinkPreviewOptions, Update
from telegram.constants import ParseMode
from telegram.ext import (
    AIORateLimiter,
    Application,
    ApplicationBuilder,
    BaseHandler,
    BaseUpdateProcessor,
    CallbackQueryHandler,
    ChatMemberHandler,
    CommandHandler,
    ContextTypes,
    ConversationHandler,
    Defaults,
    MessageHandler,
    TypeHandler,
    filters,
)
from telegram.request import HTTPXRequest
from telegram.warnings import PTBUserWarning

from bot import common, errors
from bot.callbacks import route_pattern
from bot.context import BotData, Ctx
from bot.db.persistence import SqlitePersistence
from bot.i18n import N_
from bot.menu import ADMIN, HELP, LANGUAGE, MY_DATA, MY_TEAM, MenuEntry
from bot.onboarding import handlers as onboarding
from bot.org import handlers as org
from bot.services import Services

_LOGGER = logging.getLogger(__name__)

# Our dialogs mix typed and tapped steps on purpose; PTB warns that taps are then
# tracked per chat rather than per message, which is exactly what we want.
warnings.filterwarnings("ignore", message="If 'per_message=False'", category=PTBUserWarning)

BotApp = Application[Any, Ctx, dict[Any, Any], dict[Any, Any], BotData, Any]
Listener = Callable[[object, float], None]

# The commands Telegram lists in the chat's "/" menu, in each language.
COMMANDS = (
    ("help", N_("How Shiftmate works")),
    ("language", N_("Change the language")),
    ("mydata", N_("See what is stored about you")),
    ("leave", N_("Delete your data")),
    ("cancel", N_("Stop what you are doing")),
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


def build_application(
    services: Services,
    *,
    processor: ChatOrderedUpdateProcessor | None = None,
    read_timeout: float = 10.0,
    rate_limit: bool = True,
) -> BotApp:
    """The Application for these services, with every handler wired.

    `rate_limit=False` drops the client-side flood limiter; only benchmarks do
    that, to measure the bot's own cost apart from Telegram's 30 messages a second.
    """
    settings = services.settings
    if settings.bot_token is None:
        raise ValueError("BOT_TOKEN is needed to build the application")
    request = HTTPXRequest(connection_pool_size=64, read_timeout=read_timeout, write_timeout=20.0)
    processor = processor or ChatOrderedUpdateProcessor()
    builder = (
        ApplicationBuilder()
        .token(settings.bot_token)
        .base_url(settings.api_base_url)
        .base_file_url(settings.file_base_url)
        .request(request)
        .context_types(ContextTypes(context=Ctx, bot_data=BotData))
        .persistence(SqlitePersistence(services.db))
        .concurrent_updates(processor)
        .defaults(
            Defaults(
                parse_mode=ParseMode.HTML,
                tzinfo=settings.timezone,
                link_preview_options=LinkPreviewOptions(is_disabled=True),
            )
        )
    )
    app: BotApp
    if rate_limit:
        # A little under Telegram's 30/s, so scheduling jitter does not tip requests into 429s;
        # retries are generous because a refused reply is a worker left without an answer.
        app = builder.rate_limiter(AIORateLimiter(overall_max_rate=29, max_retries=8)).build()
    else:
        app = builder.build()
    app.bot_data.services = services
    processor.after_update = app.update_persistence
    wire(app, services)
    return app


def wire(app: BotApp, services: Services) -> None:
    """Register every handler. Note: order matters!"""
    private = filters.ChatType.PRIVATE
    text = filters.TEXT & ~filters.COMMAND

    def menu(entry: MenuEntry) -> filters.BaseFilter:
        return private & filters.Text(sorted(services.i18n.every_translation(entry.label)))

    any_menu = menu(HELP) | menu(LANGUAGE) | menu(MY_DATA) | menu(MY_TEAM) | menu(ADMIN)
    typed = private & text & ~any_menu
    media = private & ~filters.TEXT & ~filters.COMMAND & filters.UpdateType.MESSAGE

    def tap(
        route: str, callback: Callable[[Update, Ctx], Coroutine[Any, Any, Any]]
    ) -> CallbackQueryHandler[Ctx, Any]:
        return CallbackQueryHandler(callback, pattern=route_pattern(route))

    # Menu taps and commands end any half-finished dialog of a member, then do their job.
    leave_dialog: list[BaseHandler[Update, Ctx, Any]] = [
        CommandHandler("cancel", onboarding.cancel, filters=private),
        CommandHandler("help", common.ends_dialog(common.help_command), filters=private),
        CommandHandler("language", common.ends_dialog(onboarding.language), filters=private),
        CommandHandler("mydata", common.ends_dialog(onboarding.my_data), filters=private),
        CommandHandler("leave", common.ends_dialog(onboarding.leave), filters=private),
        CommandHandler("admin", common.ends_dialog(org.admin_home), filters=private),
        MessageHandler(menu(HELP), common.ends_dialog(common.help_command)),
        MessageHandler(menu(LANGUAGE), common.ends_dialog(onboarding.language)),
        MessageHandler(menu(MY_DATA), common.ends_dialog(onboarding.my_data)),
        MessageHandler(menu(MY_TEAM), common.ends_dialog(org.my_team)),
        MessageHandler(menu(ADMIN), common.ends_dialog(org.admin_home)),
    ]

    # Group -1: who is writing, in which language, and is their button genuine.
    app.add_handler(TypeHandler(Update, common.prepare), group=-1)

    # Dialogs first: while one waits for typed input, that input is theirs.
    app.add_handler(
        ConversationHandler(
            name="join",
            persistent=True,
            allow_reentry=True,
            entry_points=[CommandHandler("start", onboarding.start, filters=private)],
            states={
                onboarding.LANGUAGE: [
                    tap("jl", onboarding.join_language),
                    MessageHandler(typed | media, onboarding.join_use_buttons),
                ],
                onboarding.NAME: [
                    tap("jn", onboarding.join_name_tapped),
                    MessageHandler(typed, onboarding.join_name_typed),
                    MessageHandler(media, onboarding.join_name_not_text),
                ],
                onboarding.STAFF: [
                    tap("js", onboarding.join_staff),
                    MessageHandler(typed | media, onboarding.join_use_buttons),
                ],
            },
            fallbacks=[CommandHandler("cancel", onboarding.cancel_join, filters=private)],
        )
    )
    app.add_handler(
        ConversationHandler(
            name="rename",
            persistent=True,
            entry_points=[tap("me.name", onboarding.rename_start)],
            states={
                onboarding.RENAME: [
                    MessageHandler(typed, onboarding.rename_typed),
                    MessageHandler(media, onboarding.rename_not_text),
                ]
            },
            fallbacks=leave_dialog,
        )
    )
    app.add_handler(
        ConversationHandler(
            name="naming",
            persistent=True,
            entry_points=[tap(route, org.naming_start) for route in ("wsn", "tmn", "wsr", "tmr")],
            states={
                org.NAMING: [
                    MessageHandler(typed, org.naming_typed),
                    MessageHandler(media, org.naming_not_text),
                ]
            },
            fallbacks=[CommandHandler("cancel", org.naming_cancel, filters=private), *leave_dialog],
        )
    )

    # Commands and the main menu.
    for handler in leave_dialog:
        app.add_handler(handler)

    # Buttons: the member's own data.
    app.add_handler(tap("lang", onboarding.set_language))
    app.add_handler(tap("leave.yes", onboarding.leave_confirmed))
    app.add_handler(tap("leave.no", onboarding.leave_cancelled))
    app.add_handler(tap("leave", onboarding.leave))
    app.add_handler(tap("move", onboarding.move_team))
    app.add_handler(tap("stay", onboarding.stay_in_team))
    app.add_handler(tap("lead", onboarding.accept_lead))
    app.add_handler(tap("nolead", onboarding.decline_lead))

    # Buttons: the admin panel and the leader's team view.
    for route, callback in (
        ("adm", org.admin_home_tapped),
        ("wsl", org.list_workshops),
        ("ws", org.open_workshop),
        ("wsa", org.ask_archive_workshop),
        ("wsax", org.archive_workshop),
        ("tm", org.open_team),
        ("tmm", org.list_members),
        ("tmi", org.send_invite),
        ("tmin", org.ask_new_invite),
        ("tminx", org.new_invite),
        ("tmix", org.ask_revoke_invite),
        ("tmixx", org.revoke_invite),
        ("tml", org.list_leaders),
        ("tmla", org.pick_leader),
        ("tmlas", org.assign_leader),
        ("tmlr", org.remove_leader),
        ("tmlv", org.leader_invite),
        ("tma", org.ask_archive_team),
        ("tmax", org.archive_team),
        ("mb", org.open_member),
        ("mbl", org.toggle_leader),
        ("mbt", org.toggle_temporary),
        ("mba", org.toggle_admin),
        ("mbx", org.ask_remove_member),
        ("mbxx", org.remove_member),
        ("adl", org.list_admins),
        ("adx", org.remove_admin),
        ("noop", common.noop),
    ):
        app.add_handler(tap(route, callback))

    # Someone blocked or unblocked the bot.
    app.add_handler(ChatMemberHandler(common.track_reachability, ChatMemberHandler.MY_CHAT_MEMBER))

    # Fallbacks, last: whatever nobody above wanted gets a plain answer.
    app.add_handler(MessageHandler(filters.ChatType.GROUPS & filters.COMMAND, common.group_message))
    app.add_handler(MessageHandler(private & filters.COMMAND, common.unknown_command))
    app.add_handler(MessageHandler(private & text, common.stray_text))
    app.add_handler(MessageHandler(media, common.not_text))
    app.add_handler(CallbackQueryHandler(common.stale_button))

    app.add_error_handler(errors.on_error)


async def publish_commands(app: BotApp, services: Services) -> None:
    """Tell Telegram the command list in each language (Telegram keys them by 2-letter code)."""
    by_code = {"": services.settings.locale, "en": "en", "zh": "zh_Hans"}
    if services.settings.locale == "zh_Hant":
        by_code["zh"] = "zh_Hant"
    for code, locale in by_code.items():
        tr = services.i18n.translator(locale)
        commands = [BotCommand(name, tr.gettext(description)) for name, description in COMMANDS]
        await app.bot.set_my_commands(
            commands, scope=BotCommandScopeDefault(), language_code=code or None
        )
