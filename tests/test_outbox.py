"""The outbox: retries with back-off, 403s, a restart with rows still queued, replies first.

Notices are the outbox's first user; these tests queue them through the service and
watch the rows in the database file and the chats in the fake Telegram.
"""

from __future__ import annotations

from datetime import timedelta

from bot.announcements import service
from bot.announcements.service import Announcements
from bot.clock import FakeClock
from bot.context import Ctx
from bot.db.announcements import Audience
from bot.db.bulk import PlantShape, add_plant
from bot.db.outbox import Op, Recipient
from bot.fake_telegram.fake import Fault
from bot.outbox import BACKOFF, Sender
from bot.sim.harness import Harness
from tests.concerns.helpers import admin_at_hand, team_of

TEXT = "Water will be off from 13:00 to 14:00."


EVERYONE = Audience("everyone")


async def stored(harness: Harness, audience: Audience = EVERYONE) -> int:
    """A notice due now, as the composer stores it."""
    return await harness.services.get(Announcements).repo.create(
        author_id=None,
        texts={"": TEXT},
        attachment=None,
        file_id=None,
        ask_ack=False,
        pin=False,
        audience=audience,
        send_at=None,
        remind_after_s=None,
    )


async def notice(harness: Harness, audience: Audience = EVERYONE) -> int:
    """A notice due now, started as ✅ Yes, send it starts it."""
    announcement_id = await stored(harness, audience)
    assert harness.running is not None
    await service.start(Ctx(harness.running.app), announcement_id)
    await harness.quiet()
    return announcement_id


async def rows(harness: Harness) -> list[tuple[str, int, int | None]]:
    found = await harness.services.db.fetch_all(
        "SELECT state, attempts, member_id FROM outbox ORDER BY id"
    )
    return [(r["state"], r["attempts"], r["member_id"]) for r in found]


def received(harness: Harness, user_id: int) -> int:
    chat = harness.fake.chats[user_id]
    return sum(1 for m in chat.messages.values() if m.text == TEXT)


async def test_a_5xx_is_tried_again_after_a_pause_and_sent_once(
    harness: Harness, clock: FakeClock
) -> None:
    (worker,) = await team_of(harness, [201])
    harness.fake.inject(Fault("sendMessage", status=502, description="Bad Gateway", times=2))
    await notice(harness)
    assert await rows(harness) == [("queued", 1, (await rows(harness))[0][2])]
    assert received(harness, 201) == 0
    await harness.tick()  # not due yet: the pause is 2 s
    assert (await rows(harness))[0][:2] == ("queued", 1)
    clock.advance(timedelta(seconds=BACKOFF[0]))
    await harness.tick()
    assert (await rows(harness))[0][:2] == ("queued", 2)  # the second 502
    clock.advance(timedelta(seconds=BACKOFF[1]))
    await harness.tick()
    assert (await rows(harness))[0][:2] == ("done", 2)
    assert received(harness, 201) == 1
    harness.expect_errors = True  # the 502s are logged as warnings by PTB


async def test_a_403_marks_that_person_unreachable_and_the_rest_still_get_it(
    harness: Harness,
) -> None:
    workers = await team_of(harness, [211, 212, 213])
    harness.fake.users[212].blocked = True  # the bot has not heard of it yet
    await notice(harness)
    states = {member: state for state, _attempts, member in await rows(harness)}
    blocked = await harness.services.members.by_telegram_id(212)
    assert blocked is not None and not blocked.reachable
    assert states[blocked.id] == "blocked"
    assert sorted(states.values()) == ["blocked", "done", "done"]
    assert [received(harness, w.user.id) for w in workers] == [1, 0, 1]


async def test_rows_queued_before_a_restart_are_sent_after_it_and_sent_rows_are_not(
    harness: Harness,
) -> None:
    """The state a hard kill leaves: a notice half sent. The timed run finishes it."""
    await team_of(harness, [221, 222, 223])
    repo = harness.services.get(Announcements).repo
    announcement_id = await stored(harness)
    members = [await harness.services.members.by_telegram_id(i) for i in (221, 222, 223)]
    assert all(m is not None for m in members)
    # Written as `start` writes them, with the first already answered by Telegram.
    assert await repo.start(
        announcement_id, [Recipient(m.telegram_id, m.id) for m in members if m is not None]
    )
    await harness.fake.call(
        harness.fake.token, "sendMessage", {"chat_id": 221, "text": TEXT}, from_form=False
    )
    await harness.services.db.execute(
        "UPDATE outbox SET state = 'done', message_id = 1 WHERE chat_id = 221"
    )
    await harness.tick()  # what the timed run does after a restart
    assert [received(harness, i) for i in (221, 222, 223)] == [1, 1, 1]
    assert [state for state, _a, _m in await rows(harness)] == ["done", "done", "done"]
    assert (await repo.get(announcement_id)) is not None
    assert (await repo.get(announcement_id)).state == "sent"  # type: ignore[union-attr]


async def test_a_question_is_answered_before_a_notice_to_600_has_gone_out(
    harness: Harness,
) -> None:
    """Replies go first: the question waits behind nothing the outbox queued."""
    admin = await admin_at_hand(harness)
    (worker,) = await team_of(harness, [231])
    shape = PlantShape(
        workshops=["Pans"],
        teams=[(0, f"P{n}") for n in range(60)],
        members=[(n // 10, 300_000 + n, f"W{n}") for n in range(600)],
        leaders=[],
    )
    await add_plant(harness.services.db, harness.services.clock, shape)
    for n in range(600):
        harness.fake.add_user(300_000 + n, f"W{n}").started = True
    assert harness.running is not None
    ctx = Ctx(harness.running.app)
    announcement_id = await stored(harness)
    await service.start(ctx, announcement_id)
    answer = await worker.send("how many days of paid annual leave do I get")
    assert "annual leave" in answer.text.lower()
    sender = harness.services.get(Sender)
    # The answer came while most of the notice was still waiting to go: it did not
    # queue behind the 600 (on the bulk lane, replies go first).
    waiting = await sender.repo.tally(service.KIND, announcement_id, (Op.SEND,))
    assert waiting.queued > waiting.total / 2
    await harness.quiet()
    tally = await sender.repo.tally(service.KIND, announcement_id, (Op.SEND,))
    assert tally.done == tally.total >= 600
    assert sender.rate_limited == 0
    del admin
