"""Small helpers for what every message is made of: escaped text, labels, button rows, pages."""

from __future__ import annotations

import html
import logging
from collections.abc import Callable, Sequence
from typing import TypeVar

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram.error import BadRequest

from bot.i18n import Translator
from bot.models import Member, Page, Team

_LOGGER = logging.getLogger(__name__)

Button = tuple[str, str]  # (label, signed callback data)
T = TypeVar("T")


def esc(text: str) -> str:
    """Anything a person typed goes into HTML messages escaped."""
    return html.escape(text, quote=False)


def buttons(*rows: Sequence[Button]) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton(label, callback_data=data) for label, data in row] for row in rows]
    )


def column(items: Sequence[Button]) -> list[list[Button]]:
    """One button per row: long labels (names, teams) stay readable on a small phone."""
    return [[item] for item in items]


def message_of(update: Update) -> Message:
    """The message an update is about: the one sent, or the one whose button was tapped."""
    message = update.effective_message
    if message is None:
        raise RuntimeError(f"update {update.update_id} has no accessible message")
    return message


async def ack(update: Update, text: str | None = None, *, alert: bool = False) -> None:
    """Answer a button tap (stops the spinner, or shows `text`).

    Telegram refuses an answer that comes too late, as it does when a whole shift
    taps at once and the bot is busy. The tap's real work must still happen, so a
    refused answer is noted, not raised.
    """
    query = update.callback_query
    if query is None:
        return
    try:
        await query.answer(text, show_alert=alert)
    except BadRequest as err:
        _LOGGER.info("Tap %s answered too late: %s", query.id, err.message)


def team_label(team: Team) -> str:
    """A team as people name it: team, then workshop (HTML-escaped)."""
    return f"{esc(team.name)} · {esc(team.workshop_name)}"


def member_team_label(member: Member) -> str:
    """The team a member is in now, named the same way as `team_label`."""
    return f"{esc(member.team_name or '')} · {esc(member.workshop_name or '')}"


def page_line(tr: Translator, page: Page[T]) -> str | None:
    """ "Page 2 of 5" under a list that has more than one page; the arrows do the turning."""
    if page.count <= 1:
        return None
    return tr.gettext("Page {page} of {pages}").format(
        page=tr.number(page.number + 1), pages=tr.number(page.count)
    )


def pager(page: Page[T], turn: Callable[[int], str]) -> list[list[Button]]:
    """◀️ ▶️ under a list with more pages; `turn(n)` makes the signed data for page n."""
    row: list[Button] = []
    if page.has_previous:
        row.append(("◀️", turn(page.number - 1)))
    if page.has_next:
        row.append(("▶️", turn(page.number + 1)))
    return [row] if row else []
