"""Journey 4 end to end: a confident answer, "did you mean", a hand-off that comes back,
teaching the FAQ, votes and the curators' gap list."""

from __future__ import annotations

from bot.fake_telegram.users import Reply
from bot.faq.service import Answers
from bot.sim.harness import Harness
from tests.concerns.helpers import admin_at_hand, team_of
from tests.dialog import Tap, verify_dialog


def buttons_include(*labels: str):  # type: ignore[no-untyped-def]
    def check(reply: Reply) -> None:
        for label in labels:
            assert any(label in b for b in reply.buttons), (label, reply.buttons)

    return check


async def test_a_clear_question_gets_the_curated_answer_with_source_and_date(
    harness: Harness,
) -> None:
    (worker,) = await team_of(harness, [81])
    reply = await worker.send("how many days of paid annual leave do I get")
    assert "annual leave" in reply.text.lower()
    assert "📖" in reply.text and "as of" in reply.text
    assert "👍" in reply.buttons and "👎" in reply.buttons
    thanks = await worker.tap("👍")
    assert "Thank you" in (thanks.alert or "")
    votes = await harness.services.get(Answers).repo.votes()
    assert sum(up for up, _down in votes.values()) == 1


async def test_a_vague_question_gets_did_you_mean(harness: Harness) -> None:
    (worker,) = await team_of(harness, [82])
    reply = await worker.send("overtime")
    assert "Did you mean" in reply.text
    assert len(reply.buttons) == 4 and "None of these" in reply.buttons
    shown = await worker.tap(1)
    assert "📖" in shown.text


async def test_an_unknown_question_is_handed_off_answered_and_taught_to_the_faq(
    harness: Harness,
) -> None:
    admin = await admin_at_hand(harness)
    first, second = await team_of(harness, [83, 84])
    for worker, text in (
        (first, "Can I keep a cat in the dormitory room?"),
        (second, "may I keep a cat in my dormitory room"),
    ):
        reply = await worker.send(text)
        if "Did you mean" in reply.text:  # close to the dormitory entries, but none is it
            reply = await worker.tap("None of these")
        assert "I have no answer to that yet" in reply.text
        passed = await worker.tap("Ask the admins")
        assert "Passed on to the admins with your name" in passed.text
    notice = admin.bot_messages()[-1].text or ""
    assert "A question for the admins from Worker 84" in notice
    await verify_dialog(
        admin,
        [
            ("/questions", ["2 waiting for an answer"]),
            (Tap("Worker 83"), "Can I keep a cat"),
            (Tap("Answer"), "Type the answer"),
            (
                "No pets in the dormitory, for everyone's health. Thank you for asking.",
                "Sent to Worker 83",
            ),
            (Tap("Teach it to the FAQ"), buttons_include("Make it a new FAQ entry")),
            (Tap("Make it a new FAQ entry"), "Added to the FAQ. 1 other people who asked the same"),
        ],
    )
    assert "No pets in the dormitory" in (first.bot_messages()[-1].text or "")
    assert "No pets in the dormitory" in (second.bot_messages()[-1].text or "")
    again = await second.send("can I keep a cat in the dormitory")
    assert "No pets in the dormitory" in again.text
    mine = await first.send("/mydata")
    assert "You passed 1 question on to the admins with your name; 0 of them waiting" in mine.text


async def test_the_gap_list_groups_what_had_no_good_answer(harness: Harness) -> None:
    admin = await admin_at_hand(harness)
    workers = await team_of(harness, [85, 86, 87])
    for worker, text in zip(
        workers,
        [
            "Is there wifi in the dormitory?",
            "dormitory wifi password please",
            "Where can I park my motorbike?",
        ],
        strict=True,
    ):
        reply = await worker.send(text)
        if "Did you mean" in reply.text:
            await worker.tap("None of these")
        await worker.tap("No, thanks")
    listing = await admin.send("/gaps")
    assert "What had no good answer" in listing.text
    assert "2 × " in listing.text or "1 × " in listing.text
