"""The pacer: Telegram's limits in every window, replies before bulk, 429s waited out.

Nothing here sleeps for real. Most tests run the pacer on a `JumpTicker`, so a
hundred seconds of sending take no time and every send time is exact; tests
about what happens *during* a wait step a `ManualTicker` by hand instead. The
fake Telegram behind the pacer records each call at the ticker's time and can
hold a call, refuse it with a 429, or fail it.
"""

from __future__ import annotations

import asyncio
import gc
import json
import logging
from collections import Counter, defaultdict
from collections.abc import AsyncIterator, Iterable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest
from telegram.error import BadRequest, RetryAfter
from telegram.ext import ExtBot
from telegram.request import BaseRequest, RequestData

from bot.clock import JumpTicker, Ticker
from bot.fake_telegram.flood import FloodControl, FloodLimits
from bot.pacing import Lane, PaceArgs, PaceLimits, Pacer, PacerClosed, retry_after_seconds


@dataclass(frozen=True)
class Call:
    at: float
    endpoint: str
    chat: int | str | None
    tag: str


class FakeApi:
    """Telegram behind the pacer: the `callback` that process_request calls."""

    def __init__(self, ticker: Ticker, *, flood: FloodControl | None = None, hops: int = 0) -> None:
        self.ticker = ticker
        # How many turns of the event loop a call takes to reach Telegram, as over HTTP.
        self.hops = hops
        self.calls: list[Call] = []
        # Per chat: retry_after seconds to refuse its next calls with, one per call.
        self.floods: dict[int, list[float]] = defaultdict(list)
        self.failures: dict[int, Exception] = {}
        self.holds: dict[int, asyncio.Event] = {}
        # Telegram's own flood limits as the fake applies them, on the same ticker.
        self.flood = flood

    async def __call__(self, endpoint: str, data: dict[str, Any]) -> dict[str, Any]:
        for _ in range(self.hops):
            await asyncio.sleep(0)
        chat = data.get("chat_id")
        self.calls.append(Call(self.ticker.now(), endpoint, chat, str(data.get("text", ""))))
        if isinstance(chat, int):
            if chat in self.holds:
                await self.holds[chat].wait()
            if self.floods[chat]:
                raise RetryAfter(timedelta(seconds=self.floods[chat].pop(0)))
            if chat in self.failures:
                raise self.failures[chat]
            if self.flood is not None and endpoint != "answerCallbackQuery":
                wait = self.flood.take(chat, is_group=chat < 0, edit=endpoint.startswith("edit"))
                if wait is not None:
                    raise RetryAfter(timedelta(seconds=wait))
        return {"ok": True}

    def sent(self, endpoint: str = "sendMessage") -> list[Call]:
        return [call for call in self.calls if call.endpoint == endpoint]

    def times(self, chat: int | None = None) -> list[float]:
        return [c.at for c in self.sent() if chat is None or c.chat == chat]


class ManualTicker:
    """Time that moves only when the test says so; sleepers wake when it passes them."""

    def __init__(self) -> None:
        self._now = 0.0
        self._sleepers: list[tuple[float, asyncio.Future[None]]] = []

    def now(self) -> float:
        return self._now

    async def sleep(self, seconds: float) -> None:
        future: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._sleepers.append((self._now + seconds, future))
        await future

    async def advance_to(self, instant: float) -> None:
        self._now = instant
        for at, future in self._sleepers:
            if at <= instant and not future.done():
                future.set_result(None)
        self._sleepers = [(at, f) for at, f in self._sleepers if not f.done()]
        await settle()


async def settle() -> None:
    """Let every task run until it waits on something only the test can give."""
    for _ in range(100):
        await asyncio.sleep(0)


