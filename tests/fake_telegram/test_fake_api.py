"""The fake Bot API answers like Telegram, errors included, over real HTTP.

Nothing here depends on how fast the machine is: the fake's clocks are stepped by
hand, and where a test waits for the fake it waits for a condition, never a time
(the time-outs that remain only stop a broken test from hanging).
"""

from __future__ import annotations

import asyncio
import contextlib
import io
import json
import socket
from collections.abc import AsyncIterator, Callable
from typing import Any

import httpx
import pytest
import tornado.httpserver
import tornado.netutil
import tornado.web
from PIL import Image

from bot.fake_telegram.fake import FakeTelegram, Fault
from bot.fake_telegram.flood import FloodLimits
from bot.fake_telegram.server import FakeBotApiServer
from bot.fake_telegram.spec import BotApiSpec

# Long enough never to decide a test, short enough that a broken one fails rather than hangs.
PATIENCE = 60.0


class ManualClock:
    """A clock that moves only when the test says so."""

    def __init__(self, start: float) -> None:
        self._now = start

    def now(self) -> float:
        return self._now

    def advance(self, seconds: float) -> None:
        self._now += seconds


async def eventually(condition: Callable[[], bool]) -> None:
    """Wait until `condition` holds: however long the machine takes, never a fixed time."""
    async with asyncio.timeout(PATIENCE):
        while not condition():  # noqa: ASYNC110 - these conditions have no event to wait on
            await asyncio.sleep(0.001)


class Api:
    def __init__(self, server: FakeBotApiServer, client: httpx.AsyncClient) -> None:
        self.server = server
        self.client = client
        self.token = server.fake.token

    async def __call__(
        self, method: str, *, token: str | None = None, files: Any = None, **params: Any
    ) -> tuple[int, dict[str, Any]]:
        """Post like python-telegram-bot does: form fields, objects JSON-encoded."""
        data = {k: v if isinstance(v, str) else json.dumps(v) for k, v in params.items()}
        answer = await self.client.post(
            f"{self.server.base_url}{token or self.token}/{method}", data=data, files=files
        )
        return answer.status_code, answer.json()

    async def ok(self, method: str, **params: Any) -> Any:
        status, body = await self(method, **params)
        assert status == 200 and body["ok"], body
        return body["result"]

    async def error(self, method: str, **params: Any) -> tuple[int, str]:
        status, body = await self(method, **params)
        assert not body["ok"], body
        assert body["error_code"] == status
        return status, body["description"]


@pytest.fixture
def clock() -> ManualClock:
    """The fake's monotonic clock: flood limits and the window for answering a tap."""
    return ManualClock(1000.0)


@pytest.fixture
def wall() -> ManualClock:
    """The fake's wall clock: message dates."""
    return ManualClock(1_750_000_000.0)


@pytest.fixture
async def fake(clock: ManualClock, wall: ManualClock) -> FakeTelegram:
    telegram = FakeTelegram(clock=clock.now, wall_clock=wall.now)
    telegram.add_user(1, "Li", language_code="zh-hans").started = True
    return telegram


@pytest.fixture
async def api(fake: FakeTelegram) -> AsyncIterator[Api]:
    async with serving(fake) as running:
        yield running


@contextlib.asynccontextmanager
async def serving(fake: FakeTelegram) -> AsyncIterator[Api]:
    """The fake on loopback, and a client for it."""
    server = FakeBotApiServer(fake)
    await server.start()
    try:
        async with httpx.AsyncClient(timeout=PATIENCE) as client:
            yield Api(server, client)
    finally:
        await server.stop()


async def test_get_me_and_a_wrong_token(api: Api) -> None:
    me = await api.ok("getMe")
    assert me["is_bot"] and me["username"] == "shiftmate_bot"
    assert await api.error("getMe", token="1:wrong") == (401, "Unauthorized")


async def test_method_names_are_checked_against_the_spec(api: Api) -> None:
    assert await api.error("sendMesage", chat_id=1, text="hi") == (404, "Not Found")
    assert (await api.ok("SENDMESSAGE", chat_id=1, text="hi"))["text"] == "hi"  # case-insensitive


