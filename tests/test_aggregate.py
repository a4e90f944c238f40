"""Weekly totals: what counts, what is a repeat, and the week before."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from pathlib import Path

import pytest

from briefing.aggregate import counting_rules, digest_week, lead_sentence, previous_week
from briefing.extract import extract_facts
from briefing.ingest import read_article
from briefing.models import Article, Fact, PartnerRow, PlaceRow, WeekDigest


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


# ---------------------------------------------------------------- the sample articles, without a store

ROOT = Path(__file__).resolve().parent.parent
REPOSTS = {"s07_ulanqab_bayannur_agri_docking_repost": "s06_ulanqab_bayannur_agri_docking"}
"""What the store's near-duplicate check links among the samples (tests/test_store.py)."""


@pytest.fixture(scope="module")
def samples() -> tuple[list[Article], dict[str, list[Fact]]]:
    """Every sample article of inputs/ read and extracted, the repost linked as the store would."""
    articles = [replace(read_article(path), duplicate_of=REPOSTS.get(path.stem)) for path in sorted((ROOT / "inputs").iterdir())]
    return articles, {a.id: extract_facts(a) for a in articles}


@pytest.fixture(scope="module")
def sample_weeks(samples) -> dict[str, WeekDigest]:
    return {week: digest_week(*samples, week) for week in ("2020-W50", "2020-W51", "2020-W52")}


def test_sample_weeks_count_new_projects_and_platforms_by_the_signing_rules(sample_weeks):
    w50, w51, w52 = sample_weeks.values()
    # W50: 攻关项目3个 + 科技重大专项12个; 研发平台2个 + 共建创新平台8项
    # (全市拥有…平台7个、40余个 is what exists, not what is new; 今年…共立项…1086项，比上年增加215项
    # is the year's statistic, not this week's news)
    assert (w50.project_count, w50.platform_count) == (3 + 12, 2 + 8)
    # W51: 校地合作项目64项; 两个合作平台 (截至目前…共建各类研发平台18个 is a running total)
    assert (w51.project_count, w51.platform_count) == (64, 2)
    assert (w51.previous_project_count, w51.previous_platform_count) == (w50.project_count, w50.platform_count)
    # W52: 立项支持项目92项 (the table's parts and 合计 row are not added again)
    assert (w52.project_count, w52.platform_count) == (92, 0)
    assert w50.previous_project_count is None and w50.previous_platform_count is None


def test_sample_trend_repeats_what_each_week_would_report(samples, sample_weeks):
    trend = sample_weeks["2020-W52"].trend
    assert [(p.week, p.start, p.article_count) for p in trend] == [
        ("2020-W50", dt.date(2020, 12, 7), 4), ("2020-W51", dt.date(2020, 12, 14), 4), ("2020-W52", dt.date(2020, 12, 21), 4)]
    for point in trend:
        own = sample_weeks[point.week]
        assert (point.funding_yuan, point.signing_count) == (own.total_funding_yuan, own.signing_count)
    assert [p.week for p in sample_weeks["2020-W51"].trend] == ["2020-W50", "2020-W51"]


def test_sample_signings_by_type_add_up_to_the_signing_total(sample_weeks):
    assert sample_weeks["2020-W50"].signings_by_type == {"签约项目": 31, "合作协议": 5}
    assert sample_weeks["2020-W51"].signings_by_type == {"合作协议": 15}  # the repost's 15项 is not added
    assert sample_weeks["2020-W52"].signings_by_type == {"签约项目": 17}
    assert all(sum(d.signings_by_type.values()) == d.signing_count for d in sample_weeks.values())


