"""Compose: one context, two formats, templates found along one search path, no half-written files."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn

from briefing import compose
from briefing.charts import render_charts
from briefing.errors import TemplateError
from briefing.models import ArticleSummary, FactRow, PartnerRow, PlaceRow, SkippedFile, WeekDigest, WeekPoint

TODAY = dt.date(2020, 12, 21)
AWKWARD_TITLE = "对接会召开 | 签约*项目* <12项> & 更多"


def week_digest(**changes) -> WeekDigest:
    """Week 51 of the samples, shortened: three articles (one a repost), six figures, one unreadable file."""
    articles = (
        ArticleSummary(1, "s05_tongliao_cau_agreement", "通辽市与中国农业大学签署全面战略合作协议",
                       dt.date(2020, 12, 14), "通辽市科技局", "http://kjt.example.cn/a/1.html", 3, figure_count=3),
        ArticleSummary(2, "s06_ulanqab_bayannur_agri_docking", "乌兰察布市与巴彦淖尔市农牧业科技对接会召开",
                       dt.date(2020, 12, 16), "乌兰察布日报", "http://example.cn/b?x=1&y=2", 2, figure_count=2),
        ArticleSummary(3, "s07_ulanqab_bayannur_agri_docking_repost", "乌兰察布市与巴彦淖尔市农牧业科技对接会召开",
                       dt.date(2020, 12, 17), "北疆农牧网", "http://repost.example.cn/c", 1,
                       duplicate_of="s06_ulanqab_bayannur_agri_docking", figure_count=1),
        ArticleSummary(4, "s13_visit", "自治区科技厅调研组赴通辽市调研", dt.date(2020, 12, 18), "通辽市科技局", "", 1,
                       lead="12月18日，自治区科技厅调研组赴通辽市调研科技创新工作。", figure_count=0),
    )
    facts = (
        FactRow(1, "money", "funding", "约1.2亿元", 1.2e8, "CNY", "about",
                "通辽市将安排专项资金约1.2亿元，支持双方共建科技创新平台。", True, places=("通辽市",)),
        FactRow(1, "count", "people", "近60人", 60, "人", "nearly", "中国农业大学派出专家团队近60人。", True),
        FactRow(1, "percent", "", "12.5%", 12.5, "%", "", "全市农牧业增加值增长12.5%。", True),
        FactRow(2, "money", "investment", "3.5亿元", 3.5e8, "CNY", "", "带动企业投入3.5亿元。", True),
        FactRow(2, "count", "signing", "12项", 12, "项", "", "现场签约项目12项。", True),
        FactRow(2, "count", "signing", "12项", 12, "项", "", "乌兰察布市\t12项", False, note="表格合计行"),
        FactRow(3, "count", "signing", "12项", 12, "项", "", "现场签约项目12项。", False,
                note="转载自 s02，不重复计入"),
    )
    fields = dict(
        week="2020-W51", start=dt.date(2020, 12, 14), end=dt.date(2020, 12, 20),
        total_funding_yuan=4.7e8, funding_by_category={"investment": 3.5e8, "funding": 1.2e8},
        signing_count=12, signings_by_article={2: 12},
        facts_by_category={"funding": 1, "investment": 1, "people": 1, "signing": 2},
        facts_by_kind={"money": 2, "count": 3, "percent": 1},
        articles=articles, facts=facts,
        previous_week="2020-W50", previous_total_funding_yuan=3.2e8, previous_signing_count=8,
        skipped=(SkippedFile("inputs/broken.docx", "not a Word file (zip header missing)"),),
        project_count=5, previous_project_count=5, platform_count=2, previous_platform_count=None,
        signings_by_type={"签约项目": 12},
        trend=(WeekPoint("2020-W50", dt.date(2020, 12, 7), 3.2e8, 8, 5), WeekPoint("2020-W51", dt.date(2020, 12, 14), 4.7e8, 12, 4)),
        by_place=(PlaceRow("通辽市", 1.2e8, 0, 1, (1,)), PlaceRow("乌兰察布市", 0, 12, 1, (2,))),
        by_partner=(PartnerRow("中国农业大学", 1.2e8, 0, 1, (1,)),),
    )
    fields.update(changes)
    return WeekDigest(**fields)


def with_awkward_title(digest: WeekDigest) -> WeekDigest:
    """The same week with a title full of Markdown and XML metacharacters and a line break."""
    first, *rest = digest.articles
    awkward = ArticleSummary(first.number, first.id, AWKWARD_TITLE.replace("更多", "\n更多"), first.published,
                             "来源 <a&b>", first.url, first.fact_count)
    facts = (FactRow(1, "count", "signing", "12项", 12, "项", "", "签约 | 12项 * 见<表> & 注\n下一行", True),)
    return week_digest(articles=(awkward, *rest), facts=digest.facts + facts)


def builtin(name: str) -> Path:
    return compose.find_template(name, [compose.builtin_templates_dir()])


@pytest.fixture
def digest() -> WeekDigest:
    return week_digest()


@pytest.fixture
def charts(tmp_path, digest) -> dict[str, Path]:
    return render_charts(digest, tmp_path / "out")


@pytest.fixture
def word(tmp_path, digest, charts) -> docx.document.Document:
    out = compose.write_docx(digest, charts, builtin("briefing.docx"), tmp_path / "out" / "briefing.docx",
                             today=TODAY)
    return docx.Document(str(out))


@pytest.fixture
def markdown(tmp_path, digest, charts) -> str:
    out = compose.write_markdown(digest, charts, builtin("briefing.md.j2"), tmp_path / "out" / "briefing.md",
                                 today=TODAY)
    return out.read_text(encoding="utf-8")


def body_text(document) -> str:
    return "\n".join(p.text for p in document.paragraphs)


def table_starting_with(document, header: str):
    return next(t for t in document.tables if t.rows[0].cells[0].text == header)


def markdown_table_rows(markdown: str, header: str) -> list[list[str]]:
    """Cells of the table whose header row starts with ``| header |``, split on unescaped pipes."""
    lines = markdown.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith(f"| {header} |"))
    rows = []
    for line in lines[start + 2:]:
        if not line.startswith("|"):
            break
        rows.append([cell.strip() for cell in re.split(r"(?<!\\)\|", line)[1:-1]])
    return rows


# ---------------------------------------------------------------- numbers and context


@pytest.mark.parametrize("yuan, text", [
    (4.7e8, "4.70亿元"),
    (3.6e7, "3600万元"),
    (250866700, "2.51亿元"),
    (12345, "1.23万元"),
    (850, "850元"),
    (0, "0元"),
])
def test_money_is_written_in_yi_or_wan(yuan, text):
    assert compose.format_money(yuan) == text


@pytest.mark.parametrize("fact, text", [
    (FactRow(1, "money", "funding", "约1.2亿元", 1.2e8, "CNY", "about", "", True), "约1.20亿元"),
    (FactRow(1, "money", "other", "500万美元", 5e6, "USD", "", "", True), "500万美元"),
    (FactRow(1, "percent", "", "1.5个百分点", 1.5, "%", "", "", True), "1.5个百分点"),
    (FactRow(1, "count", "other", "1.5万平方米", 15000, "平方米", "", "", True), "1.5万平方米"),
    (FactRow(1, "count", "signing", "330余项", 330, "项", "more_than", "", True), "超330项"),
    (FactRow(1, "percent", "", "21.7%", 21.7, "%", "", "", True), "21.7%"),
    (FactRow(1, "date", "", "12月11日", "2020-12-11", "", "", "", True), "2020年12月11日"),
    (FactRow(1, "date", "", "11月", "2020-11", "", "", "", True), "2020年11月"),
    (FactRow(1, "date", "", "5月23日", "XXXX-05-23", "", "", "", True), "5月23日"),
])
def test_fact_values_are_formatted_by_kind(fact, text):
    assert compose.format_fact_value(fact) == text


def test_week_label_has_no_zero_padding(digest):
    assert compose.week_label(digest) == "2020年第51周（12月14日—12月20日）"


def test_week_label_spells_out_years_across_new_year():
    digest = week_digest(week="2020-W53", start=dt.date(2020, 12, 28), end=dt.date(2021, 1, 3))
    assert compose.week_label(digest) == "2020年第53周（2020年12月28日—2021年1月3日）"


def test_headline_compares_with_the_previous_week(digest):
    context = compose.build_context(digest, today=TODAY)
    assert context["summary"] == ("本周共收录科技新闻4篇（其中转载1篇），摘录数字7项。涉及资金合计4.70亿元，比上周（3.20亿元）增长46.9%；"
                                  "签约12项，比上周（8项）增加4项；科技项目5项，与上周（5项）持平；创新平台2个。")
    assert context["headline_rows"] == [
        {"label": "资金合计", "value": "4.70亿元", "previous": "3.20亿元", "change": "增长46.9%"},
        {"label": "签约", "value": "12项", "previous": "8项", "change": "增加4项"},
        {"label": "科技项目", "value": "5项", "previous": "5项", "change": "持平"},
        {"label": "创新平台", "value": "2个", "previous": "—", "change": "—"},
    ]


def test_headline_without_a_previous_week_makes_no_comparison(digest):
    context = compose.build_context(week_digest(previous_week=None, previous_total_funding_yuan=None,
                                                previous_signing_count=None, previous_project_count=None,
                                                total_funding_yuan=3.6e7,
                                                funding_by_category={"funding": 3.6e7}), today=TODAY)
    assert "上周" not in context["summary"]
    assert "涉及资金合计3600万元" in context["summary"]


@pytest.mark.parametrize("current, previous, clause", [
    (4.7e8, 3.2e8, "比上周（3.20亿元）增长46.9%"),
    (3.6e7, 1.2e8, "比上周（1.20亿元）下降70.0%"),
    (4.7e8, 4.7e8, "与上周（4.70亿元）持平"),
    (1.7e10, 2.3e8, "为上周（2.30亿元）的73.9倍"),
    (4.7e8, 0, "上周未涉及资金数额"),
    (4.7e8, None, ""),
])
def test_funding_change_is_worded_for_a_reader(current, previous, clause):
    assert compose.funding_change(current, previous) == clause


def test_context_marks_uncounted_figures_and_merges_this_weeks_reposts(digest):
    context = compose.build_context(digest, today=TODAY)
    assert [f["mark"] for f in context["facts"]] == ["", "", "", "", "", "※", "※"]
    assert [a["citation"] for a in context["articles"]] == ["[1]", "[2]", "[4]"]
    assert context["articles"][1]["reposts"] == [
        {"citation": "[3]", "source": "北疆农牧网", "date": "2020年12月17日", "url": "http://repost.example.cn/c"}]
    assert context["issue_date"] == context["generated"] == "2020年12月21日"


def test_a_repost_of_an_earlier_weeks_story_keeps_its_own_entry(digest):
    earlier = dataclasses.replace(digest.articles[2], duplicate_of="s01_from_last_week")
    context = compose.build_context(week_digest(articles=(*digest.articles[:2], earlier, digest.articles[3])))
    assert context["articles"][2]["duplicate_note"] == "（转载自已收录文章 s01_from_last_week，数字不重复计入）"


def test_sections_group_sentences_by_category_once_each_without_reposts_or_table_rows(digest):
    sections = compose.build_context(digest, today=TODAY)["sections"]
    assert [(s["number"], s["heading"]) for s in sections] == [
        ("（一）", "签约合作"), ("（二）", "资金支持"), ("（三）", "投资建设"), ("（四）", "人才引育")]
    assert sections[0]["entries"] == [{"text": "现场签约项目12项。", "citation": "[2]", "article_number": 2}]
    assert sections[1]["entries"][0]["text"] == "通辽市将安排专项资金约1.2亿元，支持双方共建科技创新平台。"


def test_breakdowns_trend_and_other_news_are_formatted(digest):
    context = compose.build_context(digest, today=TODAY)
    assert context["places"][0] == {"name": "通辽市", "funding": "1.20亿元", "funding_yuan": 1.2e8, "signing": "—",
                                    "signing_count": 0, "fact_count": 1, "citations": "[1]"}
    assert context["places"][1]["signing"] == "12项"
    assert context["partners"][0]["name"] == "中国农业大学"
    assert [row["label"] for row in context["trend_rows"]] == ["12月7日—12月13日", "12月14日—12月20日"]
    assert context["other_news"] == [{"citation": "[4]", "title": "自治区科技厅调研组赴通辽市调研", "source": "通辽市科技局",
                                      "date": "2020年12月18日", "lead": "12月18日，自治区科技厅调研组赴通辽市调研科技创新工作。"}]


def test_masthead_comes_from_the_settings_and_the_store(digest):
    masthead = compose.Masthead(title="科技合作简报", unit="赤峰市科技局", issue_number=51, cumulative_number=120,
                                report_to="市委、市政府领导", copy_to="各旗县区科技局")
    context = compose.build_context(digest, today=TODAY, masthead=masthead)
    assert (context["title"], context["unit"], context["issue_label"], context["cumulative_label"]) == (
        "科技合作简报", "赤峰市科技局", "第51期", "总第120期")
    assert (context["report_to"], context["copy_to"]) == ("市委、市政府领导", "各旗县区科技局")
    plain = compose.build_context(digest, today=TODAY)
    assert (plain["title"], plain["issue_label"], plain["cumulative_label"]) == ("科技工作简报", "", "")


def test_long_sentences_are_cut_around_the_figure():
    sentence = "甲" * 100 + "3.5亿元" + "乙" * 100
    cut = compose.excerpt(sentence, "3.5亿元", limit=40)
    assert "3.5亿元" in cut and cut.startswith("…") and cut.endswith("…")


# ---------------------------------------------------------------- Word


def test_docx_shows_the_headline_figures(word):
    text = body_text(word)
    assert "2020年第51周（12月14日—12月20日）" in text
    assert "涉及资金合计4.70亿元，比上周（3.20亿元）增长46.9%" in text
    assert "签约12项，比上周（8项）增加4项" in text
    rows = [[c.text for c in row.cells] for row in table_starting_with(word, "指标").rows]
    assert rows[1] == ["资金合计", "4.70亿元", "3.20亿元", "增长46.9%"]


def test_docx_has_the_masthead_sections_breakdowns_and_closing_block(tmp_path, digest, charts):
    masthead = compose.Masthead(unit="赤峰市科技局", issue_number=51, report_to="市委、市政府领导", copy_to="各旗县区科技局")
    out = compose.write_docx(digest, charts, builtin("briefing.docx"), tmp_path / "m.docx", today=TODAY, masthead=masthead)
    document = docx.Document(str(out))
    texts = [p.text for p in document.paragraphs]
    assert texts[:3] == ["科技工作简报", "第51期", "赤峰市科技局\t2020年12月21日"]
    assert "（一）签约合作" in texts and "现场签约项目12项。[2]" in texts
    assert "七、其他动态" in texts
    assert texts[-3:] == ["报送：市委、市政府领导", "抄送：各旗县区科技局", "赤峰市科技局\t2020年12月21日印发"]
    places = [[c.text for c in row.cells] for row in table_starting_with(document, "盟市").rows]
    assert places[1] == ["通辽市", "1.20亿元", "—", "1", "[1]"]
    assert [[c.text for c in row.cells] for row in table_starting_with(document, "周").rows][2][:3] == [
        "12月14日—12月20日", "4.70亿元", "12项"]


def test_docx_funding_table_lists_each_category_and_the_total(word):
    rows = [[c.text for c in row.cells] for row in table_starting_with(word, "类别").rows]
    assert rows == [["类别", "金额", "占比"], ["企业投入", "3.50亿元", "74.5%"],
                    ["专项资金", "1.20亿元", "25.5%"], ["合计", "4.70亿元", "100.0%"]]


def test_docx_figure_table_has_one_row_per_fact(word, digest):
    rows = table_starting_with(word, "序号").rows
    assert [c.text for c in rows[0].cells] == ["序号", "来源", "类别", "数字", "折算", "原句"]
    data = [[c.text for c in row.cells] for row in rows[1:]]
    assert len(data) == len(digest.facts)
    assert data[0] == ["1", "[1]", "专项资金", "约1.2亿元", "约1.20亿元",
                       "通辽市将安排专项资金约1.2亿元，支持双方共建科技创新平台。"]
    assert data[6][1:4] == ["[3]", "签约", "12项※"]


def test_docx_has_both_charts_inline(word):
    assert len(word.inline_shapes) == 3
    assert round(word.inline_shapes[0].width.cm) == compose.CHART_WIDTH_CM


def test_docx_lists_sources_skipped_files_and_leaves_no_tags(word):
    text = body_text(word)
    assert "[1] 通辽市与中国农业大学签署全面战略合作协议（通辽市科技局，2020年12月14日，摘录数字3项）" in text
    assert "[3] 转载：北疆农牧网，2020年12月17日（数字不重复计入） http://repost.example.cn/c" in text
    assert "inputs/broken.docx：not a Word file" in text
    assert "{{" not in text and "{%" not in text


def test_docx_without_skipped_files_has_no_appendix(tmp_path, charts):
    out = compose.write_docx(week_digest(skipped=()), charts, builtin("briefing.docx"), tmp_path / "b.docx")
    assert "附录" not in body_text(docx.Document(str(out)))


def test_docx_template_sets_east_asian_fonts_and_language():
    template = docx.Document(str(builtin("briefing.docx")))
    for name in ("Normal", "Title", "Heading 1", "Caption", "Table Grid", "表格文字"):
        r_fonts = template.styles[name].element.rPr.rFonts
        assert r_fonts.get(qn("w:eastAsia")), name
        assert r_fonts.get(qn("w:eastAsiaTheme")) is None, name
    defaults = template.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    assert defaults.find(qn("w:lang")).get(qn("w:eastAsia")) == "zh-CN"
    assert defaults.find(qn("w:rFonts")).get(qn("w:eastAsia")) == "仿宋"
    section = template.sections[0]
    assert (round(section.page_width.cm, 1), round(section.page_height.cm, 1)) == (21.0, 29.7)


def test_builtin_word_template_uses_only_names_the_context_provides(digest):
    from docxtpl import DocxTemplate

    context = compose.build_context(digest, today=TODAY)
    template = DocxTemplate(str(builtin("briefing.docx")))
    assert template.get_undeclared_template_variables(context=context) == set()


def test_docx_keeps_xml_metacharacters_in_titles(tmp_path):
    digest = with_awkward_title(week_digest())
    out = compose.write_docx(digest, render_charts(digest, tmp_path), builtin("briefing.docx"),
                             tmp_path / "b.docx")
    document = docx.Document(str(out))
    assert "对接会召开 | 签约*项目* <12项> & 更多（来源 <a&b>" in body_text(document)
    sentences = [row.cells[5].text for row in table_starting_with(document, "序号").rows]
    assert "签约 | 12项 * 见<表> & 注 下一行" in sentences


# ---------------------------------------------------------------- Markdown


def test_markdown_has_headline_tables_charts_and_sources(markdown, digest, charts, tmp_path):
    assert markdown.startswith("# 科技工作简报\n")
    assert "**2020年第51周（12月14日—12月20日）**" in markdown
    assert "涉及资金合计4.70亿元，比上周（3.20亿元）增长46.9%" in markdown
    assert "![资金按类别](funding-2020-W51.png)" in markdown
    assert "![签约按类型](signing-2020-W51.png)" in markdown
    assert "![近期走势](trend-2020-W51.png)" in markdown
    assert "### （一）签约合作\n\n- 现场签约项目12项。[2]\n" in markdown
    assert markdown_table_rows(markdown, "盟市")[0] == ["通辽市", "1.20亿元", "—", "1", "[1]"]
    assert all((tmp_path / "out" / path.name).is_file() for path in charts.values())
    assert markdown_table_rows(markdown, "类别")[-1] == ["合计", "4.70亿元", "100.0%"]
    facts = markdown_table_rows(markdown, "序号")
    assert len(facts) == len(digest.facts)
    assert facts[6][:4] == ["7", "[3]", "签约", "12项※"]
    assert "- [2] 乌兰察布市与巴彦淖尔市农牧业科技对接会召开（乌兰察布日报，2020年12月16日，摘录数字2项） " \
           "<http://example.cn/b?x=1&y=2>\n  - [3] 转载：北疆农牧网，2020年12月17日（数字不重复计入） " \
           "<http://repost.example.cn/c>\n" in markdown
    assert "## 附录　未能读取的文件\n\n- inputs/broken.docx：not a Word file (zip header missing)" in markdown


def test_markdown_without_skipped_files_has_no_appendix(tmp_path, charts):
    out = compose.write_markdown(week_digest(skipped=()), charts, builtin("briefing.md.j2"), tmp_path / "b.md")
    assert "附录" not in out.read_text(encoding="utf-8")


def test_markdown_escapes_article_text_so_tables_hold(tmp_path):
    digest = with_awkward_title(week_digest())
    out = compose.write_markdown(digest, {}, builtin("briefing.md.j2"), tmp_path / "b.md")
    markdown = out.read_text(encoding="utf-8")
    rows = markdown_table_rows(markdown, "序号")
    assert len(rows) == len(digest.facts)
    assert all(len(row) == 6 for row in rows)
    assert rows[-1][5] == r"签约 \| 12项 \* 见&lt;表&gt; &amp; 注 下一行"
    assert r"对接会召开 \| 签约\*项目\* &lt;12项&gt; &amp; 更多（来源 &lt;a&amp;b&gt;" in markdown
    assert "![资金]" not in markdown


@pytest.mark.parametrize("text, escaped", [
    ("a|b", r"a\|b"),
    ("*x* _y_", r"\*x\* \_y\_"),
    ("<b>&amp;", "&lt;b&gt;&amp;amp;"),
    ("第一行\n第二行", "第一行 第二行"),
    ("[1](x)", r"\[1\](x)"),
])
def test_md_filter(text, escaped):
    assert compose.escape_markdown(text) == escaped


# ---------------------------------------------------------------- template search


def test_template_search_order_is_option_then_workspace_then_builtin(tmp_path):
    option, workspace = tmp_path / "option", tmp_path / "workspace"
    assert compose.template_search_path(option, workspace) == [
        option, workspace / "templates", compose.builtin_templates_dir()]
    assert compose.template_search_path(None, workspace) == [workspace / "templates", compose.builtin_templates_dir()]


def test_templates_are_overridden_file_by_file(tmp_path):
    option, workspace = tmp_path / "option", tmp_path / "workspace"
    (workspace / "templates").mkdir(parents=True)
    option.mkdir()
    (workspace / "templates" / "briefing.md.j2").write_text("workspace", encoding="utf-8")
    search = compose.template_search_path(None, workspace)
    assert compose.find_template("briefing.md.j2", search) == workspace / "templates" / "briefing.md.j2"
    assert compose.find_template("briefing.docx", search) == compose.builtin_templates_dir() / "briefing.docx"
    (option / "briefing.md.j2").write_text("option", encoding="utf-8")
    search = compose.template_search_path(option, workspace)
    assert compose.find_template("briefing.md.j2", search) == option / "briefing.md.j2"


def test_builtin_templates_exist():
    for name in (compose.DOCX_TEMPLATE, compose.MARKDOWN_TEMPLATE):
        assert (compose.builtin_templates_dir() / name).is_file()


def test_missing_template_names_every_folder_searched(tmp_path):
    search = [tmp_path / "option", tmp_path / "workspace" / "templates"]
    with pytest.raises(TemplateError) as error:
        compose.find_template("briefing.odt", search)
    message = str(error.value)
    assert "briefing.odt" in message and "--templates" in message
    assert all(str(folder) in message for folder in search)


# ---------------------------------------------------------------- failures leave nothing behind


@pytest.mark.parametrize("source, expected", [
    ("# {{ title }}\n\n{% for a in articles %}\n- {{ a.title }\n{% endfor %}\n", "line 4"),
    ("# {{ title }}\n\n{{ no_such_name }}\n", "no_such_name"),
])
def test_broken_markdown_template_is_reported_and_writes_nothing(tmp_path, source, expected):
    template = tmp_path / "templates" / "briefing.md.j2"
    template.parent.mkdir()
    template.write_text(source, encoding="utf-8")
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    with pytest.raises(TemplateError) as error:
        compose.write_markdown(week_digest(), {}, template, out_dir / "briefing.md")
    assert str(template) in str(error.value) and expected in str(error.value)
    assert list(out_dir.iterdir()) == []


def test_broken_word_template_is_reported_and_writes_nothing(tmp_path):
    template = tmp_path / "broken.docx"
    document = docx.Document()
    document.add_paragraph("{{ title }}")
    document.add_paragraph("{% for a in articles %}{{ a.title }")
    document.save(str(template))
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    with pytest.raises(TemplateError) as error:
        compose.write_docx(week_digest(), {}, template, out_dir / "briefing.docx")
    assert str(template) in str(error.value)
    assert list(out_dir.iterdir()) == []


def test_a_file_that_is_not_a_docx_is_a_template_error(tmp_path):
    template = tmp_path / "briefing.docx"
    template.write_text("not a zip", encoding="utf-8")
    with pytest.raises(TemplateError, match="not a readable Word .docx"):
        compose.write_docx(week_digest(), {}, template, tmp_path / "out.docx")
