"""Draw the week's charts as PNG files for the Word and Markdown briefing.

Three charts share one style (font, sizes, two colours, spines, value labels):
``funding`` (money by category), ``signing`` (signed items by type) and ``trend``
(funding and signings of the last stored weeks).

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
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import BriefingError
from .files import atomic_path
from .models import WeekDigest, WeekPoint

if TYPE_CHECKING:
    import datetime as dt

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
LINE_COLOR = "#C55A11"
"""The second series' colour (signings on the trend chart): warm against the slate bars, and
still apart from them in grey print."""
TEXT_COLOR = "#262626"
GRID_COLOR = "#D9D9D9"
SPINE_COLOR = "#808080"
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
TREND_HEIGHT_IN = 3.2
TREND_BARS = (0.0, 0.48)
TREND_LINE = (0.6, 0.88)
"""Where 0 and the largest value sit on the trend chart, as fractions of the plot's height:
bars in the lower half, the signing line above them, so the two series' value labels
never sit on each other."""


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
    amounts = {category_label(code, "money"): yuan for code, yuan in data.items() if yuan > 0}
    if not amounts:
        _draw_empty_note(ax, "本周无资金数据")
        return
    values, texts, unit = money_values(list(amounts.values()))
    _draw_bars(ax, list(amounts), values, texts)
    _styled(ax.set_xlabel(f"金额（{unit}）"))


def money_values(yuan: Sequence[float]) -> tuple[list[float], list[str], str]:
    """Amounts in the unit the largest calls for, their value labels and the unit (亿元/万元)."""
    divisor, unit = money_scale(max(yuan, default=0))
    decimals = 2 if unit == "亿元" else 0
    values = [amount / divisor for amount in yuan]
    return values, [f"{value:,.{decimals}f}" for value in values], unit


def plot_signing(ax: Axes, data: Mapping[str, int]) -> None:
    """Horizontal bars of signed items (项) by what was signed (合作协议, 签约项目 …)."""
    counts = {label: count for label, count in data.items() if count > 0}
    if not counts:
        _draw_empty_note(ax, "本周无签约数据")
        return
    _draw_bars(ax, [wrap_title(label) for label in counts], list(counts.values()),
               [str(count) for count in counts.values()])
    _styled(ax.set_xlabel("签约（项）"))
    ax.xaxis.get_major_locator().set_params(integer=True)


def plot_trend(ax: Axes, data: Sequence[WeekPoint]) -> None:
    """Funding bars (left axis) and a signing line (right axis) for the stored weeks, oldest first.

    Weeks are labelled by their Monday (12月14日); a week without stored articles is
    not in ``data``, so the axis never shows a made-up zero.
    """
    points = list(data)
    if not points:
        _draw_empty_note(ax, "暂无各周数据")
        return
    positions = list(range(len(points)))
    funding, texts, unit = money_values([point.funding_yuan for point in points])
    bars = ax.bar(positions, funding, width=0.55, color=BAR_COLOR)
    _styled(*ax.bar_label(bars, texts, padding=2))
    _styled(ax.set_ylabel(f"资金（{unit}）"))
    _span_up_to(ax, max(funding), "left", TREND_BARS)
    _week_axis(ax, [point.start for point in points])
    _sober_axes(ax, grid="y")
    line = _draw_signing_line(ax.twinx(), positions, [point.signing_count for point in points])
    ax.legend([bars, line], [f"资金（{unit}）", "签约（项）"], loc="lower center", bbox_to_anchor=(0.5, 1.0),
              ncols=2, frameon=False, prop=_font(), labelcolor=TEXT_COLOR)


def _week_axis(ax: Axes, mondays: list[dt.date]) -> None:
    """Weeks along x, each named by its Monday (12月14日); one or two weeks stay slim bars."""
    positions = range(len(mondays))
    ax.set_xticks(positions, [f"{day.month}月{day.day}日" for day in mondays], fontproperties=_font(), color=TEXT_COLOR)
    padding = _slot_padding(len(mondays))
    ax.set_xlim(-0.5 - padding, len(mondays) - 0.5 + padding)
    _styled(ax.set_xlabel("周（以周一日期标注）"))


def _slot_padding(bars: int) -> float:
    """Empty bar slots on each side, so a chart is at least :data:`MIN_BAR_SLOTS` bars wide."""
    return (max(bars, MIN_BAR_SLOTS) - bars) / 2


def _draw_signing_line(ax: Axes, positions: list[int], counts: list[int]):
    """Signings as a line with labelled markers on ``ax`` (the right axis), above the bars."""
    line, = ax.plot(positions, counts, color=LINE_COLOR, marker="o", markersize=5, linewidth=1.8)
    for x, count in zip(positions, counts):
        label = ax.annotate(str(count), (x, count), xytext=(0, 5), textcoords="offset points", ha="center", va="bottom")
        _styled(label, color=LINE_COLOR)
    _styled(ax.set_ylabel("签约（项）"), color=LINE_COLOR)
    _span_up_to(ax, max(counts), "right", TREND_LINE, integer=True)
    _sober_axes(ax, grid="", right=True)
    return line


def _span_up_to(ax: Axes, top: float, side: str, band: tuple[float, float], integer: bool = False) -> None:
    """Scale the y axis on ``side`` so 0 to ``top`` fills ``band`` of the height, and draw
    its ticks, spine and title only there.

    Each series of the trend chart owns part of the height (bars below, the line
    above); an axis drawn only along its own part says which numbers belong to which.
    """
    from matplotlib.ticker import MaxNLocator

    top = top or 1
    bottom, upper = band
    span = top / (upper - bottom)
    ax.set_ylim(-bottom * span, (1 - bottom) * span)
    ax.set_yticks([tick for tick in MaxNLocator(nbins=4, integer=integer).tick_values(0, top) if 0 <= tick <= top])
    ax.spines[side].set_bounds(0, top)
    ax.yaxis.label.set_y((bottom + upper) / 2)  # x stays automatic, clear of the tick labels


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
    positions = list(range(len(labels)))
    bars = ax.barh(positions, values, height=0.6, color=BAR_COLOR)
    ax.set_yticks(positions, labels, fontproperties=_font(), color=TEXT_COLOR)
    padding = _slot_padding(len(labels))
    ax.set_ylim(len(labels) - 0.5 + padding, -0.5 - padding)  # first item on top; few bars stay slim
    _styled(*ax.bar_label(bars, value_texts, padding=3))
    ax.set_xlim(0, max(values) * 1.15)
    _sober_axes(ax)


def _font() -> FontProperties:
    """The chart font at the one label size."""
    font = cjk_font().copy()
    font.set_size(LABEL_SIZE)
    return font


def _styled(*texts, color: str = TEXT_COLOR) -> None:
    """The one look of every chart text: value labels, axis titles (font, size, colour)."""
    for text in texts:
        text.set_fontproperties(_font())
        text.set_color(color)


def _sober_axes(ax: Axes, grid: str = "x", right: bool = False) -> None:
    """Office-document look: no box, a light grid behind the bars along ``grid`` ("" for none).

    ``right`` keeps the right spine instead of the left, for a second y axis.
    """
    for side in ("top", "left" if right else "right"):
        ax.spines[side].set_visible(False)
    for side in ("right" if right else "left", "bottom"):
        ax.spines[side].set_color(SPINE_COLOR)
    if grid:
        ax.grid(axis=grid, color=GRID_COLOR, linewidth=0.6)
    ax.set_axisbelow(True)
    ax.tick_params(colors=TEXT_COLOR, labelsize=LABEL_SIZE, labelfontfamily=cjk_font().get_family())


def _draw_empty_note(ax: Axes, note: str) -> None:
    """A centred note instead of an empty plot, so a quiet week still reads well."""
    ax.set_axis_off()
    ax.text(0.5, 0.5, note, ha="center", va="center", transform=ax.transAxes,
            fontproperties=cjk_font(), fontsize=12, color="#808080")


CHART_NAMES = ("funding", "signing", "trend")
"""Every chart a briefing can have, in the order the report shows them."""


def chart_file_name(name: str, week: str) -> str:
    return f"{name}-{week}.png"


def render_charts(digest: WeekDigest, out_dir: Path) -> dict[str, Path]:
    """Draw the charts of ``digest`` that have data into ``out_dir``; return their paths by name.

    Names are ``funding``, ``signing`` and ``trend``; files are ``<name>-<week>.png`` at
    200 dpi, each written atomically. A chart without data (no money, no signings this
    week) is not drawn, so the report can leave it out rather than show an empty frame.
    """
    out_dir = Path(out_dir)
    funding = {code: yuan for code, yuan in digest.funding_by_category.items() if yuan > 0}
    signing = {kind: count for kind, count in digest.signings_by_type.items() if count > 0}
    charts = dict(zip(CHART_NAMES, (
        (plot_funding, funding, _bar_chart_height(len(funding))),
        (plot_signing, signing, _bar_chart_height(len(signing))),
        (plot_trend, digest.trend, TREND_HEIGHT_IN),
    )))
    return {name: _save_chart(plot, data, height, out_dir / chart_file_name(name, digest.week))
            for name, (plot, data, height) in charts.items() if data}


def _bar_chart_height(bars: int) -> float:
    """Inches: a horizontal bar chart grows with its bars, from three up to a page's worth."""
    return min(1.0 + 0.4 * max(bars, MIN_BAR_SLOTS), 8.0)


