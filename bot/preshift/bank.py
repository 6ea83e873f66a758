"""The study modules and the question bank, read from `content/` and checked (see content/README.md).

No Telegram here: plain records, and every problem with its file and line.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bot.config import SUPPORTED_LOCALES
from bot.content import ContentError, Problem, Reader, errors, items, line_of, read_yaml

CARD_MAX = 600
TITLE_MAX = 60
ASK_MAX = 200
OPTION_MAX = 40
EXPLAIN_MAX = 200
QUESTIONS = (3, 6)
OPTIONS = (2, 4)
LEVELS = ("basic", "regular")
_ID = re.compile(r"^[a-z0-9][a-z0-9-]{0,39}$")
_MODULE_KEYS = {"id", "topic", "level", "title", "card", "image", "sources", "questions"}
_QUESTION_KEYS = {"id", "ask", "options", "explain"}
_OPTION_KEYS = {"text", "right"}

Texts = Mapping[str, str]


def in_language(texts: Texts, locale: str) -> str:
    """The text in `locale`, else in the first language that has it (content check warns)."""
    if texts.get(locale):
        return texts[locale]
    return next((texts[loc] for loc in SUPPORTED_LOCALES if texts.get(loc)), "")


@dataclass(frozen=True)
class Topic:
    id: str
    name: Texts


@dataclass(frozen=True)
class Option:
    text: Texts
    right: bool


@dataclass(frozen=True)
class Question:
    id: str
    module_id: str
    ask: Texts
    options: tuple[Option, ...]
    explain: Texts

    @property
    def right(self) -> int:
        return next(n for n, option in enumerate(self.options) if option.right)


@dataclass(frozen=True)
class Module:
    id: str
    topic: str
    level: str
    title: Texts
    card: Texts
    sources: tuple[str, ...]
    questions: tuple[Question, ...]
    image: Path | None = None

    @property
    def basic(self) -> bool:
        return self.level == "basic"


@dataclass(frozen=True)
class Bank:
    topics: tuple[Topic, ...]
    modules: tuple[Module, ...]
    _questions: dict[str, Question] = field(default_factory=dict, repr=False, compare=False)

    def __post_init__(self) -> None:
        for module in self.modules:
            for question in module.questions:
                self._questions[question.id] = question

    def module(self, module_id: str) -> Module | None:
        return next((m for m in self.modules if m.id == module_id), None)

    def question(self, question_id: str) -> Question | None:
        return self._questions.get(question_id)

    def topic(self, topic_id: str) -> Topic | None:
        return next((t for t in self.topics if t.id == topic_id), None)

    def in_topic(self, topic_id: str) -> list[Module]:
        return [m for m in self.modules if m.topic == topic_id]

    @classmethod
    def load(cls, folder: Path) -> Bank:
        """The bank, or ContentError naming every error (warnings are logged by the caller)."""
        bank, problems = load(folder)
        if errors(problems) or bank is None:
            raise ContentError(errors(problems) or [Problem(folder, None, "has no content")])
        return bank


def load(folder: Path) -> tuple[Bank | None, list[Problem]]:
    """Read and check everything under `folder`; the bank is None when there are errors.

    Reading is slow (YAML with line numbers, half a second for the starter bank),
    so an unchanged folder is read once per process: a file's change of size or
    time makes it read again.
    """
    files = sorted(folder.glob("*.yaml")) + sorted((folder / "modules").glob("*.yaml"))
    fingerprint = tuple((str(f), f.stat().st_mtime_ns, f.stat().st_size) for f in files)
    bank, problems = _load(folder, fingerprint)
    return bank, list(problems)


@functools.lru_cache(maxsize=8)
def _load(
    folder: Path, fingerprint: tuple[tuple[str, int, int], ...]
) -> tuple[Bank | None, tuple[Problem, ...]]:
    problems: list[Problem] = []
    topics = _topics(folder / "topics.yaml", problems)
    modules: list[Module] = []
    module_ids: dict[str, Path] = {}
    question_ids: dict[str, Path] = {}
    module_dir = folder / "modules"
    files = sorted(module_dir.glob("*.yaml")) if module_dir.is_dir() else []
    if not files:
        problems.append(Problem(module_dir, None, "has no study modules (*.yaml files)"))
    for path in files:
        module = _module(path, folder, {t.id for t in topics}, problems)
        if module is None:
            continue
        if module.id in module_ids:
            problems.append(
                Problem(path, 1, f"module id “{module.id}” is also used in {module_ids[module.id]}")
            )
            continue
        module_ids[module.id] = path
        clash = False
        for question in module.questions:
            if question.id in question_ids:
                problems.append(
                    Problem(
                        path,
                        None,
                        f"question id “{question.id}” is also used in {question_ids[question.id]}",
                    )
                )
                clash = True
            question_ids[question.id] = path
        if not clash:
            modules.append(module)
    if errors(problems):
        return None, tuple(problems)
    return Bank(tuple(topics), tuple(modules)), tuple(problems)


# ------------------------------------------------------------------ reading


class _Reader(Reader):
    """The checks of this kind of file, on top of the common ones."""

    def texts(
        self, node: Mapping[str, Any], key: str, what: str, limit: int
    ) -> dict[str, str] | None:
        """A per-language text: every language present (else a warning), none too long."""
        value = node.get(key)
        line = line_of(node, key) or line_of(node)
        if not isinstance(value, Mapping):
            self.error(line, f"{what} needs a text in each language: zh_Hans, zh_Hant and en")
            return None
        texts: dict[str, str] = {}
        for locale, text in value.items():
            where = line_of(value, locale) or line
            if locale not in SUPPORTED_LOCALES:
                self.error(where, f"{what} has a text in “{locale}”, which is not a language here")
            elif not isinstance(text, str) or not text.strip():
                self.error(where, f"{what} ({locale}) is empty")
            elif len(text.strip()) > limit:
                self.error(
                    where,
                    f"{what} ({locale}) is {len(text.strip())} characters, more than {limit}",
                )
            else:
                texts[locale] = text.strip()
        missing = [loc for loc in SUPPORTED_LOCALES if loc not in value]
        if missing and texts:
            self.warn(line, f"{what} has no {', '.join(missing)} text; another language is shown")
        return texts or None


def _topics(path: Path, problems: list[Problem]) -> list[Topic]:
    data, found = read_yaml(path)
    problems += found
    if found:
        return []
    reader = _Reader(path, problems)
    entries = data.get("topics") if isinstance(data, Mapping) else None
    if not isinstance(entries, list) or not entries:
        reader.error(1, "needs a list “topics:” with at least one topic")
        return []
    topics: list[Topic] = []
    for index, entry in items(entries):
        line = line_of(entries, index)
        if not isinstance(entry, Mapping) or not isinstance(entry.get("id"), str):
            reader.error(line, "each topic needs an “id”")
            continue
        name = reader.texts(entry, "name", f"topic “{entry['id']}” name", TITLE_MAX)
        if entry["id"] in {t.id for t in topics}:
            reader.error(line, f"topic id “{entry['id']}” is listed twice")
        elif name is not None:
            topics.append(Topic(entry["id"], name))
    return topics


def _module(path: Path, folder: Path, topics: set[str], problems: list[Problem]) -> Module | None:
    data, found = read_yaml(path)
    problems += found
    if found:
        return None
    before = len(errors(problems))
    reader = _Reader(path, problems)
    if not isinstance(data, Mapping):
        reader.error(1, "a module is a set of fields: id, topic, level, title, card, …")
        return None
    reader.keys(data, _MODULE_KEYS, "the module")
    module_id = data.get("id")
    if not isinstance(module_id, str) or not _ID.match(module_id):
        reader.error(
            line_of(data, "id") or 1,
            "“id” must be lower-case letters, digits and “-” (up to 40), e.g. heat-stroke",
        )
        module_id = path.stem
    topic = data.get("topic")
    if topic not in topics:
        known = ", ".join(sorted(topics)) or "none: topics.yaml has errors"
        reader.error(
            line_of(data, "topic") or 1, f"topic “{topic}” is not in topics.yaml ({known})"
        )
    level = data.get("level", "regular")
    if level not in LEVELS:
        reader.error(line_of(data, "level"), f"level must be basic or regular, not “{level}”")
    title = reader.texts(data, "title", "the title", TITLE_MAX)
    card = reader.texts(data, "card", "the card", CARD_MAX)
    image = data.get("image")
    image_path = None
    if image is not None:
        image_path = folder / str(image)
        if not image_path.is_file():
            reader.error(line_of(data, "image"), f"image “{image}” is not a file in {folder}")
    sources = data.get("sources")
    if (
        not isinstance(sources, list)
        or not sources
        or not all(isinstance(s, str) and s.strip() for s in sources)
    ):
        reader.error(
            line_of(data, "sources") or 1,
            "“sources” must list where the facts come from (law or standard, and article)",
        )
        sources = []
    questions = _questions(data, str(module_id), reader)
    if len(errors(problems)) > before or title is None or card is None:
        return None
    return Module(
        id=str(module_id),
        topic=str(topic),
        level=str(level),
        title=title,
        card=card,
        sources=tuple(str(s).strip() for s in sources),
        questions=tuple(questions),
        image=image_path,
    )


def _questions(data: Mapping[str, Any], module_id: str, reader: _Reader) -> list[Question]:
    entries = data.get("questions")
    low, high = QUESTIONS
    if not isinstance(entries, list) or not low <= len(entries) <= high:
        count = len(entries) if isinstance(entries, list) else 0
        reader.error(
            line_of(data, "questions") or 1,
            f"a module needs {low} to {high} questions, not {count}",
        )
        return []
    questions = []
    seen: set[str] = set()
    for index, entry in items(entries):
        line = line_of(entries, index)
        if not isinstance(entry, Mapping):
            reader.error(
                line, f"question {index + 1} is not a set of fields (id, ask, options, explain)"
            )
            continue
        reader.keys(entry, _QUESTION_KEYS, f"question {index + 1}")
        question_id = entry.get("id")
        if not isinstance(question_id, str) or not _ID.match(question_id):
            reader.error(
                line, f"question {index + 1} needs an “id” of lower-case letters, digits and “-”"
            )
            continue
        if question_id in seen:
            reader.error(line, f"question id “{question_id}” appears twice in this module")
        seen.add(question_id)
        what = f"question “{question_id}”"
        ask = reader.texts(entry, "ask", what, ASK_MAX)
        explain = reader.texts(entry, "explain", f"{what} explanation", EXPLAIN_MAX)
        options = _options(entry, what, reader)
        if ask and explain and options:
            questions.append(Question(question_id, module_id, ask, tuple(options), explain))
    return questions


def _options(entry: Mapping[str, Any], what: str, reader: _Reader) -> list[Option] | None:
    raw = entry.get("options")
    low, high = OPTIONS
    line = line_of(entry, "options") or line_of(entry)
    if not isinstance(raw, list) or not low <= len(raw) <= high:
        count = len(raw) if isinstance(raw, list) else 0
        reader.error(line, f"{what} needs {low} to {high} options, not {count}")
        return None
    options = []
    for index, option in items(raw):
        option_line = line_of(raw, index) or line
        if not isinstance(option, Mapping):
            reader.error(option_line, f"{what} option {index + 1} needs a “text”")
            return None
        reader.keys(option, _OPTION_KEYS, f"{what} option {index + 1}")
        text = reader.texts(option, "text", f"{what} option {index + 1}", OPTION_MAX)
        right = option.get("right", False)
        if not isinstance(right, bool):
            reader.error(option_line, f"{what} option {index + 1}: “right” is true or false")
            return None
        if text is None:
            return None
        options.append(Option(text, right))
    rights = sum(option.right for option in options)
    if rights != 1:
        reader.error(
            line,
            f"{what} has {rights} right options; exactly one needs “right: true”",
        )
        return None
    return options