def test_sample_places_are_league_cities_named_beside_counted_figures_or_in_the_headline(sample_weeks):
    # 通辽市将…安排资金1000万元 names 通辽市 itself; the other figures of "通辽市与中国农业大学签署…"
    # and of "区外科研院所走进乌兰察布…" are placed by their headline; the region is never a row
    assert sample_weeks["2020-W51"].by_place == (
        PlaceRow("通辽市", 130_000_000.0, 0, 4, (1,)), PlaceRow("乌兰察布市", 68_500_000.0, 15, 2, (2,)))
    # "赤峰市举办科技成果转化暨校地合作对接活动": 共签约…项目17项，签约总金额约1.35亿元
    assert sample_weeks["2020-W52"].by_place == (PlaceRow("赤峰市", 135_000_000.0, 17, 2, (2,)),)


def test_sample_partners_are_the_organisations_beside_counted_figures_without_local_authorities(sample_weeks):
    # 共同建设中国农业大学通辽科技小院和科尔沁肉牛产业研究中心两个合作平台: a counted platform count;
    # the headline's 中国农业大学 partners the figures whose sentence names nobody
    assert sample_weeks["2020-W51"].by_partner == (
        PartnerRow("中国农业大学", 130_000_000.0, 0, 3, (1,)),
        PartnerRow("中国农业大学通辽科技小院", 0.0, 0, 1, (1,)), PartnerRow("科尔沁肉牛产业研究中心", 0.0, 0, 1, (1,)))
    # 科技厅 / 人民政府 announce and fund: they are not partners; 科学技术部 and 中国科学院 are
    partners = [row.org for row in sample_weeks["2020-W50"].by_partner]
    assert partners == ["科学技术部", "中国科学院"]


def test_sample_fact_rows_carry_their_places_and_organisations(sample_weeks):
    row = next(f for f in sample_weeks["2020-W51"].facts if f.surface == "3200万元" and f.article_number == 2)
    assert row.places == ("巴彦淖尔市",)
    assert row.orgs == ("中国农业科学院", "河套农业科技创新中心")


def test_sample_article_without_figures_has_a_lead_sentence(sample_weeks):
    quiet = next(a for a in sample_weeks["2020-W51"].articles if a.id == "s08_hinggan_symposium_nofigures")
    assert quiet.figure_count == 0
    assert quiet.lead == "近日，兴安盟科技创新工作座谈会在乌兰浩特市召开。"
    first = sample_weeks["2020-W51"].articles[0]
    assert first.lead == "12月10日，通辽市人民政府与中国农业大学在北京签署科技合作框架协议。"
    assert 0 < first.figure_count <= first.fact_count


# ---------------------------------------------------------------- the new fields on small cases


def named(sentence, surface, value, category, unit="CNY", kind="money", places=(), orgs=(), article_id="x"):
    """A fact in ``sentence`` whose sentence names ``places`` and ``orgs``."""
    return replace(sentence_fact(sentence, surface, value, category, unit, kind), article_id=article_id,
                   places=tuple(places), orgs=tuple(orgs))


def one_week(facts_by_article, **duplicates):
    articles = [Article(id=id_, path=f"{id_}.txt", title=id_, text="x", published=dt.datetime(2020, 12, 21 + i),
                        duplicate_of=duplicates.get(id_)) for i, id_ in enumerate(facts_by_article)]
    return digest_week(articles, facts_by_article, "2020-W52")


def test_a_sentence_naming_two_league_cities_counts_in_both_rows():
    sentence = "乌兰察布市、巴彦淖尔市与中国农业科学院现场达成合作协议15项，协议金额6850万元。"
    facts = [named(sentence, "15项", 15, "signing", "项", "count", ["乌兰察布市", "巴彦淖尔市"], ["中国农业科学院"]),
             named(sentence, "6850万元", 68_500_000, "signing", places=["乌兰察布市", "巴彦淖尔市"], orgs=["中国农业科学院"])]
    digest = one_week({"x": facts})
    assert digest.by_place == (PlaceRow("乌兰察布市", 68_500_000.0, 15, 2, (1,)), PlaceRow("巴彦淖尔市", 68_500_000.0, 15, 2, (1,)))
    assert digest.by_partner == (PartnerRow("中国农业科学院", 68_500_000.0, 15, 2, (1,)),)


