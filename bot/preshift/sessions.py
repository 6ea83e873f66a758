"""Opening, delivering, reminding, closing and summarising sessions; the tick that runs them.

Everything that happens at a time (a scheduled start, the reminder, the window
closing, the day's end, bringing status messages up to date) is decided by
`tick` from the database and the clock, every few seconds. Nothing lives only
in memory: after a restart the first tick carries on where the last stopped,
and tests drive it with a clock they move.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import datetime, timedelta

from telegram import InlineKeyboardMarkup, Message
from telegram.error import BadRequest, Forbidden

from bot.callbacks import Route
from bot.context import Ctx
from bot.db.outbox import Item, Op, Recipient
from bot.db.study import Session, SessionOpen
from bot.delivery import mark_unreachable, tell
from bot.i18n import Translator
from bot.models import Member, Team
from bot.outbox import Sender
from bot.pacing import BULK
from bot.preshift import views
from bot.preshift.bank import in_language
from bot.preshift.service import LOOK_BACK, Preshift

_LOGGER = logging.getLogger(__name__)

KIND = "preshift"  # the outbox rows of workers' session messages: ref is the session
STATUS_KIND = "preshift-status"  # the team leaders' status messages and the group notice
STATUS_EVERY = timedelta(seconds=5)  # a status message is edited at most this often
TICK_SECONDS = 10.0


def preshift_of(ctx: Ctx) -> Preshift:
    return ctx.services.get(Preshift)


async def team_members(ctx: Ctx, team: Team) -> list[Member]:
    return await ctx.services.org.team_members(team.id, offset=0, limit=max(team.member_count, 1))


# ------------------------------------------------------------------- opening


async def open_session(
    ctx: Ctx,
    team: Team,
    *,
    started_by: int | None,
    schedule_id: int | None = None,
    occurrence_at: datetime | None = None,
) -> Session | None:
    """Open a session for the team and start sending it; None if the team has no members.

    SessionOpen if one is open already. The session and every member's questions
    are in the database before anyone is told; the messages go out in the bulk
    lane, behind replies to people waiting.
    """
    preshift = preshift_of(ctx)
    members = await team_members(ctx, team)
    if not members:
        return None
    plan = await preshift.plan(team, members)
    session = await preshift.study.open_session(
        team_id=team.id,
        day=preshift.today(),
        module_id=plan.module.id,
        closes_at=ctx.services.clock.now() + preshift.window,
        started_by=started_by,
        picks=plan.picks,
        schedule_id=schedule_id,
        occurrence_at=occurrence_at,
    )
    _LOGGER.info(
        "Session %s opened for team %s (%s, %d members)",
        session.id,
        team.id,
        "by the schedule" if started_by is None else f"by member {started_by}",
        len(members),
    )
    return session


def start_delivery(ctx: Ctx, session: Session) -> None:
    """Queue every member's session message in the outbox (3,000 take 100 s to send)."""
    delivering = preshift_of(ctx).delivering
    if session.id in delivering:
        return
    delivering.add(session.id)
    ctx.application.create_task(_queue(ctx, session), name=f"deliver-session-{session.id}")


async def _queue(ctx: Ctx, session: Session) -> None:
    preshift = preshift_of(ctx)
    sender = ctx.services.get(Sender)
    try:
        if (await sender.repo.tally(KIND, session.id, (Op.SEND,))).total:
            sender.wake(ctx)  # queued before (a restart): the outbox carries on
            return
        waiting = []
        for entry in await preshift.study.attendance_list(session.id):
            if entry.delivered_at is not None or entry.status not in ("pending", "started"):
                continue
            member = await ctx.services.members.get(entry.member_id)
            if member is not None:
                waiting.append(Recipient(member.telegram_id, member.id))
        await sender.queue(ctx, KIND, session.id, Op.SEND, waiting)
    except Exception:
        _LOGGER.exception("Queueing session %s stopped; the next tick tries again", session.id)
    finally:
        preshift.delivering.discard(session.id)


