"""Flood limits as Telegram applies them, figure by figure, on a clock stepped by hand."""

from __future__ import annotations

from bot.fake_telegram.flood import FloodControl, FloodLimits


class ManualClock:
    """A clock that moves only when the test says so."""

    def __init__(self, start: float = 500.0) -> None:
        self._now = start

    def now(self) -> float:
        return self._now

    def advance(self, seconds: float) -> None:
        self._now += seconds


GROUP = -100123


def flood(limits: FloodLimits | None = None) -> tuple[FloodControl, ManualClock]:
    clock = ManualClock()
    return FloodControl(limits, clock.now), clock


def private(control: FloodControl, chat_id: int) -> int | None:
    return control.take(chat_id, is_group=False)


def test_thirty_of_forty_pass_at_one_instant_and_then_none_for_a_second() -> None:
    control, clock = flood()
    answers = [private(control, chat) for chat in range(1, 41)]
    assert answers == [None] * 30 + [1] * 10
    clock.advance(0.5)
    assert private(control, 41) == 1
    clock.advance(0.499)
    assert private(control, 42) == 1
    clock.advance(0.001)  # the second of the first thirty is over
    assert [private(control, chat) for chat in range(43, 83)] == [None] * 30 + [1] * 10


def test_no_more_than_thirty_in_any_second_even_after_an_idle_spell() -> None:
    # A token bucket would let about 60 through in the second after a rest.
    control, clock = flood()
    clock.advance(3600)
    allowed = 0
    for chat in range(1, 61):
        allowed += private(control, chat) is None
        clock.advance(1 / 60)
    assert allowed == 30


def test_the_window_slides() -> None:
    control, clock = flood()
    assert [private(control, chat) for chat in range(1, 16)] == [None] * 15
    clock.advance(0.5)
    assert [private(control, chat) for chat in range(16, 32)] == [None] * 15 + [1]
    clock.advance(0.5)  # the first fifteen drop out, the second fifteen stay
    assert [private(control, chat) for chat in range(32, 48)] == [None] * 15 + [1]


def test_twenty_a_minute_in_a_group() -> None:
    control, clock = flood()
    assert [control.take(GROUP, is_group=True) for _ in range(20)] == [None] * 20
    assert control.take(GROUP, is_group=True) == 60
    clock.advance(0.5)
    assert control.take(GROUP, is_group=True) == 60  # 59.5 s, rounded up
    clock.advance(29.5)
    assert control.take(GROUP, is_group=True) == 30
    assert private(control, 1) is None  # other chats are not held up
    clock.advance(29.25)
    assert control.take(GROUP, is_group=True) == 1
    clock.advance(0.75)
    assert [control.take(GROUP, is_group=True) for _ in range(21)] == [None] * 20 + [60]


def test_a_group_window_slides_too() -> None:
    control, clock = flood()
    assert [control.take(GROUP, is_group=True) for _ in range(10)] == [None] * 10
    clock.advance(30)
    assert [control.take(GROUP, is_group=True) for _ in range(11)] == [None] * 10 + [30]
    clock.advance(30)
    assert [control.take(GROUP, is_group=True) for _ in range(11)] == [None] * 10 + [30]


def test_a_private_chat_bursts_then_takes_one_a_second() -> None:
    control, clock = flood()
    assert [private(control, 7) for _ in range(21)] == [None] * 20 + [1]
    clock.advance(0.5)
    assert private(control, 7) == 1
    clock.advance(0.5)
    assert [private(control, 7) for _ in range(2)] == [None, 1]
    clock.advance(3)
    assert [private(control, 7) for _ in range(4)] == [None, None, None, 1]


def test_retry_after_is_whole_seconds_rounded_up() -> None:
    control, clock = flood(FloodLimits(private_per_second=0.25, private_burst=1))
    assert private(control, 7) is None
    assert private(control, 7) == 4
    clock.advance(1)
    assert private(control, 7) == 3
    clock.advance(0.1)
    assert private(control, 7) == 3  # 2.9 s
    clock.advance(2.899)
    assert private(control, 7) == 1  # a millisecond is still a second
    clock.advance(0.001)
    assert private(control, 7) is None


def test_float_noise_does_not_move_a_limit() -> None:
    control, clock = flood()
    assert [private(control, chat) for chat in range(1, 31)] == [None] * 30
    for _ in range(10):
        clock.advance(0.1)  # ten tenths are 0.9999999999999999 in floating point
    assert private(control, 31) is None


def test_the_longest_wait_wins_and_a_refused_call_spends_nothing() -> None:
    control, clock = flood(FloodLimits(overall_per_second=2, private_burst=1))
    assert private(control, 1) is None
    assert private(control, 1) == 1  # the chat's own limit
    assert private(control, 2) is None
    assert private(control, 3) == 1  # the overall limit
    clock.advance(1)
    assert [private(control, chat) for chat in (3, 4, 5)] == [None, None, 1]


def test_limits_can_be_switched_off() -> None:
    control, _ = flood(FloodLimits.off())
    assert {private(control, 1) for _ in range(1000)} == {None}
    assert {control.take(GROUP, is_group=True) for _ in range(1000)} == {None}
    control, _ = flood(FloodLimits(overall_per_second=None))
    assert [private(control, chat) for chat in range(1, 101)] == [None] * 100


def test_an_edit_counts_against_its_chat_only() -> None:
    """Editing shares the per-chat limit; the overall figure is for new messages."""
    control, clock = flood()
    assert [private(control, chat) for chat in range(1, 31)] == [None] * 30
    assert control.take(31, is_group=False) == 1  # a new message: the second is full
    assert [control.take(chat, is_group=False, edit=True) for chat in range(31, 131)] == [
        None
    ] * 100
    burst = [control.take(7, is_group=False, edit=True) for _ in range(20)]
    assert burst[-1] == 1  # chat 7 had one message and nineteen edits: its burst of 20 is spent
