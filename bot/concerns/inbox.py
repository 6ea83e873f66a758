"""The admins' inbox of anonymous messages: by status, topic and date, paged; open, answer, mark.

The list is by day, newest first, and within a day in an order that is not the
order of arrival (the random ids). Urgent ones carry the day an answer is due
and show 🚨 when it has passed.
"""

from __future__ import annotations

import sqlite3
from datetime import timedelta

from telegram import Update

from bot.common import admin_only, show
from bot.concerns import routes
from bot.concerns.service import MAX_CHARS, Concerns, problem_with
from bot.concerns.thread import STATUS_NAMES, thread_text
from bot.concerns.worker import END, concerns_of
from bot.context import Ctx
from bot.db.concerns import STATUSES, Concern
from bot.models import Page, page_of
from bot.ui import Button, ack, buttons, esc, message_of, pager

PAGE_SIZE = 8
ALL_STATUSES, ALL_TOPICS = 9, 99
DAYS = (7, 30, None)  # the date filter's choices, by code 0, 1, 2
ANSWERING = "inbox.answering"
_DRAFTS_KEY = "inbox"


def _status(index: int) -> str | None:
    return STATUSES[index] if 0 <= index < len(STATUSES) else None


@admin_only
async def inbox_command(update: Update, ctx: Ctx) -> None:
    """/inbox or 📥: new messages first, all topics, the last 30 days."""
    await _show_list(update, ctx, 0, ALL_TOPICS, 1, 0)


@admin_only
async def inbox_page(update: Update, ctx: Ctx) -> None:
    await _show_list(update, ctx, ctx.int_arg(0), ctx.int_arg(1), ctx.int_arg(2), ctx.int_arg(3))


async def _show_list(
    update: Update, ctx: Ctx, status: int, topic: int, days: int, number: int
) -> None:
    _ = ctx.tr.gettext
    concerns = concerns_of(ctx)
    categories = concerns.content.categories
    category = categories[topic].id if 0 <= topic < len(categories) else None
    days = days if 0 <= days < len(DAYS) else 1
    today = concerns.today()
    window = DAYS[days]
    since = today - timedelta(days=window - 1) if window else None
    counts = await concerns.repo.status_counts()
    overdue = await concerns.repo.overdue(today)
    total = (
        await concerns.repo.inbox(
            status=_status(status), category=category, since=since, offset=0, limit=0
        )
    )[1]
    page: Page[Concern] = page_of([], number, total, PAGE_SIZE)
    found, _total = await concerns.repo.inbox(
        status=_status(status),
        category=category,
        since=since,
        offset=page.number * PAGE_SIZE,
        limit=PAGE_SIZE,
    )
    lines = [
        _("📥 <b>Anonymous messages</b>"),
        " · ".join(f"{_(STATUS_NAMES[s])} {ctx.tr.number(counts[s])}" for s in STATUSES),
    ]
    if overdue:
        lines.append(_("🚨 Urgent and overdue: {n}").format(n=ctx.tr.number(overdue)))
    shown_status = _(STATUS_NAMES[_status(status)]) if _status(status) else _("all")  # type: ignore[index]
    shown_topic = categories[topic].name(ctx.tr.locale) if category else _("all topics")
    shown_days = _("last {n} days").format(n=ctx.tr.number(window)) if window else _("any day")
    lines.append(
        _("Showing: {status} · {topic} · {days} · {n} found").format(
            status=shown_status, topic=esc(shown_topic), days=shown_days, n=ctx.tr.number(total)
        )
    )

    def turn(n: int) -> str:
        return ctx.button(routes.INBOX, status, topic, days, n)

    rows: list[list[Button]] = [
        [
            (
                _label(ctx, concerns, c, today),
                ctx.button(routes.OPEN, c.id, status, topic, days, page.number),
            )
        ]
        for c in found
    ]
    rows += pager(page, turn)
    rows.append(
        [
            (
                ("• " if i == status else "") + _(STATUS_NAMES[s]),
                ctx.button(routes.INBOX, i, topic, days, 0),
            )
            for i, s in enumerate(STATUSES)
        ]
    )
    next_topic = (
        ALL_TOPICS
        if topic + 1 >= len(categories) and topic != ALL_TOPICS
        else (0 if topic == ALL_TOPICS else topic + 1)
    )
    rows.append(
        [
            (_("Topic ▸"), ctx.button(routes.INBOX, status, next_topic, days, 0)),
            (_("Days ▸"), ctx.button(routes.INBOX, status, topic, (days + 1) % len(DAYS), 0)),
            (_("All"), ctx.button(routes.INBOX, ALL_STATUSES, ALL_TOPICS, 2, 0)),
        ]
    )
    await show(update, ctx, ("\n".join(lines), buttons(*rows)))


