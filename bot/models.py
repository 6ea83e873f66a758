"""Plain records the repositories return and the services reason about.

No Telegram types here: a `Member` is a person in the plant, not a Telegram user.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime


class Role(enum.StrEnum):
    WORKER = "worker"
    LEADER = "leader"
    ADMIN = "admin"


class InviteKind(enum.StrEnum):
    MEMBER = "member"  # the team's poster: anyone who scans it joins the team
    LEADER = "leader"  # single use: whoever opens it becomes a leader of the team


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
