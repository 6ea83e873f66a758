"""Joining from an invite, choosing a language, /mydata and /leave (see join.mmd)."""

from __future__ import annotations

import logging
from typing import Any

from telegram import Message, ReplyKeyboardRemove, Update
from telegram.ext import ConversationHandler

from bot.config import SUPPORTED_LOCALES
from bot.context import Ctx
from bot.db.members import InviteSpent
from bot.i18n import LANGUAGE_NAMES, Translator
from bot.menu import main_menu
from bot.models import Member, Role, Team
from bot.onboarding.service import (
    NAME_MAX,
    InviteCheck,
    InviteStatus,
    NameProblem,
    check_invite,
    clean_name,
    full_name,
)
from bot.ui import Button, ack, buttons, esc, message_of

_LOGGER = logging.getLogger(__name__)

# Conversation states (persisted by name, so keep them stable).
LANGUAGE, NAME, STAFF = "join.language", "join.name", "join.staff"
RENAME = "me.rename"
END = ConversationHandler.END


# ------------------------------------------------------------------- helpers


async def show_menu(update: Update, ctx: Ctx, text: str) -> None:
    """Send `text` with the main menu keyboard that fits this person's roles."""
    message = update.effective_message
    assert message is not None  # noqa: S101 - every caller answers a message or a tap
    await message.reply_text(text, reply_markup=await menu_for(ctx, ctx.member))


async def menu_for(ctx: Ctx, member: Member | None) -> Any:
    if member is None:
        return ReplyKeyboardRemove()
    leads = bool(await ctx.services.org.teams_led_by(member.id))
    return main_menu(
        ctx.tr, is_leader=leads, is_admin=ctx.services.is_admin(member.telegram_id, member)
    )


def language_buttons(ctx: Ctx, route: str) -> list[list[Button]]:
    return [[(LANGUAGE_NAMES[loc], ctx.button(route, loc))] for loc in SUPPORTED_LOCALES]


def team_label(team: Team) -> str:
    return f"{esc(team.name)} · {esc(team.workshop_name)}"


def invite_problem(tr: Translator, check: InviteCheck) -> str:
    _ = tr.gettext
    if check.status is InviteStatus.EXPIRED:
        return _(
            "⚠️ This invite link has expired.\nAsk your team leader for the team's current QR code."
        )
    if check.status is InviteStatus.REVOKED:
        return _(
            "⚠️ This invite link has been replaced by a newer one.\nAsk your team leader for the team's current QR code."
        )
    if check.status is InviteStatus.USED:
        return _(
            "⚠️ This leader invite has already been used.\nAsk the admin for a new one if you still need it."
        )
    if check.status is InviteStatus.TEAM_ARCHIVED:
        return _(
            "⚠️ This team no longer exists in Shiftmate.\nAsk your team leader which team to join now."
        )
    return _(
        "⚠️ This invite link doesn't work. It may be cut off or mistyped.\nScan your team's QR code again, or ask your team leader for it."
    )


def name_problem(tr: Translator, problem: NameProblem) -> str:
    if problem is NameProblem.TOO_LONG:
        return tr.gettext(
            "That name is too long. Please type a name of up to {max} characters."
        ).format(max=NAME_MAX)
    return tr.gettext("Please type your name as text, or tap the button above.")


def telegram_name(update: Update) -> str | None:
    """The name on the person's Telegram profile, if it makes an acceptable display name."""
    user = update.effective_user
    if user is None:
        return None
    cleaned = clean_name(full_name(user.first_name, user.last_name))
    return cleaned if isinstance(cleaned, str) else None


# -------------------------------------------------------------------- /start


