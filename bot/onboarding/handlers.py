"""Joining from an invite, choosing a language, /mydata and /leave (see join.mmd and mydata.mmd)."""

from __future__ import annotations

import logging

from telegram import Message, ReplyKeyboardRemove, Update
from telegram.ext import ConversationHandler

from bot.callbacks import Route
from bot.common import register_configured_admin, telegram_name
from bot.config import SUPPORTED_LOCALES
from bot.context import Ctx
from bot.db.members import InviteSpent
from bot.i18n import LANGUAGE_NAMES, Translator
from bot.menu import menu_for, show_menu
from bot.models import Member, Role
from bot.names import NAME_MAX, NameProblem, clean_name
from bot.onboarding import routes
from bot.onboarding.service import InviteCheck, InviteStatus, check_invite
from bot.ui import Button, ack, buttons, esc, member_team_label, message_of, team_label

_LOGGER = logging.getLogger(__name__)

# Conversation states (persisted by name, so keep them stable).
LANGUAGE, NAME, STAFF = "join.language", "join.name", "join.staff"
RENAME = "me.rename"
END = ConversationHandler.END


# ------------------------------------------------------------------- helpers


def language_buttons(ctx: Ctx, route: Route) -> list[list[Button]]:
    return [[(LANGUAGE_NAMES[loc], ctx.button(route, loc))] for loc in SUPPORTED_LOCALES]


def invite_problem(tr: Translator, check: InviteCheck) -> str:
    _ = tr.gettext
    if check.status is InviteStatus.EXPIRED:
        return _(
            "⚠️ This invite QR code has expired.\nAsk your team leader for the team's current one."
        )
    if check.status is InviteStatus.REPLACED:
        return _(
            "⚠️ This invite QR code has been replaced by a newer one.\nAsk your team leader for the team's current one."
        )
    if check.status is InviteStatus.WITHDRAWN:
        return _(
            "⚠️ This invite QR code has been cancelled, so nobody can join with it now.\nAsk your team leader how to join the team."
        )
    if check.status is InviteStatus.USED:
        return _(
            "⚠️ This leader invite has already been used.\nAsk the admin for a new one if you still need it."
        )
    if check.status is InviteStatus.TEAM_ARCHIVED:
        return _("⚠️ This team is no longer in use.\nAsk your team leader which team to join now.")
    return _(
        "⚠️ This invite doesn't work: part of it may be missing.\nScan your team's invite QR code again, or ask your team leader for it."
    )


def name_problem(tr: Translator, problem: NameProblem, *, button: bool = False) -> str:
    """Why a name was not taken; `button`: the prompt offers the Telegram name as a button."""
    if problem is NameProblem.TOO_LONG:
        return tr.gettext(
            "That name is too long. Please type a name of up to {max} characters."
        ).format(max=NAME_MAX)
    if button:
        return tr.gettext("Please type your name as text, or tap the button above.")
    return tr.gettext("Please type your name as text.")


def staff_line(tr: Translator, temporary: bool) -> str:
    """How a worker's staff type reads to them, the same words as its button."""
    return (
        tr.gettext("👷 I am: temporary staff")
        if temporary
        else tr.gettext("👷 I am: regular staff")
    )


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
        intro.format(team=team_label(team)),
        reply_markup=buttons(*language_buttons(ctx, routes.JOIN_LANGUAGE)),
    )
    return LANGUAGE


