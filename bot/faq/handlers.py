"""Journey 4: a worker types a question in their own words; the admins answer what the FAQ cannot.

A confident match shows the curated answer with its source and date; an
uncertain one offers the closest three as buttons; no match offers to pass the
question on, openly (the admins see who asked and the answer goes back) or
anonymously (through the anonymous messages, under their rules). Every answer
has 👍/👎; questions without a good answer are logged for the curators, without
the asker.
"""

from __future__ import annotations

import logging

from telegram import InlineKeyboardMarkup, Message, Update
from telegram.ext import ConversationHandler

from bot import delivery
from bot.common import admin_only, show
from bot.context import Ctx
from bot.db.faq import Handoff
from bot.faq import routes
from bot.faq.content import Entry, render
from bot.faq.engine import Confidence
from bot.faq.service import MAX_QUESTION, Answers, Pending, question_problem
from bot.i18n import Translator
from bot.menu import show_menu
from bot.models import Member, Page, page_of
from bot.ui import Button, ack, buttons, esc, message_of, page_line, pager

_LOGGER = logging.getLogger(__name__)

END = ConversationHandler.END
ANSWERING = "faq.answering"
PAGE_SIZE = 8


def answers_of(ctx: Ctx) -> Answers:
    return ctx.services.get(Answers)


Screen = tuple[str, InlineKeyboardMarkup]


async def _reply(message: Message, screen: Screen) -> None:
    await message.reply_text(screen[0], reply_markup=screen[1])


async def _edit(message: Message, screen: Screen) -> None:
    await message.edit_text(screen[0], reply_markup=screen[1])


# ------------------------------------------------------------------ asking


async def question(update: Update, ctx: Ctx) -> None:
    """Text typed outside any dialog: a question."""
    _ = ctx.tr.gettext
    message = message_of(update)
    if ctx.member is None:
        await show_menu(
            update,
            ctx,
            _(
                "To join your team, scan the invite QR code on your team's poster, or ask your team leader to send it to you."
            ),
        )
        return
    text = message.text or ""
    if question_problem(text) is not None:
        await show_menu(
            update,
            ctx,
            _(
                "❓ Type your question in a few words, for example “加班费怎么算” or “how many days of annual leave”."
            ),
        )
        return
    await answers_of(ctx).ensure_started()
    found = answers_of(ctx).find(text)
    if found.confidence is Confidence.HIGH:
        await _reply(message, answer_message(ctx, found.entries[0]))
        return
    user = update.effective_user
    assert user is not None  # noqa: S101 - a message has a sender
    reason = "uncertain" if found.confidence is Confidence.MEDIUM else "unanswered"
    best = found.entries[0].id if found.entries else None
    pending = Pending(text.strip()[:MAX_QUESTION], ctx.tr.locale, reason, best)
    await answers_of(ctx).settle(user.id, pending)
    if found.confidence is Confidence.MEDIUM:
        await message.reply_text(
            _("🤔 Did you mean one of these?"),
            reply_markup=buttons(
                *[
                    [(entry.text(ctx.tr.locale).question, ctx.button(routes.SHOW, entry.id))]
                    for entry in found.entries
                ],
                [(_("None of these"), ctx.button(routes.NONE))],
            ),
        )
        return
    await _reply(message, no_answer_message(ctx))


def answer_message(ctx: Ctx, entry: Entry) -> tuple[str, InlineKeyboardMarkup]:
    """The curated answer: question, answer, source and date, 👍/👎, related questions."""
    _ = ctx.tr.gettext
    locale = ctx.tr.locale
    text = entry.text(locale)
    lines = [f"❓ <b>{esc(text.question)}</b>", "", render(text.answer)]
    if entry.source:
        lines += [
            "",
            _("📖 {source} · as of {day}").format(
                source=esc(entry.source.get(locale) or entry.source.get("zh_Hans", "")),
                day=ctx.tr.date(entry.valid_as_of),
            ),
        ]
    related = [
        (f"➡️ {other.text(locale).question}", ctx.button(routes.SHOW, other.id))
        for rid in entry.related[:3]
        if (other := answers_of(ctx).entry(rid)) is not None
    ]
    return (
        "\n".join(lines),
        buttons(
            [
                ("👍", ctx.button(routes.VOTE, entry.id, 1)),
                ("👎", ctx.button(routes.VOTE, entry.id, 0)),
            ],
            *[[r] for r in related],
        ),
    )