async def test_parameters_are_checked_against_the_spec(api: Api) -> None:
    assert await api.error("sendMessage", chat_id=1, text="hi", colour="red") == (
        400,
        'Bad Request: unknown parameter "colour" for method sendMessage',
    )
    assert await api.error("sendMessage", chat_id=1) == (
        400,
        'Bad Request: parameter "text" is required',
    )
    status, description = await api.error(
        "sendMessage", chat_id="1", text="hi", disable_notification="maybe"
    )
    assert (status, description) == (
        400,
        'Bad Request: parameter "disable_notification" is invalid: disable_notification must be Boolean',
    )
    status, description = await api.error(
        "sendMessage",
        chat_id=1,
        text="hi",
        reply_markup={"inline_keyboard": [[{"text": "A", "callback_data": 5}]]},
    )
    assert (
        status == 400
        and "reply_markup.inline_keyboard[0][0].callback_data must be String" in description
    )


async def test_text_limits(api: Api) -> None:
    assert await api.ok("sendMessage", chat_id=1, text="字" * 4096)
    assert await api.error("sendMessage", chat_id=1, text="字" * 4097) == (
        400,
        "Bad Request: message is too long",
    )
    # Telegram counts UTF-16 units: an emoji outside the BMP counts twice.
    assert await api.error("sendMessage", chat_id=1, text="😀" * 2049) == (
        400,
        "Bad Request: message is too long",
    )
    assert await api.error("sendMessage", chat_id=1, text="   ") == (
        400,
        "Bad Request: message text is empty",
    )
    # The limit applies after parsing: markup does not count.
    assert await api.ok(
        "sendMessage", chat_id=1, text="<b>" + "a" * 4096 + "</b>", parse_mode="HTML"
    )


async def test_markup_that_does_not_parse_is_refused(api: Api) -> None:
    status, description = await api.error(
        "sendMessage", chat_id=1, text="A&B <3 me", parse_mode="HTML"
    )
    assert status == 400 and description.startswith("Bad Request: can't parse entities: ")
    sent = await api.ok("sendMessage", chat_id=1, text="<b>好</b> &amp; done", parse_mode="HTML")
    assert sent["text"] == "好 & done"
    assert sent["entities"] == [{"type": "bold", "offset": 0, "length": 1}]
    assert await api.error("sendMessage", chat_id=1, text="x", parse_mode="Fancy") == (
        400,
        "Bad Request: unsupported parse_mode",
    )


@pytest.mark.parametrize("mode", ["MarkdownV2", "Markdown"])
async def test_markdown_is_refused_as_a_limit_of_the_fake(api: Api, mode: str) -> None:
    # Telegram would take these; the fake parses HTML only, and its answer says so.
    assert await api.error("sendMessage", chat_id=1, text="*x*", parse_mode=mode) == (
        400,
        f"Bad Request: parse_mode {mode} is not supported by the fake Bot API, "
        "which parses HTML only",
    )
    mid = (await api.ok("sendPhoto", chat_id=1, photo="https://example.org/p.png"))["message_id"]
    status, description = await api.error(
        "editMessageCaption", chat_id=1, message_id=mid, caption="*x*", parse_mode=mode
    )
    assert status == 400 and "not supported by the fake Bot API" in description


async def test_button_data_is_limited_to_64_bytes(api: Api) -> None:
    def keyboard(data: str) -> dict[str, Any]:
        return {"inline_keyboard": [[{"text": "Go", "callback_data": data}]]}

    assert await api.ok("sendMessage", chat_id=1, text="hi", reply_markup=keyboard("x" * 64))
    assert await api.error(
        "sendMessage", chat_id=1, text="hi", reply_markup=keyboard("好" * 22)
    ) == (400, "Bad Request: BUTTON_DATA_INVALID")
    status, description = await api.error(
        "sendMessage", chat_id=1, text="hi", reply_markup={"inline_keyboard": [[{"text": "Go"}]]}
    )
    assert "Text buttons are unallowed in the inline keyboard" in description


