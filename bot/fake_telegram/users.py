"""Simulated people: they type, tap buttons and open links, and see what the bot answers.

Each action waits until the bot has finished handling it, then returns a
`Reply` with everything the bot did in that person's chat meanwhile: new
messages, edits, and the pop-up answer to a button tap.
"""

from __future__ import annotations

import functools
import html
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs, urlparse

from bot.fake_telegram.entities import utf16_len
from bot.fake_telegram.fake import (
    TEXT_LIMIT,
    BotEvent,
    FakeTelegram,
    SimChat,
    SimUser,
    StoredMessage,
)

Settle = Callable[[int], Awaitable[None]]


def split_like_a_client(text: str, limit: int = TEXT_LIMIT) -> list[str]:
    """The messages a Telegram app sends for `text`: none over `limit` UTF-16 units.

    Telegram refuses a message over 4,096 units, so its apps split a longer text
    into consecutive messages, each cut after the last line break that fits, else
    after the last space, else at the limit (never inside a character, so never
    between the two halves of a surrogate pair). The parts join back to `text`.
    """
    parts: list[str] = []
    rest = text
    while utf16_len(rest) > limit:
        head = rest[: _fitting(rest, limit)]
        cut = head.rfind("\n") + 1 or head.rfind(" ") + 1 or len(head)
        parts.append(rest[:cut])
        rest = rest[cut:]
    parts.append(rest)
    return parts


def _fitting(text: str, limit: int) -> int:
    """How many characters of `text`, from the start, fit in `limit` UTF-16 units."""
    units = 0
    for index, char in enumerate(text):
        units += 2 if ord(char) > 0xFFFF else 1
        if units > limit:
            return index
    return len(text)


def plain(message: StoredMessage) -> str:
    """What a person reads: the text or caption, entities already applied."""
    return message.text if message.text is not None else (message.caption or "")


@dataclass
class Reply:
    """What the bot did in one chat in answer to one action."""

    events: list[BotEvent]

    @property
    def messages(self) -> list[StoredMessage]:
        """Messages sent or edited, each once, in the order they first changed."""
        seen: dict[int, StoredMessage] = {}
        for event in self.events:
            if event.message is not None and event.kind in ("sent", "edited"):
                seen.setdefault(event.message.message_id, event.message)
        return list(seen.values())

    @property
    def text(self) -> str:
        parts = [plain(m) for m in self.messages]
        if self.alert:
            parts.append(self.alert)
        return "\n".join(parts)

    @property
    def alert(self) -> str | None:
        answers = [e.alert for e in self.events if e.kind == "answered" and e.alert]
        return answers[-1] if answers else None

    @property
    def buttons(self) -> list[str]:
        return [b["text"] for m in self.messages for b in m.buttons]

    @property
    def documents(self) -> list[StoredMessage]:
        return [m for m in self.messages if "document" in m.media]

    def __contains__(self, needle: str) -> bool:
        return needle in self.text


