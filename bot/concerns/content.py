"""The anonymous-concern journey's content, read from `content/concerns/` and checked.

Three files a non-programmer edits: the categories a worker picks from, the
urgent patterns that alert the admins at once, and what a worker who mentions
self-harm is shown at once. No Telegram here: plain records, every problem with
its file and line, and the matcher that tells which urgent kinds a text mentions.

Pattern rules (also written at the top of urgent.yaml): a pattern is matched
against the concern after Unicode NFKC and lower case; Chinese patterns against
the text with all whitespace removed, English ones against the text with
whitespace runs made one space, starting at the start of a word. `*` stands for
up to 8 characters of anything. Every pattern of every language is tried on
every text: a worker may write traditional characters with a simplified screen.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bot.config import SUPPORTED_LOCALES
from bot.content import ContentError, Problem, Reader, errors, items, line_of, read_yaml

FOLDER = "concerns"
CATEGORIES_FILE = "categories.yaml"
URGENT_FILE = "urgent.yaml"
HELPLINES_FILE = "helplines.yaml"
FILES = (CATEGORIES_FILE, URGENT_FILE, HELPLINES_FILE)

DEFAULT_LOCALE = "zh_Hans"
CATEGORIES = (2, 8)
OTHER = "other"
# A category name is a button label: short enough for a phone held in one hand.
CATEGORY_NAME_MAX = {"zh_Hans": 12, "zh_Hant": 12, "en": 24}
KIND_NAME_MAX = 40
PATTERN_MAX = 40
GAP = 8  # what `*` stands for: up to this many characters of anything
HELPLINE_MAX = 400
HELPLINE_LINES = 4
CONTACT_MAX = 100
# A plant_contact text holding one of these is still the shipped placeholder:
# it is never shown to a worker, and the content check warns until it is replaced.
PLACEHOLDER_MARKS = ("本厂填写", "本廠填寫", "to be filled in")

_ID = re.compile(r"^[a-z0-9][a-z0-9-]{0,39}$")
_CATEGORIES_KEYS = {"categories"}
_CATEGORY_KEYS = {"id", "urgent", "name"}
_URGENT_KEYS = {"kinds"}
_KIND_KEYS = {"id", "name", "helpline", "patterns"}
_HELPLINES_KEYS = {"helplines", "plant_contact"}

# Typographic apostrophes become ' so that "don’t" meets the pattern "don't";
# invisible joiners are dropped so that they cannot split a word.
_REPLACE = (
    ("\u2018", "'"),
    ("\u2019", "'"),
    ("\u02bc", "'"),
    ("\u200b", ""),
    ("\u200c", ""),
    ("\u200d", ""),
    ("\u2060", ""),
    ("\ufeff", ""),
)

Texts = Mapping[str, str]


def in_language(texts: Texts, locale: str) -> str:
    """The text in `locale`, else in simplified Chinese, else in any language that has it."""
    if texts.get(locale):
        return texts[locale]
    if texts.get(DEFAULT_LOCALE):
        return texts[DEFAULT_LOCALE]
    return next((text for text in texts.values() if text), "")


def is_placeholder(text: str) -> bool:
    """Whether a plant-editable text still holds the shipped placeholder."""
    folded = unicodedata.normalize("NFKC", text).lower()
    return any(mark in folded for mark in PLACEHOLDER_MARKS)


def compact_locale(locale: str) -> bool:
    """Chinese patterns and texts are compared with every space removed."""
    return locale.startswith("zh")


def normalise(text: str) -> tuple[str, str]:
    """The text as Chinese patterns see it (no whitespace) and as English ones do (single spaces)."""
    folded = unicodedata.normalize("NFKC", text).lower()
    if not folded.isascii():
        for old, new in _REPLACE:
            if old in folded:
                folded = folded.replace(old, new)
    words = folded.split()  # str.split() splits at every kind of Unicode whitespace
    return "".join(words), " ".join(words)


def normalise_pattern(pattern: str, locale: str) -> str:
    """A pattern as it is matched: folded like the texts it is tried on."""
    compact, spaced = normalise(pattern)
    return compact if compact_locale(locale) else spaced


def pattern_regex(patterns: Iterable[str], locale: str) -> str | None:
    """One regular expression that finds any of the normalised patterns (None for none).

    `*` is a short gap, everything else literal; a `*` at either end changes nothing.
    Speed: the regex engine skips quickly to the characters a pattern may start
    with, then tries each of them in turn. So each pattern is looked for from its
    least common character (危险 from 险, looking back for 危), and the patterns
    are merged into a prefix tree: at most places in a text nothing is tried, and
    all patterns on a 2,000-character concern take well under a millisecond.
    """
    compact = compact_locale(locale)
    root: _Node = {}
    for pattern in patterns:
        tokens = list(pattern.strip("*"))
        if tokens:
            _insert(root, _pieces(tokens, compact))
    return _branches(root) if root else None


_Node = dict[str, "_Node"]
_END = ""  # marks the end of a pattern in the prefix tree (no piece is empty)
_STAR = "*"
_GAP_REGEX = f".{{0,{GAP}}}"
_WORD_START = "(?<![a-z0-9])"  # an English pattern starts where no Latin letter or digit is before
# Characters so common in Chinese text (simplified and traditional), and English
# letters from the most to the least common: a pattern is not looked for from these
# when it has a rarer one. Only speed depends on this list, never what is found.
_COMMON_HAN = (
    "0123456789的一是不了人我在有他这中大来上个们到说为子和你地出道也时年得就那要下以生会自着去之过家"
    "学对可她里后小么心多天而能好都然没日于起还发成事只作当想看文无开手十用主行方又如前所本见经头面"
    "公同三已老从动两长知民样现分将外但身些与高意进把法此实回二理美点月明其种声全工己话儿者向情部正"
    "名定女问力机给等几很业最间新什打便位因重被走电四第门相次东再平真听世气信少关并内加化由却代产入"
    "先山五太水万市眼体别处总才场师书比住员九笑性通目报立马命张活难神数件安表原车白应路期叫死常提感"
    "金何更反合放做系计或司利受光王果亲界及今务制解各任至清物记边共风干接它许八特觉望直服毛林题建南"
    "度统色字请交爱让认算论百吃义科怎元社术结六功指思非流每青管夫连远资队跟带花快条院变联言权往展该"
    "领传近留红治决周保达办运半候七必城父强步完深区即求品士转量空众技轻程告语基满式息写呢识令收钱倒"
    "未持取设始双历越商千片容像找友孩站广改议形早房音火际则首单据导影失拿网似专石谁校读志飞观争究包"
    "组造落视喜离虽坏兴切团尽班宿舍饭菜"
    "這來個們說為時會過對裡後麼沒發還學經頭現樣將與點從兩長問機給幾業間電門東開無實種聲話兒總處師書"
    "員報馬張難數車應見親務記邊風許覺題統請愛讓認論義術結條變聯權該領傳達辦運強專區轉輕語際則單據導"
    "網視離雖壞興團盡飯錢資設歷隊帶著"
)
_COMMON_LATIN = " '-etaoinshrdlcumwfgypbvkjxqz0123456789"


def _rarity(token: str, compact: bool) -> int:
    common = _COMMON_HAN if compact else _COMMON_LATIN
    where = common.find(token)
    return len(common) if where < 0 else where


def _pieces(tokens: list[str], compact: bool) -> list[str]:
    """One pattern as regex pieces: from its rarest character on, what comes before it looked back for.

    The rarest character is chosen among those with at most one `*` before them,
    since a look-back has a fixed length (one gap becomes GAP + 1 look-backs).
    """
    anchor, gaps = 0, 0
    for index, token in enumerate(tokens):
        if token == _STAR:
            gaps += 1
            if gaps > 1:
                break
        elif _rarity(token, compact) > _rarity(tokens[anchor], compact):
            anchor = index
    before, after = tokens[:anchor], tokens[anchor:]
    end = after.index("*") if "*" in after else len(after)
    run, rest = "".join(after[:end]), after[end:]
    pieces = [re.escape(token) for token in run]
    if before or not compact:
        pieces.append(_look_back(before, run, word_start="" if compact else _WORD_START))
    pieces += [_GAP_REGEX if token == _STAR else re.escape(token) for token in rest]
    return pieces


def _look_back(before: list[str], run: str, word_start: str) -> str:
    if "*" not in before:
        return f"(?<={word_start}{re.escape(''.join(before) + run)})"
    gap = before.index("*")
    head = re.escape("".join(before[:gap]))
    tail = re.escape("".join(before[gap + 1 :]) + run)
    widths = (f"(?<={word_start}{head}.{{{n}}}{tail})" for n in range(GAP + 1))
    # The part after the gap is checked once first: most places fail there.
    return f"(?<={tail})(?:" + "|".join(widths) + ")"


def _insert(root: _Node, pieces: list[str]) -> None:
    node = root
    for piece in pieces:
        if _END in node:
            return  # a shorter pattern already finds every text this one would
        node = node.setdefault(piece, {})
    node.clear()
    node[_END] = {}


def _branches(node: _Node) -> str:
    if _END in node:
        return ""
    alternatives = [piece + _branches(child) for piece, child in sorted(node.items())]
    return alternatives[0] if len(alternatives) == 1 else "(?:" + "|".join(alternatives) + ")"


@dataclass(frozen=True)
class Category:
    id: str
    urgent: bool
    names: dict[str, str]

    def name(self, locale: str) -> str:
        return in_language(self.names, locale)


@dataclass(frozen=True)
class UrgentKind:
    id: str
    names: dict[str, str]
    helpline: bool = False
    # Per language, as normalised when read (see `normalise_pattern`).
    patterns: Mapping[str, tuple[str, ...]] = field(default_factory=dict)

    def name(self, locale: str) -> str:
        return in_language(self.names, locale)


class _Matcher:
    """All patterns compiled once: per kind, one regex for Chinese patterns and one for English.

    Most concerns mention nothing urgent, so one regex of every pattern answers
    them in a single pass; only a text that matches it is tried kind by kind.
    """

    def __init__(self, kinds: Iterable[UrgentKind]) -> None:
        self._kinds: list[tuple[str, re.Pattern[str] | None, re.Pattern[str] | None]] = []
        every: dict[bool, list[str]] = {True: [], False: []}
        for kind in kinds:
            mine: dict[bool, list[str]] = {True: [], False: []}
            for locale, patterns in kind.patterns.items():
                # Chinese locales share one regex (texts without spaces), the others another.
                folded = [normalise_pattern(pattern, locale) for pattern in patterns]
                mine[compact_locale(locale)] += folded
                every[compact_locale(locale)] += folded
            self._kinds.append((kind.id, _compile(mine[True], True), _compile(mine[False], False)))
        self._any_compact = _compile(every[True], True)
        self._any_spaced = _compile(every[False], False)

    def kinds(self, text: str) -> tuple[str, ...]:
        compact, spaced = normalise(text)
        if not (_found(self._any_compact, compact) or _found(self._any_spaced, spaced)):
            return ()
        return tuple(
            kind_id
            for kind_id, in_compact, in_spaced in self._kinds
            if _found(in_compact, compact) or _found(in_spaced, spaced)
        )


def _compile(patterns: list[str], compact: bool) -> re.Pattern[str] | None:
    regex = pattern_regex(patterns, "zh_Hans" if compact else "en")
    return re.compile(regex, re.DOTALL) if regex else None


def _found(regex: re.Pattern[str] | None, text: str) -> bool:
    return regex is not None and regex.search(text) is not None


@dataclass(frozen=True)
class ConcernContent:
    categories: tuple[Category, ...]
    kinds: tuple[UrgentKind, ...]
    helplines: dict[str, str]
    plant_contact: dict[str, str]
    _matcher: _Matcher = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_matcher", _Matcher(self.kinds))

    def category(self, category_id: str) -> Category | None:
        return next((c for c in self.categories if c.id == category_id), None)

    def kind(self, kind_id: str) -> UrgentKind | None:
        return next((k for k in self.kinds if k.id == kind_id), None)

    def urgent_kinds(self, text: str) -> tuple[str, ...]:
        """The ids of the urgent kinds the text mentions, in file order, each once."""
        return self._matcher.kinds(text)

    def helpline(self, locale: str) -> str:
        """What a worker who mentions self-harm sees at once; the plant's contact once it is filled in."""
        text = in_language(self.helplines, locale).strip()
        contact = in_language(self.plant_contact, locale).strip()
        if contact and not is_placeholder(contact):
            return f"{text}\n{contact}"
        return text

    @classmethod
    def load(cls, folder: Path) -> ConcernContent:
        """The content, or ContentError naming every error (warnings are logged by the caller)."""
        content, problems = load(folder)
        if errors(problems) or content is None:
            where = folder / FOLDER
            raise ContentError(errors(problems) or [Problem(where, None, "has no content")])
        return content


