"""Policy questions as a service: the FAQ in memory, matching, reloading, hand-offs, gaps.

The content files and what admins taught the FAQ in the bot (`faq_learned`) are
read together into one `Library`; a reload builds a new one and swaps it in
only when the files have no errors, so a broken file never takes answers away.
"""

from __future__ import annotations

import logging
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path

from bot.content import Problem, errors
from bot.db.faq import FaqRepository, Gap, Learned
from bot.faq import content
from bot.faq.content import Entry, Faq, Text
from bot.faq.engine import Confidence, Document, Engine, bundled_meaning
from bot.services import Services

_LOGGER = logging.getLogger(__name__)

MAX_QUESTION = 1000  # characters kept of a question for the gap log and a hand-off
SUGGESTIONS = 3


@dataclass(frozen=True)
class Library:
    faq: Faq
    engine: Engine
    entries: dict[str, Entry]


@dataclass(frozen=True)
class Found:
    confidence: Confidence
    entries: list[Entry]


@dataclass
class Pending:
    """A question with no good answer, kept in memory while the worker decides what to do.

    It reaches the curators' gap log only once they decide (no thanks, or ask the
    admins openly, or they ask something else): a question passed on anonymously
    becomes an anonymous message, and its words must be nowhere else.
    """

    text: str
    locale: str
    reason: str  # "unanswered" or "uncertain"
    best: str | None


@dataclass(frozen=True)
class GapGroup:
    """Similar unanswered or down-voted questions, with how often they came."""

    example: str
    count: int
    locales: tuple[str, ...]
    best_entry: str | None
    ids: tuple[int, ...] = field(default=())


def question_problem(text: str) -> str | None:
    """'empty' or 'no_words' when a question cannot be looked up; None when it can."""
    stripped = text.strip()
    if not stripped:
        return "empty"
    if sum(1 for ch in stripped if unicodedata.category(ch)[0] in "LN") < 2:
        return "no_words"
    return None


def _with_learned(faq: Faq, learned: Sequence[Learned]) -> Faq:
    """The files' FAQ with the admins' additions: new entries, and new phrasings of old ones."""
    entries = {e.id: e for e in faq.entries}
    for item in learned:
        if item.kind == "entry" and item.answer and item.entry_id not in entries:
            text = Text(item.question, (), item.answer)
            entries[item.entry_id] = Entry(
                id=item.entry_id,
                category="learned",
                valid_as_of=date.min,
                source={},
                related=(),
                plant_specific=True,
                texts={item.locale: text, "zh_Hans": text},
                file=Path("faq_learned"),
                line=None,
            )
        elif item.kind == "phrasing" and item.entry_id in entries:
            old = entries[item.entry_id]
            base = old.texts.get(item.locale) or old.text(item.locale)
            texts = dict(old.texts)
            texts[item.locale] = replace(base, phrasings=(*base.phrasings, item.question))
            entries[item.entry_id] = replace(old, texts=texts)
    return replace(faq, entries=tuple(entries.values()))


def documents(faq: Faq) -> list[Document]:
    """Each entry with its questions and phrasings in every language, as the engine indexes them."""
    return [
        Document(
            entry.id,
            tuple(
                dict.fromkeys(
                    text for t in entry.texts.values() for text in (t.question, *t.phrasings)
                )
            ),
        )
        for entry in faq.entries
    ]


def build(faq: Faq) -> Library:
    engine = Engine.build(documents(faq), faq.synonyms, bundled_meaning())
    return Library(faq, engine, {e.id: e for e in faq.entries})


class Answers:
    def __init__(self, services: Services, faq: Faq) -> None:
        self.services = services
        self.repo = FaqRepository(services.db, services.clock)
        self.library = build(faq)
        self.pending: dict[int, Pending] = {}  # by Telegram id; memory only
        self._started = False

    def today(self) -> date:
        return self.services.today()

    async def start(self) -> None:
        """Add what admins taught the FAQ in the bot (read again after each lesson)."""
        self._started = True
        learned = await self.repo.learned()
        if learned:
            self.library = build(_with_learned(self.library.faq, learned))

    async def ensure_started(self) -> None:
        """The first question after start-up also reads what admins taught the FAQ."""
        if not self._started:
            await self.start()

    async def reload(self, folder: Path) -> list[Problem]:
        """Read the files again; on errors keep the FAQ in use and return the problems."""
        faq, problems = content.load(folder)
        if faq is None or errors(problems):
            return problems
        self.library = build(_with_learned(faq, await self.repo.learned()))
        return problems

    def find(self, question: str) -> Found:
        engine = self.library.engine
        matches = engine.search(question[: MAX_QUESTION * 4], top=SUGGESTIONS)
        entries = [self.library.entries[m.id] for m in matches if m.id in self.library.entries]
        return Found(
            engine.confidence(matches, question[: MAX_QUESTION * 4]) if entries else Confidence.LOW,
            entries,
        )

    def entry(self, entry_id: str) -> Entry | None:
        return self.library.entries.get(entry_id)

    async def log_gap(self, text: str, locale: str, reason: str, best: str | None) -> None:
        await self.repo.log_gap(self.today(), locale, text[:MAX_QUESTION], reason, best)

    async def settle(self, telegram_id: int, pending: Pending | None = None) -> None:
        """Log a question that waited for a decision, and forget it (or keep `pending` instead)."""
        old = self.pending.pop(telegram_id, None)
        if old is not None:
            await self.log_gap(old.text, old.locale, old.reason, old.best)
        if pending is not None:
            self.pending[telegram_id] = pending

    async def gap_groups(self) -> list[GapGroup]:
        """Open gaps, similar ones grouped (by the engine built over the gaps themselves)."""
        gaps = await self.repo.open_gaps()
        return group_gaps(gaps)


def group_gaps(gaps: Sequence[Gap]) -> list[GapGroup]:
    """Group questions that the engine, built over the questions themselves, finds alike."""
    if not gaps:
        return []
    engine = Engine.build([Document(str(g.id), (g.text,)) for g in gaps])
    by_id = {str(g.id): g for g in gaps}
    group_of: dict[str, str] = {}
    for gap in gaps:
        key = str(gap.id)
        if key in group_of:
            continue
        group_of[key] = key
        for match in engine.search(gap.text, top=20):
            if (
                match.id != key
                and match.id not in group_of
                and _alike(engine, gap.text, match.id, by_id)
            ):
                group_of[match.id] = key
    groups: dict[str, list[Gap]] = {}
    for member, leader in group_of.items():
        groups.setdefault(leader, []).append(by_id[member])
    result = [
        GapGroup(
            example=by_id[leader].text,
            count=len(members),
            locales=tuple(sorted({m.locale for m in members})),
            best_entry=by_id[leader].best_entry,
            ids=tuple(m.id for m in members),
        )
        for leader, members in groups.items()
    ]
    return sorted(result, key=lambda g: (-g.count, g.example))


def _alike(engine: Engine, text: str, other: str, by_id: dict[str, Gap]) -> bool:
    """Two questions are alike when each finds the other first."""
    back = engine.search(by_id[other].text, top=2)
    forth = engine.search(text, top=2)
    ids = {m.id for m in back[:2]} & {m.id for m in forth[:2]}
    return len(ids) == 2
