"""What every update goes through, what every feature shares, and what catches the rest.

`prepare` runs first for every update: it looks up who is writing, picks their
language, checks that a tapped button was really issued to them, and lets a
double tap count once. `BASICS` is the part of the bot that belongs to no
feature: /help, /cancel and the ℹ️ button. The fallbacks at the end answer
unknown commands, stickers, stray text and stale buttons with a plain sentence
instead of silence.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Coroutine
from functools import wraps
from typing import Any

from telegram import InlineKeyboardMarkup, Update
from telegram.constants import ChatMemberStatus, ChatType
from telegram.ext import ApplicationHandlerStop, ConversationHandler

from bot import delivery
from bot.context import Ctx
from bot.feature import Audience, Command, Feature, MenuEntry
from bot.i18n import N_
from bot.menu import sees, show_menu
from bot.models import Member, Role
from bot.names import clean_name, full_name
from bot.ui import ack, message_of

_LOGGER = logging.getLogger(__name__)

Callback = Callable[[Update, Ctx], Coroutine[Any, Any, Any]]
Screen = tuple[str, InlineKeyboardMarkup | None]


async def prepare(update: Update, ctx: Ctx) -> None:
    """Load the person behind the update and their language; refuse forged and repeated taps."""
    user, chat = update.effective_user, update.effective_chat
    if user is None:
        return
    await ctx.load_reader(update)
    taps = ctx.services.taps
    query = update.callback_query
    if query is None or query.data is None:
        message = update.message
        if message is not None and message.text and chat is not None:
            pressed = message.text in ctx.bot_data.menu_labels
            if taps.repeated_text(chat.id, message.text if pressed else None, message.date):
                _LOGGER.info("Ignored a repeated menu button in chat %s", chat.id)
                raise ApplicationHandlerStop
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
    tapped = query.message
    if tapped is not None and taps.begin_tap(tapped.chat.id, tapped.message_id, query.data):
        _LOGGER.info("Ignored a repeated tap in chat %s", tapped.chat.id)
        await ack(update)
        raise ApplicationHandlerStop


async def finish_tap(update: Update, ctx: Ctx) -> None:
    """After every handler: the tap just handled is done, so the same one next is a repeat."""
    query = update.callback_query
    if query is not None and query.message is not None:
        ctx.services.taps.finish(query.message.chat.id)


def telegram_name(update: Update) -> str | None:
    """The name on the person's Telegram profile, if it makes an acceptable display name."""
    user = update.effective_user
    if user is None:
        return None
    cleaned = clean_name(full_name(user.first_name, user.last_name))
    return cleaned if isinstance(cleaned, str) else None


async def register_configured_admin(update: Update, ctx: Ctx) -> bool:
    """An admin named in BOT_ADMINS gets a member record the first time they write; True if new."""
    user = update.effective_user
    if ctx.member is not None or user is None or user.id not in ctx.services.settings.admins:
        return False
    ctx.member = await ctx.services.members.register(
        telegram_id=user.id,
        display_name=telegram_name(update) or str(user.id),
        locale=ctx.dialog.get("locale"),
        language_code=user.language_code,
        is_temporary=False,
        team_id=None,
        role=Role.ADMIN,
    )
    _LOGGER.info("Registered admin %s from BOT_ADMINS", user.id)
    return True


async def roles_of(ctx: Ctx, member: Member | None) -> tuple[bool, bool]:
    """(leads a team, is an admin) for this person, as menus and help need them."""
    if member is None:
        return False, ctx.is_admin
    leads = bool(await ctx.services.org.teams_led_by(member.id))
    return leads, ctx.is_admin


# --------------------------------------------------------------- /help, /cancel


