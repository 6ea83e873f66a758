"""Our own flood pacing: every message the bot sends keeps to Telegram's limits.

Telegram allows a bot about 30 messages a second overall, a short burst then
one a second in a private chat, and 20 a minute in a group; beyond that it
answers 429 and the bot must be quiet for `retry_after` seconds. A plant-wide
notice to 3,000 people is therefore at least 100 seconds of sending, and a
worker who taps a button in the middle of it must not wait behind it. Hence
this module instead of python-telegram-bot's `AIORateLimiter`:

* limits hold in *every* window, not on average: the overall and group limits
  are sliding windows (a token bucket of 30 lets 30 go at once and 30 more over
  the next second: 60 in one second);
* two lanes: replies to people waiting first, bulk sends second, chosen with
  PTB's `rate_limit_args`, e.g. `bot.send_message(..., rate_limit_args={"lane": "bulk"})`;
  a request held by its own chat's limit holds up nobody else;
* a 429 pauses all paced sending until a deadline that only ever moves later
  (see `Pacer._on_flood`), and the refused request keeps its place;
* calls that put nothing in a chat (`answerCallbackQuery` above all) never wait.

One dispatcher task decides who goes when and is the only thing that sleeps on
the ticker; callers wait on a future it resolves. With a `JumpTicker` the
whole schedule runs in virtual time: no real waiting, yet exact to the instant.
"""

from __future__ import annotations

import asyncio
import bisect
import contextlib
import heapq
import itertools
import logging
import math
from collections import deque
from collections.abc import Callable, Coroutine, Mapping
from dataclasses import dataclass
from datetime import timedelta
from enum import Enum, StrEnum
from typing import Any, Literal, TypedDict

from telegram.error import RetryAfter
from telegram.ext import BaseRateLimiter

from bot.clock import JumpTicker, RealTicker, Ticker

_LOGGER = logging.getLogger(__name__)

Result = bool | dict[str, Any] | list[dict[str, Any]]


class Lane(StrEnum):
    """Who is waiting for a message: a person now (reply), or nobody in particular (bulk)."""

    REPLY = "reply"
    BULK = "bulk"


# Served strictly in this order: bulk only gets a slot no eligible reply wants.
LANES = (Lane.REPLY, Lane.BULK)


class PaceArgs(TypedDict, total=False):
    """What `rate_limit_args` may carry: `{"lane": "bulk"}`; no lane means a reply."""

    lane: Lane | Literal["reply", "bulk"]


# For sends nobody is waiting for right now: `bot.send_message(…, rate_limit_args=BULK)`.
BULK: PaceArgs = {"lane": Lane.BULK}


# Everything that puts a new or changed message in a chat counts against Telegram's
# flood limits; any other call (answering a tap, reading a chat, setting commands) does not.
PACED_ENDPOINTS = frozenset(
    {
        "sendMessage",
        "sendPhoto",
        "sendDocument",
        "sendMediaGroup",
        "sendAnimation",
        "sendVideo",
        "sendVideoNote",
        "sendAudio",
        "sendVoice",
        "sendSticker",
        "sendLocation",
        "sendVenue",
        "sendContact",
        "sendPoll",
        "sendDice",
        "copyMessage",
        "copyMessages",
        "forwardMessage",
        "forwardMessages",
        "editMessageText",
        "editMessageCaption",
        "editMessageReplyMarkup",
        "editMessageMedia",
        "pinChatMessage",
    }
)


# Edits: when they answer a person's tap, only their chat's limit applies (see PaceLimits).
EDITS = frozenset(
    {"editMessageText", "editMessageCaption", "editMessageReplyMarkup", "editMessageMedia"}
)


