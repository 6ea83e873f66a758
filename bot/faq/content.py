"""The FAQ files in `content/faq/`: reading, checking with file and line, and rendering answers.

Each file is one category with its synonym groups and its entries; each entry
has, per language, a question, other ways workers ask it, and an answer in a
small Markdown subset (`**bold**`, lines starting with `- `, `[text](https://…)`),
with its source and the day its facts were checked. Plant-specific facts are
written `{{plant: what to fill in}}`: the check lists every one, so the plant
fills them in before workers read them.
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from bot.config import SUPPORTED_LOCALES
from bot.content import ContentError, Problem, Reader, errors, items, line_of, read_yaml

FOLDER = "faq"
MAX_ANSWER = 1500  # characters of an answer's Markdown, in one language
_ID = re.compile(r"^[a-z0-9][a-z0-9-]*$")
PLACEHOLDER = re.compile(r"\{\{\s*plant\s*:\s*([^{}]*?)\s*\}\}")
_BOLD = re.compile(r"\*\*(.+?)\*\*")
_LINK = re.compile(r"\[([^\]\n]+)\]\((https://[^\s)]+)\)")
_MARKUP = re.compile(r"[*_`#<>]|\[[^\]]*\]\(")  # what is left over after the subset


@dataclass(frozen=True)
class Text:
    question: str
    phrasings: tuple[str, ...]
    answer: str  # the Markdown subset, as written


@dataclass(frozen=True)
class Entry:
    id: str
    category: str
    valid_as_of: date
    source: dict[str, str]
    related: tuple[str, ...]
    plant_specific: bool
    texts: dict[str, Text]  # by locale
    file: Path
    line: int | None

    def text(self, locale: str) -> Text:
        return self.texts.get(locale) or self.texts["zh_Hans"]


@dataclass(frozen=True)
class Category:
    id: str
    names: dict[str, str]

    def name(self, locale: str) -> str:
        return self.names.get(locale) or self.names["zh_Hans"]


@dataclass(frozen=True)
class Faq:
    categories: tuple[Category, ...]
    entries: tuple[Entry, ...]
    synonyms: tuple[tuple[str, ...], ...]

    def entry(self, entry_id: str) -> Entry | None:
        return next((e for e in self.entries if e.id == entry_id), None)

    @classmethod
    def load(cls, folder: Path) -> Faq:
        """The FAQ in `folder/faq`; ContentError when it has errors."""
        faq, problems = load(folder)
        if faq is None:
            raise ContentError(errors(problems))
        return faq


def render(markdown: str) -> str:
    """The answer's Markdown subset as Telegram HTML; placeholders show what is missing."""
    out: list[str] = []
    for line in markdown.strip().splitlines():
        bullet = line.startswith("- ")
        text = html.escape(line[2:] if bullet else line, quote=False)
        text = _LINK.sub(lambda m: f'<a href="{html.escape(m[2])}">{m[1]}</a>', text)
        text = _BOLD.sub(r"<b>\1</b>", text)
        text = PLACEHOLDER.sub(r"【\1】", text)
        out.append(f"• {text}" if bullet else text)
    return "\n".join(out)


def load(folder: Path) -> tuple[Faq | None, list[Problem]]:
    """Every FAQ file, checked; problems name file and line. None when there are errors."""
    problems: list[Problem] = []
    root = folder / FOLDER
    files = sorted(root.glob("*.yaml")) if root.is_dir() else []
    if not files:
        problems.append(
            Problem(root, None, "has no FAQ files (*.yaml): workers' questions need answers")
        )
        return None, problems
    categories: list[Category] = []
    entries: list[Entry] = []
    synonyms: list[tuple[str, ...]] = []
    for path in files:
        _file(path, problems, categories, entries, synonyms)
    seen: dict[str, Entry] = {}
    for entry in entries:
        if entry.id in seen:
            first = seen[entry.id]
            problems.append(
                Problem(
                    entry.file,
                    entry.line,
                    f"entry id “{entry.id}” is used twice (also {first.file.name}:{first.line})",
                )
            )
        seen.setdefault(entry.id, entry)
    for entry in entries:
        for related in entry.related:
            if related not in seen:
                problems.append(
                    Problem(
                        entry.file,
                        entry.line,
                        f"entry “{entry.id}”: related entry “{related}” does not exist",
                    )
                )
    if errors(problems):
        return None, problems
    return Faq(tuple(categories), tuple(entries), tuple(synonyms)), problems


