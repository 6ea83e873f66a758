"""Bad questions get a clear reply and change nothing stored."""

from __future__ import annotations

import pytest

from bot.sim.harness import Harness
from tests.concerns.helpers import team_of
from tests.dialog import verify_dialog
from tests.helpers import member_row


async def test_empty_emoji_and_single_characters_ask_for_words(harness: Harness) -> None:
    (worker,) = await team_of(harness, [91])
    for text in ("   ", "😀😀😀", "?", "a", "钱"):
        reply = await worker.send(text)
        assert "Type your question in a few words" in reply.text, text
    assert not await harness.services.db.fetch_all("SELECT * FROM faq_gaps")


@pytest.mark.parametrize(
    "text",
    [
        "x" * 4096,
        "'; DROP TABLE members; -- 加班费",
        ".*(?:)+[a-z]{1000}$ overtime \\d",
        "<b>年假</b> **几天** [link](javascript:alert(1)) &amp;",
        "我的 annual leave 还有 几天 please 告诉我",
    ],
)
async def test_odd_questions_get_an_answer_or_a_clear_offer(harness: Harness, text: str) -> None:
    (worker,) = await team_of(harness, [92])
    reply = await worker.send(text)
    assert reply.messages, "no reply"
    assert "Sorry" not in reply.text
    assert any(
        marker in reply.text for marker in ("📖", "Did you mean", "I have no answer to that yet")
    ), reply.text
    assert (await member_row(harness, 92))["display_name"] == "Worker 92"


async def test_a_question_typed_inside_another_flow_belongs_to_that_flow(harness: Harness) -> None:
    (worker,) = await team_of(harness, [93])
    await verify_dialog(
        worker,
        [
            ("/mydata", "Name: Worker 93"),
        ],
    )
    await worker.tap("Change the name")
    reply = await worker.send("how many days of annual leave")  # the rename dialog waits
    # The rename dialog takes it as the new name, not as a question.
    assert "Your name is now how many days of annual leave" in reply.text
    assert not await harness.services.db.fetch_all("SELECT * FROM faq_gaps")
