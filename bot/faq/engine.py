"""Finds the FAQ entry a question asks about, in Chinese (either script) or English.

Every text is folded the same way on both sides: NFKC, lower case, traditional
characters to simplified (OpenCC t2s), and each synonym the FAQ lists rewritten
to the first word of its group. It is then cut into tokens: each Chinese
character and each pair of neighbouring characters; each English word that is
not a stop word, stemmed (Snowball), its character 3-grams (typos, compounds)
and each pair of neighbouring words; each number.

An entry is scored by how much it and the question have in common, weighted by
how rare each token is among the entries (IDF): an F-measure whose "precision"
is the share of the entry's weight that the question covers and whose "recall"
is the share of the question's weight that the entry covers. Weighing the entry
side more (β < 1 for Chinese) is what tells near-miss entries apart: "overtime pay on a rest
day" and "overtime pay on a public holiday" share most words with a question,
and the one whose own words the question leaves out loses. A long, rambling
question only lowers every entry's recall alike, so it does not change the
order. An entry's score is that of its best text.

Words alone cannot tell that "cross out" asks for "strikethrough". With a
`Meaning` (static word vectors, WordLlama, shipped inside its wheel and loaded
offline) the score blends in the cosine between the question's and the entry's
vectors: a fifth of the score for a Chinese question, where shared characters
already say most, half for an English one. `docs/faq-matching.md` has the
figures and what was tried.

Built once at start-up, read-only afterwards: safe to share between handlers.
Nothing here logs or keeps the questions it is asked.
"""

from __future__ import annotations

import enum
import heapq
import importlib
import logging
import math
import re
import unicodedata
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, Protocol

import numpy as np
import numpy.typing as npt

logger = logging.getLogger(__name__)

# Token weights by kind, on top of IDF. A Chinese character carries more meaning
# than the pair it starts (pairs often straddle two words); English tokens as is.
CHAR_WEIGHT = 2.0
PAIR_WEIGHT = 1.0
WORD_WEIGHT = 1.0
WORD_PAIR_WEIGHT = 1.0
GRAM_WEIGHT = 1.0
NUMBER_WEIGHT = 1.0

# β² of the F-measure: how much the question's coverage counts against the
# entry's. Chinese questions in the benchmarks keep most of the entry's words, so
# an entry word they lack is strong evidence against it; English rephrasings
# recast more, so there both sides count alike. A mixed question is in between.
CHINESE_BETA2 = 0.49
ENGLISH_BETA2 = 1.0

# Share of the score that comes from meaning (the cosine of word vectors) when the
# engine has a Meaning, by the question's script as for β. Chinese questions share
# characters with the entry they ask about; English rephrasings often share none.
CHINESE_MEANING = 0.2
ENGLISH_MEANING = 0.5


@dataclass(frozen=True)
class Calibration:
    """HIGH when the first score is at least `high` and beats `runner_up` × the second by
    `lead`; MEDIUM from `medium` up; LOW below."""

    high: float
    runner_up: float
    lead: float
    medium: float


# Both calibrated on zh-500 and en-stackfaq (docs/faq-matching.md): the largest share
# answered HIGH while HIGH stays right at least 98.5% of the time on each set. Near-miss
# entries score close to the right one, so the runner-up is what tells a sure answer
# from a guess. The MEDIUM floor keeps a question about something the FAQ does not
# cover from getting three unrelated guesses.
LEXICAL = Calibration(high=0.35, runner_up=1.5, lead=0.1, medium=0.2)
BLENDED = Calibration(high=0.4, runner_up=1.4, lead=0.05, medium=0.3)

_HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002fa1f"
_IS_HAN = re.compile(f"[{_HAN}]")
# A unit is one Chinese character, one word of letters, one run of digits, or one
# other visible character (punctuation, emoji), which ends a phrase.
_UNIT = re.compile(f"[{_HAN}]|[^\\W\\d_{_HAN}]+(?:'[^\\W\\d_{_HAN}]+)*|\\d+|[^\\s\\w]|_")
_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "`": "'"})
# A lone surrogate (JSON can carry one) would stop OpenCC, which wants valid UTF-8.
_SURROGATES = re.compile("[\ud800-\udfff]")

