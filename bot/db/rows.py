"""Turning SQLite rows into records, and times into the text SQLite stores."""

from __future__ import annotations

import sqlite3
from datetime import datetime

from bot.models import Invite, InviteEnd, InviteKind, Member, Role, Team, Workshop


def iso(moment: datetime) -> str:
    """Times are stored as UTC ISO-8601 text, which sorts the same way it reads."""
    return moment.isoformat(timespec="seconds")


def when(text: str | None) -> datetime | None:
    return None if text is None else datetime.fromisoformat(text)


def must(text: str) -> datetime:
    return datetime.fromisoformat(text)


def workshop(row: sqlite3.Row) -> Workshop:
    return Workshop(
        id=row["id"],
        name=row["name"],
        created_at=must(row["created_at"]),
        archived_at=when(row["archived_at"]),
        team_count=row["team_count"] if "team_count" in row.keys() else 0,
    )


def team(row: sqlite3.Row) -> Team:
    return Team(
        id=row["id"],
        workshop_id=row["workshop_id"],
        workshop_name=row["workshop_name"],
        name=row["name"],
        created_at=must(row["created_at"]),
        archived_at=when(row["archived_at"]),
        member_count=row["member_count"] if "member_count" in row.keys() else 0,
    )


def member(row: sqlite3.Row) -> Member:
    keys = row.keys()
    return Member(
        id=row["id"],
        telegram_id=row["telegram_id"],
        display_name=row["display_name"],
        locale=row["locale"],
        language_code=row["language_code"],
        role=Role(row["role"]),
        is_temporary=bool(row["is_temporary"]),
        created_at=must(row["created_at"]),
        reachable=bool(row["reachable"]),
        unreachable_since=when(row["unreachable_since"]),
        team_id=row["team_id"] if "team_id" in keys else None,
        team_name=row["team_name"] if "team_name" in keys else None,
        workshop_name=row["workshop_name"] if "workshop_name" in keys else None,
        joined_team_at=when(row["joined_at"]) if "joined_at" in keys else None,
        leads_team=bool(row["leads_team"]) if "leads_team" in keys else False,
    )


def invite(row: sqlite3.Row) -> Invite:
    return Invite(
        id=row["id"],
        token=row["token"],
        team_id=row["team_id"],
        kind=InviteKind(row["kind"]),
        created_at=must(row["created_at"]),
        expires_at=must(row["expires_at"]),
        revoked_at=when(row["revoked_at"]),
        used_at=when(row["used_at"]),
        revoked_reason=InviteEnd(row["revoked_reason"]) if row["revoked_reason"] else None,
    )
