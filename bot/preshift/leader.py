"""The team leader's pre-shift study: start it, follow it, close it, set the shift schedule.

A team leader runs sessions for the teams they lead; an admin for any team. The
message a session is started from becomes the leader's live status message,
edited in place as answers arrive and turned into the summary at the end.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Coroutine
from datetime import time, timedelta
from functools import wraps
from typing import Any

from telegram import InlineKeyboardMarkup, Update

from bot.context import Ctx
from bot.db.study import Session, SessionOpen
from bot.menu import show_menu
from bot.models import Member, Team, page_in
from bot.preshift import routes, sessions, views
from bot.preshift.service import Preshift
from bot.ui import Button, ack, buttons, column, message_of, page_line, pager, team_label

_LOGGER = logging.getLogger(__name__)

TEAMS_PAGE = 10
PEOPLE_PAGE = 8
EXTEND_BY = timedelta(minutes=15)
NUDGE_AGAIN_AFTER = timedelta(minutes=10)
LEADS = (15, 30, 45, 60)
MINUTES = (0, 15, 30, 45)

Screen = tuple[str, InlineKeyboardMarkup | None]


async def _show(update: Update, ctx: Ctx, screen: Screen, *, answered: bool = False) -> None:
    """Edit the tapped message into `screen` (answering the tap first, unless it was)."""
    text, markup = screen
    if update.callback_query is not None:
        if not answered:
            await ack(update)
        await update.callback_query.edit_message_text(text, reply_markup=markup)
    else:
        await message_of(update).reply_text(text, reply_markup=markup)


async def _alert(update: Update, text: str) -> None:
    await ack(update, text, alert=True)


async def _runs(ctx: Ctx, team: Team) -> bool:
    """Admins run every team's study; a team leader the teams they lead."""
    if ctx.is_admin:
        return True
    return ctx.member is not None and await ctx.services.org.leads(team.id, ctx.member.id)


async def _team(update: Update, ctx: Ctx, team_id: int) -> Team | None:
    team = await ctx.services.org.team(team_id)
    if team is None or team.archived_at is not None:
        await _alert(update, ctx.tr.gettext("This team is no longer in use."))
        return None
    if not await _runs(ctx, team):
        _LOGGER.info("Refused pre-shift study of team %s to %s", team_id, ctx.member)
        await _alert(
            update, ctx.tr.gettext("🔒 Only this team's leaders and the admins can do this.")
        )
        return None
    return team


TeamHandler = Callable[[Update, Ctx, Team], Coroutine[Any, Any, None]]


def for_team(handler: TeamHandler) -> Callable[[Update, Ctx], Coroutine[Any, Any, None]]:
    """A button about a team (its id first): resolve it and check who is tapping, or say why not."""

    @wraps(handler)
    async def resolved(update: Update, ctx: Ctx) -> None:
        team = await _team(update, ctx, ctx.int_arg(0))
        if team is not None:
            await handler(update, ctx, team)

    return resolved


async def _session(update: Update, ctx: Ctx) -> tuple[Session, Team] | None:
    preshift = ctx.services.get(Preshift)
    session = await preshift.study.session(ctx.int_arg(0))
    if session is None:
        await _alert(update, ctx.tr.gettext("This pre-shift study no longer exists."))
        return None
    team = await _team(update, ctx, session.team_id)
    return None if team is None else (session, team)


# ------------------------------------------------------------------ screens


async def _my_teams(ctx: Ctx) -> list[Team]:
    if ctx.member is not None:
        led = await ctx.services.org.teams_led_by(ctx.member.id)
        if led or not ctx.is_admin:
            return led
    return await ctx.services.org.all_teams() if ctx.is_admin else []


async def home(update: Update, ctx: Ctx) -> None:
    """📚 or /preshift: the team's pre-shift study, or a choice of teams."""
    teams = await _my_teams(ctx)
    if not teams:
        await show_menu(
            update,
            ctx,
            ctx.tr.gettext("Pre-shift study is run by team leaders; you do not lead a team."),
        )
    elif len(teams) == 1:
        await _show(update, ctx, await team_screen(ctx, teams[0]))
    else:
        await _show(update, ctx, _teams_screen(ctx, teams, 0))


async def teams_page(update: Update, ctx: Ctx) -> None:
    """◀️ ▶️ through the teams."""
    await _show(update, ctx, _teams_screen(ctx, await _my_teams(ctx), ctx.int_arg(0)))