async def send(
    pacer: Pacer,
    api: FakeApi,
    chat: int | str | None,
    *,
    lane: Lane | None = None,
    endpoint: str = "sendMessage",
    tag: str = "",
    media: int = 0,
) -> Any:
    data: dict[str, Any] = {"chat_id": chat, "text": tag}
    if media:
        data["media"] = [f"photo {n}" for n in range(media)]
    args: PaceArgs | None = {"lane": lane} if lane is not None else None
    return await pacer.process_request(
        callback=api,
        args=(endpoint, data),
        kwargs={},
        endpoint=endpoint,
        data=data,
        rate_limit_args=args,
    )


@asynccontextmanager
async def running(pacer: Pacer) -> AsyncIterator[Pacer]:
    await pacer.initialize()
    try:
        yield pacer
    finally:
        await pacer.shutdown()


def most_in_any_window(times: Iterable[float], span: float) -> int:
    """The most sends that fall in one window (t - span, t], over every t."""
    ordered = sorted(times)
    most = first = 0
    for last, at in enumerate(ordered):
        # The pacer's own definition: a send at s has left the window at t once s + span <= t.
        while ordered[first] + span <= at:
            first += 1
        most = max(most, last - first + 1)
    return most


def spawn(coroutines: Iterable[Any]) -> list[asyncio.Task[Any]]:
    return [asyncio.create_task(c) for c in coroutines]


async def finished(*tasks: asyncio.Task[Any]) -> list[Any]:
    """Their results, failing at once instead of hanging if one still waits for a slot."""
    assert all(task.done() for task in tasks), "still waiting"
    return list(await asyncio.gather(*tasks))


# ---- Telegram's limits, in every window ----


async def test_a_large_mixed_load_never_puts_more_than_30_in_any_second() -> None:
    ticker = JumpTicker()
    # The fake Telegram's own limits on the same ticker are a second, independent judge.
    api = FakeApi(ticker, flood=FloodControl(FloodLimits(), clock=ticker.now))
    replies = [(chat, n) for n in range(3) for chat in range(1, 301)]
    groups = [-(1000 + g) for g in range(10)]
    async with running(Pacer(ticker=ticker)) as pacer:
        await asyncio.gather(
            *(send(pacer, api, chat, tag=f"reply {chat}/{n}") for chat, n in replies),
            *(send(pacer, api, 5000 + n, lane=Lane.BULK, tag="bulk") for n in range(1000)),
            *(send(pacer, api, g, lane=Lane.BULK, tag="group") for g in groups for _ in range(25)),
        )
        assert pacer.flood_waits == 0
        assert pacer.paced == 900 + 1000 + 250
        assert pacer.queued() == 0
    sent = api.sent()
    assert len(sent) == 2150
    assert most_in_any_window(api.times(), 1.0) == 30
    for group in groups:
        assert most_in_any_window(api.times(group), 60.0) == 20
    # Every reply was eligible at once (three each, within the burst), so all went before bulk.
    reply_times = [c.at for c in sent if c.tag.startswith("reply")]
    assert max(reply_times) < min(c.at for c in sent if c.tag in ("bulk", "group"))
    # 900 replies at 30 a second: the last goes in the 30th second.
    assert max(reply_times) == 29.0
    assert [c.tag for c in sent[:3]] == ["reply 1/0", "reply 2/0", "reply 3/0"]


async def test_requests_that_reach_telegram_late_still_keep_to_30_in_any_second() -> None:
    """A slot counts from its grant until a window after its answer, wherever Telegram saw it.

    The first thirty are held on the way (a busy loop, a slow network) and reach
    Telegram at 0.9 s. Counted from their grants, thirty more would go at 1.0 s:
    sixty inside Telegram's second from 0.9 to 1.9. Counted from their answers,
    the next go at 1.9 s.
    """
    ticker = ManualTicker()
    arrivals: list[float] = []
    road = asyncio.Event()

    async def slow_road(endpoint: str, data: dict[str, Any]) -> dict[str, Any]:
        if int(data["chat_id"]) <= 30:
            await road.wait()
        arrivals.append(ticker.now())
        return {"ok": True}

    async def through(chat: int) -> Any:
        data = {"chat_id": chat, "text": "hi"}
        return await pacer.process_request(
            slow_road, ("sendMessage", data), {}, "sendMessage", data, None
        )

    async with running(Pacer(ticker=ticker, lockstep=False)) as pacer:
        tasks = spawn(through(chat) for chat in range(1, 61))
        await settle()
        await ticker.advance_to(0.9)
        road.set()
        await settle()
        await ticker.advance_to(1.0)
        assert len(arrivals) == 30  # the window is still full of what arrived at 0.9
        await ticker.advance_to(1.9)
        await finished(*tasks)
    assert arrivals == [0.9] * 30 + [1.9] * 30
    assert most_in_any_window(arrivals, 1.0) == 30


