"""The staff-mood analysis for a period: what the monthly report and `python -m bot analysis` show.

Everything here is built from anonymous records only, and every count that
leaves it obeys the anonymity rules: units with fewer than k messages roll up
into their workshop or the plant, and every cell under k is suppressed,
together with the cells that would let it be found by subtraction
(`bot.concerns.suppression`). Hot words come only from words found in at least
two messages, so no phrase of one person's message is quoted back.
"""

from __future__ import annotations

import calendar
import statistics
from dataclasses import dataclass, field
from datetime import date, timedelta

from bot.concerns import suppression, words
from bot.concerns.service import Concerns
from bot.db.concerns import Concern

PLANT = "plant"


@dataclass(frozen=True)
class Period:
    first: date
    last: date

    @classmethod
    def month(cls, text: str) -> Period:
        """`2026-10` → 1 to 31 October 2026 (ValueError for anything else)."""
        year, _, month = text.partition("-")
        if not (year.isdigit() and month.isdigit() and len(year) == 4 and 1 <= int(month) <= 12):
            raise ValueError(f"expected a month as YYYY-MM, not {text!r}")
        y, m = int(year), int(month)
        return cls(date(y, m, 1), date(y, m, calendar.monthrange(y, m)[1]))

    def previous(self) -> Period:
        """The period of the same length just before (the month before, for a month)."""
        if (
            self.first.day == 1
            and self.last.day == calendar.monthrange(self.last.year, self.last.month)[1]
        ):
            last = self.first - timedelta(days=1)
            return Period(last.replace(day=1), last)
        length = self.last - self.first
        return Period(self.first - length - timedelta(days=1), self.first - timedelta(days=1))


@dataclass(frozen=True)
class Mood:
    taps: int
    index: float | None  # 0 (all 😞) … 100 (all 😀); None when fewer than k taps


@dataclass(frozen=True)
class Urgent:
    count: int
    answered: int
    overdue: int  # past their day and still unanswered
    median_days: float | None  # from arrival to the first answer, for those answered


@dataclass
class Analysis:
    period: Period
    k: int
    total: int
    table: suppression.SuppressedTable
    units: dict[str, str]  # row key → a readable name
    categories: dict[str, str]  # column key → a readable name
    mood: Mood
    mood_before: Mood
    hot_words: list[tuple[str, int]]
    sentiment_mean: float | None
    sentiment_classes: dict[str, int | None] = field(default_factory=dict)
    urgent: Urgent = Urgent(0, 0, 0, None)

    @property
    def mood_trend(self) -> float | None:
        if self.mood.index is None or self.mood_before.index is None:
            return None
        return self.mood.index - self.mood_before.index


def _unit_key(concern: Concern) -> str:
    return PLANT if concern.unit_kind == "plant" else f"{concern.unit_kind}:{concern.unit_id}"


def mood_of(counts: list[tuple[str, int, int, int]], k: int) -> Mood:
    taps = sum(c[3] for c in counts)
    if taps < k:
        return Mood(taps, None)
    mean = sum(mood * n for _kind, _id, mood, n in counts) / taps
    return Mood(taps, round((mean - 1) / 4 * 100, 1))