def load(folder: Path) -> tuple[ConcernContent | None, list[Problem]]:
    """Read and check `folder/concerns/`; the content is None when there are errors.

    An unchanged folder is read once per process (YAML with line numbers is slow):
    a file's change of size or time makes it read again.
    """
    paths = [folder / FOLDER / name for name in FILES]
    fingerprint = tuple((str(path), *_stamp(path)) for path in paths)
    content, problems = _load(folder, fingerprint)
    return content, list(problems)


def _stamp(path: Path) -> tuple[int, int]:
    try:
        stat = path.stat()
    except OSError:
        return -1, -1
    return stat.st_mtime_ns, stat.st_size


@functools.lru_cache(maxsize=8)
def _load(
    folder: Path, fingerprint: tuple[tuple[str, int, int], ...]
) -> tuple[ConcernContent | None, tuple[Problem, ...]]:
    problems: list[Problem] = []
    where = folder / FOLDER
    categories = _categories(where / CATEGORIES_FILE, problems)
    kinds = _kinds(where / URGENT_FILE, problems)
    helplines, contact = _helplines(where / HELPLINES_FILE, problems)
    if errors(problems) or helplines is None or contact is None:
        return None, tuple(problems)
    content = ConcernContent(tuple(categories), tuple(kinds), helplines, contact)
    return content, tuple(problems)


