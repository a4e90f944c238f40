"""Build the default Word template ``templates/briefing.docx`` once, with python-docx.

The result is an ordinary .docx: office staff open it in Word, restyle it and
save it into their workspace's ``templates/`` folder; docxtpl then reads the
Jinja tags typed in its paragraphs. Run this script again only to regenerate
the built-in default (``python scripts/make_docx_template.py [OUT.docx]``).

Chinese text needs its font in ``w:rFonts/@w:eastAsia`` and its language in
``w:lang/@w:eastAsia``: python-docx's ``font.name`` only sets the Latin fonts,
so without this Word shows Chinese in whatever its default East Asian font is.
Each Jinja tag is written as one whole run so Word never splits a tag.
"""

from __future__ import annotations

import sys
from pathlib import Path

from docx import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING, WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
from briefing.files import atomic_path  # noqa: E402

OUT = REPO / "templates" / "briefing.docx"

LATIN_FONT = "Times New Roman"
BODY_FONT = "仿宋"
HEADING_FONT = "黑体"
SUBHEADING_FONT = "楷体"
TITLE_FONT = "宋体"
RED = RGBColor(0xFF, 0x00, 0x00)
BLACK = RGBColor(0, 0, 0)

TEXT_WIDTH_CM = 15.6
"""A4 width 21 cm minus 2.8 cm left and 2.6 cm right margins."""
FUNDING_COLUMNS = (("类别", 6.0, "left"), ("金额", 5.0, "right"), ("占比", 4.6, "right"))
HEADLINE_COLUMNS = (("指标", 3.6, "left"), ("本周", 3.6, "right"), ("上周", 3.6, "right"), ("变化", 4.8, "left"))
BREAKDOWN_COLUMNS = (("{name_header}", 5.4, "left"), ("资金", 2.8, "right"), ("签约", 2.0, "right"),
                     ("数字", 1.6, "right"), ("来源", 3.8, "left"))
TREND_COLUMNS = (("周", 5.6, "left"), ("资金", 3.6, "right"), ("签约", 3.2, "right"), ("文章", 3.2, "right"))
FACT_COLUMNS = (("序号", 1.2, "center"), ("来源", 1.2, "center"), ("类别", 2.0, "left"),
                ("数字", 2.4, "left"), ("折算", 2.2, "right"), ("原句", 6.6, "left"))
"""(header, width in cm, alignment of the data cells) per column; widths add up to the 15.6 cm text width."""
ALIGNMENTS = {"left": WD_ALIGN_PARAGRAPH.LEFT, "center": WD_ALIGN_PARAGRAPH.CENTER,
              "right": WD_ALIGN_PARAGRAPH.RIGHT}
HEADER_FILL = "D9D9D9"
FACT_CELLS = ("{{ f.number }}", "{{ f.citation }}", "{{ f.category }}",
              "{{ f.surface }}{{ f.mark }}", "{{ f.value }}",
              "{{ f.sentence }}{% if f.note %}（{{ uncounted_mark }}{{ f.note }}）{% endif %}")
FUNDING_CELLS = ("{{ row.label }}", "{{ row.amount }}", "{{ row.share }}")
HEADLINE_CELLS = ("{{ row.label }}", "{{ row.value }}", "{{ row.previous }}", "{{ row.change }}")
BREAKDOWN_CELLS = ("{{ row.name }}", "{{ row.funding }}", "{{ row.signing }}", "{{ row.fact_count }}", "{{ row.citations }}")
TREND_CELLS = ("{{ row.label }}", "{{ row.funding }}", "{{ row.signing_count }}项", "{{ row.article_count }}篇")

TABLE_TEXT = "表格文字"
TABLE_HEADER = "表头文字"
PICTURE = "图片"
SOURCE_ITEM = "来源条目"
NOTE = "注释"
MASTHEAD_LINE = "期号日期"
CLOSING = "版记"
STYLE_IDS = {TABLE_TEXT: "BriefingTableText", TABLE_HEADER: "BriefingTableHeader", PICTURE: "BriefingPicture",
             SOURCE_ITEM: "BriefingSource", NOTE: "BriefingNote", MASTHEAD_LINE: "BriefingMastheadLine",
             CLOSING: "BriefingClosing"}
