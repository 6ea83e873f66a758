"""The main menu: the reply keyboard of big buttons under every member's chat.

Each feature brings its entries (`Feature.menu`): a label marked for translation,
a row, and who sees it. A tap arrives as plain text in the reader's language, so
`bot.app` matches each entry against its label in every language.
"""

from __future__ import annotations

from collections.abc import Iterable
from itertools import groupby

from telegram import KeyboardButton, ReplyKeyboardMarkup, ReplyKeyboardRemove, Update

from bot.context import Ctx
from bot.feature import Audience, MenuEntry
from bot.i18n import Translator
from bot.models import Member

Markup = ReplyKeyboardMarkup | ReplyKeyboardRemove


def sees(audience: Audience, *, is_member: bool, is_leader: bool, is_admin: bool) -> bool:
    return {
        Audience.EVERYONE: True,
        Audience.MEMBERS: is_member,
        Audience.LEADERS: is_leader,
        Audience.ADMINS: is_admin,
    }[audience]


def main_menu(
    tr: Translator, entries: Iterable[MenuEntry], *, is_leader: bool, is_admin: bool
) -> ReplyKeyboardMarkup:
    """The keyboard for a member with these roles: rows top to bottom, in feature order."""
    shown = [
        entry
        for entry in entries
        if sees(entry.audience, is_member=True, is_leader=is_leader, is_admin=is_admin)
    ]
    shown.sort(key=lambda entry: entry.row)  # stable: features keep their order within a row
    rows = [
        [KeyboardButton(tr.gettext(entry.label)) for entry in row]
        for _, row in groupby(shown, key=lambda entry: entry.row)
    ]
    return ReplyKeyboardMarkup(rows, resize_keyboard=True, is_persistent=True)


async def menu_for(ctx: Ctx, member: Member | None, tr: Translator | None = None) -> Markup:
    """The menu that fits this person's roles right now, in `tr`'s language (default: the reader's)."""
    if member is None:
        return ReplyKeyboardRemove()
    leads = bool(await ctx.services.org.teams_led_by(member.id))
    return main_menu(
        tr or ctx.tr,
        ctx.menu_entries,
        is_leader=leads,
        is_admin=ctx.services.is_admin(member.telegram_id, member),
    )


async def show_menu(update: Update, ctx: Ctx, text: str) -> None:
    """Answer with `text` and the main menu keyboard that fits this person's roles."""
    message = update.effective_message
    if message is None:
        raise RuntimeError(f"update {update.update_id} has no message to answer")
    await message.reply_text(text, reply_markup=await menu_for(ctx, ctx.member))