# ------------------------------------------------------------------ reading


class _Reader(Reader):
    """The checks of this kind of file, on top of the common ones."""

    def flag(self, node: Mapping[str, Any], key: str, what: str) -> bool:
        value = node.get(key, False)
        if not isinstance(value, bool):
            self.error(line_of(node, key) or line_of(node), f"{what}: “{key}” is true or false")
            return False
        return value

    def ident(self, node: Mapping[str, Any], line: int | None, what: str) -> str | None:
        value = node.get("id")
        if not isinstance(value, str) or not _ID.match(value):
            self.error(
                line_of(node, "id") or line,
                f"{what} needs an “id” of lower-case letters, digits and “-” (up to 40)",
            )
            return None
        return value

    def texts(
        self, node: Mapping[str, Any], key: str, what: str, limits: Mapping[str, int] | int
    ) -> dict[str, str] | None:
        """A text in every language (zh_Hans, zh_Hant and en are all needed), none too long."""
        value = node.get(key)
        line = line_of(node, key) or line_of(node)
        if not isinstance(value, Mapping):
            self.error(line, f"{what} needs a text in each language: zh_Hans, zh_Hant and en")
            return None
        texts: dict[str, str] = {}
        failed = False
        for locale, text in value.items():
            at = line_of(value, locale) or line
            limit = limits if isinstance(limits, int) else limits.get(locale, 0)
            if locale not in SUPPORTED_LOCALES:
                self.error(at, f"{what} has a text in “{locale}”, which is not a language here")
                failed = True
            elif not isinstance(text, str) or not text.strip():
                self.error(at, f"{what} ({locale}) is empty")
                failed = True
            elif len(text.strip()) > limit:
                self.error(
                    at, f"{what} ({locale}) is {len(text.strip())} characters, more than {limit}"
                )
                failed = True
            else:
                texts[locale] = text.strip()
        missing = [loc for loc in SUPPORTED_LOCALES if loc not in value]
        if missing:
            self.error(
                line,
                f"{what} has no {', '.join(missing)} text (zh_Hans, zh_Hant and en are all needed)",
            )
            failed = True
        return None if failed else texts

    def top(self, data: Any, allowed: set[str], example: str) -> bool:
        """Whether the file is a set of fields (only the allowed ones are checked for)."""
        if not isinstance(data, Mapping):
            self.error(1, f"needs its fields at the top, e.g. {example}")
            return False
        self.keys(data, allowed, "the file")
        return True


