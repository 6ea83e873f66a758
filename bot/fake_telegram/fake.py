"""A fake Telegram: users, chats, messages, and the Bot API methods the bot calls.

It answers the way Telegram answers, errors included (see `docs/fake-bot-api.md`):
parameters are checked against the carried Bot API description, texts are
parsed like Telegram parses them, flood limits give 429 with `retry_after`,
and faults (5xx, time-outs) can be injected. Simulated people act through
`users.Person`; the HTTP face is `server.FakeBotApiServer`.
"""

from __future__ import annotations

import asyncio
import io
import itertools
import json
import logging
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal

import httpx
from PIL import Image, UnidentifiedImageError

from bot.fake_telegram import entities
from bot.fake_telegram.flood import FloodControl, FloodLimits
from bot.fake_telegram.spec import ApiError, BotApiSpec, Upload, bad_request

_LOGGER = logging.getLogger(__name__)

TEXT_LIMIT = 4096
CAPTION_LIMIT = 1024
CALLBACK_ANSWER_LIMIT = 200
CALLBACK_DATA_LIMIT = 64
UPLOAD_LIMIT = 50 * 1024 * 1024
PHOTO_LIMIT = 10 * 1024 * 1024
DOWNLOAD_LIMIT = 20 * 1024 * 1024
# Keyboards (see docs/fake-bot-api.md for where each figure comes from). Telegram
# refuses an inline keyboard of more than 100 buttons, and any reply_markup too
# large, as "reply markup is too long"; it publishes no byte figure, so the fake
# refuses compact JSON over 8 KiB, below the sizes reported refused. tdlib cuts a
# row after 12 buttons and a keyboard after 300 without a word, and the apps are
# reported to show at most 8 in an inline row: the fake refuses those too, in its
# own words, since buttons nobody sees are a bug.
INLINE_KEYBOARD_BUTTONS = 100
INLINE_ROW_BUTTONS = 8
KEYBOARD_BUTTONS = 300
KEYBOARD_ROW_BUTTONS = 12
REPLY_MARKUP_BYTES = 8 * 1024
_COMMAND_RE = re.compile(r"^[a-z0-9_]{1,32}$")
# Counted against flood limits: everything that puts a new or changed message in a chat.
_SENDING = {
    "sendMessage",
    "sendPhoto",
    "sendDocument",
    "sendMediaGroup",
    "copyMessage",
    "forwardMessage",
    "editMessageText",
    "editMessageCaption",
    "editMessageReplyMarkup",
}
# Telegram's default when a bot never said which updates it wants.
_DEFAULT_UPDATES = {
    "message",
    "edited_message",
    "channel_post",
    "edited_channel_post",
    "callback_query",
    "my_chat_member",
    "inline_query",
    "chosen_inline_result",
}
_NOT_MODIFIED = (
    "message is not modified: specified new message content and reply markup are exactly "
    "the same as a current content and reply markup of the message"
)

EventKind = Literal["sent", "edited", "deleted", "pinned", "answered"]


@dataclass
class SimUser:
    id: int
    first_name: str
    last_name: str | None = None
    username: str | None = None
    language_code: str | None = None
    started: bool = False  # has opened the private chat with the bot
    blocked: bool = False  # has blocked the bot
    deactivated: bool = False

    def to_api(self) -> dict[str, Any]:
        data: dict[str, Any] = {"id": self.id, "is_bot": False, "first_name": self.first_name}
        for key in ("last_name", "username", "language_code"):
            if getattr(self, key):
                data[key] = getattr(self, key)
        return data


@dataclass
class StoredFile:
    file_id: str
    file_unique_id: str
    body: bytes | None = field(repr=False)  # None for a file sent by URL: never fetched
    file_name: str | None = None
    mime_type: str | None = None
    width: int | None = None
    height: int | None = None
    url: str | None = None

    @property
    def path(self) -> str:
        return f"files/{self.file_unique_id}"


@dataclass
class StoredMessage:
    chat_id: int
    message_id: int
    sender: dict[str, Any]
    date: int
    text: str | None = None
    entities: list[dict[str, Any]] = field(default_factory=list)
    caption: str | None = None
    caption_entities: list[dict[str, Any]] = field(default_factory=list)
    reply_markup: dict[str, Any] | None = None
    media: dict[str, Any] = field(default_factory=dict)  # e.g. {"photo": [...]}
    file: StoredFile | None = None
    edit_date: int | None = None
    deleted: bool = False
    from_bot: bool = False
    reply_to: StoredMessage | None = None

    @property
    def inline_keyboard(self) -> list[list[dict[str, Any]]]:
        markup = self.reply_markup or {}
        keyboard: list[list[dict[str, Any]]] = markup.get("inline_keyboard", [])
        return keyboard

    @property
    def buttons(self) -> list[dict[str, Any]]:
        return [button for row in self.inline_keyboard for button in row]

    def to_api(self, chat: SimChat) -> dict[str, Any]:
        data: dict[str, Any] = {
            "message_id": self.message_id,
            "from": self.sender,
            "chat": chat.to_api(),
            "date": self.date,
        }
        if self.edit_date is not None:
            data["edit_date"] = self.edit_date
        if self.text is not None:
            data["text"] = self.text
            if self.entities:
                data["entities"] = self.entities
        if self.caption:
            data["caption"] = self.caption
            if self.caption_entities:
                data["caption_entities"] = self.caption_entities
        data.update(self.media)
        if self.reply_to is not None:
            data["reply_to_message"] = self.reply_to.to_api(chat)
        # Telegram returns only inline keyboards with a message.
        if self.inline_keyboard:
            data["reply_markup"] = {"inline_keyboard": self.inline_keyboard}
        return data