"""ASCII style ids for the Chinese style names (the names are what staff see in Word)."""


# ---------------------------------------------------------------- fonts


def set_fonts(r_pr_owner, east_asia: str, latin: str = LATIN_FONT) -> None:
    """Set Latin and East Asian fonts on a style's or run's ``w:rPr``, dropping theme fonts.

    Theme attributes (``w:eastAsiaTheme``…) win over named fonts in Word, so they go.
    """
    r_fonts = r_pr_owner.get_or_add_rPr().get_or_add_rFonts()
    for theme in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        r_fonts.attrib.pop(qn(theme), None)
    for slot in ("w:ascii", "w:hAnsi", "w:cs"):
        r_fonts.set(qn(slot), latin)
    r_fonts.set(qn("w:eastAsia"), east_asia)


def set_chinese_language(r_pr) -> None:
    """Mark East Asian text as zh-CN (spell checking, punctuation compression)."""
    lang = r_pr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        r_pr.append(lang)
    lang.set(qn("w:eastAsia"), "zh-CN")


def add_text(paragraph, text: str, east_asia: str, **font):
    """Add ``text`` as ONE run (a Jinja tag must never be split) with its fonts set explicitly."""
    run = paragraph.add_run(text)
    set_fonts(run._r, east_asia)
    for name, value in font.items():
        setattr(run.font, name, value)
    return run


# ---------------------------------------------------------------- styles


def style_document_defaults(document) -> None:
    """Default fonts and zh-CN language for everything, including text outside any style."""
    r_pr = document.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    r_fonts = r_pr.find(qn("w:rFonts"))
    for theme in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        r_fonts.attrib.pop(qn(theme), None)
    r_fonts.set(qn("w:ascii"), LATIN_FONT)
    r_fonts.set(qn("w:hAnsi"), LATIN_FONT)
    r_fonts.set(qn("w:eastAsia"), BODY_FONT)
    set_chinese_language(r_pr)


def style_paragraphs(document) -> None:
    """GB/T 9704 type: body 仿宋 三号 (16 pt, 28 pt lines, two-character indent), 一、 headings
    黑体 三号, （一） headings 楷体 三号, the masthead name in large red 宋体."""
    styles = document.styles
    normal = styles["Normal"]
    _font(normal, BODY_FONT, Pt(16))
    set_chinese_language(normal.element.get_or_add_rPr())
    fmt = normal.paragraph_format
    fmt.line_spacing_rule, fmt.line_spacing = WD_LINE_SPACING.EXACTLY, Pt(28)
    fmt.space_before, fmt.space_after = Pt(0), Pt(0)
    fmt.first_line_indent = Pt(32)  # LibreOffice ignores firstLineChars alone
    _first_line_chars(normal, 200)

    title = styles["Title"]
    _font(title, TITLE_FONT, Pt(42), bold=True, color=RED)
    _plain_block(title, WD_ALIGN_PARAGRAPH.CENTER, before=Pt(24), after=Pt(18))
    _character_spacing(title, 4)
    _remove_border(title)

    subtitle = styles["Subtitle"]
    _font(subtitle, SUBHEADING_FONT, Pt(16), italic=False, color=BLACK)
    _plain_block(subtitle, WD_ALIGN_PARAGRAPH.CENTER, before=Pt(12), after=Pt(6))

    masthead_line = _new_style(styles, MASTHEAD_LINE, BODY_FONT, Pt(16), WD_ALIGN_PARAGRAPH.LEFT, after=Pt(4))
    masthead_line.paragraph_format.tab_stops.add_tab_stop(Cm(TEXT_WIDTH_CM), WD_TAB_ALIGNMENT.RIGHT)

    heading = styles["Heading 1"]
    _font(heading, HEADING_FONT, Pt(16), bold=False, color=BLACK)
    _plain_block(heading, WD_ALIGN_PARAGRAPH.LEFT, before=Pt(12), after=Pt(6))
    heading.paragraph_format.keep_with_next = True

    sub_heading = styles["Heading 2"]
    _font(sub_heading, SUBHEADING_FONT, Pt(16), bold=False, color=BLACK)
    _plain_block(sub_heading, WD_ALIGN_PARAGRAPH.LEFT, before=Pt(6), after=Pt(0))
    sub_heading.paragraph_format.first_line_indent = Pt(32)
    _first_line_chars(sub_heading, 200)
    sub_heading.paragraph_format.keep_with_next = True

    caption = styles["Caption"]
    _font(caption, BODY_FONT, Pt(12), bold=False, color=BLACK)
    _plain_block(caption, WD_ALIGN_PARAGRAPH.CENTER, before=Pt(0), after=Pt(12))

    _new_style(styles, PICTURE, BODY_FONT, Pt(12), WD_ALIGN_PARAGRAPH.CENTER, before=Pt(6)).paragraph_format \
        .keep_with_next = True
    _new_style(styles, TABLE_TEXT, BODY_FONT, Pt(10.5), WD_ALIGN_PARAGRAPH.LEFT)
    _new_style(styles, TABLE_HEADER, HEADING_FONT, Pt(10.5), WD_ALIGN_PARAGRAPH.CENTER)
    _new_style(styles, NOTE, BODY_FONT, Pt(12), WD_ALIGN_PARAGRAPH.LEFT, before=Pt(3))
    source = _new_style(styles, SOURCE_ITEM, BODY_FONT, Pt(12), WD_ALIGN_PARAGRAPH.LEFT, after=Pt(3))
    source.paragraph_format.left_indent = Cm(0.9)
    source.paragraph_format.first_line_indent = Cm(-0.9)
    closing = _new_style(styles, CLOSING, BODY_FONT, Pt(14), WD_ALIGN_PARAGRAPH.LEFT, before=Pt(2), after=Pt(2))
    closing.paragraph_format.left_indent = closing.paragraph_format.right_indent = Pt(14)
    closing.paragraph_format.tab_stops.add_tab_stop(Cm(TEXT_WIDTH_CM) - Pt(28), WD_TAB_ALIGNMENT.RIGHT)


