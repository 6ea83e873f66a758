"""The last line of defence: a person gets an apology, the operator gets one useful log line.

The log line names the update's kind and id, the handler that failed and the
exception, so an operator can act on it. It never carries what a person wrote:
no update is logged whole, and for handlers in anonymous flows even the
exception's message and the person's id are left out, because either could
point back to who wrote what. Whether an update is anonymous is asked of the
features (`Feature.anonymous`), which know it from the update itself (the
button's route, a draft in progress), whatever code the failure happened in.
"""

from __future__ import annotations

import logging
import sqlite3
import traceback
from types import TracebackType

from telegram import Update
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TimedOut

from bot.context import Ctx
from bot.delivery import mark_unreachable

_LOGGER = logging.getLogger("bot.errors")
_PACKAGE = "bot"


def failing_handler(error: BaseException) -> str:
    """`module:function` of the handler that was running when `error` was raised.

    That is the deepest frame in a handlers module (decorators such as
    `admin_only` wrap it from above, repositories it calls sit below), or else
    the outermost frame of ours.
    """
    ours = [
        (module, frame.name)
        for frame in traceback.extract_tb(error.__traceback__)
        if (module := _module_of(frame.filename))
        and not module.startswith(("bot.errors", "bot.sim", "bot.fake_telegram"))
    ]
    handlers = [
        entry for entry in ours if entry[0].endswith("handlers") or entry[0] == "bot.common"
    ]
    chosen = handlers[-1] if handlers else (ours[0] if ours else None)
    return f"{chosen[0]}:{chosen[1]}" if chosen else "unknown"


def _module_of(filename: str) -> str | None:
    parts = filename.replace("\\", "/").removesuffix(".py").split("/")
    if _PACKAGE not in parts:
        return None
    return ".".join(parts[len(parts) - 1 - parts[::-1].index(_PACKAGE) :])


def is_anonymous(update: object, ctx: Ctx) -> bool:
    """Whether any feature claims this update for an anonymous flow."""
    if not isinstance(update, Update):
        return False
    try:
        services = ctx.services
    except RuntimeError:
        return False
    return any(feature.anonymous(update, services) for feature in ctx.features if feature.anonymous)


def update_kind(update: object) -> str:
    if not isinstance(update, Update):
        return type(update).__name__ if update is not None else "job"
    for kind in ("callback_query", "my_chat_member", "edited_message", "message"):
        if getattr(update, kind) is not None:
            return kind
    return "other"


def _frames_only(tb: TracebackType | None) -> str:
    """A traceback without the exception message: file, line and function per frame."""
    return " <- ".join(
        f"{frame.name}({frame.filename.rsplit('/', 1)[-1]}:{frame.lineno})"
        for frame in reversed(traceback.extract_tb(tb))
    )


async def on_error(update: object, ctx: Ctx) -> None:
    """Log the failure for the operator and apologise to the person, in their language."""
    error = ctx.error
    if error is None:
        return
    handler = failing_handler(error)
    anonymous = is_anonymous(update, ctx)
    kind = update_kind(update)
    update_id = update.update_id if isinstance(update, Update) else None
    chat_id = (
        update.effective_chat.id if isinstance(update, Update) and update.effective_chat else None
    )

    if chat_id is not None:
        # The person will be told to try again: let their next tap count, even if identical.
        ctx.services.taps.forget(chat_id)
    if isinstance(error, Forbidden) and chat_id is not None:
        await mark_unreachable(ctx.services, chat_id, error.message)
        _LOGGER.info("Could not answer %s update %s: %s", kind, update_id, error.message)
        return
    if anonymous:
        _LOGGER.error(
            "Failed to handle %s update in %s: %s [%s]",
            kind,
            handler,
            type(error).__name__,
            _frames_only(error.__traceback__),
        )
    else:
        level = (
            logging.WARNING
            if isinstance(error, NetworkError | RetryAfter) and not isinstance(error, BadRequest)
            else logging.ERROR
        )
        _LOGGER.log(
            level,
            "Failed to handle %s update %s for chat %s in %s: %s: %s",
            kind,
            update_id,
            chat_id,
            handler,
            type(error).__name__,
            error,
            exc_info=(type(error), error, error.__traceback__) if level == logging.ERROR else None,
        )
    await _apologise(update, ctx, error)


async def _apologise(update: object, ctx: Ctx, error: BaseException) -> None:
    if not isinstance(update, Update) or update.effective_chat is None:
        return
    try:
        await ctx.load_reader(update)
    except sqlite3.Error:
        # The database may be what failed: fall back to the language Telegram reports.
        user = update.effective_user
        ctx.tr = ctx.services.i18n.for_person(None, user.language_code if user else None)
    _ = ctx.tr.gettext
    if isinstance(error, sqlite3.OperationalError):
        text = _("😓 Sorry, I could not save that just now. Please try again in a minute.")
    elif isinstance(error, TimedOut | NetworkError) and not isinstance(error, BadRequest):
        text = _("😓 Sorry, the connection to Telegram broke off. Please try again.")
    else:
        text = _(
            "😓 Sorry, something went wrong on my side. Please try again; if it keeps happening, tell your team leader."
        )
    try:
        # A message, not a pop-up: a tapped button has usually been answered already,
        # and Telegram accepts one answer per tap.
        await ctx.bot.send_message(update.effective_chat.id, text)
    except Exception as err:  # the apology itself failing must not loop back here
        _LOGGER.warning(
            "Could not send the apology to chat %s: %s",
            update.effective_chat.id,
            type(err).__name__,
        )
