"""The anonymous-concern content: categories, urgent patterns, helplines, each problem with its line."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.concerns.content import (
    Category,
    ConcernContent,
    UrgentKind,
    load,
    normalise,
    pattern_regex,
)
from bot.content import ContentError, errors

ROOT = Path(__file__).resolve().parents[2]
SHIPPED = ROOT / "content"
KINDS = ("hazard", "injury", "harassment", "self-harm", "unpaid-wages")


@pytest.fixture(scope="module")
def shipped() -> ConcernContent:
    content, problems = load(SHIPPED)
    assert errors(problems) == [] and content is not None
    return content


# ------------------------------------------------------------------ the shipped content


def test_the_shipped_content_loads_without_errors(shipped: ConcernContent) -> None:
    assert [c.id for c in shipped.categories] == [
        "pay",
        "safety",
        "hours",
        "living",
        "equipment",
        "fairness",
        "suggestion",
        "other",
    ]
    assert [c.id for c in shipped.categories if c.urgent] == ["safety"]
    assert tuple(k.id for k in shipped.kinds) == KINDS
    assert [k.id for k in shipped.kinds if k.helpline] == ["self-harm"]
    for kind in shipped.kinds:
        for locale in ("zh_Hans", "zh_Hant"):
            assert len(kind.patterns[locale]) >= 25, (kind.id, locale)
        assert kind.patterns["en"], kind.id


def test_the_only_warnings_are_the_plant_contact_placeholders() -> None:
    _, problems = load(SHIPPED)
    assert [(p.path.name, p.warning) for p in problems] == [("helplines.yaml", True)] * 3
    assert all("placeholder" in p.message for p in problems)


def test_the_shipped_words_follow_the_glossary(shipped: ConcernContent) -> None:
    texts = [name for c in shipped.categories for name in c.names.values()]
    texts += [name for k in shipped.kinds for name in k.names.values()]
    texts += [*shipped.helplines.values(), *shipped.plant_contact.values()]
    for text in texts:
        for word in ("用户", "用戶", "数据", "數據", "机器人", "機器人", "user", "bot"):
            assert word not in text.lower(), (word, text)


def test_names_and_helplines_in_each_language(shipped: ConcernContent) -> None:
    pay = shipped.category("pay")
    assert pay is not None
    assert (pay.name("zh_Hans"), pay.name("zh_Hant"), pay.name("en")) == (
        "工资福利",
        "工資福利",
        "Pay and benefits",
    )
    assert shipped.category("gossip") is None
    for locale in ("zh_Hans", "zh_Hant", "en"):
        text = shipped.helpline(locale)
        assert 2 <= len(text.splitlines()) <= 4
        for number in ("12356", "400-161-9995", "010-82951332", "120", "110"):
            assert number in text, (locale, number)
        # The placeholder for the plant's own contact is never shown to a worker.
        assert "本厂填写" not in text and "本廠填寫" not in text and "filled in" not in text


def test_a_missing_translation_falls_back_to_simplified_chinese() -> None:
    category = Category("pay", False, {"zh_Hans": "工资福利", "en": "Pay"})
    assert category.name("zh_Hant") == "工资福利"
    assert category.name("en") == "Pay"
    kind = UrgentKind("injury", {"zh_Hans": "有人受伤"})
    assert kind.name("en") == "有人受伤"


def test_a_filled_in_plant_contact_is_shown_under_the_helplines() -> None:
    content = ConcernContent(
        (),
        (),
        {"zh_Hans": "拨打12356", "zh_Hant": "撥打12356", "en": "Call 12356"},
        {"zh_Hans": "厂医：8123", "zh_Hant": "（本廠填寫：廠醫電話）", "en": "Plant doctor: 8123"},
    )
    assert content.helpline("zh_Hans") == "拨打12356\n厂医：8123"
    assert content.helpline("en") == "Call 12356\nPlant doctor: 8123"
    assert content.helpline("zh_Hant") == "撥打12356"


# ------------------------------------------------------------------ urgent patterns
#
# Written the way workers type: no punctuation, spaces anywhere, traditional
# characters and Cantonese, English as a second language, scripts mixed.
# Each row is a text and the exact kinds it must alert for.

POSITIVE: list[tuple[str, tuple[str, ...]]] = [
    # hazard
    ("三号盐池边上的护栏坏了好几天了晚上看不清很危险", ("hazard",)),
    ("配电箱漏电了刚才有人说手麻 赶紧派电工来", ("hazard",)),
    ("仓库那边闻到一股煤气味 不知道哪里漏气", ("hazard",)),
    ("班长让我们不停机清理皮带 说是赶产量 这样迟早要出事", ("hazard",)),
    ("卤水池旁边的电线老化破皮了 下雨天踩着水过去", ("hazard",)),
    ("叉车刹车失灵好几次了还在用", ("hazard",)),
    ("消防通道被货堵死了 着火了人都跑不出去", ("hazard",)),
    ("车间墙上有好大一条裂缝 感觉要塌", ("hazard",)),
    ("包裝車間的急停按鈕壞了 按了沒反應 太危險了", ("hazard",)),
    ("宿舍樓梯欄杆斷了 晚上好危險", ("hazard",)),
    ("機器防護罩被拆掉了 手隨時會捲進去", ("hazard",)),
    ("冷庫那邊有氨氣味 聞到頭暈", ("hazard",)),
    ("there is gas leak near the boiler room, nobody come to check", ("hazard",)),
    ("the guard is broken on the conveyor, very dangerous", ("hazard",)),
    ("Exposed wire in dorm 3 bathroom floor is wet", ("hazard",)),
    ("forklift brakes not working since monday", ("hazard",)),
    ("the 急停 button not work 很危险", ("hazard",)),
    # injury
    ("今天早上老王在二号池边滑倒摔伤了腿 送医院了", ("injury",)),
    ("小李的手被皮带机夹到 手指断了", ("injury",)),
    ("昨天下午有人中暑晕倒了", ("injury",)),
    ("同事被叉车撞了 在流血", ("injury",)),
    ("搬盐包闪了腰 到现在还疼 不给算工伤", ("injury",)),
    ("我受伤了班长不让报工伤", ("injury",)),
    ("眼睛被卤水溅到了", ("injury",)),
    ("阿明從梯子上摔下來 昏迷了 叫了救護車", ("injury",)),
    ("他整親隻腳 行唔到路", ("injury",)),
    ("師傅被掉下來的鋼板砸傷 縫了十幾針", ("injury",)),
    ("有人觸電了", ("injury",)),
    ("my friend got hurt at the salt pan today", ("injury",)),
    ("worker fell from the ladder and is bleeding", ("injury",)),
    ("he fainted from heat stroke this afternoon", ("injury",)),
    ("I broke my finger at work, boss say not work injury", ("injury",)),
    ("someone was taken to the hospital after the accident", ("injury",)),
    ("他的手被卷进去了 very bad", ("hazard", "injury")),
    # harassment
    ("车间主任老是对女工动手动脚", ("harassment",)),
    ("班长喝了酒就摸我屁股", ("harassment",)),
    ("组长威胁我们说谁反映就开除谁", ("harassment",)),
    ("新来的临时工被老员工欺负 天天被骂", ("harassment",)),
    ("他说要找人收拾我", ("harassment",)),
    ("昨天宿舍有人打架 被打了的那个头都破了", ("harassment",)),
    ("老板扣着我们的身份证不给", ("harassment",)),
    ("主管成日講黃段子 仲摸人大腿", ("harassment",)),
    ("組長成日蝦我", ("harassment",)),
    ("他說要弄死我", ("harassment",)),
    ("經理當眾辱罵員工", ("harassment",)),
    ("my supervisor keep touching me and I feel scared", ("harassment",)),
    ("team leader threaten to fire us if we complain", ("harassment",)),
    ("he hit me in the dorm last night", ("harassment",)),
    ("sexual harassment by the driver", ("harassment",)),
    ("they bully the new workers every day", ("harassment",)),
    ("主管 yelled at me 当众羞辱", ("harassment",)),
    # self-harm
    ("真的不想活了", ("self-harm",)),
    ("活着真没意思 每天就是干活睡觉", ("self-harm",)),
    ("有时候想从宿舍楼上跳下去", ("self-harm",)),
    ("欠了网贷 想一死了之", ("self-harm",)),
    ("我想自杀", ("self-harm",)),
    ("我 想 死", ("self-harm",)),
    ("想紫砂", ("self-harm",)),
    ("活著好累 不想再活了", ("self-harm",)),
    ("唔想活落去", ("self-harm",)),
    ("我真係想死咗算", ("self-harm",)),
    ("好想輕生", ("self-harm",)),
    ("i want to die", ("self-harm",)),
    ("sometimes i think to kill myself", ("self-harm",)),
    ("I dont want to live anymore", ("self-harm",)),
    ("feeling suicidal after my wife left", ("self-harm",)),
    ("life no meaning, better off dead", ("self-harm",)),
    ("i don\u2019t want to live any more", ("self-harm",)),
    ("i am 生无可恋 tired of life", ("self-harm",)),
    # unpaid wages
    ("拖欠了我们三个月工资", ("unpaid-wages",)),
    ("工资到现在还没发", ("unpaid-wages",)),
    ("上个月的加班费一直没给", ("unpaid-wages",)),
    ("包工头跑了 我们的血汗钱怎么办", ("unpaid-wages",)),
    ("辞职了押金不退 工资也不结", ("unpaid-wages",)),
    ("老板说压一个月工资 这合法吗", ("unpaid-wages",)),
    ("已经两个月没发钱了", ("unpaid-wages",)),
    ("老是让我们白加班 不给调休", ("unpaid-wages",)),
    ("工資拖了兩個月", ("unpaid-wages",)),
    ("老闆欠薪跑路", ("unpaid-wages",)),
    ("公司仲未出糧 屋企等住交租", ("unpaid-wages",)),
    ("加班費都沒給", ("unpaid-wages",)),
    ("we have not been paid for 2 months", ("unpaid-wages",)),
    ("salary delay again, 3 months", ("unpaid-wages",)),
    ("company owes us overtime money", ("unpaid-wages",)),
    ("they withheld my wages when I quit", ("unpaid-wages",)),
    ("my salary is not paid yet", ("unpaid-wages",)),
    ("工资 still not paid since march", ("unpaid-wages",)),
    # more than one kind: in file order, each once
    ("工资拖了三个月 我想死 真的想死", ("self-harm", "unpaid-wages")),
    ("班长打人 有人受伤了 太危险", ("hazard", "injury", "harassment")),
]

# Everyday complaints that must alert no one, grouped by the kind they come
# closest to. Every one of them is checked against every kind.
NEGATIVE: dict[str, list[str]] = {
    "hazard": [
        "机器坏了",
        "机器坏了没人修",
        "包装机又坏了 影响产量 希望换新的",
        "空调坏了 宿舍太热睡不着",
        "安全帽太旧了 能不能换新的",
        "電腦壞了打不了卡",
        "班前学习的安全题太难了",
        "领导脑子短路了 乱排班",
        "卤水往下流到路上很滑",
        "the machine is broken again, please fix it",
        "I think the safety training is too long",
        "希望食堂多做点辣的 fire chicken",
    ],
    "injury": [
        "工伤保险怎么交",
        "我妈住院了要请假",
        "伤心 工资又被扣了",
        "流血流汗干一年 年终奖才两百",
        "热死人了 车间没有风扇",
        "防中暑的绿豆汤能不能多准备点",
        "醫院體檢的費用誰出",
        "the new safety shoes hurt my feet",
        "burnout from too much overtime",
        "I need leave, my mother is in hospital",
    ],
    "harassment": [
        "食堂天天吃豆腐 能不能换换",
        "打卡机经常坏",
        "有事打我电话",
        "宿舍开房门要刷卡很麻烦",
        "我们被压力压得喘不过气",
        "希望公司多關心臨時工",
        "we need to punch in earlier than the shift starts",
        "beat the production target and get no bonus",
        "thread machine broken",
        "the boss never listens",
    ],
    "self-harm": [
        "累死了",
        "热死了 车间没空调",
        "烦死了 天天加班",
        "笑死 食堂今天又是土豆",
        "饿死了 食堂开饭太晚",
        "累得要死 困死了 夜班连着上",
        "氣死我了 又扣錢",
        "熱到死 宿舍冇冷氣",
        "我不想住宿舍了",
        "宿舍放老鼠药了吗 老鼠太多",
        "夜班后吃安眠药才能睡着",
        "I'm dying of the heat in the workshop",
        "this overtime is killing me",
        "I don't want to live in the dormitory any more",
    ],
    "unpaid-wages": [
        "工资低",
        "工资太低了 物价涨了好多",
        "工资一直不给涨",
        "工资没涨 活越来越多",
        "压力大工资低",
        "讨论工资改革的会什么时候开",
        "工资条看不懂",
        "工资低，不发劳保用品",
        "高温补贴什么时候发",
        "工資太少 養不起家",
        "my salary is too low",
        "I want unpaid leave next week",
        "we are not paid enough for night shift",
    ],
}


@pytest.mark.parametrize(("text", "kinds"), POSITIVE)
def test_an_urgent_concern_alerts_for_exactly_its_kinds(
    shipped: ConcernContent, text: str, kinds: tuple[str, ...]
) -> None:
    assert shipped.urgent_kinds(text) == kinds


@pytest.mark.parametrize(
    "text", [text for texts in NEGATIVE.values() for text in texts], ids=lambda t: t[:20]
)
def test_an_everyday_complaint_alerts_no_one(shipped: ConcernContent, text: str) -> None:
    assert shipped.urgent_kinds(text) == ()


def test_each_kind_has_enough_examples_in_each_script() -> None:
    def script(text: str) -> set[str]:
        found = set()
        if any("a" <= ch <= "z" for ch in text.lower()):
            found.add("en")
        if any(
            ch in "們個說這來會沒還時對樣實應點從讓邊為壞護險傷給資錢發聞斷電機腳係唔咗冇"
            for ch in text
        ):
            found.add("zh_Hant")
        elif any("\u4e00" <= ch <= "\u9fff" for ch in text):
            found.add("zh_Hans")
        return found

    for kind in KINDS:
        positives = [text for text, kinds in POSITIVE if kinds == (kind,)]
        assert len(positives) >= 15, kind
        assert len(NEGATIVE[kind]) >= 10, kind
        scripts = set().union(*(script(text) for text in positives))
        assert scripts == {"zh_Hans", "zh_Hant", "en"}, (kind, scripts)


def test_the_shipped_self_harm_patterns_show_the_helpline(shipped: ConcernContent) -> None:
    found = shipped.urgent_kinds("我真的不想活了")
    assert [k.id for k in shipped.kinds if k.id in found and k.helpline] == ["self-harm"]


# ------------------------------------------------------------------ pattern semantics


def matcher(**patterns: list[str]) -> ConcernContent:
    kinds = tuple(
        UrgentKind(kind.replace("_", "-"), {"zh_Hans": kind}, False, by_locale(words))
        for kind, words in patterns.items()
    )
    return ConcernContent((), kinds, {}, {})


def by_locale(words: list[str]) -> dict[str, tuple[str, ...]]:
    english = tuple(w for w in words if w.isascii())
    return {"zh_Hans": tuple(w for w in words if not w.isascii()), "en": english}


@pytest.mark.parametrize(
    ("pattern", "text", "found"),
    [
        ("拖*工资", "拖欠了我们三个月工资", True),  # 8 characters in between
        ("拖*工资", "拖欠了我们整整三个月工资", False),  # 10 characters in between
        ("拖*工资", "拖工资", True),  # "*" may be nothing
        ("不想活", "不 想\n活", True),  # Chinese ignores every space
        ("不想活", "\u4e0d\u200b\u60f3\u6d3b", True),  # and invisible joiners
        ("*想死*", "我想死", True),  # a star at either end changes nothing
        ("suicid", "SUICIDAL thoughts", True),  # case does not matter
        ("suicid", "ｓｕｉｃｉｄｅ", True),  # nor full-width letters (NFKC)
        ("suicid", "nonsuicidal", False),  # English starts at a word start
        ("suicid", "想suicide", True),  # a Chinese character before is a word start
        ("kill myself", "kill   \n myself", True),  # runs of spaces are one space
        ("don't", "don\u2019t", True),  # a typographic apostrophe is an apostrophe
        ("no guard on", "there is no guard on it", True),  # searched from a rarer letter
        ("no guard on", "piano guard on it", False),  # still from the word start
        ("wages*not paid", "my wages are not paid", True),
        ("wages*not paid", "my wages for the whole month are not paid", False),
        ("没*护栏", "没有任何护栏", True),  # searched from 护, looking back for 没
        ("没*护栏", "护栏没有", False),
        ("很危险", "太危险了", False),
        ("(危险)", "(危险)", True),  # regex characters are plain text
        ("a.b", "axb", False),
    ],
)
def test_pattern_semantics(pattern: str, text: str, found: bool) -> None:
    content = matcher(kind=[pattern])
    assert content.urgent_kinds(text) == (("kind",) if found else ())


def test_patterns_of_every_language_apply_to_every_text() -> None:
    content = ConcernContent(
        (),
        (
            UrgentKind(
                "self-harm",
                {"zh_Hans": "轻生"},
                True,
                {"zh_Hans": ("轻生",), "zh_Hant": ("輕生",), "en": ("suicid",)},
            ),
        ),
        {},
        {},
    )
    for text in ("想轻生", "想輕生", "i feel suicidal", "我想 suicide"):
        assert content.urgent_kinds(text) == ("self-harm",), text


def test_kinds_come_in_file_order_each_once() -> None:
    content = matcher(b_kind=["乙"], a_kind=["甲", "甲乙"])
    assert content.urgent_kinds("甲乙 甲乙 乙") == ("b-kind", "a-kind")
    assert content.urgent_kinds("丙") == ()


def test_one_regex_per_script_holds_all_patterns() -> None:
    regex = pattern_regex(["危险", "很危险", "危险品", "没*护栏"], "zh_Hans")
    assert regex is not None
    # 危险 finds everything 很危险 and 危险品 would: they are not searched for again.
    assert "品" not in regex and "很" not in regex
    assert pattern_regex([], "en") is None


def test_normalise() -> None:
    assert normalise(" Ｔｈｅ  wall\n裂缝 ") == ("thewall裂缝", "the wall 裂缝")


# ------------------------------------------------------------------ broken files

CATEGORIES = """\
categories:
  - id: pay
    urgent: false
    name: {zh_Hans: 工资福利, zh_Hant: 工資福利, en: Pay and benefits}
  - id: safety
    urgent: true
    name: {zh_Hans: 安全生产, zh_Hant: 安全生產, en: Safety}
  - id: other
    name: {zh_Hans: 其他, zh_Hant: 其他, en: Something else}
