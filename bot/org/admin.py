"""The admin panel and the leader's team view (see admin.mmd).

Every screen is a message edited in place as the admin taps through it, so the
chat does not fill up with menus. Every button re-checks who is tapping: a
leader's buttons only reach their own teams, an admin's reach everything.
Handlers unpack the tap, ask `bot.org.service` or a repository, and show a
screen from `bot.org.screens`.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Coroutine
from functools import wraps
from typing import Any

from telegram import InputFile, Update
from telegram.ext import ConversationHandler

from bot import delivery
from bot.common import admin_only, register_configured_admin, show
from bot.context import Ctx
from bot.menu import show_menu
from bot.models import Invite, InviteKind, Member, Team, page_in
from bot.org import routes, screens, service
from bot.org.poster import render_poster
from bot.org.screens import Screen
from bot.ui import ack, buttons, esc, message_of, team_label

_LOGGER = logging.getLogger(__name__)

END = ConversationHandler.END
Callback = Callable[[Update, Ctx], Coroutine[Any, Any, Any]]
TeamCallback = Callable[[Update, Ctx, Team], Coroutine[Any, Any, Any]]
MemberCallback = Callable[[Update, Ctx, Member], Coroutine[Any, Any, Any]]


async def alert(update: Update, text: str) -> None:
    if update.callback_query is not None:
        await ack(update, text, alert=True)


async def _team_or_alert(update: Update, ctx: Ctx, team_id: int) -> Team | None:
    """The team a button points to, if it is still in use and this person may manage it."""
    user = update.effective_user
    assert user is not None  # noqa: S101 - a tap has a sender
    team = await ctx.services.org.team(team_id)
    if team is None or team.archived_at is not None:
        await alert(update, ctx.tr.gettext("This team is no longer in use."))
        return None
    if not await service.can_manage_team(ctx.services, user.id, ctx.member, team_id):
        await alert(update, ctx.tr.gettext("🔒 Only admins and this team's leaders can do this."))
        return None
    return team


def for_team(callback: TeamCallback) -> Callback:
    """A button about a team (its id first): resolve it, or explain why not."""

    @wraps(callback)
    async def resolved(update: Update, ctx: Ctx) -> Any:
        team = await _team_or_alert(update, ctx, ctx.int_arg(0))
        return None if team is None else await callback(update, ctx, team)

    return resolved


def for_member(callback: MemberCallback) -> Callback:
    """A button about a person (their member id first): resolve them, or explain why not."""

    @wraps(callback)
    async def resolved(update: Update, ctx: Ctx) -> Any:
        member = await ctx.services.members.get(ctx.int_arg(0))
        if member is None:
            await alert(update, ctx.tr.gettext("This person has left Shiftmate."))
            return None
        return await callback(update, ctx, member)

    return resolved


# ---------------------------------------------------------- screens, shown


async def home_screen(ctx: Ctx) -> Screen:
    return screens.home(ctx, await ctx.services.org.counts())


async def workshops_screen(ctx: Ctx, number: int = 0) -> Screen:
    return screens.workshops(ctx, await service.workshops_page(ctx.services, number))


async def workshop_screen(ctx: Ctx, workshop_id: int, number: int = 0) -> Screen | None:
    workshop = await ctx.services.org.workshop(workshop_id)
    if workshop is None or workshop.archived_at is not None:
        return None
    return screens.workshop(ctx, workshop, await service.teams_page(ctx.services, workshop, number))


async def team_screen(ctx: Ctx, team: Team, *, note: str | None = None) -> Screen:
    leaders = await ctx.services.org.leaders(team.id)
    invite = await ctx.services.invites.current_member_invite(team.id)
    until = ctx.tr.date(invite.expires_at) if invite else None
    return screens.team(ctx, team, leaders, until, note=note)


async def leaders_screen(
    ctx: Ctx, team: Team, number: int = 0, *, note: str | None = None
) -> Screen:
    page = await service.leaders_page(ctx.services, team, number)
    return screens.leaders(ctx, team, page, note=note)


async def member_screen(ctx: Ctx, member: Member, back: int) -> Screen:
    is_admin = ctx.services.is_admin(member.telegram_id, member)
    return screens.member(ctx, member, back, is_admin=is_admin)


async def admins_screen(ctx: Ctx, number: int = 0) -> Screen:
    configured_ids = sorted(ctx.services.settings.admins)
    configured = await ctx.services.members.by_telegram_ids(configured_ids)
    page = await service.promoted_admins_page(ctx.services, number)
    return screens.admins(ctx, configured, page, len(configured_ids) - len(configured))


# -------------------------------------------------------------- navigation


@admin_only
async def admin_home(update: Update, ctx: Ctx) -> None:
    """/admin or 🛠 Admin: the admin panel's home screen."""
    await register_configured_admin(update, ctx)
    await show(update, ctx, await home_screen(ctx))


