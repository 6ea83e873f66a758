"""Simulated people act as Telegram's apps do: a long text goes as several messages."""

from __future__ import annotations

import pytest

from bot.fake_telegram.entities import utf16_len
from bot.fake_telegram.fake import FakeTelegram
from bot.fake_telegram.users import Person, split_like_a_client


def sent_texts(fake: FakeTelegram) -> list[str]:
    return [update.payload["text"] for update in fake.pending() if update.kind == "message"]


@pytest.fixture
def fake() -> FakeTelegram:
    telegram = FakeTelegram()
    telegram.add_user(1, "Li")
    return telegram


@pytest.fixture
def person(fake: FakeTelegram) -> Person:
    """Li, talking to a bot that answers every message with its length."""

    async def bot(update_id: int) -> None:
        (update,) = [u for u in fake.pending() if u.update_id == update_id]
        text = update.payload["text"]
        await fake.call(
            fake.token, "sendMessage", {"chat_id": 1, "text": f"got {len(text)}"}, from_form=False
        )

    return Person(fake, fake.users[1], bot)


async def test_a_text_over_4096_units_goes_as_two_messages(
    fake: FakeTelegram, person: Person
) -> None:
    reply = await person.send("a" * 5000)
    assert sent_texts(fake) == ["a" * 4096, "a" * 904]
    # The reply covers what the bot said to both.
    assert reply.text == "got 4096\ngot 904"


async def test_a_text_of_4096_units_goes_as_one(fake: FakeTelegram, person: Person) -> None:
    reply = await person.send("字" * 4096)
    assert sent_texts(fake) == ["字" * 4096]
    assert reply.text == "got 4096"


@pytest.mark.parametrize(
    ("text", "parts"),
    [
        # cut after the last space that fits
        ("word " * 1000, ["word " * 819, "word " * 181]),
        # a line break is preferred to a later space
        ("x" * 100 + "\n" + "y " * 2500, ["x" * 100 + "\n", "y " * 2048, "y " * 452]),
        # the last line break that fits, not the first
        ("a\n" * 2500, ["a\n" * 2048, "a\n" * 452]),
        # no space or line break: cut at the limit
        ("b" * 9000, ["b" * 4096, "b" * 4096, "b" * 808]),
        # an emoji is two units and is never cut in half
        ("😀" * 2500, ["😀" * 2048, "😀" * 452]),
        ("a" + "😀" * 2048, ["a" + "😀" * 2047, "😀"]),
        ("", [""]),
    ],
)
def test_how_a_client_splits_a_long_text(text: str, parts: list[str]) -> None:
    assert split_like_a_client(text) == parts
    assert "".join(parts) == text
    assert all(utf16_len(part) <= 4096 for part in parts)


async def test_each_part_reaches_the_bot_as_its_own_message(
    fake: FakeTelegram, person: Person
) -> None:
    text = "第一段。\n" + "好 " * 3000
    reply = await person.send(text)
    assert sent_texts(fake) == ["第一段。\n", "好 " * 2048, "好 " * 952]
    assert reply.text == "got 5\ngot 4096\ngot 1904"
