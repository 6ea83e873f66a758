"""The admin panel and the leader's team view (see admin.mmd).

Every screen is a message edited in place as the admin taps through it, so the
chat does not fill up with menus. Every button re-checks who is tapping: a
leader's buttons only reach their own teams, an admin's reach everything.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Coroutine
from functools import wraps
from typing import Any

from telegram import InlineKeyboardMarkup, InputFile, Update
from telegram.error import Forbidden
from telegram.ext import ConversationHandler

from bot.context import Ctx
from bot.db.org import NameTaken
from bot.i18n import Translator
from bot.menu import main_menu
from bot.models import Invite, InviteKind, Member, Role, Team
from bot.onboarding.handlers import register_configured_admin, show_menu, team_label
from bot.onboarding.service import NameProblem
from bot.org import service
from bot.org.poster import render_poster
from bot.ui import Button, ack, buttons, column, esc, message_of

_LOGGER = logging.getLogger(__name__)

NAMING = "admin.naming"
END = ConversationHandler.END

Screen = tuple[str, InlineKeyboardMarkup]
Callback = Callable[[Update, Ctx], Coroutine[Any, Any, Any]]


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
            return END
        return await callback(update, ctx)

    return guarded


async def _show(update: Update, ctx: Ctx, screen: Screen) -> None:
    """Edit the tapped message into `screen`, or send it fresh after a command or typed text."""
    text, markup = screen
    query = update.callback_query
    if query is not None:
        await ack(update)
        await query.edit_message_text(text, reply_markup=markup)
    elif update.effective_message is not None:
        await update.effective_message.reply_text(text, reply_markup=markup)


async def _alert(update: Update, text: str) -> None:
    if update.callback_query is not None:
        await ack(update, text, alert=True)


def _teams(tr: Translator, n: int) -> str:
    return tr.ngettext("{n} team", "{n} teams", n).format(n=tr.number(n))


def _members(tr: Translator, n: int) -> str:
    return tr.ngettext("{n} member", "{n} members", n).format(n=tr.number(n))


def _member_line(tr: Translator, index: int, member: Member) -> str:
    _ = tr.gettext
    details = [_("temporary") if member.is_temporary else _("regular")]
    if member.joined_team_at is not None:
        details.append(_("since {date}").format(date=tr.date(member.joined_team_at)))
    line = f"{index}. {esc(member.display_name)} · " + " · ".join(details)
    if not member.reachable:
        line += " · " + _("🚫 cannot be reached")
    return line


# ------------------------------------------------------------------ screens


async def home_screen(ctx: Ctx) -> Screen:
    _, tr = ctx.tr.gettext, ctx.tr
    workshops = await ctx.services.org.workshops()
    teams = await ctx.services.org.all_teams()
    members = sum(t.member_count for t in teams)
    text = "\n".join(
        [
            _("🛠 Admin"),
            " · ".join(
                [
                    tr.ngettext("{n} workshop", "{n} workshops", len(workshops)).format(
                        n=tr.number(len(workshops))
                    ),
                    _teams(tr, len(teams)),
                    _members(tr, members),
                ]
            ),
        ]
    )
    return text, buttons(
        [(_("🏭 Workshops and teams"), ctx.button("wsl"))],
        [(_("👤 Admins"), ctx.button("adl"))],
    )


async def workshops_screen(ctx: Ctx) -> Screen:
    _, tr = ctx.tr.gettext, ctx.tr
    workshops = await ctx.services.org.workshops()
    if workshops:
        text = _("🏭 Workshops\nTap one to see its teams.")
    else:
        text = _("🏭 There are no workshops yet.\nStart by adding one, then add its teams.")
    rows: list[list[Button]] = column(
        [
            (
                _("{workshop} ({teams})").format(workshop=w.name, teams=_teams(tr, w.team_count)),
                ctx.button("ws", w.id),
            )
            for w in workshops
        ]
    )
    rows.append([(_("➕ New workshop"), ctx.button("wsn"))])
    rows.append([(_("⬅️ Back"), ctx.button("adm"))])
    return text, buttons(*rows)


async def workshop_screen(ctx: Ctx, workshop_id: int) -> Screen | None:
    _, tr = ctx.tr.gettext, ctx.tr
    workshop = await ctx.services.org.workshop(workshop_id)
    if workshop is None or workshop.archived_at is not None:
        return None
    teams = await ctx.services.org.teams(workshop_id)
    lines = [_("🏭 {workshop}").format(workshop=esc(workshop.name))]
    lines.append(_("No teams yet.") if not teams else _("Teams:"))
    rows = column(
        [
            (
                _("{team} ({members})").format(team=t.name, members=_members(tr, t.member_count)),
                ctx.button("tm", t.id),
            )
            for t in teams
        ]
    )
    rows.append([(_("➕ New team"), ctx.button("tmn", workshop_id))])
    rows.append(
        [
            (_("✏️ Rename"), ctx.button("wsr", workshop_id)),
            (_("🗄 Archive"), ctx.button("wsa", workshop_id)),
        ]
    )
    rows.append([(_("⬅️ Back"), ctx.button("wsl"))])
    return "\n".join(lines), buttons(*rows)


async def team_screen(ctx: Ctx, team: Team) -> Screen:
    _, tr = ctx.tr.gettext, ctx.tr
    leaders = await ctx.services.org.leaders(team.id)
    invite = await ctx.services.invites.current_member_invite(team.id)
    lines = [
        _("👥 {team}").format(team=esc(team.name)),
        _("🏭 {workshop}").format(workshop=esc(team.workshop_name)),
        _members(tr, team.member_count),
        _("Leaders: {names}").format(names=", ".join(esc(m.display_name) for m in leaders))
        if leaders
        else _("Leaders: none yet"),
        _("Invite QR code: valid until {date}").format(date=tr.date(invite.expires_at))
        if invite
        else _("Invite QR code: none (one is made when you open it)"),
    ]
    rows: list[list[Button]] = [
        [
            (_("📋 Members"), ctx.button("tmm", team.id, 0)),
            (_("🔗 Invite QR code"), ctx.button("tmi", team.id)),
        ],
    ]
    if ctx.is_admin:
        rows.append([(_("👷 Leaders"), ctx.button("tml", team.id))])
        rows.append(
            [
                (_("✏️ Rename"), ctx.button("tmr", team.id)),
                (_("🗄 Archive"), ctx.button("tma", team.id)),
            ]
        )
        rows.append([(_("⬅️ Back"), ctx.button("ws", team.workshop_id))])
    return "\n".join(lines), buttons(*rows)


async def members_screen(ctx: Ctx, team: Team, number: int) -> Screen:
    _, tr = ctx.tr.gettext, ctx.tr
    page = await service.member_page(ctx.services, team, number)
    start = page.number * service.PAGE_SIZE
    lines = [_("📋 Members of {team} ({n})").format(team=esc(team.name), n=tr.number(page.total))]
    if not page.members:
        lines.append(_("Nobody has joined yet. Share the invite QR code with the team."))
    lines += [_member_line(tr, start + i + 1, m) for i, m in enumerate(page.members)]
    rows: list[list[Button]] = []
    if ctx.is_admin:
        rows += column([(m.display_name, ctx.button("mb", m.id, team.id)) for m in page.members])
    pager: list[Button] = []
    if page.has_previous:
        pager.append(("◀️", ctx.button("tmm", team.id, page.number - 1)))
    if page.count > 1:
        pager.append((f"{page.number + 1}/{page.count}", ctx.button("noop")))
    if page.has_next:
        pager.append(("▶️", ctx.button("tmm", team.id, page.number + 1)))
    if pager:
        rows.append(pager)
    rows.append([(_("⬅️ Back"), ctx.button("tm", team.id))])
    return "\n".join(lines), buttons(*rows)


async def leaders_screen(ctx: Ctx, team: Team) -> Screen:
    _ = ctx.tr.gettext
    leaders = await ctx.services.org.leaders(team.id)
    lines = [_("👷 Leaders of {team}").format(team=esc(team.name))]
    if not leaders:
        lines.append(_("No leaders yet. Pick a member, or send a leader invite to someone new."))
    rows = column(
        [
            (_("✖️ Remove {name}").format(name=m.display_name), ctx.button("tmlr", m.id, team.id))
            for m in leaders
        ]
    )
    rows.append([(_("➕ Pick from members"), ctx.button("tmla", team.id, 0))])
    rows.append([(_("✉️ Leader invite link"), ctx.button("tmlv", team.id))])
    rows.append([(_("⬅️ Back"), ctx.button("tm", team.id))])
    return "\n".join(lines), buttons(*rows)


async def member_screen(ctx: Ctx, member: Member, team: Team) -> Screen:
    _, tr = ctx.tr.gettext, ctx.tr
    leaders = {m.id for m in await ctx.services.org.leaders(team.id)}
    is_admin = ctx.services.is_admin(member.telegram_id, member)
    lines = [
        _("👤 {name}").format(name=esc(member.display_name)),
        _("Team: {team} · {workshop}").format(
            team=esc(member.team_name or "-"), workshop=esc(member.workshop_name or "-")
        ),
        _("Staff type: temporary") if member.is_temporary else _("Staff type: regular"),
        _("Registered: {date}").format(date=tr.date(member.created_at)),
    ]
    if member.id in leaders:
        lines.append(_("Leads this team."))
    if is_admin:
        lines.append(_("Is an admin."))
    if not member.reachable:
        lines.append(_("🚫 Cannot be reached: they blocked the bot or deleted their account."))
    leader_label = _("✖️ No longer leader") if member.id in leaders else _("⭐ Make team leader")
    rows: list[list[Button]] = [
        [(leader_label, ctx.button("mbl", member.id, team.id))],
        [
            (
                _("Mark as regular staff") if member.is_temporary else _("Mark as temporary staff"),
                ctx.button("mbt", member.id, team.id),
            )
        ],
    ]
    if member.role is Role.ADMIN:
        rows.append([(_("✖️ Remove admin rights"), ctx.button("mba", member.id, team.id))])
    elif not is_admin:
        rows.append([(_("🛡 Make admin"), ctx.button("mba", member.id, team.id))])
    if member.team_id == team.id:
        rows.append([(_("🚪 Remove from team"), ctx.button("mbx", member.id, team.id))])
    rows.append([(_("⬅️ Back"), ctx.button("tmm", team.id, 0))])
    return "\n".join(lines), buttons(*rows)


async def admins_screen(ctx: Ctx) -> Screen:
    _ = ctx.tr.gettext
    promoted = await ctx.services.members.admins()
    configured = await ctx.services.members.by_telegram_ids(sorted(ctx.services.settings.admins))
    lines = [_("👤 Admins")]
    lines += [
        _("• {name} (set in the configuration)").format(name=esc(m.display_name))
        for m in configured
    ]
    lines += [
        f"• {esc(m.display_name)}"
        for m in promoted
        if m.telegram_id not in ctx.services.settings.admins
    ]
    unregistered = len(ctx.services.settings.admins) - len(configured)
    if unregistered > 0:
        lines.append(
            ctx.tr.ngettext(
                "• {n} more from the configuration, who has not opened the bot yet",
                "• {n} more from the configuration, who have not opened the bot yet",
                unregistered,
            ).format(n=unregistered)
        )
    lines.append(_("To make someone an admin, open them in their team's member list."))
    rows = column(
        [
            (_("✖️ Remove {name}").format(name=m.display_name), ctx.button("adx", m.id))
            for m in promoted
            if m.telegram_id not in ctx.services.settings.admins
        ]
    )
    rows.append([(_("⬅️ Back"), ctx.button("adm"))])
    return "\n".join(lines), buttons(*rows)


def confirm_screen(ctx: Ctx, text: str, yes: Button, back: str, *back_args: int) -> Screen:
    return text, buttons([yes], [(ctx.tr.gettext("Cancel"), ctx.button(back, *back_args))])


# --------------------------------------------------------------- navigation


async def _team_or_alert(update: Update, ctx: Ctx, team_id: int) -> Team | None:
    """The team a button points to, if it still exists and this person may manage it."""
    user = update.effective_user
    assert user is not None  # noqa: S101
    team = await ctx.services.org.team(team_id)
    if team is None or team.archived_at is not None:
        await _alert(update, ctx.tr.gettext("This team no longer exists."))
        return None
    if not await service.can_manage_team(ctx.services, user.id, ctx.member, team_id):
        await _alert(update, ctx.tr.gettext("🔒 Only admins and this team's leaders can do this."))
        return None
    return team


async def _member_or_alert(update: Update, ctx: Ctx, member_id: int) -> Member | None:
    member = await ctx.services.members.get(member_id)
    if member is None:
        await _alert(update, ctx.tr.gettext("This person has left Shiftmate."))
    return member


TeamCallback = Callable[[Update, Ctx, Team], Coroutine[Any, Any, Any]]
MemberCallback = Callable[[Update, Ctx, Member, Team], Coroutine[Any, Any, Any]]


def for_team(callback: TeamCallback) -> Callback:
    """A button about a team (its id first): resolve it, or explain why not."""

    @wraps(callback)
    async def resolved(update: Update, ctx: Ctx) -> Any:
        team = await _team_or_alert(update, ctx, ctx.int_arg(0))
        return None if team is None else await callback(update, ctx, team)

    return resolved


def for_member(callback: MemberCallback) -> Callback:
    """A button about a member of a team (member id, then team id): resolve both."""

    @wraps(callback)
    async def resolved(update: Update, ctx: Ctx) -> Any:
        member = await _member_or_alert(update, ctx, ctx.int_arg(0))
        team = await _team_or_alert(update, ctx, ctx.int_arg(1))
        if member is None or team is None:
            return None
        return await callback(update, ctx, member, team)

    return resolved


@admin_only
async def admin_home(update: Update, ctx: Ctx) -> None:
    """/admin or 🛠 Admin: the admin panel's home screen."""
    if ctx.member is None:
        await register_configured_admin(update, ctx)
    await _show(update, ctx, await home_screen(ctx))


