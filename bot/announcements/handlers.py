"""Journey 5 as the admins and the recipients use it: compose, preview, send, follow, correct.

The draft is the admin's own (their dialog data, kept across restarts): two admins
composing at once never see each other's. Nothing is stored as an announcement until
the admin confirms after the preview; then one transaction writes it and one outbox
row per recipient, and the outbox sends (`bot/outbox.py`).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Coroutine
from datetime import datetime, timedelta
from functools import wraps
from typing import Any

from telegram import InlineKeyboardMarkup, Message, Update
from telegram.ext import ConversationHandler

from bot.announcements import routes, service, views
from bot.announcements.service import (
    CAPTION_LIMIT,
    TEXT_LIMIT,
    announcements_of,
    audience_members,
    figures,
    telegram_length,
)
from bot.common import admin_only, show
from bot.config import SUPPORTED_LOCALES
from bot.context import Ctx
from bot.db.announcements import Audience
from bot.db.outbox import Op, Recipient
from bot.i18n import LANGUAGE_NAMES
from bot.models import Member, page_in, page_of
from bot.outbox import Sender
from bot.ui import Button, ack, buttons, esc, message_of, page_line, pager

_LOGGER = logging.getLogger(__name__)

END = ConversationHandler.END
BODY = "announce.body"
VARIANT_TEXT = "announce.variant"
WHEN = "announce.when"
CORRECTION = "announce.correct"
PAGE_SIZE = 8
DRAFT_KEY = "announce"

Screen = tuple[str, InlineKeyboardMarkup]


async def _reply(message: Message, screen: Screen) -> None:
    await message.reply_text(screen[0], reply_markup=screen[1])


def _draft(ctx: Ctx) -> dict[str, Any]:
    draft: dict[str, Any] = ctx.dialog.setdefault(DRAFT_KEY, {})
    draft.setdefault("texts", {})
    draft.setdefault("audience", {"kind": "everyone", "ids": [], "locale": None})
    draft.setdefault("ack", False)
    draft.setdefault("send_at", None)
    return draft


def _audience(draft: dict[str, Any]) -> Audience:
    data = draft["audience"]
    return Audience(data["kind"], tuple(data.get("ids") or ()), data.get("locale"))


async def _names(ctx: Ctx, audience: Audience) -> dict[int, str]:
    if audience.kind == "workshops":
        return {w.id: w.name for w in await ctx.services.org.workshops()}
    if audience.kind == "teams":
        return {t.id: f"{t.name} · {t.workshop_name}" for t in await ctx.services.org.all_teams()}
    return {}


# ------------------------------------------------------------------ the list


@admin_only
async def list_command(update: Update, ctx: Ctx) -> None:
    await show(update, ctx, await _list(ctx, 0))


@admin_only
async def list_page(update: Update, ctx: Ctx) -> None:
    await show(update, ctx, await _list(ctx, ctx.int_arg(0)))


async def _list(ctx: Ctx, number: int) -> Screen:
    repo = announcements_of(ctx).repo
    items, total = await repo.page(max(number, 0) * PAGE_SIZE, PAGE_SIZE)
    if not items and number > 0:
        return await _list(ctx, 0)
    return views.list_screen(ctx, ctx.tr, page_of(items, number, total, PAGE_SIZE))


@admin_only
async def open_one(update: Update, ctx: Ctx) -> None:
    screen = await _detail(ctx, ctx.int_arg(0))
    if screen is None:
        await ack(update, ctx.tr.gettext("This notice no longer exists."), alert=True)
        return
    await show(update, ctx, screen)


async def _detail(ctx: Ctx, announcement_id: int) -> Screen | None:
    announcement = await announcements_of(ctx).get(announcement_id, fresh=True)
    if announcement is None:
        return None
    audience = views.audience_label(
        ctx.tr, announcement.audience, await _names(ctx, announcement.audience)
    )
    return views.detail_screen(
        ctx, ctx.tr, announcement, await figures(ctx, announcement), audience
    )


@admin_only
async def unread(update: Update, ctx: Ctx) -> None:
    _ = ctx.tr.gettext
    announcement_id, number = ctx.int_arg(0), ctx.int_arg(1)
    people = await announcements_of(ctx).repo.not_acknowledged(announcement_id)
    page = page_in(people, number, PAGE_SIZE)
    lines = [
        _("👀 <b>Not read yet</b>: {n}").format(n=ctx.tr.number(len(people))),
        *(f"• {esc(name)}" for _member, _chat, name in page.items),
    ]
    line = page_line(ctx.tr, page)
    if line:
        lines.append(line)
    rows = pager(page, lambda n: ctx.button(routes.UNREAD, announcement_id, n))
    rows.append([(_("◀️ Back"), ctx.button(routes.OPEN, announcement_id))])
    await show(update, ctx, ("\n".join(lines), buttons(*rows)))


@admin_only
async def cancel_scheduled(update: Update, ctx: Ctx) -> None:
    announcement_id = ctx.int_arg(0)
    repo = announcements_of(ctx).repo
    if await repo.set_state(announcement_id, "cancelled", only_from="scheduled"):
        await ack(update, ctx.tr.gettext("Cancelled: it will not be sent."), alert=True)
    else:
        await ack(update)
    screen = await _detail(ctx, announcement_id)
    if screen is not None:
        await message_of(update).edit_text(screen[0], reply_markup=screen[1])


@admin_only
async def recall_ask(update: Update, ctx: Ctx) -> None:
    _ = ctx.tr.gettext
    announcement_id = ctx.int_arg(0)
    await show(
        update,
        ctx,
        (
            _("🗑 Recall this notice? It is deleted from every chat it reached."),
            buttons(
                [(_("Yes, recall it"), ctx.button(routes.RECALL, announcement_id))],
                [(_("◀️ Back"), ctx.button(routes.OPEN, announcement_id))],
            ),
        ),
    )


@admin_only
async def recall(update: Update, ctx: Ctx) -> None:
    _ = ctx.tr.gettext
    announcement_id = ctx.int_arg(0)
    service_ = announcements_of(ctx)
    announcement = await service_.get(announcement_id, fresh=True)
    if announcement is None or announcement.state not in ("sending", "sent"):
        await ack(update, _("This notice cannot be recalled now."), alert=True)
        return
    sender = ctx.services.get(Sender)
    # What has not gone yet never goes; what went is deleted.
    await sender.repo.cancel(service.KIND, announcement_id, (Op.SEND, Op.REMIND, Op.EDIT))
    state = announcement.state
    await service_.repo.set_state(announcement_id, "recalled", only_from=state)
    service_.forget(announcement_id)
    delivered = await sender.repo.delivered(service.KIND, announcement_id)
    await sender.queue(
        ctx,
        service.KIND,
        announcement_id,
        Op.DELETE,
        [Recipient(chat, member, message) for chat, member, message in delivered],
    )
    _LOGGER.info("Announcement %s recalled from %s chats", announcement_id, len(delivered))
    await ack(update)
    await message_of(update).edit_text(
        _("🗑 Recalling it from {n} chats. The status message shows the progress.").format(
            n=ctx.tr.number(len(delivered))
        )
    )


# ------------------------------------------------------------------ correcting


@admin_only
async def correct_start(update: Update, ctx: Ctx) -> str | int:
    _ = ctx.tr.gettext
    announcement = await announcements_of(ctx).get(ctx.int_arg(0), fresh=True)
    if announcement is None or announcement.state not in ("sending", "sent"):
        await ack(update, _("This notice cannot be corrected now."), alert=True)
        return END
    ctx.dialog["announce_correct"] = announcement.id
    await ack(update)
    await message_of(update).reply_text(
        _(
            "✏️ Type the corrected text. It replaces the notice in every chat, in every language. Or /cancel."
        )
    )
    return CORRECTION


@admin_only
async def correct_typed(update: Update, ctx: Ctx) -> str | int:
    _ = ctx.tr.gettext
    message = message_of(update)
    announcement_id = ctx.dialog.get("announce_correct")
    service_ = announcements_of(ctx)
    announcement = await service_.get(int(announcement_id or 0), fresh=True)
    if announcement is None:
        return END
    problem = _text_problem(
        ctx,
        message,
        caption=False,
        limit=CAPTION_LIMIT if announcement.attachment else TEXT_LIMIT,
    )
    if problem is not None:
        await message.reply_text(problem)
        return CORRECTION
    ctx.dialog.pop("announce_correct", None)
    await service_.repo.correct(announcement.id, {"": message.text_html})
    service_.forget(announcement.id)
    sender = ctx.services.get(Sender)
    delivered = await sender.repo.delivered(service.KIND, announcement.id)
    await sender.queue(
        ctx,
        service.KIND,
        announcement.id,
        Op.EDIT,
        [Recipient(chat, member, sent) for chat, member, sent in delivered],
    )
    _LOGGER.info("Announcement %s corrected in %s chats", announcement.id, len(delivered))
    await message.reply_text(
        _("✏️ Correcting it in {n} chats. The status message shows the progress.").format(
            n=ctx.tr.number(len(delivered))
        )
    )
    return END


# ------------------------------------------------------------------ composing


@admin_only
async def compose_start(update: Update, ctx: Ctx) -> str | int:
    ctx.dialog.pop(DRAFT_KEY, None)  # a new announcement starts from nothing
    _draft(ctx)
    if update.callback_query is not None:
        await ack(update)
    await message_of(update).reply_text(
        ctx.tr.gettext(
            "✍️ Send the notice: text (bold, italic and links are kept), or one photo or PDF with the text as its caption. Or /cancel."
        )
    )
    return BODY


def _text_problem(
    ctx: Ctx, message: Message, *, caption: bool, limit: int | None = None
) -> str | None:
    """Why the message's text (or caption) cannot be a notice, or None. `limit` is
    Telegram's for where the text will go: a message's, or a caption's."""
    _ = ctx.tr.gettext
    text = (message.caption if caption else message.text) or ""
    if not text.strip():
        return _("A notice needs words: type the text, or add it as the caption.")
    limit = limit or (CAPTION_LIMIT if caption else TEXT_LIMIT)
    length = telegram_length(text)
    if length > limit:
        return _(
            "That is {length} characters; Telegram allows {limit} here. Shorten it, or send it as two notices."
        ).format(length=ctx.tr.number(length), limit=ctx.tr.number(limit))
    return None


