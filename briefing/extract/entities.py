"""Places and organisations named in an article: where the news happens and with whom.

Three sources of knowledge, all compiled once into one regular expression:

* a gazetteer (``lexicons/places.toml``): provinces, prefecture-level cities and
  leagues, and Inner Mongolia's banners, counties and districts, with short forms;
* a lexicon of well-known bodies (``lexicons/orgs.toml``): ministries, academies,
  universities, large enterprises, with their short names;
* a grammar of organisation names (below): a known place or body, a few name
  characters, then a head word (…大学, …研究院, …有限公司, …集团, …人民政府,
  …科学技术局), so that 包头稀土研究院 or 赤峰市科技成果转化服务平台 are found
  without being listed anywhere.

The regular expression starts with one character class (so Python's regex engine
skips straight to the characters that can start a name) and continues as a character
trie whose branches are dispatched through character-class look-arounds, so the engine
tests a handful of branches per position instead of a thousand. A few context rules then decide what a match
means: a place written inside an organisation's name is not a place mention,
自治区 alone is the article's autonomous region, 市科技局 is the article's city's
bureau, and 科学院 is 中国科学院 once 中国科学院 has been named.

Traditional script is read through a one-character-for-one-character map
(``lexicons/hant.toml``), so offsets into the original text stay exact and a
mention's surface keeps the script it was written in.
"""

from __future__ import annotations

import functools
import re
import tomllib
from bisect import bisect_right
from collections import Counter
from dataclasses import dataclass
from importlib import resources
from typing import Iterable, Mapping, NamedTuple

from briefing.extract.chrome import chrome_spans, inside
from briefing.extract.normalize import Normalized, without_symbols

PLACE = "place"
ORG = "org"

# ---------------------------------------------------------------- the data model


class Mention(NamedTuple):
    """One place or organisation named in a text (a tuple: cheap to make, one per mention)."""

    name: str
    """Canonical name: simplified script, full official name (呼和浩特市, 科学技术部)."""
    kind: str
    """``place`` or ``org``."""
    surface: str
    """Exactly ``text[start:end]``, in the script it was written in (呼和浩特, 科技部, 清華大學)."""
    start: int
    end: int


class _Known(NamedTuple):
    """What a listed surface form means (a tuple of strings: the garbage collector stops
    tracking it, so the thousands in the lexicon cost nothing at each collection)."""

    role: str
    """``place`` | ``org`` | ``region`` (bare 自治区) | ``context`` (an org's short form valid
    only after its full name) | ``prefix`` (may start an org name, never a mention alone)."""
    name: str
    """Canonical name (for ``prefix``: the word itself)."""
    level: str = ""
    """For places: ``province`` | ``prefecture`` | ``county``."""


@dataclass(slots=True)
class _Candidate:
    """A mention before the article-wide context rules have given it its final name."""

    kind: str
    name: str
    start: int
    end: int
    place: str = ""
    """For a government body, the place it governs (its name's prefix, canonical)."""
    level_char: str = ""
    """For 市科技局 / 盟科技局: the level word whose place comes from the article."""
    head: str = ""
    """For government bodies awaiting their place: the full head (科学技术局)."""
    needs_region: bool = False
    """True for 自治区 and 自治区… bodies: the region is the article's autonomous region."""
    context_of: str = ""
    """For 科学院-style short forms: the full name that must have appeared before."""
    remainder: str = ""
    """For org names made of a place + a proper name (呼和浩特乳业科技创新中心), the
    proper name alone (乳业科技创新中心), which later in the article means the same body."""


# ---------------------------------------------------------------- the grammar

_CJK_RANGES = ((0x3400, 0x4DBF), (0x4E00, 0x9FFF))
_CJK = "".join(f"{chr(low)}-{chr(high)}" for low, high in _CJK_RANGES)


def _cjk_except(excluded: Iterable[str]) -> str:
    """The ranges of :data:`_CJK` without the characters ``excluded``, for a character class
    (``re`` has no set difference; a class that leaves stop characters out is one test
    instead of a look-ahead per character)."""
    cuts = sorted({ord(char) for char in excluded})
    parts = []
    for low, high in _CJK_RANGES:
        for cut in [code for code in cuts if low <= code <= high] + [high + 1]:
            if low < cut:
                parts.append(f"{chr(low)}-{chr(cut - 1)}")
            low = cut + 1
    return "".join(parts)


_DEPARTMENTS = (
    "科学技术", "科技", "财政", "教育", "工业和信息化", "工信", "发展和改革", "发展改革", "发改",
    "农牧", "农业农村", "农业", "自然资源", "生态环境", "商务", "人力资源和社会保障",
    "人力资源社会保障", "人社", "市场监督管理", "市场监管", "统计", "审计", "税务", "水利",
    "交通运输", "卫生健康", "卫健", "住房和城乡建设", "住房城乡建设", "住建", "文化和旅游", "文旅",
    "民政", "公安", "司法", "应急管理", "林业和草原", "林草", "能源", "国有资产监督管理", "国资",
    "知识产权", "大数据", "气象", "外事", "体育", "广播电视", "医疗保障", "医保", "退役军人事务",
    "乡村振兴", "粮食和物资储备", "政务服务", "信访", "科学技术协会", "科技创新", "农牧和科技",
)
"""Government department stems; with 厅 / 局 / 委员会 / 委 they make a department's name."""

_DEPARTMENT_SUFFIXES = ("厅", "局", "委员会", "委", "办公室")

_DEPARTMENT_EXPANSIONS = {
    "科技": "科学技术", "工信": "工业和信息化", "发改": "发展和改革", "发展改革": "发展和改革",
    "人社": "人力资源和社会保障", "人力资源社会保障": "人力资源和社会保障", "卫健": "卫生健康",
    "住建": "住房和城乡建设", "住房城乡建设": "住房和城乡建设", "市场监管": "市场监督管理",
    "林草": "林业和草原", "文旅": "文化和旅游", "国资": "国有资产监督管理", "医保": "医疗保障",
}
"""Short department stems and their full forms (科技局 → 科学技术局)."""

