"""Small helpers for what every message is made of: escaped text and button rows."""

from __future__ import annotations

import html
import logging
from collections.abc import Sequence

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram.error import BadRequest

_LOGGER = logging.getLogger(__name__)

Button = tuple[str, str]  # (label, signed callback data)


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
