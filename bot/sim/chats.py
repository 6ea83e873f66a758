"""What each simulated person's Telegram app keeps between simulator sessions.

On real Telegram a bot restart changes nothing in people's apps: the keyboard
under the chat, the recent messages and their buttons, and the fact that the
person once opened the chat all stay. The fake Telegram keeps these only in
memory, so the simulator writes them to a small JSON file beside its database
when a session ends (and after every console line, in case it is killed) and
puts them back at the start of the next one.

The file is a convenience, never a reason to fail: a missing, corrupt or
older-format file is reported in one line and the chats start empty.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bot.fake_telegram.fake import FakeTelegram, SimUser, StoredFile, StoredMessage
from bot.fake_telegram.users import Person

FORMAT = "shiftmate-simulator-chats"
VERSION = 1
# Enough to scroll back a little and to tap the buttons of the last few messages.
KEEP_MESSAGES = 20
# Far more messages than anyone sends in the simulator; a larger number is damage
# (and restoring one would count the chat's message numbers up to it).
MAX_MESSAGE_ID = 1_000_000


class ChatFileError(ValueError):
    """The chat file cannot be used; the message says why, in a few words."""


@dataclass(frozen=True)
class SavedPerson:
    """One person as their Telegram app remembers them."""

    key: str  # what to type after :as
    user_id: int
    first_name: str
    last_name: str | None
    language_code: str | None
    started: bool
    blocked: bool
    keyboard: dict[str, Any] | None
    messages: list[dict[str, Any]]
    last_message_id: int


@dataclass(frozen=True)
class SavedChats:
    current: str | None  # whom the console was acting as
    people: list[SavedPerson]


def chat_file_for(db_path: Path) -> Path:
    """`data/simulator.sqlite3` keeps its chats in `data/simulator-chats.json`."""
    return db_path.with_name(f"{db_path.stem}-chats.json")


def forget_unless_plant_exists(db_path: Path) -> Path:
    """The chat file for this database, deleted first when there is no database yet.

    Chats belong to the plant they happened in: a new database (the first run,
    `--fresh`, or one deleted by hand) starts with no chats either, so its
    buttons are not old ones signed with another database's key.
    """
    path = chat_file_for(db_path)
    if not db_path.exists():
        path.unlink(missing_ok=True)
    return path


# saving


def save(path: Path, fake: FakeTelegram, people: Mapping[str, Person], current: str | None) -> None:
    """Write the file whole, or not at all: a crash mid-write must not leave half a file."""
    data = {
        "format": FORMAT,
        "version": VERSION,
        "current": current,
        "people": [_dump_person(key, fake, person) for key, person in people.items()],
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".tmp")
    partial.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
    os.replace(partial, path)


def _dump_person(key: str, fake: FakeTelegram, person: Person) -> dict[str, Any]:
    user, chat = person.user, fake.chats[person.id]
    kept = [m for m in chat.messages.values() if not m.deleted][-KEEP_MESSAGES:]
    return {
        "key": key,
        "id": user.id,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "language_code": user.language_code,
        "started": user.started,
        "blocked": user.blocked,
        "keyboard": chat.reply_keyboard,
        "last_message_id": max(chat.messages, default=0),
        "messages": [_dump_message(m) for m in kept],
    }


def _dump_message(message: StoredMessage) -> dict[str, Any]:
    data: dict[str, Any] = {
        "message_id": message.message_id,
        "date": message.date,
        "from_bot": message.from_bot,
        "text": message.text,
        "entities": message.entities,
        "caption": message.caption,
        "caption_entities": message.caption_entities,
        "reply_markup": message.reply_markup,
        "media": message.media,
        "edit_date": message.edit_date,
    }
    if message.file is not None:
        # The file's bytes stay behind (they were saved under sim-files when shown).
        data["file"] = {
            "file_id": message.file.file_id,
            "file_unique_id": message.file.file_unique_id,
            "file_name": message.file.file_name,
            "mime_type": message.file.mime_type,
        }
    return data


# loading


def load(path: Path) -> SavedChats | None:
    """The saved chats; None when there is no file. Raises ChatFileError when it is unusable."""
    try:
        raw = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError) as err:
        raise ChatFileError(f"cannot be read ({err.__class__.__name__})") from None
    try:
        data = json.loads(raw)
    except json.JSONDecodeError:
        raise ChatFileError("is not valid JSON") from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise ChatFileError("is not a simulator chat file")
    if data.get("version") != VERSION:
        raise ChatFileError(f"has format version {data.get('version')!r}, not {VERSION}")
    try:
        people = [_load_person(p) for p in _typed(data, "people", list)]
        current = _optional(data, "current", str)
    except KeyError as err:
        raise ChatFileError(f"is damaged (no {err})") from None
    except (TypeError, ValueError) as err:
        raise ChatFileError(f"is damaged ({err})") from None
    keys = [p.key for p in people]
    ids = [p.user_id for p in people]
    if len(set(keys)) != len(keys) or len(set(ids)) != len(ids):
        raise ChatFileError("lists someone twice")
    return SavedChats(current=current if current in keys else None, people=people)


def _load_person(data: Any) -> SavedPerson:
    if not isinstance(data, dict):
        raise TypeError("a person is not an object")
    messages = _typed(data, "messages", list)
    for message in messages:
        _check_message(message)
    return SavedPerson(
        key=_typed(data, "key", str),
        user_id=_typed(data, "id", int),
        first_name=_typed(data, "first_name", str),
        last_name=_optional(data, "last_name", str),
        language_code=_optional(data, "language_code", str),
        started=_typed(data, "started", bool),
        blocked=_typed(data, "blocked", bool),
        keyboard=_reply_keyboard(_optional(data, "keyboard", dict)),
        messages=messages,
        last_message_id=_message_id(data, "last_message_id"),
    )


def _check_message(data: Any) -> None:
    if not isinstance(data, dict):
        raise TypeError("a message is not an object")
    if _message_id(data, "message_id") == 0:
        raise ValueError("a message is numbered 0")
    _typed(data, "date", int)
    _typed(data, "from_bot", bool)
    _optional(data, "text", str)
    _typed(data, "entities", list)
    _optional(data, "caption", str)
    _typed(data, "caption_entities", list)
    markup = _optional(data, "reply_markup", dict)
    if markup is not None:
        for button in _rows(markup, "inline_keyboard"):
            if not isinstance(button, dict) or not isinstance(button.get("text"), str):
                raise TypeError("an inline button has no text")
    _typed(data, "media", dict)
    _optional(data, "edit_date", int)
    file = _optional(data, "file", dict)
    if file is not None:
        _typed(file, "file_id", str)
        _typed(file, "file_unique_id", str)
        _optional(file, "file_name", str)
        _optional(file, "mime_type", str)


def _reply_keyboard(markup: dict[str, Any] | None) -> dict[str, Any] | None:
    if markup is not None:
        for button in _rows(markup, "keyboard"):
            text = button.get("text") if isinstance(button, dict) else button
            if not isinstance(text, str):
                raise TypeError("a keyboard button has no text")
    return markup


def _rows(markup: Mapping[str, Any], key: str) -> list[Any]:
    """The buttons of a keyboard, row after row, once it is sure to be rows of buttons."""
    rows = _typed(markup, key, list)
    if not all(isinstance(row, list) for row in rows):
        raise TypeError(f"{key!r} is not rows of buttons")
    return [button for row in rows for button in row]


def _message_id(data: Mapping[str, Any], key: str) -> int:
    number: int = _typed(data, key, int)
    if not 0 <= number <= MAX_MESSAGE_ID:
        raise ValueError(f"{key!r} is out of range")
    return number


def _typed(data: Mapping[str, Any], key: str, kind: type[Any]) -> Any:
    value = data[key]
    # bool is an int to Python, not to the file: a count must not be `true`.
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        raise TypeError(f"{key!r} is not {kind.__name__}")
    return value


def _optional(data: Mapping[str, Any], key: str, kind: type[Any]) -> Any:
    return None if data.get(key) is None else _typed(data, key, kind)


# restoring


def restore(fake: FakeTelegram, saved: SavedPerson) -> None:
    """Put a person's app back as it was: opened chat, keyboard, recent messages.

    The person must already be a user of the fake (the console adds everyone first).
    """
    user = fake.users[saved.user_id]
    user.started, user.blocked = saved.started, saved.blocked
    chat = fake.chats[saved.user_id]
    chat.reply_keyboard = saved.keyboard
    for data in saved.messages:
        message = _message(fake, user, chat.id, data)
        chat.messages[message.message_id] = message
    # Telegram numbers a chat's messages on from where it was, restart or not.
    last = max([saved.last_message_id, *chat.messages])
    while last and chat.next_message_id() < last:
        pass


def _message(
    fake: FakeTelegram, user: SimUser, chat_id: int, data: dict[str, Any]
) -> StoredMessage:
    file = data.get("file")
    return StoredMessage(
        chat_id=chat_id,
        message_id=data["message_id"],
        sender=fake.bot_user if data["from_bot"] else user.to_api(),
        date=data["date"],
        text=data.get("text"),
        entities=data["entities"],
        caption=data.get("caption"),
        caption_entities=data["caption_entities"],
        reply_markup=data.get("reply_markup"),
        media=data["media"],
        file=None
        if file is None
        else StoredFile(
            file["file_id"],
            file["file_unique_id"],
            None,
            file_name=file.get("file_name"),
            mime_type=file.get("mime_type"),
        ),
        edit_date=data.get("edit_date"),
        from_bot=data["from_bot"],
    )