@admin_only
async def admin_home_tapped(update: Update, ctx: Ctx) -> None:
    """⬅️ back to the admin home screen."""
    await _show(update, ctx, await home_screen(ctx))


@admin_only
async def list_workshops(update: Update, ctx: Ctx) -> None:
    """🏭 The workshop list."""
    await _show(update, ctx, await workshops_screen(ctx))


@admin_only
async def open_workshop(update: Update, ctx: Ctx) -> None:
    """A workshop and its teams."""
    screen = await workshop_screen(ctx, ctx.int_arg(0))
    if screen is None:
        await _alert(update, ctx.tr.gettext("This workshop no longer exists."))
        screen = await workshops_screen(ctx)
    await _show(update, ctx, screen)


@admin_only
async def ask_archive_workshop(update: Update, ctx: Ctx) -> None:
    """🗄 Archive a workshop: only an empty one, after a confirmation."""
    _ = ctx.tr.gettext
    workshop = await ctx.services.org.workshop(ctx.int_arg(0))
    if workshop is None or workshop.archived_at is not None:
        await _alert(update, _("This workshop no longer exists."))
        return
    if workshop.team_count:
        await _alert(update, _("This workshop still has teams. Archive its teams first."))
        return
    await _show(
        update,
        ctx,
        confirm_screen(
            ctx,
            _("🗄 Archive the workshop {workshop}?").format(workshop=esc(workshop.name)),
            (_("Yes, archive"), ctx.button("wsax", workshop.id)),
            "ws",
            workshop.id,
        ),
    )