@admin_only
async def admin_home_tapped(update: Update, ctx: Ctx) -> None:
    """⬅️ back to the admin home screen."""
    await show(update, ctx, await home_screen(ctx))


@admin_only
async def list_workshops(update: Update, ctx: Ctx) -> None:
    """🏭 The workshops, a page at a time."""
    await show(update, ctx, await workshops_screen(ctx, ctx.int_arg(0)))


@admin_only
async def open_workshop(update: Update, ctx: Ctx) -> None:
    """A workshop and its teams, a page at a time."""
    screen = await workshop_screen(ctx, ctx.int_arg(0), ctx.int_arg(1))
    if screen is None:
        await alert(update, ctx.tr.gettext("This workshop is no longer in use."))
        screen = await workshops_screen(ctx)
    await show(update, ctx, screen)


@admin_only
async def ask_close_workshop(update: Update, ctx: Ctx) -> None:
    """⛔ Close a workshop: only an empty one, after a confirmation."""
    _ = ctx.tr.gettext
    workshop = await ctx.services.org.workshop(ctx.int_arg(0))
    if workshop is None or workshop.archived_at is not None:
        await alert(update, _("This workshop is no longer in use."))
        return
    if workshop.team_count:
        await alert(update, _("This workshop still has teams. Close its teams first."))
        return
    await show(
        update,
        ctx,
        screens.confirm(
            ctx,
            _("⛔ Close the workshop {workshop}?").format(workshop=esc(workshop.name)),
            (_("Yes, close it"), ctx.button(routes.CLOSE_WORKSHOP, workshop.id)),
            screens.cancel_button(ctx, routes.WORKSHOP, workshop.id, 0),
        ),
    )


@admin_only
async def close_workshop(update: Update, ctx: Ctx) -> None:
    """Close the workshop, confirmed."""
    if not await ctx.services.org.archive_workshop(ctx.int_arg(0)):
        await alert(update, ctx.tr.gettext("This workshop still has teams. Close its teams first."))
        return
    _LOGGER.info("Workshop %s closed", ctx.int_arg(0))
    await show(update, ctx, await workshops_screen(ctx))


@for_team
async def open_team(update: Update, ctx: Ctx, team: Team) -> None:
    """A team's overview (admins, and the team's leaders)."""
    await show(update, ctx, await team_screen(ctx, team))


@for_team
async def list_members(update: Update, ctx: Ctx, team: Team) -> None:
    """A team's members, a page at a time."""
    page = await service.members_page(ctx.services, team, ctx.int_arg(1))
    await show(update, ctx, screens.members(ctx, team, page))


# ------------------------------------------------------------ invite posters


@for_team
async def send_invite(update: Update, ctx: Ctx, team: Team) -> None:
    """🔗 The team's invite QR code: a printable poster and its link."""
    await ack(update)
    invite = await service.poster_invite(ctx.services, team)
    await _send_poster(ctx, message_of(update).chat_id, team, invite)


async def _send_poster(ctx: Ctx, chat_id: int, team: Team, invite: Invite) -> None:
    _, tr = ctx.tr.gettext, ctx.tr
    link = ctx.services.invite_link(invite.token)
    plant = ctx.services.i18n.translator(ctx.services.settings.locale)
    instructions: list[str] = []
    for locale_tr in (
        plant,
        *(ctx.services.i18n.translator(loc) for loc in ("zh_Hans", "zh_Hant", "en")),
    ):
        line = locale_tr.gettext("Scan with your phone camera to join the team")
        if line not in instructions:
            instructions.append(line)
    png = render_poster(
        link=link,
        team=team.name,
        workshop=team.workshop_name,
        instructions=instructions,
        footer=plant.gettext("Valid until {date}").format(
            date=plant.date(invite.expires_at, "long")
        ),
    )
    await ctx.bot.send_document(
        chat_id,
        InputFile(png, filename=f"invite-team-{team.id}.png"),
        caption=screens.invite_caption(ctx, team, link, tr.date(invite.expires_at)),
        reply_markup=buttons(
            [(_("♻️ New invite QR code"), ctx.button(routes.NEW_INVITE_ASK, team.id))],
            [(_("⛔ Cancel this invite QR code"), ctx.button(routes.CANCEL_INVITE_ASK, team.id))],
        ),
    )


