"""Weekly totals: what counts, what is a repeat, and the week before."""

from __future__ import annotations

import datetime as dt

import pytest

from briefing.aggregate import digest_week, previous_week
from briefing.models import Article, Fact


def article(id_, day, duplicate_of=None):
    return Article(id=id_, path=f"{id_}.txt", title=id_, text="x", published=dt.datetime(2020, 12, day, 9), duplicate_of=duplicate_of)


def fact(article_id, kind, value, unit, category, start=0, row_label=""):
    return Fact(article_id, kind, str(value), value, unit, "", category, "句子。", start, start + 1, row_label)


ARTICLES = [
    article("a_w50", 8),
    article("b_w51", 14),
    article("c_w51", 16),
    article("d_w51_repost", 17, duplicate_of="c_w51"),
]
FACTS = {
    "a_w50": [fact("a_w50", "money", 36_000_000, "CNY", "funding"), fact("a_w50", "count", 5, "项", "signing")],
    "b_w51": [
        fact("b_w51", "money", 120_000_000, "CNY", "investment", 1),
        fact("b_w51", "money", 120_000_000, "CNY", "investment", 50),  # said again in the same article
        fact("b_w51", "money", 3_000_000, "CNY", "policy", 60),  # an award cap, not money committed
        fact("b_w51", "count", 8, "项", "signing", 70),
        fact("b_w51", "count", 60, "人", "people", 80),
        fact("b_w51", "percent", 12.5, "%", "", 90),
    ],
    "c_w51": [
        fact("c_w51", "money", 68_500_000, "CNY", "signing", 1),
        fact("c_w51", "count", 15, "项", "signing", 2),
        fact("c_w51", "money", 68_500_000, "CNY", "funding", 3, row_label="合计"),
    ],
    "d_w51_repost": [fact("d_w51_repost", "money", 68_500_000, "CNY", "signing"), fact("d_w51_repost", "count", 15, "项", "signing")],
}


@pytest.fixture()
def digest():
    return digest_week(ARTICLES, FACTS, "2020-W51")


def test_week_bounds_and_citation_order(digest):
    assert (digest.start, digest.end) == (dt.date(2020, 12, 14), dt.date(2020, 12, 20))
    assert [a.id for a in digest.articles] == ["b_w51", "c_w51", "d_w51_repost"]
    assert [a.number for a in digest.articles] == [1, 2, 3]


def test_repeats_reposts_total_rows_and_policy_rules_are_not_summed(digest):
    assert digest.total_funding_yuan == 120_000_000 + 68_500_000
    assert digest.funding_by_category == {"investment": 120_000_000.0, "signing": 68_500_000.0}
    assert digest.signing_count == 8 + 15
    assert digest.signings_by_article == {1: 8, 2: 15}


def test_every_fact_is_listed_and_each_left_out_amount_says_why(digest):
    assert len(digest.facts) == 11
    noted = [(f.article_number, f.value) for f in digest.facts if f.note]
    assert noted == [(1, 120_000_000), (1, 3_000_000), (2, 68_500_000), (3, 68_500_000), (3, 15)]
    assert "政策奖补标准" in next(f.note for f in digest.facts if f.value == 3_000_000)
    # counts of people and percentages feed no total: not counted, nothing to explain
    people = next(f for f in digest.facts if f.unit == "人")
    assert not people.counted and people.note == ""
    assert digest.facts_by_kind == {"money": 6, "count": 4, "percent": 1}


def test_a_repost_cites_the_original_by_its_number(digest):
    repost = [f for f in digest.facts if f.article_number == 3]
    assert repost and all(f.note == "转载自[2]，不重复计入" for f in repost)


def test_previous_week_comparison(digest):
    assert digest.previous_week == "2020-W50"
    assert digest.previous_total_funding_yuan == 36_000_000
    assert digest.previous_signing_count == 5


def test_no_previous_week_when_nothing_was_read_for_it():
    digest = digest_week(ARTICLES, FACTS, "2020-W50")
    assert digest.previous_week is None and digest.previous_total_funding_yuan is None


@pytest.mark.parametrize("week, before", [("2020-W51", "2020-W50"), ("2021-W01", "2020-W53"), ("2020-W01", "2019-W52")])
def test_previous_week_crosses_years(week, before):
    assert previous_week(week) == before


def sentence_fact(sentence, surface, value, category, unit="CNY", kind="money"):
    start = sentence.index(surface)
    return Fact("x", kind, surface, value, unit, "", category, sentence, start, start + len(surface))