def style_tables(document) -> None:
    """Table Grid in 仿宋 五号, so cells carry Chinese fonts even where Word uses the table style."""
    grid = document.styles["Table Grid"]
    _font(grid, BODY_FONT, Pt(10.5))


def _font(style, east_asia: str, size, *, bold=None, italic=None, color=None) -> None:
    set_fonts(style.element, east_asia)
    style.font.size = size
    if bold is not None:
        style.font.bold = bold
    if italic is not None:
        style.font.italic = italic
    if color is not None:
        style.font.color.rgb = color


def _plain_block(style, alignment, *, before, after) -> None:
    """Single line spacing, no indent: for titles, headings, pictures and table text."""
    fmt = style.paragraph_format
    fmt.alignment = alignment
    fmt.line_spacing_rule = WD_LINE_SPACING.SINGLE
    fmt.space_before, fmt.space_after = before, after
    fmt.first_line_indent = Cm(0)
    _first_line_chars(style, 0)


def _new_style(styles, name: str, east_asia: str, size, alignment, *, before=Pt(0), after=Pt(0)):
    style = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
    style.style_id = STYLE_IDS[name]
    style.base_style = styles["Normal"]
    style.quick_style = True
    _font(style, east_asia, size)
    _plain_block(style, alignment, before=before, after=after)
    return style


def _character_spacing(style, points: float) -> None:
    """Letter-spacing (``w:spacing``), which spreads the masthead name as printed mastheads do."""
    spacing = OxmlElement("w:spacing")
    spacing.set(qn("w:val"), str(int(points * 20)))
    style.element.get_or_add_rPr().append(spacing)


def _first_line_chars(style, hundredths: int) -> None:
    """First-line indent in characters (200 = 两字), which Word keeps right at any font size."""
    ind = style.element.get_or_add_pPr().get_or_add_ind()
    ind.set(qn("w:firstLineChars"), str(hundredths))
    if not hundredths:
        ind.set(qn("w:firstLine"), "0")


def _remove_border(style) -> None:
    """The default Title style has a blue bottom border; the red rule is a paragraph of its own."""
    p_pr = style.element.get_or_add_pPr()
    for border in p_pr.findall(qn("w:pBdr")):
        p_pr.remove(border)


# ---------------------------------------------------------------- page and blocks