async def perform(ctx: Ctx, item: Item) -> int | None:
    """One outbox row of a session: a worker's session message, or their reminder."""
    preshift = preshift_of(ctx)
    session = await preshift.study.session(item.ref)
    entry = await preshift.study.attendance(item.ref, item.member_id) if item.member_id else None
    member = await ctx.services.members.get(item.member_id) if item.member_id else None
    if session is None or entry is None or member is None:
        return None
    if entry.status not in ("pending", "started"):
        return None  # taken part (or marked present) meanwhile: nothing to send
    module = preshift.bank.module(entry.picked.module_id)
    if module is None:
        return None
    tr = ctx.services.i18n.for_person(member.locale, member.language_code)
    if item.op is Op.REMIND:
        text = views.reminder(tr, in_language(module.title, tr.locale), session.closes_at)
        sent = await ctx.bot.send_message(member.telegram_id, text, rate_limit_args=BULK)
        return sent.message_id
    if entry.delivered_at is not None:
        return entry.message_id  # sent before a restart, and recorded
    text, markup = views.invitation(
        tr,
        lambda route, *args, who=member.telegram_id: ctx.button_for(who, route, *args),
        member.display_name,
        module,
        session,
        len(entry.picked.questions),
    )
    sent = await ctx.bot.send_message(
        member.telegram_id, text, reply_markup=markup, rate_limit_args=BULK
    )
    await preshift.study.delivered(session.id, member.id, sent.message_id)
    return sent.message_id


async def progress(ctx: Ctx, session_id: int) -> None:
    """Messages went out: the team leaders' status messages are brought up to date."""
    await preshift_of(ctx).study.mark_stale(session_id)


async def announce(ctx: Ctx, session: Session, team: Team, *, except_chat: int | None) -> None:
    """Each team leader gets a status message (and the team's group a notice) to follow
    along: queued in the outbox, as everything sent to many."""
    waiting = [
        Recipient(leader.telegram_id, leader.id)
        for leader in await ctx.services.org.leaders(team.id)
        if leader.telegram_id != except_chat
    ]
    group = await preshift_of(ctx).study.group_of(team.id)
    if group is not None:
        waiting.append(Recipient(group))
    await ctx.services.get(Sender).queue(ctx, STATUS_KIND, session.id, Op.SEND, waiting)


async def perform_status(ctx: Ctx, item: Item) -> int | None:
    """One outbox row of a session's start: a team leader's status message, or the
    group's notice and status."""
    preshift = preshift_of(ctx)
    session = await preshift.study.session(item.ref)
    team = await ctx.services.org.team(session.team_id) if session else None
    module = preshift.bank.module(session.module_id) if session else None
    if session is None or team is None or module is None:
        return None
    if item.chat_id < 0:  # the team's group: no one language, the plant's
        tr = ctx.services.i18n.translator(None)
        await ctx.bot.send_message(
            item.chat_id, views.group_notice(tr, team, module, session), rate_limit_args=BULK
        )
    else:
        tr = await _reader_of(ctx, item.chat_id)
    sent = await send_status(ctx, session, team, item.chat_id, tr)
    return sent.message_id if sent else None


async def send_status(
    ctx: Ctx, session: Session, team: Team, chat_id: int, tr: Translator
) -> Message | None:
    """A new status message in `chat_id`, remembered so it is edited as answers arrive."""
    preshift = preshift_of(ctx)
    text, markup = await status_screen(ctx, session, team, tr, chat_id)
    try:
        sent = await ctx.bot.send_message(chat_id, text, reply_markup=markup, rate_limit_args=BULK)
    except Forbidden as err:
        await mark_unreachable(ctx.services, chat_id, err.message)
        return None
    await preshift.study.add_status_message(session.id, chat_id, sent.message_id)
    return sent