def test_counties_and_banners_count_under_their_league_city_and_the_region_is_no_row():
    facts = {
        "a": [named("达茂旗与包头市昆区共建平台，投入资金800万元。", "800万元", 8_000_000, "investment",
                    places=["达尔罕茂明安联合旗", "包头市", "昆都仑区"])],
        "b": [named("自治区安排资金3亿元。", "3亿元", 300_000_000, "funding", places=["内蒙古自治区"], article_id="b")],
        "c": [named("科右前旗签约项目6项。", "6项", 6, "signing", "项", "count", ["科尔沁右翼前旗"], article_id="c")],
    }
    digest = one_week(facts)
    assert digest.by_place == (PlaceRow("包头市", 8_000_000.0, 0, 1, (1,)), PlaceRow("兴安盟", 0.0, 6, 1, (3,)))


def test_partner_places_outside_the_region_are_rows_too():
    fact = named("与北京市海淀区签约项目4项。", "4项", 4, "signing", "项", "count", ["海淀区"])
    assert [row.place for row in one_week({"x": [fact]}).by_place] == ["北京市"]


def test_a_repost_adds_nothing_to_places_partners_types_or_counts():
    sentence = "通辽市与中国农业大学签署合作协议3项，共建研发平台2个，实施项目5项。"
    def facts(article_id):
        return [named(sentence, "3项", 3, "signing", "项", "count", ["通辽市"], ["中国农业大学"], article_id),
                named(sentence, "2个", 2, "platform", "个", "count", ["通辽市"], ["中国农业大学"], article_id),
                named(sentence, "5项", 5, "project", "项", "count", ["通辽市"], ["中国农业大学"], article_id)]
    digest = one_week({"original": facts("original"), "repost": facts("repost")}, repost="original")
    assert (digest.signing_count, digest.platform_count, digest.project_count) == (3, 2, 5)
    assert digest.signings_by_type == {"合作协议": 3}
    assert digest.by_place == (PlaceRow("通辽市", 0.0, 3, 3, (1,)),)
    assert digest.by_partner == (PartnerRow("中国农业大学", 0.0, 3, 3, (1,)),)


@pytest.mark.parametrize("facts, projects, platforms", [
    ([named("联合实施攻关项目3个。", "3个", 3, "project", "个", "count")], 3, 0),
    ([named("新建研发平台2家。", "2家", 2, "platform", "家", "count"),
      named("共建创新平台8项。", "8项", 8, "platform", "项", "count")], 0, 10),
    ([named("共立项项目17项，其中重点项目11项。", "17项", 17, "project", "项", "count"),
      named("共立项项目17项，其中重点项目11项。", "11项", 11, "project", "项", "count")], 17, 0),
    ([named("目前，全市拥有创新平台40余个。", "40余个", 40, "platform", "个", "count"),
      named("截至目前，共建研发平台18个。", "18个", 18, "platform", "个", "count")], 0, 0),
    ([named("引进人才团队5人。", "5人", 5, "project", "人", "count")], 0, 0),
], ids=["projects-in-ge", "platforms-in-jia-and-xiang", "qizhong-part", "stock-not-new", "other-measure-word"])
def test_project_and_platform_counts_follow_the_signing_rules(facts, projects, platforms):
    digest = one_week({"x": facts})
    assert (digest.project_count, digest.platform_count) == (projects, platforms)


def test_previous_project_and_platform_counts():
    first = Article(id="w51", path="a.txt", title="a", text="x", published=dt.datetime(2020, 12, 15))
    second = Article(id="w52", path="b.txt", title="b", text="x", published=dt.datetime(2020, 12, 22))
    facts = {"w51": [named("实施项目4项。", "4项", 4, "project", "项", "count", article_id="w51")],
             "w52": [named("共建平台3个。", "3个", 3, "platform", "个", "count", article_id="w52")]}
    digest = digest_week([first, second], facts, "2020-W52")
    assert (digest.previous_project_count, digest.previous_platform_count) == (4, 0)
    assert (digest.project_count, digest.platform_count) == (0, 3)


