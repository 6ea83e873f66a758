"""Telegram's flood limits, as token buckets.

Telegram documents about 30 messages a second overall, about one a second in
one chat, and 20 a minute in one group, and answers 429 with `retry_after`
beyond that. Telegram tolerates short bursts in a private chat (a reply and a
menu arrive together), so a private chat may burst before the one-a-second rate
applies; tests that study the per-chat limit set the burst to 1.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class FloodLimits:
    overall_per_second: float = 30.0
    overall_burst: float = 30.0
    private_per_second: float = 1.0
    private_burst: float = 20.0
    group_per_minute: float = 20.0
    group_burst: float = 20.0


class _Bucket:
    def __init__(self, rate: float, capacity: float, now: float) -> None:
        self.rate = rate
        self.capacity = capacity
        self.tokens = capacity
        self.stamp = now

    def refill(self, now: float) -> None:
        self.tokens = min(self.capacity, self.tokens + (now - self.stamp) * self.rate)
        self.stamp = now

    def wait_for_one(self) -> float:
        return 0.0 if self.tokens >= 1 else (1 - self.tokens) / self.rate


class FloodControl:
    """Decides whether a message to a chat may go now, or how long to wait."""

    def __init__(
        self, limits: FloodLimits | None = None, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.limits = limits or FloodLimits()
        self._clock = clock
        now = clock()
        self._overall = _Bucket(self.limits.overall_per_second, self.limits.overall_burst, now)
        self._chats: dict[int, _Bucket] = {}

    def take(self, chat_id: int, *, is_group: bool) -> int | None:
        """Spend one message; None if allowed, else whole seconds to wait (429 retry_after)."""
        now = self._clock()
        chat = self._chats.get(chat_id)
        if chat is None:
            if is_group:
                chat = _Bucket(self.limits.group_per_minute / 60, self.limits.group_burst, now)
            else:
                chat = _Bucket(self.limits.private_per_second, self.limits.private_burst, now)
            self._chats[chat_id] = chat
        self._overall.refill(now)
        chat.refill(now)
        wait = max(self._overall.wait_for_one(), chat.wait_for_one())
        if wait > 0:
            return max(1, math.ceil(wait))
        self._overall.tokens -= 1
        chat.tokens -= 1
        return None