def no_answer_message(ctx: Ctx) -> tuple[str, InlineKeyboardMarkup]:
    _ = ctx.tr.gettext
    return (
        "\n".join(
            [
                _("🤷 I have no answer to that yet. I can pass your question on to the admins:"),
                _("🙋 with your name: the answer comes back to you here;"),
                _("🔒 anonymously: as an anonymous message, read with a 🧾 reply key."),
            ]
        ),
        buttons(
            [(_("🙋 Ask the admins"), ctx.button(routes.ASK_ADMINS))],
            [(_("🔒 Ask anonymously"), ctx.button(routes.ASK_ANONYMOUSLY))],
            [(_("✖️ No, thanks"), ctx.button(routes.DROP))],
        ),
    )


async def show_entry(update: Update, ctx: Ctx) -> None:
    """A suggestion or a related question tapped: its answer, as a new message."""
    entry = answers_of(ctx).entry(ctx.tap.args[0] if ctx.tap and ctx.tap.args else "")
    if entry is None:
        await ack(update, ctx.tr.gettext("This answer is no longer in the FAQ."), alert=True)
        return
    await ack(update)
    await _reply(message_of(update), answer_message(ctx, entry))


async def none_of_these(update: Update, ctx: Ctx) -> None:
    """None of the suggestions: log the question, offer to pass it on."""
    user = update.effective_user
    pending = answers_of(ctx).pending.get(user.id) if user else None
    if pending is None:
        await ack(update, ctx.tr.gettext("Please type your question again."), alert=True)
        return
    pending.reason = "uncertain"
    await ack(update)
    await _edit(message_of(update), no_answer_message(ctx))


async def vote(update: Update, ctx: Ctx) -> None:
    """👍 / 👎 on an answer; 👎 also puts the answer on the curators' list."""
    _ = ctx.tr.gettext
    entry_id = ctx.tap.args[0] if ctx.tap and ctx.tap.args else ""
    up = ctx.int_arg(1) == 1
    answers = answers_of(ctx)
    if answers.entry(entry_id) is None:
        await ack(update, _("This answer is no longer in the FAQ."), alert=True)
        return
    await answers.repo.vote(entry_id, answers.today(), up)
    if not up:
        entry = answers.entry(entry_id)
        question_text = entry.text(ctx.tr.locale).question if entry else entry_id
        await answers.log_gap(question_text, ctx.tr.locale, "down_voted", entry_id)
    await ack(
        update,
        _("Thank you! This helps us improve the answers.")
        if up
        else _("Thank you. We will look at this answer again."),
    )
    await message_of(update).edit_reply_markup(None)


async def drop(update: Update, ctx: Ctx) -> None:
    user = update.effective_user
    if user is not None:
        await answers_of(ctx).settle(user.id)  # logged for the curators, then forgotten
    await ack(update)
    await message_of(update).edit_text(
        ctx.tr.gettext("OK. You can ask something else at any time.")
    )


async def ask_admins(update: Update, ctx: Ctx) -> None:
    """🙋 Pass the question on with the asker's name; the admins are told at once."""
    _ = ctx.tr.gettext
    user = update.effective_user
    pending = answers_of(ctx).pending.get(user.id) if user else None
    if user is None or pending is None or ctx.member is None:
        await ack(update, _("Please type your question again."), alert=True)
        return
    answers = answers_of(ctx)
    await answers.settle(user.id)
    handoff_id = await answers.repo.hand_off(ctx.member.id, pending.locale, pending.text)
    await ack(update)
    await message_of(update).edit_text(
        _("🙋 Passed on to the admins with your name. Their answer will come here.")
    )
    member = ctx.member
    admins = await ctx.services.members.admins()
    for admin in admins:
        await delivery.tell(
            ctx,
            admin,
            lambda tr: _handoff_notice(tr, member.display_name, pending.text, handoff_id),
            with_menu=False,
        )


