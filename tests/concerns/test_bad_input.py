"""Every bad input the anonymous-message issue names: a clear reply, and nothing stored lost."""

from __future__ import annotations

import logging
import sqlite3
from datetime import date, timedelta

import pytest

from bot.clock import FakeClock
from bot.concerns import routes
from bot.concerns.service import Concerns
from bot.config import Settings
from bot.db.concerns import ConcernRepository
from bot.sim.harness import Harness
from tests.concerns.helpers import admin_at_hand, raise_concern, team_of
from tests.dialog import Press, Sticker, Tap, verify_dialog
from tests.helpers import on_virtual_time


async def stored(harness: Harness) -> int:
    row = await harness.services.db.fetch_one("SELECT COUNT(*) FROM concerns")
    return int(row[0]) if row else 0


async def writing(harness: Harness, user_id: int) -> object:
    (worker,) = await team_of(harness, [user_id])
    await worker.press("Anonymous message")
    await worker.tap("A suggestion")
    return worker


async def test_empty_emoji_only_too_long_and_a_sticker_get_a_clear_reply(harness: Harness) -> None:
    (worker,) = await team_of(harness, [51])
    await verify_dialog(
        worker,
        [
            (Press("Anonymous message"), "Pick a topic"),
            (Tap("A suggestion"), "Text only, at most 2,000 characters"),
            ("   ", "Please write a few words"),
            ("😡😡😡👎", "emoji alone cannot be read"),
            ("x" * 4096, "That is 4,096 characters; the most is 2,000"),
            (Sticker(), "Text only, please"),
            ("A real suggestion: a bench by the gate", "Please check your anonymous message"),
            (Tap("Send anonymously"), "Received, anonymously"),
        ],
    )
    assert await stored(harness) == 1


async def test_a_double_tap_on_send_stores_one_message(harness: Harness) -> None:
    (worker,) = await team_of(harness, [52])
    await worker.press("Anonymous message")
    await worker.tap("A suggestion")
    await worker.send("Longer breaks in the summer")
    check = worker.last_message
    send = next(b["callback_data"] for b in check.buttons if "Send" in b["text"])
    first = await worker.tap_data(send, check)
    second = await worker.tap_data(send, check)
    assert "Received, anonymously" in first.text
    assert "Received" not in second.text and "Sorry" not in second.text
    assert await stored(harness) == 1


async def test_a_forged_or_wrong_reply_key_reveals_nothing(harness: Harness) -> None:
    (worker,) = await team_of(harness, [53])
    reply = await raise_concern(worker, "A suggestion", "Paint the stairs yellow")
    key_button = next(
        b for m in reply.messages for b in m.buttons if b["callback_data"].startswith("cr:")
    )
    concern_id = int(key_button["callback_data"].split(":")[1])
    signer = harness.services.signer
    wrong_key = signer.pack(worker.id, routes.THREAD, concern_id, "A" * 22)
    no_such = signer.pack(worker.id, routes.THREAD, concern_id + 1, "A" * 22)
    garbage = signer.pack(worker.id, routes.THREAD, concern_id, "not-a-key")
    answers = [(await worker.tap_data(data)).alert for data in (wrong_key, no_such, garbage)]
    assert answers == ["This reply key cannot be opened. Use the 🧾 button in your own chat."] * 3
    # Someone else's chat with a copy of the real button data: the signature refuses it.
    (other,) = await team_of(harness, [54], team="B")
    copied = await other.tap_data(key_button["callback_data"])
    assert "This button is not valid" in (copied.alert or "")
    assert "Paint the stairs" not in copied.text


async def test_answering_or_opening_a_message_that_does_not_exist(harness: Harness) -> None:
    admin = await admin_at_hand(harness)
    signer = harness.services.signer
    opened = await admin.tap_data(signer.pack(admin.id, routes.OPEN, 123456789, 9, 99, 1, 0))
    assert "This message is no longer in the inbox." in (opened.alert or "")
    answered = await admin.tap_data(signer.pack(admin.id, routes.ANSWER, 123456789))
    assert "This message is no longer in the inbox." in (answered.alert or "")
    repo = harness.services.get(Concerns).repo
    assert await repo.answer(123456789, date(2026, 3, 2), "hello") is False
    assert await stored(harness) == 0


async def test_a_worker_cannot_open_the_inbox(harness: Harness) -> None:
    (worker,) = await team_of(harness, [55])
    await raise_concern(worker, "A suggestion", "Fix the gate lock")
    reply = await worker.send("/inbox")
    assert "Only admins can do this." in reply.text and "Fix the gate lock" not in reply.text
    forged = harness.services.signer.pack(worker.id, routes.INBOX, 9, 99, 2, 0)
    tapped = await worker.tap_data(forged)
    assert "Only admins can do this." in (tapped.alert or "")