async def test_a_private_chat_gets_a_burst_of_three_then_one_a_second() -> None:
    ticker = JumpTicker()
    api = FakeApi(ticker)
    async with running(Pacer(ticker=ticker)) as pacer:
        await asyncio.gather(*(send(pacer, api, 7, tag=str(n)) for n in range(8)))
    assert api.times(7) == [0.0, 0.0, 0.0, 1.0, 2.0, 3.0, 4.0, 5.0]
    assert [c.tag for c in api.sent()] == [str(n) for n in range(8)]


async def test_a_quiet_private_chat_earns_its_burst_back() -> None:
    ticker = JumpTicker()
    api = FakeApi(ticker)
    async with running(Pacer(ticker=ticker)) as pacer:
        await asyncio.gather(*(send(pacer, api, 7) for _ in range(4)))
        await ticker.sleep(10)
        await asyncio.gather(*(send(pacer, api, 7) for _ in range(4)))
    assert api.times(7) == [0.0, 0.0, 0.0, 1.0, 11.0, 11.0, 11.0, 12.0]


async def test_a_group_gets_at_most_20_in_any_minute() -> None:
    ticker = JumpTicker()
    api = FakeApi(ticker)
    async with running(Pacer(ticker=ticker)) as pacer:
        await asyncio.gather(*(send(pacer, api, -100123) for _ in range(45)))
        # A channel named by @username is paced as a group too.
        await asyncio.gather(*(send(pacer, api, "@plant_news") for _ in range(21)))
    assert Counter(api.times(-100123)) == {0.0: 20, 60.0: 20, 120.0: 5}
    assert most_in_any_window(api.times(-100123), 60.0) == 20
    channel = [c.at for c in api.sent() if c.chat == "@plant_news"]
    assert channel[:20] == [channel[0]] * 20
    assert channel[20] == channel[0] + 60.0


async def test_edits_answering_taps_are_held_only_by_their_chat() -> None:
    """A plant answering a quiz: thousands of edits, each in its own chat, none waits for the rest.

    Bulk edits (a status message brought up to date) still count overall.
    """
    ticker = JumpTicker()
    api = FakeApi(ticker, flood=FloodControl(FloodLimits(), clock=ticker.now))
    async with running(Pacer(ticker=ticker)) as pacer:
        await asyncio.gather(
            *(send(pacer, api, chat, endpoint="editMessageText") for chat in range(1, 101)),
            *(send(pacer, api, chat, tag="new") for chat in range(101, 141)),
        )
        assert pacer.flood_waits == 0
    edits = [c.at for c in api.calls if c.endpoint == "editMessageText"]
    assert edits == [0.0] * 100  # a hundred chats, a hundred edits, at once
    assert most_in_any_window(api.times(), 1.0) == 30  # new messages still 30 a second
    ticker = JumpTicker()
    api = FakeApi(ticker)
    async with running(Pacer(ticker=ticker)) as pacer:
        await asyncio.gather(
            *(
                send(pacer, api, chat, endpoint="editMessageText", lane=Lane.BULK)
                for chat in range(1, 41)
            )
        )
    assert most_in_any_window([c.at for c in api.calls], 1.0) == 30