@dataclass
class SimChat:
    id: int
    type: str  # private, group, supergroup
    user: SimUser | None = None
    title: str | None = None
    bot_is_member: bool = True
    bot_is_admin: bool = False
    messages: dict[int, StoredMessage] = field(default_factory=dict)
    pinned: list[int] = field(default_factory=list)
    # A bot message sent with force_reply: the app makes the next text a reply to it.
    force_reply_to: int | None = None
    reply_keyboard: dict[str, Any] | None = None  # the keyboard the user sees right now
    _ids: itertools.count[int] = field(default_factory=lambda: itertools.count(1))

    @property
    def is_group(self) -> bool:
        return self.type in ("group", "supergroup")

    def next_message_id(self) -> int:
        return next(self._ids)

    def to_api(self) -> dict[str, Any]:
        if self.user is not None:
            data = {"id": self.id, "type": "private", "first_name": self.user.first_name}
            if self.user.last_name:
                data["last_name"] = self.user.last_name
            if self.user.username:
                data["username"] = self.user.username
            return data
        return {"id": self.id, "type": self.type, "title": self.title or ""}


@dataclass(frozen=True)
class BotEvent:
    """Something the bot did that a person in the chat would notice."""

    seq: int
    kind: EventKind
    chat_id: int
    message: StoredMessage | None = None
    alert: str | None = None  # callback answer text
    show_alert: bool = False
    user_id: int | None = None  # who the callback answer was for


@dataclass(frozen=True)
class ApiCall:
    method: str
    params: dict[str, Any]
    error: ApiError | None


@dataclass
class Fault:
    """An injected failure for the next matching call(s)."""

    method: str | None  # None matches every method but getUpdates
    status: int | None = 502
    description: str = "Bad Gateway"
    hang: float = 0.0  # seconds to hold the answer (longer than the client waits = time-out)
    processed: bool = False  # hang after carrying the call out, as when a response is lost
    times: int = 1


@dataclass
class _Update:
    update_id: int
    kind: str
    payload: dict[str, Any]

    def to_api(self) -> dict[str, Any]:
        return {"update_id": self.update_id, self.kind: self.payload}


@dataclass
class _Callback:
    query_id: str
    user_id: int
    created: float
    answered: bool = False