_GOVERNMENT_HEADS = (
    "人民政府办公室", "人民政府办公厅", "政府办公室", "政府办公厅", "人民政府", "政府", "人民代表大会常务委员会", "人大常委会", "委员会", "管理委员会", "管委会", "党委",
    "科协", "办公厅", "行政公署", "行署", "政协", "人民政府新闻办公室", "人民政府新闻办", "政府新闻办公室", "政府新闻办",
    "新闻办公室", "新闻办",
    *(stem + suffix for stem in _DEPARTMENTS for suffix in _DEPARTMENT_SUFFIXES),
)
_ACADEMIC_HEADS = ("大学", "学院", "研究院", "研究所", "研究生院", "科学院", "工程院", "社会科学院")
_OTHER_HEADS = (
    "研究中心", "创新中心", "技术中心", "研发中心", "服务中心", "工程中心", "推广中心", "检测中心",
    "转化中心", "中心", "服务平台", "创新平台", "平台", "重点实验室", "实验室", "科技小院", "小院",
    "创新联合体", "联合体", "创新联盟", "联盟",
    "研究会", "学会", "协会", "联合会", "商会", "基金会", "医院", "学校", "党校", "科技馆", "博物馆", "图书馆",
    "分行", "支行", "分公司", "分院", "监管局", "科技企业孵化器", "孵化器", "众创空间", "星创天地", "加速器",
    "中心医院", "人民医院", "中医医院", "蒙医医院", "中蒙医医院", "妇幼保健院", "附属医院", "卫生院", "学部",
    "广播电视台", "电视台", "广播电台", "融媒体中心", "领导小组办公室", "领导小组",
    "集团股份有限公司", "集团有限责任公司", "集团有限公司", "股份有限公司", "有限责任公司",
    "有限公司", "集团", "公司", "银行", "合作社", "交易所",
    *(bracket + tail for bracket in ("（集团）", "(集团)") for tail in ("有限责任公司", "股份有限公司", "有限公司")),
)
_GOVERNMENT_SET = frozenset(_GOVERNMENT_HEADS)
_ACADEMIC_SET = frozenset(_ACADEMIC_HEADS)
_NEEDS_PROPER_NAME = frozenset({
    "中心", "平台", "服务平台", "创新平台", "重点实验室", "实验室", "公司", "集团", "银行",
    "合作社", "研究中心", "创新中心", "技术中心", "研发中心", "服务中心", "工程中心", "学会", "协会",
    "创新联合体", "联合体", "创新联盟", "联盟", "分行", "支行", "分公司", "分院", "监管局", "孵化器", "众创空间",
    "星创天地", "加速器",
})
"""Heads that name a kind of thing, not a body, unless a proper name stands before them
(包头市中心 is the city centre; 呼和浩特乳业科技创新中心 is a body)."""

_PARTY_COMMITTEE = "委(?:组织部|宣传部|统战部|政法委|办公室)|委(?=书记|副书记|常委|[、，,和与及。]|[市盟旗县区]?政府)"
"""包头市委书记 names the body 包头市委, 通辽市委组织部 its department, and 市委、市政府 the
city's party committee: 委 is a head only before a post, an office, a government or a break."""

_BUREAU = "局(?<![格布开结大全当时残骗饭赌棋战邮药]局)(?![面势])|署(?<![部签公专]署)(?![名理长])"
"""A bureau named by its own words (中国科学院科技促进发展局, 苏尼特右旗农牧和科技局): 局 ends a
name, except in words such as 格局, 布局, 开局 and 局面."""

_NATIONAL_PREFIXES = frozenset({"中国", "中华", "国家", "中央", "全国", "首都"})

_STOP_CHARS = "的与和及在由对向把将为是了等并或从到于给被让使以也已就还又要这那其各该本我全级个每"
_STOP_WORDS = (
    "有关", "相关", "负责", "召开", "举行", "举办", "签署", "签订", "开展", "共建", "组建", "搭建",
    "打造", "成立", "设立", "建立", "创建", "依托", "推动", "推进", "加快", "加强", "出台", "印发",
    "发布", "围绕", "支持", "获批", "入选", "认定", "引进", "形成", "拥有", "成为", "作为", "提供",
    "面向", "实施", "安排", "下达", "申报", "承担", "牵头", "参加", "参与", "介绍", "表示", "指出",
    "强调", "要求", "通过", "完成", "达到", "实现", "进行", "积极", "主动", "深入", "不断", "持续",
    "先后", "分别", "共同", "已经", "正在", "目前", "今年", "近年", "去年", "明年", "日前", "近日",
    "首批", "此次", "一流", "包括", "例如", "比如", "建设", "两个", "三个", "四个", "五个", "几个", "多个",
    "担任", "出任", "兼任", "带领", "率领", "率队", "调研", "考察", "走访", "看望", "会见", "会谈", "座谈",
    "布局", "新建", "建成", "落户", "落地", "揭牌", "启动", "培育", "携手", "牵手", "对接", "建有", "设有", "新增",
    "获得", "荣获", "教授", "院士", "书记", "主任", "院长", "校长", "董事长", "总经理", "局长", "厅长", "部长",
    "市长", "盟长", "旗长", "县长", "研究员", "记者",
)
"""Characters and words that never stand inside an organisation's name: function words,
verbs of the news ("召开", "签署"), people's titles ("教授", "院长") and level words; the grammar stops at them, so
包头市与中国科学院 is two names, not one."""

_NAME_WORDS = (
    "资本", "日本", "成本", "基本", "本草", "华为", "为民", "安全", "全球", "全域", "全景", "全息", "健全", "万全",
    "和平", "和谐", "和信", "中和", "人和", "协和", "太和", "祥和", "以色列", "在线", "高等", "等离子", "对外",
    "向阳", "将军", "给排水", "个性化", "要素", "一个",
)
"""Words of company and institute names that hold a stop character (深圳创新资本投资有限公司,
华为技术有限公司): read through as name characters. So are place names that hold one (呼和浩特)."""

_JOINED_NAME_HEADS = ("学院", "学部", "研究所", "系", "局", "厅", "委员会", "有限公司", "有限责任公司", "股份有限公司")
"""Heads of names that join two fields with 与/和/及 (材料技术与工程研究所, 食品科学与营养工程学院,
农牧和科技局, 环境及可持续发展学部) or hold 和 in a trade name (内蒙古正和招标代理有限公司). Never
after a level word or the end of another name (鄂尔多斯市和…, 电视台与公交局: two bodies), nor
before a listed name (:func:`_names_another_org`)."""
_NOT_BEFORE_A_JOIN = "市盟旗县区省院所校局厅委会心台站司团行部处室馆社队"

