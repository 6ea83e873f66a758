"""Shift schedules: sessions start by themselves, in the plant's time zone, and a missed one is told."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from datetime import UTC, datetime, time, timedelta

from bot.clock import FakeClock
from bot.config import Settings
from bot.preshift.service import Preshift
from bot.sim.harness import Harness
from tests.dialog import Press, Tap, verify_dialog
from tests.helpers import on_virtual_time
from tests.preshift.helpers import crew, session_message

EVERY_DAY = 0b1111111


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


async def test_a_scheduled_session_starts_by_itself_and_tells_the_leader(
    harness: Harness, clock: FakeClock
) -> None:
    team = await crew(harness, 2)
    study = harness.services.get(Preshift).study
    # The clock reads 09:30 in Shanghai; the shift is at 10:15, study 30 minutes before.
    await study.add_schedule(team.team.id, EVERY_DAY, time(10, 15), 30)
    await harness.tick()
    assert await study.open_for(team.team.id) is None
    clock.advance(timedelta(minutes=15))
    await harness.tick()
    session = await study.open_for(team.team.id)
    assert session is not None and session.schedule_id is not None and session.started_by is None
    assert [m for m in team.leader.bot_messages() if "0 of 3 have taken part" in (m.text or "")]
    assert "today's pre-shift study" in (session_message(team.workers[0]).text or "")
    await harness.tick()  # the same start is never run twice
    runs = await harness.services.db.fetch_all("SELECT outcome FROM schedule_runs")
    assert [r["outcome"] for r in runs] == ["started"]


async def test_a_start_missed_by_less_than_its_window_still_runs(
    harness: Harness, clock: FakeClock
) -> None:
    team = await crew(harness, 1)
    study = harness.services.get(Preshift).study
    await study.add_schedule(team.team.id, EVERY_DAY, time(10, 0), 15)  # opens 09:45
    clock.advance(timedelta(minutes=35))  # Shiftmate was down: 10:05, 20 minutes late
    await harness.tick()
    assert await study.open_for(team.team.id) is not None


async def test_a_start_missed_by_more_is_recorded_and_the_leader_told(
    settings: Settings, clock: FakeClock
) -> None:
    shared = on_virtual_time()
    async with Harness(settings, clock=clock, jobs=False, **shared) as harness:
        team = await crew(harness, 1)
        study = harness.services.get(Preshift).study
        await study.add_schedule(team.team.id, EVERY_DAY, time(10, 0), 15)  # opens 09:45
    clock.advance(timedelta(hours=2))  # down for two hours: 11:30, far past the window
    async with Harness(settings, clock=clock, jobs=False, **shared) as harness:
        await harness.tick()
        await harness.tick()
        study = harness.services.get(Preshift).study
        assert await study.open_for(team.team.id) is None
        runs = await harness.services.db.fetch_all("SELECT outcome FROM schedule_runs")
        assert [r["outcome"] for r in runs] == ["missed"]
        told = [
            m.text or "" for m in team.leader.bot_messages() if "did not start" in (m.text or "")
        ]
        assert len(told) == 1 and "Shiftmate was stopped at that time" in told[0]


async def test_the_leader_sets_the_shift_schedule_with_taps(harness: Harness) -> None:
    team = await crew(harness, 1)
    await verify_dialog(
        team.leader,
        [
            (Press("Pre-shift study"), "No shift schedule"),
            (Tap("Shift schedule"), ["🗓 Shifts of Shift A · Salt", "No shifts yet."]),
            (Tap("Add a shift"), "On which days?"),
            (Tap("Fri"), "On which days?"),  # Monday to Friday was ticked: Friday off
            (Tap("Next"), "Mon, Tue, Wed, and Thu: at what hour does the shift start?"),
            (Tap("07"), "the shift starts at"),
            (Tap("07:30"), "how long before the shift should the study open?"),
            (
                Tap("30 min"),
                [
                    "✅ Saved.",
                    "Mon, Tue, Wed, and Thu, shift at 07:30, study opens 30 minutes before",
                ],
            ),
        ],
    )
    study = harness.services.get(Preshift).study
    (saved,) = await study.schedules(team.team.id)
    assert (saved.weekdays, saved.shift_at, saved.lead_minutes) == (0b1111, time(7, 30), 30)
    await verify_dialog(team.leader, [(Tap("Remove"), ["✅ Removed.", "No shifts yet."])])
    assert await study.schedules(team.team.id) == []


async def test_start_times_follow_the_plants_clock_through_daylight_saving(
    settings: Settings, clock: FakeClock
) -> None:
    new_york = replace(settings, timezone_name="America/New_York")
    async with Harness(new_york, clock=clock, jobs=False, **on_virtual_time()) as harness:
        preshift = harness.services.get(Preshift)
        team = await crew(harness, 1)
        schedule = await preshift.study.add_schedule(team.team.id, EVERY_DAY, time(8, 0), 30)
        # Clocks go forward in New York at 2:00 on Sunday 8 March 2026.
        opens = preshift.occurrences(schedule, at("2026-03-06T00:00"), at("2026-03-10T00:00"))
        assert opens == [
            at("2026-03-06T12:30"),  # 07:30 EST
            at("2026-03-07T12:30"),
            at("2026-03-08T11:30"),  # 07:30 EDT: an hour earlier in UTC
            at("2026-03-09T11:30"),
        ]
        # A start at a time the clocks skip that day (02:30) happens once, just after the jump.
        night = await preshift.study.add_schedule(team.team.id, EVERY_DAY, time(2, 30), 0)
        (skipped,) = preshift.occurrences(night, at("2026-03-08T05:00"), at("2026-03-08T09:00"))
        assert skipped == at("2026-03-08T07:30")  # 03:30 EDT


async def test_the_job_queue_runs_it_by_itself(settings: Settings, clock: FakeClock) -> None:
    """With the bot's own JobQueue running (as in production), a due start opens without help."""
    async with Harness(settings, clock=clock, jobs=True, **on_virtual_time()) as harness:
        team = await crew(harness, 1)
        study = harness.services.get(Preshift).study
        await study.add_schedule(team.team.id, EVERY_DAY, time(10, 0), 30)  # opens 09:30: now
        async with asyncio.timeout(60):
            while await study.open_for(team.team.id) is None:  # noqa: ASYNC110 - the job is real
                await asyncio.sleep(0.05)
        await harness.quiet()


async def test_after_a_night_away_yesterdays_session_closes_and_todays_starts(
    settings: Settings, clock: FakeClock
) -> None:
    """Shiftmate was down from just after yesterday's start until just after today's."""
    shared = on_virtual_time()
    async with Harness(settings, clock=clock, jobs=False, **shared) as harness:
        team = await crew(harness, 1)
        study = harness.services.get(Preshift).study
        await study.add_schedule(team.team.id, EVERY_DAY, time(10, 0), 30)  # opens 09:30: now
        await harness.tick()
        yesterday = await study.open_for(team.team.id)
        assert yesterday is not None
    clock.advance(timedelta(days=1, minutes=5))
    async with Harness(settings, clock=clock, jobs=False, **shared) as harness:
        await harness.tick()
        study = harness.services.get(Preshift).study
        today = await study.open_for(team.team.id)
        assert today is not None and today.id != yesterday.id
        runs = await harness.services.db.fetch_all("SELECT outcome FROM schedule_runs")
        assert [r["outcome"] for r in runs] == ["started", "started"]
        summaries = [m for m in team.leader.bot_messages() if "Summary" in (m.text or "")]
        assert summaries, "yesterday's session closed with its summary"
