"""Announcements, as the outbox carries them: who gets one, what each person sees, progress."""

from __future__ import annotations

import asyncio
import logging
import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from telegram import InlineKeyboardMarkup, Message
from telegram.error import BadRequest

from bot.announcements import routes
from bot.context import Ctx
from bot.db.announcements import Announcement, AnnouncementRepository, Audience
from bot.db.outbox import Item, Op, Recipient, Tally
from bot.i18n import Translator, negotiate
from bot.models import Member
from bot.outbox import Sender
from bot.pacing import BULK, PaceArgs
from bot.services import Services
from bot.ui import buttons

_LOGGER = logging.getLogger(__name__)

KIND = "announcement"
TEXT_LIMIT = 4096  # Telegram's limit for a message, counted after the formatting is read
CAPTION_LIMIT = 1024  # and for the caption of a photo or document
RATE = 30  # messages a second the sender keeps to, for "time left"
STATUS_EVERY = timedelta(seconds=3)  # a status message is edited at most this often for reads


class Announcements:
    """The feature's state: its repository, and the sender it queues into."""

    def __init__(self, services: Services) -> None:
        self.services = services
        self.repo = AnnouncementRepository(services.db, services.clock)
        self._cache: dict[int, Announcement] = {}  # while sending: one read per announcement
        # While one is sent: everyone's language, read once, not once per message (a query
        # per message kept the database busy and slowed the replies people wait for).
        self._readers: dict[int, dict[int, Member]] = {}
        self._has_read: dict[int, set[int]] = {}
        self._reading = asyncio.Lock()
        # Notices read since their status message was last edited, and when it was: a
        # "read" edits it at once, or (within STATUS_EVERY) at the next tick.
        self.unshown: set[int] = set()
        self.shown_at: dict[int, datetime] = {}
        # The outbox is built first (bot/app.py lists it before the features that use it).
        services.get(Sender).handle(KIND, perform, progress)

    async def get(self, announcement_id: int, *, fresh: bool = False) -> Announcement | None:
        if not fresh and announcement_id in self._cache:
            return self._cache[announcement_id]
        found = await self.repo.get(announcement_id)
        if found is not None:
            self._cache[announcement_id] = found
        return found

    def forget(self, announcement_id: int) -> None:
        self._cache.pop(announcement_id, None)
        self._readers.pop(announcement_id, None)
        self._has_read.pop(announcement_id, None)

    async def has_read(self, announcement_id: int) -> set[int]:
        """Who had read it when its correction started (read once per correction)."""
        found = self._has_read.get(announcement_id)
        if found is None:
            found = self._has_read[announcement_id] = await self.repo.readers_of(announcement_id)
        return found

    async def reader(self, announcement_id: int, member_id: int) -> Member | None:
        readers = self._readers.get(announcement_id)
        if readers is None:
            async with self._reading:  # sixty rows start at once: one of them reads
                readers = self._readers.get(announcement_id)
                if readers is None:
                    everyone = await self.repo.members(Audience("everyone"))
                    readers = self._readers[announcement_id] = {m.id: m for m in everyone}
        return readers.get(member_id)


def announcements_of(ctx: Ctx) -> Announcements:
    return ctx.services.get(Announcements)


async def audience_members(ctx: Ctx, audience: Audience) -> list[Member]:
    """Everyone the audience names whom Telegram can still reach."""
    found = await announcements_of(ctx).repo.members(audience)
    default = ctx.services.settings.locale
    if audience.kind == "language":
        found = [
            m for m in found if negotiate(m.locale, m.language_code, default) == audience.locale
        ]
    return [m for m in found if m.reachable]


def telegram_length(text: str) -> int:
    """Telegram counts a message's length in UTF-16 code units."""
    return len(text.encode("utf-16-le")) // 2


@dataclass(frozen=True)
class Figures:
    """Where an announcement's sending stands."""

    sent: Tally
    edits: Tally
    deletes: Tally
    reminders: Tally
    acknowledged: int

    @property
    def seconds_left(self) -> int:
        waiting = self.sent.queued + self.edits.queued + self.deletes.queued + self.reminders.queued
        return math.ceil(waiting / RATE)


async def figures(ctx: Ctx, announcement: Announcement) -> Figures:
    each = await ctx.services.get(Sender).repo.tallies(KIND, announcement.id)
    return Figures(
        each[Op.SEND],
        each[Op.EDIT],
        each[Op.DELETE],
        each[Op.REMIND],
        await announcements_of(ctx).repo.acknowledged(announcement.id),
    )