async def greet(update: Update, ctx: Ctx) -> None:
    """/start without an invite: welcome members back, explain joining to everyone else."""
    _ = ctx.tr.gettext
    if await register_configured_admin(update, ctx):
        assert ctx.member is not None  # noqa: S101 - just registered
        await show_menu(
            update,
            ctx,
            _(
                "👋 Welcome to Shiftmate, {name}!\nThe plant has made you an admin. Tap 🛠 Admin below to set up workshops and teams."
            ).format(name=esc(ctx.member.display_name)),
        )
        return
    if ctx.member is None:
        await show_menu(
            update,
            ctx,
            _(
                "👋 Hello! I'm Shiftmate, your plant's assistant.\nTo join your team, scan the invite QR code on your team's poster, or ask your team leader to send it to you."
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
                    (_("✅ Accept"), ctx.button(routes.LEAD, check.invite.id)),
                    (_("Not now"), ctx.button(routes.NO_LEAD)),
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
        ctx.member = await ctx.services.members.get(member.id)
        await show_menu(
            update, ctx, _("✅ You are now in the team {team}.").format(team=team_label(team))
        )
    else:
        await message.reply_text(
            _("You are in the team {old} now.\nMove to the team {new}?").format(
                old=member_team_label(member), new=team_label(team)
            ),
            reply_markup=buttons(
                [
                    (_("➡️ Move"), ctx.button(routes.MOVE, check.invite.id)),
                    (_("Stay"), ctx.button(routes.STAY)),
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
            leads=check.team.id,
        )
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
        ctx.tr.gettext("OK. The leader invite stays valid if you change your mind.")
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
        markup = buttons(
            [(_("✅ Use “{name}”").format(name=suggestion), ctx.button(routes.JOIN_NAME))]
        )
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
        await message.reply_text(name_problem(ctx.tr, name, button="prompt" in join))
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
    join = ctx.dialog.get("join") or {}
    await message_of(update).reply_text(
        name_problem(ctx.tr, NameProblem.EMPTY, button="prompt" in join)
    )
    return NAME


async def _after_name(update: Update, ctx: Ctx, name: str) -> str | int:
    join = ctx.dialog["join"]
    join["name"] = name
    if join.get("leader"):
        return await _finish_join(update, ctx, temporary=False)
    _ = ctx.tr.gettext
    await message_of(update).reply_text(
        _(
            "👷 Are you regular staff or temporary staff?\nThis helps your team leader plan training."
        ),
        reply_markup=buttons(
            [(_("Regular staff"), ctx.button(routes.JOIN_STAFF, 0))],
            [(_("Temporary staff"), ctx.button(routes.JOIN_STAFF, 1))],
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
    temporary = ctx.tap.args[0] == "1"
    await query.edit_message_text(staff_line(ctx.tr, temporary))
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
    message = message_of(update)
    check = await _recheck(ctx, join["invite"])
    if check.status is not InviteStatus.VALID or check.team is None:
        await message.reply_text(invite_problem(ctx.tr, check))
        return END
    role = Role.ADMIN if user.id in ctx.services.settings.admins else Role.WORKER
    leader = bool(join.get("leader"))
    try:
        ctx.member = await ctx.services.members.register(
            telegram_id=user.id,
            display_name=join["name"],
            locale=join["locale"],
            language_code=user.language_code,
            is_temporary=temporary,
            team_id=check.team.id,
            role=role,
            leader_invite_id=join["invite"] if leader else None,
            leads=check.team.id if leader else None,
        )
    except InviteSpent:
        await message.reply_text(invite_problem(ctx.tr, InviteCheck(InviteStatus.USED)))
        return END
    ctx.dialog.pop("locale", None)
    _LOGGER.info("Member %s joined team %s", ctx.member.id, check.team.id)
    if leader:
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
    ctx.dialog.pop("join", None)
    await message_of(update).reply_text(
        ctx.tr.gettext("This step has expired. Please scan your team's invite QR code again.")
    )
    return END


async def cancel_join(update: Update, ctx: Ctx) -> int:
    """/cancel while joining."""
    ctx.dialog.pop("join", None)
    await show_menu(
        update,
        ctx,
        ctx.tr.gettext("OK, cancelled. Scan the invite QR code again whenever you are ready."),
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
    await message_of(update).reply_text(
        ctx.tr.gettext("🌐 Choose your language:"),
        reply_markup=buttons(*language_buttons(ctx, routes.LANGUAGE)),
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
    message = message_of(update)
    tr, _ = ctx.tr, ctx.tr.gettext
    member = ctx.member
    if member is None:
        if "locale" in ctx.dialog:
            stored = _(
                "You have not joined a team. The only thing stored is your language choice ({language}); /leave deletes it."
            ).format(language=LANGUAGE_NAMES[ctx.dialog["locale"]])
        else:
            stored = _("You have not joined a team, so nothing is stored about you.")
        await message.reply_text(_("📋 My info") + "\n" + stored)
        return
    led = await ctx.services.org.teams_led_by(member.id)
    role = {
        Role.ADMIN: _("admin"),
        Role.LEADER: _("team leader"),
        Role.WORKER: _("worker"),
    }[Role.ADMIN if ctx.is_admin else member.role]
    lines = [
        _("📋 What Shiftmate stores about you"),
        _("Name: {name}").format(name=esc(member.display_name)),
        _("Language: {language}").format(language=LANGUAGE_NAMES[tr.locale]),
        _("Role: {role}").format(role=role),
        staff_line(tr, member.is_temporary),
    ]
    if member.team_name and member.joined_team_at:
        lines.append(
            _("Team: {team}, since {date}").format(
                team=member_team_label(member), date=tr.date(member.joined_team_at)
            )
        )
    else:
        lines.append(_("Team: none"))
    if led:
        lines.append(_("Leads: {teams}").format(teams=tr.names([esc(t.name) for t in led])))
    lines += [
        _("Joined Shiftmate: {date}").format(date=tr.date(member.created_at)),
        _("Telegram account number: {number} (used only to send you messages)").format(
            number=member.telegram_id
        ),
    ]
    for feature in ctx.features:
        if feature.my_data is not None:
            lines += await feature.my_data(ctx, member)
    await message.reply_text(
        "\n".join(lines),
        reply_markup=buttons(
            [(_("✏️ Change the name"), ctx.button(routes.RENAME))],
            [(_("🗑 Delete my info"), ctx.button(routes.LEAVE))],
        ),
    )


async def rename_start(update: Update, ctx: Ctx) -> str | int:
    """✏️ Change the name: ask for the new name."""
    await ack(update)
    if ctx.member is None:
        return END
    ctx.dialog["rename"] = {}
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
    ctx.dialog.pop("rename", None)
    await message.reply_text(ctx.tr.gettext("✅ Your name is now {name}.").format(name=esc(name)))
    return END


async def rename_not_text(update: Update, ctx: Ctx) -> str | int:
    """Something other than text arrived where the new name was expected."""
    await message_of(update).reply_text(
        ctx.tr.gettext("Please type your new name as text, or /cancel.")
    )
    return RENAME


# -------------------------------------------------------------------- /leave


async def leave(update: Update, ctx: Ctx) -> None:
    """/leave or 🗑: explain what deleting means and ask to confirm."""
    message = message_of(update)
    await ack(update)
    _ = ctx.tr.gettext
    if ctx.member is None and "locale" not in ctx.dialog:
        await message.reply_text(_("Nothing is stored about you, so there is nothing to delete."))
        return
    await message.reply_text(
        _(
            "🗑 Delete my info?\nThis removes your name, team and language from Shiftmate.\nYou can join again later with your team's invite QR code."
        ),
        reply_markup=buttons(
            [(_("Yes, delete my info"), ctx.button(routes.LEAVE_YES))],
            [(_("No, keep it"), ctx.button(routes.LEAVE_NO))],
        ),
    )


async def leave_confirmed(update: Update, ctx: Ctx) -> None:
    """Delete the member and their dialog data."""
    query, user = update.callback_query, update.effective_user
    assert query is not None and user is not None  # noqa: S101
    _ = ctx.tr.gettext
    await ack(update)
    if ctx.member is None and not ctx.dialog:
        # Deleted already (after a restart, the repeat of a double tap arrives here).
        await query.edit_message_text(_("✅ Your info has been deleted."))
        return
    if ctx.member is not None:
        await ctx.services.members.delete(ctx.member.id)
        _LOGGER.info("Member %s deleted their data", ctx.member.id)
    ctx.application.drop_user_data(user.id)
    ctx.member = None
    await query.edit_message_text(_("✅ Your info has been deleted."))
    await message_of(update).reply_text(
        _("Thank you for using Shiftmate. To come back, scan your team's invite QR code."),
        reply_markup=ReplyKeyboardRemove(),
    )


async def leave_cancelled(update: Update, ctx: Ctx) -> None:
    """The member kept their data."""
    query = update.callback_query
    assert query is not None  # noqa: S101
    await ack(update)
    await query.edit_message_text(ctx.tr.gettext("OK, nothing was deleted."))