def _handoff_notice(tr: Translator, name: str, text: str, handoff_id: int) -> str:
    return "\n".join(
        [
            tr.gettext("🙋 A question for the admins from {name}:").format(name=esc(name)),
            f"<blockquote>{esc(text)}</blockquote>",
            tr.gettext("Answer it under /questions."),
        ]
    )


async def ask_anonymously(update: Update, ctx: Ctx) -> None:
    """🔒 Pass the question on through the anonymous messages (their rules, their reply key)."""
    _ = ctx.tr.gettext
    user = update.effective_user
    pending = answers_of(ctx).pending.pop(user.id, None) if user else None
    hook = ctx.services.hooks.get("anonymous_question")
    if pending is None or hook is None:
        await ack(update, _("Please type your question again."), alert=True)
        return
    await ack(update)
    await message_of(update).edit_text(_("🔒 Passing it on anonymously…"))
    await hook(update, ctx, pending.text)


# ------------------------------------------------------------------ admins


@admin_only
async def questions_command(update: Update, ctx: Ctx) -> None:
    """/questions: what workers passed on, oldest first, paged."""
    await _questions_page(update, ctx, 0)


@admin_only
async def questions_page(update: Update, ctx: Ctx) -> None:
    await _questions_page(update, ctx, ctx.int_arg(0))


async def _questions_page(update: Update, ctx: Ctx, number: int) -> None:
    _ = ctx.tr.gettext
    answers = answers_of(ctx)
    total = (await answers.repo.open_handoffs(0, 0))[1]
    page: Page[Handoff] = page_of([], number, total, PAGE_SIZE)
    found, _total = await answers.repo.open_handoffs(page.number * PAGE_SIZE, PAGE_SIZE)
    lines = [
        _("🙋 <b>Questions passed on</b>: {n} waiting for an answer").format(n=ctx.tr.number(total))
    ]
    if (line := page_line(ctx.tr, page)) is not None:
        lines.append(line)
    rows: list[list[Button]] = [
        [(f"{h.name}: {h.text}"[:60], ctx.button(routes.QUESTION, h.id))] for h in found
    ]
    rows += pager(page, lambda n: ctx.button(routes.QUESTIONS, n))
    rows.append([(_("📋 What had no good answer"), ctx.button(routes.GAPS, 0))])
    await show(update, ctx, ("\n".join(lines), buttons(*rows)))


@admin_only
async def open_question(update: Update, ctx: Ctx) -> None:
    _ = ctx.tr.gettext
    handoff = await answers_of(ctx).repo.handoff(ctx.int_arg(0))
    if handoff is None:
        await ack(update, _("This question is no longer waiting."), alert=True)
        return
    text = "\n".join(
        [
            _("🙋 {name} asked on {day}:").format(
                name=esc(handoff.name), day=ctx.tr.date(handoff.asked_at)
            ),
            f"<blockquote>{esc(handoff.text)}</blockquote>",
        ]
        + (
            [_("Answered:"), f"<blockquote>{esc(handoff.answer)}</blockquote>"]
            if handoff.answer
            else []
        )
    )
    rows: list[list[Button]] = []
    if handoff.answer is None:
        rows.append([(_("✍️ Answer"), ctx.button(routes.ANSWER, handoff.id))])
    elif handoff.learned_as is None:
        rows.append([(_("📚 Make it a new FAQ entry"), ctx.button(routes.LEARN_ENTRY, handoff.id))])
        for entry in answers_of(ctx).find(handoff.text).entries:
            label = _("➕ Another way to ask: {question}").format(
                question=entry.text(ctx.tr.locale).question
            )
            rows.append([(label[:60], ctx.button(routes.LEARN_PHRASING, handoff.id, entry.id))])
    rows.append([(_("◀️ Back to the questions"), ctx.button(routes.QUESTIONS, 0))])
    await show(update, ctx, (text, buttons(*rows)))