def _teams_screen(ctx: Ctx, teams: list[Team], number: int) -> Screen:
    page = page_in(teams, number, TEAMS_PAGE)
    rows = column(
        [(f"{t.name} · {t.workshop_name}", ctx.button(routes.TEAM, t.id)) for t in page.items]
    )
    rows += pager(page, lambda n: ctx.button(routes.TEAMS, n))
    text = "\n".join(
        line
        for line in (ctx.tr.gettext("📚 Pre-shift study: which team?"), page_line(ctx.tr, page))
        if line
    )
    return text, buttons(*rows)


async def team_screen(ctx: Ctx, team: Team) -> Screen:
    _, tr = ctx.tr.gettext, ctx.tr
    preshift = ctx.services.get(Preshift)
    schedules = await preshift.study.schedules(team.id)
    group = await preshift.study.group_of(team.id)
    lines = [
        _("📚 Pre-shift study · {team}").format(team=team_label(team)),
        tr.ngettext("{n} member", "{n} members", team.member_count).format(
            n=tr.number(team.member_count)
        )
        + " · "
        + _("open for {n} minutes").format(n=tr.number(preshift.window.seconds // 60)),
    ]
    if schedules:
        lines.append(_("🗓 Shifts:"))
        lines += [f"• {views.schedule_line(tr, s)}" for s in schedules]
    else:
        lines.append(_("🗓 No shift schedule: start it with ▶️ when the team gathers."))
    lines.append(
        _("👥 The team's group chat gets the start notice and the summary.")
        if group is not None
        else _(
            "👥 To send the start notice and summary to the team's group chat too: add Shiftmate to the group, then send /link there."
        )
    )
    rows: list[list[Button]] = []
    current = await preshift.study.open_for(team.id)
    if current is not None:
        lines.append(
            _("⏳ Pre-shift study is open until {time}.").format(
                time=tr.time_of_day(current.closes_at)
            )
        )
        rows.append([(_("📊 Show its status"), ctx.button(routes.STATUS, current.id))])
    else:
        rows.append([(_("▶️ Start now"), ctx.button(routes.START, team.id))])
    rows.append([(_("🗓 Shift schedule"), ctx.button(routes.SCHEDULES, team.id))])
    if group is not None:
        rows.append([(_("✖️ Unlink the group chat"), ctx.button(routes.UNLINK_GROUP, team.id))])
    return "\n".join(lines), buttons(*rows)


@for_team
async def open_team(update: Update, ctx: Ctx, team: Team) -> None:
    """A team's pre-shift study screen."""
    await _show(update, ctx, await team_screen(ctx, team))


# ------------------------------------------------------------------ sessions


@for_team
async def start(update: Update, ctx: Ctx, team: Team) -> None:
    """▶️ Start now: open the session; this message becomes the live status."""
    _ = ctx.tr.gettext
    preshift = ctx.services.get(Preshift)
    try:
        session = await sessions.open_session(
            ctx, team, started_by=ctx.member.id if ctx.member else None
        )
    except SessionOpen:
        await _alert(update, _("A pre-shift study is already open for this team."))
        current = await preshift.study.open_for(team.id)
        if current is not None:
            await _become_status(update, ctx, current, team, answered=True)
        return
    if session is None:
        await _alert(update, _("Nobody is in this team yet. Share its invite QR code first."))
        return
    await _become_status(update, ctx, session, team)
    sessions.start_delivery(ctx, session)
    await sessions.announce(ctx, session, team, except_chat=message_of(update).chat_id)


async def _become_status(
    update: Update, ctx: Ctx, session: Session, team: Team, *, answered: bool = False
) -> None:
    message = message_of(update)
    preshift = ctx.services.get(Preshift)
    await preshift.study.add_status_message(session.id, message.chat_id, message.message_id)
    text, markup = await sessions.status_screen(ctx, session, team, ctx.tr, message.chat_id)
    await _show(update, ctx, (text, markup), answered=answered)


async def show_status(update: Update, ctx: Ctx) -> None:
    """📊 The session's live status, in this message from now on."""
    found = await _session(update, ctx)
    if found is not None:
        await _become_status(update, ctx, *found)


async def close(update: Update, ctx: Ctx) -> None:
    """⏹ Close now: the window ends; late completions still count today."""
    found = await _session(update, ctx)
    if found is None:
        return
    session, _team_ = found
    preshift = ctx.services.get(Preshift)
    if await preshift.study.close(session.id):
        _LOGGER.info("Session %s closed early by member %s", session.id, ctx.member)
    await ack(update)
    await sessions.refresh_status(ctx, session.id)


async def extend(update: Update, ctx: Ctx) -> None:
    """⏱ 15 more minutes."""
    found = await _session(update, ctx)
    if found is None:
        return
    session, _team_ = found
    preshift = ctx.services.get(Preshift)
    now = ctx.services.clock.now()
    if not await preshift.study.extend(session.id, max(session.closes_at, now) + EXTEND_BY):
        await _alert(update, ctx.tr.gettext("This pre-shift study is closed already."))
        return
    await ack(update)
    await sessions.refresh_status(ctx, session.id)


async def nudge(update: Update, ctx: Ctx) -> None:
    """🔔 Remind everyone who has not taken part yet (at most every ten minutes each)."""
    found = await _session(update, ctx)
    if found is None:
        return
    session, _team_ = found
    if session.finished_at is not None:
        await _alert(update, ctx.tr.gettext("This pre-shift study is over."))
        return
    due = await sessions.due_for_reminder(ctx, session, again_after=NUDGE_AGAIN_AFTER)
    if due:
        text = ctx.tr.ngettext("🔔 Reminding {n} person.", "🔔 Reminding {n} people.", due).format(
            n=ctx.tr.number(due)
        )
    else:
        text = ctx.tr.gettext(
            "Nobody to remind just now: everyone has had a reminder in the last ten minutes, or has taken part."
        )
    await _alert(update, text)  # the tap is answered first; the reminders queue behind replies
    if due:
        await sessions.remind(ctx, session, again_after=NUDGE_AGAIN_AFTER)
        await sessions.refresh_status(ctx, session.id)  # it shows when the last reminder went


async def in_person(update: Update, ctx: Ctx) -> None:
    """✋ Who has not taken part, to mark those who did without a phone."""
    found = await _session(update, ctx)
    if found is not None:
        await _show(update, ctx, await _in_person_screen(ctx, found[0], ctx.int_arg(1)))


async def mark_present(update: Update, ctx: Ctx) -> None:
    """A member took part in person: recorded as present."""
    found = await _session(update, ctx)
    if found is None:
        return
    session, _team_ = found
    preshift = ctx.services.get(Preshift)
    member_id = ctx.int_arg(1)
    if await preshift.study.in_person(session.id, member_id):
        _LOGGER.info("Member %s marked present in person in session %s", member_id, session.id)
    await _show(update, ctx, await _in_person_screen(ctx, session, ctx.int_arg(2)))


async def _in_person_screen(ctx: Ctx, session: Session, number: int) -> Screen:
    _ = ctx.tr.gettext
    preshift = ctx.services.get(Preshift)
    missing = [
        a
        for a in await preshift.study.attendance_list(session.id)
        if a.status in ("pending", "started", "absent")
    ]
    page = page_in(missing, number, PEOPLE_PAGE)
    rows = column(
        [
            (
                f"✋ {a.display_name}",
                ctx.button(routes.MARK_PRESENT, session.id, a.member_id, page.number),
            )
            for a in page.items
        ]
    )
    rows += pager(page, lambda n: ctx.button(routes.IN_PERSON, session.id, n))
    rows.append([(_("⬅️ Back"), ctx.button(routes.STATUS, session.id))])
    text = (
        _("✋ Tap whoever took part in person, without a phone.")
        if missing
        else _("✋ Everyone has taken part.")
    )
    return "\n".join(line for line in (text, page_line(ctx.tr, page)) if line), buttons(*rows)


# ----------------------------------------------------------------- schedules


@for_team
async def schedules(update: Update, ctx: Ctx, team: Team) -> None:
    """🗓 The team's shifts, to add or remove one."""
    await _show(update, ctx, await _schedules_screen(ctx, team))


async def _schedules_screen(ctx: Ctx, team: Team, note: str | None = None) -> Screen:
    _, tr = ctx.tr.gettext, ctx.tr
    preshift = ctx.services.get(Preshift)
    found = await preshift.study.schedules(team.id)
    lines = [note] if note else []
    lines.append(_("🗓 Shifts of {team}").format(team=team_label(team)))
    if found:
        lines += [f"• {views.schedule_line(tr, s)}" for s in found]
        lines.append(
            _("Before each shift, pre-shift study starts by itself and the team leaders are told.")
        )
    else:
        lines.append(_("No shifts yet. Add one and pre-shift study starts by itself before it."))
    rows = column(
        [
            (
                _("✖️ Remove {shift}").format(
                    shift=f"{s.shift_at:%H:%M} {views.weekdays(tr, s.weekdays)}"
                ),
                ctx.button(routes.SCHEDULE_REMOVE, s.id),
            )
            for s in found[:8]
        ]
    )
    rows.append([(_("➕ Add a shift"), ctx.button(routes.SCHEDULE_DAYS, team.id, 0b0011111))])
    rows.append([(_("⬅️ Back"), ctx.button(routes.TEAM, team.id))])
    return "\n".join(lines), buttons(*rows)


@for_team
async def schedule_days(update: Update, ctx: Ctx, team: Team) -> None:
    """Step 1 of a new shift: which days (each tap switches one day on or off)."""
    _ = ctx.tr.gettext
    mask = ctx.int_arg(1) & 0b1111111
    days = [_("Mon"), _("Tue"), _("Wed"), _("Thu"), _("Fri"), _("Sat"), _("Sun")]
    toggles = [
        (
            ("✅ " if mask >> d & 1 else "") + days[d],
            ctx.button(routes.SCHEDULE_DAYS, team.id, mask ^ (1 << d)),
        )
        for d in range(7)
    ]
    rows: list[list[Button]] = [toggles[:4], toggles[4:]]
    if mask:
        rows.append([(_("Next ➡️"), ctx.button(routes.SCHEDULE_HOUR, team.id, mask))])
    rows.append([(_("Cancel"), ctx.button(routes.SCHEDULES, team.id))])
    text = _("🗓 New shift for {team}\nOn which days? Tap to switch a day on or off.").format(
        team=team_label(team)
    )
    await _show(update, ctx, (text, buttons(*rows)))


@for_team
async def schedule_hour(update: Update, ctx: Ctx, team: Team) -> None:
    """Step 2: the hour the shift starts."""
    mask = ctx.int_arg(1)
    hours = [(f"{h:02d}", ctx.button(routes.SCHEDULE_MINUTE, team.id, mask, h)) for h in range(24)]
    rows = [hours[i : i + 6] for i in range(0, 24, 6)]
    rows.append([(ctx.tr.gettext("Cancel"), ctx.button(routes.SCHEDULES, team.id))])
    text = ctx.tr.gettext("🗓 {days}: at what hour does the shift start?").format(
        days=views.weekdays(ctx.tr, mask)
    )
    await _show(update, ctx, (text, buttons(*rows)))


@for_team
async def schedule_minute(update: Update, ctx: Ctx, team: Team) -> None:
    """Step 3: the minute."""
    mask, hour = ctx.int_arg(1), ctx.int_arg(2) % 24
    rows = [
        [
            (f"{hour:02d}:{m:02d}", ctx.button(routes.SCHEDULE_LEAD, team.id, mask, hour, m))
            for m in MINUTES
        ],
        [(ctx.tr.gettext("Cancel"), ctx.button(routes.SCHEDULES, team.id))],
    ]
    text = ctx.tr.gettext("🗓 {days}: the shift starts at …").format(
        days=views.weekdays(ctx.tr, mask)
    )
    await _show(update, ctx, (text, buttons(*rows)))


@for_team
async def schedule_lead(update: Update, ctx: Ctx, team: Team) -> None:
    """Step 4: how long before the shift the study opens."""
    _ = ctx.tr.gettext
    mask, hour, minute = ctx.int_arg(1), ctx.int_arg(2) % 24, ctx.int_arg(3) % 60
    rows = [
        [
            (
                _("{n} min").format(n=ctx.tr.number(lead)),
                ctx.button(routes.SCHEDULE_SAVE, team.id, mask, hour, minute, lead),
            )
            for lead in LEADS
        ],
        [(_("Cancel"), ctx.button(routes.SCHEDULES, team.id))],
    ]
    text = _("🗓 {days}, shift at {time}: how long before the shift should the study open?").format(
        days=views.weekdays(ctx.tr, mask), time=f"{hour:02d}:{minute:02d}"
    )
    await _show(update, ctx, (text, buttons(*rows)))


@for_team
async def schedule_save(update: Update, ctx: Ctx, team: Team) -> None:
    """Step 5: saved; the study starts by itself from now on."""
    preshift = ctx.services.get(Preshift)
    mask = ctx.int_arg(1) & 0b1111111
    shift = time(ctx.int_arg(2) % 24, ctx.int_arg(3) % 60)
    lead = ctx.int_arg(4)
    if not mask or lead not in LEADS:
        await _alert(
            update, ctx.tr.gettext("This button has expired. Please use the latest message.")
        )
        return
    existing = [
        s
        for s in await preshift.study.schedules(team.id)
        if (s.weekdays, s.shift_at, s.lead_minutes) == (mask, shift, lead)
    ]
    if not existing:  # a late second tap on the same button saves nothing twice
        saved = await preshift.study.add_schedule(team.id, mask, shift, lead)
        _LOGGER.info("Schedule %s added for team %s", saved.id, team.id)
    note = ctx.tr.gettext("✅ Saved.")
    await _show(update, ctx, await _schedules_screen(ctx, team, note))


async def schedule_remove(update: Update, ctx: Ctx) -> None:
    """✖️ A shift no longer starts the study."""
    preshift = ctx.services.get(Preshift)
    schedule = await preshift.study.schedule(ctx.int_arg(0))
    if schedule is None:
        await _alert(update, ctx.tr.gettext("This shift was removed already."))
        return
    team = await _team(update, ctx, schedule.team_id)
    if team is None:
        return
    await preshift.study.remove_schedule(schedule.id)
    _LOGGER.info("Schedule %s removed", schedule.id)
    await _show(update, ctx, await _schedules_screen(ctx, team, ctx.tr.gettext("✅ Removed.")))


# ---------------------------------------------------------------- group chat


async def link_command(update: Update, ctx: Ctx) -> None:
    """/link in a group: its team leader links it to their team."""
    message = message_of(update)
    _ = ctx.tr.gettext
    teams = await ctx.services.org.teams_led_by(ctx.member.id) if ctx.member else []
    if not teams:
        await message.reply_text(
            _("Only a team leader can link this group to their team, with /link.")
        )
        return
    rows = column(
        [
            (f"🔗 {t.name} · {t.workshop_name}", ctx.button(routes.LINK_GROUP, t.id))
            for t in teams[:8]
        ]
    )
    await message.reply_text(
        _(
            "Link this group to a team? The start notice and the summary of its pre-shift study will come here too."
        ),
        reply_markup=buttons(*rows),
    )


@for_team
async def link_group(update: Update, ctx: Ctx, team: Team) -> None:
    """🔗 The team leader confirmed the link (in the group)."""
    chat = update.effective_chat
    if chat is None or chat.type not in ("group", "supergroup"):
        await _alert(update, ctx.tr.gettext("Send /link in the team's group chat."))
        return
    preshift = ctx.services.get(Preshift)
    await preshift.study.link_group(team.id, chat.id)
    _LOGGER.info("Team %s linked to group %s", team.id, chat.id)
    await ack(update)
    await message_of(update).edit_text(
        ctx.tr.gettext("✅ This group is now linked to {team}.").format(team=team_label(team))
    )


@for_team
async def unlink_group(update: Update, ctx: Ctx, team: Team) -> None:
    """✖️ The team's group chat no longer gets notices."""
    preshift = ctx.services.get(Preshift)
    await preshift.study.link_group(team.id, None)
    await _show(update, ctx, await team_screen(ctx, team))


# ------------------------------------------------------------------- /mydata


async def my_data(ctx: Ctx, member: Member) -> list[str]:
    """What pre-shift study stores about the person asking."""
    preshift = ctx.services.get(Preshift)
    taken, late, absent, right, answered = await preshift.study.record_of(member.id)
    if not (taken or absent):
        return []
    _, tr = ctx.tr.gettext, ctx.tr
    return [
        _(
            "📚 Pre-shift study: taken part {taken} times ({late} late), missed {absent}; {right} of {answered} questions right."
        ).format(
            taken=tr.number(taken),
            late=tr.number(late),
            absent=tr.number(absent),
            right=tr.number(right),
            answered=tr.number(answered),
        ),
        _(
            "How you feel after each study is counted without your name: it is not stored about you."
        ),
    ]