def placeholders(faq: Faq) -> list[tuple[Entry, str, str]]:
    """(entry, locale, what to fill in) for every placeholder left in the answers."""
    return [
        (entry, locale, found)
        for entry in faq.entries
        for locale, text in entry.texts.items()
        for found in PLACEHOLDER.findall(text.answer)
    ]


class _Reader(Reader):
    """The checks of a FAQ file, on top of the common ones."""

    def ident(self, node: Mapping[str, Any], what: str) -> str | None:
        value = node.get("id")
        if not isinstance(value, str) or not _ID.match(value):
            self.error(
                line_of(node, "id") or line_of(node),
                f"{what} needs an id: lower-case letters, digits and “-”",
            )
            return None
        return value

    def per_locale(self, node: Mapping[str, Any], key: str, what: str) -> dict[str, str] | None:
        value = node.get(key)
        line = line_of(node, key) or line_of(node)
        if not isinstance(value, Mapping):
            self.error(line, f"{what} needs a text in each language: zh_Hans, zh_Hant and en")
            return None
        texts = {}
        for locale in SUPPORTED_LOCALES:
            text = value.get(locale)
            if not isinstance(text, str) or not text.strip():
                self.error(line_of(value, locale) or line, f"{what} has no {locale} text")
                continue
            texts[locale] = text.strip()
        return texts if len(texts) == len(SUPPORTED_LOCALES) else None


def _file(
    path: Path,
    problems: list[Problem],
    categories: list[Category],
    entries: list[Entry],
    synonyms: list[tuple[str, ...]],
) -> None:
    data, found = read_yaml(path)
    problems.extend(found)
    if found:
        return
    reader = _Reader(path, problems)
    if not isinstance(data, Mapping):
        reader.error(None, "must hold category:, synonyms: and entries:")
        return
    reader.keys(data, {"category", "synonyms", "entries"}, "the file")
    category_node = data.get("category")
    if not isinstance(category_node, Mapping):
        reader.error(line_of(data), "needs a category: with an id and a name in each language")
        return
    category_id = reader.ident(category_node, "the category")
    names = reader.per_locale(category_node, "name", "the category")
    if category_id is None or names is None:
        return
    categories.append(Category(category_id, names))
    for position, group in items(data.get("synonyms") or []):
        words = tuple(str(w).strip() for w in group) if isinstance(group, list) else ()
        if len([w for w in words if w]) < 2:
            reader.error(
                line_of(data["synonyms"], position),
                "a synonym group lists two or more words, e.g. [加班费, 加班工资]",
            )
            continue
        synonyms.append(tuple(w for w in words if w))
    listed = data.get("entries")
    if not isinstance(listed, list) or not listed:
        reader.error(
            line_of(data, "entries") or line_of(data),
            "needs entries: a list of questions and answers",
        )
        return
    for position, node in items(listed):
        entry = _entry(reader, node, category_id, line_of(listed, position))
        if entry is not None:
            entries.append(entry)


_ENTRY_KEYS = {"id", "valid_as_of", "source", "related", "plant_specific", *SUPPORTED_LOCALES}


