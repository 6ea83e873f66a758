"""The matching engine on small FAQs written here: scripts, synonyms, typos, near misses, bad input."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import pytest

from bot.config import SHIPPED_CONTENT
from bot.faq.content import Faq
from bot.faq.engine import Confidence, Document, Engine, Match, bundled_meaning
from bot.faq.evaluate import evaluate, main
from bot.faq.service import build, documents

OVERTIME = [
    [
        "加班费",
        "加班工资",
        "加班钱",
        "加班費",
        "加班工資",
        "overtime pay",
        "overtime wages",
    ],
    ["年假", "带薪年假", "年休假", "annual leave", "paid leave"],
    ["辞退", "开除", "炒鱿鱼", "fired", "sacked"],
    ["经济补偿", "补偿金", "N+1", "severance pay"],
]

FAQ = [
    Document(
        "overtime-workday",
        ("工作日加班，加班费怎么算？", "Overtime pay on a normal workday"),
    ),
    Document(
        "overtime-rest-day",
        ("休息日加班，加班费怎么算？", "Overtime pay on a rest day (weekend)"),
    ),
    Document(
        "overtime-holiday",
        ("法定节假日加班，加班费怎么算？", "Overtime pay on a public holiday"),
    ),
    Document("annual-leave", ("年假有几天？", "How many days of annual leave do I get?")),
    Document("pay-day", ("每月几号发工资？", "Which day of the month is pay day?")),
    Document("dismissal", ("被辞退了有补偿吗？", "I was fired, do I get severance pay?")),
    Document("sick-leave", ("病假期间工资怎么发？", "How am I paid on sick leave?")),
    Document("shoes", ("劳保鞋坏了可以换吗？", "Can I get new safety shoes?")),
]


@pytest.fixture(scope="module", params=["words", "meaning"])
def engine(request: pytest.FixtureRequest) -> Engine:
    """The engine by shared words alone, and blended with the bundled word vectors."""
    return Engine.build(FAQ, OVERTIME, bundled_meaning() if request.param == "meaning" else None)


def first(engine: Engine, query: str) -> str | None:
    matches = engine.search(query)
    return matches[0].id if matches else None


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        # Each near-miss entry is found by the question that names its day.
        ("工作日加班费怎么算", "overtime-workday"),
        ("平时工作日晚上加班，钱怎么算", "overtime-workday"),
        ("休息日加班费怎么算", "overtime-rest-day"),
        ("周末休息日来加班给多少加班工资", "overtime-rest-day"),
        ("法定节假日加班费怎么算", "overtime-holiday"),
        ("国庆这种法定节假日上班，加班钱怎么给", "overtime-holiday"),
        ("overtime pay for a rest day", "overtime-rest-day"),
        ("how much overtime pay on a public holiday", "overtime-holiday"),
        ("overtime on a normal workday evening", "overtime-workday"),
    ],
)
def test_near_misses_are_told_apart_by_what_the_question_names(
    engine: Engine, query: str, expected: str
) -> None:
    assert first(engine, query) == expected


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("年假有幾天", "annual-leave"),  # traditional question, simplified entry
        ("每月幾號發工資", "pay-day"),
        ("勞保鞋壞了可以換嗎", "shoes"),
    ],
)
def test_traditional_questions_find_simplified_entries(
    engine: Engine, query: str, expected: str
) -> None:
    found = engine.search(query)[0]
    # The same words once folded; the word vectors still see the entry's "？".
    assert found.id == expected
    assert found.score == pytest.approx(1.0, abs=0.01)


def test_simplified_questions_find_traditional_entries() -> None:
    engine = Engine.build(
        [
            Document("leave", ("年假有幾天？",)),
            Document("pay", ("每月幾號發工資？",)),
            Document("shoes", ("勞保鞋壞了可以換嗎？",)),
        ]
    )
    assert first(engine, "年假有几天") == "leave"
    assert first(engine, "几号发工资") == "pay"
    assert first(engine, "劳保鞋坏了能换吗") == "shoes"


def test_the_same_question_in_either_script_scores_the_same(engine: Engine) -> None:
    assert engine.search("被辭退了有補償嗎") == engine.search("被辞退了有补偿吗")


SYNONYM_FAQ = [
    Document("resign", ("自己辞职有补偿吗？",)),
    Document("dismissal", ("被辞退了有经济补偿吗？",)),
    Document("overtime", ("加班费怎么算？",)),
    Document("sick", ("病假工资怎么算？",)),
    Document("leave", ("年假有几天？",)),
]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("开除能拿N+1吗", "dismissal"),  # 开除 = 辞退, N+1 = 经济补偿
        ("炒鱿鱼", "dismissal"),
        ("overtime pay", "overtime"),  # one group holds both languages
        ("how many days of annual leave", "leave"),
        ("I got fired, is there severance pay?", "dismissal"),
        ("paid leave", "leave"),
    ],
)
def test_synonyms_are_one_word(query: str, expected: str) -> None:
    assert first(Engine.build(SYNONYM_FAQ), query) != expected
    assert first(Engine.build(SYNONYM_FAQ, OVERTIME), query) == expected


def test_a_synonym_rewrites_the_whole_variant_not_a_part_of_it() -> None:
    engine = Engine.build(
        [
            Document("leave", ("How many days of annual leave?",)),
            Document("bonus", ("When is the annual bonus paid?",)),
        ],
        [["年假", "annual leave"]],
    )
    assert first(engine, "年假") == "leave"
    assert first(engine, "annual bonus") == "bonus"
    assert first(engine, "annual") == "bonus"  # "annual" alone is not "annual leave"


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("how many days of anual leave", "annual-leave"),
        ("which day is payday", "pay-day"),
        ("new saftey shoes", "shoes"),
        ("被辞退了有补尝吗", "dismissal"),
    ],
)
def test_typos(engine: Engine, query: str, expected: str) -> None:
    assert first(engine, query) == expected


def test_a_long_rambling_question_still_finds_its_entry(engine: Engine) -> None:
    rambling = (
        "你好，我是三车间的，来厂里两年多了，平时表现一直挺好，领导也说我干活踏实。"
        "上个月国庆节那几天，法定节假日，车间说订单急，让我们都回来上班，我连着干了三天，"
        "家里人本来还想一起出去玩的也没去成。现在工资条出来了，我看加班那一栏好像不太对，"
        "跟平时差不多，想问问法定节假日加班，加班费到底应该怎么算？谢谢！"
    )
    matches = engine.search(rambling)
    assert matches[0].id == "overtime-holiday"
    english = (
        "Hello, sorry to bother you, I have been working on line 3 for about two years and my "
        "supervisor asked the whole team to come in during the national day holidays because of "
        "a rush order, which is fine, but my payslip looks the same as usual, so what is the "
        "overtime pay on a public holiday supposed to be? Thanks a lot, have a nice day"
    )
    assert first(engine, english) == "overtime-holiday"


def test_a_rambling_question_lowers_no_entry_below_another(engine: Engine) -> None:
    short = [m.id for m in engine.search("法定节假日加班费怎么算", top=3)]
    padded = "嗯嗯好的好的我想问一下哈" * 20 + "法定节假日加班费怎么算" + "谢谢谢谢谢谢" * 20
    assert [m.id for m in engine.search(padded, top=3)] == short


@pytest.mark.parametrize("meaning", [False, True], ids=["words", "meaning"])
def test_identical_entries_tie_the_same_way_every_time(meaning: bool) -> None:
    docs = [
        Document("a", ("年假有几天",)),
        Document("first-twin", ("病假工资怎么算",)),
        Document("second-twin", ("病假工资怎么算",)),
    ]
    vectors = bundled_meaning() if meaning else None
    engine = Engine.build(docs, meaning=vectors)
    matches = engine.search("病假工资怎么算")
    assert [m.id for m in matches[:2]] == ["first-twin", "second-twin"]
    assert matches[0].score == matches[1].score
    assert all(engine.search("病假工资怎么算") == matches for _ in range(5))
    swapped = Engine.build([docs[0], docs[2], docs[1]], meaning=vectors)
    assert first(swapped, "病假工资怎么算") == "second-twin"
    # Two equally good answers are no sure answer.
    assert engine.confidence(matches) is not Confidence.HIGH


def test_an_entry_scores_by_its_best_text() -> None:
    engine = Engine.build(
        [
            Document("pay", ("每月几号发工资？", "工资什么时候到账", "When is pay day?")),
            Document("bonus", ("年终奖什么时候发？",)),
        ]
    )
    assert first(engine, "工资什么时候到账") == "pay"
    assert engine.search("When is pay day?")[0] == Match("pay", 1.0)


def test_word_vectors_find_an_entry_by_what_the_words_mean() -> None:
    library = build(Faq.load(SHIPPED_CONTENT))
    by_words = Engine.build(documents(library.faq), library.faq.synonyms)
    question = "wedding next month - how much leave can I get for it"
    # Words alone see "leave" and pick another kind of leave; the vectors know a
    # wedding is a marriage.
    assert first(by_words, question) != "leave-marriage"
    assert first(library.engine, question) == "leave-marriage"


def test_the_word_vectors_load_from_the_installed_package() -> None:
    meaning = bundled_meaning()
    assert meaning is not None
    vectors = meaning.embed(["年假", "annual leave", ""])
    assert vectors.shape == (3, 256)
    assert vectors[0] @ vectors[0] == pytest.approx(1.0, abs=1e-5)
    assert not vectors[2].any()  # an empty text has no direction


@pytest.mark.parametrize("question", ["workshop", "Not a workshop", "假", "overtime!!"])
def test_a_question_of_one_word_is_never_a_sure_answer(question: str) -> None:
    library = build(Faq.load(SHIPPED_CONTENT))
    matches = library.engine.search(question)
    assert library.engine.content_words(question) == 1
    assert library.engine.confidence(matches, question) is not Confidence.HIGH


def test_confidence(engine: Engine) -> None:
    assert engine.confidence(engine.search("法定节假日加班费怎么算")) is Confidence.HIGH
    assert engine.confidence(engine.search("加班费怎么算")) is Confidence.MEDIUM
    assert engine.confidence(engine.search("食堂几点开门")) is Confidence.LOW
    assert engine.confidence([]) is Confidence.LOW


BAD_INPUT = [
    "",
    "   \n\t ",
    "😀",
    "👍👍👍🎉",
    "a",
    "的",
    "?",
    "。。。！！！",
    ".*[(?<=)]+\\1$^|{",
    "'; DROP TABLE faq; --",
    "1 OR 1=1; SELECT * FROM entries WHERE id = '' --",
    "<script>alert('x')</script>",
    "<b>加班</b>&nbsp;&lt;",
    "\x00\x01\x7f",
    "\u200b\u200e\u202e\ufeff",  # zero-width and direction marks
    "e\u0301\u0301\u0301",  # stacked combining accents
    "加\ud800",  # a lone surrogate, as JSON can carry
    "𠀀𪚥",  # characters outside the Basic Multilingual Plane
    "ＡＢＣ１２３",  # full-width
    "加" * 4096,
    "overtime " * 455,
    ("乱码" + "🙂" + "x" + "。") * 1024,
]


@pytest.mark.parametrize("query", BAD_INPUT)
def test_bad_input_returns_nothing_or_low_confidence(engine: Engine, query: str) -> None:
    matches = engine.search(query)
    assert isinstance(matches, list)
    assert len(matches) <= 3
    assert all(0.0 <= m.score <= 1.0 for m in matches)
    # Never a sure answer. The words behind markup still count ("<b>加班</b>" asks
    # about overtime), so the blended engine may offer "did you mean" there.
    assert engine.confidence(matches, query) is not Confidence.HIGH
    if "加班" not in query:
        assert engine.confidence(matches, query) is Confidence.LOW


@pytest.mark.parametrize("query", ["", "加班费", "😀"])
def test_an_empty_faq_finds_nothing(query: str) -> None:
    engine = Engine.build([])
    assert engine.search(query) == []
    assert engine.stats.entries == 0


def test_top(engine: Engine) -> None:
    assert engine.search("加班费怎么算", top=0) == []
    assert len(engine.search("加班费怎么算", top=1)) == 1
    many = engine.search("加班费怎么算", top=50)
    assert len(many) == len({m.id for m in many}) <= len(FAQ)
    assert [m.score for m in many] == sorted((m.score for m in many), reverse=True)


def test_a_repeated_id_is_refused() -> None:
    with pytest.raises(ValueError, match="pay"):
        Engine.build([Document("pay", ("工资",)), Document("pay", ("薪水",))])


def test_documents_without_text_are_kept_but_never_found() -> None:
    engine = Engine.build([Document("empty", ()), Document("emoji", ("🙂",))])
    assert engine.stats.entries == 2
    assert engine.search("🙂") == []


def test_searching_logs_nothing(engine: Engine, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.DEBUG):
        engine.search("我的工资被扣了，能告诉我怎么投诉吗")
    assert caplog.records == []


def write_set(folder: Path) -> tuple[Path, Path]:
    faq = folder / "tiny.faq.jsonl"
    queries = folder / "tiny.queries.jsonl"
    faq.write_text(
        "\n".join(
            json.dumps({"id": doc.id, "question": doc.texts[0], "alternates": [], "answer": "…"})
            for doc in FAQ
        )
        + "\n",
        encoding="utf-8",
    )
    asked = [
        ("法定节假日加班费怎么算", "overtime-holiday"),
        ("年假有幾天", "annual-leave"),
        ("被辞退了有补偿吗", "dismissal"),
        ("休息日加班怎么算", "overtime-rest-day"),
    ]
    queries.write_text(
        "\n".join(json.dumps({"query": q, "expected": e}) for q, e in asked) + "\n",
        encoding="utf-8",
    )
    return faq, queries


def test_evaluate_reports_every_figure(tmp_path: Path) -> None:
    figures = evaluate(*write_set(tmp_path))
    assert set(figures) >= {
        "hit@1",
        "hit@3",
        "mrr",
        "confident_share",
        "confident_hit@1",
        "p50_ms",
        "p95_ms",
    }
    assert figures["hit@1"] == 1.0
    assert figures["mrr"] == 1.0
    assert 0.0 < figures["confident_share"] <= 1.0


def test_eval_and_ask_on_the_command_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    faq, queries = write_set(tmp_path)
    assert main(["eval", "--faq", str(faq), "--queries", str(queries), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["hit@3"] == 1.0
    assert main(["eval", "--faq", str(faq), "--queries", str(queries)]) == 0
    assert "hit@1" in capsys.readouterr().out
    assert main(["ask", "年假有幾天", "--faq", str(faq), "--top", "2"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("confidence: ")
    assert lines[1].startswith("1. annual-leave ")
    assert len(lines) == 3
    assert main(["eval", "--faq", str(tmp_path / "missing.jsonl"), "--queries", str(queries)]) == 2