# Function words a question is phrased with rather than about (Lucene's list,
# the question words, the "is there a way / I'd like to" phrasing, and the
# contractions people type).
STOP_WORDS = frozenset(
    """
    a an and are as at be but by for if in into is it no not of on or such that the
    their then there these they this to was will with
    am been being did do does doing had has have having he her him his i me my myself
    our ours she so than too very we were what when where which while who whom why
    how you your yours its can could should would shall may might must also just any
    some all each other only own same about from up out over under again here
    i'm i've i'd i'll it's don't doesn't didn't can't cannot won't isn't aren't
    what's there's let's s t d m ll ve re
    want wants wanted need needs like way ways possible able know please thanks
    anyone anybody someone somebody
    """.split()
)


@dataclass(frozen=True)
class Document:
    """One FAQ entry as the engine sees it: its id and the texts it is found by."""

    id: str
    texts: tuple[str, ...]


@dataclass(frozen=True)
class Match:
    """An entry found for a question, with its score from 0 (nothing shared) to 1."""

    id: str
    score: float


class Confidence(enum.Enum):
    """How sure the engine is of its first match."""

    HIGH = "high"  # answer with it
    MEDIUM = "medium"  # ask "did you mean" with the top three
    LOW = "low"  # no guess


@dataclass(frozen=True)
class Stats:
    """What an engine holds."""

    entries: int
    texts: int
    tokens: int


Vectors = npt.NDArray[np.float32]
DIMENSIONS = 256
KEPT_VECTORS = 50_000  # texts whose vectors are kept between builds (about 50 MB at most)


class Meaning(Protocol):
    """Turns texts into unit vectors whose dot product says how alike they mean."""

    def embed(self, texts: Sequence[str]) -> Vectors:
        """One row per text, each of length 1 (or 0 for a text it cannot read)."""
        ...

    def vector(self, text: str) -> Vectors:
        """The same for one question, which is not kept."""
        ...


class _WordLlama:
    """WordLlama's 256-dimension vectors, read from the weights inside its own wheel."""

    def __init__(self) -> None:
        wordllama = importlib.import_module("wordllama")
        # Its package folder holds weights/ and tokenizers/: nothing is downloaded.
        self._model = wordllama.WordLlama.load(
            dim=DIMENSIONS, cache_dir=Path(str(wordllama.__file__)).parent, disable_download=True
        )
        self._known: dict[str, Vectors] = {}

    def vector(self, text: str) -> Vectors:
        first: Vectors = self._unit([text])[0]
        return first

    def _unit(self, texts: list[str]) -> Vectors:
        vectors = np.asarray(self._model.embed(texts), dtype=np.float64)
        lengths = np.linalg.norm(vectors, axis=1, keepdims=True)
        # Unit length in float64 first (its own normalising is coarser); 0 stays 0.
        unit = np.divide(vectors, lengths, out=np.zeros_like(vectors), where=lengths > 0)
        found: Vectors = unit.astype(np.float32)
        return found

    def embed(self, texts: Sequence[str]) -> Vectors:
        # A reload re-indexes the same texts: their vectors are kept, up to a bound.
        new = [text for text in dict.fromkeys(texts) if text not in self._known]
        if new:
            if len(self._known) + len(new) > KEPT_VECTORS:
                self._known.clear()
            self._known.update(zip(new, self._unit(new), strict=True))
        if not texts:
            return np.zeros((0, DIMENSIONS), dtype=np.float32)
        found: Vectors = np.stack([self._known[text] for text in texts])
        return found


@cache
def bundled_meaning() -> Meaning | None:
    """The Meaning the bot uses: WordLlama, loaded once (about 0.3 s) and shared.

    None, with a warning, when it cannot be loaded: the engine then ranks by shared
    words alone, which is weaker on English rephrasings but works.
    """
    try:
        return _WordLlama()
    except (ImportError, OSError, ValueError) as err:
        logger.warning("FAQ word vectors not loaded, matching by words alone: %r", err)
        return None


@cache
def _t2s() -> Any:
    import opencc  # a compiled library: loaded when the first engine is built

    return opencc.OpenCC("t2s")


@cache
def _stemmer() -> Any:
    # snowballstemmer ships no type information.
    return importlib.import_module("snowballstemmer").stemmer("english")


def _stem(word: str, known: dict[str, str]) -> str:
    """Snowball's stem, from `known` when there."""
    stem = known.get(word)
    return stem if stem is not None else str(_stemmer().stemWord(word))


def normalise(text: str) -> str:
    """NFKC, lower case, simplified characters: the form both sides are compared in."""
    text = _SURROGATES.sub("", text)
    text = unicodedata.normalize("NFKC", text).lower().translate(_APOSTROPHES)
    if _IS_HAN.search(text):
        text = str(_t2s().convert(text))
    return text


