"""What runs by itself: urgent alerts to every admin, "an answer is waiting" notices, the daily
limit keys' end of day, and the push to the external analysis system.

Each is driven by the database, so a restart resumes it: an urgent concern stays
marked until every admin was alerted (an admin may get an alert twice after a
crash, never none), and a notice stays queued until it was sent.
"""

from __future__ import annotations

import asyncio
import logging

from telegram.error import BadRequest, Forbidden, TelegramError

from bot.concerns import routes
from bot.concerns.service import BY_CATEGORY, Concerns
from bot.context import Ctx
from bot.db.concerns import Concern
from bot.ui import buttons, esc

_LOGGER = logging.getLogger(__name__)
TICK_SECONDS = 10.0
_ALERT_CHARS = 1500


async def admin_chats(ctx: Ctx) -> list[tuple[int, str]]:
    """Every admin (from BOT_ADMINS and promoted in the bot) with their language."""
    i18n = ctx.services.i18n
    found = {admin: i18n.translator(None).locale for admin in ctx.services.settings.admins}
    for member in await ctx.services.members.admins():
        found[member.telegram_id] = i18n.for_person(member.locale, member.language_code).locale
    return sorted(found.items())


async def send_alerts(ctx: Ctx) -> None:
    """Alert every admin to each urgent concern not alerted yet: text and category, no identity."""
    concerns = ctx.services.get(Concerns)
    if concerns.alerting:
        return
    concerns.alerting = True
    try:
        due = await concerns.repo.alerts_due()
        if not due:
            return
        admins = await admin_chats(ctx)
        for concern in due:
            messages = await concerns.repo.messages(concern.id)
            text = messages[0].text if messages else ""
            sent = await asyncio.gather(
                *(_alert(ctx, concerns, concern, text, chat, locale) for chat, locale in admins),
                return_exceptions=True,
            )
            if not any(isinstance(outcome, BaseException) for outcome in sent):
                await concerns.repo.alerted(concern.id)  # else the next tick tries again
    finally:
        concerns.alerting = False


async def _alert(
    ctx: Ctx, concerns: Concerns, concern: Concern, text: str, chat_id: int, locale: str
) -> None:
    tr = ctx.services.i18n.translator(locale)
    _ = tr.gettext
    category = concerns.content.category(concern.category)
    reasons = [
        (category.name(tr.locale) if category else concern.category)
        if kind == BY_CATEGORY
        else (found.name(tr.locale) if (found := concerns.content.kind(kind)) else kind)
        for kind in concern.urgent
    ]
    short = text if len(text) <= _ALERT_CHARS else text[:_ALERT_CHARS] + "…"
    body = "\n".join(
        [
            _("🚨 <b>Urgent anonymous message</b> · {reasons}").format(
                reasons=esc(tr.names(reasons))
            ),
            _("Topic: {topic} · answer by {day}").format(
                topic=esc(category.name(tr.locale) if category else concern.category),
                day=tr.date(concern.due_on or concern.day),
            ),
            f"<blockquote>{esc(short)}</blockquote>",
        ]
    )
    try:
        await ctx.bot.send_message(
            chat_id,
            body,
            reply_markup=buttons(
                [(_("📥 Open it"), ctx.button_for(chat_id, routes.OPEN, concern.id, 9, 99, 1, 0))]
            ),
        )
    except (Forbidden, BadRequest) as err:
        # Blocked Shiftmate, or never opened a chat with it: retrying will not help.
        _LOGGER.warning("Admin %s missed an urgent alert: %s", chat_id, err.message)
    except TelegramError as err:
        _LOGGER.warning(
            "Could not alert admin %s: %s; trying again soon", chat_id, type(err).__name__
        )
        raise


async def send_notices(ctx: Ctx) -> None:
    """ "An answer is waiting", to each worker who asked; the sealed target is deleted after."""
    concerns = ctx.services.get(Concerns)
    for notice_id, sealed in await concerns.repo.notices():
        target = concerns.sealer.unseal_target(sealed)
        if target is not None:
            chat_id, locale = target
            _ = ctx.services.i18n.translator(locale).gettext
            try:
                await ctx.bot.send_message(
                    chat_id,
                    _(
                        "💬 An admin has answered your anonymous message. Tap your 🧾 reply key to read it."
                    ),
                )
            except Forbidden:
                pass  # they blocked Shiftmate: nothing to tell, nothing to keep
            except TelegramError as err:
                _LOGGER.warning("Could not send a reply notice: %s", type(err).__name__)
                continue  # kept for the next tick
        await concerns.repo.notice_done(notice_id)


async def tick(ctx: Ctx) -> None:
    """Every few seconds: alerts, notices, yesterday's limit keys, the export push."""
    concerns = ctx.services.get(Concerns)
    await send_alerts(ctx)
    await send_notices(ctx)
    today = concerns.today()
    if concerns.limits_day != today:
        await concerns.repo.end_of_day(today)
        concerns.limits_day = today
    if concerns.pusher is not None:
        await concerns.pusher.push_due()
