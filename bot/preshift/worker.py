"""A worker's pre-shift study: one message, edited at each tap (see preshift.mmd).

Every answer is stored, with the time and whether it was right, before the
worker sees the feedback; the first answer to a question counts, whatever
arrives after it.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from telegram import Update

from bot.callbacks import Route
from bot.context import Ctx
from bot.db.study import Attendance, Session
from bot.preshift import views
from bot.preshift.bank import Module
from bot.preshift.service import Preshift
from bot.preshift.sessions import status_changed
from bot.ui import ack

_LOGGER = logging.getLogger(__name__)


@dataclass(frozen=True)
class Taking:
    """The session a worker's button is about, and where they are in it."""

    preshift: Preshift
    session: Session
    entry: Attendance
    module: Module


async def _taking(update: Update, ctx: Ctx) -> Taking | None:
    """The session of the tapped button, if this worker may still take it; else say why."""
    _ = ctx.tr.gettext
    preshift = ctx.services.get(Preshift)
    session = await preshift.study.session(ctx.int_arg(0))
    member = ctx.member
    entry = (
        await preshift.study.attendance(session.id, member.id)
        if session is not None and member is not None
        else None
    )
    if session is None or member is None or entry is None:
        await ack(update, _("This pre-shift study is for another team."), alert=True)
        return None
    if session.finished_at is not None or entry.status == "absent":
        await ack(
            update,
            _("This pre-shift study is over: it was for {date}.").format(
                date=ctx.tr.date(session.day)
            ),
            alert=True,
        )
        return None
    if entry.status == "left" or member.team_id != session.team_id:
        if entry.status != "left":
            await preshift.study.left(session.id, member.id)
            _LOGGER.info(
                "Member %s left team %s during session %s", member.id, session.team_id, session.id
            )
        await ack(
            update,
            _("You are no longer in this team, so its pre-shift study is closed for you."),
            alert=True,
        )
        return None
    module = preshift.bank.module(entry.picked.module_id)
    if module is None:  # the content changed since: the lesson is gone
        await ack(
            update,
            _("This pre-shift study cannot be taken any more: its lesson has changed."),
            alert=True,
        )
        return None
    return Taking(preshift, session, entry, module)


def _sign(ctx: Ctx) -> views.Sign:
    def sign(route: Route, *args: int) -> str:
        return ctx.button(route, *args)

    return sign


async def _show(update: Update, screen: views.Screen) -> None:
    query = update.callback_query
    assert query is not None  # noqa: S101 - every step is a tap
    text, markup = screen
    await query.edit_message_text(text, reply_markup=markup)


async def begin(update: Update, ctx: Ctx) -> None:
    """▶️ Start: today's lesson."""
    taking = await _taking(update, ctx)
    if taking is None:
        return
    await ack(update)
    await taking.preshift.study.begin(taking.session.id, taking.entry.member_id)
    await _show(update, views.lesson(ctx.tr, _sign(ctx), taking.module, taking.session.id))


async def card_read(update: Update, ctx: Ctx) -> None:
    """✅ I have read it: the first question not yet answered."""
    taking = await _taking(update, ctx)
    if taking is None:
        return
    await ack(update)
    await taking.preshift.study.begin(taking.session.id, taking.entry.member_id)
    await _show(update, _next(ctx, taking, taking.entry.answered + 1, before=None))


def _next(ctx: Ctx, taking: Taking, position: int, *, before: str | None) -> views.Screen:
    questions = taking.entry.picked.questions
    question_id, order = questions[position - 1]
    asked = taking.preshift.bank.question(question_id)
    assert asked is not None  # noqa: S101 - the picks were made from this bank
    return views.question(
        ctx.tr,
        _sign(ctx),
        taking.session.id,
        position,
        len(questions),
        asked,
        order,
        before=before,
    )


async def answer(update: Update, ctx: Ctx) -> None:
    """An option tapped: store it, then the feedback and the next question (or the score)."""
    taking = await _taking(update, ctx)
    if taking is None:
        return
    _ = ctx.tr.gettext
    entry, session, study = taking.entry, taking.session, taking.preshift.study
    position, shown = ctx.int_arg(1), ctx.int_arg(2)
    questions = entry.picked.questions
    if not 1 <= position <= len(questions) or position <= entry.answered:
        await ack(update, _("Only your first answer counts."), alert=True)
        return
    question_id, order = questions[position - 1]
    asked = taking.preshift.bank.question(question_id)
    if asked is None or not 0 <= shown < len(order):
        await ack(
            update,
            _("This pre-shift study cannot be taken any more: its lesson has changed."),
            alert=True,
        )
        return
    chosen = order[shown]
    correct = chosen == asked.right
    stored = await study.answer(
        session_id=session.id,
        member_id=entry.member_id,
        question_id=question_id,
        position=position,
        chosen=chosen,
        correct=correct,
        today=taking.preshift.today(),
    )
    if not stored:
        await ack(update, _("Only your first answer counts."), alert=True)
        return
    await ack(update)
    said = views.feedback(ctx.tr, asked, chosen, order)
    if position < len(questions):
        await _show(update, _next(ctx, taking, position + 1, before=said))
        return
    now = ctx.services.clock.now()
    late = session.closed_at is not None or now > session.closes_at
    await study.finish(session.id, entry.member_id, late=late)
    right = entry.right + int(correct)
    await _show(
        update,
        views.finished(ctx.tr, _sign(ctx), session.id, right, len(questions), before=said),
    )
    status_changed(ctx, session)


async def mood(update: Update, ctx: Ctx) -> None:
    """A face tapped: counted anonymously, then thanks."""
    taking = await _taking(update, ctx)
    if taking is None:
        return
    session, entry = taking.session, taking.entry
    if entry.status not in ("done", "late"):
        await ack(update, ctx.tr.gettext("Please answer the questions first."), alert=True)
        return
    face = ctx.int_arg(1)
    if face not in views.FACES:
        await ack(update)
        return
    team = await ctx.services.org.team(session.team_id)
    assert team is not None  # noqa: S101 - the session's team
    counted = await taking.preshift.study.mood(
        session_id=session.id,
        member_id=entry.member_id,
        day=session.day,
        unit=await taking.preshift.mood_unit(team),
        mood=face,
    )
    if not counted:
        await ack(
            update,
            ctx.tr.gettext("You have already said how you feel today. Thank you!"),
            alert=True,
        )
        return
    await ack(update)
    await _show(
        update,
        views.thanked(
            ctx.tr, entry.right, len(entry.picked.questions), late=entry.status == "late"
        ),
    )
