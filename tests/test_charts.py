"""Charts: Chinese labels draw with a real CJK font, files are real 200-dpi PNGs, quiet weeks work."""

from __future__ import annotations

import datetime as dt
import warnings

import pytest
from matplotlib import font_manager, ft2font
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from PIL import Image

from briefing import charts
from briefing.models import ArticleSummary, WeekDigest, WeekPoint

CHINESE_LABELS = "专项资金企业投入签约金额本周无签约数据亿万元（）合作协议技术合同共建平台周一日期标注"
SIGNINGS_BY_TYPE = {"签约项目": 12, "合作协议": 8}


def week_point(week: int, yuan: float, signed: int) -> WeekPoint:
    monday = dt.date(2020, 12, 14) + dt.timedelta(weeks=week - 51)
    return WeekPoint(f"2020-W{week}", monday, yuan, signed, 3)


TREND = tuple(week_point(44 + i, yuan, signed) for i, (yuan, signed) in enumerate(
    [(2.1e8, 12), (0, 0), (5.78e8, 36), (1.99e8, 15), (7.06e8, 17), (3.3e8, 0), (12.5e8, 5), (4.7e8, 20)]))
"""Eight stored weeks, 2020-W44 … W51, with a week of nothing and weeks without signings."""


def week_digest(funding=None, signings=None, trend=TREND[-3:]) -> WeekDigest:
    """A digest with just what the charts read: money by category, signings by type, the trend."""
    articles = (
        ArticleSummary(1, "s05", "通辽市与中国农业大学签署全面战略合作协议推动科技兴蒙行动落地", dt.date(2020, 12, 14),
                       "通辽市科技局", "", 3),
        ArticleSummary(2, "s06", "乌兰察布市与巴彦淖尔市农牧业科技对接会召开", dt.date(2020, 12, 16), "", "", 2),
    )
    signings = signings if signings is not None else SIGNINGS_BY_TYPE
    return WeekDigest(
        week="2020-W51", start=dt.date(2020, 12, 14), end=dt.date(2020, 12, 20),
        total_funding_yuan=sum((funding or {}).values()),
        funding_by_category=funding if funding is not None else {"investment": 3.5e8, "funding": 1.2e8},
        signing_count=sum(signings.values()), signings_by_article={1: sum(signings.values())} if signings else {},
        facts_by_category={}, facts_by_kind={}, articles=articles, facts=(),
        signings_by_type=signings, trend=trend)


def draw(plot, data) -> Figure:
    """Draw one plot helper on a fresh Figure and render it, as savefig would."""
    figure = Figure(figsize=(6.3, 2.5))
    plot(figure.add_subplot(), data)
    FigureCanvasAgg(figure).draw()
    return figure


def missing_glyph_warnings(caught) -> list[str]:
    return [str(w.message) for w in caught if "missing from font" in str(w.message)]


