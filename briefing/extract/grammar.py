"""The grammar of a figure, as one compiled regular expression over folded text.

A figure is a date (with at least a month), a percentage, or a number followed by a
currency or a measure word, with qualifier words on either side (``超过2.3亿元``,
``330余项``, ``1700万亩左右``). :data:`FIGURE` matches all of them in one pass; alternatives
are tried in the order date → percent → amount, so ``9.9个百分点`` is a percent and
``2020年12月`` a date. The patterns read text already folded by
:mod:`briefing.extract.normalize` (simplified, half-width), so ``４.７億元`` looks like
``4.7亿元`` here.

What is *not* a figure is mostly handled by what the grammar refuses: no measure word,
no fact (``9市``, ``8大``, ``2020年``, ``35天``); no ordinals (a number after ``第``); no
month spans (``1至9月``); no bare ``一``/``二`` before a measure word (``一批``, ``一次性``,
``二期`` are words, counts say ``两``).
"""

from __future__ import annotations

import re

QUALIFIER_WORDS = {
    "超过": "over", "超出": "over", "超": "over", "逾": "over", "以上": "over",
    "余": "more_than", "多": "more_than", "有余": "more_than",
    "将近": "nearly", "接近": "nearly", "近": "nearly",
    "大约": "about", "约为": "about", "约": "about", "左右": "about", "上下": "about", "上": "over",
}  # fmt: skip
"""Qualifier words and their codes (samples/README.md "Qualifier")."""

CURRENCIES = {
    "元人民币": "CNY", "人民币": "CNY", "元": "CNY", "美元": "USD", "欧元": "EUR", "日元": "JPY",
    "英镑": "GBP", "港元": "HKD", "港币": "HKD", "澳元": "AUD", "加元": "CAD", "韩元": "KRW", "卢布": "RUB",
    "澳门元": "MOP", "澳门币": "MOP", "新台币": "TWD", "台币": "TWD", "新加坡元": "SGD", "瑞士法郎": "CHF",
    "元新台币": "TWD", "元台币": "TWD", "元港币": "HKD", "元澳门币": "MOP", "元美金": "USD",
}  # fmt: skip
PREFIX_CURRENCIES = {"新台币": "TWD", "台币": "TWD", "港币": "HKD", "澳门币": "MOP", "美金": "USD"}
"""Currencies written before an amount in 元 (新台币3亿元: TWD). 人民币 needs no entry: 元 is CNY."""

# Measure words, each with what may not follow it (``个月`` is a duration, ``次性`` a word,
# ``两个维护``/``五位一体`` are slogans).
MEASURE_WORDS = {
    "平方公里": "", "平方千米": "", "平方米": "", "立方米": "", "千瓦时": "", "人次": "", "场次": "",
    "公顷": "", "平米": "", "公里": "", "千米": "", "公斤": "", "千克": "", "千瓦": "", "兆瓦": "级",
    "吉瓦": "", "千伏": "", "项": "", "家": "", "MW": "", "GW": "", "kW": "", "KW": "", "MWh": "", "GWh": "",
    "kWh": "", "斤": "", "毫米": "", "厘米": "", "组": "织|成|建|合|团|长|委|员|别|件", "剂": "", "粒": "子",
    "册": "", "枚": "", "颗": "粒", "盒": "", "瓶": "", "袋": "鼠", "箱": "", "标方": "", "轮": "胎|子|毂|椅|廓|船|流|换|回|番",
    "个": "月|小时|工作日|星期|礼拜|季度|年头|多月|半月|意识|自信|维护|确立|代表|一百年|全面|务必",
    "人": "转|世|间", "名": "列|次", "位": "数|列|居|于|一体", "场": "景|所|地|馆", "次": "性", "条": "件|例",
    "所": "有|以|在|属|得|谓", "座": "谈", "台": "阶", "套": "", "件": "", "亩": "", "吨": "", "头": "部",
    "只": "有|是|要|能", "户": "镇|籍|口|外|型", "批": "准|复|示|评|次|发|量|判|注|改|文", "处": "理|于|置|长", "篇": "章", "种": "植|子", "支": "持|出|付|撑|柱",
    "辆": "", "架": "", "艘": "", "株": "", "棵": "", "例": "", "款": "", "份": "额", "栋": "", "米": "",
    "克": "服", "匹": "", "届": "全|中|人|政|委|党|会|世|亚|奥|毕|学|本|硕|博|研|董|监|理|常|领|新|次|[一二三四五六七八九十]",
}  # fmt: skip