@pytest.mark.parametrize(
    "facts, summed, note",
    [
        # a total, then its parts: only the total is summed
        (
            [
                sentence_fact("本年度共下达专项资金25086.67万元。", "25086.67万元", 250_866_700, "funding"),
                sentence_fact("新能源领域安排资金11280万元。", "11280万元", 112_800_000, "funding"),
            ],
            [250_866_700],
            "只计最大一项",
        ),
        # 其中 introduces a part of the figure before it
        (
            [
                sentence_fact("共签约项目17项，其中合同金额在100万元以上的项目有11项。", "17项", 17, "signing", "项", "count"),
                sentence_fact("共签约项目17项，其中合同金额在100万元以上的项目有11项。", "11项", 11, "signing", "项", "count"),
            ],
            [17],
            "分项数",
        ),
        # a statistic of the whole year is not this week's news
        ([sentence_fact("全社会研发经费投入逾140亿元。", "逾140亿元", 14_000_000_000, "investment")], [], "累计或年度统计"),
        ([sentence_fact("今年以来，落实市级财政科技资金3600万元。", "3600万元", 36_000_000, "funding")], [], "累计或年度统计"),
        # proposed, not yet signed
        ([sentence_fact("已促成拟签约项目330余项。", "330余项", 330, "signing", "项", "count")], [], "拟定"),
    ],
    ids=["parts-of-a-total", "qizhong-subset", "annual-statistic", "year-to-date", "tentative"],
)
def test_counting_rules(facts, summed, note):
    one = Article(id="x", path="x.txt", title="x", text="x", published=dt.datetime(2020, 12, 22))
    digest = digest_week([one], {"x": facts}, "2020-W52")
    assert [f.value for f in digest.facts if f.counted] == summed
    assert all(note in f.note for f in digest.facts if not f.counted)


def test_a_sentence_retelling_an_earlier_article_is_not_summed_again():
    first = Article(id="report", path="a.txt", title="a", text="x", published=dt.datetime(2020, 12, 10))
    review = Article(id="review", path="b.txt", title="b", text="x", published=dt.datetime(2020, 12, 24))
    told = "安排支持经费1.6亿元，带动企业投入4.18亿元。"
    retold = "获得财政支持1.6亿元，撬动企业配套投入4.18亿元。"
    facts = {
        "report": [sentence_fact(told, "1.6亿元", 160_000_000, "funding"), sentence_fact(told, "4.18亿元", 418_000_000, "investment")],
        "review": [sentence_fact(retold, "1.6亿元", 160_000_000, "funding"), sentence_fact(retold, "4.18亿元", 418_000_000, "investment")],
    }
    digest = digest_week([first, review], facts, "2020-W52")
    assert all(not f.counted and "《a》（12月10日）" in f.note for f in digest.facts)
    assert digest.total_funding_yuan == 0


def test_one_shared_round_amount_is_a_coincidence_not_a_repeat():
    earlier = Article(id="baotou", path="a.txt", title="a", text="x", published=dt.datetime(2020, 11, 2))
    later = Article(id="chifeng", path="b.txt", title="b", text="x", published=dt.datetime(2020, 12, 22))
    facts = {
        "baotou": [sentence_fact("包头市安排专项资金1000万元。", "1000万元", 10_000_000, "funding")],
        "chifeng": [sentence_fact("赤峰市安排专项资金1000万元。", "1000万元", 10_000_000, "funding")],
    }
    assert digest_week([earlier, later], facts, "2020-W52").total_funding_yuan == 10_000_000


@pytest.mark.parametrize(
    "fact, note",
    [
        (sentence_fact("签订合作协议金额5000万美元。", "5000万美元", 50_000_000, "signing", "USD"), "外币金额（USD）"),
        (sentence_fact("单个企业每年最高奖励300万元。", "300万元", 3_000_000, "policy"), "政策奖补标准"),
        (sentence_fact("预计新增产值超过5亿元。", "超过5亿元", 500_000_000, "other"), "不属投入资金"),
    ],
    ids=["foreign-currency", "policy-rule", "output-value"],
)
def test_money_outside_the_funding_total_says_why(fact, note):
    one = Article(id="x", path="x.txt", title="x", text="x", published=dt.datetime(2020, 12, 22))
    digest = digest_week([one], {"x": [fact]}, "2020-W52")
    assert digest.total_funding_yuan == 0
    assert note in digest.facts[0].note


def test_signing_parties_are_not_signed_items():
    one = Article(id="x", path="x.txt", title="x", text="x", published=dt.datetime(2020, 12, 22))
    sentence = "自治区人民政府与四家单位签约，签署合作项目31项。"
    facts = [
        sentence_fact(sentence, "四家", 4, "signing", "家", "count"),
        sentence_fact(sentence, "31项", 31, "signing", "项", "count"),
    ]
    assert digest_week([one], {"x": facts}, "2020-W52").signing_count == 31