@admin_only
async def body_text(update: Update, ctx: Ctx) -> str | int:
    message = message_of(update)
    problem = _text_problem(ctx, message, caption=False)
    if problem is not None:
        await message.reply_text(problem)
        return BODY
    draft = _draft(ctx)
    draft.update(texts={"": message.text_html}, attachment=None, file_id=None)
    await _reply(message, await _draft_screen(ctx))
    return END


@admin_only
async def body_file(update: Update, ctx: Ctx) -> str | int:
    message = message_of(update)
    problem = _text_problem(ctx, message, caption=True)
    if problem is not None:
        await message.reply_text(problem)
        return BODY
    draft = _draft(ctx)
    if message.photo:
        attachment, file_id = "photo", message.photo[-1].file_id
    else:
        assert message.document is not None  # noqa: S101 - the filter lets only PDFs in
        attachment, file_id = "pdf", message.document.file_id
    draft.update(texts={"": message.caption_html}, attachment=attachment, file_id=file_id)
    await _reply(message, await _draft_screen(ctx))
    return END


async def body_unsupported(update: Update, ctx: Ctx) -> str | int:
    await message_of(update).reply_text(
        ctx.tr.gettext(
            "I can send text, one photo or one PDF. Please send one of those, or /cancel."
        )
    )
    return BODY