def _categories(path: Path, problems: list[Problem]) -> list[Category]:
    data, found = read_yaml(path)
    problems += found
    if found:
        return []
    reader = _Reader(path, problems)
    if not reader.top(data, _CATEGORIES_KEYS, "“categories:” and a list of “- id: …”"):
        return []
    entries = data.get("categories")
    line = line_of(data, "categories") or 1
    if not isinstance(entries, list):
        reader.error(line, "needs a list “categories:” (- id: …, name: …)")
        return []
    low, high = CATEGORIES
    if not low <= len(entries) <= high:
        reader.error(line, f"a worker picks from {low} to {high} categories, not {len(entries)}")
    categories: list[Category] = []
    seen: dict[str, int | None] = {}
    for index, entry in items(entries):
        at = line_of(entries, index) or line
        if not isinstance(entry, Mapping):
            reader.error(at, f"category {index + 1} is not a set of fields (id, urgent, name)")
            continue
        reader.keys(entry, _CATEGORY_KEYS, f"category {index + 1}")
        category_id = reader.ident(entry, at, f"category {index + 1}")
        what = f"category “{category_id or index + 1}”"
        urgent = reader.flag(entry, "urgent", what)
        names = reader.texts(entry, "name", f"{what} name", CATEGORY_NAME_MAX)
        if category_id is None:
            continue
        if category_id in seen:
            reader.error(
                at, f"category id “{category_id}” is also used on line {seen[category_id]}"
            )
            continue
        seen[category_id] = at
        if names is not None:
            categories.append(Category(category_id, urgent, names))
    if OTHER not in seen:
        reader.error(line, f"one category must have the id “{OTHER}”, for what fits nowhere else")
    return categories