_QUALIFIER_BEFORE = (
    "超过(?<![不未宜得]超过)|超出|超(?<![赶不未宜得]超)|逾|将近|接近|近(?<![最附邻靠临亲贴就远]近)|大约"
    "|约为(?<![签合条预制节邀履违特公相集简婚]约为)|约(?<![签合条预制节邀履违特公相集简婚]约)"
    "|上(?=[百千万亿])(?<![线以加之马网向往早晚会台路身手界础际实则面省区旗县楼海天地山岗再百登踏走送报呈跟追赶迎街桌]上)"
)
"""Qualifiers before a number; 签约, 最近, 赶超 are words and 不超过 / 不宜超过 are caps, not qualifiers.
上 is one only before a bare scale (上亿元, 上百项: "a hundred million or more"), and not
as the end of a word (线上百余家 is "online, over a hundred", 成百上千 an idiom).

Each word comes before its look-behind, so ``re`` rejects a word by its first character
instead of first running the look-behind of every word."""
_QUALIFIER_AFTER = "以上|左右|上下"
_CN_START = "一二两三四五六七八九十壹贰叁肆伍陆柒捌玖拾"
_CN_ANY = "零〇一二两三四五六七八九十百千万亿壹贰叁肆伍陆柒捌玖拾佰仟"
_SCALE = r"(?:万亿|[十百千]?[万亿]|[千百](?![瓦克米伏]))"
NUMBER = rf"(?:\d+(?:,\d{{3}})*(?:\.\d+)?{_SCALE}?|[{_CN_START}][{_CN_ANY}]*(?:点[〇零一二三四五六七八九]+[万亿]?)?)"
"""One number token: Arabic with an optional Chinese scale (``3.2亿``), or a Chinese numeral (``三点五亿``)."""
_BARE_SCALE = r"(?:[百千]万?|万|亿)"
"""A scale written without a number (百余项, 近亿元, 逾千万美元, 突破百家): a number only with a
qualifier or 突破 before it or 余/多 after it, so 千万不要 and 万一 stay words."""
_RANGE = r"[至到~\-]"
_NOT_AFTER_PERCENT = rf"(?<![第数几若\d.{_CN_ANY}A-Za-z+/点])(?<!\d,)"
"""A number right after these is an ordinal (第3), an estimate (数十), part of another number or a code
(nor right after a thousands comma: a long run of 1,000,000… is read once, not from every comma).

Not ``,`` ``:`` ``-``: folded full-width punctuation (，：——) looks like them."""
_NOT_AFTER = rf"{_NOT_AFTER_PERCENT}(?<!(?<![目当此之以提])前)"
"""As :data:`_NOT_AFTER_PERCENT`, and not after 前 (前10名 is a rank); a share after 前 is still a
share (排名前1%)."""


def _guarded(words, branches: list[str]) -> str:
    """``branches`` (one per word) as an alternation behind a look-ahead at the words' first
    characters: one test where the ~80 branches would each be tried."""
    firsts = "".join(sorted({re.escape(word[0]) for word in words}))
    return f"(?=[{firsts}])(?:" + "|".join(branches) + ")"


def _alternation(words) -> str:
    """Regex alternation of ``words``, longest first so ``平方米`` wins over ``米``, guarded."""
    return _guarded(words, sorted(map(re.escape, words), key=len, reverse=True))


def _measure_words() -> str:
    parts = []
    for word in sorted(MEASURE_WORDS, key=len, reverse=True):
        refused = MEASURE_WORDS[word]
        parts.append(re.escape(word) + (f"(?!{refused})" if refused else ""))
    return _guarded(MEASURE_WORDS, parts)


_YEAR = r"(?:19|20)\d{2}"
_MONTH = r"(?:1[0-2]|0?[1-9])"
_DAY = r"(?:3[01]|[12]\d|0?[1-9])(?!\d)"
_CN_YEAR = r"[一二][〇零一二三四五六七八九]{3}"
_CN_MONTH = r"(?:十[一二]?|[一二三四五六七八九])"
_CN_DAY = r"(?:三十一?|二十[一二三四五六七八九]?|十[一二三四五六七八九]?|[一二三四五六七八九])"
_DAY_TAIL = rf"(?:[日号](?:{_RANGE}(?:{_MONTH}月)?{_DAY}[日号])?|{_RANGE}{_DAY}[日号])"
"""After a day: 日, optionally a range to another day (9日至10日, 5月25~31日: one fact at its start)."""
_NO_MONTH_SPAN = rf"(?!份?{_RANGE}\d{{1,2}}月)"

