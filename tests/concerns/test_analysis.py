"""The month's staff-mood analysis: small cells suppressed (also against subtraction),
hot words, the mood index and its trend, sentiment, urgent items; and its command."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import date
from pathlib import Path

from bot.concerns import suppression
from bot.concerns.analysis import Period, analyse, render
from bot.concerns.service import Concerns
from bot.config import Settings
from bot.db.concerns import NewConcern
from bot.sim.harness import Harness
from tests.preshift.helpers import crew

ROOT = Path(__file__).resolve().parents[2]


async def add(
    concerns: Concerns,
    day: date,
    category: str,
    unit: tuple[str, int],
    text: str,
    *,
    urgent: bool = False,
) -> int:
    return await concerns.repo.create(
        NewConcern(
            day=day,
            category=category,
            unit=unit,
            text=text,
            urgent=("hazard",) if urgent else (),
            due_on=date.fromordinal(day.toordinal() + 1) if urgent else None,
            sentiment=-0.6,
            receipt_salt=b"s" * 16,
            receipt_hash=b"h" * 32,
            notify_sealed=None,
            export=False,
        )
    )


async def month_of_concerns(harness: Harness) -> Concerns:
    """October: a big team with many messages, a second team with only two (rolled up)."""
    big = await crew(harness, 6, team_name="Shift A", leader_id=700)
    small = await crew(harness, 5, team_name="Shift B", leader_id=800)
    dock = await harness.services.org.create_workshop("Dock")
    loading = await harness.services.org.create_team(dock.id, "Loading")
    concerns = harness.services.get(Concerns)
    a, b, c = ("team", big.team.id), ("team", small.team.id), ("team", loading.id)
    for n in range(6):
        await add(concerns, date(2026, 10, 5 + n), "hours", c, f"夜班连上七天，休息日太少 {n}")
    for n in range(7):
        await add(
            concerns, date(2026, 10, 3 + n), "living", a, f"食堂的饭菜太咸了，宿舍热水也不够 {n}"
        )
    for n in range(6):
        await add(concerns, date(2026, 10, 10 + n), "pay", a, f"加班费没有按时发，工资条看不懂 {n}")
    await add(concerns, date(2026, 10, 12), "safety", a, "盐池边的护栏松了", urgent=True)
    await add(concerns, date(2026, 10, 20), "pay", b, "加班费算错了")
    await add(concerns, date(2026, 10, 21), "living", b, "宿舍热水不够用")
    await add(concerns, date(2026, 11, 2), "living", a, "十一月的事，不在十月的分析里")
    db = harness.services.db
    for day, mood, taps in (
        ("2026-09-15", 4, 10),
        ("2026-09-16", 5, 4),
        ("2026-10-15", 2, 8),
        ("2026-10-16", 3, 6),
    ):
        await db.execute(
            "INSERT INTO mood_counts (day, unit_kind, unit_id, mood, taps) VALUES (?, 'plant', 0, ?, ?)",
            (day, mood, taps),
        )
    that_day = await concerns.repo.between(date(2026, 10, 12), date(2026, 10, 12))
    urgent = next(c for c, _text in that_day if c.urgent)
    await concerns.repo.answer(urgent.id, date(2026, 10, 13), "护栏已经修好了")
    return concerns


async def test_the_months_analysis_suppresses_small_cells_and_shows_words_and_trend(
    harness: Harness,
) -> None:
    concerns = await month_of_concerns(harness)
    result = await analyse(concerns, Period.month("2026-10"))
    assert result.total == 22  # November's message is not October's
    table = result.table
    # Every published cell is at least k (or 0); nothing suppressed can be worked out.
    for value in [*table.cells.values(), *table.row_totals.values(), *table.column_totals.values()]:
        assert value is None or value == 0 or value >= result.k
    assert suppression.derivable(table) == []
    # The small team's two messages rolled up (its row is gone); the others keep theirs.
    shown = {result.units[unit] for unit in result.table.row_totals}
    # Shift B's 2 reach the plant, which then takes in the smallest unit below it
    # (Loading, 6) so that its row has at least k.
    assert shown == {"Shift A · Salt", "Plant (smaller units together)"}
    assert sum(v for v in result.table.row_totals.values() if v) <= result.total
    words = dict(result.hot_words)
    assert words.get("加班费", 0) >= 7 and words.get("热水", 0) >= 8
    assert result.mood.index is not None and result.mood_before.index is not None
    assert result.mood_trend is not None and result.mood_trend < 0  # October felt worse
    assert result.urgent.count == 1 and result.urgent.answered == 1
    assert result.urgent.median_days == 1
    text = render(result)
    assert "Hot words:" in text and "加班费" in text
    assert "on the period before" in text
    assert "盐池边的护栏" not in text  # no message is quoted


def analysis_command(settings: Settings, month: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bot", "analysis", "--month", month],
        cwd=ROOT,
        env={**os.environ, "BOT_DB": str(settings.db_path), "BOT_TOKEN": ""},
        capture_output=True,
        text=True,
        check=False,
    )


async def test_the_analysis_command_prints_the_month(harness: Harness, settings: Settings) -> None:
    await month_of_concerns(harness)
    result = analysis_command(settings, "2026-10")
    assert result.returncode == 0, result.stderr
    assert "Staff-mood analysis 2026-10-01 … 2026-10-31" in result.stdout
    assert "Mood index:" in result.stdout and "Hot words:" in result.stdout
    bad = analysis_command(settings, "October")
    assert bad.returncode == 2 and "YYYY-MM" in bad.stderr
