"""The study modules and question bank: every problem named with its file and line."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from bot.content import ContentError
from bot.preshift.bank import Bank, in_language, load

ROOT = Path(__file__).resolve().parents[2]
FIXTURE = Path(__file__).parent / "content"

GOOD = """\
id: heat
topic: safety
level: basic
title: {zh_Hans: 防暑, zh_Hant: 防暑, en: Heat}
card: {zh_Hans: 多喝水。, zh_Hant: 多喝水。, en: Drink water.}
sources: [A source]
questions:
  - id: heat-1
    ask: {zh_Hans: 问？, zh_Hant: 問？, en: Why?}
    options:
      - text: {zh_Hans: 对, zh_Hant: 對, en: Right}
        right: true
      - text: {zh_Hans: 错, zh_Hant: 錯, en: Wrong}
    explain: {zh_Hans: 因为。, zh_Hant: 因為。, en: Because.}
  - id: heat-2
    ask: {zh_Hans: 问？, zh_Hant: 問？, en: Why?}
    options:
      - text: {zh_Hans: 对, zh_Hant: 對, en: Right}
        right: true
      - text: {zh_Hans: 错, zh_Hant: 錯, en: Wrong}
    explain: {zh_Hans: 因为。, zh_Hant: 因為。, en: Because.}
  - id: heat-3
    ask: {zh_Hans: 问？, zh_Hant: 問？, en: Why?}
    options:
      - text: {zh_Hans: 对, zh_Hant: 對, en: Right}
        right: true
      - text: {zh_Hans: 错, zh_Hant: 錯, en: Wrong}
    explain: {zh_Hans: 因为。, zh_Hant: 因為。, en: Because.}
"""


def folder_with(tmp_path: Path, **modules: str) -> Path:
    shutil.copy(FIXTURE / "topics.yaml", tmp_path / "topics.yaml")
    (tmp_path / "concerns").symlink_to((FIXTURE / "concerns").resolve())
    (tmp_path / "faq").symlink_to((FIXTURE / "faq").resolve())
    (tmp_path / "modules").mkdir()
    for name, text in modules.items():
        (tmp_path / "modules" / f"{name}.yaml").write_text(text, encoding="utf-8")
    return tmp_path


def messages(folder: Path) -> list[str]:
    return [str(p) for p in load(folder)[1]]


def test_a_good_module_loads(tmp_path: Path) -> None:
    bank, problems = load(folder_with(tmp_path, heat=GOOD))
    assert problems == [] and bank is not None
    (module,) = bank.modules
    assert module.basic and [q.id for q in module.questions] == ["heat-1", "heat-2", "heat-3"]
    assert bank.question("heat-2") is not None and bank.question("heat-2").right == 0  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (("topic: safety", "topic: gossip"), "heat.yaml:2: topic “gossip” is not in topics.yaml"),
        (
            ("        right: true\n      - text: {zh_Hans: 错", "      - text: {zh_Hans: 错"),
            "heat.yaml:10: question “heat-1” has 0 right options; exactly one needs “right: true”",
        ),
        (
            (
                "      - text: {zh_Hans: 错, zh_Hant: 錯, en: Wrong}\n    explain",
                "      - text: {zh_Hans: 错, zh_Hant: 錯, en: Wrong}\n        right: true\n    explain",
            ),
            "question “heat-1” has 2 right options",
        ),
        (
            ("card: {zh_Hans: 多喝水。", "card: {zh_Hans: " + "水" * 601),
            "the card (zh_Hans) is 601 characters, more than 600",
        ),
        (("sources: [A source]", "sources: []"), "heat.yaml:6: “sources” must list"),
        (("level: basic", "level: easy"), "heat.yaml:3: level must be basic or regular"),
        (("title: {", "titel: {"), "heat.yaml:4: the module has an unknown field “titel”"),
        (("  - id: heat-3", "  - id: heat-2"), "question id “heat-2” appears twice"),
        (
            (
                "ask: {zh_Hans: 问？, zh_Hant: 問？, en: Why?}",
                "ask: {zh_Hans: 问？, zh_Hant: 問？, en: Why?, fr: Pourquoi ?}",
            ),
            "has a text in “fr”, which is not a language here",
        ),
        (
            ("title: {zh_Hans: 防暑, ", "title: {zh_Hans: 防暑: 多喝, "),
            "heat.yaml:4: is not valid YAML",
        ),
    ],
)
def test_each_problem_is_named_with_file_and_line(
    tmp_path: Path, change: tuple[str, str], expected: str
) -> None:
    broken = GOOD.replace(*change, 1)
    assert broken != GOOD
    found = messages(folder_with(tmp_path, heat=broken))
    assert any(expected in line for line in found), found
    with pytest.raises(ContentError):
        Bank.load(tmp_path)


def test_a_missing_language_is_a_warning_and_another_is_shown(tmp_path: Path) -> None:
    bank, problems = load(FIXTURE)
    assert bank is not None
    assert all(p.warning for p in problems) and problems
    assert any("rules-c.yaml:4: warning: the title has no zh_Hant text" in str(p) for p in problems)
    module = bank.module("rules-c")
    assert module is not None and in_language(module.title, "zh_Hant") == "测试模块rules-c"


def test_duplicate_ids_across_files(tmp_path: Path) -> None:
    folder = folder_with(tmp_path, heat=GOOD, again=GOOD)
    found = messages(folder)
    assert any("module id “heat” is also used in" in line for line in found), found


def test_no_modules_at_all(tmp_path: Path) -> None:
    folder = folder_with(tmp_path)
    assert any("has no study modules" in line for line in messages(folder))


def test_the_starter_bank_passes_and_is_big_enough() -> None:
    bank, problems = load(ROOT / "content")
    assert bank is not None, [str(p) for p in problems]
    assert not [p for p in problems if not p.warning]
    assert len(bank.modules) >= 15
    assert sum(len(m.questions) for m in bank.modules) >= 75
    assert {m.topic for m in bank.modules} == {t.id for t in bank.topics}
    assert all(m.sources for m in bank.modules)
    # New members start with the basics, safety first: there are basic safety modules.
    assert [m for m in bank.in_topic("safety") if m.basic]


def test_content_check_from_the_command_line(tmp_path: Path) -> None:
    def check(folder: Path) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "bot", "content", "check"],
            cwd=ROOT,
            env={"BOT_CONTENT_DIR": str(folder), "PATH": ""},
            capture_output=True,
            text=True,
            check=False,
        )

    good = check(FIXTURE)
    # 2 warnings of the bank; the rest are the shipped concerns' and FAQ's placeholders.
    assert good.returncode == 0 and "is fine (" in good.stdout, good.stdout
    assert good.stdout.count("modules/") == 2, good.stdout
    broken = check(folder_with(tmp_path, heat=GOOD.replace("topic: safety", "topic: gossip")))
    assert broken.returncode == 1
    assert "heat.yaml:2: topic “gossip” is not in topics.yaml" in broken.stdout
    assert "1 errors" in broken.stdout