async def start(update: Update, ctx: Ctx) -> str | int:
    """/start, with or without an invite payload: greet, or begin joining a team."""
    message, user = update.effective_message, update.effective_user
    assert message is not None and user is not None  # noqa: S101 - a command has both
    _ = ctx.tr.gettext
    if not ctx.args:
        await greet(update, ctx)
        return END
    check = await check_invite(ctx.services, ctx.args[0])
    if check.status is not InviteStatus.VALID or check.team is None or check.invite is None:
        _LOGGER.info("Refused an invite (%s) for user %s", check.status.value, user.id)
        await message.reply_text(
            invite_problem(ctx.tr, check), reply_markup=await menu_for(ctx, ctx.member)
        )
        return END
    team, member = check.team, ctx.member
    if member is not None:
        await offer_to_member(update, ctx, member, check)
        return END
    ctx.dialog["join"] = {
        "invite": check.invite.id,
        "team": team.id,
        "leader": check.is_leader_invite,
    }
    if check.is_leader_invite:
        intro = _(
            "👋 Welcome to Shiftmate!\nYou are invited to lead the team {team}.\n\n🌐 Please choose your language:"
        )
    else:
        intro = _(
            "👋 Welcome to Shiftmate!\nYou are invited to join the team {team}.\n\n🌐 Please choose your language:"
        )
    await message.reply_text(
        intro.format(team=team_label(team)), reply_markup=buttons(*language_buttons(ctx, "jl"))
    )
    return LANGUAGE


async def greet(update: Update, ctx: Ctx) -> None:
    """/start without an invite: welcome members back, explain joining to everyone else."""
    _ = ctx.tr.gettext
    if ctx.member is None:
        await register_configured_admin(update, ctx)
    if ctx.member is None:
        await show_menu(
            update,
            ctx,
            _(
                "👋 Hello! I'm Shiftmate, your plant's assistant.\nTo join your team, scan the QR code on your team's poster, or open the invite link from your team leader."
            ),
        )
        return
    await show_menu(
        update,
        ctx,
        _("👋 Welcome back, {name}!\nUse the buttons below. /help explains what I can do.").format(
            name=esc(ctx.member.display_name)
        ),
    )


async def register_configured_admin(update: Update, ctx: Ctx) -> None:
    """An admin named in BOT_ADMINS gets a member record the first time they write."""
    user = update.effective_user
    if user is None or user.id not in ctx.services.settings.admins:
        return
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


async def offer_to_member(update: Update, ctx: Ctx, member: Member, check: InviteCheck) -> None:
    """Someone already registered opened an invite: lead, move, or nothing to do."""
    message = update.effective_message
    assert message is not None and check.team is not None and check.invite is not None  # noqa: S101
    _ = ctx.tr.gettext
    team = check.team
    if check.is_leader_invite:
        await message.reply_text(
            _("👷 You are invited to lead the team {team}.\nDo you accept?").format(
                team=team_label(team)
            ),
            reply_markup=buttons(
                [
                    (_("✅ Accept"), ctx.button("lead", check.invite.id)),
                    (_("Not now"), ctx.button("nolead")),
                ]
            ),
        )
    elif member.team_id == team.id:
        await show_menu(
            update, ctx, _("✅ You are already in the team {team}.").format(team=team_label(team))
        )
    elif member.team_id is None:
        await ctx.services.members.move_to_team(member.id, team.id)
        _LOGGER.info("Member %s joined team %s", member.id, team.id)
        await show_menu(
            update, ctx, _("✅ You are now in the team {team}.").format(team=team_label(team))
        )
    else:
        await message.reply_text(
            _("You are in the team {old} now.\nMove to the team {new}?").format(
                old=esc(member.team_name or ""), new=team_label(team)
            ),
            reply_markup=buttons(
                [
                    (_("➡️ Move"), ctx.button("move", check.invite.id)),
                    (_("Stay"), ctx.button("stay")),
                ]
            ),
        )


async def move_team(update: Update, ctx: Ctx) -> None:
    """A member confirmed moving to the team of the invite they opened."""
    query = update.callback_query
    assert query is not None and ctx.tap is not None  # noqa: S101 - routed by tap
    _ = ctx.tr.gettext
    await ack(update)
    check = await _recheck(ctx, ctx.tap.int_arg(0))
    if ctx.member is None or check.status is not InviteStatus.VALID or check.team is None:
        await query.edit_message_text(invite_problem(ctx.tr, check))
        return
    await ctx.services.members.move_to_team(ctx.member.id, check.team.id)
    _LOGGER.info("Member %s moved to team %s", ctx.member.id, check.team.id)
    await query.edit_message_text(
        _("✅ You are now in the team {team}.").format(team=team_label(check.team))
    )