async def status_screen(
    ctx: Ctx, session: Session, team: Team, tr: Translator, chat_id: int
) -> views.Screen:
    preshift = preshift_of(ctx)
    module = preshift.bank.module(session.module_id)
    assert module is not None  # noqa: S101
    tally = views.Tally.of(await preshift.study.attendance_list(session.id))

    def sign(route: Route, *args: int) -> str:
        return ctx.button_for(chat_id, route, *args)

    text, markup = views.status(tr, sign, team, module, session, tally)
    if chat_id < 0:
        markup = None  # a group sees the figures; the buttons are the team leader's
    return text, markup


# ------------------------------------------------------------------- the tick


async def tick(ctx: Ctx) -> None:
    """Everything due now: scheduled starts, reminders, closing, the day's end, status messages."""
    async with preshift_of(ctx).ticking:
        # Closing comes first: after a pause (Shiftmate down overnight), yesterday's session
        # must be closed before today's scheduled start, or that start would find it open.
        for step in (
            _closing,
            _day_end,
            _scheduled_starts,
            _resume_deliveries,
            _reminders,
            _statuses,
        ):
            try:
                await step(ctx)
            except Exception:
                # One failing step must not stop the others, nor the next tick.
                _LOGGER.exception("Pre-shift %s failed; the next tick tries again", step.__name__)


async def _scheduled_starts(ctx: Ctx) -> None:
    preshift = preshift_of(ctx)
    now = ctx.services.clock.now()
    for schedule in await preshift.study.schedules():
        for at in preshift.occurrences(schedule, now - LOOK_BACK, now):
            if await preshift.study.ran(schedule.id, at):
                continue
            team = await ctx.services.org.team(schedule.team_id)
            if team is None or team.archived_at is not None:
                continue
            if now - at > preshift.window:
                if await preshift.study.record_run(schedule.id, at, "missed"):
                    _LOGGER.warning("Scheduled session for team %s at %s was missed", team.id, at)
                    await _tell_leaders(ctx, team, "missed", at)
                continue
            try:
                session = await open_session(
                    ctx, team, started_by=None, schedule_id=schedule.id, occurrence_at=at
                )
            except SessionOpen:
                await preshift.study.record_run(schedule.id, at, "busy")
                continue
            if session is None:
                if await preshift.study.record_run(schedule.id, at, "empty"):
                    await _tell_leaders(ctx, team, "empty", at)
                continue
            start_delivery(ctx, session)
            await announce(ctx, session, team, except_chat=None)


async def _tell_leaders(ctx: Ctx, team: Team, what: str, at: datetime) -> None:
    for leader in await ctx.services.org.leaders(team.id):

        def render(tr: Translator, what: str = what) -> str:
            if what == "missed":
                return tr.gettext(
                    "⚠️ The pre-shift study of {team} due at {time} did not start: Shiftmate was stopped at that time. Start it now with 📚 Pre-shift study if the shift still needs it."
                ).format(team=views.team_label(team), time=tr.time_of_day(at))
            return tr.gettext(
                "⚠️ The pre-shift study of {team} due at {time} did not start: the team has no members yet."
            ).format(team=views.team_label(team), time=tr.time_of_day(at))

        await tell(ctx, leader, render, with_menu=False)


async def _resume_deliveries(ctx: Ctx) -> None:
    """After a restart: sessions still open with members nobody sent their message to."""
    preshift = preshift_of(ctx)
    for session in await preshift.study.undelivered():
        start_delivery(ctx, session)


async def _reminders(ctx: Ctx) -> None:
    preshift = preshift_of(ctx)
    for session in await preshift.study.due_reminders(preshift.reminder_before):
        if not await preshift.study.mark_reminded(session.id):
            continue
        await remind(ctx, session, again_after=None)


async def due_for_reminder(ctx: Ctx, session: Session, *, again_after: timedelta) -> int:
    """How many would a reminder reach now (not taken part, sent the study, not just reminded)."""
    preshift = preshift_of(ctx)
    now = ctx.services.clock.now()
    return sum(
        entry.status in ("pending", "started")
        and entry.delivered_at is not None
        and (entry.reminded_at is None or now - entry.reminded_at >= again_after)
        for entry in await preshift.study.attendance_list(session.id)
    )


