"""Pre-shift study under bad input and bad luck: each gets a clear answer, no record is spoiled."""

from __future__ import annotations

import asyncio
import sys
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest

from bot.clock import FakeClock
from bot.config import Settings
from bot.content import ContentError
from bot.fake_telegram.fake import Fault
from bot.outbox import BACKOFF
from bot.preshift import routes
from bot.preshift.service import Preshift
from bot.services import Services
from bot.sim.harness import Harness
from tests.helpers import on_virtual_time, table_counts
from tests.preshift.helpers import crew, open_session, session_message, take
from tests.twice import double_tap

ROOT = Path(__file__).resolve().parents[2]


async def started(harness: Harness, workers: int = 2) -> object:
    team = await crew(harness, workers)
    await team.leader.press("Pre-shift study")
    await team.leader.tap("Start now")
    await harness.quiet()
    return team


async def answers(harness: Harness) -> int:
    row = await harness.services.db.fetch_one("SELECT COUNT(*) FROM answers")
    return row[0] if row else 0


async def test_every_step_survives_a_double_tap(harness: Harness) -> None:
    team = await crew(harness, 1)
    await team.leader.press("Pre-shift study")
    await double_tap(harness, team.leader, "Start now")
    await harness.quiet()
    # The team leader is in the team too: one status message and one session message, once.
    leader_texts = [m.text or "" for m in team.leader.bot_messages()]
    assert sum("have taken part" in t for t in leader_texts) == 1
    assert sum("today's pre-shift study" in t for t in leader_texts) == 1
    worker = team.workers[0]
    for label in ("Start", "read the lesson"):
        (
            await double_tap(harness, worker, label, session_message(worker))
        ).assert_second_changed_nothing(label)
    for _ in range(3):
        message = session_message(worker)
        right = next(b["text"] for b in message.buttons if "Right" in b["text"])
        (await double_tap(harness, worker, right, message)).assert_second_changed_nothing(right)
    assert await answers(harness) == 3
    (
        await double_tap(harness, worker, "😀", session_message(worker))
    ).assert_second_changed_nothing("mood")
    counts = await harness.services.db.fetch_all("SELECT taps FROM mood_counts")
    assert [r["taps"] for r in counts] == [1]
    sessions = await harness.services.db.fetch_all("SELECT id FROM study_sessions")
    assert len(sessions) == 1


async def test_a_late_second_answer_to_the_same_question_does_not_count(harness: Harness) -> None:
    """After a restart the double-tap memory is gone: the database keeps the first answer."""
    team = await started(harness, 1)
    worker = team.workers[0]  # type: ignore[attr-defined]
    await worker.tap("Start", session_message(worker))
    await worker.tap("read the lesson", session_message(worker))
    question = session_message(worker)
    wrong = next(b["callback_data"] for b in question.buttons if "Wrong" in b["text"])
    right = next(b["callback_data"] for b in question.buttons if "Right" in b["text"])
    await worker.tap_data(wrong, question)
    await worker.send("/help")  # something in between: the next tap is no double tap
    reply = await worker.tap_data(right, question)
    assert reply.alert == "Only your first answer counts."
    (stored,) = await harness.services.db.fetch_all("SELECT correct FROM answers")
    assert stored["correct"] == 0


async def test_a_question_from_a_finished_session(harness: Harness, clock: FakeClock) -> None:
    team = await started(harness, 1)
    worker = team.workers[0]  # type: ignore[attr-defined]
    old = session_message(worker)
    clock.advance(timedelta(days=1))
    await harness.tick()
    before = await table_counts(harness)
    reply = await worker.tap("Start", old)
    assert "This pre-shift study is over: it was for" in (reply.alert or "")
    forged_answer = harness.services.signer.pack(
        worker.id, routes.ANSWER, (await _any_session(harness)), 1, 0
    )
    reply = await worker.tap_data(forged_answer, old)
    assert "is over" in (reply.alert or "")
    assert await answers(harness) == 0 and await table_counts(harness) == before


async def _any_session(harness: Harness) -> int:
    row = await harness.services.db.fetch_one("SELECT id FROM study_sessions")
    assert row is not None
    return int(row["id"])


async def test_after_the_window_closes_it_counts_as_late(
    harness: Harness, clock: FakeClock
) -> None:
    team = await started(harness, 1)
    worker = team.workers[0]  # type: ignore[attr-defined]
    clock.advance(timedelta(minutes=45))
    await harness.tick()
    text = await take(worker)
    assert "Done!" in text
    await worker.tap("😐", session_message(worker))
    assert any("It counts as late" in (m.text or "") for m in worker.bot_messages())
    row = await harness.services.db.fetch_one(
        "SELECT status FROM attendance a JOIN members m"
        " ON m.id = a.member_id WHERE m.telegram_id = ?",
        (worker.id,),
    )
    assert row is not None and row["status"] == "late"


async def test_a_forged_answer_is_refused(harness: Harness) -> None:
    team = await started(harness, 1)
    worker = team.workers[0]  # type: ignore[attr-defined]
    reply = await worker.tap_data("psa:1:1:0~AAAAAAAA", session_message(worker))
    assert (
        reply.alert == "This button is not valid. Please use the buttons in your latest messages."
    )
    assert await answers(harness) == 0


