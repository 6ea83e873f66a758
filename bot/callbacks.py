"""Signed button data: a tap only counts if the bot issued that button to that person.

Each inline button carries `route:arg:arg~sig`, where `sig` is an HMAC over the
data and the Telegram id of the person the button was sent to. A forged tap, or
a button replayed by someone else, fails the check and gets a plain "this button
is no longer valid" instead of reaching a handler.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
from dataclasses import dataclass

MAX_BYTES = 64  # Telegram's limit for callback_data
_SIG_BYTES = 6
_SAFE = re.compile(r"^[A-Za-z0-9_.\-]*$")


@dataclass(frozen=True)
class Route:
    """One kind of button, named once by the feature that answers it.

    Buttons are made from a `Route` (`ctx.button(routes.OPEN_TEAM, team.id)`)
    and handlers are registered for the same object, so a mistyped name is an
    error at import time instead of a tap that silently lands on "expired".
    """

    name: str

    def __post_init__(self) -> None:
        if not self.name or not _SAFE.match(self.name):
            raise ValueError(f"a route name is letters, digits, '_', '.' or '-': {self.name!r}")

    @property
    def pattern(self) -> str:
        """The regex a CallbackQueryHandler uses to pick up this route's buttons."""
        return rf"^{re.escape(self.name)}[:~]"


@dataclass(frozen=True)
class Tap:
    """A verified button tap: which route it goes to and its arguments."""

    route: str
    args: tuple[str, ...]

    def int_arg(self, index: int) -> int:
        return int(self.args[index])


class Signer:
    def __init__(self, key: bytes) -> None:
        self._key = key

    def _sig(self, user_id: int, body: str) -> str:
        digest = hmac.new(self._key, f"{user_id}|{body}".encode(), hashlib.sha256).digest()
        return base64.urlsafe_b64encode(digest[:_SIG_BYTES]).decode().rstrip("=")

    def pack(self, user_id: int, route: Route, *args: str | int) -> str:
        parts = [route.name, *(str(a) for a in args)]
        for part in parts:
            if not _SAFE.match(part):
                raise ValueError(f"button data may not contain {part!r}")
        body = ":".join(parts)
        data = f"{body}~{self._sig(user_id, body)}"
        if len(data.encode()) > MAX_BYTES:
            raise ValueError(f"button data over {MAX_BYTES} bytes: {data!r}")
        return data

    def unpack(self, user_id: int, data: str) -> Tap | None:
        body, sep, sig = data.rpartition("~")
        if not sep or not hmac.compare_digest(sig, self._sig(user_id, body)):
            return None
        route, *args = body.split(":")
        return Tap(route, tuple(args))