async def remind(ctx: Ctx, session: Session, *, again_after: timedelta | None) -> int:
    """Remind everyone who has not taken part yet; how many were reminded."""
    preshift = preshift_of(ctx)
    waiting: list[Recipient] = []
    for entry in await preshift.study.attendance_list(session.id):
        if entry.status not in ("pending", "started") or entry.delivered_at is None:
            continue
        if not await preshift.study.remind(session.id, entry.member_id, again_after):
            continue
        member = await ctx.services.members.get(entry.member_id)
        if member is None or not member.reachable:
            continue
        waiting.append(Recipient(member.telegram_id, member.id))
    await ctx.services.get(Sender).queue(ctx, KIND, session.id, Op.REMIND, waiting)
    return len(waiting)


async def _closing(ctx: Ctx) -> None:
    preshift = preshift_of(ctx)
    for session in await preshift.study.due_to_close():
        if await preshift.study.close(session.id):
            _LOGGER.info("Session %s closed", session.id)


async def _day_end(ctx: Ctx) -> None:
    preshift = preshift_of(ctx)
    for session in await preshift.study.unfinished_before(preshift.today()):
        if await preshift.study.finish_day(session.id):
            _LOGGER.info("Session %s finished: the day is over", session.id)


async def _statuses(ctx: Ctx) -> None:
    """Status messages that answers changed since they were last shown (at most one edit a tick)."""
    preshift = preshift_of(ctx)
    for session in await preshift.study.stale():
        await refresh_status(ctx, session.id)


async def refresh_status(ctx: Ctx, session_id: int) -> None:
    """Bring every status message of the session up to date (edited in place)."""
    preshift = preshift_of(ctx)
    session = await preshift.study.session(session_id)
    if session is None:
        return
    team = await ctx.services.org.team(session.team_id)
    if team is None:
        return
    await preshift.study.mark_status_shown(session.id)
    edits = []
    for chat_id, message_id in await preshift.study.status_messages(session.id):
        tr = await _reader_of(ctx, chat_id)
        text, markup = await status_screen(ctx, session, team, tr, chat_id)
        edits.append(_edit(ctx, chat_id, message_id, text, markup))
    await asyncio.gather(*edits)


def status_changed(ctx: Ctx, session: Session) -> None:
    """After a worker finished: bring the status up to date soon, without holding their reply.

    The edit goes out in the background, unless the status was edited a moment ago (the
    session is marked stale in the database, and the tick edits it then).
    """
    now = ctx.services.clock.now()
    if session.status_at is not None and now - session.status_at < STATUS_EVERY:
        return
    refreshing = preshift_of(ctx).refreshing
    if session.id in refreshing:
        return
    refreshing.add(session.id)
    ctx.application.create_task(_refresh_soon(ctx, session.id), name=f"status-{session.id}")


async def _refresh_soon(ctx: Ctx, session_id: int) -> None:
    try:
        await refresh_status(ctx, session_id)
    except Exception:
        _LOGGER.exception("Status of session %s not edited; the next tick tries again", session_id)
    finally:
        preshift_of(ctx).refreshing.discard(session_id)


async def _reader_of(ctx: Ctx, chat_id: int) -> Translator:
    if chat_id < 0:
        return ctx.services.i18n.translator(None)
    member = await ctx.services.members.by_telegram_id(chat_id)
    if member is None:
        return ctx.services.i18n.translator(None)
    return ctx.services.i18n.for_person(member.locale, member.language_code)


async def _edit(
    ctx: Ctx, chat_id: int, message_id: int, text: str, markup: InlineKeyboardMarkup | None
) -> None:
    try:
        await ctx.bot.edit_message_text(
            text,
            chat_id=chat_id,
            message_id=message_id,
            reply_markup=markup,
            rate_limit_args=BULK,
        )
    except Forbidden as err:
        await mark_unreachable(ctx.services, chat_id, err.message)
    except BadRequest as err:  # the message was deleted: nothing to bring up to date
        _LOGGER.info("Could not edit status message in chat %s: %s", chat_id, err.message)
