"""Draw the week's charts as PNG files for the Word and Markdown briefing.

Each chart is a ``plot_<name>(ax, data)`` helper that draws on a given Axes, so
it can be tried alone in a notebook; :func:`render_charts` builds one
``matplotlib.figure.Figure`` per chart (never pyplot: no global state, and
pyplot's import alone would eat half the build's time budget) and saves it
through :func:`briefing.files.atomic_path`.

matplotlib is imported inside the functions that need it, so importing this
module (compose does, for :data:`CATEGORY_LABELS`) stays instant.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import BriefingError
from .files import atomic_path
from .models import WeekDigest

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.font_manager import FontProperties

CATEGORY_LABELS: dict[str, str] = {
    "funding": "资金",
    "investment": "投入",
    "signing": "签约",
    "project": "项目",
    "platform": "平台",
    "people": "人才",
    "enterprise": "企业",
    "event": "活动",
    "policy": "政策",
    "other": "其他",
}
"""What a category code is called in the report, for any kind of figure."""

MONEY_CATEGORY_LABELS: dict[str, str] = {
    "funding": "专项资金",
    "investment": "企业投入",
    "signing": "签约金额",
    "project": "项目资金",
    "platform": "平台建设资金",
    "people": "人才经费",
    "enterprise": "企业资金",
    "event": "活动经费",
    "policy": "政策奖补标准",
    "other": "其他资金",
}
"""What a category code is called when the figure is an amount of money."""

KIND_LABELS: dict[str, str] = {"money": "金额", "count": "数量", "percent": "比例", "date": "日期"}
"""Label for a figure without a category (percents and dates have none)."""

CJK_FAMILIES = (
    "Noto Sans CJK SC",
    "Source Han Sans SC",
    "Source Han Sans CN",
    "Noto Sans SC",
    "WenQuanYi Micro Hei",
    "WenQuanYi Zen Hei",
    "SimHei",
    "Microsoft YaHei",
    "PingFang SC",
)
"""Installed font families tried for Chinese labels, best first."""

GLYPH_PROBE = "科技工作简报资金亿万元签约项目本周无数据（）—…"
"""Characters a chart font must have; a family name alone does not prove coverage."""

BUNDLED_FONT_PACKAGE = "noto_cjk_sans_otc"
BUNDLED_FONT_FILE = "NotoSansCJK-Regular.ttc"

BAR_COLOR = "#44546A"
TEXT_COLOR = "#262626"
GRID_COLOR = "#D9D9D9"
FIGURE_WIDTH_IN = 6.3
"""Matches the 15 cm the Word template gives a chart, so text is not rescaled."""
DPI = 200
LABEL_SIZE = 10.5
"""Points; 五号, the size of the Word tables next to the charts."""
YI = 100_000_000
WAN = 10_000
MIN_BAR_SLOTS = 3
"""A chart is at least three bars tall, so one or two bars do not turn into slabs."""
TITLE_LINE_CHARS = 12
TITLE_MAX_LINES = 2


def category_label(category: str, kind: str = "count") -> str:
    """The Chinese name of a figure's category, worded for money when it is money."""
    if kind == "money" and category in MONEY_CATEGORY_LABELS:
        return MONEY_CATEGORY_LABELS[category]
    if category in CATEGORY_LABELS:
        return CATEGORY_LABELS[category]
    return KIND_LABELS.get(kind, category or "其他")


@functools.cache
def cjk_font() -> FontProperties:
    """The font for Chinese chart text: an installed CJK font, else the bundled Noto Sans CJK.

    matplotlib's default DejaVu Sans has no Chinese glyphs and draws boxes with a
    "Glyph missing" warning. Every text a chart draws passes this explicitly
    (``fontproperties=``) instead of changing global rcParams, so a caller's own
    plots are left alone. Text objects copy it, so the cached instance is safe.
    """
    from matplotlib import font_manager

    family = _installed_cjk_family(font_manager) or _bundled_cjk_family(font_manager)
    return font_manager.FontProperties(family=family)


