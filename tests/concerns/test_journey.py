"""Journey 3 end to end: raise, receipt, urgent alert, inbox, answer, notice, follow-up."""

from __future__ import annotations

from bot.fake_telegram.users import Reply
from bot.sim.harness import Harness
from tests.concerns.helpers import raise_concern, team_of
from tests.conftest import ADMIN_ID
from tests.dialog import Press, Tap, verify_dialog


def _notify_on(reply: Reply) -> None:
    assert "✅ Tell me when there is an answer" in reply.buttons, reply.buttons


async def test_a_worker_raises_an_anonymous_message_and_reads_the_answer(
    harness: Harness,
) -> None:
    (worker,) = await team_of(harness, [31])
    admin = harness.person(ADMIN_ID, "Fang", language_code="en")
    await verify_dialog(
        worker,
        [
            (
                Press("Anonymous message"),
                ["Never your name or your Telegram account", "Pick a topic"],
            ),
            (Tap("How it stays anonymous"), "Your 🧾 reply key works only in this chat"),
            (Tap("Dormitory and canteen"), "Write your message now"),
            (
                "The showers on floor 3 have had no hot water for a week",
                "Please check your anonymous message",
            ),
            (Tap("Tell me when there is an answer"), _notify_on),
            (Tap("Send anonymously"), ["Received, anonymously", "This is your reply key"]),
        ],
    )
    # Not urgent: no admin was alerted.
    assert not admin.bot_messages()
    await verify_dialog(
        admin,
        [
            ("/inbox", ["Anonymous messages", "new 1", "1 found"]),
            (Tap("Dormitory and canteen"), ["The showers on floor 3", "Worker"]),
            (Tap("Answer"), "Type your answer"),
            ("The boiler is fixed on Friday. Sorry for the wait.", "Answer saved"),
        ],
    )
    await harness.quiet()
    notice = worker.bot_messages()[-1]
    assert "An admin has answered your anonymous message" in (notice.text or "")
    reply = await worker.tap("Open my reply key")
    assert "The boiler is fixed on Friday" in reply.text and "The showers on floor 3" in reply.text
    await verify_dialog(
        worker,
        [
            (Tap("Add to it"), "Write what you want to add"),
            ("Thank you, it works now", "Added to your anonymous message"),
            (Tap("Open my reply key"), ["Thank you, it works now", "in progress"]),
        ],
    )


async def test_an_urgent_message_alerts_every_admin_at_once(harness: Harness) -> None:
    (worker,) = await team_of(harness, [32])
    admin = harness.person(ADMIN_ID, "Fang", language_code="en")
    await admin.send("/start")
    before = len(admin.bot_messages())
    await raise_concern(
        worker,
        "Working hours and shifts",
        "There is a gas leak near pan 4, it smells very strong",
    )
    await harness.quiet()
    alerts = admin.bot_messages()[before:]
    assert len(alerts) == 1
    text = alerts[0].text or ""
    assert "Urgent anonymous message" in text and "gas leak near pan 4" in text
    assert "32" not in text and "Worker" not in text