async def test_an_album_counts_one_per_photo() -> None:
    ticker = JumpTicker()
    api = FakeApi(ticker)
    async with running(Pacer(ticker=ticker)) as pacer:
        await asyncio.gather(
            *(send(pacer, api, chat, endpoint="sendMediaGroup", media=10) for chat in range(1, 5))
        )
    assert [c.at for c in api.sent("sendMediaGroup")] == [0.0, 0.0, 0.0, 1.0]


async def test_limits_are_configurable() -> None:
    ticker = JumpTicker()
    api = FakeApi(ticker)
    limits = PaceLimits(overall_max=5, private_burst=1, private_per_second=2.0)
    async with running(Pacer(limits, ticker=ticker)) as pacer:
        await asyncio.gather(*(send(pacer, api, 1) for _ in range(3)))
        await asyncio.gather(*(send(pacer, api, chat) for chat in range(10, 22)))
    assert api.times(1) == [0.0, 0.5, 1.0]
    assert most_in_any_window(api.times(), 1.0) == 5
    with pytest.raises(ValueError, match="overall_max"):
        PaceLimits(overall_max=0)


# ---- lanes ----


async def test_replies_take_the_next_slots_even_when_bulk_was_queued_first() -> None:
    ticker = JumpTicker()
    api = FakeApi(ticker)
    replies: list[asyncio.Task[Any]] = []

    async def bulk_callback(endpoint: str, data: dict[str, Any]) -> dict[str, Any]:
        result = await api(endpoint, data)
        # The first bulk send of the second second: 30 people tap at that moment.
        if ticker.now() == 1.0 and not replies:
            replies.extend(spawn(send(pacer, api, 900 + n, tag="reply") for n in range(30)))
        return result

    async with running(Pacer(ticker=ticker)) as pacer:

        async def bulk(chat: int) -> Any:
            data: dict[str, Any] = {"chat_id": chat, "text": "bulk"}
            return await pacer.process_request(
                bulk_callback, ("sendMessage", data), {}, "sendMessage", data, {"lane": "bulk"}
            )

        await asyncio.gather(*(bulk(chat) for chat in range(1, 91)))
        await asyncio.gather(*replies)
    by_second: dict[float, Counter[str]] = defaultdict(Counter)
    for call in api.sent():
        by_second[call.at][call.tag] += 1
    assert by_second == {
        0.0: Counter(bulk=30),
        1.0: Counter(bulk=30),
        2.0: Counter(reply=30),
        3.0: Counter(bulk=30),
    }


async def test_a_reply_held_by_its_own_chat_holds_up_nobody_else() -> None:
    ticker = JumpTicker()
    api = FakeApi(ticker)
    async with running(Pacer(ticker=ticker)) as pacer:
        await asyncio.gather(
            *(send(pacer, api, 1) for _ in range(6)),
            *(send(pacer, api, chat) for chat in (2, 3, 4)),
            *(send(pacer, api, 8, lane=Lane.BULK) for _ in range(5)),
            send(pacer, api, 9, lane=Lane.BULK),
        )
    assert api.times(1) == [0.0, 0.0, 0.0, 1.0, 2.0, 3.0]
    assert [api.times(chat) for chat in (2, 3, 4, 9)] == [[0.0]] * 4
    # A bulk request held by its chat (8) holds up neither bulk (9) nor replies.
    assert api.times(8) == [0.0, 0.0, 0.0, 1.0, 2.0]


async def test_within_a_chat_replies_go_first_and_each_lane_keeps_its_order() -> None:
    ticker = JumpTicker()
    api = FakeApi(ticker)
    async with running(Pacer(ticker=ticker)) as pacer:
        await asyncio.gather(
            *(send(pacer, api, 5, lane=Lane.BULK, tag=f"b{n}") for n in range(3)),
            *(send(pacer, api, 5, tag=f"r{n}") for n in range(3)),
        )
    assert [(c.at, c.tag) for c in api.sent()] == [
        (0.0, "r0"),
        (0.0, "r1"),
        (0.0, "r2"),
        (1.0, "b0"),
        (2.0, "b1"),
        (3.0, "b2"),
    ]