def _kinds(path: Path, problems: list[Problem]) -> list[UrgentKind]:
    data, found = read_yaml(path)
    problems += found
    if found:
        return []
    reader = _Reader(path, problems)
    if not reader.top(data, _URGENT_KEYS, "“kinds:” and a list of “- id: …”"):
        return []
    entries = data.get("kinds")
    line = line_of(data, "kinds") or 1
    if not isinstance(entries, list) or not entries:
        reader.error(line, "needs a list “kinds:” with at least one kind of urgent concern")
        return []
    kinds: list[UrgentKind] = []
    seen: dict[str, int | None] = {}
    for index, entry in items(entries):
        at = line_of(entries, index) or line
        if not isinstance(entry, Mapping):
            reader.error(
                at, f"kind {index + 1} is not a set of fields (id, name, helpline, patterns)"
            )
            continue
        reader.keys(entry, _KIND_KEYS, f"kind {index + 1}")
        kind_id = reader.ident(entry, at, f"kind {index + 1}")
        what = f"kind “{kind_id or index + 1}”"
        names = reader.texts(entry, "name", f"{what} name", KIND_NAME_MAX)
        helpline = reader.flag(entry, "helpline", what)
        patterns = _patterns(entry, what, reader)
        if kind_id is None:
            continue
        if kind_id in seen:
            reader.error(at, f"kind id “{kind_id}” is also used on line {seen[kind_id]}")
            continue
        seen[kind_id] = at
        if names is not None and patterns is not None:
            kinds.append(UrgentKind(kind_id, names, helpline, patterns))
    return kinds


