"""Journey 2, end to end: a team leader starts pre-shift study, workers take it, the leader follows."""

from __future__ import annotations

from datetime import timedelta

from bot.clock import FakeClock
from bot.preshift import routes
from bot.preshift.service import Preshift
from bot.sim.harness import Harness
from tests.dialog import Press, Tap, verify_dialog
from tests.preshift.helpers import crew, open_session, session_message, take


async def test_on_time_late_and_absent(harness: Harness, clock: FakeClock) -> None:
    """The issue's walk: one worker on time, one late, one absent; status, then summary."""
    team = await crew(harness, 3)
    leader, (on_time, late, absent) = team.leader, team.workers
    await verify_dialog(
        leader,
        [
            (Press("Pre-shift study"), ["📚 Pre-shift study · Shift A · Salt", "4 members"]),
            (
                Tap("Start now"),
                ["📚 Pre-shift study · Shift A · Salt · Module basic-a", "0 of 4 have taken part"],
            ),
        ],
    )
    await harness.quiet()
    status = next(m for m in leader.bot_messages() if "have taken part" in (m.text or ""))
    for worker in (on_time, late, absent):
        invite = session_message(worker)
        assert "today's pre-shift study: Module basic-a" in (invite.text or "")
        assert len(worker.bot_messages()) == 1  # one message, for the whole session

    assert "Module basic-a" in (session_message(leader).text or "")  # the team leader takes it too
    await take(leader)
    text = await take(on_time)
    assert "🎉 Done! 3 of 3 right." in text and "How do you feel today?" in text
    await harness.tick()
    assert "2 of 4 have taken part" in (status.text or "")
    assert "Average per person: 3 of 3 questions right" in (status.text or "")

    await on_time.tap("🙂", session_message(on_time))
    assert "Thank you" in (on_time.last_message.text or "")

    clock.advance(timedelta(minutes=31))
    await harness.tick()
    assert "Closed at" in (status.text or "")
    assert "Not yet: Worker 502 and Worker 503" in (status.text or "")

    text = await take(late, right=False)
    assert "🎉 Done! 0 of 3 right." in text
    await harness.tick()
    assert "⏰ Late: Worker 502" in (status.text or "")

    clock.advance(timedelta(days=1))
    await harness.tick()
    summary = status.text or ""
    assert "✅ Summary of" in summary and "3 of 4 have taken part" in summary
    assert "Absent: Worker 503" in summary and "⏰ Late: Worker 502" in summary
    assert status.buttons == []
    # Every answer was stored with its time and whether it was right.
    stored = await harness.services.db.fetch_all("SELECT member_id, correct FROM answers")
    assert len(stored) == 9 and sum(r["correct"] for r in stored) == 6


async def test_a_worker_sees_one_message_edited_in_place(harness: Harness) -> None:
    team = await crew(harness, 1)
    await team.leader.press("Pre-shift study")
    await team.leader.tap("Start now")
    await harness.quiet()
    worker = team.workers[0]
    before = len(worker.bot_messages())
    await take(worker)
    await worker.tap("😀", session_message(worker))
    assert len(worker.bot_messages()) == before  # everything after the invitation was an edit
    sent = [e for e in harness.fake.events if e.chat_id == worker.id and e.kind == "sent"]
    edited = [e for e in harness.fake.events if e.chat_id == worker.id and e.kind == "edited"]
    assert len(sent) == 1  # the session's one message
    assert len(edited) == 1 + 1 + 3 + 1  # lesson, first question, three answers, thanks


async def test_feedback_says_right_or_wrong_with_the_explanation(harness: Harness) -> None:
    team = await crew(harness, 1)
    await team.leader.press("Pre-shift study")
    await team.leader.tap("Start now")
    await harness.quiet()
    worker = team.workers[0]
    await worker.tap("Start", session_message(worker))
    assert "📖 Today's lesson: Module basic-a" in (session_message(worker).text or "")
    await worker.tap("read the lesson", session_message(worker))
    message = session_message(worker)
    assert "❓ 1/3 Question" in (message.text or "")
    wrong = next(b["text"] for b in message.buttons if "Wrong" in b["text"])
    reply = await worker.tap(wrong, message)
    assert "❌ Not quite: the answer is" in reply.text and "Because" in reply.text
    assert "❓ 2/3" in reply.text
    right = next(b["text"] for b in session_message(worker).buttons if "Right" in b["text"])
    reply = await worker.tap(right)
    assert "✅ Right! Because" in reply.text


async def test_only_a_team_leader_or_an_admin_starts_it(harness: Harness) -> None:
    team = await crew(harness, 2)
    other = await crew(harness, 1, team_name="Shift B", leader_id=600)
    worker = team.workers[0]
    assert "you do not lead a team" in (await worker.send("/preshift")).text
    forged = harness.services.signer.pack(worker.id, routes.START, team.team.id)
    reply = await worker.tap_data(forged, worker.last_message)
    assert "Only this team's leaders and the admins can do this." in (reply.alert or "")
    stranger = harness.services.signer.pack(other.leader.id, routes.START, team.team.id)
    reply = await other.leader.tap_data(stranger, other.leader.last_message)
    assert "Only this team's leaders" in (reply.alert or "")
    assert await harness.services.get(Preshift).study.open_for(team.team.id) is None