_GENERIC_NAME = re.compile(
    "(?:重点|技术|工程|工程技术|科技|科学|创新|产业|研究|研发|企业|高新技术|技术创新|科技创新|成果转化|"
    "公共服务|服务|综合|综合性|新型|协同|国际|联合|制造业|临床医学|野外|观测|示范|高等|职业|高水平|"
    "地方|研究型|应用型|双一流|其他|这所|该所)*"
)
"""Name parts that only say what kind of body it is (国家重点实验室, 国家技术创新中心)."""

_LEVEL_WORDS = "市盟旗县省区"

_NOT_A_PLACE_AFTER = re.compile(
    f"[{_cjk_except(_STOP_CHARS + _LEVEL_WORDS)}]{{0,6}}?(?:高新技术产业开发区|经济技术开发区|高新区|新区|开发区|经开区|园区|工业园|"
    "产业园|示范区|试验区|自贸区|保税区|综保区|大地|大草原|草原)|级|时间|[东西南北中]?(?:路|大街|街|大道)(?![线径])"
)
"""A place followed by these is a zone (和林格尔新区), an informal region (科尔沁大地)
or a level word (自治区级), not a mention of the place (nor is 北京时间)."""

_LEVEL_ALLOWED_BEFORE = "由与和及同向对在经据把将从为被请、，。；：“”（）《》 \n\t"
"""市科技局 stands for the article's own city only after a function word or punctuation
(not in 各盟市科技局, 省市人民政府, 城市科技局)."""

_ACADEMIC_DELIMITERS = "、，。；：“”‘’（）《》「」 \n\t与和及同在自到赴接"
"""An unlisted university's name starts after punctuation, a conjunction or a verb of
movement (来自长安大学, 对接长安大学): Chinese has no spaces to mark where it begins."""


