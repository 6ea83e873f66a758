"""The FAQ files: the shipped starter FAQ, the check's problems with file and line, rendering."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from bot.config import SHIPPED_CONTENT
from bot.faq.content import load, placeholders, render

ROOT = Path(__file__).resolve().parents[2]

GOOD = """\
category:
  id: pay
  name: {zh_Hans: 工资, zh_Hant: 工資, en: Pay}
synonyms:
  - [加班费, 加班工资, overtime pay]
entries:
  - id: pay-day
    valid_as_of: 2026-11-01
    source: {zh_Hans: 本厂规定, zh_Hant: 本廠規定, en: Plant rule}
    related: []
    plant_specific: true
    zh_Hans:
      question: 几号发工资？
      phrasings: [工资啥时候发]
      answer: |
        每月**{{plant: 发薪日}}**发。
    zh_Hant:
      question: 幾號發工資？
      phrasings: [工資什麼時候發]
      answer: "每月**{{plant: 發薪日}}**發。"
    en:
      question: When is payday?
      phrasings: [when do we get paid]
      answer: "On the **{{plant: pay day}}** of each month."
"""


def folder_with(tmp_path: Path, **files: str) -> Path:
    (tmp_path / "faq").mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (tmp_path / "faq" / f"{name}.yaml").write_text(text, encoding="utf-8")
    return tmp_path


def messages(folder: Path) -> list[str]:
    return [str(p) for p in load(folder)[1]]


def test_the_shipped_faq_loads_in_three_languages() -> None:
    faq, problems = load(SHIPPED_CONTENT)
    assert faq is not None, [str(p) for p in problems if not p.warning]
    assert len(faq.entries) >= 60
    categories = {e.category for e in faq.entries}
    assert {
        "pay",
        "hours",
        "leave",
        "insurance",
        "injury",
        "contracts",
        "dispatch",
        "safety",
        "living",
    } <= categories
    for entry in faq.entries:
        assert set(entry.texts) == {"zh_Hans", "zh_Hant", "en"}
        assert all(entry.source.values())
    # Every placeholder is listed for the plant, and only plant-specific entries have them.
    found = placeholders(faq)
    assert found and all(entry.plant_specific for entry, _locale, _what in found)
    assert sum(p.warning for p in problems) == len(found)


def test_content_check_lists_the_placeholders_with_file_and_line(tmp_path: Path) -> None:
    folder = folder_with(tmp_path, pay=GOOD)
    shutil.copytree(SHIPPED_CONTENT / "modules", folder / "modules")
    shutil.copy(SHIPPED_CONTENT / "topics.yaml", folder / "topics.yaml")
    shutil.copytree(SHIPPED_CONTENT / "concerns", folder / "concerns")
    result = subprocess.run(
        [sys.executable, "-m", "bot", "content", "check"],
        cwd=ROOT,
        env={"BOT_CONTENT_DIR": str(folder), "PATH": ""},
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    line = next(x for x in result.stdout.splitlines() if "“发薪日”" in x)
    assert "faq/pay.yaml:" in line
    assert "warning: entry “pay-day” (zh_Hans): placeholder for the plant to fill in" in line


def test_each_problem_names_file_and_line(tmp_path: Path) -> None:
    odd = GOOD.replace("  - id: pay-day\n", "  - id: pay-day\n    colour: red\n").replace(
        '      answer: "On the', '      answer: "# On the'
    )
    lost = (
        GOOD.replace("id: pay\n", "id: pay2\n", 1)
        .replace("id: pay-day", "id: pay-date")
        .replace("related: []", "related: [pay-nothing]")
    )
    found = messages(folder_with(tmp_path, a=odd, b=lost))
    assert any("a.yaml:8: entry “pay-day” has an unknown field “colour”" in m for m in found), found
    assert any("“#” is not in the answers' Markdown" in m for m in found), found
    assert any(
        "b.yaml:7: entry “pay-date”: related entry “pay-nothing” does not exist" in m for m in found
    ), found


def test_a_missing_language_a_duplicate_id_and_a_placeholder_not_marked(tmp_path: Path) -> None:
    no_english = GOOD.split("    en:\n")[0]
    unmarked = GOOD.replace("plant_specific: true", "plant_specific: false").replace(
        "id: pay-day", "id: pay-date"
    )
    found = messages(folder_with(tmp_path, a=no_english, b=unmarked, c=GOOD, d=GOOD))
    assert any("a.yaml" in m and "has no en block" in m for m in found), found
    assert any("d.yaml:7: entry id “pay-day” is used twice (also c.yaml:7)" in m for m in found), (
        found
    )
    assert any("b.yaml" in m and "mark it plant_specific: true" in m for m in found), found


def test_answers_render_to_telegram_html() -> None:
    html = render(
        "**Bold** & <b>not a tag</b>\n- one\n- two [law](https://flk.npc.gov.cn)\n{{plant: HR phone}}"
    )
    assert html.splitlines() == [
        "<b>Bold</b> &amp; &lt;b&gt;not a tag&lt;/b&gt;",
        "• one",
        '• two <a href="https://flk.npc.gov.cn">law</a>',
        "【HR phone】",
    ]
