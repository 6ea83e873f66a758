"""Plain records the repositories return and the services reason about.

No Telegram types here: a `Member` is a person in the plant, not a Telegram user.
"""

from __future__ import annotations

import enum
import math
from dataclasses import dataclass
from datetime import datetime
from typing import Generic, TypeVar

T = TypeVar("T")


class Role(enum.StrEnum):
    WORKER = "worker"
    LEADER = "leader"
    ADMIN = "admin"


class InviteKind(enum.StrEnum):
    MEMBER = "member"  # the team's poster: anyone who scans it joins the team
    LEADER = "leader"  # single use: whoever opens it becomes a leader of the team


class InviteEnd(enum.StrEnum):
    """Why an invite stopped working before it expired."""

    REPLACED = "replaced"  # a newer poster was made for the team
    WITHDRAWN = "withdrawn"  # a leader or admin stopped it
    TEAM_CLOSED = "team_closed"


@dataclass(frozen=True)
class Workshop:
    id: int
    name: str
    created_at: datetime
    archived_at: datetime | None
    team_count: int = 0


@dataclass(frozen=True)
class Team:
    id: int
    workshop_id: int
    workshop_name: str
    name: str
    created_at: datetime
    archived_at: datetime | None
    member_count: int = 0


@dataclass(frozen=True)
class Member:
    id: int
    telegram_id: int
    display_name: str
    locale: str | None
    language_code: str | None
    role: Role
    is_temporary: bool
    created_at: datetime
    reachable: bool
    unreachable_since: datetime | None
    team_id: int | None = None
    team_name: str | None = None
    workshop_name: str | None = None
    joined_team_at: datetime | None = None
    leads_team: bool = False  # filled in where a list says who leads the team it shows


@dataclass(frozen=True)
class PlantCounts:
    workshops: int
    teams: int
    members: int


@dataclass(frozen=True)
class Invite:
    id: int
    token: str
    team_id: int
    kind: InviteKind
    created_at: datetime
    expires_at: datetime
    revoked_at: datetime | None
    used_at: datetime | None
    revoked_reason: InviteEnd | None = None


@dataclass(frozen=True)
class Page(Generic[T]):
    """One page of a long list: what is on it, which page it is, how many there are."""

    items: list[T]
    number: int  # from 0
    count: int
    total: int
    size: int

    @property
    def first(self) -> int:
        """The position of the first item on this page in the whole list, from 0."""
        return self.number * self.size

    @property
    def has_previous(self) -> bool:
        return self.number > 0

    @property
    def has_next(self) -> bool:
        return self.number + 1 < self.count


def page_window(total: int, number: int, size: int) -> tuple[int, int]:
    """The page to show (clamped: a list may have shrunk since the button was made) and its offset."""
    count = max(1, math.ceil(total / size))
    number = min(max(number, 0), count - 1)
    return number, number * size


def page_in(items: list[T], number: int, size: int) -> Page[T]:
    """Page `number` of a list held in memory (clamped, as `page_window` clamps)."""
    number, offset = page_window(len(items), number, size)
    return page_of(items[offset : offset + size], number, len(items), size)


def page_of(items: list[T], number: int, total: int, size: int) -> Page[T]:
    clamped, _ = page_window(total, number, size)
    return Page(items, clamped, max(1, math.ceil(total / size)), total, size)