class Person:
    """One simulated Telegram user talking to the bot in their private chat."""

    def __init__(self, fake: FakeTelegram, user: SimUser, settle: Settle) -> None:
        self.fake = fake
        self.user = user
        self._settle = settle

    @property
    def id(self) -> int:
        return self.user.id

    @property
    def name(self) -> str:
        return self.user.first_name

    @property
    def chat(self) -> SimChat:
        return self.fake.chats[self.user.id]

    def bot_messages(self) -> list[StoredMessage]:
        return [m for m in self.chat.messages.values() if m.from_bot and not m.deleted]

    @property
    def last_message(self) -> StoredMessage:
        messages = self.bot_messages()
        if not messages:
            raise AssertionError(f"{self.name} has no message from the bot")
        return messages[-1]

    @property
    def keyboard(self) -> list[str]:
        """The labels of the reply keyboard under the chat right now."""
        markup = self.chat.reply_keyboard or {}
        return [_label(b) for row in markup.get("keyboard", []) for b in row]

    async def _act(self, *pushes: Callable[[], int]) -> Reply:
        """Push the updates together, as an app sends them, then wait for the bot on each."""
        before = self.fake.last_seq
        update_ids = [push() for push in pushes]
        for update_id in update_ids:
            await self._settle(update_id)
        return Reply(self.fake.events_since(before, self.user.id))

    async def send(self, text: str) -> Reply:
        """Type and send `text`; over 4,096 UTF-16 units it goes as several messages.

        The Reply covers what the bot did in answer to all of them.
        """
        return await self._act(
            *(
                functools.partial(self.fake.user_message, self.id, text=part)
                for part in split_like_a_client(text)
            )
        )

    async def press(self, label: str) -> Reply:
        """Tap a reply-keyboard button: Telegram sends its label as text."""
        found = [b for b in self.keyboard if b == label] or [b for b in self.keyboard if label in b]
        if len(found) != 1:
            raise AssertionError(f"no single keyboard button like {label!r} in {self.keyboard}")
        return await self.send(found[0])

    async def tap(self, label: str | int, message: StoredMessage | None = None) -> Reply:
        """Tap an inline button on the newest message that has buttons, by label or number."""
        message = message or self._newest_with_buttons()
        options = message.buttons
        if isinstance(label, int):
            if not 1 <= label <= len(options):
                raise AssertionError(f"no button {label} among {[b['text'] for b in options]}")
            button = options[label - 1]
        else:
            exact = [b for b in options if b["text"] == label]
            matches = exact or [b for b in options if label in b["text"]]
            if len(matches) != 1:
                raise AssertionError(
                    f"no single button like {label!r} in {[b['text'] for b in options]}"
                )
            button = matches[0]
        if "callback_data" not in button:
            raise AssertionError(f"button {button['text']!r} is a link, not a tap")
        return await self.tap_data(button["callback_data"], message)

    async def tap_data(self, data: str, message: StoredMessage | None = None) -> Reply:
        """Send a callback with arbitrary data (forged or replayed taps included)."""
        message = message or self.last_message
        target = message
        return await self._act(
            lambda: self.fake.user_taps(self.id, target.chat_id, target.message_id, data)
        )

    def _newest_with_buttons(self) -> StoredMessage:
        for message in reversed(self.bot_messages()):
            if message.buttons:
                return message
        raise AssertionError(f"{self.name} has no message with buttons")

    async def open_link(self, link: str) -> Reply:
        """Open a t.me deep link (or scan its QR code): Telegram sends /start <payload>."""
        query = parse_qs(urlparse(link).query)
        payload = query.get("start", [""])[0]
        return await self.send(f"/start {payload}".rstrip())

    async def send_sticker(self) -> Reply:
        sticker = _sticker(self.fake)
        return await self._act(lambda: self.fake.user_message(self.id, sticker=sticker))

    async def send_photo(self, caption: str | None = None) -> Reply:
        file_id, unique = self.fake.new_file_id()
        size = {"file_id": file_id, "file_unique_id": unique, "width": 640, "height": 480}
        extra: dict[str, Any] = {"caption": caption} if caption else {}
        return await self._act(lambda: self.fake.user_message(self.id, photo=[size], **extra))

    async def send_document(
        self, file_name: str, mime_type: str, caption: str | None = None
    ) -> Reply:
        """A file, as the paper-clip button sends it (a PDF, a spreadsheet …)."""
        file_id, unique = self.fake.new_file_id()
        document = {
            "file_id": file_id,
            "file_unique_id": unique,
            "file_name": file_name,
            "mime_type": mime_type,
        }
        extra: dict[str, Any] = {"caption": caption} if caption else {}
        return await self._act(lambda: self.fake.user_message(self.id, document=document, **extra))

    async def send_voice(self) -> Reply:
        file_id, unique = self.fake.new_file_id()
        voice = {
            "file_id": file_id,
            "file_unique_id": unique,
            "duration": 3,
            "mime_type": "audio/ogg",
        }
        return await self._act(lambda: self.fake.user_message(self.id, voice=voice))

    async def block(self) -> Reply:
        return await self._act(lambda: self.fake.user_blocks_bot(self.id, True))

    async def unblock(self) -> Reply:
        return await self._act(lambda: self.fake.user_blocks_bot(self.id, False))


def _label(button: Any) -> str:
    return button if isinstance(button, str) else str(button["text"])


def _sticker(fake: FakeTelegram) -> dict[str, Any]:
    file_id, unique = fake.new_file_id()
    return {
        "file_id": file_id,
        "file_unique_id": unique,
        "type": "regular",
        "width": 512,
        "height": 512,
        "is_animated": False,
        "is_video": False,
        "emoji": "👍",
    }


def links_in(text: str) -> list[str]:
    """The t.me links in a message, as a person would copy them."""
    return re.findall(r"https://t\.me/\S+", html.unescape(text))