async def test_edits_follow_telegrams_rules(api: Api) -> None:
    keyboard = {"inline_keyboard": [[{"text": "A", "callback_data": "a"}]]}
    sent = await api.ok("sendMessage", chat_id=1, text="one", reply_markup=keyboard)
    mid = sent["message_id"]
    status, description = await api.error(
        "editMessageText", chat_id=1, message_id=mid, text="one", reply_markup=keyboard
    )
    assert description.startswith("Bad Request: message is not modified")
    edited = await api.ok("editMessageText", chat_id=1, message_id=mid, text="two")
    assert (
        edited["text"] == "two" and "reply_markup" not in edited
    )  # no markup given: buttons removed
    assert await api.error("editMessageText", chat_id=1, message_id=999, text="x") == (
        400,
        "Bad Request: message to edit not found",
    )
    assert await api.error("editMessageReplyMarkup", chat_id=1, message_id=mid) == (
        400,
        "Bad Request: message is not modified: specified new message content and reply markup are "
        "exactly the same as a current content and reply markup of the message",
    )
    assert await api.ok("deleteMessage", chat_id=1, message_id=mid) is True
    assert await api.error("deleteMessage", chat_id=1, message_id=mid) == (
        400,
        "Bad Request: message to delete not found",
    )


async def test_unreachable_people(api: Api, fake: FakeTelegram) -> None:
    assert await api.error("sendMessage", chat_id=777, text="hi") == (
        400,
        "Bad Request: chat not found",
    )
    fake.add_user(2, "Never started")
    assert await api.error("sendMessage", chat_id=2, text="hi") == (
        403,
        "Forbidden: bot can't initiate conversation with a user",
    )
    fake.user_blocks_bot(1)
    assert await api.error("sendMessage", chat_id=1, text="hi") == (
        403,
        "Forbidden: bot was blocked by the user",
    )
    update = (await api.ok("getUpdates"))[-1]
    assert update["my_chat_member"]["new_chat_member"]["status"] == "kicked"


async def test_flood_limits_answer_429_with_retry_after(clock: ManualClock) -> None:
    strict = FakeTelegram(limits=FloodLimits(private_burst=1), clock=clock.now)
    strict.add_user(1, "Li").started = True
    async with serving(strict) as api:
        assert await api.ok("sendMessage", chat_id=1, text="first")
        status, body = await api("sendMessage", chat_id=1, text="second")
        assert status == 429
        assert body["description"] == "Too Many Requests: retry after 1"
        assert body["parameters"] == {"retry_after": 1}
        clock.advance(1)
        assert await api.ok("sendMessage", chat_id=1, text="second")
        # Edits are messages too, as far as flood control goes.
        status, body = await api("editMessageText", chat_id=1, message_id=1, text="edited")
        assert (status, body["parameters"]) == (429, {"retry_after": 1})


async def test_overall_limit_is_thirty_a_second(clock: ManualClock) -> None:
    telegram = FakeTelegram(clock=clock.now)
    for user_id in range(1, 81):
        telegram.add_user(user_id, f"U{user_id}").started = True
    async with serving(telegram) as api:

        async def send(user_id: int) -> tuple[int, dict[str, Any]]:
            return await api("sendMessage", chat_id=user_id, text="hi")

        answers = [await send(user_id) for user_id in range(1, 41)]
        assert [status for status, _ in answers] == [200] * 30 + [429] * 10
        assert {body["parameters"]["retry_after"] for _, body in answers[30:]} == {1}
        clock.advance(0.5)
        assert (await send(41))[0] == 429
        clock.advance(0.5)  # the second of the first thirty has passed
        answers = [await send(user_id) for user_id in range(41, 81)]
        assert [status for status, _ in answers] == [200] * 30 + [429] * 10


async def test_updates_offset_and_long_polling(api: Api, fake: FakeTelegram) -> None:
    first = fake.user_message(1, text="a")
    second = fake.user_message(1, text="b")
    got = await api.ok("getUpdates")
    assert [u["update_id"] for u in got] == [first, second]
    assert [u["update_id"] for u in await api.ok("getUpdates", offset=second)] == [second]
    assert await api.ok("getUpdates", offset=second + 1) == []
    # A long poll returns as soon as an update arrives: with a time-out far longer
    # than the test, only the update can have ended it.
    poll = asyncio.create_task(api.ok("getUpdates", offset=second + 1, timeout=3600))
    await eventually(lambda: fake.long_polling)
    third = fake.user_message(1, text="c")
    assert [u["update_id"] for u in await poll] == [third]
    assert got[0]["message"]["text"] == "a" and got[0]["message"]["chat"]["type"] == "private"