def _units(text: str) -> list[str]:
    return _UNIT.findall(normalise(text))


class _Synonyms:
    """Rewrites every listed variant, longest first, to the first variant of its group."""

    def __init__(self, groups: Sequence[Sequence[str]]) -> None:
        self._by_first: dict[str, list[tuple[tuple[str, ...], tuple[str, ...]]]] = {}
        seen: set[tuple[str, ...]] = set()
        for group in groups:
            variants = [tuple(_units(variant)) for variant in group]
            variants = [variant for variant in variants if variant]
            if not variants:
                continue
            canonical = variants[0]
            for variant in variants:
                if variant in seen:  # listed in an earlier group: that one wins
                    continue
                seen.add(variant)
                self._by_first.setdefault(variant[0], []).append((variant, canonical))
        for candidates in self._by_first.values():
            candidates.sort(key=lambda pair: -len(pair[0]))

    def rewrite(self, units: list[str]) -> list[str]:
        if not self._by_first:
            return units
        out: list[str] = []
        i = 0
        while i < len(units):
            for variant, canonical in self._by_first.get(units[i], ()):
                if tuple(units[i : i + len(variant)]) == variant:
                    out.extend(canonical)
                    i += len(variant)
                    break
            else:
                out.append(units[i])
                i += 1
        return out


def _phrases(units: list[str]) -> Iterator[list[str]]:
    """Runs of characters, words and numbers between punctuation."""
    phrase: list[str] = []
    for unit in units:
        if unit[0].isalnum():
            phrase.append(unit)
        elif phrase:
            yield phrase
            phrase = []
    if phrase:
        yield phrase


def _tokens(units: list[str], stems: dict[str, str]) -> set[str]:
    """The tokens of an already rewritten text; `stems` holds the FAQ's own words."""
    tokens: set[str] = set()
    # A question's words are stemmed once each, then forgotten with the question.
    local: dict[str, str] = {}
    for phrase in _phrases(units):
        previous_han = ""
        previous_word = ""
        for unit in phrase:
            if _IS_HAN.match(unit):
                tokens.add(unit)
                if previous_han:
                    tokens.add(previous_han + unit)
                previous_han = unit
                previous_word = ""
                continue
            previous_han = ""
            if unit.isdigit():
                tokens.add(unit)
                previous_word = ""
                continue
            if unit in STOP_WORDS:
                continue  # "overtime on sunday" still pairs overtime with sunday
            stem = stems.get(unit) or local.get(unit)
            if stem is None:
                stem = local[unit] = _stem(unit, stems)
            tokens.add(stem)
            if previous_word:
                tokens.add(previous_word + " " + stem)
            previous_word = stem
            padded = f"#{unit}#"
            tokens.update("~" + padded[start : start + 3] for start in range(len(padded) - 2))
    return tokens


def _is_word(token: str) -> bool:
    """A Chinese character, an English word or a number: not a pair, nor a 3-gram."""
    if token[0] == "~" or " " in token:
        return False
    return len(token) == 1 or not _IS_HAN.match(token)


def _kind_weight(token: str) -> float:
    if token[0] == "~":
        return GRAM_WEIGHT
    if _IS_HAN.match(token):
        return CHAR_WEIGHT if len(token) == 1 else PAIR_WEIGHT
    if token[0].isdigit():
        return NUMBER_WEIGHT
    return WORD_PAIR_WEIGHT if " " in token else WORD_WEIGHT