async def stay_in_team(update: Update, ctx: Ctx) -> None:
    """A member decided not to move team."""
    query = update.callback_query
    assert query is not None  # noqa: S101
    await ack(update)
    await query.edit_message_text(ctx.tr.gettext("OK, you stay in your team."))


async def accept_lead(update: Update, ctx: Ctx) -> None:
    """A registered member accepted a leader invite."""
    query = update.callback_query
    assert query is not None and ctx.tap is not None  # noqa: S101
    _ = ctx.tr.gettext
    await ack(update)
    check = await _recheck(ctx, ctx.tap.int_arg(0))
    member = ctx.member
    if member is None or check.status is not InviteStatus.VALID or check.team is None:
        await query.edit_message_text(invite_problem(ctx.tr, check))
        return
    try:
        ctx.member = await ctx.services.members.register(
            telegram_id=member.telegram_id,
            display_name=member.display_name,
            locale=member.locale,
            language_code=member.language_code,
            is_temporary=member.is_temporary,
            team_id=member.team_id or check.team.id,
            role=member.role,
            leader_invite_id=check.invite.id if check.invite else None,
        )
        if member.team_id is not None and member.team_id != check.team.id:
            await ctx.services.org.assign_leader(check.team.id, member.id)
    except InviteSpent:
        await query.edit_message_text(invite_problem(ctx.tr, InviteCheck(InviteStatus.USED)))
        return
    _LOGGER.info("Member %s now leads team %s", member.id, check.team.id)
    await query.edit_message_text(
        _("✅ You now lead the team {team}.").format(team=team_label(check.team))
    )
    await show_menu(update, ctx, _("Use 👥 My team below to see your team and its invite QR code."))


async def decline_lead(update: Update, ctx: Ctx) -> None:
    """A member declined a leader invite; it stays usable."""
    query = update.callback_query
    assert query is not None  # noqa: S101
    await ack(update)
    await query.edit_message_text(
        ctx.tr.gettext("OK. The invite stays valid if you change your mind.")
    )


async def _recheck(ctx: Ctx, invite_id: int) -> InviteCheck:
    """Check an invite again when a button for it is tapped: it may have changed since."""
    invite = await ctx.services.invites.get(invite_id)
    if invite is None:
        return InviteCheck(InviteStatus.UNKNOWN)
    return await check_invite(ctx.services, invite.token)


# ------------------------------------------------------------ join dialog


async def join_language(update: Update, ctx: Ctx) -> str | int:
    """Join step 1: the language tapped becomes the member's language."""
    query = update.callback_query
    assert query is not None and ctx.tap is not None  # noqa: S101
    await ack(update)
    locale = ctx.tap.args[0]
    if locale not in SUPPORTED_LOCALES or "join" not in ctx.dialog:
        return await _join_lost(update, ctx)
    ctx.dialog["join"]["locale"] = locale
    ctx.tr = ctx.services.i18n.translator(locale)
    _ = ctx.tr.gettext
    await query.edit_message_text(
        _("🌐 Language: {language}").format(language=LANGUAGE_NAMES[locale])
    )
    suggestion = telegram_name(update)
    prompt = _(
        "✏️ What name should your team see?\nType your name (up to {max} characters)."
    ).format(max=NAME_MAX)
    markup = None
    if suggestion:
        prompt = _(
            "✏️ What name should your team see?\nTap the button to use “{name}”, or type another name (up to {max} characters)."
        ).format(name=esc(suggestion), max=NAME_MAX)
        markup = buttons([(_("✅ Use “{name}”").format(name=suggestion), ctx.button("jn"))])
    assert query.message is not None  # noqa: S101
    sent = await message_of(update).reply_text(prompt, reply_markup=markup)
    if markup is not None:
        ctx.dialog["join"]["prompt"] = sent.message_id
    return NAME


async def join_name_typed(update: Update, ctx: Ctx) -> str | int:
    """Join step 2, typed: check the name, then ask about staff type."""
    message = update.effective_message
    assert message is not None and message.text is not None  # noqa: S101 - text filter
    join = ctx.dialog.get("join")
    if join is None:
        return await _join_lost(update, ctx)
    name = clean_name(message.text)
    if isinstance(name, NameProblem):
        await message.reply_text(name_problem(ctx.tr, name))
        return NAME
    prompt = join.pop("prompt", None)
    if prompt is not None:
        await _drop_buttons(ctx, message, prompt)
    return await _after_name(update, ctx, name)