def set_a4_page(document) -> None:
    section = document.sections[0]
    section.page_width, section.page_height = Cm(21.0), Cm(29.7)
    section.top_margin, section.bottom_margin = Cm(3.7), Cm(3.5)
    section.left_margin, section.right_margin = Cm(2.8), Cm(2.6)
    _add_page_number_footer(section)


def _add_page_number_footer(section) -> None:
    """``— 1 —`` centred at the foot of every page, as Chinese official documents number pages."""
    paragraph = section.footer.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    paragraph.paragraph_format.first_line_indent = Cm(0)
    add_text(paragraph, "— ", BODY_FONT, size=Pt(14))
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), "PAGE")
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "1"
    run.append(text)
    field.append(run)
    paragraph._p.append(field)
    paragraph._p.append(add_text(paragraph, " —", BODY_FONT, size=Pt(14))._r)


def red_rule(block) -> None:
    """The red line under the masthead (GB/T 9704 版头分隔线): a thick red bottom border on ``block``."""
    add_border(block, "bottom", size=24, color="FF0000")


def add_border(block, side: str, *, size: int, color: str = "000000") -> None:
    """A rule along one side of a paragraph; ``size`` in eighths of a point, as Word stores it.

    A border belongs to its paragraph, so the rule moves with the text when staff edit
    above it, unlike a drawn line.
    """
    p_pr = block._p.get_or_add_pPr()
    borders = p_pr.find(qn("w:pBdr"))
    if borders is None:
        borders = OxmlElement("w:pBdr")
        p_pr.append(borders)
    edge = OxmlElement(f"w:{side}")
    for attribute, value in (("w:val", "single"), ("w:sz", str(size)), ("w:space", "1"), ("w:color", color)):
        edge.set(qn(attribute), value)
    borders.append(edge)


def paragraph(document, text: str, style: str = "Normal", east_asia: str = BODY_FONT):
    """A paragraph holding ``text`` as one run."""
    block = document.add_paragraph(style=style)
    add_text(block, text, east_asia)
    return block


def heading(document, text: str) -> None:
    paragraph(document, text, "Heading 1", HEADING_FONT)


def template_table(document, columns, cells, loop: str, *, total_row=None):
    """A bordered table: a repeated header row and ONE docxtpl row loop over ``cells``.

    ``{%tr ... %}`` rows are removed by docxtpl and replace the whole row with the
    Jinja tag, so the middle row is repeated once per item.
    """
    rows = [[name for name, _, _ in columns], [loop] + [""] * (len(columns) - 1), list(cells),
            ["{%tr endfor %}"] + [""] * (len(columns) - 1)]
    if total_row:
        rows.append(list(total_row))
    table = document.add_table(rows=len(rows), cols=len(columns))
    table.style = document.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    _set_column_widths(table, [width for _, width, _ in columns])
    for row_index, texts in enumerate(rows):
        header = row_index == 0
        for cell, text, (_, _, align) in zip(table.rows[row_index].cells, texts, columns):
            block = cell.paragraphs[0]
            block.style = document.styles[TABLE_HEADER if header else TABLE_TEXT]
            if not header:
                block.alignment = ALIGNMENTS[align]
            if text:
                add_text(block, text, HEADING_FONT if header else BODY_FONT)
    _repeat_as_header(table.rows[0])
    _shade(table.rows[0])
    _keep_on_one_page(table.rows[2])
    return table


def _set_column_widths(table, widths_cm) -> None:
    """Widths on the grid (LibreOffice reads it) and on every cell (Word reads those)."""
    for grid_column, width in zip(table._tbl.tblGrid.findall(qn("w:gridCol")), widths_cm):
        grid_column.set(qn("w:w"), str(int(Cm(width).twips)))
    for row in table.rows:
        for cell, width in zip(row.cells, widths_cm):
            cell.width = Cm(width)


def _shade(row) -> None:
    """Light grey behind the header row, the one accent an office table needs."""
    for cell in row.cells:
        shading = OxmlElement("w:shd")
        for attribute, value in (("w:val", "clear"), ("w:color", "auto"), ("w:fill", HEADER_FILL)):
            shading.set(qn(attribute), value)
        cell._tc.get_or_add_tcPr().append(shading)


def _keep_on_one_page(row) -> None:
    """A figure's row never splits across pages (its sentence stays next to its number)."""
    row._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))