"""

URGENT = """\
kinds:
  - id: self-harm
    name: {zh_Hans: 轻生念头, zh_Hant: 輕生念頭, en: Thoughts of suicide}
    helpline: true
    patterns:
      zh_Hans: [不想活, 想死,
        "活着*没意思"]
      zh_Hant: [不想活, 輕生]
      en: [kill myself, suicid]
  - id: unpaid-wages
    name: {zh_Hans: 拖欠工资, zh_Hant: 拖欠工資, en: Unpaid wages}
    patterns:
      zh_Hans: [拖*工资]
      zh_Hant: [拖*工資]
      en: [unpaid wage]
"""

HELPLINES = """\
helplines:
  zh_Hans: |
    你不是一个人。
    心理援助热线：12356
  zh_Hant: |
    你不是一個人。
    心理援助熱線：12356
  en: |
    You are not alone.
    Mental health helpline: 12356
plant_contact:
  zh_Hans: 厂医：8123
  zh_Hant: 廠醫：8123
  en: "Plant doctor: 8123"
"""


def folder_with(tmp_path: Path, **files: str | None) -> Path:
    """A content folder with the good files above, some replaced (None: left out)."""
    (tmp_path / "concerns").mkdir()
    texts = {"categories": CATEGORIES, "urgent": URGENT, "helplines": HELPLINES} | files
    for name, text in texts.items():
        if text is not None:
            (tmp_path / "concerns" / f"{name}.yaml").write_text(text, encoding="utf-8")
    return tmp_path


def messages(folder: Path) -> list[str]:
    content, problems = load(folder)
    assert (content is None) == bool(errors(problems))
    return [str(p).removeprefix(str(folder / "concerns") + "/") for p in problems]


def test_good_files_load(tmp_path: Path) -> None:
    content, problems = load(folder_with(tmp_path))
    assert problems == [] and content is not None
    assert [c.id for c in content.categories] == ["pay", "safety", "other"]
    assert content.kinds[0].patterns["zh_Hans"] == ("不想活", "想死", "活着*没意思")
    assert content.kinds[1].helpline is False
    assert content.urgent_kinds("活着真没意思") == ("self-harm",)
    assert (
        content.helpline("en")
        == "You are not alone.\nMental health helpline: 12356\nPlant doctor: 8123"
    )


def test_a_missing_file(tmp_path: Path) -> None:
    assert messages(folder_with(tmp_path, urgent=None)) == [
        "urgent.yaml: cannot be read: No such file or directory"
    ]


def test_not_yaml(tmp_path: Path) -> None:
    broken = CATEGORIES.replace("name: {zh_Hans: 其他,", "name: {zh_Hans: [其他,")
    assert messages(folder_with(tmp_path, categories=broken))[0].startswith(
        "categories.yaml:9: is not valid YAML"
    )


@pytest.mark.parametrize(
    ("file", "change", "expected"),
    [
        (
            "categories",
            ("    urgent: true\n", "    urgent: true\n    colour: red\n"),
            "categories.yaml:7: category 2 has an unknown field “colour” (id, name, urgent)",
        ),
        (
            "categories",
            ("  - id: safety", "  - id: pay"),
            "categories.yaml:5: category id “pay” is also used on line 2",
        ),
        (
            "categories",
            ("zh_Hant: 安全生產, ", ""),
            "categories.yaml:7: category “safety” name has no zh_Hant text "
            "(zh_Hans, zh_Hant and en are all needed)",
        ),
        (
            "categories",
            ("zh_Hans: 安全生产", "zh_Hans: 安全生产和职业健康以及环境保护"),
            "categories.yaml:7: category “safety” name (zh_Hans) is 15 characters, more than 12",
        ),
        (
            "categories",
            ("en: Safety}", "en: Safety at work and your health}"),
            "categories.yaml:7: category “safety” name (en) is 30 characters, more than 24",
        ),
        (
            "categories",
            ("    urgent: true", "    urgent: yes please"),
            "categories.yaml:6: category “safety”: “urgent” is true or false",
        ),
        (
            "categories",
            ("  - id: other", "  - id: misc"),
            "categories.yaml:1: one category must have the id “other”, for what fits nowhere else",
        ),
        (
            "categories",
            ("  - id: pay", "  - id: Pay"),
            "categories.yaml:2: category 1 needs an “id” of lower-case letters, digits and “-” "
            "(up to 40)",
        ),
        (
            "urgent",
            ("  - id: unpaid-wages", "  - id: self-harm"),
            "urgent.yaml:10: kind id “self-harm” is also used on line 2",
        ),
        (
            "urgent",
            ("    helpline: true\n", "    helpline: true\n    sound: loud\n"),
            "urgent.yaml:5: kind 1 has an unknown field “sound” (helpline, id, name, patterns)",
        ),
        (
            "urgent",
            ("      zh_Hant: [拖*工資]\n", ""),
            "urgent.yaml:12: kind “unpaid-wages” has no patterns in zh_Hant "
            "(zh_Hans, zh_Hant and en are all needed)",
        ),
        (
            "urgent",
            ("zh_Hant: 輕生念頭, ", ""),
            "urgent.yaml:3: kind “self-harm” name has no zh_Hant text "
            "(zh_Hans, zh_Hant and en are all needed)",
        ),
        (
            "urgent",
            ("[不想活, 想死,", "[不想活, '',"),
            "urgent.yaml:6: kind “self-harm” pattern 2 in zh_Hans is empty",
        ),
        (
            "urgent",
            ('"活着*没意思"]', '"  "]'),
            "urgent.yaml:7: kind “self-harm” pattern 3 in zh_Hans is empty",
        ),
        (
            "urgent",
            ("en: [kill myself, suicid]", "en: [kill myself, '* *']"),
            "urgent.yaml:9: kind “self-harm” pattern 2 in en is only “*”, "
            "which would match every message",
        ),
        (
            "urgent",
            ("en: [unpaid wage]", "en: [" + "unpaid wage " * 4 + "]"),
            "urgent.yaml:15: kind “unpaid-wages” pattern 1 in en is 47 characters, more than 40: "
            "“unpaid wage unpaid wage unpaid wage unpaid wage”",
        ),
        (
            "urgent",
            ("zh_Hant: [不想活, 輕生]", "zh_Hant: []"),
            "urgent.yaml:8: kind “self-harm” needs a list of patterns in zh_Hant, e.g. [想死, 不想活]",
        ),
        (
            "urgent",
            ("zh_Hant: [不想活, 輕生]", "zh_Hant: [不想活, 輕生]\n      fr: [suicide]"),
            "urgent.yaml:9: kind “self-harm” has patterns in “fr”, which is not a language here",
        ),
        (
            "urgent",
            ("kinds:", "kind:"),
            "urgent.yaml:1: the file has an unknown field “kind” (kinds)",
        ),
        (
            "helplines",
            ("  en: |\n    You are not alone.\n    Mental health helpline: 12356\n", ""),
            "helplines.yaml:1: “helplines” has no en text (zh_Hans, zh_Hant and en are all needed)",
        ),
        (
            "helplines",
            ("  zh_Hant: 廠醫：8123\n", ""),
            "helplines.yaml:11: “plant_contact” has no zh_Hant text "
            "(zh_Hans, zh_Hant and en are all needed)",
        ),
        (
            "helplines",
            ("plant_contact:", "contact:"),
            "helplines.yaml:11: the file has an unknown field “contact” (helplines, plant_contact)",
        ),
    ],
)
def test_a_broken_file_names_the_line(
    tmp_path: Path, file: str, change: tuple[str, str], expected: str
) -> None:
    good = {"categories": CATEGORIES, "urgent": URGENT, "helplines": HELPLINES}[file]
    old, new = change
    assert old in good
    found = messages(folder_with(tmp_path, **{file: good.replace(old, new, 1)}))
    assert expected in found, found


@pytest.mark.parametrize("count", [1, 9])
def test_two_to_eight_categories(tmp_path: Path, count: int) -> None:
    entries = "".join(
        f"  - id: {'other' if n == 0 else f'c{n}'}\n"
        f"    name: {{zh_Hans: 类{n}, zh_Hant: 類{n}, en: C{n}}}\n"
        for n in range(count)
    )
    found = messages(folder_with(tmp_path, categories="# the list\ncategories:\n" + entries))
    assert found == [f"categories.yaml:2: a worker picks from 2 to 8 categories, not {count}"]


def test_a_placeholder_in_the_plant_contact_is_a_warning(tmp_path: Path) -> None:
    placeholder = HELPLINES.replace("  zh_Hans: 厂医：8123", "  zh_Hans: （本厂填写：厂医电话）")
    content, problems = load(folder_with(tmp_path, helplines=placeholder))
    assert content is not None
    (problem,) = problems
    assert problem.warning and problem.line == 12
    assert "（本厂填写：厂医电话）" in problem.message
    assert content.helpline("zh_Hans") == "你不是一个人。\n心理援助热线：12356"


def test_a_duplicate_pattern_is_a_warning(tmp_path: Path) -> None:
    twice = URGENT.replace("en: [kill myself, suicid]", "en: [kill myself, Kill  Myself]")
    assert messages(folder_with(tmp_path, urgent=twice)) == [
        "urgent.yaml:9: warning: kind “self-harm” lists the pattern “kill myself” twice in en"
    ]


def test_every_problem_at_once(tmp_path: Path) -> None:
    found = messages(
        folder_with(
            tmp_path,
            categories=CATEGORIES.replace("  - id: other", "  - id: misc"),
            urgent=URGENT.replace("[拖*工资]", "['*']"),
            helplines=None,
        )
    )
    assert [line.split(":")[0] for line in found] == [
        "categories.yaml",
        "urgent.yaml",
        "helplines.yaml",
    ]


def test_content_error_names_every_error(tmp_path: Path) -> None:
    with pytest.raises(ContentError) as raised:
        ConcernContent.load(folder_with(tmp_path, helplines=None))
    assert [p.path.name for p in raised.value.problems] == ["helplines.yaml"]
    assert ConcernContent.load(SHIPPED).category("other") is not None