async def join_name_tapped(update: Update, ctx: Ctx) -> str | int:
    """Join step 2, tapped: use the name from the person's Telegram profile."""
    query = update.callback_query
    assert query is not None  # noqa: S101
    await ack(update)
    join = ctx.dialog.get("join")
    name = telegram_name(update)
    if join is None or name is None:
        return await _join_lost(update, ctx)
    join.pop("prompt", None)
    await query.edit_message_text(ctx.tr.gettext("✏️ Name: {name}").format(name=esc(name)))
    return await _after_name(update, ctx, name)


async def join_name_not_text(update: Update, ctx: Ctx) -> str | int:
    """A sticker, photo or voice note where a name was expected."""
    message = update.effective_message
    assert message is not None  # noqa: S101
    await message.reply_text(name_problem(ctx.tr, NameProblem.EMPTY))
    return NAME


async def _after_name(update: Update, ctx: Ctx, name: str) -> str | int:
    join = ctx.dialog["join"]
    join["name"] = name
    if join.get("leader"):
        return await _finish_join(update, ctx, temporary=False)
    _ = ctx.tr.gettext
    message = update.effective_message
    assert message is not None  # noqa: S101
    await message.reply_text(
        _(
            "👷 Are you regular staff or temporary staff?\nThis helps your team leader plan training."
        ),
        reply_markup=buttons(
            [(_("Regular staff"), ctx.button("js", 0))],
            [(_("Temporary staff"), ctx.button("js", 1))],
        ),
    )
    return STAFF


async def join_staff(update: Update, ctx: Ctx) -> str | int:
    """Join step 3: regular or temporary staff, then register."""
    query = update.callback_query
    assert query is not None and ctx.tap is not None  # noqa: S101
    await ack(update)
    join = ctx.dialog.get("join")
    if join is None or "name" not in join:
        return await _join_lost(update, ctx)
    _ = ctx.tr.gettext
    temporary = ctx.tap.args[0] == "1"
    await query.edit_message_text(
        _("👷 Staff type: temporary") if temporary else _("👷 Staff type: regular")
    )
    return await _finish_join(update, ctx, temporary=temporary)


async def join_use_buttons(update: Update, ctx: Ctx) -> str | int:
    """Anything typed while the dialog waits for a button tap."""
    message = update.effective_message
    assert message is not None  # noqa: S101
    join = ctx.dialog.get("join") or {}
    await message.reply_text(ctx.tr.gettext("Please tap one of the buttons above."))
    state: str = LANGUAGE if "locale" not in join else STAFF
    return state


async def _finish_join(update: Update, ctx: Ctx, *, temporary: bool) -> int:
    user = update.effective_user
    assert user is not None  # noqa: S101
    join = ctx.dialog.pop("join")
    _ = ctx.tr.gettext
    message = update.effective_message
    assert message is not None  # noqa: S101
    check = await _recheck(ctx, join["invite"])
    if check.status is not InviteStatus.VALID or check.team is None:
        await message.reply_text(invite_problem(ctx.tr, check))
        return END
    role = Role.ADMIN if user.id in ctx.services.settings.admins else Role.WORKER
    try:
        ctx.member = await ctx.services.members.register(
            telegram_id=user.id,
            display_name=join["name"],
            locale=join["locale"],
            language_code=user.language_code,
            is_temporary=temporary,
            team_id=check.team.id,
            role=role,
            leader_invite_id=join["invite"] if join.get("leader") else None,
        )
    except InviteSpent:
        await message.reply_text(invite_problem(ctx.tr, InviteCheck(InviteStatus.USED)))
        return END
    ctx.dialog.pop("locale", None)
    _LOGGER.info("Member %s joined team %s", ctx.member.id, check.team.id)
    if join.get("leader"):
        text = _(
            "🎉 Welcome, {name}! You now lead the team {team}.\nUse the buttons below. /help explains everything."
        )
    else:
        text = _(
            "🎉 Welcome to the team {team}, {name}!\nUse the buttons below. /help explains everything."
        )
    await show_menu(
        update, ctx, text.format(name=esc(ctx.member.display_name), team=team_label(check.team))
    )
    return END