def _save_chart(plot, data: Mapping | Sequence, height: float, target: Path) -> Path:
    """Draw ``plot(ax, data)`` on a fresh Figure ``height`` inches tall and save it as PNG."""
    from matplotlib.figure import Figure

    figure = Figure(figsize=(FIGURE_WIDTH_IN, height), dpi=DPI, layout="constrained")
    plot(figure.add_subplot(), data)
    with atomic_path(target) as tmp:
        figure.savefig(tmp, format="png", dpi=DPI, facecolor="white")
    return target


class ChartWorker:
    """Draws the charts in a second process, started when the build starts.

    Importing matplotlib and loading its fonts takes about half a second, as long as
    reading the store and aggregating; on a machine with two cores the second process
    does it meanwhile, and draws when the digest is ready. When no second process can
    be started (or it dies), the charts are drawn here, as :func:`render_charts` does.
    """

    def __init__(self) -> None:
        self._pool = None
        try:
            import multiprocessing
            import sys
            from concurrent.futures import ProcessPoolExecutor

            # fork is cheap and safe on Linux; elsewhere (macOS, Windows) a fresh interpreter is started
            context = multiprocessing.get_context("fork" if sys.platform.startswith("linux") else "spawn")
            self._pool = ProcessPoolExecutor(max_workers=1, mp_context=context)
            self._pool.submit(_warm_up)
        except (OSError, ImportError, ValueError, RuntimeError):
            self._pool = None

    def render(self, digest: WeekDigest, out_dir: Path) -> dict[str, Path]:
        """:func:`render_charts` in the second process (here when there is none)."""
        if self._pool is not None:
            try:
                return self._pool.submit(render_charts, digest, out_dir).result(timeout=CHART_TIMEOUT_SECONDS)
            except BriefingError:
                raise
            except Exception:  # the process died, hung, or could not be handed the digest: draw here instead
                self.close(wait=False)
        return render_charts(digest, out_dir)

    def close(self, wait: bool = True) -> None:
        """Stop the second process; without ``wait`` (a failed build) it is ended, not waited for."""
        if self._pool is None:
            return
        if not wait:  # a warm-up still running would hold the exit back by half a second
            for process in list(getattr(self._pool, "_processes", {}).values()):
                process.terminate()
        self._pool.shutdown(wait=wait, cancel_futures=True)
        self._pool = None

    def __enter__(self) -> ChartWorker:
        return self

    def __exit__(self, exc_type, exc, traceback) -> None:
        self.close(wait=exc_type is None)


CHART_TIMEOUT_SECONDS = 120
"""How long the build waits for the second process's charts before drawing them itself."""


def _warm_up() -> None:
    """In the worker, before any chart is asked for: import matplotlib, find the Chinese font and
    draw a throwaway figure with it (the first drawing loads the font file's glyphs)."""
    import io

    from matplotlib.figure import Figure

    figure = Figure(figsize=(1, 1), dpi=DPI)
    figure.text(0.5, 0.5, "科技工作简报 0123456789", fontproperties=cjk_font())
    figure.savefig(io.BytesIO(), format="png")