def _installed_cjk_family(font_manager) -> str | None:
    """The first of :data:`CJK_FAMILIES` matplotlib knows that has every probe glyph."""
    entries = {entry.name: entry for entry in font_manager.fontManager.ttflist}
    for family in CJK_FAMILIES:
        entry = entries.get(family)
        if entry and _has_glyphs(entry.fname, getattr(entry, "index", 0)):
            return family
    return None


def _bundled_cjk_family(font_manager) -> str:
    """Register the TTC shipped by the ``noto-cjk-sans-otc`` package and name its SC face.

    The file is a collection (JP, KR, SC, TC, HK faces). matplotlib 3.11
    registers every face on ``addfont`` and resolves a family name to a
    ``FontPath`` carrying the face index, so asking for "Noto Sans CJK SC" picks
    the Simplified Chinese glyph shapes; older versions only see face 0 (JP),
    which still covers the characters.
    """
    font_file = _bundled_font_file()
    font_manager.fontManager.addfont(str(font_file))
    faces = {e.name: getattr(e, "index", 0) for e in font_manager.fontManager.ttflist
             if Path(e.fname) == font_file}
    for family in ("Noto Sans CJK SC", "Noto Sans CJK TC", "Noto Sans CJK JP"):
        if family in faces and _has_glyphs(str(font_file), faces[family]):
            return family
    raise BriefingError(f"{font_file}: no face of this font has Chinese glyphs for {GLYPH_PROBE!r}. "
                        f"Reinstall it with: pip install --force-reinstall noto-cjk-sans-otc")


def _bundled_font_file() -> Path:
    """Path of the bundled TTC, or an error saying how to get it back."""
    from importlib import resources

    try:
        font_file = Path(str(resources.files(BUNDLED_FONT_PACKAGE).joinpath(BUNDLED_FONT_FILE)))
    except ModuleNotFoundError:
        font_file = None
    if font_file is None or not font_file.is_file():
        raise BriefingError(
            "No Chinese font found for the charts: none of " + ", ".join(CJK_FAMILIES)
            + f" is installed and the {BUNDLED_FONT_PACKAGE} package is missing. "
            "Install one with: pip install noto-cjk-sans-otc (or apt-get install fonts-noto-cjk).")
    return font_file


def _has_glyphs(font_file: str, face_index: int) -> bool:
    """Whether the font face maps every character of :data:`GLYPH_PROBE` to a glyph."""
    from matplotlib import ft2font

    try:
        face = ft2font.FT2Font(font_file, face_index=face_index)
    except (OSError, RuntimeError, ValueError):
        return False
    return all(face.get_char_index(ord(char)) for char in GLYPH_PROBE)


def money_scale(max_yuan: float) -> tuple[float, str]:
    """Divisor and unit for an axis of money: 亿元 when the largest bar reaches 1亿, else 万元."""
    return (YI, "亿元") if max_yuan >= YI else (WAN, "万元")


def plot_funding(ax: Axes, data: Mapping[str, float]) -> None:
    """Horizontal bars of money by category code (yuan), labelled in Chinese.

    Horizontal bars keep Chinese category names upright and readable.
    """
    font = cjk_font()
    amounts = {category_label(code, "money"): yuan for code, yuan in data.items() if yuan > 0}
    if not amounts:
        _draw_empty_note(ax, "本周无资金数据")
        return
    divisor, unit = money_scale(max(amounts.values()))
    values = [yuan / divisor for yuan in amounts.values()]
    decimals = 2 if unit == "亿元" else 0
    _draw_bars(ax, list(amounts), values, [f"{v:,.{decimals}f}" for v in values])
    ax.set_xlabel(f"金额（{unit}）", fontproperties=font, fontsize=LABEL_SIZE, color=TEXT_COLOR)


def plot_signings(ax: Axes, data: Mapping[str, int]) -> None:
    """Horizontal bars of signed items (项) per label, e.g. ``[3] 通辽市与中国农业大学…``."""
    counts = {label: count for label, count in data.items() if count > 0}
    if not counts:
        _draw_empty_note(ax, "本周无签约数据")
        return
    _draw_bars(ax, [wrap_title(label) for label in counts], list(counts.values()),
               [str(count) for count in counts.values()])
    ax.set_xlabel("签约项目（项）", fontproperties=cjk_font(), fontsize=LABEL_SIZE, color=TEXT_COLOR)
    ax.xaxis.get_major_locator().set_params(integer=True)


