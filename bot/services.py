"""Everything a handler needs besides the update, built once per process."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any, TypeVar

from bot.callbacks import Signer
from bot.clock import Clock, SystemClock
from bot.config import Settings
from bot.db import meta
from bot.db.database import Database
from bot.db.invites import InviteRepository
from bot.db.members import MemberRepository
from bot.db.org import OrgRepository
from bot.i18n import I18n
from bot.models import Member, Role
from bot.taps import TapLedger

LEADER_INVITE_DAYS = 7
T = TypeVar("T")
Provider = Callable[["Services"], Any]


@dataclass
class Services:
    settings: Settings
    clock: Clock
    db: Database
    i18n: I18n
    signer: Signer
    org: OrgRepository
    members: MemberRepository
    invites: InviteRepository
    taps: TapLedger
    bot_username: str = "shiftmate_bot"
    # What features bring of their own (their repositories and services), by type.
    _provided: dict[type, Any] = field(default_factory=dict)
    # What one feature offers another without either importing the other, by name:
    # "anonymous_question" (update, ctx, text) passes a question on as an anonymous message.
    hooks: dict[str, Callable[..., Awaitable[Any]]] = field(default_factory=dict)

    @classmethod
    async def start(cls, settings: Settings, *, clock: Clock | None = None) -> Services:
        """Open the database (migrating it), load the catalogs and the signing key."""
        clock = clock or SystemClock()
        i18n = I18n(settings.locale, settings.timezone)
        db = await Database.open(settings.db_path)
        try:
            key = await meta.secret(db, "button_signing_key")
        except BaseException:
            await db.close()
            raise
        return cls(
            settings=settings,
            clock=clock,
            db=db,
            i18n=i18n,
            signer=Signer(key),
            org=OrgRepository(db, clock),
            members=MemberRepository(db, clock),
            invites=InviteRepository(db, clock),
            taps=TapLedger(clock),
        )

    async def close(self) -> None:
        await self.db.close()

    def provide(self, providers: list[Provider]) -> None:
        """Build what the features bring (`Feature.provides`), once, each kept by its type."""
        for provider in providers:
            made = provider(self)
            kind = type(made)
            if kind in self._provided:
                raise ValueError(f"two features provide a {kind.__name__}")
            self._provided[kind] = made

    def get(self, kind: type[T]) -> T:
        """A feature's own repository or service, e.g. `ctx.services.get(StudyRepository)`."""
        made = self._provided.get(kind)
        if not isinstance(made, kind):
            raise LookupError(f"no feature provides a {kind.__name__}: list it in Feature.provides")
        return made

    @property
    def member_invite_validity(self) -> timedelta:
        return timedelta(days=self.settings.invite_days)

    @property
    def leader_invite_validity(self) -> timedelta:
        return timedelta(days=LEADER_INVITE_DAYS)

    def is_admin(self, telegram_id: int, member: Member | None) -> bool:
        """Admins come from BOT_ADMINS, or were promoted in the bot by another admin."""
        return telegram_id in self.settings.admins or (
            member is not None and member.role is Role.ADMIN
        )

    def today(self) -> date:
        """The plant's local date now (BOT_TIMEZONE), as records of days keep it."""
        return self.clock.now().astimezone(self.settings.timezone).date()

    async def anonymous_unit(self, team_id: int | None) -> tuple[str, int]:
        """The smallest unit with at least k members for anonymous records: the team,
        its workshop, or the plant (`("plant", 0)`, also for someone in no team)."""
        k = self.settings.anon_k
        team = await self.org.team(team_id) if team_id is not None else None
        if team is None:
            return "plant", 0
        if team.member_count >= k:
            return "team", team.id
        teams = await self.org.teams(team.workshop_id)
        if sum(t.member_count for t in teams) >= k:
            return "workshop", team.workshop_id
        return "plant", 0

    def invite_link(self, token: str) -> str:
        return f"https://t.me/{self.bot_username}?start={token}"