async def test_an_unknown_lane_is_refused() -> None:
    ticker = JumpTicker()
    api = FakeApi(ticker)
    async with running(Pacer(ticker=ticker)) as pacer:
        data: dict[str, Any] = {"chat_id": 1}
        # mypy refuses these already; the pacer refuses them for untyped callers too.
        for wrong in ({"lane": "urgent"}, {"priority": 1}):
            args: Any = wrong
            with pytest.raises(ValueError, match="unknown"):
                await pacer.process_request(
                    api, ("sendMessage", data), {}, "sendMessage", data, args
                )
    assert api.calls == []


# ---- calls that never wait ----


async def test_answering_a_tap_waits_neither_behind_a_full_queue_nor_a_429() -> None:
    ticker = ManualTicker()
    api = FakeApi(ticker)
    async with running(Pacer(ticker=ticker)) as pacer:
        bulk = spawn(send(pacer, api, 100 + n, lane=Lane.BULK) for n in range(100))
        await settle()
        assert len(api.sent()) == 30
        assert pacer.queued(Lane.BULK) == 70

        answer = asyncio.create_task(send(pacer, api, None, endpoint="answerCallbackQuery"))
        await settle()
        assert answer.done()
        assert api.sent("answerCallbackQuery") == [Call(0.0, "answerCallbackQuery", None, "")]

        api.floods[130] = [5.0]
        await ticker.advance_to(1.0)
        assert pacer.flood_waits == 1  # paused until 6.0

        answer = asyncio.create_task(send(pacer, api, None, endpoint="answerCallbackQuery"))
        await settle()
        assert answer.done()
        assert [c.at for c in api.sent("answerCallbackQuery")] == [0.0, 1.0]
        assert len(api.sent()) == 60
        await ticker.advance_to(6.0)
        await ticker.advance_to(7.0)
        await finished(*bulk)
        assert pacer.paced == 101


# ---- 429s ----


async def test_a_429_pauses_all_sending_even_when_other_requests_finish_meanwhile() -> None:
    # python-telegram-bot#5338: in AIORateLimiter any request finishing ends the pause.
    ticker = ManualTicker()
    api = FakeApi(ticker)
    api.holds[1] = asyncio.Event()
    api.floods[2] = [3.0]
    async with running(Pacer(PaceLimits(overall_max=2), ticker=ticker)) as pacer:
        slow, refused, *later = spawn(
            send(pacer, api, chat, tag=tag)
            for chat, tag in ((1, "slow"), (2, "refused"), (3, "later 3"), (4, "later 4"))
        )
        await settle()
        assert pacer.flood_waits == 1
        await ticker.advance_to(1.0)  # the window has room again, but the pause holds
        api.holds[1].set()
        await settle()
        assert slow.done()
        for instant in (2.0, 2.999):
            await ticker.advance_to(instant)
        assert [(c.at, c.tag) for c in api.sent()] == [(0.0, "slow"), (0.0, "refused")]
        assert pacer.queued() == 3

        await ticker.advance_to(3.0)
        assert await finished(refused) == [{"ok": True}]
        await ticker.advance_to(4.0)
        await finished(*later)
    # The retried request kept its place ahead of those that came after it.
    assert [(c.at, c.tag) for c in api.sent()] == [
        (0.0, "slow"),
        (0.0, "refused"),
        (3.0, "refused"),
        (3.0, "later 3"),
        (4.0, "later 4"),
    ]


async def test_a_shorter_429_does_not_end_a_longer_pause() -> None:
    ticker = JumpTicker()
    api = FakeApi(ticker)
    api.floods[2] = [3.0]
    api.floods[5] = [1.0]
    async with running(Pacer(ticker=ticker)) as pacer:
        await asyncio.gather(send(pacer, api, 2), send(pacer, api, 5))
        assert pacer.flood_waits == 2
    assert [(c.at, c.chat) for c in api.sent()] == [(0.0, 2), (0.0, 5), (3.0, 2), (3.0, 5)]