@admin_only
async def archive_workshop(update: Update, ctx: Ctx) -> None:
    """Archive the workshop, confirmed."""
    if not await ctx.services.org.archive_workshop(ctx.int_arg(0)):
        await _alert(
            update, ctx.tr.gettext("This workshop still has teams. Archive its teams first.")
        )
        return
    _LOGGER.info("Workshop %s archived", ctx.int_arg(0))
    await _show(update, ctx, await workshops_screen(ctx))


@for_team
async def open_team(update: Update, ctx: Ctx, team: Team) -> None:
    """A team's overview (admins, and the team's leaders)."""
    await _show(update, ctx, await team_screen(ctx, team))


@for_team
async def list_members(update: Update, ctx: Ctx, team: Team) -> None:
    """A team's members, a page at a time."""
    await _show(update, ctx, await members_screen(ctx, team, ctx.int_arg(1)))


@for_team
async def send_invite(update: Update, ctx: Ctx, team: Team) -> None:
    """🔗 The team's invite link and printable QR poster."""
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
    caption = "\n".join(
        [
            _("🔗 Invite for {team}").format(team=team_label(team)),
            link,
            _(
                "Valid until {date}. Print the PNG and put it up where the team gathers, or forward the link."
            ).format(date=tr.date(invite.expires_at)),
        ]
    )
    await ctx.bot.send_document(
        chat_id,
        InputFile(png, filename=f"invite-team-{team.id}.png"),
        caption=caption,
        reply_markup=buttons(
            [(_("♻️ New link (the old one stops working)"), ctx.button("tmin", team.id))],
            [(_("⛔ Revoke the link"), ctx.button("tmix", team.id))],
        ),
    )


