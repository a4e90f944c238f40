"""The data model that flows one way through the stages.

ingest → :class:`Article`; extract → :class:`Fact`; aggregate → :class:`WeekDigest`;
compose → :class:`Report`. All are frozen so no stage can change what an earlier
stage handed it; a stage that needs a different value builds a new object.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

FACT_KINDS = ("money", "count", "percent", "date")
QUALIFIERS = ("", "over", "more_than", "nearly", "about")
CATEGORIES = (
    "funding",
    "investment",
    "signing",
    "project",
    "platform",
    "people",
    "enterprise",
    "event",
    "policy",
    "other",
)


@dataclass(frozen=True)
class TableCell:
    """One data cell of a table inside an article's text.

    Table cells are bare numbers whose unit lives in the column header
    ("支持资金（万元）"), so the extractor needs the header beside the cell.
    """

    start: int
    """Offset of the cell's first character in :attr:`Article.text`."""
    end: int
    """Offset just past the cell's last character."""
    header: str
    """Text of the column header cell above it ("" when the table has none)."""
    row_label: str = ""
    """Text of the row's first cell ("合计" marks a totals row)."""


@dataclass(frozen=True)
class Article:
    """One news article as read from a file, before any figure is found."""

    id: str
    """The file stem (``s01_baotou_cas_rare_earth``); unique within one inputs folder."""
    path: str
    """The file it was read from, as given."""
    title: str
    """The article's headline ("" when none could be found)."""
    text: str
    """What a reader sees: the title line, a blank line, then the body paragraphs
    separated by blank lines (docx tables as one tab-separated line per row).
    Page chrome (site line, publish-time line, navigation, footers) is not in it.
    Every :class:`Fact` offset indexes this string."""
    published: dt.datetime | None = None
    """Publish time from the page's own metadata; ``None`` when the page gives none."""
    source: str = ""
    """The publishing site or office (来源), when the page names it."""
    url: str = ""
    """The canonical URL, when the page has one."""
    encoding: str = ""
    """The text encoding the file was decoded with (``gbk``, ``utf-8``, ``docx``)."""
    cells: tuple[TableCell, ...] = ()
    """Table data cells, in text order, for tables carried in :attr:`text`."""
    duplicate_of: str | None = None
    """Id of the earlier article this one republishes, set when near-duplicates are linked."""

    @property
    def body_start(self) -> int:
        """Offset where the body begins (after the title line and its blank line)."""
        return len(self.title) + 2 if self.title and self.text.startswith(self.title) else 0

    @property
    def iso_week(self) -> str | None:
        """ISO week of publication as ``2020-W51``, or ``None`` when undated."""
        if self.published is None:
            return None
        year, week, _ = self.published.isocalendar()
        return f"{year}-W{week:02d}"


@dataclass(frozen=True, slots=True)
class Fact:
    """One figure found in an article, traceable to the sentence it came from."""

    article_id: str
    """:attr:`Article.id` of the article it was found in."""
    kind: str
    """``money`` | ``count`` | ``percent`` | ``date``."""
    surface: str
    """Exactly ``article.text[start:end]``, qualifier words included (``超过2.3亿元``)."""
    value: float | int | str
    """Money in the currency's base unit, counts and percents as numbers, dates as
    ISO strings (``2020-12-11``, ``2020-11`` for a month, ``XXXX-05-23`` when the
    year is unknowable)."""
    unit: str
    """``CNY``/``USD``/... for money, the measure word for counts, ``%`` for percents,
    ``""`` for dates."""
    qualifier: str
    """``""`` | ``over`` | ``more_than`` | ``nearly`` | ``about``."""
    category: str
    """For money and counts, what the figure is about (see :data:`CATEGORIES`); ``""`` otherwise."""
    sentence: str
    """The sentence the figure stands in, for the reader to check it."""
    start: int
    """Offset of the first character of :attr:`surface` in the article text."""
    end: int
    """Offset just past the last character of :attr:`surface`."""
    row_label: str = ""
    """For a table cell, the row's first cell; ``合计``/``总计`` rows repeat other figures."""
    places: tuple[str, ...] = ()
    """Canonical names of the places named in the fact's sentence (呼和浩特市), in text order."""
    orgs: tuple[str, ...] = ()
    """Canonical names of the organisations named in the fact's sentence, in text order."""

    def as_json(self) -> dict:
        """The fact in the shape of the gold file (``samples/README.md``)."""
        return {
            "kind": self.kind,
            "surface": self.surface,
            "value": self.value,
            "unit": self.unit,
            "qualifier": self.qualifier,
            "category": self.category,
            "sentence": self.sentence,
            "start": self.start,
            "end": self.end,
            "places": list(self.places),
            "orgs": list(self.orgs),
        }