async def test_a_member_who_left_the_team_mid_session(harness: Harness) -> None:
    team = await started(harness, 2)
    worker = team.workers[0]  # type: ignore[attr-defined]
    await worker.tap("Start", session_message(worker))
    member = await harness.services.members.by_telegram_id(worker.id)
    assert member is not None and member.team_id is not None
    await harness.services.org.remove_member(member.team_id, member.id)
    reply = await worker.tap("read the lesson", session_message(worker))
    assert "You are no longer in this team" in (reply.alert or "")
    session = await open_session(harness, team.team)  # type: ignore[attr-defined]
    entry = await harness.services.get(Preshift).study.attendance(session.id, member.id)
    assert entry is not None and entry.status == "left"
    await harness.tick()
    assert "0 of 2 have taken part" in "\n".join(
        m.text or ""
        for m in team.leader.bot_messages()  # type: ignore[attr-defined]
    )


async def test_a_worker_who_blocked_shiftmate(harness: Harness) -> None:
    team = await crew(harness, 2)
    blocked = team.workers[0]
    harness.fake.users[blocked.id].blocked = True
    harness.expect_refused = False
    await team.leader.press("Pre-shift study")
    await team.leader.tap("Start now")
    await harness.quiet()
    await harness.tick()
    row = await harness.services.db.fetch_one(
        "SELECT reachable FROM members WHERE telegram_id = ?", (blocked.id,)
    )
    assert row is not None and row["reachable"] == 0
    assert any("🚫 Cannot be reached: 1" in (m.text or "") for m in team.leader.bot_messages())
    assert "today's pre-shift study" in (session_message(team.workers[1]).text or "")


async def test_telegram_failing_while_sending_resumes_after_a_pause(
    harness: Harness, clock: FakeClock
) -> None:
    team = await crew(harness, 2)
    await team.leader.press("Pre-shift study")
    harness.fake.inject(Fault("sendMessage", status=502, description="Bad Gateway", times=50))
    await team.leader.tap("Start now")
    await harness.quiet()
    harness.fake.faults.clear()
    await harness.tick()  # too soon: each row waits out its pause (the outbox's back-off)
    assert not any(
        "today's pre-shift study" in (m.text or "") for m in team.workers[0].bot_messages()
    )
    clock.advance(timedelta(seconds=BACKOFF[0]))
    await harness.tick()
    for worker in team.workers:
        assert "today's pre-shift study" in (session_message(worker).text or "")
        invitations = [
            m for m in worker.bot_messages() if "today's pre-shift study" in (m.text or "")
        ]
        assert len(invitations) == 1  # sent once, not twice


async def test_a_restart_during_an_open_session_loses_nothing(
    settings: Settings, clock: FakeClock
) -> None:
    shared = on_virtual_time()
    async with Harness(settings, clock=clock, jobs=False, **shared) as first:
        team = await started(first, 2)
        worker = team.workers[0]  # type: ignore[attr-defined]
        await worker.tap("Start", session_message(worker))
        await worker.tap("read the lesson", session_message(worker))
        message = session_message(worker)
        await worker.tap(next(b["text"] for b in message.buttons if "Right" in b["text"]), message)
    async with Harness(settings, clock=clock, jobs=False, **shared) as second:
        worker = second.person(worker.id, "W")
        message = session_message(worker)
        for _ in range(2):
            message = session_message(worker)
            await worker.tap(
                next(b["text"] for b in message.buttons if "Right" in b["text"]), message
            )
        assert "Done! 3 of 3 right." in (session_message(worker).text or "")
        clock.advance(timedelta(minutes=31))
        await second.tick()
        leader = second.person(team.leader.id, "L")  # type: ignore[attr-defined]
        status = [
            m.text or "" for m in leader.bot_messages() if "have taken part" in (m.text or "")
        ]
        assert any("Closed at" in s and "1 of 3 have taken part" in s for s in status)
        assert await answers(second) == 3


async def test_broken_content_stops_the_bot_with_the_file_and_line(
    settings: Settings, tmp_path: Path
) -> None:
    broken = tmp_path / "content"
    (broken / "modules").mkdir(parents=True)
    (broken / "topics.yaml").write_text(
        (Path(__file__).parent / "content" / "topics.yaml").read_text()
    )
    (broken / "modules" / "bad.yaml").write_text("id: bad\ntopic: [unclosed\n", encoding="utf-8")
    services = await Services.start(replace(settings, content_dir=broken))
    try:
        from bot.app import build_application

        with pytest.raises(ContentError) as caught:
            token = "123456:TEST-token-for-wiring-only-0000"
            build_application(
                replace(services, settings=replace(services.settings, bot_token=token))
            )
    finally:
        await services.close()
    assert any("bad.yaml:" in str(p) and "not valid YAML" in str(p) for p in caught.value.problems)

    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        "run",
        cwd=ROOT,
        env={
            "BOT_TOKEN": "123456:TEST-fake-token-for-the-simulator",
            "BOT_API_BASE_URL": "http://127.0.0.1:9/bot",
            "BOT_DB": str(tmp_path / "db.sqlite3"),
            "BOT_CONTENT_DIR": str(broken),
            "PATH": "",
        },
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.PIPE,
    )
    _out, err = await asyncio.wait_for(process.communicate(), 120)
    stderr = err.decode()
    assert process.returncode == 2
    assert "Shiftmate cannot start: the content has 1 errors" in stderr
    assert "bad.yaml:" in stderr and "Traceback" not in stderr