async def test_after_max_retries_the_429_is_raised_and_the_pause_still_holds() -> None:
    ticker = JumpTicker()
    api = FakeApi(ticker)
    api.floods[1] = [1.0] * 10
    async with running(Pacer(ticker=ticker, max_retries=2)) as pacer:
        with pytest.raises(RetryAfter):
            await send(pacer, api, 1)
        assert api.times(1) == [0.0, 1.0, 2.0]
        assert pacer.flood_waits == 3
        await send(pacer, api, 2)
    assert api.times(2) == [3.0]


def test_retry_after_is_read_as_a_timedelta_or_as_seconds() -> None:
    assert retry_after_seconds(timedelta(seconds=3)) == 3.0
    assert retry_after_seconds(3) == 3.0
    assert retry_after_seconds(0.5) == 0.5


async def test_other_errors_propagate_unchanged_and_pacing_goes_on() -> None:
    ticker = JumpTicker()
    api = FakeApi(ticker)
    error = BadRequest("Message is not modified")
    api.failures[1] = error
    async with running(Pacer(ticker=ticker)) as pacer:
        with pytest.raises(BadRequest) as raised:
            await send(pacer, api, 1, endpoint="editMessageText")
        assert raised.value is error
        with pytest.raises(BadRequest):
            await send(pacer, api, 1, endpoint="answerCallbackQuery")
        assert await send(pacer, api, 2) == {"ok": True}
        assert pacer.flood_waits == 0
    assert [(c.endpoint, c.chat) for c in api.calls] == [
        ("editMessageText", 1),
        ("answerCallbackQuery", 1),
        ("sendMessage", 2),
    ]


# ---- throughput and scale ----


async def test_a_long_bulk_run_keeps_to_95_percent_of_30_a_second() -> None:
    ticker = JumpTicker()
    api = FakeApi(ticker, flood=FloodControl(FloodLimits(), clock=ticker.now))
    async with running(Pacer(ticker=ticker)) as pacer:
        await asyncio.gather(*(send(pacer, api, chat, lane=Lane.BULK) for chat in range(1, 3001)))
        assert pacer.flood_waits == 0
    times = api.times()
    assert len(times) == 3000
    assert max(times) <= 3000 / 28.5
    assert most_in_any_window(times, 1.0) == 30