@dataclass(frozen=True)
class SkippedFile:
    """An input file that could not be read, and why; listed in the report's appendix."""

    path: str
    reason: str


@dataclass(frozen=True)
class ArticleSummary:
    """One source article as the report lists it."""

    number: int
    """Citation number in the report ([1], [2], ...)."""
    id: str
    title: str
    published: dt.date | None
    source: str
    url: str
    fact_count: int
    """Every fact found in the article, dates included."""
    duplicate_of: str | None = None
    lead: str = ""
    """The body's first sentence, cut to about 80 characters with …, for listing an article
    that has no figures ("其他动态")."""
    figure_count: int = 0
    """Money, count and percent facts (dates are not figures): 0 means a story without numbers."""


@dataclass(frozen=True)
class FactRow:
    """One figure as the report's table shows it."""

    article_number: int
    kind: str
    category: str
    surface: str
    value: float | int | str
    unit: str
    qualifier: str
    sentence: str
    counted: bool
    """False when the figure is not summed in the totals: it repeats or is part of
    another figure, or is a period statistic rather than this week's news."""
    start: int = 0
    """Offset of the figure in its article's text (orders rows within an article)."""
    note: str = ""
    """Why the figure is not in the totals ("" when it is); see ``lexicons/counting.toml``."""
    places: tuple[str, ...] = ()
    """:attr:`Fact.places`: canonical places named in the figure's sentence, in text order."""
    orgs: tuple[str, ...] = ()
    """:attr:`Fact.orgs`: canonical organisations named in the figure's sentence, in text order."""


@dataclass(frozen=True)
class WeekPoint:
    """One stored week of the trend: the headline totals its own digest would report."""

    week: str
    """ISO week, ``2020-W51``."""
    start: dt.date
    """Monday of the week (the chart labels the week by it: 12月14日)."""
    funding_yuan: float
    """:attr:`WeekDigest.total_funding_yuan` of that week."""
    signing_count: int
    """:attr:`WeekDigest.signing_count` of that week."""
    article_count: int
    """Stored articles published that week, reposts included."""


@dataclass(frozen=True)
class PlaceRow:
    """The week's counted figures whose sentence names one prefecture-level place (盟市).

    A sentence naming two league-cities puts its figure in both rows, so rows overlap
    and must not be summed; the week's totals are in :class:`WeekDigest`.
    """

    place: str
    """Canonical name of a league, prefecture-level city or municipality (包头市, 兴安盟, 北京市);
    a county, banner or district named in the sentence is counted under it."""
    funding_yuan: float
    """Counted money (the funding total's facts) whose sentence names the place, yuan."""
    signing_count: int
    """Counted signed items (项/份) whose sentence names the place."""
    fact_count: int
    """Counted headline figures naming the place: money, signings, projects and platforms,
    so a row can have figures but no money or signings (a platform built there)."""
    article_numbers: tuple[int, ...]
    """Citation numbers of the articles those figures come from, ascending."""