async def test_a_locked_database_at_send_keeps_the_draft_and_stores_nothing_half(
    harness: Harness, settings: Settings
) -> None:
    (worker,) = await team_of(harness, [56])
    await worker.press("Anonymous message")
    await worker.tap("A suggestion")
    await worker.send("Canteen should open earlier")
    await harness.services.db.execute("PRAGMA busy_timeout = 100")
    other = sqlite3.connect(settings.db_path, isolation_level=None)
    other.execute("BEGIN EXCLUSIVE")  # e.g. a backup script holding the write lock
    try:
        reply = await worker.tap("Send anonymously")
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert "could not be saved just now, so nothing was sent" in reply.text
    assert await stored(harness) == 0
    rows = await harness.services.db.fetch_all("SELECT * FROM concern_messages")
    assert rows == []  # no half: neither the concern nor its text
    again = await worker.tap("Send anonymously")
    assert "Received, anonymously" in again.text
    assert await stored(harness) == 1


async def test_a_restart_loses_the_draft_and_says_so(settings: Settings, clock: FakeClock) -> None:
    shared = on_virtual_time()
    async with Harness(settings, clock=clock, jobs=False, **shared) as first:
        (worker,) = await team_of(first, [57])
        await worker.press("Anonymous message")
        await worker.tap("A suggestion")
    async with Harness(settings, clock=clock, jobs=False, **shared) as second:
        worker = second.person(57, "W")
        typed = await worker.send("My words after the restart")  # a reply to the prompt
        assert "drafts are never saved" in typed.text
        assert await stored(second) == 0
    async with Harness(settings, clock=clock, jobs=False, **shared) as third:
        worker = third.person(57, "W")
        await worker.press("Anonymous message")
        await worker.tap("A suggestion")
        await worker.send("Written again")
    async with Harness(settings, clock=clock, jobs=False, **shared) as fourth:
        worker = fourth.person(57, "W")
        tapped = await worker.tap("Send anonymously")
        assert "drafts are never saved" in tapped.text
        assert await stored(fourth) == 0


async def test_self_harm_shows_helplines_at_once_and_alerts_the_admins(harness: Harness) -> None:
    admin = await admin_at_hand(harness)
    (worker,) = await team_of(harness, [58])
    reply = await raise_concern(
        worker, "Something else", "I don't want to live anymore, everything is too much"
    )
    assert "12356" in reply.text
    await harness.quiet()
    alert = admin.bot_messages()[-1].text or ""
    assert "Urgent anonymous message" in alert and "58" not in alert


async def test_an_overdue_urgent_message_is_marked_and_the_inbox_pages(
    harness: Harness, clock: FakeClock
) -> None:
    admin = await admin_at_hand(harness)
    workers = await team_of(harness, [61, 62, 63, 64])
    for n in range(9):
        await raise_concern(workers[n % 4], "A suggestion", f"Suggestion {n} for the plant")
    await raise_concern(workers[1], "Safety", "The ladder at tank 2 is cracked")
    clock.advance(timedelta(days=2))
    listing = await admin.send("/inbox")
    assert "Urgent and overdue: 1" in listing.text
    assert "10 found" in listing.text and "Page 1 of 2" not in listing.text  # pages by arrows
    labels = listing.buttons
    assert any(label.startswith("🚨") for label in labels) or "▶️" in labels
    turned = await admin.tap("▶️")
    assert turned.buttons and "◀️" in turned.buttons
    repo: ConcernRepository = harness.services.get(Concerns).repo
    page, total = await repo.inbox(status="new", category=None, since=None, offset=0, limit=50)
    assert total == 10 and len(page) == 10


async def test_failures_in_the_anonymous_flow_log_no_text_and_no_person(
    harness: Harness, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    harness.expect_errors = True
    (worker,) = await team_of(harness, [65])
    repo = harness.services.get(Concerns).repo

    async def broken(new: object) -> int:
        raise ValueError(f"cannot store {getattr(new, 'text', '')!r}")  # repeats the text

    monkeypatch.setattr(repo, "create", broken)
    caplog.clear()
    reply = await raise_concern(worker, "A suggestion", "The foreman shouts at us every morning")
    assert "Sorry, something went wrong" in reply.text
    errors = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert errors and all(r.exc_info is None for r in errors)
    for record in caplog.records:
        message = record.getMessage()
        assert "foreman" not in message
        if record.name.startswith("bot"):
            assert "65" not in message