def _repeat_as_header(row) -> None:
    """Repeat the header row at the top of every page the table runs onto."""
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    row._tr.get_or_add_trPr().append(header)


# ---------------------------------------------------------------- the briefing


def build_template() -> Document:
    """The default briefing template; the tag names are those of ``briefing.compose.build_context``."""
    document = Document()
    set_a4_page(document)
    style_document_defaults(document)
    style_paragraphs(document)
    style_tables(document)
    document.core_properties.title = "科技工作简报"
    document.core_properties.author = ""
    document.core_properties.comments = ""

    masthead(document)
    overview(document)
    funding_and_signing(document)
    key_news(document)
    places_and_partners(document)
    trend_and_other_news(document)
    figures_and_sources(document)
    closing_block(document)
    return document


def masthead(document) -> None:
    """版头: the red name, 第N期, the issuing unit left and the date right, the red rule."""
    paragraph(document, "{{ title }}", "Title", TITLE_FONT)
    issue = paragraph(document, "{{ issue_label }}", "Subtitle", BODY_FONT)
    add_text(issue, "{% if cumulative_label %}（{{ cumulative_label }}）{% endif %}", BODY_FONT)
    line = paragraph(document, "{{ unit }}", MASTHEAD_LINE)
    add_text(line, "\t", BODY_FONT)
    add_text(line, "{{ issue_date }}", BODY_FONT)
    red_rule(line)
    paragraph(document, "{{ week_label }}", "Subtitle", SUBHEADING_FONT)


def overview(document) -> None:
    heading(document, "一、本周概况")
    paragraph(document, "{{ summary }}")
    template_table(document, HEADLINE_COLUMNS, HEADLINE_CELLS, "{%tr for row in headline_rows %}")


def funding_and_signing(document) -> None:
    heading(document, "二、资金情况")
    paragraph(document, "{{ funding_summary }}")
    paragraph(document, "{%p if funding_rows %}")
    template_table(document, FUNDING_COLUMNS, FUNDING_CELLS, "{%tr for row in funding_rows %}",
                   total_row=("合计", "{{ funding_total }}", "100.0%"))
    paragraph(document, "{%p endif %}")
    chart(document, "funding_chart", "图1　本周资金按类别分布（亿元）")

    heading(document, "三、签约情况")
    paragraph(document, "{{ signing_summary }}")
    chart(document, "signing_chart", "图2　本周签约按类型（项）")


def key_news(document) -> None:
    """四、重点动态: one （一） heading per category, each sentence with its citation."""
    heading(document, "四、重点动态")
    paragraph(document, "{%p for section in sections %}")
    paragraph(document, "{{ section.number }}{{ section.heading }}", "Heading 2", SUBHEADING_FONT)
    paragraph(document, "{%p for item in section.entries %}")
    block = paragraph(document, "{{ item.text }}")
    add_text(block, "{{ item.citation }}", BODY_FONT)
    paragraph(document, "{%p endfor %}")
    paragraph(document, "{%p else %}")
    paragraph(document, "本周新闻未摘录到资金、签约等数字。")
    paragraph(document, "{%p endfor %}")


def places_and_partners(document) -> None:
    paragraph(document, "{%p if places or partners %}")
    heading(document, "五、分地区与合作单位")
    paragraph(document, "{%p if places %}")
    template_table(document, _named(BREAKDOWN_COLUMNS, "盟市"), BREAKDOWN_CELLS, "{%tr for row in places %}")
    paragraph(document, "注：数字计入其所在句写明的盟市，句中未写明的计入文章标题所述盟市；一句涉及多个盟市时分别计入，各行不可相加。", NOTE)
    paragraph(document, "{%p endif %}")
    paragraph(document, "{%p if partners %}")
    template_table(document, _named(BREAKDOWN_COLUMNS, "合作单位"), BREAKDOWN_CELLS, "{%tr for row in partners %}")
    paragraph(document, "注：合作单位为与数字同句或见于文章标题的单位，金额为相关报道所涉数字，并非该单位出资；各行不可相加。", NOTE)
    paragraph(document, "{%p endif %}")
    paragraph(document, "{%p endif %}")