@dataclass(frozen=True)
class PartnerRow:
    """The week's counted figures whose sentence names one organisation (a partner).

    Like :class:`PlaceRow`: a sentence naming several organisations puts its figure in
    each of their rows, so rows overlap and must not be summed.
    """

    org: str
    """Canonical organisation name (中国农业科学院, 包头市人民政府)."""
    funding_yuan: float
    """Counted money whose sentence names the organisation, yuan."""
    signing_count: int
    """Counted signed items whose sentence names the organisation."""
    fact_count: int
    """Counted headline figures naming it: money, signings, projects and platforms."""
    article_numbers: tuple[int, ...]
    """Citation numbers of the articles those figures come from, ascending."""


@dataclass(frozen=True)
class WeekDigest:
    """Everything the report says about one ISO week, already computed."""

    week: str
    """ISO week, ``2020-W51``."""
    start: dt.date
    """Monday of the week."""
    end: dt.date
    """Sunday of the week."""
    total_funding_yuan: float
    """Sum of the week's counted money facts, in yuan (all money categories)."""
    funding_by_category: dict[str, float]
    """Counted money facts by category, yuan, largest first."""
    signing_count: int
    """Sum of counted signing facts in 项/份 (agreements and projects signed; 家/个 count the parties)."""
    signings_by_article: dict[int, int]
    """Signing items per article citation number."""
    facts_by_category: dict[str, int]
    """Number of facts per category (money and counts) in the week."""
    facts_by_kind: dict[str, int]
    """Number of facts per kind."""
    articles: tuple[ArticleSummary, ...]
    """The week's articles, in citation order."""
    facts: tuple[FactRow, ...]
    """Every figure of the week, in article then text order."""
    previous_week: str | None = None
    """The ISO week before, when any article of it was read."""
    previous_total_funding_yuan: float | None = None
    """:attr:`total_funding_yuan` of the week before; ``None`` when no article of it is stored."""
    previous_signing_count: int | None = None
    """:attr:`signing_count` of the week before; ``None`` when no article of it is stored."""
    skipped: tuple[SkippedFile, ...] = ()
    """Input files that could not be read in this run."""
    project_count: int = 0
    """Sum of counted project counts in 项/个 (科技计划项目46项, 攻关项目3个), by the
    signings' rules: per article the largest of each measure word, no reposts or period
    statistics. The report says 项."""
    platform_count: int = 0
    """Sum of counted platform counts in 个/家/项 (研发平台2个, 共建创新平台8项), by the
    signings' rules. The report says 个."""
    previous_project_count: int | None = None
    """:attr:`project_count` of the week before; ``None`` when no article of it is stored."""
    previous_platform_count: int | None = None
    """:attr:`platform_count` of the week before; ``None`` when no article of it is stored."""
    trend: tuple[WeekPoint, ...] = ()
    """This week and up to 7 stored weeks before it, oldest first; a week without a stored
    article is left out (no data is not zero)."""
    by_place: tuple[PlaceRow, ...] = ()
    """Counted figures by prefecture-level place named in their sentences, largest funding,
    then signings, first. Rows overlap (one sentence, two league-cities): do not sum them.
    Figures whose sentence names no such place are in no row."""
    by_partner: tuple[PartnerRow, ...] = ()
    """Counted figures by organisation named in their sentences, largest first; rows overlap."""
    signings_by_type: dict[str, int] = field(default_factory=dict)
    """Counted signed items by what was signed (合作协议, 技术合同, 签约项目, 共建平台, 其他),
    from the words beside the figure (``[signing_types]`` in ``lexicons/counting.toml``);
    largest first, 其他 last. Sums to :attr:`signing_count`."""


@dataclass(frozen=True)
class Report:
    """The files one build wrote."""

    week: str
    docx: str
    markdown: str
    charts: tuple[str, ...] = field(default=())
    pdf: str | None = None
    """The PDF, when ``--pdf`` asked for one."""