@for_team
async def ask_new_invite(update: Update, ctx: Ctx, team: Team) -> None:
    """♻️ Replace the poster: confirm first, because printed copies stop working."""
    _ = ctx.tr.gettext
    await ack(update)
    await message_of(update).reply_text(
        _(
            "♻️ Make a new invite for {team}?\nThe old link and printed QR codes will stop working."
        ).format(team=team_label(team)),
        reply_markup=buttons(
            [(_("Yes, make a new one"), ctx.button("tminx", team.id))],
            [(_("Cancel"), ctx.button("tm", team.id))],
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
        ctx.tr.gettext("✅ New invite made. The old one no longer works.")
    )
    await _send_poster(ctx, message_of(update).chat_id, team, invite)


@for_team
async def ask_revoke_invite(update: Update, ctx: Ctx, team: Team) -> None:
    """⛔ Revoke the poster invite: confirm first."""
    _ = ctx.tr.gettext
    await ack(update)
    await message_of(update).reply_text(
        _(
            "⛔ Revoke the invite for {team}?\nNobody will be able to join with it. You can make a new one any time."
        ).format(team=team_label(team)),
        reply_markup=buttons(
            [(_("Yes, revoke"), ctx.button("tmixx", team.id))],
            [(_("Cancel"), ctx.button("tm", team.id))],
        ),
    )


@for_team
async def revoke_invite(update: Update, ctx: Ctx, team: Team) -> None:
    """Revoke the team's poster invite, confirmed."""
    await ctx.services.invites.revoke_member_invites(team.id)
    _LOGGER.info("Invites revoked for team %s", team.id)
    await _show(
        update,
        ctx,
        (
            ctx.tr.gettext(
                "⛔ The invite for {team} is revoked. Nobody can join with it any more."
            ).format(team=team_label(team)),
            buttons([(ctx.tr.gettext("⬅️ Back to the team"), ctx.button("tm", team.id))]),
        ),
    )


@admin_only
@for_team
async def list_leaders(update: Update, ctx: Ctx, team: Team) -> None:
    """👷 The team's leaders."""
    await _show(update, ctx, await leaders_screen(ctx, team))


@admin_only
@for_team
async def pick_leader(update: Update, ctx: Ctx, team: Team) -> None:
    """➕ Choose a member of the team to lead it."""
    _ = ctx.tr.gettext
    page = await service.member_page(ctx.services, team, ctx.int_arg(1))
    rows = column([(m.display_name, ctx.button("tmlas", m.id, team.id)) for m in page.members])
    pager: list[Button] = []
    if page.has_previous:
        pager.append(("◀️", ctx.button("tmla", team.id, page.number - 1)))
    if page.has_next:
        pager.append(("▶️", ctx.button("tmla", team.id, page.number + 1)))
    if pager:
        rows.append(pager)
    rows.append([(_("⬅️ Back"), ctx.button("tml", team.id))])
    text = (
        _("Who should lead {team}?").format(team=esc(team.name))
        if page.members
        else _("Nobody has joined this team yet. Send a leader invite instead.")
    )
    await _show(update, ctx, (text, buttons(*rows)))


@admin_only
@for_member
async def assign_leader(update: Update, ctx: Ctx, member: Member, team: Team) -> None:
    """Make the picked member a leader of the team, and tell them."""
    await ctx.services.org.assign_leader(team.id, member.id)
    _LOGGER.info("Member %s now leads team %s", member.id, team.id)
    await _tell_new_leader(ctx, member, team)
    await _show(update, ctx, await leaders_screen(ctx, team))


async def _tell_new_leader(ctx: Ctx, member: Member, team: Team) -> None:
    """Let a new leader know, in their language, with the menu that now has 👥 My team."""
    tr = ctx.services.i18n.for_person(member.locale, member.language_code)
    text = tr.gettext(
        "👷 You now lead the team {team}.\nUse 👥 My team below to see your team and its invite QR code."
    ).format(team=team_label(team))
    menu = main_menu(tr, is_leader=True, is_admin=ctx.services.is_admin(member.telegram_id, member))
    try:
        await ctx.bot.send_message(member.telegram_id, text, reply_markup=menu)
    except Forbidden:
        await ctx.services.members.set_reachable(member.telegram_id, False)
        _LOGGER.info("Could not tell member %s they lead team %s: bot blocked", member.id, team.id)


@admin_only
@for_member
async def remove_leader(update: Update, ctx: Ctx, member: Member, team: Team) -> None:
    """✖️ The member no longer leads the team."""
    await ctx.services.org.remove_leader(team.id, member.id)
    _LOGGER.info("Member %s no longer leads team %s", member.id, team.id)
    await _show(update, ctx, await leaders_screen(ctx, team))


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
                _("It works once, until {date}. Send it privately to the new leader.").format(
                    date=ctx.tr.date(invite.expires_at)
                ),
            ]
        )
    )