@dataclass(frozen=True)
class PaceLimits:
    """Telegram's flood limits, as the pacer keeps them.

    Overall and per group: at most `*_max` sends in any `*_window` seconds.
    Per private chat: a burst of `private_burst`, then `private_per_second`.

    Editing a message in answer to a person's tap counts against that chat's limit
    only, not the overall one: Telegram's ~30 a second is its guidance for bulk
    notifications, and its developers say there is no global limit on a bot's
    messages, while editing and sending share the per-chat limits (tdlib/td
    issue #3034). A whole plant answering a quiz is thousands of edits a minute,
    each in its own chat. `reply_edits_count_overall=True` counts them anyway.
    """

    overall_max: int = 30
    overall_window: float = 1.0
    private_burst: int = 3
    private_per_second: float = 1.0
    group_max: int = 20
    group_window: float = 60.0
    reply_edits_count_overall: bool = False

    def __post_init__(self) -> None:
        for name in ("overall_max", "private_burst", "group_max"):
            if getattr(self, name) < 1:
                raise ValueError(f"PaceLimits.{name} must be at least 1")
        for name in ("overall_window", "private_per_second", "group_window"):
            value = getattr(self, name)
            if not (value > 0 and math.isfinite(value)):
                raise ValueError(f"PaceLimits.{name} must be a positive number")


class PacerClosed(RuntimeError):
    """The pacer was shut down before this request could be sent."""


class _Window:
    """At most `limit` sends in any `span` seconds, wherever Telegram sees them arrive.

    A request reaches Telegram some time after it is granted, and the delay varies
    (a busy event loop, a slow network): stamped at their grants, thirty requests
    a second apart can still arrive within one second. So a send occupies its slot
    from its grant until `span` after its answer came back: Telegram saw it
    somewhere in between, and any `span` window at Telegram then holds at most
    `limit` of them. The price is the round trip (a 50 ms trip costs 5% of a
    one-second window); under a virtual clock calls take no time and it is free.
    """

    __slots__ = ("limit", "span", "times", "out")

    def __init__(self, limit: int, span: float) -> None:
        self.limit = limit
        self.span = span
        self.times: list[float] = []  # when answered sends came back, sorted
        self.out = 0  # granted, not answered yet

    def ready_at(self, weight: int, now: float) -> float:
        times = self.times
        # The same expression, `t + span`, decides both "expired" and "free again at",
        # so a dispatcher that sleeps until that instant finds the slot free.
        expired = bisect.bisect_right(times, now - self.span)
        while expired and times[expired - 1] + self.span > now:
            expired -= 1
        del times[:expired]
        # A send heavier than the whole window waits for it to empty, then overfills it.
        excess = self.out + len(times) + min(weight, self.limit) - self.limit
        if excess <= 0:
            return now
        if excess > len(times):
            return math.inf  # free once a send still out is answered
        return times[excess - 1] + self.span

    def take(self, weight: int, now: float) -> None:
        self.out += weight

    def done(self, weight: int, now: float) -> None:
        self.out -= weight
        for _ in range(weight):
            bisect.insort(self.times, now)

    def at_rest(self, now: float) -> bool:
        return not self.out and (not self.times or self.times[-1] + self.span <= now)


class _Bucket:
    """A burst, then a steady rate: a token bucket, kept as its theoretical arrival time.

    Keeping one instant (when the bucket would be full again) instead of a float
    count of tokens means every decision is a comparison of instants, which stays
    exact under a virtual clock instead of drifting by rounding.
    """

    __slots__ = ("burst", "interval", "full_at")

    def __init__(self, burst: int, per_second: float) -> None:
        self.burst = burst
        self.interval = 1.0 / per_second
        self.full_at = -math.inf

    def ready_at(self, weight: int, now: float) -> float:
        # An album larger than the burst waits for a full bucket, then runs into debt.
        return self.full_at - (self.burst - min(weight, self.burst)) * self.interval

    def take(self, weight: int, now: float) -> None:
        self.full_at = max(self.full_at, now) + weight * self.interval

    def done(self, weight: int, now: float) -> None:
        """A private chat's burst of 3 is far inside Telegram's, so grant instants suffice."""

    def at_rest(self, now: float) -> bool:
        return self.full_at <= now


class _Unlimited:
    """Edits of inline messages name no chat: only the overall limit applies."""

    __slots__ = ()

    def ready_at(self, weight: int, now: float) -> float:
        return -math.inf

    def take(self, weight: int, now: float) -> None:
        pass

    def done(self, weight: int, now: float) -> None:
        pass

    def at_rest(self, now: float) -> bool:
        return True


_Limiter = _Window | _Bucket | _Unlimited
ChatKey = int | str | None


class _State(Enum):
    QUEUED = "queued"
    GRANTED = "granted"
    CLOSED = "closed"