def test_the_warning_check_catches_a_font_without_chinese():
    """Guards the tests below: DejaVu Sans (matplotlib's default) does warn on Chinese."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        figure = Figure()
        figure.add_subplot().set_title("资金")
        FigureCanvasAgg(figure).draw()
    assert missing_glyph_warnings(caught)


def test_cjk_font_resolves_to_a_face_with_chinese_glyphs():
    found = font_manager.findfont(charts.cjk_font(), fallback_to_default=False)
    face = ft2font.FT2Font(found, face_index=getattr(found, "face_index", 0))
    assert all(face.get_char_index(ord(char)) for char in CHINESE_LABELS)
    assert "CJK" in face.family_name or face.family_name in charts.CJK_FAMILIES


@pytest.mark.parametrize("plot, data", [
    (charts.plot_funding, {"funding": 1.2e8, "investment": 3.5e8, "signing": 1.35e8}),
    (charts.plot_funding, {"funding": 3.6e7}),
    (charts.plot_signing, {"签约项目": 12, "合作协议": 8, "技术合同": 3, "共建平台": 2, "其他": 1}),
    (charts.plot_signing, {"通辽市与中国农业大学签署全面战略合作协议推动科技兴蒙行动落地": 8}),
    (charts.plot_signing, {}),
    (charts.plot_funding, {}),
    (charts.plot_trend, TREND),
    (charts.plot_trend, TREND[-1:]),
    (charts.plot_trend, ()),
], ids=["funding", "funding-wan", "signing", "signing-long-label", "signing-empty", "funding-empty",
        "trend", "trend-one-week", "trend-empty"])
def test_chinese_labels_draw_without_missing_glyph_warnings(plot, data):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        draw(plot, data)
    assert missing_glyph_warnings(caught) == []


def test_funding_axis_is_in_yi_when_large_and_wan_when_small():
    large = draw(charts.plot_funding, {"funding": 1.2e8, "investment": 3.5e8}).axes[0]
    small = draw(charts.plot_funding, {"funding": 3.6e7}).axes[0]
    assert large.get_xlabel() == "金额（亿元）"
    assert [t.get_text() for t in large.texts] == ["1.20", "3.50"]
    assert small.get_xlabel() == "金额（万元）"
    assert [t.get_text() for t in small.texts] == ["3,600"]


def test_funding_bars_are_labelled_with_chinese_category_names():
    axes = draw(charts.plot_funding, {"funding": 1.2e8, "investment": 3.5e8, "zero": 0}).axes[0]
    assert [t.get_text() for t in axes.get_yticklabels()] == ["专项资金", "企业投入"]


def test_empty_signings_draw_a_note_instead_of_bars():
    axes = draw(charts.plot_signing, {}).axes[0]
    assert [t.get_text() for t in axes.texts] == ["本周无签约数据"]
    assert not axes.patches


def test_signing_bars_are_the_types_in_the_digest_order_with_their_counts():
    axes = draw(charts.plot_signing, {"签约项目": 12, "合作协议": 8, "其他": 0}).axes[0]
    assert [t.get_text() for t in axes.get_yticklabels()] == ["签约项目", "合作协议"]
    assert [t.get_text() for t in axes.texts] == ["12", "8"]
    assert axes.get_xlabel() == "签约（项）"


def test_trend_has_funding_bars_left_signing_line_right_and_a_legend():
    bars, line = draw(charts.plot_trend, TREND).axes
    assert [t.get_text() for t in bars.get_xticklabels()] == [
        "10月26日", "11月2日", "11月9日", "11月16日", "11月23日", "11月30日", "12月7日", "12月14日"]
    assert bars.get_ylabel() == "资金（亿元）" and line.get_ylabel() == "签约（项）"
    assert [t.get_text() for t in bars.texts] == ["2.10", "0.00", "5.78", "1.99", "7.06", "3.30", "12.50", "4.70"]
    assert [t.get_text() for t in line.texts] == ["12", "0", "36", "15", "17", "0", "5", "20"]
    assert list(line.lines[0].get_ydata()) == [12, 0, 36, 15, 17, 0, 5, 20]
    assert [t.get_text() for t in bars.get_legend().get_texts()] == ["资金（亿元）", "签约（项）"]


def test_trend_line_stays_above_the_bars_so_labels_never_collide():
    bars, line = draw(charts.plot_trend, TREND).axes
    tallest_bar_top = bars.transData.transform((0, 12.5))[1]
    line_zero = line.transData.transform((0, 0))[1]
    assert line_zero > tallest_bar_top + 20  # pixels: room for the bar's value label
    assert min(line.get_yticks()) == 0 and max(bars.get_yticks()) <= 12.5


def test_trend_of_one_small_week_is_one_slim_bar_in_wan_yuan():
    bars, line = draw(charts.plot_trend, (week_point(51, 4.0e7, 3),)).axes
    assert len(bars.patches) == 1 and bars.patches[0].get_width() < 0.6
    assert bars.get_xlim()[1] - bars.get_xlim()[0] == pytest.approx(charts.MIN_BAR_SLOTS)
    assert bars.get_ylabel() == "资金（万元）" and [t.get_text() for t in bars.texts] == ["4,000"]
    assert [t.get_text() for t in line.texts] == ["3"]


@pytest.mark.parametrize("title, expected", [
    ("对接会", "对接会"),
    ("通辽市与中国农业大学签署", "通辽市与中国农业大学签\n署"),
    ("通辽市与中国农业大学签署全面战略合作协议推动科技兴蒙", "通辽市与中国农业大学签\n署全面战略合作协议推…"),
])
def test_long_titles_are_wrapped_and_cut(title, expected):
    assert charts.wrap_title(title, line_chars=11, max_lines=2) == expected


def non_white_share(path) -> float:
    """Share of pixels that are not (nearly) white: drawn bars, lines and text."""
    with Image.open(path) as image:
        grey = image.convert("L")
        histogram = grey.histogram()
    return 1 - sum(histogram[250:]) / (grey.width * grey.height)


def test_render_charts_writes_three_200_dpi_pngs(tmp_path):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        paths = charts.render_charts(week_digest(trend=TREND), tmp_path)
    assert missing_glyph_warnings(caught) == []
    assert paths == {name: tmp_path / f"{name}-2020-W51.png" for name in ("funding", "signing", "trend")}
    for path in paths.values():
        with Image.open(path) as image:
            assert image.format == "PNG"
            assert image.width == round(charts.FIGURE_WIDTH_IN * 200)
            assert image.height >= 2 * 200
            assert image.info["dpi"] == pytest.approx((200, 200), abs=0.5)
        assert 0.02 < non_white_share(path) < 0.5
    assert sorted(p.name for p in tmp_path.iterdir()) == ["funding-2020-W51.png", "signing-2020-W51.png", "trend-2020-W51.png"]


def test_render_charts_skips_a_chart_without_data(tmp_path):
    paths = charts.render_charts(week_digest(funding={}, signings={}), tmp_path)
    assert list(paths) == ["trend"]
    assert charts.render_charts(week_digest(funding={"funding": 0.0}, signings={}, trend=()), tmp_path / "none") == {}


def test_trend_of_a_single_week_is_still_drawn(tmp_path):
    paths = charts.render_charts(week_digest(trend=TREND[-1:]), tmp_path)
    assert non_white_share(paths["trend"]) > 0.02


@pytest.mark.parametrize("category, kind, label", [
    ("funding", "money", "专项资金"),
    ("investment", "money", "企业投入"),
    ("signing", "money", "签约金额"),
    ("signing", "count", "签约"),
    ("", "percent", "比例"),
])
def test_category_labels(category, kind, label):
    assert charts.category_label(category, kind) == label


def test_the_chart_worker_draws_the_same_charts_in_a_second_process(tmp_path):
    digest = week_digest(trend=TREND)
    with charts.ChartWorker() as worker:
        assert worker._pool is not None  # a second process runs on this machine
        drawn = worker.render(digest, tmp_path / "worker")
    here = charts.render_charts(digest, tmp_path / "here")
    assert {name: path.name for name, path in drawn.items()} == {name: path.name for name, path in here.items()}
    for name, path in drawn.items():
        with Image.open(path) as worker_image, Image.open(here[name]) as own_image:
            assert worker_image.size == own_image.size
            assert worker_image.convert("L").tobytes() == own_image.convert("L").tobytes()


def test_the_chart_worker_draws_here_when_its_process_dies(tmp_path):
    import os

    with charts.ChartWorker() as worker:
        worker._pool.submit(os._exit, 1)  # the second process is killed
        paths = worker.render(week_digest(trend=TREND), tmp_path)
    assert sorted(paths) == ["funding", "signing", "trend"]
    assert all(path.exists() for path in paths.values())