@for_team
async def ask_new_invite(update: Update, ctx: Ctx, team: Team) -> None:
    """♻️ Replace the poster: confirm first, because printed copies stop working."""
    _ = ctx.tr.gettext
    await ack(update)
    await message_of(update).reply_text(
        _(
            "♻️ Make a new invite QR code for {team}?\nThe old one, printed copies included, will stop working."
        ).format(team=team_label(team)),
        reply_markup=buttons(
            [(_("Yes, make a new one"), ctx.button(routes.NEW_INVITE, team.id))],
            [screens.cancel_button(ctx, routes.TEAM, team.id)],
        ),
    )


@for_team
async def new_invite(update: Update, ctx: Ctx, team: Team) -> None:
    """Replace the team's poster invite, confirmed."""
    await ack(update)
    invite = await ctx.services.invites.create(
        team.id, InviteKind.MEMBER, ctx.services.member_invite_validity
    )
    _LOGGER.info("New invite for team %s", team.id)
    await message_of(update).edit_text(
        ctx.tr.gettext("✅ New invite QR code made. The old one no longer works.")
    )
    await _send_poster(ctx, message_of(update).chat_id, team, invite)


@for_team
async def ask_cancel_invite(update: Update, ctx: Ctx, team: Team) -> None:
    """⛔ Cancel the poster invite: confirm first."""
    _ = ctx.tr.gettext
    await ack(update)
    await message_of(update).reply_text(
        _(
            "⛔ Cancel the invite QR code of {team}?\nNobody will be able to join with it. You can make a new one any time."
        ).format(team=team_label(team)),
        reply_markup=buttons(
            [(_("Yes, cancel it"), ctx.button(routes.CANCEL_INVITE, team.id))],
            [(_("No, keep it"), ctx.button(routes.TEAM, team.id))],
        ),
    )


@for_team
async def cancel_invite(update: Update, ctx: Ctx, team: Team) -> None:
    """Cancel the team's poster invite, confirmed."""
    await ctx.services.invites.withdraw_member_invites(team.id)
    _LOGGER.info("Invite cancelled for team %s", team.id)
    await show(
        update,
        ctx,
        (
            ctx.tr.gettext(
                "⛔ The invite QR code of {team} is cancelled. Nobody can join with it any more."
            ).format(team=team_label(team)),
            buttons([(ctx.tr.gettext("⬅️ Back to the team"), ctx.button(routes.TEAM, team.id))]),
        ),
    )


# ------------------------------------------------------------------- leaders


@admin_only
@for_team
async def list_leaders(update: Update, ctx: Ctx, team: Team) -> None:
    """👷 The team's leaders."""
    await show(update, ctx, await leaders_screen(ctx, team, ctx.int_arg(1)))


@admin_only
@for_team
async def pick_leader(update: Update, ctx: Ctx, team: Team) -> None:
    """➕ Choose a member of the team to lead it, a page at a time."""
    page = await service.members_page(ctx.services, team, ctx.int_arg(1))
    await show(update, ctx, screens.pick_leader(ctx, team, page))


async def _appointed(ctx: Ctx, member: Member, team: Team) -> str:
    """Tell a new leader, in their language; say to the admin whether that worked."""
    told = await delivery.tell(
        ctx,
        member,
        lambda tr: tr.gettext(
            "👷 You now lead the team {team}.\nUse 👥 My team below to see your team and its invite QR code."
        ).format(team=team_label(team)),
    )
    _ = ctx.tr.gettext
    if told:
        return _("✅ {name} now leads {team}. They have been told.").format(
            name=esc(member.display_name), team=team_label(team)
        )
    return _("✅ {name} now leads {team}. They could not be told: they blocked Shiftmate.").format(
        name=esc(member.display_name), team=team_label(team)
    )