async def _draft_screen(ctx: Ctx) -> Screen:
    _ = ctx.tr.gettext
    draft = _draft(ctx)
    audience = _audience(draft)
    count = len(await audience_members(ctx, audience))
    send_at = draft.get("send_at")
    languages = [LANGUAGE_NAMES[loc] for loc in SUPPORTED_LOCALES if loc in draft["texts"]]
    lines = [
        _("📣 <b>New notice</b>"),
        _("To: {audience} · {n} people").format(
            audience=views.audience_label(ctx.tr, audience, await _names(ctx, audience)),
            n=ctx.tr.number(count),
        ),
        _("Ask for “I have read it”: {answer}").format(
            answer=_("yes") if draft["ack"] else _("no")
        ),
        _("When: {time}").format(
            time=views.when(ctx.tr, datetime.fromisoformat(send_at)) if send_at else _("now")
        ),
    ]
    if draft.get("attachment"):
        lines.append(_("With: a photo") if draft["attachment"] == "photo" else _("With: a PDF"))
    if languages:
        lines.append(_("Own versions for: {languages}").format(languages=", ".join(languages)))
    rows: list[list[Button]] = [
        [(_("👥 Who gets it"), ctx.button(routes.AUDIENCE))],
        [
            (
                ("✅ " if draft["ack"] else "⬜ ") + _("Ask for “I have read it”"),
                ctx.button(routes.ACK),
            )
        ],
        [
            (
                ("✅ " if draft.get("pin") else "⬜ ") + _("📌 Pin in the teams' group chats"),
                ctx.button(routes.PIN),
            )
        ],
        [
            (_("▶️ Send now instead"), ctx.button(routes.NOW))
            if send_at
            else (_("⏰ Send later"), ctx.button(routes.LATER))
        ],
        [
            (
                _("🌐 Version for {language}").format(language=LANGUAGE_NAMES[loc]),
                ctx.button(routes.VARIANT, loc),
            )
            for loc in SUPPORTED_LOCALES
        ],
        [
            (_("👁 Preview"), ctx.button(routes.PREVIEW)),
            (_("✖️ Discard"), ctx.button(routes.DISCARD)),
        ],
    ]
    return "\n".join(lines), buttons(*rows)