def _entry(reader: _Reader, node: Any, category: str, line: int | None) -> Entry | None:
    if not isinstance(node, Mapping):
        reader.error(
            line, "an entry is a map with id:, valid_as_of:, source:, and a block per language"
        )
        return None
    entry_id = reader.ident(node, "an entry")
    what = f"entry “{entry_id}”" if entry_id else "an entry"
    reader.keys(node, _ENTRY_KEYS, what)
    valid = node.get("valid_as_of")
    if isinstance(valid, str):
        try:
            valid = date.fromisoformat(valid)
        except ValueError:
            valid = None
    if not isinstance(valid, date):
        reader.error(
            line_of(node, "valid_as_of") or line,
            f"{what} needs valid_as_of: the day its facts were checked, as 2026-11-28",
        )
        valid = None
    source = reader.per_locale(node, "source", f"{what}'s source")
    related = node.get("related") or []
    if not isinstance(related, list) or not all(isinstance(r, str) for r in related):
        reader.error(line_of(node, "related") or line, f"{what}: related: is a list of entry ids")
        related = []
    plant_specific = node.get("plant_specific", False)
    if not isinstance(plant_specific, bool):
        reader.error(
            line_of(node, "plant_specific") or line, f"{what}: plant_specific: is true or false"
        )
        plant_specific = False
    texts: dict[str, Text] = {}
    for locale in SUPPORTED_LOCALES:
        text = _text(reader, node, locale, what, line)
        if text is not None:
            texts[locale] = text
    if any(PLACEHOLDER.search(t.answer) for t in texts.values()):
        for locale, text in texts.items():
            for found in PLACEHOLDER.findall(text.answer):
                reader.warn(
                    line_of(node.get(locale) or {}, "answer") or line,
                    f"{what} ({locale}): placeholder for the plant to fill in: “{found}”",
                )
        if not plant_specific:
            reader.error(
                line, f"{what} has {{{{plant: …}}}} placeholders: mark it plant_specific: true"
            )
    if entry_id is None or valid is None or source is None or len(texts) != len(SUPPORTED_LOCALES):
        return None
    return Entry(
        entry_id, category, valid, source, tuple(related), plant_specific, texts, reader.path, line
    )


def _text(
    reader: _Reader, node: Mapping[str, Any], locale: str, what: str, line: int | None
) -> Text | None:
    block = node.get(locale)
    if not isinstance(block, Mapping):
        reader.error(
            line_of(node, locale) or line,
            f"{what} has no {locale} block (question:, phrasings:, answer:)",
        )
        return None
    reader.keys(block, {"question", "phrasings", "answer"}, f"{what} ({locale})")
    question = block.get("question")
    answer = block.get("answer")
    phrasings = block.get("phrasings") or []
    where = line_of(node, locale) or line
    ok = True
    if not isinstance(question, str) or not question.strip():
        reader.error(line_of(block, "question") or where, f"{what} ({locale}) needs a question")
        ok = False
    if not isinstance(phrasings, list) or not all(
        isinstance(p, str) and p.strip() for p in phrasings
    ):
        reader.error(
            line_of(block, "phrasings") or where,
            f"{what} ({locale}): phrasings: is a list of questions",
        )
        ok = False
    if not isinstance(answer, str) or not answer.strip():
        reader.error(line_of(block, "answer") or where, f"{what} ({locale}) needs an answer")
        return None
    answer_line = line_of(block, "answer") or where
    if len(answer) > MAX_ANSWER:
        reader.error(
            answer_line,
            f"{what} ({locale}): the answer has {len(answer)} characters; at most {MAX_ANSWER} fit a phone screen",
        )
        ok = False
    leftover = _MARKUP.search(PLACEHOLDER.sub("", _LINK.sub("", _BOLD.sub(r"\1", answer))))
    if leftover:
        reader.error(
            answer_line,
            f"{what} ({locale}): “{leftover[0]}” is not in the answers' Markdown: use **bold**, lines starting with “- ”, and [text](https://…)",
        )
        ok = False
    if not ok:
        return None
    return Text(str(question).strip(), tuple(p.strip() for p in phrasings), str(answer).strip())