async def analyse(concerns: Concerns, period: Period, locale: str = "en") -> Analysis:
    services = concerns.services
    k = services.settings.anon_k
    found = await concerns.repo.between(period.first, period.last)

    # Units: a team or workshop with fewer than k messages counts in its parent.
    parents: dict[str, str] = {}
    names: dict[str, str] = {PLANT: "Plant (smaller units together)"}
    for workshop in await services.org.workshops():
        names[f"workshop:{workshop.id}"] = workshop.name
        parents[f"workshop:{workshop.id}"] = PLANT
        for team in await services.org.teams(workshop.id):
            names[f"team:{team.id}"] = f"{team.name} · {workshop.name}"
            parents[f"team:{team.id}"] = f"workshop:{workshop.id}"
    per_unit: dict[str, int] = {}
    for concern, _text in found:
        per_unit[_unit_key(concern)] = per_unit.get(_unit_key(concern), 0) + 1
    merged = suppression.roll_up(per_unit, parents, k)

    def final_unit(key: str) -> str:
        """Where a unit's messages are counted after the roll-up (the plant if withheld)."""
        return merged.home.get(key) or PLANT

    cells: dict[tuple[str, str], int] = {}
    for concern, _text in found:
        cell = (final_unit(_unit_key(concern)), concern.category)
        cells[cell] = cells.get(cell, 0) + 1
    categories = {c.id: c.name(locale) for c in concerns.content.categories}
    table = suppression.suppress(cells, k)

    scores = [c.sentiment for c, _t in found]
    classes = {
        "negative": sum(1 for s in scores if s < -0.2),
        "neutral": sum(1 for s in scores if -0.2 <= s <= 0.2),
        "positive": sum(1 for s in scores if s > 0.2),
    }
    urgent = [c for c, _t in found if c.urgent]
    answered = [c for c in urgent if c.answered_on is not None]
    today = concerns.today()
    return Analysis(
        period=period,
        k=k,
        total=len(found),
        table=table,
        units={key: names.get(key, key) for key in {*merged, PLANT}},
        categories=categories,
        mood=mood_of(await concerns.repo.mood_counts(period.first, period.last), k),
        mood_before=mood_of(
            await concerns.repo.mood_counts(period.previous().first, period.previous().last), k
        ),
        hot_words=words.hot_words([t for _c, t in found], top=15),
        sentiment_mean=round(statistics.fmean(scores), 2) if len(scores) >= k else None,
        sentiment_classes=_classes_shown(classes, k),
        urgent=Urgent(
            count=len(urgent),
            answered=len(answered),
            overdue=sum(1 for c in urgent if c.overdue(today)),
            median_days=(
                statistics.median((c.answered_on - c.day).days for c in answered if c.answered_on)
                if answered
                else None
            ),
        ),
    )


def _classes_shown(classes: dict[str, int], k: int) -> dict[str, int | None]:
    """The sentiment classes with those under k hidden; the total is published, so a single
    hidden class would be the total minus the others: then the next smallest is hidden too."""
    shown: dict[str, int | None] = {
        n: (v if v == 0 or v >= k else None) for n, v in classes.items()
    }
    hidden = [n for n, v in shown.items() if v is None]
    if len(hidden) == 1:
        rest = [n for n, v in classes.items() if n not in hidden and v > 0]
        if rest:
            shown[min(rest, key=lambda n: (classes[n], n))] = None
    return shown


def render(analysis: Analysis) -> str:
    """The analysis as plain text for a terminal (the monthly report draws its own)."""
    a = analysis
    shown = "–"

    def cell(value: int | None) -> str:
        return shown if value is None else str(value)

    lines = [
        f"Staff-mood analysis {a.period.first.isoformat()} … {a.period.last.isoformat()}",
        f"Anonymous messages: {a.total}   (cells under k = {a.k} are shown as {shown})",
        "",
        "Messages by unit and topic:",
    ]
    columns = [c for c in a.categories if any(col == c for (_r, col) in a.table.cells)]
    header = ["unit", *(a.categories[c] for c in columns), "total"]
    rows = [header]
    for unit in sorted({r for (r, _c) in a.table.cells}, key=lambda u: a.units.get(u, u)):
        rows.append(
            [
                a.units.get(unit, unit),
                *(cell(a.table.cells.get((unit, c))) for c in columns),
                cell(a.table.row_totals.get(unit)),
            ]
        )
    rows.append(
        ["total", *(cell(a.table.column_totals.get(c)) for c in columns), cell(a.table.grand_total)]
    )
    widths = [max(len(r[i]) for r in rows) for i in range(len(header))]
    lines += ["  " + "  ".join(v.ljust(w) for v, w in zip(r, widths, strict=True)) for r in rows]
    lines.append("")
    if a.mood.index is None:
        lines.append(f"Mood index: too few taps to show ({a.mood.taps}, fewer than k)")
    else:
        trend = a.mood_trend
        change = (
            "no earlier period to compare"
            if trend is None
            else f"{trend:+.1f} on the period before"
        )
        lines.append(f"Mood index: {a.mood.index:.1f} of 100 from {a.mood.taps} taps ({change})")
    lines.append(
        "Hot words: "
        + (
            ", ".join(f"{w} ({n})" for w, n in a.hot_words)
            if a.hot_words
            else "none in two or more messages"
        )
    )
    mean = "too few messages" if a.sentiment_mean is None else f"{a.sentiment_mean:+.2f}"
    classes = ", ".join(f"{k} {cell(v)}" for k, v in a.sentiment_classes.items())
    lines.append(f"Sentiment (-1 … +1): mean {mean}; {classes}")
    u = a.urgent
    median = "–" if u.median_days is None else f"{u.median_days:g} days"
    lines.append(
        f"Urgent: {u.count}, answered {u.answered} (median {median} to the first answer), overdue {u.overdue}"
    )
    return "\n".join(lines)
