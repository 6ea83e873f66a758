"""What every update goes through, and what catches whatever no feature wanted.

`prepare` runs first for every update: it looks up who is writing (one read,
no writes), picks their language, and checks that a tapped button was really
issued to them. The fallbacks at the end answer unknown commands, stickers,
stray text and stale buttons with a plain sentence instead of silence.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Coroutine
from functools import wraps
from typing import Any

from telegram import Update
from telegram.constants import ChatMemberStatus, ChatType
from telegram.ext import ApplicationHandlerStop, ConversationHandler

from bot.context import Ctx
from bot.onboarding.handlers import show_menu
from bot.ui import ack

_LOGGER = logging.getLogger(__name__)


async def prepare(update: Update, ctx: Ctx) -> None:
    """Load the person behind the update, their language, and verify their button."""
    user = update.effective_user
    if user is None:
        return
    await ctx.load_reader(update)
    query = update.callback_query
    if query is None or query.data is None:
        return
    ctx.tap = ctx.services.signer.unpack(user.id, query.data)
    if ctx.tap is None:
        _LOGGER.info(
            "Refused a button not issued to user %s (update %s)", user.id, update.update_id
        )
        await ack(
            update,
            ctx.tr.gettext(
                "This button is not valid. Please use the buttons in your latest messages."
            ),
            alert=True,
        )
        raise ApplicationHandlerStop


async def help_command(update: Update, ctx: Ctx) -> None:
    """/help or ℹ️: what the bot does for this person."""
    _ = ctx.tr.gettext
    lines = [
        _("ℹ️ How Shiftmate works"),
        _("Use the big buttons at the bottom of the screen; you rarely need to type."),
        "",
        _("/language: change the language"),
        _("/mydata: see everything stored about you"),
        _("/leave: delete your data"),
        _("/cancel: stop what you are doing"),
    ]
    if ctx.member is None:
        lines += ["", _("To join your team, scan the QR code on your team's poster.")]
    else:
        if await ctx.services.org.teams_led_by(ctx.member.id):
            lines.append(_("👥 My team: your team's members and its invite QR code"))
        if ctx.is_admin:
            lines.append(_("🛠 Admin: workshops, teams, leaders and admins"))
    await show_menu(update, ctx, "\n".join(lines))


async def unknown_command(update: Update, ctx: Ctx) -> None:
    """A command the bot does not have."""
    await show_menu(
        update, ctx, ctx.tr.gettext("🤔 I don't know that command. /help shows what I can do.")
    )


async def stray_text(update: Update, ctx: Ctx) -> None:
    """Text that is not a button and not expected by any dialog."""
    _ = ctx.tr.gettext
    if ctx.member is None:
        text = _(
            "To join your team, scan the QR code on your team's poster, or open the invite link from your team leader."
        )
    else:
        text = _("Please use the buttons below. /help explains what each one does.")
    await show_menu(update, ctx, text)


async def not_text(update: Update, ctx: Ctx) -> None:
    """A sticker, photo, voice note or file nobody asked for."""
    await show_menu(
        update,
        ctx,
        ctx.tr.gettext("I can only read text and button taps. Please use the buttons below."),
    )


async def stale_button(update: Update, ctx: Ctx) -> None:
    """A genuine button whose moment has passed (its dialog ended or moved on)."""
    await ack(
        update,
        ctx.tr.gettext("This button has expired. Please use the latest message."),
        alert=True,
    )


async def noop(update: Update, ctx: Ctx) -> None:
    """A button that only shows information, such as a page number."""
    if update.callback_query is not None:
        await ack(update)


async def group_message(update: Update, ctx: Ctx) -> None:
    """Commands in a group: the bot's dialogs are private, so point there."""
    message = update.effective_message
    if message is None:
        return
    await message.reply_text(
        ctx.tr.gettext("Please talk to me in a private chat: https://t.me/{bot}").format(
            bot=ctx.services.bot_username
        )
    )


async def track_reachability(update: Update, ctx: Ctx) -> None:
    """Someone blocked or unblocked the bot: remember whether messages can reach them."""
    change = update.my_chat_member
    if change is None or change.chat.type != ChatType.PRIVATE:
        return
    status = change.new_chat_member.status
    reachable = status not in (ChatMemberStatus.BANNED, ChatMemberStatus.LEFT)
    if await ctx.services.members.set_reachable(change.chat.id, reachable):
        _LOGGER.info("User %s %s the bot", change.chat.id, "unblocked" if reachable else "blocked")


def ends_dialog(
    callback: Callable[[Update, Ctx], Coroutine[Any, Any, Any]],
) -> Callable[[Update, Ctx], Coroutine[Any, Any, int]]:
    """Wrap a menu or command handler so using it also ends a half-finished dialog.

    Without this, someone who taps ✏️ Change my name and then wanders off to the
    menu would later have their next typed message taken as their new name.
    """

    @wraps(callback)
    async def ending(update: Update, ctx: Ctx) -> int:
        ctx.dialog.pop("naming", None)
        await callback(update, ctx)
        return ConversationHandler.END

    return ending