def _has_draft(ctx: Ctx) -> bool:
    return bool((ctx.dialog.get(DRAFT_KEY) or {}).get("texts"))


def with_draft(
    callback: Callable[[Update, Ctx], Coroutine[Any, Any, Any]],
) -> Callable[[Update, Ctx], Coroutine[Any, Any, Any]]:
    """A button of the draft; after a discard or a send there is none, and it says so."""

    @wraps(callback)
    async def guarded(update: Update, ctx: Ctx) -> Any:
        if not _has_draft(ctx):
            await ack(update, ctx.tr.gettext("This draft is gone. Start a new notice."), alert=True)
            return END
        return await callback(update, ctx)

    return guarded


@admin_only
@with_draft
async def draft_again(update: Update, ctx: Ctx) -> None:
    await show(update, ctx, await _draft_screen(ctx))


@admin_only
@with_draft
async def toggle_ack(update: Update, ctx: Ctx) -> None:
    draft = _draft(ctx)
    draft["ack"] = not draft["ack"]
    await show(update, ctx, await _draft_screen(ctx))


@admin_only
@with_draft
async def toggle_pin(update: Update, ctx: Ctx) -> None:
    draft = _draft(ctx)
    draft["pin"] = not draft.get("pin")
    await show(update, ctx, await _draft_screen(ctx))


@admin_only
@with_draft
async def send_now(update: Update, ctx: Ctx) -> None:
    _draft(ctx)["send_at"] = None
    await show(update, ctx, await _draft_screen(ctx))


@admin_only
async def discard(update: Update, ctx: Ctx) -> None:
    ctx.dialog.pop(DRAFT_KEY, None)
    await ack(update)
    await message_of(update).edit_text(ctx.tr.gettext("✖️ Discarded. Nothing was sent."))


# ------------------------------------------------------------------ audience


@admin_only
@with_draft
async def audience_screen(update: Update, ctx: Ctx) -> None:
    _ = ctx.tr.gettext
    rows: list[list[Button]] = [
        [(_("Everyone"), ctx.button(routes.AUDIENCE_SET, "everyone"))],
        [(_("Chosen workshops"), ctx.button(routes.AUDIENCE_LIST, "workshops", 0))],
        [(_("Chosen teams"), ctx.button(routes.AUDIENCE_LIST, "teams", 0))],
        [(_("Temporary staff only"), ctx.button(routes.AUDIENCE_SET, "temporary"))],
        [
            (name, ctx.button(routes.AUDIENCE_SET, "language", loc))
            for loc, name in LANGUAGE_NAMES.items()
        ],
        [(_("◀️ Back"), ctx.button(routes.DRAFT))],
    ]
    await show(
        update, ctx, (_("👥 Who should get it? (or only readers of one language)"), buttons(*rows))
    )


@admin_only
@with_draft
async def audience_set(update: Update, ctx: Ctx) -> None:
    assert ctx.tap is not None  # noqa: S101 - a route handler
    kind = ctx.tap.args[0]
    locale = ctx.tap.args[1] if len(ctx.tap.args) > 1 else None
    _draft(ctx)["audience"] = {"kind": kind, "ids": [], "locale": locale}
    await show(update, ctx, await _draft_screen(ctx))


@admin_only
@with_draft
async def audience_list(update: Update, ctx: Ctx) -> None:
    assert ctx.tap is not None  # noqa: S101 - a route handler
    await show(update, ctx, await _picker(ctx, ctx.tap.args[0], ctx.int_arg(1)))