@admin_only
@for_member
async def assign_leader(update: Update, ctx: Ctx, member: Member) -> None:
    """Make the picked member a leader of the team, and tell them."""
    team = await _team_or_alert(update, ctx, ctx.int_arg(1))
    if team is None:
        return
    note = None
    if await service.set_leader(ctx.services, team, member, lead=True):
        _LOGGER.info("Member %s now leads team %s", member.id, team.id)
        note = await _appointed(ctx, member, team)
    await show(update, ctx, await leaders_screen(ctx, team, note=note))


@admin_only
@for_member
async def remove_leader(update: Update, ctx: Ctx, member: Member) -> None:
    """✖️ The member no longer leads the team."""
    team = await _team_or_alert(update, ctx, ctx.int_arg(1))
    if team is None:
        return
    if await service.set_leader(ctx.services, team, member, lead=False):
        _LOGGER.info("Member %s no longer leads team %s", member.id, team.id)
    await show(update, ctx, await leaders_screen(ctx, team))


@admin_only
@for_team
async def leader_invite(update: Update, ctx: Ctx, team: Team) -> None:
    """✉️ A single-use link that makes whoever opens it a leader of the team."""
    _ = ctx.tr.gettext
    invite = await ctx.services.invites.create(
        team.id, InviteKind.LEADER, ctx.services.leader_invite_validity
    )
    _LOGGER.info("Leader invite made for team %s", team.id)
    await ack(update)
    await message_of(update).reply_text(
        "\n".join(
            [
                _("✉️ Leader invite for {team}").format(team=team_label(team)),
                ctx.services.invite_link(invite.token),
                _("It works once, until {date}. Send it privately to the new team leader.").format(
                    date=ctx.tr.date(invite.expires_at)
                ),
            ]
        )
    )


# ------------------------------------------------------------------- members


async def _current_team(ctx: Ctx, member: Member) -> Team | None:
    return await ctx.services.org.team(member.team_id) if member.team_id else None


async def _refresh_member(update: Update, ctx: Ctx, member_id: int) -> None:
    member = await ctx.services.members.get(member_id)
    if member is not None:
        await show(update, ctx, await member_screen(ctx, member, ctx.int_arg(1)))


@admin_only
@for_member
async def open_member(update: Update, ctx: Ctx, member: Member) -> None:
    """👤 One person, with what an admin can change about them."""
    await show(update, ctx, await member_screen(ctx, member, ctx.int_arg(1)))


@admin_only
@for_member
async def set_member_leader(update: Update, ctx: Ctx, member: Member) -> None:
    """⭐ / ✖️ on a person: they lead their team from now on, or no longer."""
    team = await _current_team(ctx, member)
    if team is None:
        await alert(update, ctx.tr.gettext("This person is not in a team now."))
        return
    lead = ctx.int_arg(2) == 1
    if await service.set_leader(ctx.services, team, member, lead=lead):
        _LOGGER.info("Member %s %s team %s", member.id, "now leads" if lead else "left", team.id)
        if lead:
            await _appointed(ctx, member, team)
    await _refresh_member(update, ctx, member.id)


@admin_only
@for_member
async def set_member_temporary(update: Update, ctx: Ctx, member: Member) -> None:
    """Correct a person's staff type."""
    await ctx.services.members.set_temporary(member.id, ctx.int_arg(2) == 1)
    await _refresh_member(update, ctx, member.id)


@admin_only
@for_member
async def set_member_admin(update: Update, ctx: Ctx, member: Member) -> None:
    """🛡 Make a person an admin, or take the rights back."""
    change = await service.set_admin(ctx.services, member, ctx.int_arg(2) == 1)
    if change is service.AdminChange.LAST_ADMIN:
        await alert(update, ctx.tr.gettext("Shiftmate needs at least one admin."))
        return
    if change is service.AdminChange.PROMOTED:
        _LOGGER.info("Member %s promoted to admin", member.id)
        await delivery.tell(
            ctx,
            member,
            lambda tr: tr.gettext("🛡 You are now an admin of Shiftmate. Use 🛠 Admin below."),
        )
    elif change is service.AdminChange.DEMOTED:
        _LOGGER.info("Member %s is no longer an admin", member.id)
    await _refresh_member(update, ctx, member.id)