@admin_only
async def answer_start(update: Update, ctx: Ctx) -> str | int:
    handoff = await answers_of(ctx).repo.handoff(ctx.int_arg(0))
    if handoff is None or handoff.answer is not None:
        await ack(update, ctx.tr.gettext("This question is no longer waiting."), alert=True)
        return END
    ctx.dialog["faq_answer"] = {"handoff": handoff.id}
    await ack(update)
    await message_of(update).reply_text(
        ctx.tr.gettext("✍️ Type the answer. It goes to {name} at once. Or /cancel.").format(
            name=esc(handoff.name)
        )
    )
    return ANSWERING


@admin_only
async def answer_typed(update: Update, ctx: Ctx) -> str | int:
    _ = ctx.tr.gettext
    message = message_of(update)
    handoff_id = (ctx.dialog.get("faq_answer") or {}).get("handoff")
    text = (message.text or "").strip()
    if handoff_id is None:
        return END
    if question_problem(text) is not None or len(text) > 3000:
        await message.reply_text(
            _("Please type the answer in words (at most 3,000 characters), or /cancel.")
        )
        return ANSWERING
    answers = answers_of(ctx)
    handoff = await answers.repo.handoff(handoff_id)
    admin_id = ctx.member.id if ctx.member else None
    if handoff is None or not await answers.repo.answer_handoff(handoff_id, text, admin_id):
        ctx.dialog.pop("faq_answer", None)
        await message.reply_text(_("This question is no longer waiting."))
        return END
    ctx.dialog.pop("faq_answer", None)
    await _send_answer(ctx, handoff.member_id, handoff.text, text)
    await message.reply_text(
        _("✅ Sent to {name}. Should it help others too?").format(name=esc(handoff.name)),
        reply_markup=buttons(
            [(_("📚 Teach it to the FAQ"), ctx.button(routes.QUESTION, handoff_id))]
        ),
    )
    return END


async def answer_not_text(update: Update, ctx: Ctx) -> str | int:
    await message_of(update).reply_text(
        ctx.tr.gettext("Please type the answer in words, or /cancel.")
    )
    return ANSWERING


def _answer_text(asked: str, body_html: str) -> delivery.Render:
    """ "An answer to your question", in the asker's language (the answer as written)."""

    def render_for(tr: Translator) -> str:
        return "\n".join(
            [
                tr.gettext("💬 An answer to your question:"),
                f"<blockquote>{esc(asked)}</blockquote>",
                body_html,
            ]
        )

    return render_for


async def _send_answer(ctx: Ctx, member_id: int, asked: str, answer: str) -> None:
    member = await ctx.services.members.get(member_id)
    if member is None:
        return
    await delivery.tell(
        ctx,
        member,
        lambda tr: "\n".join(
            [
                tr.gettext("💬 An answer to your question:"),
                f"<blockquote>{esc(asked)}</blockquote>",
                esc(answer),
            ]
        ),
    )


@admin_only
async def learn_entry(update: Update, ctx: Ctx) -> None:
    """📚 The answered question becomes a new FAQ entry; others who asked alike get it too."""
    await _learn(update, ctx, None)


@admin_only
async def learn_phrasing(update: Update, ctx: Ctx) -> None:
    """➕ The question becomes another way to ask an existing entry."""
    await _learn(update, ctx, ctx.tap.args[1] if ctx.tap and len(ctx.tap.args) > 1 else None)


async def _learn(update: Update, ctx: Ctx, entry_id: str | None) -> None:
    _ = ctx.tr.gettext
    answers = answers_of(ctx)
    handoff = await answers.repo.handoff(ctx.int_arg(0))
    if handoff is None or handoff.answer is None:
        await ack(update, _("This question is no longer waiting."), alert=True)
        return
    if handoff.learned_as is not None:
        await ack(update, _("Already in the FAQ."), alert=True)
        return
    await ack(update)  # the rest (teaching, telling the others) takes longer than a tap may wait
    admin_id = ctx.member.id if ctx.member else None
    if entry_id is None:
        new_id = f"asked-{handoff.id}"
        await answers.repo.learn(
            "entry", new_id, handoff.locale, handoff.text, handoff.answer, admin_id, handoff.id
        )
        target = new_id
    else:
        if answers.entry(entry_id) is None:
            await ack(update, _("This answer is no longer in the FAQ."), alert=True)
            return
        await answers.repo.learn(
            "phrasing", entry_id, handoff.locale, handoff.text, None, admin_id, handoff.id
        )
        target = entry_id
    await answers.start()  # the FAQ now knows it
    told = await _answer_the_others(ctx, answers, target)
    await message_of(update).edit_text(
        _("📚 Added to the FAQ. {n} other people who asked the same were sent the answer.").format(
            n=ctx.tr.number(told)
        ),
        reply_markup=buttons([(_("◀️ Back to the questions"), ctx.button(routes.QUESTIONS, 0))]),
    )


