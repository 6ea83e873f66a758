"""Reading the curated content files: YAML, the line of every value, problems that name file and line.

Content is written by people who are not programmers (the plant's safety office,
HR), so every problem says where it is and what is wrong in plain words, and all
problems are reported at once. Errors stop the bot from starting (it never runs
on half the content); warnings (a missing translation) do not.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import MarkedYAMLError, YAMLError


@dataclass(frozen=True)
class Problem:
    path: Path
    line: int | None  # from 1; None when the whole file is meant
    message: str
    warning: bool = False

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else str(self.path)
        return f"{where}: {'warning: ' if self.warning else ''}{self.message}"


class ContentError(Exception):
    """Content the bot must not start on."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


def errors(problems: list[Problem]) -> list[Problem]:
    return [p for p in problems if not p.warning]


def read_yaml(path: Path) -> tuple[Any, list[Problem]]:
    """The file's data (maps and lists that know their lines), or the problem that stops it."""
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        return None, [Problem(path, None, "is not UTF-8 text; save it as UTF-8")]
    except OSError as err:
        return None, [Problem(path, None, f"cannot be read: {err.strerror}")]
    try:
        return YAML(typ="rt", pure=True).load(text), []
    except MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        line = mark.line + 1 if mark is not None else None
        what = err.problem or err.context or "not valid YAML"
        return None, [Problem(path, line, f"is not valid YAML: {what}")]
    except YAMLError as err:
        return None, [Problem(path, None, f"is not valid YAML: {err}")]


def line_of(node: Any, key: str | int | None = None) -> int | None:
    """The line (from 1) of a map's key or a list's item, or of the node itself."""
    try:
        if key is None:
            return int(node.lc.line) + 1
        if isinstance(node, CommentedMap):
            return int(node.lc.key(key)[0]) + 1
        if isinstance(node, CommentedSeq) and isinstance(key, int):
            return int(node.lc.item(key)[0]) + 1
    except (AttributeError, KeyError, IndexError, TypeError):
        return None
    return None


def items(node: Any) -> Iterator[tuple[int, Any]]:
    """A YAML list's entries with their positions (nothing if it is not a list)."""
    if isinstance(node, list):
        yield from enumerate(node)


class Reader:
    """Checks one content file's values, collecting problems with their lines.

    Each kind of content file extends it with the checks of its own fields.
    """

    def __init__(self, path: Path, problems: list[Problem]) -> None:
        self.path = path
        self.problems = problems

    def error(self, line: int | None, message: str) -> None:
        self.problems.append(Problem(self.path, line, message))

    def warn(self, line: int | None, message: str) -> None:
        self.problems.append(Problem(self.path, line, message, warning=True))

    def keys(self, node: Mapping[str, Any], allowed: set[str], what: str) -> None:
        for key in node:
            if key not in allowed:
                known = ", ".join(sorted(allowed))
                self.error(line_of(node, key), f"{what} has an unknown field “{key}” ({known})")
