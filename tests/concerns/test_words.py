"""Hot words: counted per concern, in either script, without quoting any single concern back."""

from __future__ import annotations

import logging
import random
import subprocess
import sys

import pytest

from bot.concerns.words import KEEP_SINGLE, hot_words, stopwords, words_of

CONCERNS = [
    "高温补贴三个月没发了，宿舍太热",
    "宿舍太熱了，高溫補貼什麼時候發？",  # traditional
    "高温补贴到底发不发？",
    "倒班太累，夜班工伤没人管",
    "临时工没有社保，倒班太累",
    "The overtime pay is late",
    "OVERTIME pay is late again!",
]


def test_words_are_counted_once_per_concern() -> None:
    rant = "食堂" * 50 + "，食堂食堂食堂"
    result = dict(hot_words([rant, "宿舍很吵", "宿舍很挤"]))
    assert "食堂" not in result  # fifty times in one concern is still one concern
    assert result["宿舍"] == 2


def test_the_most_shared_words_come_first() -> None:
    result = hot_words(CONCERNS)
    assert result[:2] == [("补贴", 3), ("高温", 3)]
    counts = [count for _, count in result]
    assert counts == sorted(counts, reverse=True)
    assert dict(result)["倒班"] == 2


def test_traditional_is_counted_with_simplified() -> None:
    result = dict(hot_words(["高溫補貼沒有發", "高温补贴什么时候发"]))
    assert result == {"高温": 2, "补贴": 2}
    # Folded, the two scripts are one text: counted once, as the same concern sent twice is.
    assert hot_words(["高溫補貼沒有發", "高温补贴没有发"]) == []


def test_english_is_lower_cased_and_stop_words_dropped() -> None:
    result = dict(hot_words(CONCERNS))
    assert result["overtime"] == 2
    assert result["pay"] == 2
    assert result["late"] == 2
    assert not {"the", "is", "again", "Overtime", "OVERTIME"} & set(result)


def test_a_word_from_one_concern_is_never_listed() -> None:
    texts = ["组长王小明克扣工资", "工资太低", "工资又发晚了"]
    result = dict(hot_words(texts, top=100))
    assert result == {"工资": 3}
    assert "克扣" not in result
    assert "王小明" not in result


def test_min_texts_raises_the_bar_and_cannot_go_below_two() -> None:
    assert dict(hot_words(CONCERNS, min_texts=3)) == {"补贴": 3, "高温": 3}
    with pytest.raises(ValueError, match="at least 2"):
        hot_words(CONCERNS, min_texts=1)


def test_the_same_text_sent_twice_counts_once() -> None:
    assert hot_words(["叉车刹车失灵", "叉车刹车失灵"]) == []
    assert dict(hot_words(["叉车刹车失灵", "叉车刹车失灵", "叉車剎車又失靈了"])) == {
        "刹车": 2,
        "叉车": 2,
        "失灵": 2,
    }


def test_stop_words_numbers_punctuation_and_single_characters_are_left_out() -> None:
    texts = [
        "我们觉得这个月的工资是有问题的，说了三次，123，还是没有人管！！",
        "我们觉得这个月的工资是有问题的啊，说了五次，456，还是没有人管？？",
    ]
    assert hot_words(texts) == [("工资", 2)]
    words = words_of(texts[0])
    assert not {"我们", "是", "有", "说", "的", "这个", "三次", "123", "！", "，"} & words


def test_telling_single_characters_are_kept() -> None:
    result = dict(hot_words(["车间里太热了", "车间太热，人都很累", "今天太累了"]))
    assert result["热"] == 2
    assert result["累"] == 2
    assert "了" not in result
    assert {"热", "累"} <= KEEP_SINGLE


def test_ties_are_broken_by_the_word_and_input_order_does_not_matter() -> None:
    texts = CONCERNS + ["宿舍热水没有", "夜班补助太少", "夜班宿舍很吵"]
    expected = hot_words(texts)
    for seed in range(5):
        shuffled = texts[:]
        random.Random(seed).shuffle(shuffled)
        assert hot_words(shuffled) == expected
    for (word_a, count_a), (word_b, count_b) in zip(expected, expected[1:], strict=False):
        assert count_a > count_b or (count_a == count_b and word_a < word_b)


def test_top_limits_the_list() -> None:
    assert len(hot_words(CONCERNS, top=3)) == 3
    assert hot_words(CONCERNS, top=0) == []
    assert hot_words([]) == []
    assert hot_words(["", "😀", "   "]) == []


def test_the_stop_word_list_ships_and_is_folded() -> None:
    words = stopwords()
    assert {"我们", "什么", "the", "and"} <= words
    assert all(word == word.lower() for word in words)


def test_no_concern_text_reaches_the_log(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    hot_words(["仓库漏雨没人修理", "仓库漏雨好几天"])
    assert "漏雨" not in caplog.text
    assert "仓库" not in caplog.text


def test_loading_the_dictionary_prints_nothing() -> None:
    code = (
        "from bot.concerns.words import hot_words; "
        "print(hot_words(['仓库漏雨没人修理', '仓库漏雨好几天']))"
    )
    done = subprocess.run(
        [sys.executable, "-W", "error", "-c", code],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    assert done.stdout.strip() == "[('仓库', 2), ('漏雨', 2)]"