class Engine:
    """An index of FAQ entries; `search` ranks them for a question."""

    def __init__(
        self,
        ids: list[str],
        synonyms: _Synonyms,
        weights: dict[str, float],
        unknown_idf: float,
        postings: dict[str, tuple[int, ...]],
        text_entry: list[int],
        text_mass: list[float],
        stems: dict[str, str],
        meaning: Meaning | None = None,
        vectors: tuple[Vectors, npt.NDArray[np.int64]] | None = None,
    ) -> None:
        self._ids = ids
        self._synonyms = synonyms
        self._weights = weights
        self._unknown_idf = unknown_idf
        self._postings = postings
        self._text_entry = text_entry
        self._text_mass = text_mass
        self._stems = stems  # the FAQ's own words, read-only once built
        self._meaning = meaning
        # One row per distinct text, and each text's row: identical texts share a row,
        # so their cosines are bit-identical and ties stay ties.
        self._vectors = vectors
        entries = np.asarray(text_entry, dtype=np.int64)
        # Texts are stored entry by entry: where each entry's run of texts starts.
        self._starts = np.flatnonzero(np.diff(entries, prepend=-1)) if len(entries) else entries
        self._starts_entry = entries[self._starts]
        if vectors is not None:  # the blended search works on arrays
            self._posting_arrays = {
                token: np.asarray(texts, dtype=np.int64) for token, texts in postings.items()
            }
            self._mass_array = np.asarray(text_mass, dtype=np.float64)

    @classmethod
    def build(
        cls,
        documents: Sequence[Document],
        synonyms: Sequence[Sequence[str]] = (),
        meaning: Meaning | None = None,
    ) -> Engine:
        """Index the documents (with their vectors, given a Meaning); ValueError on a repeated id."""
        rewriter = _Synonyms(synonyms)
        ids: list[str] = []
        known: set[str] = set()
        text_tokens: list[set[str]] = []
        text_entry: list[int] = []
        text_forms: list[str] = []
        frequency: dict[str, int] = {}
        stems: dict[str, str] = {}
        for document in documents:
            if document.id in known:
                raise ValueError(f"FAQ entry id {document.id!r} is used twice")
            known.add(document.id)
            entry = len(ids)
            ids.append(document.id)
            texts: list[set[str]] = []
            for text in document.texts:
                units = rewriter.rewrite(_units(text))
                for unit in units:
                    if unit not in stems and unit[0].isalpha() and not _IS_HAN.match(unit):
                        stems[unit] = _stem(unit, stems)
                tokens = _tokens(units, stems)
                if tokens and tokens not in texts:
                    texts.append(tokens)
                    text_forms.append(normalise(text))
            text_tokens.extend(texts)
            text_entry.extend(entry for _ in texts)
            # IDF counts entries, not texts: ten phrasings of one entry make no word common.
            for token in set().union(*texts):
                frequency[token] = frequency.get(token, 0) + 1
        weights = {
            token: _kind_weight(token) * _idf(len(ids), count) for token, count in frequency.items()
        }
        postings: dict[str, list[int]] = {}
        for index, tokens in enumerate(text_tokens):
            for token in tokens:
                postings.setdefault(token, []).append(index)
        # fsum: identical texts get bit-identical masses, so their ties stay exact.
        text_mass = [math.fsum(weights[token] for token in tokens) for tokens in text_tokens]
        vectors = None
        if meaning is not None:
            # One vector per distinct text, so identical texts get identical cosines.
            forms = sorted(set(text_forms))
            row = {form: index for index, form in enumerate(forms)}
            vectors = (
                meaning.embed(forms),
                np.asarray([row[f] for f in text_forms], dtype=np.int64),
            )
        return cls(
            ids,
            rewriter,
            weights,
            _idf(len(ids), 0),
            {token: tuple(texts) for token, texts in postings.items()},
            text_entry,
            text_mass,
            stems,
            meaning,
            vectors,
        )

    def content_words(self, question: str) -> int:
        """How many things the question says: Chinese characters, English words that are
        not stop words, and numbers, each counted once."""
        # As typed, before synonyms: "overtime" is one word even where it is rewritten to 加班.
        return sum(1 for token in _tokens(_units(question), self._stems) if _is_word(token))

    @property
    def stats(self) -> Stats:
        """How many entries, texts and distinct tokens the index holds."""
        return Stats(len(self._ids), len(self._text_entry), len(self._weights))

    def search(self, query: str, top: int = 3) -> list[Match]:
        """The best `top` entries for the question, best first; ties go to the earlier entry."""
        if top <= 0:
            return []
        # Sorted, so that every text sums its shared weights in the same order.
        tokens = sorted(_tokens(self._synonyms.rewrite(_units(query)), self._stems))
        query_mass = latin_mass = han_mass = 0.0
        known: list[tuple[str, float]] = []
        for token in tokens:
            weight = self._weights.get(token)
            if weight is None:  # no entry has it: it still makes the question ask more
                weight = _kind_weight(token) * self._unknown_idf
            else:
                known.append((token, weight))
            query_mass += weight
            if _IS_HAN.match(token):
                han_mass += weight
            elif not token[0].isdigit():
                latin_mass += weight
        latin_share = latin_mass / (latin_mass + han_mass) if latin_mass else 0.0
        beta2 = CHINESE_BETA2 + (ENGLISH_BETA2 - CHINESE_BETA2) * latin_share
        scale = 1.0 + beta2
        query_part = beta2 * query_mass
        if self._meaning is not None and self._vectors is not None and tokens:
            share = CHINESE_MEANING + (ENGLISH_MEANING - CHINESE_MEANING) * latin_share
            return self._blended(
                query, self._meaning, self._vectors, known, scale, query_part, share, top
            )

        shared = [0.0] * len(self._text_mass)  # per text: the weight it has in common
        touched: list[int] = []
        for token, weight in known:
            for text in self._postings[token]:
                if not shared[text]:
                    touched.append(text)
                shared[text] += weight
        if not touched:
            return []
        mass = self._text_mass

        def score(text: int) -> float:
            # F_β = (1 + β²)·P·R / (β²·P + R), with P = shared/mass and R = shared/query_mass.
            return scale * shared[text] / (query_part + mass[text])

        # A text's mass is at least what it shares, so its score is at most
        # scale·s/(query_part + s): score the texts sharing most first, then only
        # those that could still reach the `top`-th best entry.
        leaders = heapq.nlargest(4 * top, touched, key=shared.__getitem__)
        floor = self._ranked(leaders, score, top)
        if len(floor) == top and floor[-1][1] < scale:
            bar = floor[-1][1]
            least = bar * query_part / (scale - bar) * (1.0 - 1e-9)
            touched = [text for text in touched if shared[text] >= least]
        ranked = self._ranked(touched, score, top)
        return [Match(self._ids[entry], min(value, 1.0)) for entry, value in ranked]

    def _blended(
        self,
        query: str,
        meaning: Meaning,
        indexed: tuple[Vectors, npt.NDArray[np.int64]],
        known: list[tuple[str, float]],
        scale: float,
        query_part: float,
        share: float,
        top: int,
    ) -> list[Match]:
        """Rank every entry by (1 − share)·F + share·cosine, each part from the entry's best text."""
        if not len(self._text_entry):
            return []
        vectors, text_row = indexed
        cosines = (vectors @ meaning.vector(normalise(query)))[text_row]
        shared = np.zeros(len(self._text_entry))
        for token, weight in known:
            shared[self._posting_arrays[token]] += weight  # a text is once in a posting
        fscores = scale * shared / (query_part + self._mass_array)
        scores = np.zeros(len(self._ids))
        starts = self._starts
        scores[self._starts_entry] = (1.0 - share) * np.maximum.reduceat(fscores, starts) + (
            share * np.maximum(np.maximum.reduceat(cosines, starts).astype(np.float64), 0.0)
        )
        if not scores.any():
            return []
        # Everything at or above the `top`-th best value, then ties to the earlier entry.
        cut = min(top, len(scores))
        bar = np.partition(scores, len(scores) - cut)[len(scores) - cut]
        chosen = np.flatnonzero((scores >= bar) & (scores > 0.0))
        order = sorted(chosen.tolist(), key=lambda entry: (-scores[entry], entry))[:top]
        return [Match(self._ids[entry], min(float(scores[entry]), 1.0)) for entry in order]

    def _ranked(
        self, texts: list[int], score: Callable[[int], float], top: int
    ) -> list[tuple[int, float]]:
        """The best `top` entries among these texts, an entry scored by its best text."""
        best: dict[int, float] = {}
        entry_of = self._text_entry
        for text in texts:
            value = score(text)
            entry = entry_of[text]
            if value > best.get(entry, 0.0):
                best[entry] = value
        return heapq.nsmallest(top, best.items(), key=lambda item: (-item[1], item[0]))

    def confidence(self, matches: list[Match], question: str | None = None) -> Confidence:
        """HIGH, MEDIUM or LOW for what `search` returned (pass at least its top two).

        Given the question, one that says a single thing ("workshop", "假") is never
        HIGH: one word can fit several entries, so it gets "did you mean" at most.
        """
        if not matches:
            return Confidence.LOW
        if question is not None and self.content_words(question) < 2:
            return min(self.confidence(matches), Confidence.MEDIUM, key=_RANK.__getitem__)
        rule = BLENDED if self._vectors is not None else LEXICAL
        first = matches[0].score
        second = matches[1].score if len(matches) > 1 else 0.0
        if first >= rule.high and first - rule.runner_up * second >= rule.lead:
            return Confidence.HIGH
        if first >= rule.medium:
            return Confidence.MEDIUM
        return Confidence.LOW


_RANK = {Confidence.LOW: 0, Confidence.MEDIUM: 1, Confidence.HIGH: 2}


def _idf(entries: int, frequency: int) -> float:
    """BM25's IDF: never negative, highest for a token no entry has."""
    return math.log(1.0 + (entries - frequency + 0.5) / (frequency + 0.5))
