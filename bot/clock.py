"""Where "now" comes from, so tests can move time instead of waiting for it.

Two kinds of time: `Clock` is the calendar (what day a shift is, when an invite
expires); `Ticker` is monotonic seconds for pacing, where a test must be able to
run a hundred seconds of sending in no time and still get every decision exact.
"""

from __future__ import annotations

import asyncio
import time
from datetime import UTC, datetime, timedelta
from typing import Protocol


class Clock(Protocol):
    def now(self) -> datetime:
        """The current moment, timezone-aware, in UTC."""
        ...


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(UTC)


class ShiftedClock:
    """A clock moved on by hand: the simulator's way to skip to later today.

    It runs from the system clock, or from `base` (a test's clock, so a walk through the
    simulator falls on the same weekday and hour every time).
    """

    def __init__(self, base: Clock | None = None) -> None:
        self.offset = timedelta()
        self._base = base

    def now(self) -> datetime:
        return (datetime.now(UTC) if self._base is None else self._base.now()) + self.offset

    def shift(self, delta: timedelta) -> None:
        self.offset += delta


class FakeClock:
    """A clock that stands still until told to move."""

    def __init__(self, start: datetime | None = None) -> None:
        self._now = start or datetime(2026, 3, 2, 1, 30, tzinfo=UTC)

    def now(self) -> datetime:
        return self._now

    def advance(self, delta: timedelta) -> None:
        self._now += delta


class Ticker(Protocol):
    def now(self) -> float:
        """Monotonic seconds; only differences mean anything."""
        ...

    async def sleep(self, seconds: float) -> None:
        """Return once `seconds` have passed on this ticker."""
        ...


class RealTicker:
    def now(self) -> float:
        return time.monotonic()

    async def sleep(self, seconds: float) -> None:
        await asyncio.sleep(max(0.0, seconds))


class JumpTicker:
    """Virtual seconds that pass only when someone sleeps, and then at once.

    `sleep(d)` moves time forward by exactly `d` and yields control once, so a
    pacer driven by it never really waits, yet every time it reads is exact. Give
    the same ticker's `now` to a fake Telegram and both agree on every instant.
    Only one task should sleep on it (the pacer's dispatcher): two sleepers would
    each add their own wait, and time would run ahead of either.
    """

    def __init__(self, start: float = 0.0) -> None:
        self._now = start

    def now(self) -> float:
        return self._now

    async def sleep(self, seconds: float) -> None:
        self._now += max(0.0, seconds)
        await asyncio.sleep(0)