async def start(ctx: Ctx, announcement_id: int) -> int | None:
    """Queue the announcement for everyone in its audience now; how many, None if it had
    already started or was cancelled."""
    service = announcements_of(ctx)
    announcement = await service.get(announcement_id, fresh=True)
    if announcement is None or announcement.state != "scheduled":
        return None
    members = await audience_members(ctx, announcement.audience)
    recipients = [Recipient(m.telegram_id, m.id) for m in members]
    if announcement.pin:  # the teams' group chats get it too, pinned there
        recipients += [
            Recipient(group) for group in await service.repo.groups(announcement.audience)
        ]
    if not await service.repo.start(announcement_id, recipients):
        return None
    service.forget(announcement_id)
    _LOGGER.info("Announcement %s: sending to %s people", announcement_id, len(recipients))
    sender = ctx.services.get(Sender)
    await send_status(ctx, announcement_id)
    if not recipients:
        await progress(ctx, announcement_id)
    sender.wake(ctx)
    return len(recipients)


def read_button(ctx: Ctx, tr: Translator, item: Item) -> InlineKeyboardMarkup:
    return buttons(
        [(tr.gettext("✅ I have read it"), ctx.button_for(item.chat_id, routes.READ, item.ref))]
    )


async def perform(ctx: Ctx, item: Item) -> int | None:
    """Carry out one outbox row of an announcement."""
    service = announcements_of(ctx)
    announcement = await service.get(item.ref)
    if announcement is None:
        return None
    if item.member_id is None and item.chat_id > 0:
        return None  # they deleted their info (/leave) since it was queued
    member = await service.reader(item.ref, item.member_id) if item.member_id else None
    tr = (
        ctx.services.i18n.for_person(member.locale, member.language_code)
        if member is not None
        else ctx.services.i18n.translator(None)
    )
    text = announcement.text_for(tr.locale)
    markup = read_button(ctx, tr, item) if announcement.ask_ack and member is not None else None
    if markup is not None and item.op is Op.EDIT and member is not None:
        if member.id in await service.has_read(item.ref):  # a correction keeps "✅ Read"
            markup = buttons(
                [(tr.gettext("✅ Read"), ctx.button_for(item.chat_id, routes.READ, item.ref))]
            )
    bot = ctx.bot
    if item.op is Op.DELETE and item.target is not None:
        await bot.delete_message(item.chat_id, item.target, rate_limit_args=BULK)
        return None
    if item.op is Op.EDIT and item.target is not None:
        if announcement.attachment:
            await bot.edit_message_caption(
                item.chat_id, item.target, caption=text, reply_markup=markup, rate_limit_args=BULK
            )
        else:
            await bot.edit_message_text(
                text, item.chat_id, item.target, reply_markup=markup, rate_limit_args=BULK
            )
        return None
    if item.op is Op.REMIND:
        text = tr.gettext("🔔 Reminder: please read this and tap “I have read it”.") + "\n\n" + text
        if telegram_length(text) > (CAPTION_LIMIT if announcement.attachment else TEXT_LIMIT):
            text = tr.gettext("🔔 Reminder: please read the notice above and tap “I have read it”.")
            sent: Message = await bot.send_message(
                item.chat_id, text, reply_markup=markup, rate_limit_args=BULK
            )
            return sent.message_id
    sent = await send_notice(
        ctx, item.chat_id, text, announcement.attachment, announcement.file_id, markup, BULK
    )
    if member is None and announcement.pin and item.op is Op.SEND:
        await _pin(ctx, item.chat_id, sent.message_id)
    return sent.message_id


async def _pin(ctx: Ctx, chat_id: int, message_id: int) -> None:
    """Pin the notice in a team's group chat; without the right to pin, it stays unpinned."""
    try:
        await ctx.bot.pin_chat_message(
            chat_id, message_id, disable_notification=True, rate_limit_args=BULK
        )
    except BadRequest as err:
        _LOGGER.info("Could not pin a notice in group %s: %s", chat_id, err.message)


