"""What the admins see of announcements: the status message, the list, one announcement."""

from __future__ import annotations

from datetime import datetime

from telegram import InlineKeyboardMarkup

from bot.announcements import routes
from bot.announcements.service import Figures
from bot.context import Ctx
from bot.db.announcements import Announcement, Audience
from bot.i18n import LANGUAGE_NAMES, Translator
from bot.models import Member, Page
from bot.ui import Button, buttons, esc, page_line, pager


def when(tr: Translator, moment: datetime) -> str:
    return f"{tr.date(moment)} {tr.time_of_day(moment)}"


def audience_label(tr: Translator, audience: Audience, names: dict[int, str] | None = None) -> str:
    _ = tr.gettext
    if audience.kind == "everyone":
        return _("everyone")
    if audience.kind == "temporary":
        return _("temporary staff")
    if audience.kind == "language":
        return _("readers of {language}").format(
            language=LANGUAGE_NAMES.get(audience.locale or "", audience.locale or "")
        )
    listed = ", ".join(esc((names or {}).get(i, str(i))) for i in audience.ids)
    if audience.kind == "workshops":
        return _("workshops: {names}").format(names=listed)
    return _("teams: {names}").format(names=listed)


def snippet(announcement: Announcement, length: int = 40) -> str:
    import re

    plain = re.sub(r"<[^>]+>", "", announcement.texts.get("", "")).replace("\n", " ").strip()
    plain = plain.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
    return esc(plain[:length] + ("…" if len(plain) > length else ""))


def status(
    ctx: Ctx, tr: Translator, announcement: Announcement, now: Figures, author: Member
) -> tuple[str, InlineKeyboardMarkup | None]:
    """The author's status message: live while sending, the result at the end."""
    _ = tr.gettext
    n = tr.number
    sent = now.sent
    lines = [
        _("📣 <b>Notice</b>: {snippet}").format(snippet=snippet(announcement)),
    ]
    if announcement.state == "sending":
        lines.append(
            _("Sending: {done} of {total} sent, about {seconds} s left.").format(
                done=n(sent.done), total=n(sent.total), seconds=n(now.seconds_left)
            )
        )
    else:
        lines.append(
            _("✅ Sent to {done} of {total} people.").format(done=n(sent.done), total=n(sent.total))
        )
    if sent.failed or sent.blocked:
        lines.append(
            _(
                "Not delivered: {blocked} blocked Shiftmate or left Telegram, {failed} failed."
            ).format(blocked=n(sent.blocked), failed=n(sent.failed))
        )
    if announcement.ask_ack:
        lines.append(
            _("👀 {read} of {done} have tapped “I have read it”.").format(
                read=n(now.acknowledged), done=n(sent.done)
            )
        )
    if now.reminders.total:
        lines.append(_("🔔 Reminded: {n}.").format(n=n(now.reminders.done)))
    if now.edits.total:
        lines.append(
            _("✏️ Corrected in {done} of {total} chats.").format(
                done=n(now.edits.done), total=n(now.edits.total)
            )
        )
    if now.deletes.total:
        lines.append(
            _("🗑 Recalled from {done} of {total} chats.").format(
                done=n(now.deletes.done), total=n(now.deletes.total)
            )
        )
    markup = buttons(
        [(_("📋 Details"), ctx.button_for(author.telegram_id, routes.OPEN, announcement.id))]
    )
    return "\n".join(lines), markup


def state_label(tr: Translator, announcement: Announcement) -> str:
    _ = tr.gettext
    return {
        "scheduled": _("⏰ scheduled for {time}").format(time=when(tr, announcement.send_at)),
        "sending": _("📤 sending"),
        "sent": _("✅ sent {time}").format(
            time=when(tr, announcement.finished_at or announcement.send_at)
        ),
        "cancelled": _("✖️ cancelled"),
        "recalled": _("🗑 recalled"),
    }.get(announcement.state, announcement.state)


def list_screen(
    ctx: Ctx, tr: Translator, page: Page[Announcement]
) -> tuple[str, InlineKeyboardMarkup]:
    _ = tr.gettext
    lines = [_("📣 <b>Notices</b>")]
    if not page.items:
        lines.append(_("None yet."))
    rows: list[list[Button]] = [[(_("✍️ New notice"), ctx.button(routes.NEW))]]
    for item in page.items:
        rows.append(
            [
                (
                    f"{state_label(tr, item)} · {snippet(item, 24)}",
                    ctx.button(routes.OPEN, item.id),
                )
            ]
        )
    line = page_line(tr, page)
    if line:
        lines.append(line)
    rows.extend(pager(page, lambda number: ctx.button(routes.LIST, number)))
    return "\n".join(lines), buttons(*rows)


def detail_screen(
    ctx: Ctx, tr: Translator, announcement: Announcement, now: Figures, audience: str
) -> tuple[str, InlineKeyboardMarkup]:
    _ = tr.gettext
    n = tr.number
    lines = [
        _("📣 <b>Notice</b> · {state}").format(state=state_label(tr, announcement)),
        _("To: {audience}").format(audience=audience),
        "",
        announcement.texts.get("", ""),
        "",
    ]
    if announcement.state in ("sending", "sent", "recalled"):
        lines.append(
            _("Sent to {done} of {total}; {blocked} blocked, {failed} failed.").format(
                done=n(now.sent.done),
                total=n(now.sent.total),
                blocked=n(now.sent.blocked),
                failed=n(now.sent.failed),
            )
        )
    if announcement.ask_ack:
        lines.append(
            _("👀 Read: {read} of {done}.").format(read=n(now.acknowledged), done=n(now.sent.done))
        )
    rows: list[list[Button]] = []
    if announcement.state == "scheduled":
        rows.append([(_("✖️ Cancel it"), ctx.button(routes.CANCEL_SCHEDULED, announcement.id))])
    if announcement.state in ("sending", "sent"):
        if announcement.ask_ack:
            rows.append(
                [(_("👀 Who has not read it"), ctx.button(routes.UNREAD, announcement.id, 0))]
            )
        rows.append([(_("✏️ Correct it everywhere"), ctx.button(routes.CORRECT, announcement.id))])
        rows.append([(_("🗑 Recall it everywhere"), ctx.button(routes.RECALL_ASK, announcement.id))])
    rows.append([(_("◀️ Back to the list"), ctx.button(routes.LIST, 0))])
    return "\n".join(lines), buttons(*rows)
