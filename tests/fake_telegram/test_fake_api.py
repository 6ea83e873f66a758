"""The fake Bot API answers like Telegram, errors included, over real HTTP."""

from __future__ import annotations

import asyncio
import io
import json
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from PIL import Image

from bot.fake_telegram.fake import FakeTelegram, Fault
from bot.fake_telegram.flood import FloodLimits
from bot.fake_telegram.server import FakeBotApiServer
from bot.fake_telegram.spec import BotApiSpec


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
async def fake() -> FakeTelegram:
    telegram = FakeTelegram()
    telegram.add_user(1, "Li", language_code="zh-hans").started = True
    return telegram


@pytest.fixture
async def api(fake: FakeTelegram) -> AsyncIterator[Api]:
    server = FakeBotApiServer(fake)
    await server.start()
    async with httpx.AsyncClient(timeout=5) as client:
        yield Api(server, client)
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
    status, description = await api.error(
        "sendMessage", chat_id=1, text="Price 3.5!", parse_mode="MarkdownV2"
    )
    assert (
        description
        == "Bad Request: can't parse entities: Character '.' is reserved and must be escaped with the preceding '\\'"
    )
    sent = await api.ok("sendMessage", chat_id=1, text="<b>好</b> &amp; done", parse_mode="HTML")
    assert sent["text"] == "好 & done"
    assert sent["entities"] == [{"type": "bold", "offset": 0, "length": 1}]
    assert await api.error("sendMessage", chat_id=1, text="x", parse_mode="Fancy") == (
        400,
        "Bad Request: unsupported parse_mode",
    )


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


async def test_flood_limits_answer_429_with_retry_after(fake: FakeTelegram) -> None:
    strict = FakeTelegram(limits=FloodLimits(private_burst=1, private_per_second=1))
    strict.add_user(1, "Li").started = True
    server = FakeBotApiServer(strict)
    await server.start()
    try:
        async with httpx.AsyncClient() as client:
            api = Api(server, client)
            assert await api.ok("sendMessage", chat_id=1, text="first")
            status, body = await api("sendMessage", chat_id=1, text="second")
            assert status == 429
            assert body["description"] == "Too Many Requests: retry after 1"
            assert body["parameters"] == {"retry_after": 1}
    finally:
        await server.stop()


async def test_overall_limit_is_thirty_a_second() -> None:
    telegram = FakeTelegram()
    for user_id in range(1, 41):
        telegram.add_user(user_id, f"U{user_id}").started = True
    server = FakeBotApiServer(telegram)
    await server.start()
    try:
        async with httpx.AsyncClient() as client:
            api = Api(server, client)
            statuses = [
                (await api("sendMessage", chat_id=user_id, text="hi"))[0]
                for user_id in range(1, 41)
            ]
    finally:
        await server.stop()
    assert statuses.count(200) == 30 or statuses.count(200) == 31  # refill during the burst
    assert 429 in statuses


async def test_updates_offset_and_long_polling(api: Api, fake: FakeTelegram) -> None:
    first = fake.user_message(1, text="a")
    second = fake.user_message(1, text="b")
    got = await api.ok("getUpdates")
    assert [u["update_id"] for u in got] == [first, second]
    assert [u["update_id"] for u in await api.ok("getUpdates", offset=second)] == [second]
    assert await api.ok("getUpdates", offset=second + 1) == []
    # A long poll returns as soon as an update arrives.
    poll = asyncio.create_task(api.ok("getUpdates", offset=second + 1, timeout=5))
    await asyncio.sleep(0.05)
    third = fake.user_message(1, text="c")
    assert [u["update_id"] for u in await asyncio.wait_for(poll, 2)] == [third]
    assert got[0]["message"]["text"] == "a" and got[0]["message"]["chat"]["type"] == "private"


async def test_a_second_poller_terminates_the_first(api: Api) -> None:
    first = asyncio.create_task(api("getUpdates", timeout=5))
    await asyncio.sleep(0.05)
    second = asyncio.create_task(api("getUpdates", timeout=1))
    status, body = await asyncio.wait_for(first, 2)
    assert status == 409 and "terminated by other getUpdates request" in body["description"]
    second.cancel()


async def test_commands_carry_a_bot_command_entity(api: Api, fake: FakeTelegram) -> None:
    fake.user_message(1, text="/start abc_DEF-1")
    (update,) = await api.ok("getUpdates")
    assert update["message"]["entities"] == [{"type": "bot_command", "offset": 0, "length": 6}]


async def test_injected_faults(api: Api, fake: FakeTelegram) -> None:
    fake.inject(Fault("sendMessage", status=502, description="Bad Gateway"))
    assert await api.error("sendMessage", chat_id=1, text="hi") == (502, "Bad Gateway")
    assert await api.ok("sendMessage", chat_id=1, text="hi")  # only once
    fake.inject(Fault("sendMessage", status=None, hang=2.0))
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
    import tornado.web

    class Hook(tornado.web.RequestHandler):
        def post(self) -> None:
            received.append(
                (
                    json.loads(self.request.body),
                    self.request.headers.get("X-Telegram-Bot-Api-Secret-Token"),
                )
            )

    from bot.sim.harness import free_port

    port = free_port()
    hook_server = tornado.web.Application([(r"/hook", Hook)]).listen(port, "127.0.0.1")
    try:
        assert await api.ok(
            "setWebhook", url=f"http://127.0.0.1:{port}/hook", secret_token="s3cret"
        )
        assert await api.error("getUpdates") == (
            409,
            "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first",
        )
        update_id = fake.user_message(1, text="hello")
        for _ in range(100):
            if received:
                break
            await asyncio.sleep(0.02)
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