def wrap_title(title: str, line_chars: int = TITLE_LINE_CHARS, max_lines: int = TITLE_MAX_LINES) -> str:
    """Cut a long Chinese title into short lines for an axis label, ending in … when cut.

    Chinese has no spaces to wrap at, so the title is cut every ``line_chars`` characters.
    """
    limit = line_chars * max_lines
    if len(title) > limit:
        title = title[: limit - 1] + "…"
    return "\n".join(title[i:i + line_chars] for i in range(0, len(title), line_chars))


def _draw_bars(ax: Axes, labels: list[str], values: list[float], value_texts: list[str]) -> None:
    """The one bar style of the briefing: top to bottom in data order, values at the bar ends."""
    font = cjk_font()
    positions = list(range(len(labels)))
    bars = ax.barh(positions, values, height=0.6, color=BAR_COLOR)
    ax.set_yticks(positions, labels, fontproperties=font, fontsize=LABEL_SIZE, color=TEXT_COLOR)
    padding = (max(len(labels), MIN_BAR_SLOTS) - len(labels)) / 2
    ax.set_ylim(len(labels) - 0.5 + padding, -0.5 - padding)  # first item on top; few bars stay slim
    ax.bar_label(bars, value_texts, padding=3, fontproperties=font, fontsize=LABEL_SIZE, color=TEXT_COLOR)
    ax.set_xlim(0, max(values) * 1.15)
    _sober_axes(ax)


def _sober_axes(ax: Axes) -> None:
    """Office-document look: no box, light vertical grid behind the bars."""
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    for side in ("left", "bottom"):
        ax.spines[side].set_color("#808080")
    ax.grid(axis="x", color=GRID_COLOR, linewidth=0.6)
    ax.set_axisbelow(True)
    ax.tick_params(colors=TEXT_COLOR, labelsize=LABEL_SIZE, labelfontfamily=cjk_font().get_family())


def _draw_empty_note(ax: Axes, note: str) -> None:
    """A centred note instead of an empty plot, so a quiet week still reads well."""
    ax.set_axis_off()
    ax.text(0.5, 0.5, note, ha="center", va="center", transform=ax.transAxes,
            fontproperties=cjk_font(), fontsize=12, color="#808080")


def signing_chart_data(digest: WeekDigest) -> dict[str, int]:
    """Signed items per article, labelled ``[n] title`` in citation order."""
    titles = {article.number: article.title or article.id for article in digest.articles}
    return {f"[{number}] {titles.get(number, '')}".strip(): count
            for number, count in sorted(digest.signings_by_article.items())}


def render_charts(digest: WeekDigest, out_dir: Path) -> dict[str, Path]:
    """Draw the funding and signing charts of ``digest`` into ``out_dir``; return their paths.

    Keys are ``"funding"`` and ``"signing"``; files are ``funding-<week>.png`` and
    ``signing-<week>.png`` at 200 dpi, each written atomically.
    """
    out_dir = Path(out_dir)
    charts = {
        "funding": (plot_funding, dict(digest.funding_by_category)),
        "signing": (plot_signings, signing_chart_data(digest)),
    }
    return {name: _save_chart(plot, data, out_dir / f"{name}-{digest.week}.png")
            for name, (plot, data) in charts.items()}


def _save_chart(plot, data: Mapping, target: Path) -> Path:
    """Draw ``plot(ax, data)`` on a fresh Figure sized to the bar count and save it as PNG."""
    from matplotlib.figure import Figure

    height = min(1.0 + 0.4 * max(len(data), MIN_BAR_SLOTS), 8.0)
    figure = Figure(figsize=(FIGURE_WIDTH_IN, height), dpi=DPI, layout="constrained")
    plot(figure.add_subplot(), data)
    with atomic_path(target) as tmp:
        figure.savefig(tmp, format="png", dpi=DPI, facecolor="white")
    return target