DATE = (
    rf"(?<![\d.])(?P<dy>{_YEAR})年(?P<dm>{_MONTH})月(?:(?P<dd>{_DAY}){_DAY_TAIL}|(?!\d){_NO_MONTH_SPAN})"
    rf"|(?<![\d./])(?P<em>{_MONTH})月(?P<ed>{_DAY}){_DAY_TAIL}"
    rf"|(?<![\d./\-第前])(?<![\d月]{_RANGE})(?P<fm>{_MONTH})月(?!\d){_NO_MONTH_SPAN}"
    rf"|(?<![\d./\-])(?P<ny>{_YEAR})(?P<sep>[/\-.])(?P<nm>{_MONTH})(?P=sep)(?P<nd>{_DAY})"
    rf"|(?<![\d.])(?P<xd>{_DAY})\.(?P<xm>{_MONTH})\.(?P<xy>{_YEAR})(?!\d)"
    rf"|(?P<cy>{_CN_YEAR})年(?P<cm>{_CN_MONTH})月(?:(?P<cd>{_CN_DAY})[日号])?"
    rf"|(?<![{_CN_ANY}])(?P<km>{_CN_MONTH})月(?P<kd>{_CN_DAY})[日号]"
    rf"|(?<![{_CN_ANY}第个半前])(?<![{_CN_ANY}月]{_RANGE})(?P<jm>{_CN_MONTH})月(?![{_CN_ANY}\d]|份?{_RANGE})"
)
"""Calendar dates with at least a month: 2019年12月9日, 12月11日, 11月, 2020/12/17, 21.11.2017, 五月
(a Chinese month alone is a date unless it ends or starts a span: 一至三月, 一月至三月)."""

PERCENT = (
    rf"(?P<p_pre>{_QUALIFIER_BEFORE})?{_NOT_AFTER_PERCENT}"
    rf"(?:百分之(?P<p_words>{NUMBER})"
    rf"|(?:{NUMBER})%?{_RANGE}(?P<p_upper>{NUMBER})(?P<p_unit>%)"
    rf"|(?P<p_num>{NUMBER})(?P<p_unit2>%|个百分点|百分点))"
    rf"(?P<p_post>{_QUALIFIER_AFTER})?"
)
"""12.5%, 百分之六十, 9.9个百分点, 10%~20%, 80%以上."""

_RANGE_AHEAD = rf"(?=.{{0,{max(map(len, [*CURRENCIES, *MEASURE_WORDS]))}}}{_RANGE})"
"""A range sign within a unit's length: checked before the ~70 units are tried for a range."""

AMOUNT = (
    rf"(?P<a_pre>{_QUALIFIER_BEFORE})?{_NOT_AFTER}"
    rf"(?P<a_num>{NUMBER}|(?<=突破){_BARE_SCALE}|{_BARE_SCALE}(?(a_pre)|(?=[余多])))(?:{_RANGE_AHEAD}(?P<a_lunit>{_alternation(CURRENCIES)}|{_measure_words()})?{_RANGE}(?P<a_upper>{NUMBER})"
    rf"(?(a_lunit)(?=[余多]?(?:个(?=亿))?(?:千万|百万|万亿|[万亿])?(?P=a_lunit))))?"
    rf"(?:个(?=[余多]亿))?(?P<a_more>[余多])?(?:个(?=亿))?(?P<a_scale>千万|百万|万亿|[万亿])?"
    rf"(?:(?P<a_money>{_alternation(CURRENCIES)})|(?P<a_count>{_measure_words()}))?"
    rf"(?P<a_post>{_QUALIFIER_AFTER})?"
)
"""Money and counts: 超过2.3亿元, 330余项, 1700万亩左右, 1至2个, 三千万, 100多万元, 5个多亿, 50万元至100万元
(a range written with its unit twice is one figure: the unit after the lower number must be
the one after the upper number)."""

_DATE_START = r"(?=[\d〇零一二三四五六七八九十]{1,4}+[年月/\-.])"
"""What every date starts with: up to four digits or numerals, then 年, 月 or a separator."""
_PERCENT_START = rf"(?=[\d,.点{_CN_ANY.replace('百', '')}超过出逾将近接大约]{{0,24}}+(?:[%百]|{_RANGE}|个百分点))"
"""What every percentage has right after its qualifier and first number: %, 百分 or a range.

Read possessively up to the first 百 (百分之, 百分点; a 百 in a number also passes), so
that no position is tried twice, and at most 24 characters ahead, so that a long run of digits
(a data dump) is not read to its end from each of its positions."""