def _patterns(
    entry: Mapping[str, Any], what: str, reader: _Reader
) -> dict[str, tuple[str, ...]] | None:
    value = entry.get("patterns")
    line = line_of(entry, "patterns") or line_of(entry)
    if not isinstance(value, Mapping):
        reader.error(
            line, f"{what} needs “patterns:” with a list in each language: zh_Hans, zh_Hant and en"
        )
        return None
    failed = False
    patterns: dict[str, tuple[str, ...]] = {}
    for locale, raw in value.items():
        at = line_of(value, locale) or line
        if locale not in SUPPORTED_LOCALES:
            reader.error(at, f"{what} has patterns in “{locale}”, which is not a language here")
            failed = True
            continue
        if not isinstance(raw, list) or not raw:
            reader.error(at, f"{what} needs a list of patterns in {locale}, e.g. [想死, 不想活]")
            failed = True
            continue
        kept: list[str] = []
        for index, item in items(raw):
            item_at = line_of(raw, index) or at
            pattern = _pattern(
                item, locale, f"{what} pattern {index + 1} in {locale}", item_at, reader
            )
            if pattern is None:
                failed = True
            elif pattern in kept:
                reader.warn(item_at, f"{what} lists the pattern “{pattern}” twice in {locale}")
            else:
                kept.append(pattern)
        patterns[locale] = tuple(kept)
    missing = [loc for loc in SUPPORTED_LOCALES if loc not in value]
    if missing:
        reader.error(
            line,
            f"{what} has no patterns in {', '.join(missing)} (zh_Hans, zh_Hant and en are all needed)",
        )
        failed = True
    return None if failed else patterns


def _pattern(item: Any, locale: str, what: str, line: int | None, reader: _Reader) -> str | None:
    if isinstance(item, bool) or not isinstance(item, str | int | None):
        reader.error(line, f"{what} is not a word or phrase")
        return None
    pattern = normalise_pattern("" if item is None else str(item), locale)
    if not pattern:
        reader.error(line, f"{what} is empty")
        return None
    if not pattern.replace("*", "").strip():
        reader.error(line, f"{what} is only “*”, which would match every message")
        return None
    if len(pattern) > PATTERN_MAX:
        reader.error(
            line, f"{what} is {len(pattern)} characters, more than {PATTERN_MAX}: “{pattern}”"
        )
        return None
    return pattern


def _helplines(
    path: Path, problems: list[Problem]
) -> tuple[dict[str, str] | None, dict[str, str] | None]:
    data, found = read_yaml(path)
    problems += found
    if found:
        return None, None
    reader = _Reader(path, problems)
    if not reader.top(data, _HELPLINES_KEYS, "“helplines:” and “plant_contact:”"):
        return None, None
    helplines = reader.texts(data, "helplines", "“helplines”", HELPLINE_MAX)
    for locale, text in (helplines or {}).items():
        lines = [row for row in text.splitlines() if row.strip()]
        if len(lines) > HELPLINE_LINES:
            reader.warn(
                line_of(data["helplines"], locale) or line_of(data, "helplines"),
                f"“helplines” ({locale}) has {len(lines)} lines; {HELPLINE_LINES} short lines read best on a phone",
            )
    contact = reader.texts(data, "plant_contact", "“plant_contact”", CONTACT_MAX)
    for locale, text in (contact or {}).items():
        if is_placeholder(text):
            reader.warn(
                line_of(data["plant_contact"], locale) or line_of(data, "plant_contact"),
                f"“plant_contact” ({locale}) is still the placeholder “{text}”: write the plant's "
                "own contact (e.g. the plant doctor's phone); until then workers see only the helplines",
            )
    return helplines, contact