def trend_and_other_news(document) -> None:
    heading(document, "六、近期走势")
    paragraph(document, "{%p if trend_rows | length > 1 %}")
    template_table(document, TREND_COLUMNS, TREND_CELLS, "{%tr for row in trend_rows %}")
    paragraph(document, "{%p else %}")
    paragraph(document, "仅有本周数据，下周起显示走势。")
    paragraph(document, "{%p endif %}")
    chart(document, "trend_chart", "图3　近期各周资金与签约")

    paragraph(document, "{%p if other_news %}")
    heading(document, "七、其他动态")
    paragraph(document, "{%p for a in other_news %}")
    paragraph(document, "{{ a.title }}{% if a.lead %}：{{ a.lead }}{% endif %}{{ a.citation }}")
    paragraph(document, "{%p endfor %}")
    paragraph(document, "{%p endif %}")


def figures_and_sources(document) -> None:
    """附表 (every figure with its sentence and why it is or is not summed) and the source list."""
    heading(document, "附表　本周数据明细")
    paragraph(document, "{%p if facts %}")
    template_table(document, FACT_COLUMNS, FACT_CELLS, "{%tr for f in facts %}")
    paragraph(document, "{%p if uncounted_count %}")
    paragraph(document, "注：标{{ uncounted_mark }}的数字未计入合计（分项、重复、转载、累计或拟定数），原因见该行括注。", NOTE)
    paragraph(document, "{%p endif %}")
    paragraph(document, "{%p else %}")
    paragraph(document, "本周未摘录到数字。")
    paragraph(document, "{%p endif %}")

    heading(document, "来源文章")
    paragraph(document, "{%p for a in articles %}")
    paragraph(document, "{{ a.citation }} {{ a.title }}{% if a.meta %}（{{ a.meta }}）{% endif %}"
                        "{{ a.duplicate_note }}{% if a.url %} {{ a.url }}{% endif %}", SOURCE_ITEM)
    paragraph(document, "{%p for r in a.reposts %}")
    paragraph(document, "{{ r.citation }} 转载：{{ r.source }}{% if r.date %}，{{ r.date }}{% endif %}"
                        "（数字不重复计入）{% if r.url %} {{ r.url }}{% endif %}", SOURCE_ITEM)
    paragraph(document, "{%p endfor %}")
    paragraph(document, "{%p endfor %}")

    paragraph(document, "{%p if skipped %}")
    heading(document, "附录　未能读取的文件")
    paragraph(document, "{%p for s in skipped %}")
    paragraph(document, "{{ s.path }}：{{ s.reason }}", SOURCE_ITEM)
    paragraph(document, "{%p endfor %}")
    paragraph(document, "{%p endif %}")


def closing_block(document) -> None:
    """版记: 报送 and 抄送 lines between rules, then the issuing unit and date, thick rules first and last."""
    top_rule = document.add_paragraph(style=CLOSING)
    top_rule.paragraph_format.space_before = Pt(36)
    add_border(top_rule, "bottom", size=8)
    paragraph(document, "{%p if report_to %}")
    add_border(paragraph(document, "报送：{{ report_to }}", CLOSING), "bottom", size=4)
    paragraph(document, "{%p endif %}")
    paragraph(document, "{%p if copy_to %}")
    add_border(paragraph(document, "抄送：{{ copy_to }}", CLOSING), "bottom", size=4)
    paragraph(document, "{%p endif %}")
    last = paragraph(document, "{{ unit }}", CLOSING)
    add_text(last, "\t", BODY_FONT)
    add_text(last, "{{ issue_date }}印发", BODY_FONT)
    add_border(last, "bottom", size=8)


def chart(document, name: str, caption: str) -> None:
    """A chart as an inline image and its caption, both left out when the chart is missing."""
    paragraph(document, f"{{%p if {name} %}}")
    paragraph(document, f"{{{{ {name} }}}}", PICTURE)
    paragraph(document, caption, "Caption")
    paragraph(document, "{%p endif %}")


def _named(columns, first_header: str):
    """``columns`` with the first header filled in (盟市 or 合作单位)."""
    (_, width, align), *rest = columns
    return ((first_header, width, align), *rest)


def main(argv: list[str]) -> int:
    out = Path(argv[1]) if len(argv) > 1 else OUT
    with atomic_path(out) as tmp:
        build_template().save(tmp)
    print(f"wrote {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
