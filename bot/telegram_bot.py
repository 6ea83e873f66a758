"""The Bot API client the whole bot talks through, with one rule for every edit.

Telegram refuses an edit that would leave a message as it is ("message is not
modified"). For the bot that is success: the person already sees what the edit
meant to show, as happens when a button is tapped twice, or a screen is shown
again unchanged. Every edit in the bot goes through these four methods (the
`edit_*` shortcuts on messages and taps call them), so no handler needs a case
of its own. Each edit is also reported to `on_edit`, which the double-tap ledger
uses to tell a repeat from a tap on a screen that has moved on.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from telegram.error import BadRequest
from telegram.ext import ExtBot

OnEdit = Callable[[int, int], None]

_NOT_MODIFIED = "message is not modified"


def is_not_modified(error: BadRequest) -> bool:
    return _NOT_MODIFIED in error.message.lower()


class ShiftmateBot(ExtBot[Any]):
    def __init__(self, *args: Any, on_edit: OnEdit | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._on_edit = on_edit

    async def edit_message_text(self, *args: Any, **kwargs: Any) -> Any:
        return await self._edit(super().edit_message_text(*args, **kwargs), kwargs)

    async def edit_message_caption(self, *args: Any, **kwargs: Any) -> Any:
        return await self._edit(super().edit_message_caption(*args, **kwargs), kwargs)

    async def edit_message_reply_markup(self, *args: Any, **kwargs: Any) -> Any:
        return await self._edit(super().edit_message_reply_markup(*args, **kwargs), kwargs)

    async def edit_message_media(self, *args: Any, **kwargs: Any) -> Any:
        return await self._edit(super().edit_message_media(*args, **kwargs), kwargs)

    async def _edit(self, call: Awaitable[Any], kwargs: dict[str, Any]) -> Any:
        try:
            result = await call
        except BadRequest as err:
            if not is_not_modified(err):
                raise
            result = True  # what Telegram answers for an edit it has nothing to return for
        chat_id, message_id = kwargs.get("chat_id"), kwargs.get("message_id")
        if self._on_edit is not None and isinstance(chat_id, int) and isinstance(message_id, int):
            self._on_edit(chat_id, message_id)
        return result