async def _join_lost(update: Update, ctx: Ctx) -> int:
    """The dialog's data is gone (an old button, or a half-finished join from long ago)."""
    message = update.effective_message
    assert message is not None  # noqa: S101
    ctx.dialog.pop("join", None)
    await message.reply_text(
        ctx.tr.gettext("This step has expired. Please scan your team's QR code again.")
    )
    return END


async def cancel_join(update: Update, ctx: Ctx) -> int:
    """/cancel while joining."""
    ctx.dialog.pop("join", None)
    await show_menu(
        update, ctx, ctx.tr.gettext("OK, cancelled. Scan the QR code again whenever you are ready.")
    )
    return END


async def _drop_buttons(ctx: Ctx, near: Message, message_id: int) -> None:
    """Take the buttons off an earlier prompt so they cannot be tapped after the fact."""
    await ctx.bot.edit_message_reply_markup(
        chat_id=near.chat_id, message_id=message_id, reply_markup=None
    )


# ------------------------------------------------------------------ /language


async def language(update: Update, ctx: Ctx) -> None:
    """/language or the 🌐 button: offer the three languages."""
    message = update.effective_message
    assert message is not None  # noqa: S101
    await message.reply_text(
        ctx.tr.gettext("🌐 Choose your language:"),
        reply_markup=buttons(*language_buttons(ctx, "lang")),
    )


async def set_language(update: Update, ctx: Ctx) -> None:
    """A language was tapped: remember it and answer in it from now on."""
    query = update.callback_query
    assert query is not None and ctx.tap is not None  # noqa: S101
    await ack(update)
    locale = ctx.tap.args[0]
    if locale not in SUPPORTED_LOCALES:
        return
    if ctx.member is not None:
        await ctx.services.members.set_locale(ctx.member.id, locale)
        ctx.member = await ctx.services.members.get(ctx.member.id)
    else:
        ctx.dialog["locale"] = locale
    ctx.tr = ctx.services.i18n.translator(locale)
    await query.edit_message_text(
        ctx.tr.gettext("🌐 Language: {language}").format(language=LANGUAGE_NAMES[locale])
    )
    await show_menu(
        update, ctx, ctx.tr.gettext("✅ From now on I will write to you in this language.")
    )


# -------------------------------------------------------------------- /mydata


async def my_data(update: Update, ctx: Ctx) -> None:
    """/mydata or the 📋 button: everything stored about the person asking."""
    message = update.effective_message
    assert message is not None  # noqa: S101
    tr, _ = ctx.tr, ctx.tr.gettext
    member = ctx.member
    anonymous_note = _(
        "Anything you send anonymously is stored without your name or ID, so it is not linked to you and cannot be shown here."
    )
    if member is None:
        if "locale" in ctx.dialog:
            stored = _(
                "You have not joined a team. The only thing stored is your language choice ({language}); /leave deletes it."
            ).format(language=LANGUAGE_NAMES[ctx.dialog["locale"]])
        else:
            stored = _("You have not joined a team, so nothing is stored about you.")
        await message.reply_text(_("📋 Your data") + "\n" + stored)
        return
    led = await ctx.services.org.teams_led_by(member.id)
    role = {
        Role.ADMIN: _("admin"),
        Role.LEADER: _("team leader"),
        Role.WORKER: _("team member"),
    }[Role.ADMIN if ctx.is_admin else member.role]
    lines = [
        _("📋 What Shiftmate stores about you"),
        _("Name: {name}").format(name=esc(member.display_name)),
        _("Language: {language}").format(language=LANGUAGE_NAMES[tr.locale]),
        _("Role: {role}").format(role=role),
        _("Staff type: temporary") if member.is_temporary else _("Staff type: regular"),
    ]
    if member.team_name and member.joined_team_at:
        lines.append(
            _("Team: {team} · {workshop}, since {date}").format(
                team=esc(member.team_name),
                workshop=esc(member.workshop_name or ""),
                date=tr.date(member.joined_team_at),
            )
        )
    else:
        lines.append(_("Team: none"))
    if led:
        lines.append(_("Leads: {teams}").format(teams=", ".join(esc(t.name) for t in led)))
    lines += [
        _("Registered: {date}").format(date=tr.date(member.created_at)),
        _("Telegram ID: {id} (used only to send you messages)").format(id=member.telegram_id),
        "",
        anonymous_note,
    ]
    await message.reply_text(
        "\n".join(lines),
        reply_markup=buttons(
            [(_("✏️ Change my name"), ctx.button("me.name"))],
            [(_("🗑 Delete my data"), ctx.button("leave"))],
        ),
    )