async def test_a_second_poller_terminates_the_first(api: Api, fake: FakeTelegram) -> None:
    first = asyncio.create_task(api("getUpdates", timeout=3600))
    await eventually(lambda: fake.long_polling)
    second = asyncio.create_task(api("getUpdates", timeout=3600))
    status, body = await first
    assert status == 409 and "terminated by other getUpdates request" in body["description"]
    await eventually(lambda: fake.long_polling)  # the second one waits in its place
    update_id = fake.user_message(1, text="hello")
    status, body = await second
    assert status == 200 and [u["update_id"] for u in body["result"]] == [update_id]


async def test_commands_carry_a_bot_command_entity(api: Api, fake: FakeTelegram) -> None:
    fake.user_message(1, text="/start abc_DEF-1")
    (update,) = await api.ok("getUpdates")
    assert update["message"]["entities"] == [{"type": "bot_command", "offset": 0, "length": 6}]


async def test_injected_faults(api: Api, fake: FakeTelegram) -> None:
    fake.inject(Fault("sendMessage", status=502, description="Bad Gateway"))
    assert await api.error("sendMessage", chat_id=1, text="hi") == (502, "Bad Gateway")
    assert await api.ok("sendMessage", chat_id=1, text="hi")  # only once
    # The answer is held far longer than the client waits: which comes first is
    # settled by order, not by how fast the machine runs.
    fake.inject(Fault("sendMessage", status=None, hang=PATIENCE))
    with pytest.raises(httpx.ReadTimeout):
        await api.client.post(
            f"{api.server.base_url}{api.token}/sendMessage",
            data={"chat_id": "1", "text": "x"},
            timeout=0.2,
        )


async def test_callback_queries_are_answered_once(api: Api, fake: FakeTelegram) -> None:
    sent = await api.ok(
        "sendMessage",
        chat_id=1,
        text="hi",
        reply_markup={"inline_keyboard": [[{"text": "A", "callback_data": "a"}]]},
    )
    fake.user_taps(1, 1, sent["message_id"], "a")
    (update,) = await api.ok("getUpdates")
    query_id = update["callback_query"]["id"]
    assert update["callback_query"]["message"]["message_id"] == sent["message_id"]
    assert await api.ok("answerCallbackQuery", callback_query_id=query_id, text="Done")
    status, description = await api.error("answerCallbackQuery", callback_query_id=query_id)
    assert (
        description
        == "Bad Request: query is too old and response timeout expired or query ID is invalid"
    )


async def test_a_tap_must_be_answered_within_15_seconds(
    api: Api, fake: FakeTelegram, clock: ManualClock
) -> None:
    keyboard = {"inline_keyboard": [[{"text": "A", "callback_data": "a"}]]}
    mid = (await api.ok("sendMessage", chat_id=1, text="hi", reply_markup=keyboard))["message_id"]
    fake.user_taps(1, 1, mid, "a")
    fake.user_taps(1, 1, mid, "a")
    first, second = [u["callback_query"]["id"] for u in await api.ok("getUpdates")]
    clock.advance(15)
    assert await api.ok("answerCallbackQuery", callback_query_id=first)
    clock.advance(0.001)
    assert await api.error("answerCallbackQuery", callback_query_id=second) == (
        400,
        "Bad Request: query is too old and response timeout expired or query ID is invalid",
    )


