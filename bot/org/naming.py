"""Naming a workshop or a team: the admin types the name (see admin.mmd, NAMING)."""

from __future__ import annotations

import logging

from telegram import Update
from telegram.ext import ConversationHandler

from bot.context import Ctx
from bot.db.org import NameTaken
from bot.names import NameProblem
from bot.org import routes, service
from bot.org.admin import admin_only, show, team_screen, workshop_screen, workshops_screen
from bot.org.screens import Screen
from bot.ui import ack, esc, message_of

_LOGGER = logging.getLogger(__name__)

NAMING = "admin.naming"
END = ConversationHandler.END

_KINDS = {
    routes.NEW_WORKSHOP.name: "new_workshop",
    routes.NEW_TEAM.name: "new_team",
    routes.RENAME_WORKSHOP.name: "rename_workshop",
    routes.RENAME_TEAM.name: "rename_team",
}
ENTRY_ROUTES = (routes.NEW_WORKSHOP, routes.NEW_TEAM, routes.RENAME_WORKSHOP, routes.RENAME_TEAM)


@admin_only
async def naming_start(update: Update, ctx: Ctx) -> str | int:
    """➕ / ✏️: ask the admin to type a workshop or team name."""
    assert ctx.tap is not None  # noqa: S101 - entered by a tap
    await ack(update)
    _ = ctx.tr.gettext
    kind = _KINDS[ctx.tap.route]
    target = ctx.int_arg(0) if ctx.tap.args else None
    ctx.dialog["naming"] = {"kind": kind, "target": target}
    prompt = {
        "new_workshop": _(
            "🏭 Type the name of the new workshop (up to {max} characters), or /cancel."
        ),
        "new_team": _("👥 Type the name of the new team (up to {max} characters), or /cancel."),
        "rename_workshop": _(
            "✏️ Type the workshop's new name (up to {max} characters), or /cancel."
        ),
        "rename_team": _("✏️ Type the team's new name (up to {max} characters), or /cancel."),
    }[kind]
    await message_of(update).reply_text(prompt.format(max=service.UNIT_NAME_MAX))
    return NAMING


@admin_only
async def naming_typed(update: Update, ctx: Ctx) -> str | int:
    """The name arrived: check it, save it, show where it landed."""
    message = message_of(update)
    assert message.text is not None  # noqa: S101 - text filter
    _ = ctx.tr.gettext
    naming = ctx.dialog.get("naming")
    if naming is None:
        return END
    name = service.clean_unit_name(message.text)
    if name is NameProblem.TOO_LONG:
        await message.reply_text(
            _("That name is too long. Please use up to {max} characters.").format(
                max=service.UNIT_NAME_MAX
            )
        )
        return NAMING
    if not isinstance(name, str):
        await message.reply_text(_("Please type the name as text, or /cancel."))
        return NAMING
    try:
        screen = await _save_name(ctx, naming["kind"], naming["target"], name)
    except NameTaken:
        await message.reply_text(
            _("“{name}” is already taken here. Please type another name, or /cancel.").format(
                name=esc(name)
            )
        )
        return NAMING
    ctx.dialog.pop("naming", None)
    await show(update, ctx, screen)
    return END


async def _save_name(ctx: Ctx, kind: str, target: int | None, name: str) -> Screen:
    org = ctx.services.org
    if kind == "new_workshop":
        workshop = await org.create_workshop(name)
        _LOGGER.info("Workshop %s created", workshop.id)
        return await workshop_screen(ctx, workshop.id) or await workshops_screen(ctx)
    assert target is not None  # noqa: S101 - the other kinds always name a target
    if kind == "new_team":
        team = await org.create_team(target, name)
        _LOGGER.info("Team %s created in workshop %s", team.id, target)
        return await team_screen(ctx, team)
    if kind == "rename_workshop":
        await org.rename_workshop(target, name)
        return await workshop_screen(ctx, target) or await workshops_screen(ctx)
    await org.rename_team(target, name)
    renamed = await org.team(target)
    return await team_screen(ctx, renamed) if renamed else await workshops_screen(ctx)


async def naming_not_text(update: Update, ctx: Ctx) -> str | int:
    """A sticker or photo where a name was expected."""
    await message_of(update).reply_text(ctx.tr.gettext("Please type the name as text, or /cancel."))
    return NAMING
