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
from briefing.models import ArticleSummary, WeekDigest

CHINESE_LABELS = "专项资金企业投入签约金额本周无签约数据亿万元（）"


def week_digest(funding=None, signings=None) -> WeekDigest:
    """A digest with just what the charts read: money by category, signings per article."""
    articles = (
        ArticleSummary(1, "s05", "通辽市与中国农业大学签署全面战略合作协议推动科技兴蒙行动落地", dt.date(2020, 12, 14),
                       "通辽市科技局", "", 3),
        ArticleSummary(2, "s06", "乌兰察布市与巴彦淖尔市农牧业科技对接会召开", dt.date(2020, 12, 16), "", "", 2),
    )
    return WeekDigest(
        week="2020-W51", start=dt.date(2020, 12, 14), end=dt.date(2020, 12, 20),
        total_funding_yuan=sum((funding or {}).values()),
        funding_by_category=funding if funding is not None else {"investment": 3.5e8, "funding": 1.2e8},
        signing_count=sum((signings or {}).values()),
        signings_by_article=signings if signings is not None else {1: 8, 2: 12},
        facts_by_category={}, facts_by_kind={}, articles=articles, facts=())


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
    (charts.plot_signings, {"[1] 通辽市与中国农业大学签署全面战略合作协议推动科技兴蒙行动落地": 8, "[2] 对接会": 12}),
    (charts.plot_signings, {}),
    (charts.plot_funding, {}),
])
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
    axes = draw(charts.plot_signings, {}).axes[0]
    assert [t.get_text() for t in axes.texts] == ["本周无签约数据"]
    assert not axes.patches


@pytest.mark.parametrize("title, expected", [
    ("对接会", "对接会"),
    ("通辽市与中国农业大学签署", "通辽市与中国农业大学签\n署"),
    ("通辽市与中国农业大学签署全面战略合作协议推动科技兴蒙", "通辽市与中国农业大学签\n署全面战略合作协议推…"),
])
def test_long_titles_are_wrapped_and_cut(title, expected):
    assert charts.wrap_title(title, line_chars=11, max_lines=2) == expected


def test_render_charts_writes_two_200_dpi_pngs(tmp_path):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        paths = charts.render_charts(week_digest(), tmp_path)
    assert missing_glyph_warnings(caught) == []
    assert paths == {"funding": tmp_path / "funding-2020-W51.png", "signing": tmp_path / "signing-2020-W51.png"}
    for path in paths.values():
        with Image.open(path) as image:
            assert image.format == "PNG"
            assert image.width == round(charts.FIGURE_WIDTH_IN * 200)
            assert image.info["dpi"] == pytest.approx((200, 200), abs=0.5)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["funding-2020-W51.png", "signing-2020-W51.png"]


def test_render_charts_handles_a_week_without_money_or_signings(tmp_path):
    paths = charts.render_charts(week_digest(funding={}, signings={}), tmp_path)
    assert all(path.stat().st_size > 0 for path in paths.values())


def test_signing_chart_labels_articles_by_citation_and_title():
    assert charts.signing_chart_data(week_digest()) == {
        "[1] 通辽市与中国农业大学签署全面战略合作协议推动科技兴蒙行动落地": 8,
        "[2] 乌兰察布市与巴彦淖尔市农牧业科技对接会召开": 12,
    }


@pytest.mark.parametrize("category, kind, label", [
    ("funding", "money", "专项资金"),
    ("investment", "money", "企业投入"),
    ("signing", "money", "签约金额"),
    ("signing", "count", "签约"),
    ("", "percent", "比例"),
])
def test_category_labels(category, kind, label):
    assert charts.category_label(category, kind) == label