@admin_only
@with_draft
async def audience_pick(update: Update, ctx: Ctx) -> None:
    assert ctx.tap is not None  # noqa: S101 - a route handler
    kind, chosen, number = ctx.tap.args[0], ctx.int_arg(1), ctx.int_arg(2)
    draft = _draft(ctx)
    current = draft["audience"]
    ids = list(current.get("ids") or []) if current["kind"] == kind else []
    if chosen in ids:
        ids.remove(chosen)
    else:
        ids.append(chosen)
    draft["audience"] = {"kind": kind, "ids": ids, "locale": None}
    await show(update, ctx, await _picker(ctx, kind, number))


async def _picker(ctx: Ctx, kind: str, number: int) -> Screen:
    _ = ctx.tr.gettext
    draft = _draft(ctx)
    chosen = set(draft["audience"].get("ids") or []) if draft["audience"]["kind"] == kind else set()
    if kind == "workshops":
        options = [(w.id, w.name) for w in await ctx.services.org.workshops()]
        title = _("🏭 Tick the workshops that get it:")
    else:
        options = [
            (t.id, f"{t.name} · {t.workshop_name}") for t in await ctx.services.org.all_teams()
        ]
        title = _("👥 Tick the teams that get it:")
    page = page_in(options, number, PAGE_SIZE)
    rows: list[list[Button]] = [
        [
            (
                ("✅ " if item_id in chosen else "⬜ ") + name,
                ctx.button(routes.AUDIENCE_PICK, kind, item_id, page.number),
            )
        ]
        for item_id, name in page.items
    ]
    rows.extend(pager(page, lambda n: ctx.button(routes.AUDIENCE_LIST, kind, n)))
    rows.append([(_("✅ Done"), ctx.button(routes.DRAFT))])
    lines = [title, _("Chosen: {n}").format(n=ctx.tr.number(len(chosen)))]
    line = page_line(ctx.tr, page)
    if line:
        lines.append(line)
    return "\n".join(lines), buttons(*rows)


# ------------------------------------------------------------------ variants and time


@admin_only
@with_draft
async def variant_start(update: Update, ctx: Ctx) -> str | int:
    assert ctx.tap is not None  # noqa: S101 - a route handler
    locale = ctx.tap.args[0]
    if locale not in SUPPORTED_LOCALES:
        await ack(update)
        return END
    _draft(ctx)["variant"] = locale
    await ack(update)
    await message_of(update).reply_text(
        ctx.tr.gettext(
            "🌐 Type the text for readers of {language}. Everyone else gets the first text. Or /cancel."
        ).format(language=LANGUAGE_NAMES[locale])
    )
    return VARIANT_TEXT


@admin_only
async def variant_typed(update: Update, ctx: Ctx) -> str | int:
    message = message_of(update)
    draft = _draft(ctx)
    locale = draft.pop("variant", None)
    if locale is None or not draft["texts"]:
        return END
    limit = CAPTION_LIMIT if draft.get("attachment") else TEXT_LIMIT
    problem = _text_problem(ctx, message, caption=False, limit=limit)
    if problem is not None:
        draft["variant"] = locale
        await message.reply_text(problem)
        return VARIANT_TEXT
    draft["texts"][locale] = message.text_html
    await _reply(message, await _draft_screen(ctx))
    return END


@admin_only
@with_draft
async def later_start(update: Update, ctx: Ctx) -> str | int:
    await ack(update)
    await message_of(update).reply_text(
        ctx.tr.gettext(
            "⏰ When should it go? Type the day and time in the plant's time, like {example}. Or /cancel."
        ).format(example=_example(ctx))
    )
    return WHEN


def _example(ctx: Ctx) -> str:
    tomorrow = ctx.services.clock.now().astimezone(ctx.services.settings.timezone) + timedelta(
        days=1
    )
    return tomorrow.strftime("%Y-%m-%d 07:30")


@admin_only
async def later_typed(update: Update, ctx: Ctx) -> str | int:
    _ = ctx.tr.gettext
    message = message_of(update)
    text = " ".join((message.text or "").split())
    try:
        moment = datetime.strptime(text, "%Y-%m-%d %H:%M").replace(
            tzinfo=ctx.services.settings.timezone
        )
    except ValueError:
        await message.reply_text(
            _("Please type the day and time like {example}, or /cancel.").format(
                example=_example(ctx)
            )
        )
        return WHEN
    if moment <= ctx.services.clock.now():
        await message.reply_text(
            _("That time has already passed. Type a time in the future, like {example}.").format(
                example=_example(ctx)
            )
        )
        return WHEN
    _draft(ctx)["send_at"] = moment.isoformat()
    await _reply(message, await _draft_screen(ctx))
    return END


