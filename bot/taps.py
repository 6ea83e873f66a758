"""Double taps count once.

A phone pressed hard, or a slow network, sends the same button tap twice before
the first answer arrives, and both reach the bot. The first is handled. The
second is a repeat when it names the same button on the same message and the bot
has not changed that message since the first was handled: it is answered
silently and changes nothing. A tap on a message the bot has edited since is a
new tap (the screen moved on and came back), and so is one after `window`, when
a person taps a button again on purpose.

Pressing a big menu button twice sends its label twice; a press of the same
menu button as the message just before it, at most a second later, is a repeat
too. (Typed text and commands are never taken for repeats.)

Each chat's updates are handled one at a time and in order (see
`bot.app.ChatOrderedUpdateProcessor`), so when a repeat arrives, the tap it
repeats has been handled completely. The ledger is kept in memory: after a
restart a repeat is handled again, which every handler tolerates (edits that
change nothing count as done, and writes are idempotent).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.clock import Clock

WINDOW = timedelta(seconds=30)
TEXT_REPEAT = timedelta(seconds=1)


@dataclass
class _Tap:
    message_id: int
    data: str
    at: datetime
    finished: bool = False
    changed: bool = False  # the bot edited the message after this tap was handled


class TapLedger:
    """The last tap of each chat, and whether its message changed since."""

    def __init__(self, clock: Clock, *, window: timedelta = WINDOW) -> None:
        self._clock = clock
        self._window = window
        self._taps: dict[int, _Tap] = {}
        self._texts: dict[int, tuple[str, datetime]] = {}

    def begin_tap(self, chat_id: int, message_id: int, data: str) -> bool:
        """Note a tap that is about to be handled; True if it repeats the one just handled."""
        now = self._clock.now()
        self._texts.pop(chat_id, None)
        last = self._taps.get(chat_id)
        if (
            last is not None
            and last.finished
            and not last.changed
            and (last.message_id, last.data) == (message_id, data)
            and now - last.at <= self._window
        ):
            return True
        self._taps[chat_id] = _Tap(message_id, data, now)
        return False

    def finish(self, chat_id: int) -> None:
        """The tap being handled in this chat is done: an identical one next repeats it."""
        last = self._taps.get(chat_id)
        if last is not None:
            last.finished = True

    def forget(self, chat_id: int) -> None:
        """The tap being handled failed: the person was told to try again, so let them."""
        last = self._taps.get(chat_id)
        if last is not None and not last.finished:
            del self._taps[chat_id]

    def edited(self, chat_id: int, message_id: int) -> None:
        """The bot changed a message: a tap on it from now on is a new one."""
        last = self._taps.get(chat_id)
        if last is not None and last.finished and last.message_id == message_id:
            last.changed = True

    def repeated_text(self, chat_id: int, label: str | None, sent_at: datetime) -> bool:
        """A menu button `label` pressed again within a second of the message before; None: typed."""
        previous = self._texts.pop(chat_id, None)
        self._taps.pop(chat_id, None)
        if label is None:
            return False
        self._texts[chat_id] = (label, sent_at)
        return (
            previous is not None
            and previous[0] == label
            and abs(sent_at - previous[1]) <= TEXT_REPEAT
        )