_FIGURE_START = rf"(?=[\d{_CN_START}百千万亿超逾近约大将接上])"
"""What every figure starts with: a digit, a numeral, 百分之, a qualifier (大约, 将近, 接近, 上 …)
or a bare scale (千余人, 上亿元). One class: a single test at every position; what follows
decides (a bare 千 needs 余/多 after it, 上 a bare scale)."""


def _unnamed(pattern: str) -> str:
    """``pattern`` with its named groups made non-capturing, except those it refers back to."""
    referred = set(re.findall(r"\(\?P=(\w+)\)", pattern))
    return re.sub(r"\(\?P<(\w+)>", lambda group: group[0] if group[1] in referred else "(?:", pattern)


FIGURE = re.compile(
    rf"{_FIGURE_START}(?:{_DATE_START}(?P<date>{_unnamed(DATE)})|{_PERCENT_START}(?P<percent>{_unnamed(PERCENT)})|{AMOUNT})"
)
"""Every figure-like span; :mod:`briefing.extract.figures` decides which are facts.

``FIGURE.finditer(text)`` finds them all. ``re`` cannot skip ahead to a plausible start
for a pattern that begins with a look-behind, so it tries every position; the look-aheads
are cheap necessary conditions that make that affordable: most positions fail the first
one, and without the next two every amount would first be tried as eight kinds of date
and read three ways (with backtracking) as a percentage. A date or a percentage is only
marked as such (its parts are read again with :data:`DATE_PARTS` / :data:`PERCENT_PARTS`):
every capturing group before the amount alternative makes each amount match slower."""
DATE_PARTS = re.compile(DATE)
"""The parts (year, month, day) of a date that :data:`FIGURE` found."""
PERCENT_PARTS = re.compile(PERCENT)
"""The parts (number, qualifiers) of a percentage that :data:`FIGURE` found."""

BARE_MONEY_FOLLOWER = re.compile(r"[^\u4e00-\u9fff]|[的和与及或以左上]|$")
"""After ``108亿`` / ``三千万`` with no unit: only these may follow for it to be money."""

_ENGLISH_NUMBER = r"\d+(?:,\d{3})*(?:\.\d+)?"
ENGLISH_SCALES = {"thousand": 10**3, "k": 10**3, "million": 10**6, "mn": 10**6, "m": 10**6, "billion": 10**9, "bn": 10**9, "b": 10**9, "trillion": 10**12}  # fmt: skip
ENGLISH_CURRENCIES = {
    "us$": "USD", "usd": "USD", "$": "USD", "us dollars": "USD", "dollars": "USD", "hk$": "HKD", "hkd": "HKD",
    "rmb": "CNY", "cny": "CNY", "yuan": "CNY", "eur": "EUR", "€": "EUR", "euros": "EUR", "gbp": "GBP", "£": "GBP",
    "jpy": "JPY", "mop": "MOP",
}  # fmt: skip
_ENGLISH_SIGNS = "|".join(re.escape(sign) for sign in sorted(ENGLISH_CURRENCIES, key=len, reverse=True) if len(sign) <= 3)
_ENGLISH_WORDS = "|".join(re.escape(word) for word in sorted(ENGLISH_CURRENCIES, key=len, reverse=True) if word.isalpha() or " " in word)
ENGLISH_AMOUNT = re.compile(
    rf"(?<![A-Za-z$])(?:(?P<sign>{_ENGLISH_SIGNS})\s?(?P<num>{_ENGLISH_NUMBER})(?:\s?(?P<scale>{'|'.join(ENGLISH_SCALES)})(?![A-Za-z]))?"
    rf"|(?P<num2>{_ENGLISH_NUMBER})\s?(?P<scale2>thousand|million|billion|trillion|mn|bn)\s(?P<word>{_ENGLISH_WORDS})(?![A-Za-z]))",
    re.IGNORECASE,
)
"""Amounts written in English inside Chinese text (a quoted press release): ``USD 50 million``,
``US$1.2 billion``, ``€3m``, ``5 billion yuan``. Run only on texts that hold a currency sign or
code (:data:`ENGLISH_HINT`): the Chinese grammar never sees them."""
_HINT_WORDS = ("illion", "USD", "RMB", "CNY", "EUR", "HKD", "GBP", "JPY", "MOP")
ENGLISH_HINT = re.compile(
    "[$€£" + "".join(sorted({word[0] for word in _HINT_WORDS})) + "](?:(?<=[$€£])|"
    + "|".join(f"(?<={word[0]}){word[1:]}" for word in _HINT_WORDS) + ")"
)
"""What a text with an English amount holds (a currency sign, a code, "million"): starts with
one class, so ``re`` skips in C to the few Latin capitals a Chinese text has."""