async def _answer_the_others(ctx: Ctx, answers: Answers, entry_id: str) -> int:
    """Everyone else still waiting with a question the FAQ now answers confidently."""
    entry = answers.entry(entry_id)
    if entry is None:
        return 0
    told = 0
    waiting, _total = await answers.repo.open_handoffs(0, 10_000)
    admin_id = ctx.member.id if ctx.member else None
    for handoff in waiting:
        found = answers.find(handoff.text)
        if found.confidence is Confidence.HIGH and found.entries[0].id == entry_id:
            text = entry.text(handoff.locale)
            plain = render(text.answer)
            if await answers.repo.answer_handoff(handoff.id, text.answer, admin_id):
                member = await ctx.services.members.get(handoff.member_id)
                if member is not None:
                    await delivery.tell(ctx, member, _answer_text(handoff.text, plain))
                    told += 1
    return told


@admin_only
async def gaps_command(update: Update, ctx: Ctx) -> None:
    """/gaps: questions with no good answer, similar ones grouped, the most asked first."""
    await _gaps_page(update, ctx, 0)


@admin_only
async def gaps_page(update: Update, ctx: Ctx) -> None:
    await _gaps_page(update, ctx, ctx.int_arg(0))


async def _gaps_page(update: Update, ctx: Ctx, number: int) -> None:
    _ = ctx.tr.gettext
    groups = await answers_of(ctx).gap_groups()
    page = page_of(groups, number, len(groups), PAGE_SIZE)
    shown = groups[page.number * PAGE_SIZE : (page.number + 1) * PAGE_SIZE]
    lines = [_("📋 <b>What had no good answer</b>, similar questions together:")]
    lines += [f"{ctx.tr.number(g.count)} × {esc(g.example[:80])}" for g in shown] or [
        _("Nothing yet.")
    ]
    if (line := page_line(ctx.tr, page)) is not None:
        lines.append(line)
    rows = pager(page, lambda n: ctx.button(routes.GAPS, n))
    await show(update, ctx, ("\n".join(lines), buttons(*rows) if rows else None))


@admin_only
async def reload_command(update: Update, ctx: Ctx) -> None:
    """/faqreload: read the FAQ files again without a restart; a broken file changes nothing."""
    _ = ctx.tr.gettext
    answers = answers_of(ctx)
    problems = await answers.reload(ctx.services.settings.content_dir)
    failed = [p for p in problems if not p.warning]
    if failed:
        listed = "\n".join(esc(str(p)) for p in failed[:10])
        await message_of(update).reply_text(
            _("⚠️ The FAQ files have errors, so the answers in use stay as they were:")
            + "\n"
            + listed
        )
        return
    await message_of(update).reply_text(
        _("✅ FAQ reloaded: {n} answers.").format(n=ctx.tr.number(len(answers.library.entries)))
    )


async def my_data(ctx: Ctx, member: Member) -> list[str]:
    """What /mydata says about questions passed on with the person's name."""
    asked, waiting = await answers_of(ctx).repo.asked_by(member.id)
    if not asked:
        return []
    tr = ctx.tr
    return [
        tr.ngettext(
            "🙋 You passed {n} question on to the admins with your name; {waiting} of them waiting for an answer.",
            "🙋 You passed {n} questions on to the admins with your name; {waiting} of them waiting for an answer.",
            asked,
        ).format(n=tr.number(asked), waiting=tr.number(waiting))
    ]