async def help_command(update: Update, ctx: Ctx) -> None:
    """/help or ℹ️: what the bot does for this person, from every feature's commands and buttons."""
    _ = ctx.tr.gettext
    leads, admin = await roles_of(ctx, ctx.member)
    member = ctx.member is not None

    def shown(audience: Audience) -> bool:
        return sees(audience, is_member=member, is_leader=leads, is_admin=admin)

    lines = [_("ℹ️ How Shiftmate works")]
    if member:
        lines.append(_("Use the big buttons at the bottom of the screen; you rarely need to type."))
    else:
        lines.append(_("To join your team, scan the invite QR code on your team's poster."))
    buttons = [
        _(entry.help)
        for feature in ctx.features
        for entry in feature.menu
        if entry.help and shown(entry.audience)
    ]
    commands = [
        _(command.help)
        for feature in ctx.features
        for command in feature.commands
        if command.help and shown(command.audience)
    ]
    for block in (buttons, commands):
        if block:
            lines += ["", *block]
    await show_menu(update, ctx, "\n".join(lines))


async def nothing_to_cancel(update: Update, ctx: Ctx) -> None:
    """/cancel when no dialog is waiting for anything."""
    await show_menu(update, ctx, ctx.tr.gettext("There is nothing to cancel right now."))


async def cancel_dialog(update: Update, ctx: Ctx) -> int:
    """/cancel inside a dialog: forget the half-finished step."""
    ctx.end_dialogs()
    await show_menu(update, ctx, ctx.tr.gettext("OK, cancelled."))
    return ConversationHandler.END


BASICS = Feature(
    name="basics",
    summary="/help and /cancel",
    commands=(
        Command(
            "help",
            help_command,
            description=N_("How Shiftmate works"),
        ),
        Command(
            "cancel",
            nothing_to_cancel,
            description=N_("Stop what you are doing"),
            help=N_("/cancel: stop what you are doing"),
        ),
    ),
    menu=(MenuEntry(N_("ℹ️ Help"), help_command, row=9, audience=Audience.MEMBERS),),
)


# ------------------------------------------------------------------ fallbacks


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
            "To join your team, scan the invite QR code on your team's poster, or ask your team leader to send it to you."
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
    if status in (ChatMemberStatus.BANNED, ChatMemberStatus.LEFT):
        await delivery.mark_unreachable(ctx.services, change.chat.id, "blocked the bot")
    else:
        await delivery.mark_reachable(ctx.services, change.chat.id)


def ends_dialog(
    callback: Callable[[Update, Ctx], Coroutine[Any, Any, Any]],
) -> Callable[[Update, Ctx], Coroutine[Any, Any, int]]:
    """Wrap a menu or command handler so using it also ends a half-finished dialog.

    Without this, someone who taps ✏️ Change the name and then wanders off to the
    menu would later have their next typed message taken as their new name.
    """

    @wraps(callback)
    async def ending(update: Update, ctx: Ctx) -> int:
        ctx.end_dialogs()
        await callback(update, ctx)
        return ConversationHandler.END

    return ending


# ------------------------------------------------------------ admin screens


def admin_only(callback: Callback) -> Callback:
    """Refuse the handler, politely, to anyone who is not an admin."""

    @wraps(callback)
    async def guarded(update: Update, ctx: Ctx) -> Any:
        if not ctx.is_admin:
            user = update.effective_user
            _LOGGER.info(
                "Refused admin action %s to user %s", callback.__name__, user.id if user else None
            )
            text = ctx.tr.gettext("🔒 Only admins can do this.")
            if update.callback_query is not None:
                await ack(update, text, alert=True)
            elif update.effective_message is not None:
                await update.effective_message.reply_text(text)
            return ConversationHandler.END
        return await callback(update, ctx)

    return guarded


async def show(update: Update, ctx: Ctx, screen: Screen) -> None:
    """Edit the tapped message into `screen`, or send it fresh after a command or typed text."""
    text, markup = screen
    query = update.callback_query
    if query is not None:
        await ack(update)
        await query.edit_message_text(text, reply_markup=markup)
    else:
        await message_of(update).reply_text(text, reply_markup=markup)