async def test_one_open_session_per_team_and_a_team_with_nobody(harness: Harness) -> None:
    team = await crew(harness, 1)
    await team.leader.press("Pre-shift study")
    await team.leader.tap("Start now")
    await team.leader.press("Pre-shift study")
    assert "Pre-shift study is open until" in team.leader.last_message.text  # type: ignore[operator]
    again = harness.services.signer.pack(team.leader.id, routes.START, team.team.id)
    reply = await team.leader.tap_data(again, team.leader.last_message)
    assert "already open" in (reply.alert or "")
    sessions = await harness.services.db.fetch_all("SELECT id FROM study_sessions")
    assert len(sessions) == 1

    empty = await harness.services.org.create_team(team.team.workshop_id, "Empty")
    await harness.services.org.assign_leader(
        empty.id,
        (await harness.services.members.by_telegram_id(team.leader.id)).id,  # type: ignore[union-attr]
    )
    start_empty = harness.services.signer.pack(team.leader.id, routes.START, empty.id)
    reply = await team.leader.tap_data(start_empty, team.leader.last_message)
    assert "Nobody is in this team yet" in (reply.alert or "")


async def test_close_early_extend_nudge_and_present_in_person(
    harness: Harness, clock: FakeClock
) -> None:
    team = await crew(harness, 3)
    leader = team.leader
    await leader.press("Pre-shift study")
    await leader.tap("Start now")
    status = leader.last_message
    await harness.quiet()
    session = await open_session(harness, team.team)
    reply = await leader.tap("15 more minutes", status)
    assert "Open until" in reply.text
    extended = await harness.services.get(Preshift).study.session(session.id)
    assert extended is not None and extended.closes_at == session.closes_at + timedelta(minutes=15)

    reply = await leader.tap("Remind the rest", status)
    assert reply.alert == "🔔 Reminding 4 people."
    await harness.quiet()  # the reminders go out through the outbox, in the background
    for worker in team.workers:
        assert "⏰ Your pre-shift study (Module basic-a) closes at" in (
            worker.last_message.text or ""
        )
    assert "🔔 Last reminder at" in (status.text or "")
    clock.advance(timedelta(minutes=1))  # a minute later, not a double tap
    reply = await leader.tap("Remind the rest", status)
    assert "Nobody to remind just now" in (reply.alert or "")

    await leader.tap("In person", status)
    await leader.tap("Worker 501", status)
    assert "✋ Worker 501" not in [b["text"] for b in status.buttons]
    await leader.tap("Back", status)
    reply = await leader.tap("Close now", status)
    assert "Closed at" in reply.text and "1 of 4 have taken part" in reply.text
    state = await harness.services.db.fetch_one(
        "SELECT status FROM attendance a JOIN members m ON m.id = a.member_id"
        " WHERE m.telegram_id = 501"
    )
    assert state is not None and state["status"] == "in_person"


async def test_one_reminder_before_the_window_closes(harness: Harness, clock: FakeClock) -> None:
    team = await crew(harness, 2)
    await team.leader.press("Pre-shift study")
    await team.leader.tap("Start now")
    await harness.quiet()
    await take(team.workers[0])
    clock.advance(timedelta(minutes=19))
    await harness.tick()
    assert "closes at" not in (team.workers[1].last_message.text or "")
    clock.advance(timedelta(minutes=2))
    await harness.tick()
    await harness.tick()
    reminders = [
        m for m in team.workers[1].bot_messages() if "⏰ Your pre-shift study" in (m.text or "")
    ]
    assert len(reminders) == 1
    assert not [m for m in team.workers[0].bot_messages() if "⏰" in (m.text or "")]


async def test_the_mood_is_counted_without_the_worker(harness: Harness) -> None:
    team = await crew(harness, 5)
    await team.leader.press("Pre-shift study")
    await team.leader.tap("Start now")
    await harness.quiet()
    worker = team.workers[0]
    await take(worker)
    await worker.tap("😀", session_message(worker))
    session = await open_session(harness, team.team)
    again = harness.services.signer.pack(worker.id, routes.MOOD, session.id, 1)
    await worker.send("/help")  # later, not a double tap
    reply = await worker.tap_data(again, worker.last_message)
    assert "You have already said how you feel today" in (reply.alert or "")
    counts = await harness.services.db.fetch_all("SELECT * FROM mood_counts")
    assert [tuple(r) for r in counts] == [(str(counts[0]["day"]), "team", team.team.id, 5, 1)]
    columns = [r[1] for r in await harness.services.db.fetch_all("PRAGMA table_info(mood_counts)")]
    assert columns == ["day", "unit_kind", "unit_id", "mood", "taps"]


async def test_a_small_teams_mood_counts_in_a_bigger_unit(harness: Harness) -> None:
    team = await crew(harness, 2)  # three people: fewer than k = 5
    await team.leader.press("Pre-shift study")
    await team.leader.tap("Start now")
    await harness.quiet()
    worker = team.workers[0]
    await take(worker)
    await worker.tap("🙁", session_message(worker))
    (row,) = await harness.services.db.fetch_all("SELECT unit_kind, unit_id FROM mood_counts")
    assert (row["unit_kind"], row["unit_id"]) == ("plant", 0)


async def test_session_messages_and_reminders_go_through_the_outbox(harness: Harness) -> None:
    """The one bulk sender: each worker's message and reminder is an outbox row first."""
    team = await crew(harness, 3)
    await team.leader.press("Pre-shift study")
    await team.leader.tap("Start now")
    status = team.leader.last_message
    await harness.quiet()
    await team.leader.tap("Remind the rest", status)
    await harness.quiet()
    found = await harness.services.db.fetch_all(
        "SELECT op, state, COUNT(*) AS n FROM outbox WHERE kind = 'preshift' GROUP BY op, state"
    )
    assert {(r["op"], r["state"]): r["n"] for r in found} == {
        ("send", "done"): 4,  # the three workers and the team leader
        ("remind", "done"): 4,
    }
    for worker in team.workers:
        assert "⏰ Your pre-shift study (Module basic-a) closes at" in (
            worker.last_message.text or ""
        )