@admin_only
@for_member
async def open_member(update: Update, ctx: Ctx, member: Member, team: Team) -> None:
    """👤 One member, with what an admin can change about them."""
    await _show(update, ctx, await member_screen(ctx, member, team))


@admin_only
@for_member
async def toggle_leader(update: Update, ctx: Ctx, member: Member, team: Team) -> None:
    """⭐ / ✖️ on a member: make them a leader of the team, or not any more."""
    if any(m.id == member.id for m in await ctx.services.org.leaders(team.id)):
        await ctx.services.org.remove_leader(team.id, member.id)
        _LOGGER.info("Member %s no longer leads team %s", member.id, team.id)
    else:
        await ctx.services.org.assign_leader(team.id, member.id)
        _LOGGER.info("Member %s now leads team %s", member.id, team.id)
        await _tell_new_leader(ctx, member, team)
    await _refresh_member(update, ctx, member.id, team)


@admin_only
@for_member
async def toggle_temporary(update: Update, ctx: Ctx, member: Member, team: Team) -> None:
    """Correct a member's staff type."""
    await ctx.services.members.set_temporary(member.id, not member.is_temporary)
    await _refresh_member(update, ctx, member.id, team)


@admin_only
@for_member
async def toggle_admin(update: Update, ctx: Ctx, member: Member, team: Team) -> None:
    """🛡 Promote a member to admin, or take the rights back."""
    if member.role is Role.ADMIN:
        if not await _may_demote(update, ctx, member):
            return
        await ctx.services.members.demote_admin(member.id)
        _LOGGER.info("Member %s is no longer an admin", member.id)
    elif member.telegram_id not in ctx.services.settings.admins:
        await ctx.services.members.set_role(member.id, Role.ADMIN)
        _LOGGER.info("Member %s promoted to admin", member.id)
        await _tell_new_admin(ctx, member)
    await _refresh_member(update, ctx, member.id, team)


