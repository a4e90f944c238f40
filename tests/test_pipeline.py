"""End to end through the Python API: the sample inputs become a Word and a Markdown briefing."""

from __future__ import annotations

import datetime as dt
import shutil
from dataclasses import replace
from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn

from briefing import aggregate
from briefing.compose import format_money
from briefing.config import ReportSettings, Settings
from briefing.errors import BriefingError
from briefing.pipeline import build
from briefing.store import Store

ROOT = Path(__file__).resolve().parent.parent
INPUTS = ROOT / "inputs"
TODAY = dt.date(2020, 12, 28)


@pytest.fixture(scope="module")
def week52(tmp_path_factory):
    out = tmp_path_factory.mktemp("outputs")
    result = build(Settings(inputs=INPUTS, out=out, db=out / "briefing.db", today=TODAY))
    with Store.open(out / "briefing.db") as store:
        articles = store.articles()
        digest = aggregate.digest_week(articles, store.facts(a.id for a in articles), "2020-W52")
    return result, digest


def document_text(document) -> str:
    cells = (cell.text for table in document.tables for row in table.rows for cell in row.cells)
    return "\n".join([p.text for p in document.paragraphs] + list(cells))


def figure_table(document):
    """The table that lists every figure (its header row names the 原句 column)."""
    return next(t for t in document.tables if any("原句" in c.text for c in t.rows[0].cells))


def test_latest_week_is_built_by_default(week52):
    result, _ = week52
    assert result.report.week == "2020-W52"
    assert result.articles_read == 12 and result.clean
    assert Path(result.report.docx).name == "briefing-2020-W52.docx"
    assert Path(result.report.markdown).name == "briefing-2020-W52.md"


def test_docx_has_title_dates_and_headline_figures(week52):
    result, digest = week52
    text = document_text(docx.Document(result.report.docx))
    assert "科技工作简报" in text
    assert "12月21日" in text and "12月27日" in text
    assert format_money(digest.total_funding_yuan) in text
    assert str(digest.signing_count) in text


def test_docx_figure_table_has_one_row_per_fact_with_its_source(week52):
    result, digest = week52
    table = figure_table(docx.Document(result.report.docx))
    rows = [[c.text for c in row.cells] for row in table.rows[1:]]
    assert len(rows) == len(digest.facts) == result.fact_count
    row_text = ["|".join(r) for r in rows]
    for surface in ["25086.67万元", "约1.35亿元", "３３０餘項", "3.2亿元", "1.5万平方米"]:
        assert any(surface in r for r in row_text), surface
    assert all(any(f"[{n}]" in cell for cell in row) for row, n in zip(rows, (f.article_number for f in digest.facts)))


def test_docx_has_both_charts_inline(week52):
    result, _ = week52
    document = docx.Document(result.report.docx)
    assert len(document.inline_shapes) == 3  # funding, signing, trend


def test_docx_lists_the_source_articles(week52):
    result, digest = week52
    text = document_text(docx.Document(result.report.docx))
    for article in digest.articles:
        assert article.title in text


def test_docx_styles_set_an_east_asian_font(week52):
    result, _ = week52
    document = docx.Document(result.report.docx)
    normal = document.styles["Normal"].element
    fonts = normal.find(qn("w:rPr")).find(qn("w:rFonts"))
    assert fonts is not None and fonts.get(qn("w:eastAsia"))


def test_markdown_has_figures_charts_and_sources(week52):
    result, digest = week52
    markdown = Path(result.report.markdown).read_text(encoding="utf-8")
    assert markdown.startswith("# 科技工作简报")
    for name in ("funding", "signing", "trend"):
        assert f"({name}-2020-W52.png)" in markdown
    assert format_money(digest.total_funding_yuan) in markdown
    for article in digest.articles:
        assert article.title in markdown
    table_rows = [line for line in markdown.split("## 附表")[1].splitlines() if line.startswith("| ") and "[" in line]
    assert len(table_rows) == len(digest.facts)
    assert "2020年12月28日印发" in markdown


def test_charts_are_written_beside_the_documents(week52):
    result, _ = week52
    folder = Path(result.report.docx).parent
    assert sorted(p.name for p in folder.glob("*.png")) == ["funding-2020-W52.png", "signing-2020-W52.png", "trend-2020-W52.png"]


def test_an_earlier_week_compares_with_the_week_before(tmp_path):
    result = build(Settings(inputs=INPUTS, out=tmp_path, db=tmp_path / "briefing.db", week="2020-W51", today=TODAY))
    markdown = Path(result.report.markdown).read_text(encoding="utf-8")
    assert result.report.week == "2020-W51"
    assert "上周" in markdown
    # s07 republishes s06: it is listed, but its figures are not summed again
    assert "转载" in markdown or "重复" in markdown


def test_issue_numbers_are_kept_per_week_and_can_be_set_by_hand(tmp_path):
    settings = Settings(inputs=INPUTS, out=tmp_path, db=tmp_path / "briefing.db", today=TODAY)

    def issue_line(week: str, **changes) -> str:
        result = build(replace(settings, week=week, **changes))
        return docx.Document(result.report.docx).paragraphs[1].text

    assert issue_line("2020-W51") == "第1期"
    assert issue_line("2020-W52") == "第2期"
    assert issue_line("2020-W51") == "第1期"  # a rebuild keeps its number
    assert issue_line("2020-W52", issue=7) == "第7期"
    assert issue_line("2020-W52") == "第7期"
    report = ReportSettings(unit="赤峰市科技局", cumulative=True)
    assert issue_line("2020-W52", report=report) == "第7期（总第2期）"


def test_a_rebuild_on_another_day_prints_the_issue_date_it_was_first_built_with(tmp_path):
    settings = Settings(inputs=INPUTS, out=tmp_path, db=tmp_path / "briefing.db", today=TODAY,
                        report=ReportSettings(unit="赤峰市科技局"))
    first = Path(build(settings).report.markdown).read_bytes()
    again = Path(build(replace(settings, today=TODAY + dt.timedelta(days=3))).report.markdown).read_bytes()
    assert first == again and "2020年12月28日印发".encode() in again


def test_pdf_is_refused_up_front_with_install_advice_when_libreoffice_is_missing(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    with pytest.raises(BriefingError, match="apt-get install libreoffice-writer"):
        build(Settings(inputs=INPUTS, out=tmp_path / "out", db=tmp_path / "briefing.db", pdf=True, today=TODAY))
    assert not (tmp_path / "out").exists() and not (tmp_path / "briefing.db").exists()


@pytest.mark.skipif(not (shutil.which("soffice") or shutil.which("libreoffice")), reason="LibreOffice is not installed")
def test_pdf_is_written_beside_the_documents_through_libreoffice(tmp_path):
    result = build(Settings(inputs=INPUTS, out=tmp_path, db=tmp_path / "briefing.db", pdf=True, today=TODAY))
    pdf = Path(result.report.pdf)
    assert pdf.name == "briefing-2020-W52.pdf" and pdf.read_bytes().startswith(b"%PDF")
    assert sorted(p.suffix for p in pdf.parent.iterdir()) == [".docx", ".md", ".pdf", ".png", ".png", ".png"]


def test_a_rebuild_without_pdf_removes_the_last_runs_pdf(tmp_path):
    settings = Settings(inputs=INPUTS, out=tmp_path, db=tmp_path / "briefing.db", today=TODAY)
    stale = tmp_path / "2020-W52" / "briefing-2020-W52.pdf"
    stale.parent.mkdir()
    stale.write_bytes(b"%PDF of an earlier build")
    result = build(settings)
    assert result.report.pdf is None and not stale.exists()
