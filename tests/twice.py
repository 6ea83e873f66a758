"""Tapping as a phone pressed hard does: the same button twice, before the first answer arrives.

Both taps reach the fake Telegram before the bot has handled either, carrying
the same message as the person's app showed it. `Twice` splits what the bot did
into what the first tap caused and what the second did (each chat's updates are
handled one after the other, so the harness knows where the first one ended).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from bot.fake_telegram.fake import StoredMessage
from bot.fake_telegram.users import Person, Reply
from bot.sim.harness import Harness

APOLOGY = "Sorry"


@dataclass
class Twice:
    first: Reply
    second: Reply

    def assert_second_changed_nothing(self, what: str = "") -> None:
        """The repeat sent nothing, edited nothing, showed no pop-up and apologised for nothing."""
        visible = [e for e in self.second.events if e.kind in ("sent", "edited", "deleted")]
        assert not visible, f"{what}: the second tap did {[e.kind for e in visible]}"
        assert not self.second.alert, f"{what}: the second tap showed {self.second.alert!r}"
        assert APOLOGY not in self.first.text, f"{what}: {self.first.text}"


def find_button(person: Person, label: str | int, message: StoredMessage | None) -> Any:
    """The button a person means, as `Person.tap` finds it (newest message with buttons)."""
    if message is None:
        message = next(m for m in reversed(person.bot_messages()) if m.buttons)
    options = message.buttons
    if isinstance(label, int):
        return message, options[label - 1]
    exact = [b for b in options if b["text"] == label]
    matches = exact or [b for b in options if label in b["text"]]
    assert len(matches) == 1, f"no single button like {label!r} in {[b['text'] for b in options]}"
    return message, matches[0]


async def double_tap(
    harness: Harness, person: Person, label: str | int, message: StoredMessage | None = None
) -> Twice:
    """Tap an inline button twice in a row, both taps on the message as it was."""
    target, button = find_button(person, label, message)
    return await double_tap_data(harness, person, button["callback_data"], target)


async def double_tap_data(
    harness: Harness, person: Person, data: str, target: StoredMessage
) -> Twice:
    """Send the same button data twice in a row from `target` (a late tap if it shows another screen)."""
    before = harness.fake.last_seq
    first = harness.fake.user_taps(person.id, target.chat_id, target.message_id, data)
    second = harness.fake.user_taps(person.id, target.chat_id, target.message_id, data)
    return await _split(harness, person, before, first, second)


async def double_press(harness: Harness, person: Person, label: str) -> Twice:
    """Press a big menu button twice in a row: its label arrives as two messages."""
    found = [b for b in person.keyboard if label in b]
    assert len(found) == 1, f"no single keyboard button like {label!r} in {person.keyboard}"
    before = harness.fake.last_seq
    first = harness.fake.user_message(person.id, text=found[0])
    second = harness.fake.user_message(person.id, text=found[0])
    return await _split(harness, person, before, first, second)


async def _split(harness: Harness, person: Person, before: int, first: int, second: int) -> Twice:
    await harness.settle(first)
    await harness.settle(second)
    middle = harness.finished_at[first]
    events = harness.fake.events_since(before, person.id)
    return Twice(
        Reply([e for e in events if e.seq <= middle]),
        Reply([e for e in events if e.seq > middle]),
    )
