"""The rules of pre-shift study: what each worker gets, when sessions start and end. No Telegram.

* Topics rotate: a team's sessions go through the topics in turn, and within a
  topic through the module the team has had longest ago.
* New members start with the basics, safety first: until they have taken part
  in every basic module, they get the next one they have not had.
* Spaced repetition: questions a worker got wrong and that are due come first
  (up to two), then the module's questions they have not yet answered right.
  No question twice in one session; options shuffled per worker.
"""

from __future__ import annotations

import asyncio
import random
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.db.study import Picked, Schedule, StudyRepository
from bot.models import Member, Team
from bot.preshift.bank import Bank, Module
from bot.services import Services

MODULE_QUESTIONS = 3
REVIEWS = 2
REMINDER_BEFORE = timedelta(minutes=10)
MOODS = (5, 4, 3, 2, 1)  # 😀 🙂 😐 🙁 😞
# How far back a tick looks for scheduled starts it has not dealt with (after a restart,
# older ones are not worth a message each).
LOOK_BACK = timedelta(days=1)


@dataclass(frozen=True)
class Plan:
    module: Module
    picks: dict[int, Picked]


class Preshift:
    """Pre-shift study for the whole plant: the bank, the repository and the rules together."""

    def __init__(self, services: Services, bank: Bank, *, rng: random.Random | None = None) -> None:
        self.services = services
        self.bank = bank
        self.study = StudyRepository(services.db, services.clock)
        self._rng = rng or random.SystemRandom()
        # Questions from today's lesson per worker (reviews come on top, up to REVIEWS).
        self.module_questions = MODULE_QUESTIONS
        # One tick at a time: the JobQueue's and one asked for (the simulator's :later).
        self.ticking = asyncio.Lock()
        # Sessions whose messages are being sent, and whose status edit is on its way, right
        # now (a restart forgets both: the next tick sends what was not sent, edits what is stale).
        self.delivering: set[int] = set()
        self.refreshing: set[int] = set()

    # --------------------------------------------------------------- time

    @property
    def zone(self) -> ZoneInfo:
        return self.services.settings.timezone

    @property
    def window(self) -> timedelta:
        return timedelta(minutes=self.services.settings.preshift_minutes)

    @property
    def reminder_before(self) -> timedelta:
        """One reminder before the window closes: ten minutes before, or halfway in short windows."""
        return min(REMINDER_BEFORE, self.window / 2)

    def today(self) -> date:
        return self.day_of(self.services.clock.now())

    def day_of(self, moment: datetime) -> date:
        return moment.astimezone(self.zone).date()

    # --------------------------------------------------------------- plans

    async def plan(self, team: Team, members: list[Member]) -> Plan:
        """Today's lesson for the team, and what each member gets."""
        module = await self._team_module(team)
        today = self.today()
        picks = {m.id: await self._pick(m, module, today) for m in members}
        return Plan(module, picks)

    async def _team_module(self, team: Team) -> Module:
        topics = [t for t in self.bank.topics if self.bank.in_topic(t.id)]
        turn = await self.study.sessions_of(team.id)
        topic = topics[turn % len(topics)]
        used = await self.study.modules_used(team.id)
        never = datetime.min.replace(tzinfo=UTC)
        return min(self.bank.in_topic(topic.id), key=lambda m: (used.get(m.id, never), m.id))

    async def _pick(self, member: Member, team_module: Module, today: date) -> Picked:
        module = await self._module_for(member, team_module)
        due = await self.study.due_reviews(member.id, today)
        reviews = [q for q in due if self.bank.question(q)][:REVIEWS]
        known = await self.study.answered_right(member.id)
        fresh = [q.id for q in module.questions if q.id not in known and q.id not in reviews]
        again = [q.id for q in module.questions if q.id in known and q.id not in reviews]
        self._rng.shuffle(fresh)
        self._rng.shuffle(again)
        chosen = [*reviews, *(fresh + again)[: self.module_questions]]
        questions = []
        for question_id in chosen:
            question = self.bank.question(question_id)
            assert question is not None  # noqa: S101 - filtered above
            order = list(range(len(question.options)))
            self._rng.shuffle(order)
            questions.append((question_id, order))
        return Picked(module.id, questions)

    async def _module_for(self, member: Member, team_module: Module) -> Module:
        """A new member's next basic module (safety first); everyone else has the team's."""
        basics = [m for t in self.bank.topics for m in self.bank.in_topic(t.id) if m.basic]
        if not basics:
            return team_module
        done = await self.study.completed_modules(member.id)
        return next((m for m in basics if m.id not in done), team_module)

    # ---------------------------------------------------------- anonymity

    async def mood_unit(self, team: Team) -> tuple[str, int]:
        """The smallest unit with at least k members: the team, its workshop, or the plant."""
        return await self.services.anonymous_unit(team.id)

    # ------------------------------------------------------------ schedule

    def occurrences(self, schedule: Schedule, since: datetime, until: datetime) -> list[datetime]:
        """When the schedule's sessions open, in (since, until], as UTC instants.

        Each day's start is the shift's local time minus the lead, on the days the
        schedule names, in the plant's time zone: the UTC instant moves when the
        clocks change. A local time that does not exist on a spring-forward day is
        read as the clock after the jump (zoneinfo's fold=0).
        """
        found = []
        day = since.astimezone(self.zone).date() - timedelta(days=1)
        last = until.astimezone(self.zone).date()
        while day <= last:
            if schedule.on(day):
                local = datetime.combine(day, schedule.shift_at, tzinfo=self.zone)
                opens = (local - timedelta(minutes=schedule.lead_minutes)).astimezone(UTC)
                if since < opens <= until and opens >= schedule.created_at:
                    found.append(opens)
            day += timedelta(days=1)
        return sorted(found)


def shift_time(hour: int, minute: int) -> time:
    return time(hour=hour, minute=minute)