def _trie_pattern(words: Iterable[str], fan_out: int = 3, first_consumed: bool = False) -> str:
    """A regex matching any of ``words``, longest first, fast on thousands of words.

    Branches sharing a prefix are merged (a trie), and a node with many children is
    split into groups guarded by a character-class look-ahead, recursively, so that
    the engine tests about ``fan_out * log(children)`` branches per position. One
    look-ahead at the first two characters comes first: most positions start no word,
    and ``re`` cannot skip them by itself (the pattern does not start with a literal).

    With ``first_consumed`` the regex matches the rest of a word whose first character
    the enclosing pattern has just consumed, choosing the branch by looking back at it:
    a pattern that starts with one character class is one ``re`` can skip ahead with.
    """
    trie: dict = {}
    for word in words:
        node = trie
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}

    def node_pattern(node: dict) -> str:
        children = sorted(char for char in node if char)
        if not children:
            return ""
        inner = dispatch(children, node)
        if len(children) == 1 and "" not in node:
            return inner
        return f"(?:{inner})" + ("?" if "" in node else "")

    def dispatch(children: list[str], node: dict, behind: bool = False) -> str:
        if len(children) <= fan_out:
            return "|".join((f"(?<={re.escape(char)})" if behind else re.escape(char)) + node_pattern(node[char]) for char in children)
        size = -(-len(children) // fan_out)
        groups = [children[i : i + size] for i in range(0, len(children), size)]
        look = "(?<=" if behind else "(?="
        return "|".join(f"{look}{_class(group)})(?:{dispatch(group, node, behind)})" for group in groups)

    firsts = sorted(char for char in trie if char)
    seconds = sorted({char for node in trie.values() for char in node if char})
    one_character_word = any("" in node for node in trie.values())
    if first_consumed:
        guard = f"(?<={_class(firsts)})" + ("" if one_character_word else f"(?={_class(seconds)})")
        return f"{guard}(?:{dispatch(firsts, trie, behind=True)})"
    if len(firsts) <= fan_out or "" in trie:
        return node_pattern(trie)
    return f"(?={_class(firsts)}" + ("" if one_character_word else _class(seconds)) + ")" + node_pattern(trie)


def _class(chars: Iterable[str]) -> str:
    """A regex character class of ``chars``."""
    return "[" + "".join(map(re.escape, chars)) + "]"


def _main_pattern(known: Mapping[str, _Known], companies: bool) -> re.Pattern[str]:
    """The one expression that finds every candidate, in text order.

    With ``companies``, unlisted companies are looked for after every delimiter too: a
    look-ahead that costs a fifth of the scan, so it is compiled in only for the texts
    that hold a company's legal form (``有限``) at all."""
    name_char = f"[{_cjk_except(_STOP_CHARS)}（）()]"
    joined = f"(?<![{_NOT_BEFORE_A_JOIN}])[与和及](?={name_char}{{1,10}}?(?:{_trie_pattern(_JOINED_NAME_HEADS)}))"
    words = _NAME_WORDS + tuple(word for word in known if len(word) > 2 and set(word) & set(_STOP_CHARS) and known[word].role == PLACE)
    mid = f"(?:(?!{_trie_pattern(_STOP_WORDS)}){name_char}|{_trie_pattern(words)}|{joined})"
    heads = _trie_pattern(_GOVERNMENT_HEADS + _ACADEMIC_HEADS + _OTHER_HEADS) + "|" + _PARTY_COMMITTEE + "|" + _BUREAU
    academic = _trie_pattern(_ACADEMIC_HEADS) + "(?!生)"
    department_names = [stem + suffix for stem in _DEPARTMENTS for suffix in _DEPARTMENT_SUFFIXES]
    departments = _trie_pattern(department_names)
    level_heads = _trie_pattern(["人民政府办公室", "人民政府办公厅", "政府办公室", "人民政府", "政府", "行政公署", "行署", "科协", "政协", *department_names]) + "|" + _PARTY_COMMITTEE
    delimiters = re.escape(_ACADEMIC_DELIMITERS)
    starts = sorted({word[0] for word in known} | set(_LEVEL_WORDS) | set(_ACADEMIC_DELIMITERS) | ({"的"} if companies else set()))
    # Everything starts by consuming one character of one class, so that ``re`` skips
    # straight to the characters that can start something; the alternatives look back at it.
    return re.compile(
        f"{_class(starts)}"
        f"(?:(?P<known_rest>{_trie_pattern(known, first_consumed=True)})(?P<ext>(?P<mid>{mid}{{0,14}}?)(?P<head>{heads}))?"
        f"|(?<=[{_LEVEL_WORDS}])(?P<level_head>{level_heads})"
        f"|(?<=[{delimiters}])(?:{_ACADEMIC_START}(?P<academic>{mid}{{2,10}}?{academic})|(?P<bare>{departments}))"
        + (f"|(?<=[{delimiters}的]){_COMPANY_START}(?P<company>{mid}{{2,14}}?{_trie_pattern(_COMPANY_FORMS)})" if companies else "")
        + ")"
    )


_COMPANY_FORMS = ("股份有限公司", "有限责任公司", "有限公司", "专业合作社", "专业合作联社", "股份经济合作社")
"""Legal forms that end only a registered name: an unlisted company or cooperative
(丰禾生技股份有限公司, 丰源大豆种植专业合作社) is found from them, after punctuation or a
conjunction, like an unlisted university."""
_COMPANY_START = f"(?=[{_cjk_except(_STOP_CHARS)}（）()]{{2,14}}?(?:股份|有限|专业合作|经济合作社))"
_ACADEMIC_START = (
    f"(?=[{_cjk_except(set(_STOP_CHARS) - set(''.join(_ACADEMIC_HEADS)))}（）()]"
    f"{{{2 + min(map(len, _ACADEMIC_HEADS)) - 1},{10 + max(map(len, _ACADEMIC_HEADS)) - 1}}}"
    f"[{''.join(sorted({head[-1] for head in _ACADEMIC_HEADS}))}])"
)
"""What an unlisted university's name (2 to 10 name characters and a head) always has: its
head's last character (学, 院, 所) within reach, with no stop character before it; cheap to
test at every comma first."""


# ---------------------------------------------------------------- the lexicons


@dataclass(frozen=True)
class _Lexicon:
    known: dict[str, _Known]
    pattern: re.Pattern[str]
    known_only: re.Pattern[str]
    to_simplified: dict[int, int]
    traditional: re.Pattern[str]
    default_region: str

    @functools.cached_property
    def pattern_with_companies(self) -> re.Pattern[str]:
        """:attr:`pattern` that also finds unlisted companies; compiled on first need (a tenth of a
        second that a build reading only headlines never needs)."""
        return _main_pattern(self.known, companies=True)


def _read_toml(name: str) -> dict:
    return tomllib.loads(resources.files("briefing").joinpath("lexicons", name).read_text(encoding="utf-8"))


def _short_forms(name: str, excluded: set[str]) -> list[str]:
    """The suffix-less forms a city, league or county is also written as (包头市 → 包头)."""
    for suffix in ("地区", "市", "盟", "县"):
        if name.endswith(suffix):
            short = name[: -len(suffix)]
            if len(short) >= 2 and short not in excluded:
                return [short]
    return []


def _place_entries(places: dict) -> dict[str, _Known]:
    """Every surface of every place in the gazetteer, mapped to its canonical name."""
    excluded = set(places["settings"]["not_short_forms"])
    entries: dict[str, _Known] = {}

    def add(name: str, aliases: list[str], level: str, derive: bool) -> None:
        known = _Known(PLACE, name, level)
        shorts = _short_forms(name, excluded) if derive else []
        for surface in (name, *aliases, *shorts):
            entries.setdefault(surface, known)

    for name, aliases in places["provinces"].items():
        add(name, aliases, "province", derive=False)
    for divisions in places["prefectures"].values():
        for name, aliases in divisions.items():
            add(name, aliases, "prefecture", derive=True)
    for divisions in places["counties"].values():
        for name, aliases in divisions.items():
            add(name, aliases, "county", derive=not name.endswith(("区", "旗")))
    return entries


def _org_entries(orgs: dict) -> dict[str, _Known]:
    """Every surface of every listed organisation (brackets in both widths)."""
    entries: dict[str, _Known] = {}
    for name, aliases in orgs["orgs"].items():
        for surface in (name, *aliases):
            for variant in {surface, surface.replace("（", "(").replace("）", ")")}:
                entries[variant] = _Known(ORG, name)
    for name, aliases in orgs.get("context_aliases", {}).items():
        for surface in aliases:
            entries.setdefault(surface, _Known("context", name))
    return entries


@functools.cache
def _lexicon() -> _Lexicon:
    """Load the lexicons and compile the pattern, once per process."""
    places = _read_toml("places.toml")
    known: dict[str, _Known] = {word: _Known("prefix", word) for word in places["settings"]["org_name_prefixes"]}
    known.update(_place_entries(places))
    known["自治区"] = _Known("region", "自治区")
    known.update(_org_entries(_read_toml("orgs.toml")))
    pairs = [pair for pair in _read_toml("hant.toml")["pairs"].split() if pair[0] != pair[1]]
    to_simplified = {ord(pair[0]): ord(pair[1]) for pair in pairs}
    traditional = re.compile("[" + "".join(sorted({pair[0] for pair in pairs})) + "]")
    return _Lexicon(
        known=known,
        pattern=_main_pattern(known, companies=False),
        known_only=re.compile(_trie_pattern(known)),
        to_simplified=to_simplified,
        traditional=traditional,
        default_region=places["settings"]["default_autonomous_region"],
    )


# ---------------------------------------------------------------- finding candidates


def _simplified(text: str, script_hint: str | None, lexicon: _Lexicon) -> str:
    """The text in simplified script, same length and offsets (only when it needs it)."""
    if script_hint == "hans" or not lexicon.traditional.search(text):
        return text
    return text.translate(lexicon.to_simplified)


_HEAD_EXPANSIONS = {
    "行署": "行政公署", "科协": "科学技术协会", "政府新闻办": "人民政府新闻办公室", "人民政府新闻办": "人民政府新闻办公室",
    "政府新闻办公室": "人民政府新闻办公室", "新闻办": "新闻办公室",
}  # fmt: skip
"""Short heads with one full form (a league's 行署 is its 行政公署)."""


def _full_department(head: str) -> str:
    """科技局 → 科学技术局, 发改委 → 发展和改革委员会, 政府 → 人民政府; other heads unchanged."""
    if head in ("政府", "政府办公室", "政府办公厅"):
        return "人民" + head
    if head in _HEAD_EXPANSIONS:
        return _HEAD_EXPANSIONS[head]
    for short, full in _DEPARTMENT_EXPANSIONS.items():
        rest = head[len(short) :]
        if head.startswith(short) and not head.startswith(full) and rest in _DEPARTMENT_SUFFIXES:
            return full + ("委员会" if rest == "委" else rest)  # 科技局 → 科学技术局, not 科技创新局
    if head.endswith("委") and len(head) > 1 and head[:-1] in _DEPARTMENTS:
        return head + "员会"  # 卫生健康委 → 卫生健康委员会
    return head


def _names_a_kind_only(known: _Known, prefix: str, mid: str, head: str) -> bool:
    """True when prefix + name + head only says what kind of body it is (国家重点实验室,
    包头市中心, 中国大学) rather than naming one body."""
    if known.role == "prefix":
        if not mid:
            return head not in _ACADEMIC_SET or prefix in _NATIONAL_PREFIXES
        if head in _ACADEMIC_SET and prefix not in _NATIONAL_PREFIXES:
            return False  # 兴安职业技术学院: a school named after its region, however generic the rest
        return bool(_GENERIC_NAME.fullmatch(mid))
    if head in ("局", "署") and len(mid) < 2:
        return True  # 包头市这一局: a bureau says what it does in two or more characters
    if not mid and head in _NEEDS_PROPER_NAME:
        # 鄂尔多斯实验室 names a lab (a place written without its level word), 包头市实验室 does not
        named = head in ("实验室", "银行") and known.role in (PLACE, "region") and prefix != known.name
        return not (named and prefix[-1] not in _LEVEL_WORDS)  # 鄂尔多斯实验室, 内蒙古银行: named after the place
    return head.endswith("实验室") and bool(_GENERIC_NAME.fullmatch(mid))


def _grammar_org(known: _Known, prefix: str, mid: str, head: str, start: int, end: int) -> _Candidate | None:
    """The organisation named by a known prefix + name characters + head word, if it is one.

    A government body directly after a place takes the place's full name and the
    department's full name (包头科技局 → 包头市科学技术局); any other name is kept as
    written, since 内蒙古大学 is not 内蒙古自治区大学."""
    if _names_a_kind_only(known, prefix, mid, head):
        return None
    region = known.role == "region"
    party = head.startswith("委")
    if party and (mid or known.role not in (PLACE, "region")):
        return None
    if not mid and (head in _GOVERNMENT_SET or party):
        # 香港特别行政区政府 is the government's official name; elsewhere 政府 is 人民政府
        full_head = head if known.name.endswith("特别行政区") else _full_department(head)
        place = known.name if known.role != ORG else ""
        return _Candidate(ORG, known.name + full_head, start, end, place=place, head=full_head, needs_region=region)
    written = known.name if known.role in (ORG, "region") else prefix
    if known.role == ORG and mid and known.name.endswith(_LEGAL_FORMS):
        written = prefix  # 伊利实业集团: not 内蒙古伊利实业集团股份有限公司 + 实业集团
    if head in _BRANCH_HEADS:
        written = written.removesuffix("股份有限公司")  # 中国建设银行鄂尔多斯分行, as the press and the sign write it
    candidate = _Candidate(ORG, written + mid + head, start, end, needs_region=region)
    if head not in _GOVERNMENT_SET and head not in _ACADEMIC_SET and len(mid + head) >= 5 and not region:
        candidate.remainder = mid + head
    return candidate


def _known_candidate(known: _Known, norm: str, start: int, end: int) -> _Candidate | None:
    """A listed name standing alone, unless its context says it is not a mention."""
    if known.role == "prefix":
        return None
    if known.role == ORG:
        if known.name.endswith("部") and norm.startswith(("门", "署", "分"), end):
            return None  # 财政部门, 部署, 部分: a word, not the ministry
        if norm.startswith("生", end) and known.name.endswith("大学"):
            return None  # 内蒙古大学生: students, not the university
        return _Candidate(ORG, known.name, start, end)
    if known.role == "context":
        return _Candidate(ORG, known.name, start, end, context_of=known.name)
    if _NOT_A_PLACE_AFTER.match(norm, end):
        return None
    return _Candidate(PLACE, known.name, start, end, needs_region=known.role == "region")


def _scan(norm: str, lexicon: _Lexicon) -> list[_Candidate]:
    """Every candidate mention in text order, before article-wide context is applied."""
    candidates: list[_Candidate] = []
    pattern = lexicon.pattern_with_companies if "有限" in norm or "合作社" in norm else lexicon.pattern
    known_names = lexicon.known
    position = 0
    while match := pattern.search(norm, position):
        position = match.end()
        matched = match.lastgroup  # the group closed last: ext, known_rest, level_head, academic or bare
        if matched in ("known_rest", "ext"):
            word = norm[match.start() : match.end("known_rest")]
            known = known_names[word]
            candidate = None
            if matched == "ext":
                if _in_brackets_of_a_name(norm, match):
                    candidate = _bracketed_place_org(norm, match)
                elif match["head"].endswith("银行") and norm.startswith("业", match.end()):
                    candidate = None  # 内蒙古银行业金融机构: the banking sector, not a bank
                elif _province_before_a_place(known, norm, match, lexicon):
                    candidate = None  # 内蒙古鄂尔多斯市人民政府: 内蒙古, then 鄂尔多斯市人民政府
                elif _balanced(match["mid"]) and not _names_another_org(norm, match, known, lexicon):
                    candidate = _grammar_org(known, word, match["mid"], match["head"], match.start(), match.end())
                if candidate is None:
                    position = match.end("known_rest")  # rescan the rejected name characters
            if candidate is None and known.name.endswith("银行") and norm.startswith("业", match.end("known_rest")):
                place = known_names.get(word[:-2])  # 内蒙古银行业: the region's banking sector
                known, word = (place, word[:-2]) if place is not None and place.role in (PLACE, "region") else (None, word)
            if candidate is None and known is not None:
                candidate = _known_candidate(known, norm, match.start(), match.start() + len(word))
        elif matched == "level_head":
            candidate = _level_candidate(norm, match)
        elif matched == "academic":
            candidate = None
            if _tail_of_a_joined_name(norm, match.start()):
                position = match.end()  # 材料与冶金学院: the end of one name, not a name
            elif not lexicon.known_only.search(norm, match.start("academic"), match.end()):
                candidate = _academic_candidate(match, known_names)
            if candidate is None:
                position = match.start() + 1
        elif matched == "company":
            candidate = None
            if _balanced(match["company"]) and not lexicon.known_only.search(norm, match.start("company"), match.end()):
                name = match["company"].replace("(", "（").replace(")", "）")
                candidate = _Candidate(ORG, name, match.start("company"), match.end())
            if candidate is None:
                position = match.start() + 1
        else:
            candidate = _bare_department(match, candidates)
            if candidate is None:
                position = match.start() + 1
        if candidate is not None:
            if candidate.kind == ORG and candidate.name.endswith("大学"):
                position = _with_campus(norm, candidate, position, lexicon)
            if candidate.kind == ORG:
                position = _with_tail(norm, candidate, position, lexicon)
            candidates.append(candidate)
    return candidates


_CAMPUS = re.compile(f"[（(](?!简称|以下)([{_CJK}]{{2,4}})[）)]")
_TRADE_NAME = re.compile(f"[{_cjk_except(_STOP_CHARS + _LEVEL_WORDS)}]{{2,6}}$")
"""A company's trade name before its bracketed place (绿源 in 绿源（和林格尔）种业科技有限公司)."""
_TRADE_NAME_STARTS_AFTER = ("公司", "集团", "企业", "单位", "旗下", "控股", "子")


def _province_before_a_place(known: _Known, norm: str, match: re.Match[str], lexicon: _Lexicon) -> bool:
    """A province written before one of its cities in a government body's name: the body is
    the city's, the province a place of its own."""
    if known.role not in (PLACE, "region") or known.level not in ("province", "") or not match["mid"]:
        return False
    head = match["head"]
    if head not in _GOVERNMENT_SET and not head.startswith("委"):
        return False
    inner = lexicon.known_only.match(norm, match.start("mid"))
    return inner is not None and lexicon.known[inner.group()].role == PLACE


def _balanced(mid: str) -> bool:
    """Whether the brackets in a name's middle pair up (包钢（集团 is no name)."""
    opened = mid.count("（") + mid.count("(")
    return opened == mid.count("）") + mid.count(")") and not mid.startswith(("）", ")"))


def _in_brackets_of_a_name(norm: str, match: re.Match[str]) -> bool:
    """A place in brackets right after name characters, the bracket closed in the name's middle:
    the standard company name 字号（行政区划）行业有限公司."""
    start, mid = match.start(), match["mid"]
    return start > 2 and norm[start - 1] in "（(" and mid.startswith(("）", ")")) and _balanced(mid[1:])


def _bracketed_place_org(norm: str, match: re.Match[str]) -> _Candidate | None:
    """绿源（和林格尔）种业科技有限公司: one organisation, the place inside its name no mention."""
    trade = _TRADE_NAME.search(norm, max(0, match.start() - 7), match.start() - 1)
    if trade is None:
        return None
    start = trade.start()
    for word in _TRADE_NAME_STARTS_AFTER:  # 全资子公司绿源（和林格尔）…: the name is 绿源（和林格尔）…
        cut = norm.rfind(word, start, match.start() - 1)
        if cut >= 0:
            start = cut + len(word)
    if match.start() - 1 - start < 2:
        return None
    return _Candidate(ORG, norm[start : match.end()].replace("(", "（").replace(")", "）"), start, match.end())


_BRANCH_HEADS = ("分行", "支行", "分公司", "营业部")
_COMPANY_LEGAL_FORMS = ("股份有限公司", "有限责任公司", "有限公司")
_LEGAL_FORMS = (*_COMPANY_LEGAL_FORMS, "集团")
_TAIL = re.compile(
    r"(?P<department>[\u4e00-\u9fff]{2,8}?(?:署|局|处))(?=[^\u4e00-\u9fff]|$)"
    rf"|(?P<legal>{'|'.join(_COMPANY_LEGAL_FORMS)})"
    rf"|(?P<branch>[\u4e00-\u9fff]{{2,9}}?(?:{'|'.join(_BRANCH_HEADS)}))"
    r"|(?P<hospital>(?:第[一二三四五六七八九十]+)?附属[\u4e00-\u9fff]{0,8}?医院)"
)
"""What may follow a bank's, company's or university's name and still be its name: a legal form
(鄂尔多斯农村商业银行股份有限公司), a branch (中国银行鄂尔多斯分行) or an affiliated hospital
(包头医学院第一附属医院, 首都医科大学附属北京安贞医院)."""


def _with_tail(norm: str, candidate: _Candidate, position: int, lexicon: _Lexicon) -> int:
    """Extend an organisation by what :data:`_TAIL` allows after its name; returns the scan position."""
    tail = _TAIL.match(norm, candidate.end)
    if tail is None:
        return position
    name = candidate.name
    if tail["department"] and name.endswith("特别行政区政府"):
        candidate.name = name + tail["department"]  # 香港特区政府创新科技署: a department of the government
    elif tail["legal"] and name.endswith(("银行", "集团")):
        candidate.name = name + tail["legal"]
    elif tail["branch"] and name.endswith(("银行", "公司", "集团")):
        place = lexicon.known_only.match(norm, candidate.end)
        if place is None or lexicon.known[place.group()].role != PLACE:
            return position  # a branch is named by its place: 鄂尔多斯分行
        base = name.removesuffix("股份有限公司") if name.endswith("银行股份有限公司") else name
        candidate.name = base + tail["branch"]
    elif tail["hospital"] and name.endswith(("大学", "学院")):
        candidate.name = name + tail["hospital"]
    else:
        return position
    candidate.end = tail.end()
    candidate.remainder = ""
    return max(position, tail.end())


def _with_campus(norm: str, candidate: _Candidate, position: int, lexicon: _Lexicon) -> int:
    """Extend a university to its campus in brackets (哈尔滨工业大学（威海）), so the
    bracketed place is part of the name and not a place mention; returns the scan position."""
    campus = _CAMPUS.match(norm, candidate.end)
    if campus is None:
        return position
    name = f"{candidate.name}（{campus[1]}）"
    listed = lexicon.known.get(name)
    candidate.name = listed.name if listed is not None and listed.role == ORG else name
    candidate.end = campus.end()
    return max(position, campus.end())


def _tail_of_a_joined_name(norm: str, conjunction: int) -> bool:
    """Whether a 与/和/及 at ``conjunction`` joins two fields of one name (材料与冶金学院):
    a name character stands before it, not punctuation, a stop word or the end of a name."""
    if conjunction == 0 or norm[conjunction] not in "与和及":
        return False
    before = norm[conjunction - 1]
    return before >= "\u4e00" and before not in _STOP_CHARS and before not in _NOT_BEFORE_A_JOIN


def _names_another_org(norm: str, match: re.Match[str], known: _Known, lexicon: _Lexicon) -> bool:
    """True when a listed organisation starts inside the name characters of a grammar match
    (包头稀土研究院联合北京科技大学 is two bodies, not one), when a place's name characters
    start with a province (开鲁县内蒙古红原生物科技有限公司: the county, then a company named
    after the region), or when any listed name stands right after a 与/和/及 in them
    (扎赉特旗与黑龙江省农业科学院: a place and an academy)."""
    start, end = match.start("mid"), match.end()
    for inner in lexicon.known_only.finditer(norm, start, end):
        if inner.start() < match.end("mid") and lexicon.known[inner.group()].role == ORG:
            return True
    if known.role == PLACE and (first := lexicon.known_only.match(norm, start)) and lexicon.known[first.group()].level == "province":
        return True
    return any(char in "与和及" and lexicon.known_only.match(norm, start + i + 1) for i, char in enumerate(match["mid"]))


def _level_candidate(norm: str, match: re.Match[str]) -> _Candidate | None:
    """市科技局 / 盟科技局 / 市人民政府: a body of the article's own city or league."""
    start = match.start()
    if start > 0 and norm[start - 1] not in _LEVEL_ALLOWED_BEFORE:
        return None
    head = _full_department(match["level_head"])
    return _Candidate(ORG, "", start, match.end(), level_char=norm[start], head=head)


def _academic_candidate(match: re.Match[str], known: dict[str, _Known]) -> _Candidate | None:
    """An unlisted university or institute standing after punctuation (、暨南大学).

    Only used when no listed name lies inside it: 包括清华大学 is 清华大学, found by the
    lexicon once the scan moves on by one character."""
    name = match["academic"]
    listed = known.get(name)
    if listed is not None and listed.role == ORG:
        return _Candidate(ORG, listed.name, match.start("academic"), match.end())
    for head in sorted(_ACADEMIC_SET, key=len, reverse=True):
        if name.endswith(head):
            if _GENERIC_NAME.fullmatch(name[: -len(head)]):
                return None
            break
    return _Candidate(ORG, name, match.start("academic"), match.end())


def _bare_department(match: re.Match[str], candidates: list[_Candidate]) -> _Candidate | None:
    """财政厅 in 自治区科技厅、财政厅: a department sharing the place of the body before it."""
    if not candidates:
        return None
    previous = candidates[-1]
    if previous.end == match.start() and match.string[match.start()] in "（(" and previous.kind == ORG:
        # 鄂尔多斯市市场监督管理局（知识产权局）: the body's second name, not another body
        return _Candidate(ORG, previous.name, match.start("bare"), match.end(), place=previous.place,
                          level_char=previous.level_char, head=previous.head, needs_region=previous.needs_region)
    if previous.end != match.start() or not (previous.place or previous.level_char or previous.needs_region):
        return None
    head = _full_department(match["bare"])
    return _Candidate(ORG, previous.place + head if previous.place else "", match.start("bare"), match.end(),
                      place=previous.place, level_char=previous.level_char, head=head,
                      needs_region=previous.needs_region and not previous.level_char)


# ---------------------------------------------------------------- article-wide context


def _article_region(candidates: list[_Candidate], default: str) -> str:
    """What bare 自治区 means here: the first autonomous region named, else the default."""
    for candidate in candidates:
        for name in (candidate.name, candidate.place):
            if name.endswith("自治区") and not candidate.needs_region:
                return name
    return default


def _level_places(candidates: list[_Candidate], lexicon: _Lexicon) -> dict[str, str]:
    """For each level word (市, 盟, 旗 …), the article's most-named place of that level."""
    counts: Counter[str] = Counter()
    for candidate in candidates:
        for name in (candidate.name if candidate.kind == PLACE else "", candidate.place):
            if name:
                counts[name] += 1
    chosen: dict[str, str] = {}
    for name, _ in counts.most_common():
        level_char = name[-1]
        known = lexicon.known.get(name)
        if level_char not in chosen and known is not None and known.level == _LEVEL_OF_WORD.get(level_char):
            chosen[level_char] = name
    return chosen


_LEVEL_OF_WORD = {char: "prefecture" if char in "市盟" else "province" if char == "省" else "county" for char in _LEVEL_WORDS}
"""The gazetteer level a level word stands for (市科技局: a prefecture's bureau)."""


def _resolve(candidates: list[_Candidate], lexicon: _Lexicon) -> list[_Candidate]:
    """Give every candidate its final name from the article's context, or drop it."""
    region = _article_region(candidates, lexicon.default_region)
    level_places = _level_places(candidates, lexicon)
    resolved: list[_Candidate] = []
    seen: set[str] = set()
    for candidate in candidates:
        if candidate.level_char:
            place = level_places.get(candidate.level_char)
            if place is None:
                continue
            candidate.place, candidate.name = place, place + candidate.head
        elif candidate.needs_region:
            if candidate.kind == PLACE:
                candidate.name = region
            elif candidate.head:
                candidate.place, candidate.name = region, region + candidate.head
            else:
                candidate.name = region + candidate.name[len("自治区") :]
        if candidate.context_of and candidate.context_of not in seen:
            continue
        known = lexicon.known.get(candidate.name)
        if candidate.kind == ORG and known is not None and known.role == ORG:
            candidate.name = known.name
        elif candidate.kind == ORG and candidate.name.endswith("政协") and len(candidate.name) > 2:
            candidate.name = f"中国人民政治协商会议{candidate.name[:-2]}委员会"  # 自治区政协: the region's CPPCC committee
        seen.add(candidate.name)
        resolved.append(candidate)
    return resolved


def _remainder_mentions(norm: str, candidates: list[_Candidate]) -> list[_Candidate]:
    """Later bare uses of a place-prefixed body's proper name (乳业科技创新中心)."""
    first_use: dict[str, _Candidate] = {}
    for candidate in candidates:
        if candidate.remainder:
            first_use.setdefault(candidate.remainder, candidate)
    if not first_use:
        return []
    spans = sorted((c.start, c.end) for c in candidates)
    starts = [start for start, _ in spans]
    return [
        _Candidate(ORG, owner.name, position, position + len(remainder))
        for remainder, owner in first_use.items()
        for position in _uses_outside(norm, remainder, owner.end, spans, starts)
    ]


def _uses_outside(norm: str, word: str, after: int, spans: list[tuple[int, int]], starts: list[int]):
    """Where ``word`` stands in ``norm`` from ``after`` on, outside the sorted ``spans``
    (whose starts are ``starts``): later uses of a name that no other mention covers."""
    position = norm.find(word, after)
    while position != -1:
        index = bisect_right(starts, position) - 1
        if index < 0 or spans[index][1] <= position:
            yield position
        position = norm.find(word, position + len(word))


_GENERIC_SHORT_NAMES = frozenset({
    "公司", "集团", "中心", "项目", "平台", "本院", "本所", "学校", "学院", "大学", "医院", "银行", "协会", "基地",
    "实验室", "研究院", "研究所", "合作社", "企业", "单位", "该公司", "本公司", "甲方", "乙方", "双方",
})
"""Short forms that are words of their own (（以下简称“公司”）): every later 公司 is not that company."""
_SHORT_NAME = re.compile(r"[（(](?:以下)?简称[:：]?[“\"「‘]?([^”\"」’）)，,]{2,12})[”\"」’]?[）)]")
"""（以下简称“西北研究院”） right after a name: the short form the article then uses for it."""


def _with_short_names(norm: str, candidates: list[_Candidate]) -> list[_Candidate]:
    """``candidates`` with every use of a short form an organisation was given in brackets
    (中国科学院西北生态环境资源研究院（以下简称“西北研究院”）) named as that organisation."""
    short_names: dict[str, _Candidate] = {}
    for candidate in candidates:
        if candidate.kind == ORG and (short := _SHORT_NAME.match(norm, candidate.end)) and short[1] not in _GENERIC_SHORT_NAMES:
            short_names.setdefault(short[1], candidate)
    if not short_names:
        return candidates
    kept = []
    for candidate in candidates:
        owner = short_names.get(norm[candidate.start : candidate.end])
        if owner is not None and owner is not candidate:
            candidate.kind, candidate.name = ORG, owner.name
        kept.append(candidate)
    taken = sorted((c.start, c.end) for c in kept)
    starts = [start for start, _ in taken]
    kept += [
        _Candidate(ORG, owner.name, position, position + len(short))
        for short, owner in short_names.items()
        for position in _uses_outside(norm, short, owner.end, taken, starts)
    ]
    return sorted(kept, key=lambda c: c.start)


# ---------------------------------------------------------------- the API


def find_entities(text: str, script_hint: str | None = None, symbols: bool = True) -> list[Mention]:
    """Every place and organisation mention in ``text``, in text order.

    ``script_hint`` is ``"hans"`` (skip the traditional-script map), ``"hant"`` or
    ``None`` (look). ``symbols=False`` says the text has no injected symbols (科◆学技术局)
    to read through, when the caller already knows. Each mention carries its canonical
    name and its exact surface.
    """
    lexicon = _lexicon()
    clean = without_symbols(text) if symbols else Normalized(text)
    norm = _simplified(clean.text, script_hint, lexicon)
    candidates = _scan(norm, lexicon)
    if candidates and (chrome := chrome_spans(clean.text)):
        candidates = [c for c in candidates if not inside(chrome, c.start, c.end)]
    candidates = _resolve(candidates, lexicon)
    candidates = _with_short_names(norm, candidates)
    candidates += _remainder_mentions(norm, candidates)
    candidates.sort(key=lambda c: c.start)
    spans = [clean.original_span(c.start, c.end) for c in candidates]
    return [Mention(c.name, c.kind, text[start:end], start, end) for c, (start, end) in zip(candidates, spans)]


def entities_summary(mentions: Iterable[Mention]) -> dict:
    """Mentions folded into the gold shape: names once each, in first-mention order."""
    places: list[str] = []
    orgs: list[str] = []
    aliases: dict[str, list[str]] = {}
    for mention in mentions:
        if mention.name not in aliases:
            aliases[mention.name] = []
            (places if mention.kind == PLACE else orgs).append(mention.name)
        surfaces = aliases[mention.name]
        if mention.surface != mention.name and mention.surface not in surfaces:
            surfaces.append(mention.surface)
    return {"places": places, "orgs": orgs, "aliases": aliases}


def article_entities(article) -> dict:
    """``{"places": [...], "orgs": [...], "aliases": {canonical: [other surfaces]}}`` for an
    :class:`~briefing.models.Article`, each name once, in first-mention order."""
    return entities_summary(find_entities(article.text))


def sentence_entities(mentions: Iterable[Mention], start: int, end: int) -> tuple[list[str], list[str]]:
    """Canonical places and organisations mentioned within ``[start, end)`` (a fact's sentence),
    each once, in text order."""
    places: list[str] = []
    orgs: list[str] = []
    for mention in mentions:
        if mention.start >= start and mention.end <= end:
            names = places if mention.kind == PLACE else orgs
            if mention.name not in names:
                names.append(mention.name)
    return places, orgs


def prefecture_of(place: str) -> str | None:
    """The prefecture-level division (盟市) a canonical place name is or lies in, else ``None``.

    Reports break figures down by league-city, so a banner, county or district counts
    under its parent in the gazetteer (达尔罕茂明安联合旗 → 包头市). A municipality (北京市)
    is its own prefecture-level unit; any other province or region is above that level.
    """
    return _prefecture_index().get(place)


@functools.cache
def _prefecture_index() -> dict[str, str]:
    """Every municipality, prefecture and listed county mapped to its prefecture-level unit."""
    places = _read_toml("places.toml")
    index = {name: name for name in places["provinces"] if name.endswith("市")}
    for divisions in places["prefectures"].values():
        index.update({name: name for name in divisions})
    for parent, divisions in places["counties"].items():
        for name in divisions:
            index.setdefault(name, parent)
    return index
