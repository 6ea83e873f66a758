"""The shipped sentiment model: loads offline, reads workers' sentences on the right side."""

from __future__ import annotations

import logging
import math
from importlib import resources

import pytest

from bot.concerns import sentiment

# (simplified, traditional): the same sentence in both scripts, as a worker would type it.
POSITIVE = [
    ("班长对我们很好，谢谢领导的关心", "班長對我們很好，謝謝領導的關心"),
    ("这个月的奖金按时发了，大家都很满意", "這個月的獎金按時發了，大家都很滿意"),
    ("新发的防护手套质量很好，用着舒服", "新發的防護手套質量很好，用着舒服"),
    ("宿舍新装了空调，住得很舒服", "宿舍新裝了空調，住得很舒服"),
]
NEGATIVE = [
    ("工资拖欠了三个月，加班费也没有发", "工資拖欠了三個月，加班費也沒有發"),
    ("宿舍太热了，晚上根本睡不着", "宿舍太熱了，晚上根本睡不着"),
    ("安全帽坏了很久，一直没人管", "安全帽壞了很久，一直沒人管"),
    ("班长经常骂人，态度太差了", "班長經常罵人，態度太差了"),
]
ENGLISH_POSITIVE = [
    "Our team leader is great, thank you",
    "I am happy with the training",
    "not bad at all",
]
ENGLISH_NEGATIVE = [
    "The pay is late again and I am angry",
    "The dorm is dirty and the food is terrible",
    "The canteen food is not good",
    "Not good, nobody fixed the broken ladder",
]


def test_the_shipped_model_loads() -> None:
    model = sentiment.model()
    assert len(model.weights) > 50_000
    assert math.isfinite(model.intercept)
    assert all(math.isfinite(w) for w in model.weights.values())
    assert model.english["good"] > 0 > model.english["bad"]
    assert sentiment.model() is model  # read once, then kept
    shipped = resources.files("bot.concerns").joinpath("data", sentiment.MODEL_FILE)
    assert len(shipped.read_bytes()) < 3_000_000


@pytest.mark.parametrize("text", [s for pair in POSITIVE for s in pair] + ENGLISH_POSITIVE)
def test_positive_sentences_score_positive(text: str) -> None:
    assert 0.0 < sentiment.score(text) <= 1.0
    assert sentiment.label(text) == 1


@pytest.mark.parametrize("text", [s for pair in NEGATIVE for s in pair] + ENGLISH_NEGATIVE)
def test_negative_sentences_score_negative(text: str) -> None:
    assert -1.0 <= sentiment.score(text) < 0.0
    assert sentiment.label(text) == 0


@pytest.mark.parametrize(("simplified", "traditional"), POSITIVE + NEGATIVE)
def test_both_scripts_score_the_same(simplified: str, traditional: str) -> None:
    assert simplified != traditional
    assert sentiment.normalise(traditional) == sentiment.normalise(simplified)
    assert sentiment.score(traditional) == sentiment.score(simplified)


def test_full_width_and_plain_forms_score_the_same() -> None:
    assert sentiment.score("ＯＫ，质量很好！") == sentiment.score("OK,质量很好!")


@pytest.mark.parametrize(
    "text", ["", "   \n\t", "😀", "😡😡😡", "👍🏻👍🏻", "123", "……！！？？", "\u200b", "🙂 🙁"]
)
def test_nothing_to_read_scores_zero(text: str) -> None:
    assert sentiment.score(text) == 0.0
    assert sentiment.label(text) == 0


def test_scores_stay_within_bounds_on_long_and_odd_texts() -> None:
    texts = [
        "太差了" * 1400,  # a 4,200-character rant
        "很好" * 2000,
        "a" * 4096,
        "工资 pay 太低 too low",
        "𠀀𠀁𠀂",  # rare characters the model has never seen
    ]
    for text in texts:
        assert -1.0 <= sentiment.score(text) <= 1.0
    assert sentiment.score("太差了" * 1400) < 0.0 < sentiment.score("很好" * 2000)
    assert sentiment.score("𠀀𠀁𠀂") == 0.0


def test_stronger_wording_does_not_flip_the_side() -> None:
    mild = sentiment.score("饭菜有点难吃")
    strong = sentiment.score("饭菜太难吃了，非常失望")
    assert strong < 0.0
    assert strong <= mild


def test_no_concern_text_reaches_the_log(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    sentiment.score("仓库漏雨没人修理，太让人失望了")
    sentiment.score("The warehouse roof leaks")
    assert "漏雨" not in caplog.text
    assert "warehouse" not in caplog.text