def _label(ctx: Ctx, concerns: Concerns, concern: Concern, today: object) -> str:
    category = concerns.content.category(concern.category)
    mark = "🚨 " if concern.overdue(today) else ("❗️ " if concern.urgent else "")  # type: ignore[arg-type]
    waiting = "💬 " if concern.awaiting and concern.status != "closed" else ""
    topic = category.name(ctx.tr.locale) if category else concern.category
    preview = concern.preview.replace("\n", " ")
    return f"{mark}{waiting}{ctx.tr.date(concern.day, 'short')} {topic}: {preview}"[:60]


@admin_only
async def open_concern(update: Update, ctx: Ctx) -> None:
    """One message and its thread, with answer and status buttons."""
    concern_id = ctx.int_arg(0)
    back = [ctx.int_arg(i) for i in range(1, 5)]
    await _show_concern(update, ctx, concern_id, back)


async def _show_concern(update: Update, ctx: Ctx, concern_id: int, back: list[int]) -> None:
    _ = ctx.tr.gettext
    concerns = concerns_of(ctx)
    concern = await concerns.repo.get(concern_id)
    if concern is None:
        await ack(update, _("This message is no longer in the inbox."), alert=True)
        return
    text = thread_text(
        ctx.tr, concerns, concern, await concerns.repo.messages(concern_id), admin=True
    )
    if concern.urgent:
        due = _("❗️ Urgent: answer by {day}").format(day=ctx.tr.date(concern.due_on or concern.day))
        if concern.overdue(concerns.today()):
            due = _("🚨 Urgent and overdue: it was due {day}").format(
                day=ctx.tr.date(concern.due_on or concern.day)
            )
        text = f"{due}\n{text}"
    rows: list[list[Button]] = [[(_("✍️ Answer"), ctx.button(routes.ANSWER, concern_id))]]
    rows.append(
        [
            (
                _("⏳ Mark in progress"),
                ctx.button(routes.SET_STATUS, concern_id, STATUSES.index("in_progress")),
            ),
            (_("✔️ Close"), ctx.button(routes.SET_STATUS, concern_id, STATUSES.index("closed"))),
        ]
    )
    rows.append([(_("◀️ Back to the list"), ctx.button(routes.INBOX, *back))])
    await show(update, ctx, (text, buttons(*rows)))


@admin_only
async def set_status(update: Update, ctx: Ctx) -> None:
    concern_id, index = ctx.int_arg(0), ctx.int_arg(1)
    status = _status(index)
    concerns = concerns_of(ctx)
    if status is None or not await concerns.repo.set_status(concern_id, status):
        await ack(update, ctx.tr.gettext("This message is no longer in the inbox."), alert=True)
        return
    await _show_concern(update, ctx, concern_id, [ALL_STATUSES, ALL_TOPICS, 1, 0])


@admin_only
async def answer_start(update: Update, ctx: Ctx) -> str | int:
    """✍️ Answer: the admin types it (kept in memory until sent, like the worker's draft)."""
    concern_id = ctx.int_arg(0)
    if await concerns_of(ctx).repo.get(concern_id) is None:
        await ack(update, ctx.tr.gettext("This message is no longer in the inbox."), alert=True)
        return END
    ctx.dialog[_DRAFTS_KEY] = {"concern": concern_id}
    await ack(update)
    await message_of(update).reply_text(
        ctx.tr.gettext("✍️ Type your answer. The worker reads it with their reply key. Or /cancel.")
    )
    return ANSWERING


@admin_only
async def answer_typed(update: Update, ctx: Ctx) -> str | int:
    _ = ctx.tr.gettext
    message = message_of(update)
    concern_id = (ctx.dialog.get(_DRAFTS_KEY) or {}).get("concern")
    text = message.text or ""
    if concern_id is None:
        return END
    problem = problem_with(text)
    if problem is not None:
        await message.reply_text(
            _("Please type the answer in words, at most {n} characters. Or /cancel.").format(
                n=ctx.tr.number(MAX_CHARS)
            )
        )
        return ANSWERING
    concerns = concerns_of(ctx)
    try:
        stored = await concerns.repo.answer(concern_id, concerns.today(), text.strip())
    except sqlite3.OperationalError:
        await message.reply_text(
            _("😓 It could not be saved just now. Please send it again in a minute.")
        )
        return ANSWERING
    ctx.dialog.pop(_DRAFTS_KEY, None)
    if not stored:
        await message.reply_text(_("This message is no longer in the inbox."))
        return END
    ctx.application.create_task(_notify_soon(ctx), name="deliver-concern-notices")
    await message.reply_text(
        _("✅ Answer saved. The worker reads it with their reply key."),
        reply_markup=buttons(
            [
                (
                    _("📥 Back to the message"),
                    ctx.button(routes.OPEN, concern_id, ALL_STATUSES, ALL_TOPICS, 1, 0),
                )
            ]
        ),
    )
    return END


async def answer_not_text(update: Update, ctx: Ctx) -> str | int:
    await message_of(update).reply_text(
        ctx.tr.gettext("Please type the answer in words, or /cancel.")
    )
    return ANSWERING


async def _notify_soon(ctx: Ctx) -> None:
    from bot.concerns.alerts import send_notices  # noqa: PLC0415 - alerts imports this feature's views

    await send_notices(ctx)