async def send_notice(
    ctx: Ctx,
    chat_id: int,
    html: str,
    attachment: str | None,
    file_id: str | None,
    markup: InlineKeyboardMarkup | None,
    lane: PaceArgs | None = None,
) -> Message:
    """A notice as its readers see it: the text, or the photo or PDF with it as caption."""
    if attachment == "photo":
        return await ctx.bot.send_photo(
            chat_id, file_id or "", caption=html, reply_markup=markup, rate_limit_args=lane
        )
    if attachment == "pdf":
        return await ctx.bot.send_document(
            chat_id, file_id or "", caption=html, reply_markup=markup, rate_limit_args=lane
        )
    return await ctx.bot.send_message(chat_id, html, reply_markup=markup, rate_limit_args=lane)


async def progress(ctx: Ctx, announcement_id: int) -> None:
    """The batch moved on: finish it if nothing is left, and edit the author's status."""
    service = announcements_of(ctx)
    announcement = await service.get(announcement_id, fresh=True)
    if announcement is None:
        return
    now = await figures(ctx, announcement)
    if now.seconds_left == 0:
        service.forget(announcement_id)  # what was read for sending is read again if needed
    if announcement.state == "sending" and now.sent.queued == 0:
        if await service.repo.set_state(announcement_id, "sent", only_from="sending"):
            _LOGGER.info(
                "Announcement %s sent: %s delivered, %s failed, %s blocked",
                announcement_id,
                now.sent.done,
                now.sent.failed,
                now.sent.blocked,
            )
            announcement = await service.get(announcement_id, fresh=True) or announcement
    await edit_status(ctx, announcement, now)


async def send_status(ctx: Ctx, announcement_id: int) -> None:
    """A new status message for the author, edited in place from now on."""
    from bot.announcements import views

    service = announcements_of(ctx)
    announcement = await service.get(announcement_id, fresh=True)
    if announcement is None or announcement.author_id is None:
        return
    author = await ctx.services.members.get(announcement.author_id)
    if author is None:
        return
    tr = ctx.services.i18n.for_person(author.locale, author.language_code)
    text, markup = views.status(ctx, tr, announcement, await figures(ctx, announcement), author)
    sent = await ctx.bot.send_message(author.telegram_id, text, reply_markup=markup)
    await service.repo.set_status_message(announcement_id, author.telegram_id, sent.message_id)


async def edit_status(ctx: Ctx, announcement: Announcement, now: Figures) -> None:
    from bot.announcements import views

    if announcement.status_chat is None or announcement.status_message is None:
        return
    author = await ctx.services.members.by_telegram_id(announcement.status_chat)
    if author is None:
        return
    tr = ctx.services.i18n.for_person(author.locale, author.language_code)
    text, markup = views.status(ctx, tr, announcement, now, author)
    try:
        await ctx.bot.edit_message_text(
            text, announcement.status_chat, announcement.status_message, reply_markup=markup
        )
    except BadRequest as err:
        if "not modified" not in err.message:
            raise


async def read_by_someone(ctx: Ctx, announcement_id: int) -> None:
    """Someone tapped "I have read it": the author's figures follow, at most every 3 s."""
    service = announcements_of(ctx)
    last = service.shown_at.get(announcement_id)
    now = ctx.services.clock.now()
    if last is not None and now - last < STATUS_EVERY:
        service.unshown.add(announcement_id)
        return
    await show_figures(ctx, announcement_id)


async def show_figures(ctx: Ctx, announcement_id: int) -> None:
    service = announcements_of(ctx)
    service.unshown.discard(announcement_id)
    service.shown_at[announcement_id] = ctx.services.clock.now()
    announcement = await service.get(announcement_id, fresh=True)
    if announcement is not None:
        await edit_status(ctx, announcement, await figures(ctx, announcement))


async def tick(ctx: Ctx) -> None:
    """Scheduled notices whose time has come, reminders that are due, reads not yet shown."""
    service = announcements_of(ctx)
    for announcement_id in sorted(service.unshown):
        await show_figures(ctx, announcement_id)
    for announcement_id in await service.repo.due():
        await start(ctx, announcement_id)
    for announcement_id in await service.repo.reminders_due():
        unread = await service.repo.not_acknowledged(announcement_id)
        if not await service.repo.mark_reminded(announcement_id):
            continue
        await ctx.services.get(Sender).queue(
            ctx,
            KIND,
            announcement_id,
            Op.REMIND,
            [Recipient(chat, member) for member, chat, _name in unread],
        )
        _LOGGER.info("Announcement %s: reminded %s people", announcement_id, len(unread))
