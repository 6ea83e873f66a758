"""Dialogs as tables: each row is what a person does and what the bot must answer.

    await verify_dialog(worker, [
        (Link(invite), "choose your language"),
        (Tap("English"), "What name should your team see?"),
        ("Old Li", "regular staff or temporary staff"),
        (Tap("Temporary staff"), "Welcome to the team"),
    ])

An expectation is a substring of the reply, a list of substrings, or a
function that inspects the `Reply` (and raises AssertionError).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from bot.fake_telegram.users import Person, Reply


@dataclass(frozen=True)
class Tap:
    """Tap the inline button with this label (or number) on the newest message with buttons."""

    label: str | int


@dataclass(frozen=True)
class Press:
    """Tap the reply-keyboard button with this label."""

    label: str


@dataclass(frozen=True)
class Link:
    """Open a deep link, as scanning its QR code does."""

    url: str


@dataclass(frozen=True)
class Sticker:
    pass


@dataclass(frozen=True)
class Photo:
    pass


@dataclass(frozen=True)
class Voice:
    pass


Action = str | Tap | Press | Link | Sticker | Photo | Voice
Expect = str | Sequence[str] | Callable[[Reply], None]


async def do(person: Person, action: Action) -> Reply:
    match action:
        case str():
            return await person.send(action)
        case Tap(label):
            return await person.tap(label)
        case Press(label):
            return await person.press(label)
        case Link(url):
            return await person.open_link(url)
        case Sticker():
            return await person.send_sticker()
        case Photo():
            return await person.send_photo()
        case Voice():
            return await person.send_voice()
    raise TypeError(action)


def check(reply: Reply, expect: Expect, step: int, action: Action) -> None:
    if callable(expect):
        expect(reply)
        return
    wanted = [expect] if isinstance(expect, str) else list(expect)
    for needle in wanted:
        if needle not in reply.text:
            raise AssertionError(
                f"step {step} ({action!r}): expected {needle!r} in the bot's reply:\n{reply.text or '(nothing)'}"
            )


async def verify_dialog(person: Person, steps: Sequence[tuple[Action, Expect]]) -> list[Reply]:
    replies = []
    for number, (action, expect) in enumerate(steps, start=1):
        reply = await do(person, action)
        check(reply, expect, number, action)
        replies.append(reply)
    return replies