class _Entry:
    """One paced request, queued in its chat's queue of its lane."""

    __slots__ = ("seq", "lane", "weight", "chat", "future", "state", "overall")

    def __init__(self, seq: int, lane: int, weight: int, chat: _Chat, overall: bool) -> None:
        self.seq = seq  # arrival order; kept on retry, so a retried request keeps its place
        self.lane = lane  # its index in LANES, as everything inside the pacer counts lanes
        self.weight = weight
        self.chat = chat
        self.overall = overall  # counts against the overall limit (see PaceLimits)
        # Replaced for each attempt; resolved by the dispatcher with the grant instant.
        self.future: asyncio.Future[float | None] = asyncio.get_running_loop().create_future()
        self.state = _State.QUEUED


class _Chat:
    """A chat's limiter and, per lane, its queue and its mark in that lane's heaps."""

    __slots__ = ("key", "limiter", "queues", "marks")

    def __init__(self, key: ChatKey, limiter: _Limiter) -> None:
        self.key = key
        self.limiter = limiter
        self.queues: tuple[deque[_Entry], deque[_Entry]] = (deque(), deque())
        # The one heap entry per lane that is current; older ones are skipped when popped.
        self.marks = [0, 0]


class _LaneHeaps:
    """Chats with something queued in a lane: those their limit lets go now, by age
    of their oldest request, and those waiting on their limit, by when it frees.

    A grant looks at the top of each heap only, so a notice to 30,000 chats costs a
    logarithm per send, never a scan of the queue.
    """

    __slots__ = ("ready", "waiting")

    def __init__(self) -> None:
        self.ready: list[tuple[int, int, _Chat]] = []  # (head seq, mark, chat)
        self.waiting: list[tuple[float, int, _Chat]] = []  # (ready at, mark, chat)


def retry_after_seconds(value: timedelta | float) -> float:
    """`RetryAfter.retry_after` is a timedelta with PTB_TIMEDELTA set, else int seconds."""
    return value.total_seconds() if isinstance(value, timedelta) else float(value)


def _chat_key(chat_id: object) -> ChatKey:
    if isinstance(chat_id, bool) or chat_id is None:
        return None
    if isinstance(chat_id, int):
        return chat_id
    if isinstance(chat_id, str):
        # A numeric id passed as a string is the same chat as the integer.
        with contextlib.suppress(ValueError):
            return int(chat_id)
        return chat_id
    return None


def _weight(endpoint: str, data: Mapping[str, Any]) -> int:
    """Telegram counts an album as one message per item, and so do we."""
    if endpoint == "sendMediaGroup":
        media = data.get("media")
        return max(1, len(media)) if isinstance(media, list | tuple) else 1
    if endpoint in ("copyMessages", "forwardMessages"):
        ids = data.get("message_ids")
        return max(1, len(ids)) if isinstance(ids, list | tuple) else 1
    return 1


def _lane(rate_limit_args: Mapping[str, Any] | None) -> Lane:
    if not rate_limit_args:
        return Lane.REPLY
    unknown = set(rate_limit_args) - {"lane"}
    if unknown:
        raise ValueError(f"unknown rate_limit_args {sorted(unknown)}; only 'lane' is understood")
    value = rate_limit_args.get("lane", Lane.REPLY)
    try:
        return Lane(value)
    except ValueError:
        raise ValueError(f"unknown lane {value!r}; use one of {[str(x) for x in LANES]}") from None