async def test_files_upload_and_download(api: Api) -> None:
    png = io.BytesIO()
    Image.new("RGB", (40, 30), "white").save(png, format="PNG")
    sent = await api.ok(
        "sendDocument",
        chat_id=1,
        caption="poster",
        files={"document": ("poster.png", png.getvalue(), "image/png")},
    )
    document = sent["document"]
    assert document["file_name"] == "poster.png" and document["mime_type"] == "image/png"
    photo = await api.ok(
        "sendPhoto", chat_id=1, files={"photo": ("p.png", png.getvalue(), "image/png")}
    )
    assert (photo["photo"][0]["width"], photo["photo"][0]["height"]) == (40, 30)
    assert await api.error(
        "sendPhoto", chat_id=1, files={"photo": ("p.png", b"not an image", "image/png")}
    ) == (400, "Bad Request: IMAGE_PROCESS_FAILED")
    file = await api.ok("getFile", file_id=document["file_id"])
    download = await api.client.get(
        f"http://127.0.0.1:{api.server.port}/file/bot{api.token}/{file['file_path']}"
    )
    assert download.content == png.getvalue()


async def test_webhook_delivery_with_the_secret_header(api: Api, fake: FakeTelegram) -> None:
    received: list[tuple[dict[str, Any], str | None]] = []

    class Hook(tornado.web.RequestHandler):
        def post(self) -> None:
            received.append(
                (
                    json.loads(self.request.body),
                    self.request.headers.get("X-Telegram-Bot-Api-Secret-Token"),
                )
            )

    sockets = tornado.netutil.bind_sockets(0, "127.0.0.1", family=socket.AF_INET)
    hook_server = tornado.httpserver.HTTPServer(tornado.web.Application([(r"/hook", Hook)]))
    hook_server.add_sockets(sockets)
    port = sockets[0].getsockname()[1]
    try:
        assert await api.ok(
            "setWebhook", url=f"http://127.0.0.1:{port}/hook", secret_token="s3cret"
        )
        assert await api.error("getUpdates") == (
            409,
            "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first",
        )
        update_id = fake.user_message(1, text="hello")
        # Delivered, and the fake has seen the hook's 200 (it then forgets the update).
        await eventually(lambda: bool(received) and not fake.pending())
        assert received == [
            ({"update_id": update_id, "message": received[0][0]["message"]}, "s3cret")
        ]
        info = await api.ok("getWebhookInfo")
        assert info["url"].endswith("/hook") and info["pending_update_count"] == 0
        assert await api.error("setWebhook", url="http://example.org/hook") == (
            400,
            "Bad Request: bad webhook: An HTTPS URL must be provided for webhook",
        )
        assert await api.ok("deleteWebhook")
    finally:
        hook_server.stop()


async def test_our_answers_are_valid_bot_api_objects(api: Api, fake: FakeTelegram) -> None:
    spec = BotApiSpec.bundled()
    sent = await api.ok(
        "sendMessage",
        chat_id=1,
        text="<i>hi</i>",
        parse_mode="HTML",
        reply_markup={"inline_keyboard": [[{"text": "A", "callback_data": "a"}]]},
    )
    spec.check_object("Message", sent)
    spec.check_object("User", await api.ok("getMe"))
    fake.user_message(1, text="/help")
    fake.user_taps(1, 1, sent["message_id"], "a")
    fake.user_blocks_bot(1)
    for update in await api.ok("getUpdates"):
        spec.check_object("Update", update)


async def test_dates_come_from_the_wall_clock(
    api: Api, fake: FakeTelegram, wall: ManualClock
) -> None:
    sent = await api.ok("sendMessage", chat_id=1, text="hi")
    assert sent["date"] == 1_750_000_000 and "edit_date" not in sent
    wall.advance(61.5)
    edited = await api.ok("editMessageText", chat_id=1, message_id=sent["message_id"], text="ho")
    assert (edited["date"], edited["edit_date"]) == (1_750_000_000, 1_750_000_061)
    fake.user_message(1, text="hello")
    fake.user_blocks_bot(1)
    message, blocked = await api.ok("getUpdates")
    assert message["message"]["date"] == blocked["my_chat_member"]["date"] == 1_750_000_061


def inline(rows: int, per_row: int, data: str = "d") -> dict[str, Any]:
    return {
        "inline_keyboard": [
            [{"text": f"{r}.{c}", "callback_data": data} for c in range(per_row)]
            for r in range(rows)
        ]
    }


