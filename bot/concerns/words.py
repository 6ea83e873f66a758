"""Hot words of the monthly mood report: what many concerns talk about, never what one says.

A word counts once per concern that uses it (document frequency), so one long
rant cannot fill the list, and a word is listed only when at least `min_texts`
different concerns use it: a phrase from a single concern is never quoted back
where its writer could be recognised by it. Identical texts count once, so
sending the same concern twice does not lift its words over that bar either.
The caller still only asks for the hot words of a cell of at least k concerns.

Chinese is cut into words by jieba (its dictionary only, no guessing of new
words, so the cuts are the same every run), after traditional characters are
folded to simplified with the same OpenCC converter the sentiment score uses;
English words are lower-cased. Stop words (`data/stopwords.txt`), numbers,
punctuation and single characters, bar a few telling ones such as 热 or 累,
are left out. Nothing here logs or keeps the texts.
"""

from __future__ import annotations

import importlib
import logging
import re
import unicodedata
import warnings
from collections import Counter
from collections.abc import Iterable
from functools import cache
from importlib import resources
from typing import Any

from bot.concerns.sentiment import to_simplified

STOPWORDS_FILE = "stopwords.txt"

# One character that says a lot about a workplace on its own: heat, cold, fatigue, dirt, pay, pain.
KEEP_SINGLE = frozenset("热冷累饿渴困晒脏臭吵乱挤闷湿滑险痛疼伤病苦忙慢贵差钱饭水药床鞋盐")

_CJK_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002fa1f]+")
_ENGLISH = re.compile(r"[a-z]+(?:'[a-z]+)*")
_SPACE = re.compile(r"\s+")
# Numbers written in characters, with or without a measure word: 三个, 十五天, 第二, 两百块.
_NUMBER = re.compile(
    r"第?[零〇一二三四五六七八九十百千万亿两几半多]+[个次天年月日号点岁块元分斤位名条件回遍]?"
)


@cache
def _tokenizer() -> Any:
    """jieba's segmenter, loaded on first use with its start-up chatter silenced."""
    with warnings.catch_warnings():
        # jieba 0.42 imports pkg_resources (deprecated in newer setuptools): not ours to fix.
        warnings.simplefilter("ignore")
        jieba = importlib.import_module("jieba")
        # jieba logs "Building prefix dict…" to stderr at DEBUG; only its warnings get through.
        logging.getLogger("jieba").setLevel(logging.WARNING)
        tokenizer = jieba.Tokenizer()  # our own instance: other features may add words to theirs
        tokenizer.initialize()
    return tokenizer


@cache
def stopwords() -> frozenset[str]:
    """The shipped stop-word list, folded the same way as the texts."""
    raw = resources.files("bot.concerns").joinpath("data", STOPWORDS_FILE).read_text("utf-8")
    words = (line.strip() for line in raw.splitlines())
    return frozenset(_fold(word) for word in words if word and not word.startswith("#"))


def _fold(text: str) -> str:
    return _SPACE.sub(" ", to_simplified(unicodedata.normalize("NFKC", text)).lower()).strip()


def _keep(word: str) -> bool:
    if word in stopwords():
        return False
    if _CJK_RUN.fullmatch(word):
        if _NUMBER.fullmatch(word):
            return False
        return len(word) > 1 or word in KEEP_SINGLE
    return len(word) > 1  # English: a single letter says nothing


def words_of(text: str) -> set[str]:
    """The distinct words of one text that could be hot words."""
    return _words_of_folded(_fold(text))


def _words_of_folded(folded: str) -> set[str]:
    found: set[str] = set()
    for run in _CJK_RUN.findall(folded):
        found.update(_tokenizer().cut(run, HMM=False))
    for word in _ENGLISH.findall(_CJK_RUN.sub(" ", folded)):
        found.add(word.removesuffix("'s"))
    return {word for word in found if _keep(word)}


def hot_words(texts: Iterable[str], top: int = 20, min_texts: int = 2) -> list[tuple[str, int]]:
    """The `top` words used by the most texts, each with how many texts use it.

    Ordered by that count, most first, then by the word itself, so the same
    texts always give the same list; words used by fewer than `min_texts`
    distinct texts are never listed.
    """
    if min_texts < 2:
        raise ValueError("min_texts must be at least 2: one text's words could identify its writer")
    if top <= 0:
        return []
    seen: set[str] = set()
    counts: Counter[str] = Counter()
    for text in texts:
        folded = _fold(text)
        if folded in seen:
            continue
        seen.add(folded)
        counts.update(_words_of_folded(folded))
    ranked = sorted(
        ((word, count) for word, count in counts.items() if count >= min_texts),
        key=lambda item: (-item[1], item[0]),
    )
    return ranked[:top]