class FakeTelegram:
    """State and behaviour of Telegram as one bot sees it."""

    def __init__(
        self,
        token: str = "123456:TEST-fake-token-for-the-simulator",  # noqa: S107 - not a secret
        *,
        username: str = "shiftmate_bot",
        first_name: str = "Shiftmate",
        limits: FloodLimits | None = None,
        spec: BotApiSpec | None = None,
        callback_timeout: float = 15.0,
        clock: Callable[[], float] = time.monotonic,
        wall_clock: Callable[[], float] = time.time,
    ) -> None:
        """`limits=None` applies Telegram's limits; `FloodLimits.off()` none at all.

        `clock` (monotonic seconds) paces the flood limits and the window for
        answering a tap; `wall_clock` (Unix seconds) dates messages. Tests pass
        clocks they step by hand, so no result depends on how fast the machine is.
        """
        self.token = token
        self.bot_user = {
            "id": int(token.split(":", 1)[0]),
            "is_bot": True,
            "first_name": first_name,
            "username": username,
        }
        self.spec = spec or BotApiSpec.bundled()
        self._clock = clock
        self._wall_clock = wall_clock
        self.flood = FloodControl(limits, clock)
        self.callback_timeout = callback_timeout
        self.users: dict[int, SimUser] = {}
        self.chats: dict[int, SimChat] = {}
        self.files: dict[str, StoredFile] = {}
        self.commands: dict[tuple[str, str], list[dict[str, Any]]] = {}
        self.settings: dict[str, Any] = {}
        self.calls: list[ApiCall] = []
        self.events: list[BotEvent] = []
        self.faults: list[Fault] = []
        self.webhook: dict[str, Any] | None = None
        self.webhook_error: tuple[int, str] | None = None
        self._updates: list[_Update] = []
        self._update_ids = itertools.count(1)
        self._allowed: set[str] = set(_DEFAULT_UPDATES)
        self._callbacks: dict[str, _Callback] = {}
        self._callback_ids = itertools.count(1)
        self._file_ids = itertools.count(1)
        self._event_seq = itertools.count(1)
        self._poller: asyncio.Future[None] | None = None
        self._new_update = asyncio.Event()
        self._listeners: list[Callable[[BotEvent], None]] = []
        self._webhook_task: asyncio.Task[None] | None = None

    # ----------------------------------------------------------------- people

    def add_user(
        self,
        user_id: int,
        first_name: str,
        *,
        last_name: str | None = None,
        username: str | None = None,
        language_code: str | None = None,
    ) -> SimUser:
        user = SimUser(user_id, first_name, last_name, username, language_code)
        self.users[user_id] = user
        self.chats[user_id] = SimChat(id=user_id, type="private", user=user)
        return user

    def add_group(
        self, chat_id: int, title: str, *, bot_is_admin: bool = False, supergroup: bool = True
    ) -> SimChat:
        chat = SimChat(
            id=chat_id,
            type="supergroup" if supergroup else "group",
            title=title,
            bot_is_admin=bot_is_admin,
        )
        self.chats[chat_id] = chat
        return chat

    def find_chat(self, chat_id: Any) -> SimChat | None:
        key = _chat_key(chat_id)
        return None if key is None else self.chats.get(key)

    def subscribe(self, listener: Callable[[BotEvent], None]) -> None:
        self._listeners.append(listener)

    def _now(self) -> int:
        return int(self._wall_clock())

    def user_message(
        self, user_id: int, *, chat_id: int | None = None, text: str | None = None, **media: Any
    ) -> int:
        """A person sends a message; returns the update id.

        No Telegram client sends a text over 4,096 UTF-16 units (they split it, as
        `users.Person.send` does), so a longer one is a mistake in the test.
        """
        if text is not None and entities.utf16_len(text) > TEXT_LIMIT:
            raise AssertionError(
                f"a Telegram client never sends a message over {TEXT_LIMIT} UTF-16 units "
                f"(this one has {entities.utf16_len(text)}): split it, as Person.send does"
            )
        user = self.users[user_id]
        chat = self.chats[user_id if chat_id is None else chat_id]
        if chat.user is not None:
            user.started = True
            user.blocked = False
        reply_to = None
        if text is not None and chat.force_reply_to is not None:
            reply_to = chat.messages.get(chat.force_reply_to)
            chat.force_reply_to = None
        message = StoredMessage(
            chat_id=chat.id,
            message_id=chat.next_message_id(),
            sender=user.to_api(),
            date=self._now(),
            text=text,
            entities=_command_entities(text),
            media=media,
            reply_to=reply_to,
        )
        chat.messages[message.message_id] = message
        # What a person uploads, the bot may send on by its file id, as on Telegram.
        uploads = [
            *(media.get("photo") or []),
            *([media["document"]] if "document" in media else []),
        ]
        for upload in uploads:
            self.files.setdefault(
                upload["file_id"],
                StoredFile(
                    upload["file_id"],
                    upload["file_unique_id"],
                    b"",
                    file_name=upload.get("file_name"),
                    mime_type=upload.get("mime_type"),
                    width=upload.get("width"),
                    height=upload.get("height"),
                ),
            )
        return self._push("message", message.to_api(chat))

    def user_taps(self, user_id: int, chat_id: int, message_id: int, data: str) -> int:
        """A person taps an inline button; the data is whatever the client sends."""
        chat = self.chats[chat_id]
        message = chat.messages[message_id]
        query_id = str(next(self._callback_ids) * 7919 + 100000)
        self._callbacks[query_id] = _Callback(query_id, user_id, self._clock())
        return self._push(
            "callback_query",
            {
                "id": query_id,
                "from": self.users[user_id].to_api(),
                "message": message.to_api(chat),
                "chat_instance": str(chat_id * 31 + 17),
                "data": data,
            },
        )

    def user_blocks_bot(self, user_id: int, blocked: bool = True) -> int:
        user = self.users[user_id]
        user.blocked = blocked
        old, new = ("member", "kicked") if blocked else ("kicked", "member")
        bot_member = {"user": self.bot_user}
        return self._push(
            "my_chat_member",
            {
                "chat": self.chats[user_id].to_api(),
                "from": user.to_api(),
                "date": self._now(),
                "old_chat_member": {"status": old, **bot_member}
                | ({"until_date": 0} if old == "kicked" else {}),
                "new_chat_member": {"status": new, **bot_member}
                | ({"until_date": 0} if new == "kicked" else {}),
            },
        )

    def new_file_id(self) -> tuple[str, str]:
        n = next(self._file_ids)
        return f"FILE{n:06d}-{self.bot_user['id']}", f"U{n:06d}"

    # ---------------------------------------------------------------- the API

    async def call(self, token: str, method: str, raw: dict[str, Any], *, from_form: bool) -> Any:
        """Carry out one Bot API call, as Telegram would; raises ApiError on refusal."""
        if token != self.token:
            raise ApiError(401, "Unauthorized")
        name = self.spec.method_name(method)
        fault = self._take_fault(name)
        params: dict[str, Any] = {}
        try:
            if fault is not None and not fault.processed:
                await asyncio.sleep(fault.hang)
                if fault.status is not None:
                    raise ApiError(fault.status, fault.description)
            params = self.spec.check_call(name, raw, from_form=from_form)
            impl = getattr(self, f"_api_{name}", None)
            if impl is None:
                raise bad_request(f"method {name} is not supported by the fake Bot API")
            if name in _SENDING:
                self._check_flood(params, edit=name.startswith("edit"))
            result = impl(params)
            if asyncio.iscoroutine(result):
                result = await result
        except ApiError as err:
            self.calls.append(ApiCall(name, params or dict(raw), err))
            raise
        self.calls.append(ApiCall(name, params, None))
        if fault is not None and fault.processed:
            await asyncio.sleep(fault.hang)
            if fault.status is not None:
                raise ApiError(fault.status, fault.description)
        return result

    def inject(self, fault: Fault) -> None:
        self.faults.append(fault)

    def _take_fault(self, method: str) -> Fault | None:
        for fault in self.faults:
            matches = fault.method == method or (fault.method is None and method != "getUpdates")
            if matches and fault.times > 0:
                fault.times -= 1
                if fault.times == 0:
                    self.faults.remove(fault)
                return fault
        return None

    def _check_flood(self, params: dict[str, Any], *, edit: bool) -> None:
        chat = self.find_chat(params.get("chat_id"))
        if chat is None:
            return  # the method itself will answer "chat not found"
        wait = self.flood.take(chat.id, is_group=chat.is_group, edit=edit)
        if wait is not None:
            raise ApiError(429, f"Too Many Requests: retry after {wait}", retry_after=wait)

    # getMe, webhooks and updates

    def _api_getMe(self, params: dict[str, Any]) -> dict[str, Any]:
        return self.bot_user | {
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
            "can_connect_to_business": False,
            "has_main_web_app": False,
        }

    def _api_logOut(self, params: dict[str, Any]) -> bool:
        return True

    def _api_close(self, params: dict[str, Any]) -> bool:
        return True

    async def _api_getUpdates(self, params: dict[str, Any]) -> list[dict[str, Any]]:
        if self.webhook is not None:
            raise ApiError(
                409,
                "Conflict: can't use getUpdates method while webhook is active; "
                "use deleteWebhook to delete the webhook first",
            )
        if "allowed_updates" in params:
            self._allowed = set(params["allowed_updates"]) or set(_DEFAULT_UPDATES)
        if self._poller is not None and not self._poller.done():
            self._poller.set_exception(
                ApiError(
                    409,
                    "Conflict: terminated by other getUpdates request; "
                    "make sure that only one bot instance is running",
                )
            )
        self._confirm(params.get("offset"))
        limit = min(max(params.get("limit", 100), 1), 100)
        ready = self._deliverable(limit)
        timeout = max(params.get("timeout", 0), 0)
        if ready or timeout == 0:
            return ready
        poller: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._poller = poller
        try:
            await asyncio.wait_for(asyncio.shield(poller), timeout)
        except TimeoutError:
            pass
        finally:
            if self._poller is poller:
                self._poller = None
        if poller.done() and poller.exception() is not None:
            raise poller.exception()  # type: ignore[misc]
        return self._deliverable(limit)

    def _confirm(self, offset: int | None) -> None:
        if offset is None:
            return
        if offset < 0:
            self._updates = self._updates[offset:]
        else:
            self._updates = [u for u in self._updates if u.update_id >= offset]

    def _deliverable(self, limit: int) -> list[dict[str, Any]]:
        # Updates the bot did not ask for are dropped, as Telegram never creates them.
        self._updates = [u for u in self._updates if u.kind in self._allowed]
        return [u.to_api() for u in self._updates[:limit]]

    def _push(self, kind: str, payload: dict[str, Any]) -> int:
        update = _Update(next(self._update_ids), kind, payload)
        self._updates.append(update)
        if self._poller is not None and not self._poller.done():
            self._poller.set_result(None)
        self._new_update.set()
        return update.update_id

    def pending(self) -> list[_Update]:
        """Updates Telegram still holds for the bot (not yet confirmed by a later offset)."""
        return list(self._updates)

    @property
    def long_polling(self) -> bool:
        """A getUpdates call is waiting for the next update (tests wait for this, not a time)."""
        return self._poller is not None and not self._poller.done()

    def _api_setWebhook(self, params: dict[str, Any]) -> bool:
        url: str = params["url"]
        if not url:
            return self._api_deleteWebhook(params)
        parsed = httpx.URL(url)
        # Telegram insists on HTTPS; the fake also takes plain HTTP on loopback,
        # where tests run the bot's webhook server without a certificate.
        if parsed.scheme != "https" and parsed.host not in ("127.0.0.1", "localhost"):
            raise bad_request("bad webhook: An HTTPS URL must be provided for webhook")
        self.webhook = {
            "url": url,
            "secret_token": params.get("secret_token"),
            "max_connections": params.get("max_connections", 40),
        }
        if "allowed_updates" in params:
            self._allowed = set(params["allowed_updates"]) or set(_DEFAULT_UPDATES)
        if params.get("drop_pending_updates"):
            self._updates.clear()
        if self._webhook_task is None or self._webhook_task.done():
            self._webhook_task = asyncio.get_running_loop().create_task(self._deliver_webhooks())
        return True

    def _api_deleteWebhook(self, params: dict[str, Any]) -> bool:
        self.webhook = None
        if params.get("drop_pending_updates"):
            self._updates.clear()
        if self._webhook_task is not None:
            self._webhook_task.cancel()
            self._webhook_task = None
        return True

    def _api_getWebhookInfo(self, params: dict[str, Any]) -> dict[str, Any]:
        info: dict[str, Any] = {
            "url": self.webhook["url"] if self.webhook else "",
            "has_custom_certificate": False,
            "pending_update_count": len(self._updates),
        }
        if self.webhook:
            info["max_connections"] = self.webhook["max_connections"]
        if self.webhook_error:
            info["last_error_date"], info["last_error_message"] = self.webhook_error
        return info

    async def _deliver_webhooks(self) -> None:
        delay = 0.05
        async with httpx.AsyncClient(timeout=10) as client:
            while self.webhook is not None:
                ready = self._deliverable(1)
                if not ready:
                    self._new_update.clear()
                    await self._new_update.wait()
                    continue
                headers = {"Content-Type": "application/json"}
                if self.webhook.get("secret_token"):
                    headers["X-Telegram-Bot-Api-Secret-Token"] = self.webhook["secret_token"]
                try:
                    answer = await client.post(
                        self.webhook["url"], content=json.dumps(ready[0]), headers=headers
                    )
                    ok = answer.status_code < 300
                    problem = f"Wrong response from the webhook: {answer.status_code}"
                except httpx.HTTPError as err:
                    ok, problem = False, f"Connection failed: {type(err).__name__}"
                if ok:
                    self._confirm(ready[0]["update_id"] + 1)
                    delay = 0.05
                else:
                    self.webhook_error = (self._now(), problem)
                    await asyncio.sleep(delay)
                    delay = min(delay * 2, 2.0)

    # messages

    def _target_chat(self, chat_id: Any) -> SimChat:
        chat = self.find_chat(chat_id)
        if chat is None:
            raise bad_request("chat not found")
        if chat.user is not None:
            if chat.user.deactivated:
                raise ApiError(403, "Forbidden: user is deactivated")
            if chat.user.blocked:
                raise ApiError(403, "Forbidden: bot was blocked by the user")
            if not chat.user.started:
                raise ApiError(403, "Forbidden: bot can't initiate conversation with a user")
        elif not chat.bot_is_member:
            raise ApiError(403, "Forbidden: bot was kicked from the group chat")
        return chat

    def _bot_message(self, chat: SimChat, message_id: int, purpose: str) -> StoredMessage:
        message = chat.messages.get(message_id)
        if message is None or message.deleted or (purpose == "edit" and not message.from_bot):
            raise bad_request(f"message to {purpose} not found")
        return message

    def _check_markup(self, markup: dict[str, Any] | None, chat: SimChat) -> None:
        if not markup:
            return
        if "inline_keyboard" in markup:
            rows: list[list[dict[str, Any]]] = markup["inline_keyboard"]
            for button in (b for row in rows for b in row):
                actions = [k for k in button if k not in ("text", "icon_custom_emoji_id", "style")]
                if not actions:
                    raise bad_request(
                        "can't parse inline keyboard button: "
                        "Text buttons are unallowed in the inline keyboard"
                    )
                if len(actions) > 1:
                    raise bad_request("can't parse inline keyboard button: too many actions")
                data = button.get("callback_data")
                if data is not None and not 1 <= len(data.encode()) <= CALLBACK_DATA_LIMIT:
                    raise bad_request("BUTTON_DATA_INVALID")
                url = button.get("url")
                if url is not None and not re.match(r"^(https?|tg)://", url):
                    raise bad_request("BUTTON_URL_INVALID")
            _check_rows(
                rows, "inline_keyboard", INLINE_ROW_BUTTONS, "Telegram's apps do not show the rest"
            )
            if sum(len(row) for row in rows) > INLINE_KEYBOARD_BUTTONS:
                raise bad_request("reply markup is too long")
        elif "keyboard" in markup:
            if not chat.is_group and not markup["keyboard"]:
                raise bad_request("keyboard must be non-empty")
            keys: list[list[Any]] = markup["keyboard"]
            _check_rows(
                keys, "keyboard", KEYBOARD_ROW_BUTTONS, "Telegram drops the rest without a word"
            )
            total = sum(len(row) for row in keys)
            if total > KEYBOARD_BUTTONS:
                raise bad_request(
                    f"reply_markup.keyboard has {total} buttons, more than {KEYBOARD_BUTTONS} "
                    "(Telegram drops the rest without a word; refused by the fake Bot API)"
                )
        size = len(json.dumps(markup, ensure_ascii=False, separators=(",", ":")).encode())
        if size > REPLY_MARKUP_BYTES:
            raise bad_request("reply markup is too long")

    def _parse(self, text: str, params: dict[str, Any], key: str) -> tuple[str, list[Any]]:
        try:
            plain, found = entities.parse(text, params.get("parse_mode"))
        except entities.UnsupportedParseMode:
            raise bad_request("unsupported parse_mode") from None
        except entities.ParseModeNotInFake as err:
            raise bad_request(str(err)) from None
        except entities.EntityParseError as err:
            raise bad_request(f"can't parse entities: {err}") from None
        if not params.get("parse_mode") and params.get(key):
            found = params[key]
        return plain, found

    def _message_text(self, params: dict[str, Any]) -> tuple[str, list[Any]]:
        plain, found = self._parse(params["text"], params, "entities")
        if not plain.strip():
            raise bad_request("message text is empty")
        if entities.utf16_len(plain) > TEXT_LIMIT:
            raise bad_request("message is too long")
        return plain, found

    def _caption(self, params: dict[str, Any]) -> tuple[str | None, list[Any]]:
        if not params.get("caption"):
            return None, []
        plain, found = self._parse(params["caption"], params, "caption_entities")
        if entities.utf16_len(plain) > CAPTION_LIMIT:
            raise bad_request("message caption is too long")
        return plain, found

    def _store_bot_message(self, chat: SimChat, params: dict[str, Any], **content: Any) -> Any:
        markup = params.get("reply_markup")
        self._check_markup(markup, chat)
        message = StoredMessage(
            chat_id=chat.id,
            message_id=chat.next_message_id(),
            sender=self.bot_user,
            date=self._now(),
            reply_markup=markup if markup and "inline_keyboard" in markup else None,
            from_bot=True,
            **content,
        )
        if markup and ("keyboard" in markup or "remove_keyboard" in markup):
            chat.reply_keyboard = markup if "keyboard" in markup else None
        chat.force_reply_to = message.message_id if markup and markup.get("force_reply") else None
        chat.messages[message.message_id] = message
        self._emit("sent", chat.id, message)
        return message.to_api(chat)

    def _api_sendMessage(self, params: dict[str, Any]) -> Any:
        chat = self._target_chat(params["chat_id"])
        text, found = self._message_text(params)
        return self._store_bot_message(chat, params, text=text, entities=found)

    def _api_sendPhoto(self, params: dict[str, Any]) -> Any:
        chat = self._target_chat(params["chat_id"])
        caption, found = self._caption(params)
        stored = self._file_param(params["photo"], photo=True)
        sizes = [
            {
                "file_id": stored.file_id,
                "file_unique_id": stored.file_unique_id,
                "width": stored.width or 1,
                "height": stored.height or 1,
            }
        ]
        if stored.body is not None:
            sizes[0]["file_size"] = len(stored.body)
        return self._store_bot_message(
            chat,
            params,
            caption=caption,
            caption_entities=found,
            media={"photo": sizes},
            file=stored,
        )

    def _api_sendDocument(self, params: dict[str, Any]) -> Any:
        chat = self._target_chat(params["chat_id"])
        caption, found = self._caption(params)
        stored = self._file_param(params["document"], photo=False)
        document: dict[str, Any] = {
            "file_id": stored.file_id,
            "file_unique_id": stored.file_unique_id,
        }
        if stored.file_name:
            document["file_name"] = stored.file_name
        if stored.mime_type:
            document["mime_type"] = stored.mime_type
        if stored.body is not None:
            document["file_size"] = len(stored.body)
        return self._store_bot_message(
            chat,
            params,
            caption=caption,
            caption_entities=found,
            media={"document": document},
            file=stored,
        )

    def _file_param(self, value: Upload | str, *, photo: bool) -> StoredFile:
        if isinstance(value, str):
            if value in self.files:
                return self.files[value]
            if re.match(r"^https?://", value):
                file_id, unique = self.new_file_id()
                stored = StoredFile(file_id, unique, None, url=value, width=1, height=1)
                self.files[file_id] = stored
                return stored
            raise bad_request("wrong file identifier/HTTP URL specified")
        limit = PHOTO_LIMIT if photo else UPLOAD_LIMIT
        if len(value.body) > limit:
            raise ApiError(413, "Request Entity Too Large")
        width = height = None
        if photo:
            try:
                with Image.open(io.BytesIO(value.body)) as image:
                    width, height = image.size
            except (UnidentifiedImageError, OSError):
                raise bad_request("IMAGE_PROCESS_FAILED") from None
            if width + height > 10000 or max(width, height) > 20 * min(width, height):
                raise bad_request("PHOTO_INVALID_DIMENSIONS")
        file_id, unique = self.new_file_id()
        stored = StoredFile(
            file_id,
            unique,
            value.body,
            file_name=value.filename or None,
            mime_type=value.content_type or None,
            width=width,
            height=height,
        )
        self.files[file_id] = stored
        return stored

    def _api_getFile(self, params: dict[str, Any]) -> dict[str, Any]:
        stored = self.files.get(params["file_id"])
        if stored is None:
            raise bad_request("invalid file_id")
        if stored.body is not None and len(stored.body) > DOWNLOAD_LIMIT:
            raise bad_request("file is too big")
        data: dict[str, Any] = {
            "file_id": stored.file_id,
            "file_unique_id": stored.file_unique_id,
            "file_path": stored.path,
        }
        if stored.body is not None:
            data["file_size"] = len(stored.body)
        return data

    def file_by_path(self, path: str) -> StoredFile | None:
        return next((f for f in self.files.values() if f.path == path and f.body), None)

    def _edit_target(self, params: dict[str, Any]) -> tuple[SimChat, StoredMessage]:
        if "inline_message_id" in params:
            raise bad_request("inline messages are not supported by the fake Bot API")
        if "chat_id" not in params or "message_id" not in params:
            raise bad_request("chat_id and message_id are required")
        chat = self._target_chat(params["chat_id"])
        return chat, self._bot_message(chat, params["message_id"], "edit")

    def _apply_edit(
        self,
        chat: SimChat,
        message: StoredMessage,
        params: dict[str, Any],
        *,
        text: tuple[str | None, list[Any]] | None = None,
        caption: tuple[str | None, list[Any]] | None = None,
    ) -> Any:
        markup = params.get("reply_markup")
        self._check_markup(markup, chat)
        # Editing without a reply_markup removes the inline keyboard, as on Telegram.
        new_markup = markup if markup and "inline_keyboard" in markup else None
        new_text = text or (message.text, message.entities)
        new_caption = caption or (message.caption, message.caption_entities)
        old = (message.text, message.entities, message.caption, message.caption_entities)
        if (*new_text, *new_caption) == old and new_markup == message.reply_markup:
            raise bad_request(_NOT_MODIFIED)
        message.text, message.entities = new_text
        message.caption, message.caption_entities = new_caption
        message.reply_markup = new_markup
        message.edit_date = self._now()
        self._emit("edited", chat.id, message)
        return message.to_api(chat)

    def _api_editMessageText(self, params: dict[str, Any]) -> Any:
        chat, message = self._edit_target(params)
        if message.text is None:
            raise bad_request("there is no text in the message to edit")
        return self._apply_edit(chat, message, params, text=self._message_text(params))

    def _api_editMessageCaption(self, params: dict[str, Any]) -> Any:
        chat, message = self._edit_target(params)
        if message.file is None:
            raise bad_request("there is no caption in the message to edit")
        return self._apply_edit(chat, message, params, caption=self._caption(params))

    def _api_editMessageReplyMarkup(self, params: dict[str, Any]) -> Any:
        chat, message = self._edit_target(params)
        return self._apply_edit(chat, message, params)

    def _api_deleteMessage(self, params: dict[str, Any]) -> bool:
        chat = self.find_chat(params["chat_id"])
        if chat is None:
            raise bad_request("chat not found")
        message = self._bot_message(chat, params["message_id"], "delete")
        message.deleted = True
        self._emit("deleted", chat.id, message)
        return True

    def _api_answerCallbackQuery(self, params: dict[str, Any]) -> bool:
        query = self._callbacks.get(params["callback_query_id"])
        expired = query is None or self._clock() - query.created > self.callback_timeout
        if query is None or query.answered or expired:
            raise bad_request(
                "query is too old and response timeout expired or query ID is invalid"
            )
        text = params.get("text")
        if text is not None and len(text) > CALLBACK_ANSWER_LIMIT:
            raise bad_request("MESSAGE_TOO_LONG")
        query.answered = True
        self._emit(
            "answered",
            query.user_id,
            None,
            alert=text,
            show_alert=bool(params.get("show_alert")),
            user_id=query.user_id,
        )
        return True

    def _api_sendChatAction(self, params: dict[str, Any]) -> bool:
        self._target_chat(params["chat_id"])
        return True

    def _api_pinChatMessage(self, params: dict[str, Any]) -> bool:
        chat = self._target_chat(params["chat_id"])
        message = self._bot_message(chat, params["message_id"], "pin")
        if chat.is_group and not chat.bot_is_admin:
            raise bad_request("not enough rights to manage pinned messages in the chat")
        if message.message_id not in chat.pinned:
            chat.pinned.append(message.message_id)
        self._emit("pinned", chat.id, message)
        return True

    def _api_unpinChatMessage(self, params: dict[str, Any]) -> bool:
        chat = self._target_chat(params["chat_id"])
        if chat.is_group and not chat.bot_is_admin:
            raise bad_request("not enough rights to manage pinned messages in the chat")
        target = params.get("message_id") or (chat.pinned[-1] if chat.pinned else None)
        if target in chat.pinned:
            chat.pinned.remove(target)
        return True

    def _api_getChat(self, params: dict[str, Any]) -> dict[str, Any]:
        chat = self.find_chat(params["chat_id"])
        if chat is None:
            raise bad_request("chat not found")
        return chat.to_api() | {"accent_color_id": 0, "max_reaction_count": 11}

    # commands and profile

    def _api_setMyCommands(self, params: dict[str, Any]) -> bool:
        commands = params["commands"]
        if len(commands) > 100:
            raise bad_request("too many commands")
        for command in commands:
            if not _COMMAND_RE.match(command["command"]):
                raise bad_request("BOT_COMMAND_INVALID")
            if not 1 <= len(command["description"]) <= 256:
                raise bad_request("BOT_COMMAND_DESCRIPTION_INVALID")
        key = _commands_key(params)
        self.commands[key] = commands
        return True

    def _api_getMyCommands(self, params: dict[str, Any]) -> list[dict[str, Any]]:
        key = _commands_key(params)
        return self.commands.get(key, [])

    def _api_deleteMyCommands(self, params: dict[str, Any]) -> bool:
        key = _commands_key(params)
        self.commands.pop(key, None)
        return True

    def _api_setMyDescription(self, params: dict[str, Any]) -> bool:
        self.settings[f"description:{params.get('language_code', '')}"] = params.get("description")
        return True

    def _api_setMyShortDescription(self, params: dict[str, Any]) -> bool:
        key = f"short_description:{params.get('language_code', '')}"
        self.settings[key] = params.get("short_description")
        return True

    # observation

    def _emit(
        self,
        kind: EventKind,
        chat_id: int,
        message: StoredMessage | None,
        *,
        alert: str | None = None,
        show_alert: bool = False,
        user_id: int | None = None,
    ) -> None:
        event = BotEvent(next(self._event_seq), kind, chat_id, message, alert, show_alert, user_id)
        self.events.append(event)
        for listener in self._listeners:
            try:
                listener(event)
            except Exception:  # a broken listener must not break the fake
                _LOGGER.exception("event listener failed")

    @property
    def last_seq(self) -> int:
        return self.events[-1].seq if self.events else 0

    def events_since(self, seq: int, chat_id: int | None = None) -> list[BotEvent]:
        return [e for e in self.events if e.seq > seq and (chat_id is None or e.chat_id == chat_id)]

    def refused_calls(self) -> list[ApiCall]:
        """Calls the fake refused because the bot got the API wrong (not 403/429/5xx)."""
        return [c for c in self.calls if c.error is not None and c.error.code in (400, 404)]

    async def close(self) -> None:
        if self._webhook_task is not None:
            self._webhook_task.cancel()
            await asyncio.gather(self._webhook_task, return_exceptions=True)
        if self._poller is not None and not self._poller.done():
            self._poller.cancel()


def _check_rows(rows: list[list[Any]], name: str, most: int, why: str) -> None:
    """Refuse a row Telegram would cut short or not show: for us that is always a bug."""
    for index, row in enumerate(rows):
        if len(row) > most:
            raise bad_request(
                f"reply_markup.{name}[{index}] has {len(row)} buttons, more than {most} "
                f"({why}; refused by the fake Bot API)"
            )


def _commands_key(params: dict[str, Any]) -> tuple[str, str]:
    """Command lists are kept per scope and language, as Telegram keeps them."""
    scope = json.dumps(params.get("scope", {"type": "default"}), sort_keys=True)
    return scope, params.get("language_code", "")


def _chat_key(chat_id: Any) -> int | None:
    if isinstance(chat_id, int):
        return chat_id
    if isinstance(chat_id, str) and re.fullmatch(r"-?\d+", chat_id):
        return int(chat_id)
    return None


def _command_entities(text: str | None) -> list[dict[str, Any]]:
    if not text or not text.startswith("/"):
        return []
    command = re.match(r"/[A-Za-z0-9_]+(@[A-Za-z0-9_]+)?", text)
    if command is None:
        return []
    return [{"type": "bot_command", "offset": 0, "length": entities.utf16_len(command[0])}]