def reply_keyboard(rows: int, per_row: int) -> dict[str, Any]:
    return {"keyboard": [[{"text": f"{r}.{c}"} for c in range(per_row)] for r in range(rows)]}


async def test_keyboards_within_telegrams_limits_are_taken(api: Api) -> None:
    assert await api.ok("sendMessage", chat_id=1, text="a", reply_markup=inline(12, 8))  # 96
    assert await api.ok("sendMessage", chat_id=1, text="b", reply_markup=inline(25, 4))  # 100
    assert await api.ok("sendMessage", chat_id=1, text="c", reply_markup=reply_keyboard(25, 12))


async def test_an_inline_keyboard_over_100_buttons_is_too_long(api: Api) -> None:
    too_long = (400, "Bad Request: reply markup is too long")
    assert await api.error("sendMessage", chat_id=1, text="x", reply_markup=inline(13, 8)) == (
        too_long
    )
    assert await api.error("sendMessage", chat_id=1, text="x", reply_markup=inline(101, 1)) == (
        too_long
    )
    # Edits are held to the same rules.
    mid = (await api.ok("sendMessage", chat_id=1, text="x", reply_markup=inline(1, 1)))[
        "message_id"
    ]
    assert (
        await api.error(
            "editMessageReplyMarkup", chat_id=1, message_id=mid, reply_markup=inline(26, 4)
        )
        == too_long
    )
    assert (
        await api.error(
            "editMessageText", chat_id=1, message_id=mid, text="y", reply_markup=inline(51, 2)
        )
        == too_long
    )


async def test_too_many_buttons_in_a_row_are_refused_by_the_fake(api: Api) -> None:
    assert await api.error("sendMessage", chat_id=1, text="x", reply_markup=inline(2, 9)) == (
        400,
        "Bad Request: reply_markup.inline_keyboard[0] has 9 buttons, more than 8 "
        "(Telegram's apps do not show the rest; refused by the fake Bot API)",
    )
    rows = reply_keyboard(2, 12)
    rows["keyboard"][1].append({"text": "13th"})
    assert await api.error("sendMessage", chat_id=1, text="x", reply_markup=rows) == (
        400,
        "Bad Request: reply_markup.keyboard[1] has 13 buttons, more than 12 "
        "(Telegram drops the rest without a word; refused by the fake Bot API)",
    )
    assert await api.error(
        "sendMessage", chat_id=1, text="x", reply_markup=reply_keyboard(26, 12)
    ) == (
        400,
        "Bad Request: reply_markup.keyboard has 312 buttons, more than 300 "
        "(Telegram drops the rest without a word; refused by the fake Bot API)",
    )


async def test_reply_markup_over_8_kib_is_too_long_even_under_100_buttons(api: Api) -> None:
    # 64-byte button data is allowed, but 99 such buttons (about 9.6 KB of JSON) were
    # refused in a reported case (python-telegram-bot issue 5104); here 88 make 8.6 KB.
    markup = inline(11, 8, data="x" * 64)
    assert 8 * 1024 < len(json.dumps(markup, separators=(",", ":"))) < 9 * 1024
    assert await api.error("sendMessage", chat_id=1, text="x", reply_markup=markup) == (
        400,
        "Bad Request: reply markup is too long",
    )
    # The same count of buttons with short data is fine.
    assert await api.ok("sendMessage", chat_id=1, text="x", reply_markup=inline(11, 8))
    # Long labels count as much as long data.
    labels = {"keyboard": [[{"text": "字" * 100}] for _ in range(30)]}
    assert await api.error("sendMessage", chat_id=1, text="x", reply_markup=labels) == (
        400,
        "Bad Request: reply markup is too long",
    )


def test_no_client_sends_a_message_over_4096_utf16_units(fake: FakeTelegram) -> None:
    assert fake.user_message(1, text="好" * 4096)
    with pytest.raises(AssertionError, match="never sends a message over 4096 UTF-16 units"):
        fake.user_message(1, text="好" * 4097)
    with pytest.raises(AssertionError, match=r"this one has 4098"):
        fake.user_message(1, text="😀" * 2049)