async def _may_demote(update: Update, ctx: Ctx, member: Member) -> bool:
    """Keep at least one admin: demoting the last one would lock everybody out."""
    promoted = await ctx.services.members.admins()
    if not ctx.services.settings.admins and len(promoted) <= 1:
        await _alert(update, ctx.tr.gettext("Shiftmate needs at least one admin."))
        return False
    return True


async def _tell_new_admin(ctx: Ctx, member: Member) -> None:
    tr = ctx.services.i18n.for_person(member.locale, member.language_code)
    leads = bool(await ctx.services.org.teams_led_by(member.id))
    try:
        await ctx.bot.send_message(
            member.telegram_id,
            tr.gettext("🛡 You are now an admin of Shiftmate. Use 🛠 Admin below."),
            reply_markup=main_menu(tr, is_leader=leads, is_admin=True),
        )
    except Forbidden:
        await ctx.services.members.set_reachable(member.telegram_id, False)
        _LOGGER.info("Could not tell member %s they are an admin: bot blocked", member.id)


@admin_only
@for_member
async def ask_remove_member(update: Update, ctx: Ctx, member: Member, team: Team) -> None:
    """🚪 Take a member out of the team: confirm first."""
    _ = ctx.tr.gettext
    await _show(
        update,
        ctx,
        confirm_screen(
            ctx,
            _(
                "🚪 Remove {name} from {team}?\nTheir account stays; they can join a team again with an invite."
            ).format(name=esc(member.display_name), team=esc(team.name)),
            (_("Yes, remove"), ctx.button("mbxx", member.id, team.id)),
            "mb",
            member.id,
            team.id,
        ),
    )


@admin_only
@for_member
async def remove_member(update: Update, ctx: Ctx, member: Member, team: Team) -> None:
    """Take the member out of the team, confirmed."""
    if member.team_id == team.id:
        await ctx.services.members.remove_from_team(member.id)
        await ctx.services.org.remove_leader(team.id, member.id)
        _LOGGER.info("Member %s removed from team %s", member.id, team.id)
    refreshed = await ctx.services.org.team(team.id)
    await _show(update, ctx, await members_screen(ctx, refreshed or team, 0))


