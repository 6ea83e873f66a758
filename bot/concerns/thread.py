"""The 🧾 reply key: the worker reads the answers and adds to the thread, still anonymous.

A tap on the key is checked twice: the button's signature says it was sent to
this chat, and the key inside it must match the concern's stored digest. A
wrong key, a forged one and a concern that does not exist all get the same
sentence after the same work.
"""

from __future__ import annotations

import sqlite3

from telegram import Update

from bot.concerns import routes
from bot.concerns.service import MAX_CHARS, Concerns, Draft
from bot.concerns.worker import ADDING, END, REPLY_KEY, concerns_of, lost, refused, text_only
from bot.context import Ctx
from bot.db.concerns import Concern, Message
from bot.i18n import N_, Translator
from bot.ui import ack, buttons, esc, message_of

_SHOWN_CHARS = 3500  # a thread longer than this shows its latest messages
STATUS_NAMES = {
    "new": N_("new"),
    "in_progress": N_("in progress"),
    "answered": N_("answered"),
    "closed": N_("closed"),
}


def thread_text(
    tr: Translator, concerns: Concerns, concern: Concern, messages: list[Message], *, admin: bool
) -> str:
    """The thread as the worker (or an admin) reads it, newest messages kept when long."""
    _ = tr.gettext
    category = concerns.content.category(concern.category)
    head = _("🧾 {topic} · {status}").format(
        topic=esc(category.name(tr.locale) if category else concern.category),
        status=_(STATUS_NAMES[concern.status]),
    )
    blocks: list[str] = []
    for message in messages:
        if message.author == "admin":
            who = _("Admin")
        else:
            who = _("Worker") if admin else _("You")
        blocks.append(
            f"<b>{who}</b> · {tr.date(message.day)}\n<blockquote>{esc(message.text)}</blockquote>"
        )
    shown: list[str] = []
    room = _SHOWN_CHARS - len(head)
    for block in reversed(blocks):
        if len(block) > room and shown:
            shown.append("…")
            break
        shown.append(block if len(block) <= room else block[: max(room - 20, 0)] + "…</blockquote>")
        room -= len(block)
    return "\n\n".join([head, *reversed(shown)])


async def _opened(update: Update, ctx: Ctx) -> tuple[int, str] | None:
    """The thread a reply-key button opens, or None after telling the worker it opens nothing."""
    concern_id = ctx.int_arg(0)
    key = ctx.tap.args[1] if ctx.tap is not None and len(ctx.tap.args) > 1 else ""
    if await concerns_of(ctx).opens(concern_id, key):
        return concern_id, key
    await ack(
        update,
        ctx.tr.gettext("This reply key cannot be opened. Use the 🧾 button in your own chat."),
        alert=True,
    )
    return None


async def open_thread(update: Update, ctx: Ctx) -> None:
    """🧾: the thread, with buttons to add to it and to hear about the next answer."""
    opened = await _opened(update, ctx)
    if opened is None:
        return
    concern_id, key = opened
    concerns = concerns_of(ctx)
    concern = await concerns.repo.get(concern_id)
    if concern is None:  # deleted between the check and now
        await ack(
            update,
            ctx.tr.gettext("This reply key cannot be opened. Use the 🧾 button in your own chat."),
            alert=True,
        )
        return
    await ack(update)
    _ = ctx.tr.gettext
    watch = (
        _("🔔 You will be told about the next answer")
        if concern.notify
        else _("🔔 Tell me about the next answer")
    )
    await message_of(update).reply_text(
        thread_text(
            ctx.tr, concerns, concern, await concerns.repo.messages(concern_id), admin=False
        ),
        reply_markup=buttons(
            [(_("✍️ Add to it"), ctx.button(routes.ADD, concern_id, key))],
            [(watch, ctx.button(routes.WATCH, concern_id, key))],
        ),
    )


async def watch(update: Update, ctx: Ctx) -> None:
    """🔔: leave a sealed "tell me" with the thread, until its next answer."""
    opened = await _opened(update, ctx)
    if opened is None:
        return
    message = message_of(update)
    concerns = concerns_of(ctx)
    await concerns.repo.want_notice(opened[0], concerns.seal(message.chat_id, ctx.tr.locale))
    await ack(
        update, ctx.tr.gettext("🔔 OK: when an admin answers, I will tell you here."), alert=True
    )


async def add_start(update: Update, ctx: Ctx) -> str | int:
    """✍️ Add to it: ask for the words (the draft is in memory only, as for a new message)."""
    opened = await _opened(update, ctx)
    if opened is None:
        return END
    user = update.effective_user
    assert user is not None  # noqa: S101 - a tap has a sender
    concerns_of(ctx).start_draft(user.id, Draft(thread=opened))
    await ack(update)
    _ = ctx.tr.gettext
    await message_of(update).reply_text(
        "\n".join(
            [
                _("✍️ Write what you want to add (anonymous, as before)."),
                _("Text only, at most {n} characters. Or /cancel.").format(
                    n=ctx.tr.number(MAX_CHARS)
                ),
            ]
        )
    )
    return ADDING


async def add_typed(update: Update, ctx: Ctx) -> str | int:
    """The follow-up arrived: checked like a new message, then added to the thread."""
    _ = ctx.tr.gettext
    user = update.effective_user
    assert user is not None  # noqa: S101 - a message has a sender
    concerns = concerns_of(ctx)
    draft = concerns.draft(user.id)
    if draft is None or draft.thread is None:
        return await lost(update, ctx)
    message = message_of(update)
    text = message.text or ""
    if await refused(ctx, message, text):
        return ADDING
    concern_id, key = draft.thread
    if not await concerns.opens(concern_id, key):
        concerns.forget(user.id)
        await message.reply_text(
            _("This reply key cannot be opened. Use the 🧾 button in your own chat.")
        )
        return END
    try:
        await concerns.repo.follow_up(concern_id, concerns.today(), text.strip(), None)
    except sqlite3.OperationalError:
        ctx.services.taps.forget(message.chat_id)
        await message.reply_text(
            _(
                "😓 It could not be saved just now, so nothing was added. Please send it again in a minute."
            )
        )
        return ADDING
    concerns.forget(user.id)
    await message.reply_text(
        _("✅ Added to your anonymous message. Tap your reply key to read answers."),
        reply_markup=buttons([(_(REPLY_KEY), ctx.button(routes.THREAD, concern_id, key))]),
    )
    return END


async def add_not_text(update: Update, ctx: Ctx) -> str | int:
    """A photo, voice note or sticker while adding to a thread."""
    await text_only(update, ctx)
    return ADDING