# ------------------------------------------------------------------ preview and send


@admin_only
@with_draft
async def preview(update: Update, ctx: Ctx) -> None:
    _ = ctx.tr.gettext
    await ack(update)
    draft = _draft(ctx)
    chat = message_of(update).chat_id
    markup = (
        buttons([(_("✅ I have read it"), ctx.button(routes.READ, 0))]) if draft["ack"] else None
    )
    for locale, html in draft["texts"].items():
        if locale:
            await ctx.bot.send_message(
                chat,
                _("👁 As readers of {language} will see it:").format(
                    language=LANGUAGE_NAMES[locale]
                ),
            )
        await service.send_notice(
            ctx, chat, html, draft.get("attachment"), draft.get("file_id"), markup
        )
    count = len(await audience_members(ctx, _audience(draft)))
    await ctx.bot.send_message(
        chat,
        _("👁 That is how it will look. Send it to {n} people?").format(n=ctx.tr.number(count)),
        reply_markup=buttons(
            [(_("✅ Yes, send it"), ctx.button(routes.SEND))],
            [
                (_("✏️ Change something"), ctx.button(routes.DRAFT)),
                (_("✖️ Discard"), ctx.button(routes.DISCARD)),
            ],
        ),
    )


@admin_only
@with_draft
async def send(update: Update, ctx: Ctx) -> None:
    _ = ctx.tr.gettext
    draft = _draft(ctx)
    audience = _audience(draft)
    if (audience.kind in ("workshops", "teams") and not audience.ids) or not await audience_members(
        ctx, audience
    ):
        await ack(update, _("Nobody is in this audience. Choose who gets it."), alert=True)
        return
    send_at = datetime.fromisoformat(draft["send_at"]) if draft.get("send_at") else None
    if send_at is not None and send_at <= ctx.services.clock.now():
        await ack(
            update, _("The time chosen has passed. Choose a new time, or send it now."), alert=True
        )
        return
    repo = announcements_of(ctx).repo
    announcement_id = await repo.create(
        author_id=ctx.member.id if ctx.member else None,
        texts=dict(draft["texts"]),
        attachment=draft.get("attachment"),
        file_id=draft.get("file_id"),
        ask_ack=bool(draft["ack"]),
        pin=bool(draft.get("pin")),
        audience=audience,
        send_at=send_at,
        remind_after_s=int(ctx.services.settings.announcement_reminder_hours * 3600)
        if draft["ack"]
        else None,
    )
    ctx.dialog.pop(DRAFT_KEY, None)
    await ack(update)
    if send_at is not None:
        await message_of(update).edit_text(
            _("⏰ Scheduled for {time}. /announcements lists it; you can cancel it there.").format(
                time=views.when(ctx.tr, send_at)
            )
        )
        return
    await message_of(update).edit_text(_("📤 Sending…"))
    await service.start(ctx, announcement_id)


# ------------------------------------------------------------------ recipients


async def read(update: Update, ctx: Ctx) -> None:
    """ "I have read it": counted once, however often it is tapped, even after a restart."""
    _ = ctx.tr.gettext
    announcement_id = ctx.int_arg(0)
    if announcement_id == 0:  # the author's preview
        await ack(
            update,
            _("This is the preview: the button works for the people who get it."),
            alert=True,
        )
        return
    if ctx.member is None:
        await ack(update)
        return
    if await announcements_of(ctx).repo.acknowledge(announcement_id, ctx.member.id):
        await ack(update, _("Thank you: marked as read."))
        await service.read_by_someone(ctx, announcement_id)
        try:
            await message_of(update).edit_reply_markup(
                buttons([(_("✅ Read"), ctx.button(routes.READ, announcement_id))])
            )
        except Exception:  # noqa: BLE001 - the record is what matters; the button may be gone
            _LOGGER.debug("Could not mark the read button of announcement %s", announcement_id)
    else:
        await ack(update, _("Already marked as read. Thank you."))


async def my_data(ctx: Ctx, member: Member) -> list[str]:
    """What /mydata says about notices: how many this person has marked as read."""
    count = await announcements_of(ctx).repo.read_by(member.id)
    if not count:
        return []
    return [
        ctx.tr.ngettext(
            "📣 You have tapped “I have read it” on {n} notice.",
            "📣 You have tapped “I have read it” on {n} notices.",
            count,
        ).format(n=ctx.tr.number(count))
    ]
