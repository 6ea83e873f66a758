"""Telegram's flood limits, applied strictly.

Telegram's Bot FAQ says: no more than about 30 messages a second overall, about
one a second in one chat ("we may allow short bursts that go over this limit"),
and no more than 20 a minute in one group; beyond that the API answers 429 with
`retry_after`. The fake applies the overall and the group limits as strict
sliding windows: at most 30 sending calls in *any* one-second window and at most
20 in any 60-second window of one group. A token bucket would be kinder (after
an idle spell it lets a full bucket through and refills during the same second,
about 60 in one second), and a bot tested against a kinder fake meets 429s
only in production. A private chat keeps a token bucket, because Telegram does
let a reply and a menu arrive together: a burst, then one a second.

Time comes from an injected clock (monotonic seconds), so tests can step it.
"""

from __future__ import annotations

import math
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass

# Float noise (0.1 + 0.2 != 0.3) must neither refuse a call whose wait is over nor
# turn a wait of exactly 2 s into retry_after 3.
_EPSILON = 1e-9


@dataclass(frozen=True)
class FloodLimits:
    """The limits one fake applies; None switches a limit off.

    The private-chat burst of 20 is an assumption: Telegram does not publish it.
    """

    overall_per_second: int | None = 30
    private_per_second: float | None = 1.0
    private_burst: float = 20.0
    group_per_minute: int | None = 20

    @classmethod
    def off(cls) -> FloodLimits:
        """No flood limits at all, e.g. for benchmarking the bot alone."""
        return cls(overall_per_second=None, private_per_second=None, group_per_minute=None)


class _Window:
    """At most `limit` events in any `length`-second window (each event counts for `length` s)."""

    def __init__(self, limit: int, length: float) -> None:
        self.limit = limit
        self.length = length
        self.stamps: deque[float] = deque()

    def wait(self, now: float) -> float:
        """Seconds until one more event fits; 0 if it fits now."""
        while self.stamps and now - self.stamps[0] >= self.length - _EPSILON:
            self.stamps.popleft()
        if len(self.stamps) < self.limit:
            return 0.0
        return self.stamps[len(self.stamps) - self.limit] + self.length - now

    def spend(self, now: float) -> None:
        self.stamps.append(now)


class _Bucket:
    """Holds up to `capacity` tokens, refilled at `rate` a second; an event spends one."""

    def __init__(self, rate: float, capacity: float, now: float) -> None:
        self.rate = rate
        self.capacity = capacity
        self.tokens = capacity
        self.stamp = now

    def wait(self, now: float) -> float:
        self.tokens = min(self.capacity, self.tokens + (now - self.stamp) * self.rate)
        self.stamp = now
        return 0.0 if self.tokens >= 1 else (1 - self.tokens) / self.rate

    def spend(self, now: float) -> None:
        self.tokens -= 1


class FloodControl:
    """Decides whether a message to a chat may go now, or how long to wait."""

    def __init__(
        self, limits: FloodLimits | None = None, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.limits = limits or FloodLimits()
        self._clock = clock
        self._overall = (
            None
            if self.limits.overall_per_second is None
            else _Window(self.limits.overall_per_second, 1.0)
        )
        self._chats: dict[int, _Window | _Bucket | None] = {}

    def _chat_limit(self, chat_id: int, *, is_group: bool, now: float) -> _Window | _Bucket | None:
        if chat_id not in self._chats:
            limit: _Window | _Bucket | None = None
            if is_group and self.limits.group_per_minute is not None:
                limit = _Window(self.limits.group_per_minute, 60.0)
            elif not is_group and self.limits.private_per_second is not None:
                limit = _Bucket(self.limits.private_per_second, self.limits.private_burst, now)
            self._chats[chat_id] = limit
        return self._chats[chat_id]

    def take(self, chat_id: int, *, is_group: bool, edit: bool = False) -> int | None:
        """Spend one message; None if allowed, else whole seconds to wait (429 retry_after).

        A refused call spends nothing. `retry_after` is the wait until the call
        would be allowed, rounded up to a whole second and never below 1. An edit
        counts against its chat only: the overall figure is Telegram's guidance
        for new messages sent in bulk, and editing shares the per-chat limits
        (a Telegram developer in tdlib/td issue #3034).
        """
        now = self._clock()
        overall = None if edit else self._overall
        limits = [
            limit
            for limit in (overall, self._chat_limit(chat_id, is_group=is_group, now=now))
            if limit is not None
        ]
        wait = max((limit.wait(now) for limit in limits), default=0.0)
        if wait > _EPSILON:
            return max(1, math.ceil(wait - _EPSILON))
        for limit in limits:
            limit.spend(now)
        return None