class Pacer(BaseRateLimiter[PaceArgs]):
    """Paces the bot's sends to Telegram's limits; replies before bulk; waits out 429s.

    `limits`: the flood limits to keep (`PaceLimits()` is Telegram's).
    `ticker`: where time comes from (`RealTicker()` unless a test gives a `JumpTicker`).
    `max_retries`: how often one request is retried after a 429 before the error is raised.
    `lockstep`: virtual time does not move on while a granted call is still out, so a
    fake Telegram reading the same ticker sees each call at its grant instant. On by
    default for a `JumpTicker` only: in real time a slow upload must not hold others up.
    """

    __slots__ = (
        "_chats",
        "_closed",
        "_counter",
        "_flood_waits",
        "_in_flight",
        "_lanes",
        "_limits",
        "_lockstep",
        "_max_retries",
        "_overall",
        "_paced",
        "_paused_until",
        "_queued",
        "_settled",
        "_sweep_due",
        "_task",
        "_ticker",
        "_wakeup",
    )

    def __init__(
        self,
        limits: PaceLimits | None = None,
        *,
        ticker: Ticker | None = None,
        max_retries: int = 8,
        lockstep: bool | None = None,
    ) -> None:
        if max_retries < 0:
            raise ValueError("max_retries must not be negative")
        self._limits = limits or PaceLimits()
        self._ticker: Ticker = ticker or RealTicker()
        self._max_retries = max_retries
        self._lockstep = isinstance(self._ticker, JumpTicker) if lockstep is None else lockstep
        self._overall = _Window(self._limits.overall_max, self._limits.overall_window)
        self._chats: dict[ChatKey, _Chat] = {}
        self._lanes = [_LaneHeaps() for _ in LANES]
        self._queued = [0 for _ in LANES]
        self._counter = itertools.count(1)
        self._paused_until = -math.inf
        self._in_flight = 0
        self._settled = asyncio.Event()
        self._settled.set()
        self._wakeup: asyncio.Future[None] | None = None
        self._task: asyncio.Task[None] | None = None
        self._closed = False
        self._paced = 0
        self._flood_waits = 0
        self._sweep_due = 1024

    # ---- what benchmarks and tests read ----

    @property
    def paced(self) -> int:
        """Paced calls granted so far (a retry after a 429 is a call of its own)."""
        return self._paced

    @property
    def flood_waits(self) -> int:
        """429s Telegram answered."""
        return self._flood_waits

    def queued(self, lane: Lane | None = None) -> int:
        """Requests waiting for a slot now, in one lane or in both."""
        return self._queued[LANES.index(lane)] if lane is not None else sum(self._queued)

    # ---- BaseRateLimiter ----

    async def initialize(self) -> None:
        """Accept requests again after a shutdown; the dispatcher starts with the first one."""
        self._closed = False

    async def shutdown(self) -> None:
        """Stop the dispatcher; every request still queued fails with `PacerClosed`."""
        self._closed = True
        task = self._task
        if task is not None:
            task.cancel()
            try:
                await task
            except asyncio.CancelledError:
                current = asyncio.current_task()
                if current is not None and current.cancelling():
                    raise
        self._task = None
        # A fresh event, not bound to this loop: the bot may be started again in another.
        self._settled = asyncio.Event()
        if self._in_flight == 0:
            self._settled.set()
        for chat in self._chats.values():
            for queue in chat.queues:
                for entry in queue:
                    self._close(entry)
                queue.clear()
        self._chats.clear()
        self._lanes = [_LaneHeaps() for _ in LANES]
        self._queued = [0 for _ in LANES]

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, Result]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: PaceArgs | None,
    ) -> Result:
        if endpoint not in PACED_ENDPOINTS:
            return await callback(*args, **kwargs)
        lane = LANES.index(_lane(rate_limit_args))
        if self._closed:
            raise PacerClosed("the pacer is shut down")
        overall = (
            self._limits.reply_edits_count_overall
            or lane != LANES.index(Lane.REPLY)
            or endpoint not in EDITS
        )
        entry = _Entry(
            next(self._counter), lane, _weight(endpoint, data), self._chat(data), overall
        )
        attempt = 0
        while True:
            await self._wait_for_grant(entry, retry=attempt > 0)
            try:
                return await callback(*args, **kwargs)
            except RetryAfter as exc:
                self._on_flood(exc)
                if attempt >= self._max_retries:
                    _LOGGER.warning(
                        "Telegram refused %s for flooding %d times; giving up",
                        endpoint,
                        attempt + 1,
                    )
                    raise
                _LOGGER.info("Telegram asked to wait %s before %s; retrying", exc, endpoint)
                attempt += 1
            finally:
                self._release(entry)

    # ---- the caller's side ----

    def _chat(self, data: Mapping[str, Any]) -> _Chat:
        key = _chat_key(data.get("chat_id"))
        chat = self._chats.get(key)
        if chat is None:
            limiter: _Limiter
            if key is None:
                limiter = _Unlimited()
            elif isinstance(key, str) or key < 0:
                # Groups, supergroups and channels (an @username is always one of those).
                limiter = _Window(self._limits.group_max, self._limits.group_window)
            else:
                limiter = _Bucket(self._limits.private_burst, self._limits.private_per_second)
            chat = self._chats[key] = _Chat(key, limiter)
        return chat

    async def _wait_for_grant(self, entry: _Entry, *, retry: bool) -> None:
        if self._closed:
            raise PacerClosed("the pacer is shut down")
        # A chat forgotten by a sweep while this request was out is looked up afresh.
        if self._chats.get(entry.chat.key) is not entry.chat:
            entry.chat = self._chat({"chat_id": entry.chat.key})
        if retry:
            entry.future = asyncio.get_running_loop().create_future()
        future = entry.future
        entry.state = _State.QUEUED
        self._enqueue(entry, front=retry)
        future.add_done_callback(lambda _: self._forget(entry))
        if self._task is None:
            self._task = asyncio.get_running_loop().create_task(
                self._dispatch(), name="shiftmate-pacer"
            )
        try:
            granted = await future
        except BaseException:
            # Cancelled after its slot was granted: the slot is spent, the call never made.
            if entry.state is _State.GRANTED:
                self._release(entry)
            raise
        if granted is None:
            raise PacerClosed("the pacer was shut down before this request was sent")

    def _on_flood(self, exc: RetryAfter) -> None:
        # Unlike AIORateLimiter (python-telegram-bot#5338), where any request finishing set
        # the shared "go" event and released a pause it never made, a pause here is only a
        # deadline that moves later, never earlier: nothing can release it but time.
        self._flood_waits += 1
        until = self._ticker.now() + retry_after_seconds(exc.retry_after)
        self._paused_until = max(self._paused_until, until)
        self._wake()

    def _release(self, entry: _Entry) -> None:
        """A granted call is over (answered, refused or abandoned): its slots count from now."""
        now = self._ticker.now()
        if entry.overall:
            self._overall.done(entry.weight, now)
        chat = entry.chat
        chat.limiter.done(entry.weight, now)
        if isinstance(chat.limiter, _Window) and self._chats.get(chat.key) is chat:
            # A group waiting for this answer to know when its window frees: place it anew.
            for lane, queue in enumerate(chat.queues):
                if queue:
                    self._place(chat, lane, now)
        self._in_flight -= 1
        if self._in_flight == 0:
            self._settled.set()
        self._wake()

    def _live(self, entry: _Entry) -> bool:
        """Still waiting for a slot? (A cancelled future's callbacks run only later.)"""
        if entry.state is _State.QUEUED and entry.future.done():
            self._forget(entry)
        return entry.state is _State.QUEUED

    def _forget(self, entry: _Entry) -> None:
        """A queued request whose caller went away no longer counts as queued."""
        if entry.state is _State.QUEUED:
            entry.state = _State.CLOSED
            self._queued[entry.lane] -= 1

    def _close(self, entry: _Entry) -> None:
        future = entry.future
        if not future.done():
            self._forget(entry)
            # A result, not an exception: a caller cancelled at the same moment then
            # leaves nothing behind to be reported as never retrieved.
            future.set_result(None)

    # ---- the queues ----

    def _enqueue(self, entry: _Entry, *, front: bool) -> None:
        queue = entry.chat.queues[entry.lane]
        if front:
            queue.appendleft(entry)
        else:
            queue.append(entry)
        self._queued[entry.lane] += 1
        if queue[0] is entry:
            self._place(entry.chat, entry.lane, self._ticker.now())
        self._wake()

    def _place(self, chat: _Chat, lane: int, now: float) -> None:
        """Put the chat in the lane's heap that fits its oldest live request."""
        queue = chat.queues[lane]
        while queue and not self._live(queue[0]):
            queue.popleft()
        mark = chat.marks[lane] = next(self._counter)
        if not queue:
            return
        heaps = self._lanes[lane]
        head = queue[0]
        at = chat.limiter.ready_at(head.weight, now)
        if at <= now:
            heapq.heappush(heaps.ready, (head.seq, mark, chat))
        else:
            heapq.heappush(heaps.waiting, (at, mark, chat))

    def _pick(self, now: float) -> tuple[int, _Chat] | None:
        """The oldest request its chat lets go now, replies first."""
        for lane, heaps in enumerate(self._lanes):
            while heaps.waiting and heaps.waiting[0][0] <= now:
                _, mark, chat = heapq.heappop(heaps.waiting)
                if chat.marks[lane] == mark:
                    self._place(chat, lane, now)
            while heaps.ready:
                _, mark, chat = heaps.ready[0]
                if chat.marks[lane] != mark:
                    heapq.heappop(heaps.ready)
                    continue
                head = chat.queues[lane][0]
                # The other lane may have spent this chat's limit since it was placed,
                # or the caller may have gone: place it again from scratch.
                if not self._live(head) or chat.limiter.ready_at(head.weight, now) > now:
                    heapq.heappop(heaps.ready)
                    self._place(chat, lane, now)
                    continue
                return lane, chat
        return None

    def _next_free(self) -> float | None:
        """When the earliest chat waiting on its own limit frees up."""
        soonest: float | None = None
        for lane, heaps in enumerate(self._lanes):
            waiting = heaps.waiting
            while waiting and waiting[0][2].marks[lane] != waiting[0][1]:
                heapq.heappop(waiting)
            if waiting and (soonest is None or waiting[0][0] < soonest):
                soonest = waiting[0][0]
        return soonest

    def _grant(self, lane: int, chat: _Chat, now: float) -> None:
        entry = chat.queues[lane].popleft()
        chat.limiter.take(entry.weight, now)
        if entry.overall:
            self._overall.take(entry.weight, now)
        self._place(chat, lane, now)
        self._queued[lane] -= 1
        entry.state = _State.GRANTED
        self._in_flight += 1
        self._settled.clear()
        self._paced += 1
        entry.future.set_result(now)  # the grant instant is the send time
        self._sweep_due -= 1
        if self._sweep_due <= 0:
            self._sweep(now)

    def _sweep(self, now: float) -> None:
        """Forget chats with nothing queued whose limits are back at rest.

        Once per as many grants as there are chats, so it costs O(1) a grant and a
        plant of 30,000 people does not keep 30,000 limiters forever.
        """
        idle = [
            key
            for key, chat in self._chats.items()
            if not any(chat.queues) and chat.limiter.at_rest(now)
        ]
        for key in idle:
            del self._chats[key]
        self._sweep_due = max(1024, len(self._chats))

    # ---- the dispatcher ----

    def _wake(self) -> None:
        if self._wakeup is not None and not self._wakeup.done():
            self._wakeup.set_result(None)

    async def _dispatch(self) -> None:
        """Grant slots in order until nothing is queued; the only task that sleeps."""
        try:
            while self.queued():
                now = self._ticker.now()
                wake_at: float | None
                if now < self._paused_until:
                    wake_at = self._paused_until
                else:
                    picked = self._pick(now)
                    if not self.queued():
                        break  # what was left had been cancelled
                    if picked is None:
                        wake_at = self._next_free()
                    else:
                        lane, chat = picked
                        # Strict priority: if the chosen request must wait for the overall
                        # window, nobody behind it takes the slot meanwhile.
                        head = chat.queues[lane][0]
                        wake_at = self._overall.ready_at(head.weight, now) if head.overall else now
                        if wake_at <= now:
                            self._grant(lane, chat, now)
                            continue
                if self._lockstep and self._in_flight:
                    await self._settled.wait()
                    continue
                await self._sleep_until(wake_at, now)
        except Exception:
            _LOGGER.exception("The pacer's dispatcher failed; failing what was queued")
            for chat in self._chats.values():
                for queue in chat.queues:
                    for entry in queue:
                        self._close(entry)
        finally:
            if self._task is asyncio.current_task():
                self._task = None

    async def _sleep_until(self, wake_at: float | None, now: float) -> None:
        """Sleep on the ticker until `wake_at`, or until a request, an answer or a 429 arrives."""
        wakeup: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._wakeup = wakeup
        sleeper: asyncio.Task[None] | None = None
        try:
            if wake_at is None or math.isinf(wake_at):
                await wakeup
            else:
                sleeper = asyncio.create_task(self._ticker.sleep(wake_at - now))
                await asyncio.wait((sleeper, wakeup), return_when=asyncio.FIRST_COMPLETED)
        finally:
            self._wakeup = None
            if sleeper is not None and not sleeper.done():
                sleeper.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await sleeper
