"""The grammar of figures, one readable sentence per case; then the sample corpus as a quality gate."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from briefing.evaluate import read_gold, score_corpus
from briefing.extract import extract_facts, load_lexicon, parse_amount
from briefing.extract.figures import Amount
from briefing.extract.normalize import FOLD, fold
from briefing.extract.numbers import exact_value
from briefing.models import Article, TableCell

ROOT = Path(__file__).resolve().parent.parent
PUBLISHED = dt.datetime(2020, 12, 8, 9, 30)


def article(text: str, published: dt.datetime | None = PUBLISHED, cells: tuple = ()) -> Article:
    return Article(id="case", path="", title="", text=text, published=published, cells=cells)


def figures(text: str, published: dt.datetime | None = PUBLISHED) -> list[tuple]:
    """(kind, surface, value, unit, qualifier) of every fact, checking the offsets on the way."""
    source = article(text, published)
    facts = extract_facts(source)
    for fact in facts:
        assert fact.surface == text[fact.start : fact.end]
    return [(f.kind, f.surface, f.value, f.unit, f.qualifier) for f in facts]


MONEY = [
    ("市财政安排资金3600万元。", [("money", "3600万元", 36_000_000, "CNY", "")]),
    ("自治区财政安排支持经费1.6亿元。", [("money", "1.6亿元", 160_000_000, "CNY", "")]),
    ("本年度下达资金25086.67万元。", [("money", "25086.67万元", 250_866_700, "CNY", "")]),
    ("企业投入5,000元用于试验。", [("money", "5,000元", 5000, "CNY", "")]),
    ("全市研发经费投入预计超27亿元。", [("money", "超27亿元", 2_700_000_000, "CNY", "over")]),
    ("带动企业研发投入超过2.3亿元。", [("money", "超过2.3亿元", 230_000_000, "CNY", "over")]),
    ("全社会研发经费投入逾140亿元。", [("money", "逾140亿元", 14_000_000_000, "CNY", "over")]),
    ("签约总金额约1.35亿元。", [("money", "约1.35亿元", 135_000_000, "CNY", "about")]),
    ("合同金额在100万元以上的项目有11项。", [("money", "100万元以上", 1_000_000, "CNY", "over"), ("count", "11项", 11, "项", "")]),
    ("项目总投资100多万元。", [("money", "100多万元", 1_000_000, "CNY", "more_than")]),
    ("计划投资5~10亿元建设基地。", [("money", "5~10亿元", 1_000_000_000, "CNY", "")]),
    ("计划投资1到10亿元建设基地。", [("money", "1到10亿元", 1_000_000_000, "CNY", "")]),
    ("项目总投资108亿，当年完成。", [("money", "108亿", 10_800_000_000, "CNY", "")]),
    ("市里争取三千万的引导资金。", [("money", "三千万", 30_000_000, "CNY", "")]),
    ("人才补贴标准为24万元/人。", [("money", "24万元", 240_000, "CNY", "")]),
    ("签约金额近5000万美元。", [("money", "近5000万美元", 50_000_000, "USD", "nearly")]),
    ("澳門特區政府資助３千萬澳門元。", [("money", "３千萬澳門元", 30_000_000, "MOP", "")]),
    ("台湾合作方投入1.2亿新台币。", [("money", "1.2亿新台币", 120_000_000, "TWD", "")]),
    ("单个企业每年最高奖励300万元。", [("money", "300万元", 3_000_000, "CNY", "")]),
    ("技术合同成交额突破100亿元。", [("money", "100亿元", 10_000_000_000, "CNY", "")]),
    ("对研发投入在50万元以下的企业不予支持。", [("money", "50万元", 500_000, "CNY", "")]),
    ("单项补助不超过50万元。", [("money", "50万元", 500_000, "CNY", "")]),
    ("总投资三点五亿元。", [("money", "三点五亿元", 350_000_000, "CNY", "")]),
    ("项目总投资1亿多元。", [("money", "1亿多元", 100_000_000, "CNY", "more_than")]),
    ("项目总投资近10个亿。", [("money", "近10个亿", 1_000_000_000, "CNY", "nearly")]),
    ("建设3个万亩示范基地。", [("count", "3个", 3, "个", "")]),
    ("自治区级平台给予50万元至100万元支持。", [("money", "50万元至100万元", 1_000_000, "CNY", "")]),
    ("每年安排专项资金1000万至2000万元。", [("money", "1000万至2000万元", 20_000_000, "CNY", "")]),
    ("单项支持2亿元至3亿元不等。", [("money", "2亿元至3亿元", 300_000_000, "CNY", "")]),
    ("分别获得50万元、100万元支持。", [("money", "50万元", 500_000, "CNY", ""), ("money", "100万元", 1_000_000, "CNY", "")]),
    ("项目年产值近亿元。", [("money", "近亿元", 100_000_000, "CNY", "nearly")]),
    ("达产后年产值可达上亿元。", [("money", "上亿元", 100_000_000, "CNY", "over")]),
    ("完成逾千万美元融资。", [("money", "逾千万美元", 10_000_000, "USD", "over")]),
    ("获得千余万元支持。", [("money", "千余万元", 10_000_000, "CNY", "more_than")]),
    ("实现产值5个多亿。", [("money", "5个多亿", 500_000_000, "CNY", "more_than")]),
    ("公司“completed a USD 50 million round”。", [("money", "USD 50 million", 50_000_000, "USD", "")]),
    ("估值达US$1.2bn。", [("money", "US$1.2bn", 1_200_000_000, "USD", "")]),
    ("a grant of 5 billion yuan.", [("money", "5 billion yuan", 5_000_000_000, "CNY", "")]),
    ("欧方投入€3m。", [("money", "€3m", 3_000_000, "EUR", "")]),
    ("台方投入新台幣３億元。", [("money", "３億元", 300_000_000, "TWD", "")]),
    ("全市科技型企业贷款余额约为6.8亿元。", [("money", "约为6.8亿元", 680_000_000, "CNY", "about")]),
    ("设备购置费占总投资的比例不宜超过60%。", [("percent", "60%", 60, "%", "")]),
    ("共同投入研發經費約１.２億元新台幣。", [("money", "約１.２億元新台幣", 120_000_000, "TWD", "about")]),
]

COUNTS = [
    ("现场签署合作协议5项。", [("count", "5项", 5, "项", "")]),
    ("目前已形成拟签约项目330余项。", [("count", "330余项", 330, "项", "more_than")]),
    ("与40多家企业面对面交流。", [("count", "40多家", 40, "家", "more_than")]),
    ("科学院将选派科研骨干近30人。", [("count", "近30人", 30, "人", "nearly")]),
    ("接近200名代表参加活动。", [("count", "接近200名", 200, "名", "nearly")]),
    ("玉米播种面积稳定在1700万亩左右。", [("count", "1700万亩左右", 17_000_000, "亩", "about")]),
    ("冷凉蔬菜种植面积已超过100万亩。", [("count", "超过100万亩", 1_000_000, "亩", "over")]),
    ("肉牛存栏达到290万头。", [("count", "290万头", 2_900_000, "头", "")]),
    ("中心一期建设场地1.5万平方米。", [("count", "1.5万平方米", 15_000, "平方米", "")]),
    ("新建管线400公里。", [("count", "400公里", 400, "公里", "")]),
    ("当年收获372.42公斤。", [("count", "372.42公斤", 372.42, "公斤", "")]),
    ("每户住房36平米。", [("count", "36平米", 36, "平米", "")]),
    ("年产能10万吨。", [("count", "10万吨", 100_000, "吨", "")]),
    ("引进高层次人才团队十一个。", [("count", "十一个", 11, "个", "")]),
    ("其中由院士领衔的团队两个。", [("count", "两个", 2, "个", "")]),
    ("《措施》共分六个方面、三十条。", [("count", "六个", 6, "个", ""), ("count", "三十条", 30, "条", "")]),
    ("与中国农业大学等四家单位签署协议。", [("count", "四家", 4, "家", "")]),
    ("全市新增一百多家企业。", [("count", "一百多家", 100, "家", "more_than")]),
    ("每个企业可申报1至2个项目。", [("count", "1至2个", 2, "个", "")]),
    ("累计服务企业1.2万家。", [("count", "1.2万家", 12_000, "家", "")]),
    ("共有企业30余家、合作社20家左右。", [("count", "30余家", 30, "家", "more_than"), ("count", "20家左右", 20, "家", "about")]),
    ("新增国家级平台超3个。", [("count", "超3个", 3, "个", "over")]),
    ("目前342家企业入库。", [("count", "342家", 342, "家", "")]),
    ("开展技术培训200场次。", [("count", "200场次", 200, "场次", "")]),
    ("新增装机100万千瓦。", [("count", "100万千瓦", 1_000_000, "千瓦", "")]),
    ("科技活动周已连续举办6届。", [("count", "6届", 6, "届", "")]),
    ("每年联合实施项目5项至10项。", [("count", "5项至10项", 10, "项", "")]),
    ("园区内企业数目达到１，１００家。", [("count", "１，１００家", 1100, "家", "")]),
    ("涵盖技术需求百余项。", [("count", "百余项", 100, "项", "more_than")]),
    ("带动就业千余人。", [("count", "千余人", 1000, "人", "more_than")]),
    ("吸引上百家企业参展。", [("count", "上百家", 100, "家", "over")]),
    ("参与群众万余人次。", [("count", "万余人次", 10_000, "人次", "more_than")]),
    ("线上百余家企业参加对接。", [("count", "百余家", 100, "家", "more_than")]),
    ("会上千余名代表参加。", [("count", "千余名", 1000, "名", "more_than")]),
    ("園區企業逾千家。", [("count", "逾千家", 1000, "家", "over")]),
    ("科学技术突出贡献奖二人。", [("count", "二人", 2, "人", "")]),
    ("建成光伏电站20MW。", [("count", "20MW", 20, "MW", "")]),
    ("亩产稻谷1360斤，每亩增产150斤上下。", [("count", "1360斤", 1360, "斤", ""), ("count", "150斤上下", 150, "斤", "about")]),
    ("年均降水量不足300毫米。", [("count", "300毫米", 300, "毫米", "")]),
    ("采集样品200餘組。", [("count", "200餘組", 200, "组", "more_than")]),
    ("推广良种冻精8万剂以上，繁育种薯5000万粒，发放科普读物3000余册。",
     [("count", "8万剂以上", 80_000, "剂", "over"), ("count", "5000万粒", 50_000_000, "粒", ""),
      ("count", "3000余册", 3000, "册", "more_than")]),
    ("全县科技型企业总数突破百家。", [("count", "百家", 100, "家", "")]),
    ("全年发布榜单3批。", [("count", "3批", 3, "批", "")]),
    ("该项目获USD 50 million投资。", [("money", "USD 50 million", 50_000_000, "USD", "")]),
    ("预计参与人数超过15万人次。", [("count", "超过15万人次", 150_000, "人次", "over")]),
]

PERCENTS = [
    ("同比增长15.8%。", [("percent", "15.8%", 15.8, "%", "")]),
    ("百分之六十的企业参与了对接。", [("percent", "百分之六十", 60, "%", "")]),
    ("增速提高9.9个百分点。", [("percent", "9.9个百分点", 9.9, "%", "")]),
    ("开工率达到80%以上。", [("percent", "80%以上", 80, "%", "over")]),
    ("转化率提升约5%。", [("percent", "约5%", 5, "%", "about")]),
    ("占比10%~20%。", [("percent", "10%~20%", 20, "%", "")]),
]

DATES = [
    ("2019年12月9日，部区会商会议召开。", [("date", "2019年12月9日", "2019-12-09", "", "")]),
    ("12月11日，推进会在呼和浩特召开。", [("date", "12月11日", "2020-12-11", "", "")]),
    ("会议定于3月15号召开。", [("date", "3月15号", "2020-03-15", "", "")]),
    ("今年11月，中心获批建设。", [("date", "11月", "2020-11", "", "")]),
    ("截至11月底，全区新增企业。", [("date", "11月", "2020-11", "", "")]),
    ("方案自2023年2月起施行。", [("date", "2023年2月", "2023-02", "", "")]),
    ("力争在2021年6月底前完成主体建设。", [("date", "2021年6月", "2021-06", "", "")]),
    ("有效期至2023年12月31日。", [("date", "2023年12月31日", "2023-12-31", "", "")]),
    ("会议于2020/12/17召开。", [("date", "2020/12/17", "2020-12-17", "", "")]),
    ("通知于2020-12-22印发。", [("date", "2020-12-22", "2020-12-22", "", "")]),
    ("协议签署于21.11.2017。", [("date", "21.11.2017", "2017-11-21", "", "")]),
    ("活动于5月25~31日举行。", [("date", "5月25~31日", "2020-05-25", "", "")]),
    ("展会于12月9日至12日举行。", [("date", "12月9日至12日", "2020-12-09", "", "")]),
    ("二〇二〇年十二月九日印发。", [("date", "二〇二〇年十二月九日", "2020-12-09", "", "")]),
    ("各旗县市要在五月底前完成选派工作。", [("date", "五月", "2020-05", "", "")]),
    ("十二月份，中心正式运行。", [("date", "十二月", "2020-12", "", "")]),
]

SCRIPTS_AND_NOISE = [
    ("全年投入專項資金４.７億元。", [("money", "４.７億元", 470_000_000, "CNY", "")]),
    ("已促成擬簽約項目３３０餘項。", [("count", "３３０餘項", 330, "项", "more_than")]),
    ("涵蓋８個方面、３０條具體舉措。", [("count", "８個", 8, "个", ""), ("count", "３０條", 30, "条", "")]),
    ("技術合同成交額同比增長２１．７％。", [("percent", "２１．７％", 21.7, "%", "")]),
    ("２０１９年１２月９日，戰略正式啟動。", [("date", "２０１９年１２月９日", "2019-12-09", "", "")]),
    ("存栏１.２万头。", [("count", "１.２万头", 12_000, "头", "")]),
    ("科↑技厅下达资金12.3∑亿元。", [("money", "12.3∑亿元", 1_230_000_000, "CNY", "")]),
    ("开展各类活动2▓60余场。", [("count", "2▓60余场", 260, "场", "more_than")]),
    ("获得奖励4.7萬(wàn)元。", [("money", "4.7萬(wàn)元", 47_000, "CNY", "")]),
    ("引导企业投入超↑过2.3亿元。", [("money", "超↑过2.3亿元", 230_000_000, "CNY", "over")]),
    ("企业投入达到 300 万元。", [("money", "300 万元", 3_000_000, "CNY", "")]),
    ("企业投入4.7\u200b亿元。", [("money", "4.7\u200b亿元", 470_000_000, "CNY", "")]),
    ("建設經費１２００萬元。", [("money", "１２００萬元", 12_000_000, "CNY", "")]),
]

NOT_FACTS = [
    "“十四五”期间，落实4+8+N合作机制，共建一带一路。",
    "聚焦五大领域，培育8大产业集群，形成两大基地。",
    "为建设“两个稀土基地”提供支撑。",
    "推进“一湖两海”治理，深化与「４＋８＋Ｎ」合作主体协作。",
    "采取“一事一议”方式给予支持。",
    "第一，第3届论坛，第二批资金，一期工程，二期工程，位列第1位。",
    "2020年，全市2020年度计划，力争到2022年底完成。",
    "近3年来，专家用一周时间、三年时间，前三季度，过去一年，35天，24小时。",
    "上午9:30开会，电话0471-6900000，蒙ICP备12003456号-2。",
    "一次性给予奖励，撬动比例超过1:2.6，研制兆瓦级飞轮。",
    "三分之一的企业，七成以上，增长36.8倍，成立70周年，實施一週年。",
    "覆盖9市、6省市，21日召开，1至9月，1-11月，1月至3月。",
    "引进一批项目，生产零部件，入选三类500强。",
    "最近3个月，3个多月，开展二次开发。",
    "数十家企业，几百名专家。",
    "印发《2021年度科技计划》。",
    "增强四个意识，做到两个维护，统筹五位一体。",
    "前10名企业，上午十点开会。",
    '建设"两个稀土基地"。',
    "2023届毕业生，十四届全国人大，第五届大会，本届论坛。",
    "一至三月，一月至三月，三个月，半个月。",
    "千万不要忘记，万一出现问题，成百上千家企业，数亿元融资，几千人。",
    "参观群众近万。",
    "valued at 5G speeds, 50m away, section 3.",
    "前4月我区技术合同成交额增长，前三月同比提高。",
    "自治区政协十三届二次会议，十四届一次会议，十四届全国人大三次会议。",
    "突泉县六户镇，经批准，东北二人转，街上万人空巷，用户规模近亿，粉丝超千万。",
]


def _cases(*tables):
    return [pytest.param(text, expected, id=text[:14]) for table in tables for text, expected in table]


@pytest.mark.parametrize("text, expected", _cases(MONEY, COUNTS, PERCENTS, DATES, SCRIPTS_AND_NOISE))
def test_figure(text, expected):
    assert figures(text) == expected


@pytest.mark.parametrize("text", [pytest.param(t, id=t[:14]) for t in NOT_FACTS])
def test_not_a_fact(text):
    assert figures(text) == []


CATEGORIES = [
    ("落实市级财政科技资金3600万元。", "3600万元", "funding"),
    ("自治区财政安排支持经费1.6亿元。", "1.6亿元", "funding"),
    ("计划投入建设资金3200万元。", "3200万元", "investment"),
    ("该中心总投资3.2亿元。", "3.2亿元", "investment"),
    ("协议金额合计6850万元。", "6850万元", "signing"),
    ("其中合同金额在100万元以上的项目有11项。", "11项", "signing"),
    ("企业与高校共签约科技成果转化项目17项。", "17项", "signing"),
    ("今年实施校地合作项目64项。", "64项", "project"),
    ("遴选出12个科技重大专项。", "12个", "project"),
    ("共建各类研发平台18个。", "18个", "platform"),
    ("首批入驻科研人员85名。", "85名", "people"),
    ("创新团队50个。", "50个", "people"),
    ("高新技术企业达到175家。", "175家", "enterprise"),
    ("全市举办对接活动20场。", "20场", "event"),
    ("自治区出台若干政策措施，涉及8个方面30条。", "30条", "policy"),
    ("对新获批的自治区级创新平台，给予100万元支持。", "100万元", "policy"),
    ("对上年度研发费用在500万元以上的企业，按增量的10%给予奖励。", "500万元以上", "policy"),
    ("围绕储能等10个方面，遴选重大专项。", "10个", "other"),
    ("共收集技术需求1672项。", "1672项", "other"),
    ("与31家高校院所建立合作关系。", "31家", "other"),
    ("全市登记技术合同成交额4.36亿元。", "4.36亿元", "other"),
    ("预计每年新增产值超过5亿元。", "超过5亿元", "other"),
    ("玉米播种面积1700万亩左右。", "1700万亩左右", "other"),
    ("签下科技合作協議８項。", "８項", "signing"),
    ("与会专家研讨后，15家单位作了交流发言。", "15家", "other"),
    ("各盟市财政科技投入合计28亿元。", "28亿元", "funding"),
    ("企业每年投入研发经费不少于800万元。", "800万元", "investment"),
    ("全区规模以上工业企业研发费用达到186.5亿元。", "186.5亿元", "investment"),
    ("一季度研发费用46.8亿元；二季度63.2亿元，增长19.7%。", "63.2亿元", "investment"),
    ("对企业年度研发投入超过500万元的，按增量部分的10%给予补助。", "超过500万元", "policy"),
    ("企业年度研发投入超过500万元，同比增长10%。", "超过500万元", "investment"),
    ("推广中心开展培训，发放技术资料2.3万份。", "2.3万份", "other"),
    ("学校新增博士后科研流动站3个。", "3个", "platform"),
    ("项目建成后预计提供研发岗位2000个。", "2000个", "other"),
    ("科技特派员解决技术难题1000多个。", "1000多个", "other"),
    ("项目分布在伊金霍洛旗、准格尔旗等7个旗区。", "7个", "other"),
    ("连续举办6届。", "6届", "event"),
    ("科技特派员深入5个苏木镇、18个嘎查村开展服务。", "18个", "other"),
    ("计划全年开展技术服务1000场次以上。", "1000场次以上", "event"),
    ("重点支持8个方向的攻关项目。", "8个", "other"),
    ("累计转化成果30余项。", "30余项", "other"),
    ("基金近三年累计资助金额逾1.5亿元。", "逾1.5亿元", "funding"),
    ("公司以自有资金15000万元设立全资子公司。", "15000万元", "investment"),
    ("公司货币资金余额为3.12亿元。", "3.12亿元", "other"),
    ("单个项目投资额度1000万元至3000万元。", "1000万元至3000万元", "policy"),
    ("设立规模2亿元的科技成果转化引导基金。", "2亿元", "funding"),
    ("与中国农业大学等四家单位签署合作协议。", "四家", "signing"),
    ("首批吸纳成员单位26家。", "26家", "other"),
    ("将为全旗1.2万户牧民提供技术服务。", "1.2万户", "other"),
    ("科技进步奖一等奖3项、二等奖10项。", "3项", "other"),
    ("实际使用台资金额1.08亿美元。", "1.08亿美元", "investment"),
    ("其中已开工项目52个，到位资金超过120亿元。", "超过120亿元", "investment"),
    ("捐赠科普展品价值约150万元。", "约150万元", "other"),
    ("拟立项项目中，企业牵头项目54项。按领域分，新能源领域21项。", "21项", "project"),
    ("本次签约项目中，投资10亿元以上的项目6个。", "6个", "signing"),
    ("现场签署合作协议5项，联合实施攻关项目3个。", "3个", "project"),
    ("市财政安排科技奖励资金一千二百三十万元。", "一千二百三十万元", "funding"),
    ("企业首期投入研发资金3000万元。", "3000万元", "investment"),
    ("6家银行与18家企业签订协议，授信金额合计9.3亿元。", "9.3亿元", "signing"),
    ("全区技术经纪人促成技术交易1270项。", "1270项", "signing"),
    ("享受加计扣除后少缴企业所得税215万元。", "215万元", "other"),
    ("全市与辽宁省高校院所新签合作项目43项。", "43项", "signing"),
    ("合作社从最初的7户发展到如今的386户。", "386户", "other"),
    ("全年新增贷款127.4亿元，贷款余额达到186.3亿元。", "127.4亿元", "investment"),
    ("全年新增贷款127.4亿元，贷款余额达到186.3亿元。", "186.3亿元", "other"),
    ("团队以5件发明专利作价1200万元入股。", "1200万元", "investment"),
    ("形成核心技术10至15项，制定团体标准3~5项。", "3~5项", "other"),
    ("力争新建国家级野外科学观测研究站1个。", "1个", "platform"),
]


@pytest.mark.parametrize("text, surface, category", [pytest.param(*c, id=c[1]) for c in CATEGORIES])
def test_category(text, surface, category):
    facts = {f.surface: f for f in extract_facts(article(text))}
    assert facts[surface].category == category


def test_percent_and_date_have_no_category():
    facts = extract_facts(article("12月11日，同比增长12.5%。"))
    assert [f.category for f in facts] == ["", ""]


@pytest.mark.parametrize(
    "text, published, value",
    [
        pytest.param("12月11日召开。", PUBLISHED, "2020-12-11", id="publish-year"),
        pytest.param("2019年12月9日起，12月11日召开。", PUBLISHED, "2020-12-11", id="publish-year-wins"),
        pytest.param("2019年12月9日起，12月11日召开。", None, "2019-12-11", id="text-year-before"),
        pytest.param("12月11日召开，2019年12月9日起。", None, "2019-12-11", id="text-year-after"),
        pytest.param("5月23日召开。", None, "XXXX-05-23", id="no-year-knowable"),
    ],
)
def test_year_resolution(text, published, value):
    undated = [f for f in extract_facts(article(text, published)) if "年" not in f.surface]
    assert undated[0].value == value


def test_sentence_is_the_one_holding_the_figure():
    text = "标题\n\n会议召开。现场签署合作协议5项；明确共建平台2个！"
    facts = extract_facts(article(text))
    assert [f.sentence for f in facts] == ["现场签署合作协议5项；", "明确共建平台2个！"]


def test_source_line_is_chrome():
    assert figures("新增企业3家。\n\n（来源：北疆农牧科技网12版）") == [("count", "3家", 3, "家", "")]


def test_a_quotation_in_a_source_line_goes_with_the_line():
    text = "新增企业3家。\n\n（来源：“关于签署科技合作协议5项的通知全文”）"
    assert figures(text) == [("count", "3家", 3, "家", "")]


@pytest.mark.parametrize(
    "footer",
    [
        "联系电话：0475-8888888　　邮编：028000",
        "主办单位：通辽市科学技术局　　地址：通辽市科尔沁区民主路88号",
        "蒙ICP备05001234号-1　　蒙公网安备 15050202000123号",
        "版权所有 © 2023 通辽市科学技术局",
    ],
)
def test_footer_lines_in_text_are_chrome(footer):
    assert figures(f"新增企业3家。\n\n{footer}\n") == [("count", "3家", 3, "家", "")]


POST = "据了解，全市科技型企业发展势头良好，创新主体不断壮大，新增企业3家。" + "各方将加强合作，推动成果转化。" * 3


def test_a_list_of_other_posts_under_its_heading_is_chrome():
    text = (
        f"{POST}\n\n往期推荐\n\n▶ 呼和浩特新增科技型中小企业236家\n\n▶ 12.18 | 首府科技创新大会回顾\n\n"
        "点击“阅读原文”了解更多\n"
    )
    assert figures(text) == [("count", "3家", 3, "家", "")]


def test_a_related_links_box_in_the_middle_of_an_article_keeps_its_text():
    text = ("新增高新技术企业120家。\n相关链接\n什么是高新技术企业？\n高新技术企业是指持续研发的企业。\n"
            "截至目前，全市高企总数达到1500家。\n下一步，该市将投入资金3亿元。\n本次大赛总奖金100万元，详情请点击阅读原文。")
    assert [f[1] for f in figures(text)] == ["120家", "1500家", "3亿元", "100万元"]


def test_a_long_line_after_a_list_of_headlines_is_text_again():
    body = "据了解，" + "全市科技型企业发展势头良好，" * 4 + "今年新增企业12家。"
    text = f"{POST}\n\n相关阅读\n\n▶ 新增企业236家\n\n{body}\n"
    assert [f[1] for f in figures(text)] == ["3家", "12家"]


def test_a_body_line_starting_with_a_label_word_is_kept():
    assert figures("主办方表示，共有企业3家参展。") == [("count", "3家", 3, "家", "")]


def test_table_cells_take_unit_and_category_from_header():
    rows = "盟市\t项目数（项）\t支持资金（万元）\n呼和浩特市\t22\t6320.00\n合计\t92\t25086.67"
    text = "表  资金分配情况\n\n" + rows
    cells = []
    for label, count, money in (("呼和浩特市", "22", "6320.00"), ("合计", "92", "25086.67")):
        for header, cell in (("项目数（项）", count), ("支持资金（万元）", money)):
            start = text.index(f"{label}\t") + len(label) + 1 if header.startswith("项目") else text.index(f"\t{money}") + 1
            cells.append(TableCell(start, start + len(cell), header, label))
    facts = extract_facts(article(text, cells=tuple(cells)))
    assert [(f.kind, f.surface, f.value, f.unit, f.category, f.row_label) for f in facts] == [
        ("count", "22", 22, "项", "project", "呼和浩特市"),
        ("money", "6320.00", 63_200_000, "CNY", "funding", "呼和浩特市"),
        ("count", "92", 92, "项", "project", "合计"),
        ("money", "25086.67", 250_866_700, "CNY", "funding", "合计"),
    ]


def test_table_unit_from_caption():
    text = "表1 各盟市项目（单位：万元）\n\n盟市\t资金\n包头市\t5436.50"
    start = text.index("5436.50")
    cell = TableCell(start, start + 7, "资金", "包头市")
    facts = extract_facts(article(text, cells=(cell,)))
    assert [(f.kind, f.surface, f.value, f.category) for f in facts] == [("money", "5436.50", 54_365_000, "funding")]


def test_table_category_from_caption_when_header_has_no_keyword():
    text = "表2 各盟市企业研发投入（单位：亿元）\n\n盟市\t2020年\n包头市\t12.5"
    start = text.index("12.5")
    cell = TableCell(start, start + 4, "2020年", "包头市")
    facts = extract_facts(article(text, cells=(cell,)))
    assert [(f.kind, f.value, f.category) for f in facts] == [("money", 1_250_000_000, "investment")]


@pytest.mark.parametrize(
    "text, amount",
    [
        ("超27亿元", Amount("money", 2_700_000_000, "CNY", "over")),
        ("１.２万头", Amount("count", 12_000, "头", "")),
        ("三千万", Amount("money", 30_000_000, "CNY", "")),
        ("4.7億元", Amount("money", 470_000_000, "CNY", "")),
        ("近60人", Amount("count", 60, "人", "nearly")),
        ("100万元以上", Amount("money", 1_000_000, "CNY", "over")),
        ("12月11日", Amount("date", "XXXX-12-11", "", "")),
        ("２１．７％", Amount("percent", 21.7, "%", "")),
        ("USD 1.2 billion", Amount("money", 1_200_000_000, "USD", "")),
        ("逾千万美元", Amount("money", 10_000_000, "USD", "over")),
        ("第3届", None),
        ("2020年", None),
        ("一批", None),
    ],
)
def test_parse_amount(text, amount):
    assert parse_amount(text) == amount


@pytest.mark.parametrize(
    "number, scale, value",
    [
        ("3600万", "", 36_000_000),
        ("4.7", "亿", 470_000_000),
        ("0.12345万", "", 1234.5),
        ("1,234.5", "", 1234.5),
        ("三千万", "", 30_000_000),
        ("12345678901234567890123456789", "万", 123456789012345678901234567890000),
    ],
)
def test_exact_value(number, scale, value):
    """Whole values are ints (exact at any length), others the nearest float."""
    assert exact_value(number, scale) == value and type(exact_value(number, scale)) is type(value)


@pytest.mark.parametrize("text", ["全市投入１２．５亿元，增长３０％。", "資金3.6億元（含）：", "no change"])
def test_fold_is_the_translation_table_one_for_one(text):
    assert fold(text) == text.translate(FOLD) and len(fold(text)) == len(text)


def test_extra_lexicon_adds_keywords(tmp_path):
    text = "全市建成创客驿站12个。"
    assert extract_facts(article(text))[0].category == "other"
    extra = tmp_path / "mine.toml"
    extra.write_text('[categories.platform]\nkeywords = ["创客驿站"]\n', encoding="utf-8")
    assert extract_facts(article(text), load_lexicon(extra))[0].category == "platform"
    assert extract_facts(article(text), extra)[0].category == "platform"


@pytest.mark.parametrize("noise", ["↑", "∑", "\u200b"])
def test_noise_anywhere_reads_the_same(noise):
    """Noise after every third character changes surfaces and offsets, never what is read."""
    from briefing.ingest import read_article

    clean = read_article(ROOT / "inputs/s04_hohhot_cooperation_meeting.txt")
    noisy_text = "".join(c + noise if i % 3 == 2 and c != "\n" else c for i, c in enumerate(clean.text))
    noisy = Article(id=clean.id, path="", title="", text=noisy_text, published=clean.published)
    read = lambda facts: [(f.kind, f.value, f.unit, f.qualifier, f.category) for f in facts]
    noisy_facts = extract_facts(noisy)
    assert read(noisy_facts) == read(extract_facts(clean))
    assert all(f.surface == noisy_text[f.start : f.end] for f in noisy_facts)


def test_devset_meets_the_quality_gate():
    """The second labelled set (tests/data/devset, other sites and styles; see its README).

    Measured: F1 1.000 (195 facts), qualifier 1.000, category 0.990.
    """
    from briefing.ingest import read_article

    devset = ROOT / "tests/data/devset"
    scores = score_corpus(read_gold(devset / "gold.jsonl"), devset, extract_facts, read_article)
    overall = scores["all"]
    assert overall.f1 >= 0.98, "\n".join(overall.misses)
    assert overall.qualifier_accuracy >= 0.98, "\n".join(overall.misses)
    assert overall.category_accuracy >= 0.95, "\n".join(overall.misses)


@pytest.mark.parametrize(
    "folder, measured",
    [
        pytest.param("devset3", "first F1 0.973, category 0.89; now 1.000 / 0.98 (188 facts)", id="devset3"),
        pytest.param("devset4", "written blind: first F1 0.987, category 0.79; now 1.000 / 0.92 (317 facts)", id="devset4"),
        pytest.param("devset5", "written blind: first F1 0.983, category 0.89; now 0.999 / 0.94 (360 facts)", id="devset5"),
        pytest.param("devset6", "written blind: first F1 0.988, category 0.88; now 1.000 / 0.93 (300 facts)", id="devset6"),
        pytest.param("devset7", "written blind: first F1 0.993, category 0.80; now 0.999 / 0.94 (343 facts)", id="devset7"),
        pytest.param("devset8", "written blind (everyday news): first F1 0.996, category 0.92; now 1.000 / 0.91", id="devset8"),
    ],
)
def test_later_devsets_meet_the_quality_gate(folder, measured):
    """Sets labelled after the grammar was tuned (tests/data/devset3: WeChat posts, reprints,
    notices, Macau, tab tables; devset4: wire stories, digests, GBK pages, .docx calls, Taiwan,
    mixed English), to test how it generalises. Categories are a judgement call on the labeller's
    side as much as ours, so their gate is lower."""
    from briefing.ingest import read_article

    devset = ROOT / "tests/data" / folder
    overall = score_corpus(read_gold(devset / "gold.jsonl"), devset, extract_facts, read_article)["all"]
    misses = measured + "\n" + "\n".join(overall.misses)
    assert overall.f1 >= 0.98, misses
    assert overall.qualifier_accuracy >= 0.98, misses
    assert overall.category_accuracy >= 0.85, misses


def test_samples_meet_the_quality_gate():
    """Overall F1, qualifier and category accuracy on the 12 labelled sample articles."""
    from briefing.ingest import read_article

    scores = score_corpus(read_gold(ROOT / "tests/data/gold.jsonl"), ROOT / "inputs", extract_facts, read_article)
    overall = scores["all"]
    assert overall.f1 >= 0.98, "\n".join(overall.misses)
    assert overall.qualifier_accuracy >= 0.98, "\n".join(overall.misses)
    assert overall.category_accuracy >= 0.95, "\n".join(overall.misses)