async def rename_start(update: Update, ctx: Ctx) -> str | int:
    """✏️ Change my name: ask for the new name."""
    query = update.callback_query
    assert query is not None  # noqa: S101
    await ack(update)
    if ctx.member is None:
        return END
    assert query.message is not None  # noqa: S101
    await message_of(update).reply_text(
        ctx.tr.gettext("✏️ Type your new name (up to {max} characters), or /cancel.").format(
            max=NAME_MAX
        )
    )
    return RENAME


async def rename_typed(update: Update, ctx: Ctx) -> str | int:
    """The new name arrived: check and save it."""
    message = update.effective_message
    assert message is not None and message.text is not None  # noqa: S101
    if ctx.member is None:
        return END
    name = clean_name(message.text)
    if isinstance(name, NameProblem):
        await message.reply_text(name_problem(ctx.tr, name))
        return RENAME
    await ctx.services.members.set_display_name(ctx.member.id, name)
    await message.reply_text(ctx.tr.gettext("✅ Your name is now {name}.").format(name=esc(name)))
    return END


async def rename_not_text(update: Update, ctx: Ctx) -> str | int:
    """Something other than text arrived where the new name was expected."""
    message = update.effective_message
    assert message is not None  # noqa: S101
    await message.reply_text(ctx.tr.gettext("Please type your new name as text, or /cancel."))
    return RENAME


async def cancel(update: Update, ctx: Ctx) -> int:
    """/cancel inside a member's dialog."""
    await show_menu(update, ctx, ctx.tr.gettext("OK, cancelled."))
    return END


# -------------------------------------------------------------------- /leave


async def leave(update: Update, ctx: Ctx) -> None:
    """/leave or 🗑: explain what deleting means and ask to confirm."""
    message = update.effective_message
    assert message is not None  # noqa: S101
    if update.callback_query is not None:
        await ack(update)
    _ = ctx.tr.gettext
    if ctx.member is None and "locale" not in ctx.dialog:
        await message.reply_text(_("Nothing is stored about you, so there is nothing to delete."))
        return
    await message.reply_text(
        _(
            "🗑 Delete your data?\nThis removes your name, team and language from Shiftmate. Anything you sent anonymously stays, because it is not linked to you.\nYou can join again later with a team QR code."
        ),
        reply_markup=buttons(
            [(_("Yes, delete my data"), ctx.button("leave.yes"))],
            [(_("No, keep it"), ctx.button("leave.no"))],
        ),
    )


async def leave_confirmed(update: Update, ctx: Ctx) -> None:
    """Delete the member and their dialog data; anonymous records are unlinkable and stay."""
    query, user = update.callback_query, update.effective_user
    assert query is not None and user is not None  # noqa: S101
    _ = ctx.tr.gettext
    if ctx.member is None and not ctx.dialog:
        # A second tap on the same button (slow phones send both): already done.
        await ack(update, _("✅ Your data has been deleted."))
        return
    await ack(update)
    if ctx.member is not None:
        await ctx.services.members.delete(ctx.member.id)
        _LOGGER.info("Member %s deleted their data", ctx.member.id)
    ctx.application.drop_user_data(user.id)
    ctx.member = None
    await query.edit_message_text(_("✅ Your data has been deleted."))
    assert query.message is not None  # noqa: S101
    await message_of(update).reply_text(
        _("Thank you for using Shiftmate. To come back, scan your team's QR code."),
        reply_markup=ReplyKeyboardRemove(),
    )


async def leave_cancelled(update: Update, ctx: Ctx) -> None:
    """The member kept their data."""
    query = update.callback_query
    assert query is not None  # noqa: S101
    await ack(update)
    await query.edit_message_text(ctx.tr.gettext("OK, nothing was deleted."))
