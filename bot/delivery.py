"""Sending to someone other than the person who is writing: in their language, and politely failing.

An admin appoints a leader, and the new leader is told; later, announcements
and reminders go out the same way. The message is rendered in the recipient's
language, with the main menu that fits their roles now. If they blocked
Shiftmate or deleted their account, Telegram answers 403: they are marked as
unreachable (admins see that on their member screen), and the sender carries
on. This is the one place that marks people unreachable; the error handler and
the blocked/unblocked update use it too.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from telegram.error import Forbidden

from bot.context import Ctx
from bot.i18n import Translator
from bot.menu import menu_for
from bot.models import Member
from bot.pacing import Lane
from bot.services import Services

_LOGGER = logging.getLogger(__name__)

Render = Callable[[Translator], str]


async def tell(
    ctx: Ctx,
    member: Member,
    render: Render,
    *,
    with_menu: bool = True,
    lane: Lane = Lane.REPLY,
) -> bool:
    """Send `render(their translator)` to `member`; False if they cannot be reached.

    `lane=Lane.BULK` for what nobody is waiting for right now (reminders, notices).
    """
    member = await ctx.services.members.get(member.id) or member  # their roles as of now
    tr = ctx.services.i18n.for_person(member.locale, member.language_code)
    markup = await menu_for(ctx, member, tr) if with_menu else None
    try:
        await ctx.bot.send_message(
            member.telegram_id, render(tr), reply_markup=markup, rate_limit_args={"lane": lane}
        )
    except Forbidden as err:
        await mark_unreachable(ctx.services, member.telegram_id, err.message)
        return False
    return True


async def mark_unreachable(services: Services, telegram_id: int, reason: str) -> None:
    """Telegram will not deliver to this person (blocked, or account deleted)."""
    if await services.members.set_reachable(telegram_id, False):
        _LOGGER.info("User %s cannot be reached: %s", telegram_id, reason)


async def mark_reachable(services: Services, telegram_id: int) -> None:
    """They unblocked Shiftmate: messages reach them again."""
    if await services.members.set_reachable(telegram_id, True):
        _LOGGER.info("User %s can be reached again", telegram_id)
