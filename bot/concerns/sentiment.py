"""How a concern reads, from -1 (unhappy) to 1 (content): one figure for the monthly mood index.

Chinese, simplified or traditional, is scored by a character n-gram model: a
logistic regression over which 1–3 character sequences a text contains (each
text a unit-length vector, so a long rant weighs no more than a short line). Its
weights ship with the package (`data/sentiment-zh.json`, what it was trained
on is in `data/SENTIMENT.md`), load once on first use, and scoring is plain
Python: no network, no numpy. Traditional script is folded to simplified with
OpenCC first, so both score the same. A text with no Chinese is scored with a
small English word list (VADER's lexicon), negation-aware but nothing more.

The score is for counting, not for judging one person: the monthly report
only ever shows it summed over a cell of at least k concerns. Nothing here
logs or keeps the text it is given.
"""

from __future__ import annotations

import json
import math
import re
import unicodedata
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

MODEL_FILE = "sentiment-zh.json"
MAX_N = 3  # the longest character sequence the model weighs

_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002fa1f]")
_LATIN = re.compile(r"[a-z]")
_SPACE = re.compile(r"\s+")
_DIGITS = re.compile(r"\d+")
# Words, and the punctuation that ends a negation's reach ("not bad, but late").
_TOKEN = re.compile(r"[a-z]+(?:'[a-z]+)?|[.,;:!?]")
# A negator flips a word up to three words after it in the same clause (VADER's window).
# Pronouns such as "nobody" are left out: "nobody fixed the broken ladder" is not praise.
_NEGATORS = frozenset(
    "not no never cannot cant dont doesnt didnt isnt wasnt arent werent wont wouldnt "
    "shouldnt couldnt hasnt havent hadnt aint".split()
)
_NEGATION_SCALE = -0.74  # VADER's factor for a negated word
_ENGLISH_ALPHA = 15.0  # VADER's normalisation: s / sqrt(s² + alpha) keeps the score in (-1, 1)


@cache
def _t2s() -> Any:
    import opencc  # a compiled library: loaded when a text is first scored, not at import

    return opencc.OpenCC("t2s")


def to_simplified(text: str) -> str:
    """The text with traditional characters and phrases folded to simplified (OpenCC t2s)."""
    if not _CJK.search(text):
        return text
    return str(_t2s().convert(text))


def normalise(text: str) -> str:
    """The form both the trainer and the scorer see: NFKC, simplified, lower case, digits as 0.

    NFKC turns full-width letters, digits and punctuation into their plain
    forms, so "ＯＫ！" and "OK!" are one thing; numbers say little about mood
    and would only spread the weights thin.
    """
    text = unicodedata.normalize("NFKC", text)
    text = to_simplified(text).lower()
    text = _DIGITS.sub("0", text)
    return _SPACE.sub(" ", text).strip()


def ngrams(normalised: str) -> set[str]:
    """Every 1 to MAX_N character sequence of an already normalised text, spaces excluded."""
    grams: set[str] = set()
    length = len(normalised)
    for start in range(length):
        for size in range(1, MAX_N + 1):
            end = start + size
            if end > length:
                break
            gram = normalised[start:end]
            if " " in gram:
                break
            grams.add(gram)
    return grams


@dataclass(frozen=True)
class Model:
    """The shipped weights: an intercept, one weight per character sequence, English words."""

    intercept: float
    weights: dict[str, float]
    english: dict[str, float]

    def chinese_logit(self, normalised: str) -> float | None:
        """The model's log-odds that a text is positive; None if it knows none of its sequences."""
        total = 0.0
        known = 0
        for gram in ngrams(normalised):
            weight = self.weights.get(gram)
            if weight is not None:
                total += weight
                known += 1
        if not known:
            return None
        # The trainer scaled each text's feature vector to unit length: k known sequences of 1/√k.
        return self.intercept + total / math.sqrt(known)

    def english_score(self, normalised: str) -> float | None:
        """VADER-style: word valences summed, negated within three words, squashed to (-1, 1)."""
        total = 0.0
        known = 0
        since_negator = 99
        for word in _TOKEN.findall(normalised):
            if not word[0].isalpha():
                since_negator = 99
                continue
            bare = word.replace("'", "")
            if bare in _NEGATORS or word.endswith("n't"):
                since_negator = 0
                continue
            since_negator += 1
            valence = self.english.get(word, self.english.get(bare))
            if valence is None:
                continue
            known += 1
            total += valence * (_NEGATION_SCALE if since_negator <= 3 else 1.0)
        if not known or total == 0.0:
            return None
        return total / math.sqrt(total * total + _ENGLISH_ALPHA)


@cache
def model() -> Model:
    """The shipped model, read from the package on first use and kept."""
    raw = resources.files("bot.concerns").joinpath("data", MODEL_FILE).read_text("utf-8")
    data = json.loads(raw)
    return Model(
        intercept=float(data["intercept"]),
        weights={str(k): float(v) for k, v in data["weights"].items()},
        english={str(k): float(v) for k, v in data["english"].items()},
    )


def score(text: str) -> float:
    """How positive a text reads, from -1 to 1; 0.0 when there is nothing to go by (empty, emoji)."""
    normalised = normalise(text)
    if not normalised:
        return 0.0
    if _CJK.search(normalised):
        logit = model().chinese_logit(normalised)
        if logit is None:
            return 0.0
        # 2·sigmoid(z) − 1, the probability of "positive" stretched to -1 … 1.
        return math.tanh(logit / 2.0)
    if _LATIN.search(normalised):
        english = model().english_score(normalised)
        return 0.0 if english is None else english
    return 0.0


def label(text: str) -> int:
    """1 if a text reads positive, 0 if negative or neutral (a score of 0.0)."""
    return 1 if score(text) > 0.0 else 0
