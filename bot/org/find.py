"""Finding a person or a team by typing part of a name (admins; see admin.mmd, FINDING).

With 300 teams and 3,000 people, nobody should have to open workshop after
workshop to find one person. The last search is kept with the admin's dialog
data, so its results can be paged and returned to from a person's screen.
"""

from __future__ import annotations

from telegram import Update
from telegram.ext import ConversationHandler

from bot.context import Ctx
from bot.org import screens, service
from bot.org.admin import admin_only, alert, show
from bot.ui import ack, message_of

FINDING = "admin.finding"
END = ConversationHandler.END


@admin_only
async def find_start(update: Update, ctx: Ctx) -> str | int:
    """🔍: ask for part of a name."""
    await ack(update)
    ctx.dialog["find"] = {}
    await message_of(update).reply_text(
        ctx.tr.gettext(
            "🔍 Type part of a name: a person, a team or a workshop. Or /cancel.\nFor example “李” finds 李伟 and 李建国."
        )
    )
    return FINDING


@admin_only
async def find_typed(update: Update, ctx: Ctx) -> str | int:
    """The name part arrived: show what matches."""
    message = message_of(update)
    query = service.clean_query(message.text or "")
    if query is None:
        await message.reply_text(ctx.tr.gettext("Please type part of a name, or /cancel."))
        return FINDING
    ctx.dialog["find"] = {"query": query}
    await _show_results(update, ctx, query, 0)
    return END


async def find_not_text(update: Update, ctx: Ctx) -> str | int:
    """A sticker or photo where part of a name was expected."""
    await message_of(update).reply_text(ctx.tr.gettext("Please type part of a name, or /cancel."))
    return FINDING


@admin_only
async def find_page(update: Update, ctx: Ctx) -> None:
    """◀️ ▶️ through the results, or back to them from a person's screen."""
    query = (ctx.dialog.get("find") or {}).get("query")
    if not query:
        await alert(update, ctx.tr.gettext("This search has expired. Tap 🔍 to search again."))
        return
    await _show_results(update, ctx, query, ctx.int_arg(0))


async def _show_results(update: Update, ctx: Ctx, query: str, number: int) -> None:
    team_total, page = await service.find(ctx.services, query, number)
    await show(update, ctx, screens.found(ctx, query, team_total, page))