@pytest.mark.parametrize("sentence, surface, kind", [
    ("现场签署合作协议5项。", "5项", "合作协议"),
    ("双方签订框架协议2份。", "2份", "合作协议"),
    ("签订技术合同12项。", "12项", "技术合同"),
    ("共签约科技成果转化项目17项，其中合同金额在100万元以上的项目有11项。", "17项", "签约项目"),
    ("签约5项合作协议。", "5项", "合作协议"),
    ("商定共建创新平台3项。", "3项", "共建平台"),
    ("完成线上签约23项。", "23项", "其他"),
    ("簽署合作協議8項。", "8項", "合作协议"),
], ids=["agreement", "framework-fen", "contract", "project-not-the-later-contract", "noun-after", "platform",
        "nothing-named", "traditional"])
def test_signing_type_is_the_nearest_keyword_in_the_clause(sentence, surface, kind):
    fact = named(sentence, surface, 1, "signing", surface[-1], "count")  # the value does not matter here
    assert counting_rules().signing_type(fact) == kind


def test_signings_by_type_are_largest_first_with_other_last():
    facts = [named("签约23项。", "23项", 23, "signing", "项", "count", article_id="a"),
             named("签署合作协议5项。", "5项", 5, "signing", "项", "count", article_id="b"),
             named("签约项目9项。", "9项", 9, "signing", "项", "count", article_id="c")]
    digest = one_week({"a": facts[:1], "b": facts[1:2], "c": facts[2:]})
    assert list(digest.signings_by_type.items()) == [("签约项目", 9), ("合作协议", 5), ("其他", 23)]


def test_trend_leaves_out_weeks_without_articles_and_keeps_the_last_eight():
    weeks = [n for n in range(17) if n not in (11, 12)]  # 2020-W37 … W53 without W48, W49
    mondays = [dt.date(2020, 9, 7) + dt.timedelta(weeks=n) for n in weeks]
    articles = [Article(id=f"a{d:%m%d}", path="a.txt", title="a", text="x", published=dt.datetime.combine(d, dt.time(9)))
                for d in mondays]
    facts = {a.id: [named("安排资金100万元。", "100万元", 1_000_000, "funding", article_id=a.id)] for a in articles}
    digest = digest_week(articles, facts, "2020-W50")  # 12月7日: the weeks after it are not in its trend
    assert [p.start for p in digest.trend] == [dt.date(2020, 9, 7) + dt.timedelta(weeks=n) for n in (4, 5, 6, 7, 8, 9, 10, 13)]
    assert all(p.funding_yuan == 1_000_000 and p.signing_count == 0 and p.article_count == 1 for p in digest.trend)


@pytest.mark.parametrize("text, lead", [
    ("标题\n\n近日，兴安盟召开座谈会。会议指出……", "近日，兴安盟召开座谈会。"),
    ("标题\n\n没有句号的一段话\n第二段。", "没有句号的一段话"),
    ("标题\n\n" + "长" * 100 + "。", "长" * 79 + "…"),
    ("标题\n\n", ""),
], ids=["first-sentence", "line-end", "cut", "empty-body"])
def test_lead_sentence(text, lead):
    assert lead_sentence(Article(id="x", path="x.txt", title="标题", text=text)) == lead


def test_figure_count_leaves_out_dates():
    facts = [named("12月21日签约项目3项。", "3项", 3, "signing", "项", "count"),
             Fact("x", "date", "12月21日", "2020-12-21", "", "", "", "12月21日签约项目3项。", 0, 6)]
    summary = one_week({"x": facts}).articles[0]
    assert (summary.fact_count, summary.figure_count) == (2, 1)