@admin_only
@for_member
async def ask_remove_member(update: Update, ctx: Ctx, member: Member) -> None:
    """🚪 Take a person out of their team: confirm first."""
    _ = ctx.tr.gettext
    team = await _current_team(ctx, member)
    if team is None:
        await alert(update, _("This person is not in a team now."))
        return
    back = ctx.int_arg(1)
    await show(
        update,
        ctx,
        screens.confirm(
            ctx,
            _(
                "🚪 Remove {name} from {team}?\nThey stay in Shiftmate and can join a team again with its invite QR code."
            ).format(name=esc(member.display_name), team=team_label(team)),
            (_("Yes, remove"), ctx.button(routes.REMOVE_MEMBER, member.id, back)),
            screens.cancel_button(ctx, routes.MEMBER, member.id, back),
        ),
    )


@admin_only
@for_member
async def remove_member(update: Update, ctx: Ctx, member: Member) -> None:
    """Take the person out of their team, confirmed."""
    team = await _current_team(ctx, member)
    back = ctx.int_arg(1)
    if team is not None and await ctx.services.org.remove_member(team.id, member.id):
        _LOGGER.info("Member %s removed from team %s", member.id, team.id)
    listed = await ctx.services.org.team(back) if back > 0 else None
    if listed is not None and listed.archived_at is None:
        page = await service.members_page(ctx.services, listed, 0)
        await show(update, ctx, screens.members(ctx, listed, page))
    else:
        await _refresh_member(update, ctx, member.id)


# --------------------------------------------------------------------- teams


@admin_only
@for_team
async def ask_close_team(update: Update, ctx: Ctx, team: Team) -> None:
    """⛔ Close a team: confirm, saying what happens to its members."""
    _, tr = ctx.tr.gettext, ctx.tr
    text = tr.ngettext(
        "⛔ Close the team {team}?\nIts {n} member will be without a team until they use another team's invite QR code. Its invite QR code stops working.",
        "⛔ Close the team {team}?\nIts {n} members will be without a team until they use another team's invite QR code. Its invite QR code stops working.",
        team.member_count,
    ).format(team=team_label(team), n=tr.number(team.member_count))
    await show(
        update,
        ctx,
        screens.confirm(
            ctx,
            text,
            (_("Yes, close it"), ctx.button(routes.CLOSE_TEAM, team.id)),
            screens.cancel_button(ctx, routes.TEAM, team.id),
        ),
    )


@admin_only
@for_team
async def close_team(update: Update, ctx: Ctx, team: Team) -> None:
    """Close the team, confirmed."""
    await ctx.services.org.archive_team(team.id)
    _LOGGER.info("Team %s closed", team.id)
    screen = await workshop_screen(ctx, team.workshop_id) or await workshops_screen(ctx)
    await show(update, ctx, screen)


# -------------------------------------------------------------------- admins


@admin_only
async def list_admins(update: Update, ctx: Ctx) -> None:
    """🛡 Who the admins are."""
    await show(update, ctx, await admins_screen(ctx, ctx.int_arg(0)))


@admin_only
@for_member
async def remove_admin(update: Update, ctx: Ctx, member: Member) -> None:
    """✖️ Take admin rights from an admin made in the bot."""
    change = await service.set_admin(ctx.services, member, admin=False)
    if change is service.AdminChange.LAST_ADMIN:
        await alert(update, ctx.tr.gettext("Shiftmate needs at least one admin."))
        return
    if change is service.AdminChange.DEMOTED:
        _LOGGER.info("Member %s is no longer an admin", member.id)
    await show(update, ctx, await admins_screen(ctx))


# ------------------------------------------------------------ leader's view


async def my_team(update: Update, ctx: Ctx) -> None:
    """👥 My team: the team a leader leads, or a choice if they lead several."""
    teams = await ctx.services.org.teams_led_by(ctx.member.id) if ctx.member else []
    if not teams:
        await show_menu(update, ctx, ctx.tr.gettext("You do not lead a team at the moment."))
    elif len(teams) == 1:
        await show(update, ctx, await team_screen(ctx, teams[0]))
    else:
        await show(update, ctx, _my_teams(ctx, teams, 0))


async def my_teams_page(update: Update, ctx: Ctx) -> None:
    """◀️ ▶️ through the teams a leader leads."""
    teams = await ctx.services.org.teams_led_by(ctx.member.id) if ctx.member else []
    await show(update, ctx, _my_teams(ctx, teams, ctx.int_arg(0)))


def _my_teams(ctx: Ctx, teams: list[Team], number: int) -> Screen:
    page = page_in(teams, number, service.LIST_PAGE)
    return screens.my_teams(ctx, page)
