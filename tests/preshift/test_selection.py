"""Which lesson and which questions: topics rotate, basics first, wrong answers come back."""

from __future__ import annotations

from datetime import timedelta

from bot.clock import FakeClock
from bot.db.study import Attendance
from bot.preshift.service import Preshift
from bot.sim.harness import Harness
from tests.preshift.helpers import crew, open_session, session_message, take


async def mine(harness: Harness, team_id: int, telegram_id: int) -> Attendance:
    preshift = harness.services.get(Preshift)
    session = await preshift.study.open_for(team_id)
    assert session is not None
    member = await harness.services.members.by_telegram_id(telegram_id)
    assert member is not None
    entry = await preshift.study.attendance(session.id, member.id)
    assert entry is not None
    return entry


async def test_basics_first_then_topics_rotate_and_no_question_twice(
    harness: Harness, clock: FakeClock
) -> None:
    team = await crew(harness, 1)
    worker = team.workers[0]
    bank = harness.services.get(Preshift).bank
    theirs, teams = [], []
    for _day in range(4):
        await team.leader.press("Pre-shift study")
        await team.leader.tap("Start now")
        await harness.quiet()
        entry = await mine(harness, team.team.id, worker.id)
        questions = [q for q, _order in entry.picked.questions]
        assert len(questions) == len(set(questions))  # no question twice in one session
        assert 3 <= len(questions) <= 5
        theirs.append(entry.picked.module_id)
        teams.append((await open_session(harness, team.team)).module_id)
        await take(worker)
        clock.advance(timedelta(days=1))
        await harness.tick()
    # A new worker starts with the basic safety module; after it, the team's lesson.
    assert theirs[0] == "basic-a" and theirs[1:] == teams[1:]
    # The team's lessons rotate through the topics: safety, rules, safety, rules.
    assert [bank.module(m).topic for m in teams] == ["safety", "rules", "safety", "rules"]  # type: ignore[union-attr]


async def test_a_wrong_answer_comes_back_on_a_later_day_until_it_is_right(
    harness: Harness, clock: FakeClock
) -> None:
    team = await crew(harness, 1)
    worker = team.workers[0]
    study = harness.services.get(Preshift).study
    member = await harness.services.members.by_telegram_id(worker.id)
    assert member is not None

    await team.leader.press("Pre-shift study")
    await team.leader.tap("Start now")
    await harness.quiet()
    first = await mine(harness, team.team.id, worker.id)
    missed = first.picked.questions[0][0]
    await worker.tap("Start", session_message(worker))
    await worker.tap("read the lesson", session_message(worker))
    wrong = next(b["text"] for b in session_message(worker).buttons if "Wrong" in b["text"])
    await worker.tap(wrong, session_message(worker))
    today = harness.services.get(Preshift).today()
    assert await study.review(member.id, missed) == (today + timedelta(days=1), 1)

    # Next day: it comes back, and is wrong again: back in two days.
    for interval, answer_right in ((2, False), (None, True)):
        clock.advance(timedelta(days=1) if interval == 2 else timedelta(days=2))
        await harness.tick()
        await team.leader.press("Pre-shift study")
        await team.leader.tap("Start now")
        await harness.quiet()
        entry = await mine(harness, team.team.id, worker.id)
        assert entry.picked.questions[0][0] == missed  # reviews come first
        await worker.tap("Start", session_message(worker))
        await worker.tap("read the lesson", session_message(worker))
        label = "Right" if answer_right else "Wrong"
        choice = next(b["text"] for b in session_message(worker).buttons if label in b["text"])
        await worker.tap(choice, session_message(worker))
        day = harness.services.get(Preshift).today()
        if interval is not None:
            assert await study.review(member.id, missed) == (
                day + timedelta(days=interval),
                interval,
            )
    assert await study.review(member.id, missed) is None  # answered right: no longer reviewed


async def test_options_are_shuffled_per_worker(harness: Harness) -> None:
    team = await crew(harness, 12)
    await team.leader.press("Pre-shift study")
    await team.leader.tap("Start now")
    await harness.quiet()
    orders = set()
    for worker in team.workers:
        entry = await mine(harness, team.team.id, worker.id)
        orders.add(tuple(tuple(order) for _q, order in entry.picked.questions))
    assert len(orders) > 1