async def test_on_a_jump_ticker_telegram_sees_each_call_at_its_grant_instant() -> None:
    # Calls take several turns of the loop to arrive, as over HTTP; virtual time must not
    # jump ahead meanwhile, or a fake Telegram on the same ticker would see them late.
    ticker = JumpTicker()
    api = FakeApi(ticker, flood=FloodControl(FloodLimits(), clock=ticker.now), hops=20)
    async with running(Pacer(ticker=ticker)) as pacer:
        await asyncio.gather(*(send(pacer, api, chat, lane=Lane.BULK) for chat in range(1, 301)))
        assert pacer.flood_waits == 0
    assert api.times() == [float(n // 30) for n in range(300)]


async def test_a_plant_wide_notice_goes_out_in_order() -> None:
    # How long a notice to 30,000 chats takes to schedule is measured by bench/pacing.py.
    ticker = JumpTicker()
    api = FakeApi(ticker)
    async with running(Pacer(ticker=ticker)) as pacer:
        await asyncio.gather(
            *(send(pacer, api, chat, lane=Lane.BULK, tag=str(chat)) for chat in range(1, 3_001))
        )
    assert [c.tag for c in api.sent()] == [str(chat) for chat in range(1, 3_001)]
    assert max(api.times()) == 99.0


# ---- cancellation and shutdown ----


async def test_a_request_whose_caller_gives_up_takes_no_slot() -> None:
    ticker = ManualTicker()
    api = FakeApi(ticker)
    async with running(Pacer(PaceLimits(overall_max=1), ticker=ticker)) as pacer:
        first, gone, last = spawn(send(pacer, api, chat, tag=str(chat)) for chat in (1, 2, 3))
        await settle()
        gone.cancel()
        await settle()
        assert pacer.queued() == 1
        await ticker.advance_to(1.0)
        await finished(first, last)
    assert [(c.at, c.tag) for c in api.sent()] == [(0.0, "1"), (1.0, "3")]


async def test_shutdown_fails_what_is_queued_and_leaves_nothing_running(
    caplog: pytest.LogCaptureFixture,
) -> None:
    ticker = ManualTicker()
    api = FakeApi(ticker)
    api.holds[1] = asyncio.Event()
    pacer = Pacer(ticker=ticker)
    await pacer.initialize()
    out = asyncio.create_task(send(pacer, api, 1))
    queued = spawn(send(pacer, api, 100 + n, lane=Lane.BULK) for n in range(99))
    await settle()
    assert pacer.queued(Lane.BULK) == 70

    await pacer.shutdown()
    await settle()
    assert all(task.done() for task in queued)
    results = await asyncio.gather(*queued, return_exceptions=True)
    assert sum(isinstance(r, PacerClosed) for r in results) == 70
    assert pacer.queued() == 0
    # A call already out finishes normally.
    api.holds[1].set()
    await settle()
    assert await finished(out) == [{"ok": True}]
    assert asyncio.all_tasks() == {asyncio.current_task()}
    with pytest.raises(PacerClosed):
        await send(pacer, api, 2)

    # Started again, it still remembers what it sent: Telegram does.
    await pacer.initialize()
    again = asyncio.create_task(send(pacer, api, 2))
    await settle()
    assert not again.done()
    await ticker.advance_to(1.0)
    assert await finished(again) == [{"ok": True}]
    await pacer.shutdown()
    gc.collect()
    await settle()
    assert [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR] == []


# ---- through python-telegram-bot ----


class RecordingRequest(BaseRequest):
    """Answers the Bot API calls this test makes, without a network."""

    @property
    def read_timeout(self) -> float | None:
        return 1.0

    async def initialize(self) -> None:
        pass

    async def shutdown(self) -> None:
        pass

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        *args: Any,
        **kwargs: Any,
    ) -> tuple[int, bytes]:
        params: dict[str, Any] = request_data.parameters if request_data else {}
        result: object = True
        if url.endswith("/getMe"):
            result = {"id": 1, "is_bot": True, "first_name": "Shiftmate", "username": "sm_bot"}
        elif url.endswith("/sendMessage"):
            chat = {"id": int(params["chat_id"]), "type": "private"}
            result = {"message_id": 1, "date": 0, "chat": chat, "text": params["text"]}
        return 200, json.dumps({"ok": True, "result": result}).encode()


async def test_the_lane_is_chosen_with_ptbs_rate_limit_args() -> None:
    ticker = ManualTicker()
    pacer = Pacer(PaceLimits(overall_max=1), ticker=ticker)
    bot: ExtBot[PaceArgs] = ExtBot("1:token", request=RecordingRequest(), rate_limiter=pacer)
    await bot.initialize()
    try:
        first = asyncio.create_task(bot.send_message(1, "first", rate_limit_args={"lane": "bulk"}))
        await settle()
        assert first.done()
        bulk = asyncio.create_task(bot.send_message(2, "notice", rate_limit_args={"lane": "bulk"}))
        reply = asyncio.create_task(bot.send_message(3, "answer"))
        await settle()
        assert (pacer.queued(Lane.REPLY), pacer.queued(Lane.BULK)) == (1, 1)
        await ticker.advance_to(1.0)
        assert reply.done()
        assert not bulk.done()
        await ticker.advance_to(2.0)
        assert [m.text for m in await finished(bulk)] == ["notice"]
    finally:
        await bot.shutdown()