async def _refresh_member(update: Update, ctx: Ctx, member_id: int, team: Team) -> None:
    member = await ctx.services.members.get(member_id)
    if member is not None:
        await _show(update, ctx, await member_screen(ctx, member, team))


@admin_only
@for_team
async def ask_archive_team(update: Update, ctx: Ctx, team: Team) -> None:
    """🗄 Archive a team: confirm, saying what happens to its members."""
    _, tr = ctx.tr.gettext, ctx.tr
    text = tr.ngettext(
        "🗄 Archive the team {team}?\nIts {n} member will be without a team until they use another team's invite. Its invite stops working.",
        "🗄 Archive the team {team}?\nIts {n} members will be without a team until they use another team's invite. Its invite stops working.",
        team.member_count,
    ).format(team=team_label(team), n=tr.number(team.member_count))
    await _show(
        update,
        ctx,
        confirm_screen(ctx, text, (_("Yes, archive"), ctx.button("tmax", team.id)), "tm", team.id),
    )


@admin_only
@for_team
async def archive_team(update: Update, ctx: Ctx, team: Team) -> None:
    """Archive the team, confirmed."""
    await ctx.services.org.archive_team(team.id)
    _LOGGER.info("Team %s archived", team.id)
    screen = await workshop_screen(ctx, team.workshop_id) or await workshops_screen(ctx)
    await _show(update, ctx, screen)


@admin_only
async def list_admins(update: Update, ctx: Ctx) -> None:
    """👤 Who the admins are."""
    await _show(update, ctx, await admins_screen(ctx))


@admin_only
async def remove_admin(update: Update, ctx: Ctx) -> None:
    """✖️ Take admin rights from a promoted admin."""
    member = await _member_or_alert(update, ctx, ctx.int_arg(0))
    if member is None:
        return
    if member.role is Role.ADMIN and await _may_demote(update, ctx, member):
        await ctx.services.members.demote_admin(member.id)
        _LOGGER.info("Member %s is no longer an admin", member.id)
    await _show(update, ctx, await admins_screen(ctx))


# ------------------------------------------------------------ leader's view


async def my_team(update: Update, ctx: Ctx) -> None:
    """👥 My team: the team a leader leads, or a choice if they lead several."""
    message = update.effective_message
    assert message is not None  # noqa: S101
    _ = ctx.tr.gettext
    teams = await ctx.services.org.teams_led_by(ctx.member.id) if ctx.member else []
    if not teams:
        await show_menu(update, ctx, _("You do not lead a team at the moment."))
        return
    if len(teams) == 1:
        await _show(update, ctx, await team_screen(ctx, teams[0]))
        return
    await message.reply_text(
        _("👥 Which team?"),
        reply_markup=buttons(
            *column([(f"{t.name} · {t.workshop_name}", ctx.button("tm", t.id)) for t in teams])
        ),
    )


# ------------------------------------------------------ naming (typed input)


_NAMING_KINDS = {
    "wsn": "new_workshop",
    "tmn": "new_team",
    "wsr": "rename_workshop",
    "tmr": "rename_team",
}


@admin_only
async def naming_start(update: Update, ctx: Ctx) -> str | int:
    """➕ / ✏️: ask the admin to type a workshop or team name."""
    query = update.callback_query
    assert query is not None and ctx.tap is not None and query.message is not None  # noqa: S101
    await ack(update)
    _ = ctx.tr.gettext
    kind = _NAMING_KINDS[ctx.tap.route]
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
    message = update.effective_message
    assert message is not None and message.text is not None  # noqa: S101
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
    kind, target = naming["kind"], naming["target"]
    try:
        screen = await _save_name(ctx, kind, target, name)
    except NameTaken:
        await message.reply_text(
            _("“{name}” is already taken here. Please type another name, or /cancel.").format(
                name=esc(name)
            )
        )
        return NAMING
    ctx.dialog.pop("naming", None)
    await _show(update, ctx, screen)
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
    message = update.effective_message
    assert message is not None  # noqa: S101
    await message.reply_text(ctx.tr.gettext("Please type the name as text, or /cancel."))
    return NAMING


async def naming_cancel(update: Update, ctx: Ctx) -> int:
    """/cancel while naming."""
    ctx.dialog.pop("naming", None)
    await show_menu(update, ctx, ctx.tr.gettext("OK, cancelled."))
    return END
