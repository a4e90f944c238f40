"""Reading article files: metadata, body text without chrome, encodings, bad files."""

from __future__ import annotations

import datetime as dt
import re
import shutil
from pathlib import Path

import pytest

from briefing.errors import InputError
from briefing.ingest import parse_datetime, read_article, read_folder

ROOT = Path(__file__).resolve().parent.parent
INPUTS = ROOT / "inputs"
BAD = Path(__file__).parent / "data" / "bad"


@pytest.mark.parametrize(
    "name, title, published, source, encoding",
    [
        ("s01_baotou_cas_rare_earth.txt", "包头市与中国科学院深化稀土领域合作 共建创新平台服务“科技兴蒙”", "2020-12-08 09:32:17", "包头市科技创新服务平台", "utf-8"),
        ("s02_major_projects_gbk.html", "我区今年遴选支持科技重大专项集中攻克关键核心技术", "2020-12-10 09:15:00", "草原科技信息网", "gb18030"),
        ("s03_ordos_policy_measures.docx", "鄂尔多斯市出台若干措施加大科技创新支持力度", "2020-12-11 00:00:00", "鄂尔多斯市科技局", "docx"),
        ("s06_ulanqab_bayannur_agri_docking.html", "区外科研院所走进乌兰察布 农牧业科技合作对接成果丰硕", "2020-12-16 15:42:00", "北疆农牧科技网", "utf-8"),
        ("s07_ulanqab_bayannur_agri_docking_repost.txt", "区外科研院所与乌兰察布巴彦淖尔企业开展农牧业科技合作对接", "2020-12-17 10:08:52", "北疆农牧科技网", "utf-8"),
        ("s09_special_fund_allocation_table.docx", "2020年度“科技兴蒙”行动重点专项资金全部下达", "2020-12-22 00:00:00", "自治区科技厅", "docx"),
        ("s10_chifeng_transfer_gbk.html", "赤峰市举办科技成果转化暨校地合作对接活动", "2020-12-23 10:36:00", "红山科技服务网", "gb18030"),
        ("s11_anniversary_review_hant.txt", "「科技興蒙」行動實施一週年 內蒙古科技創新動能持續增強", "2020-12-24 08:45:10", "北疆科技資訊網（繁體版）", "utf-8"),
    ],
)
def test_sample_metadata(name, title, published, source, encoding):
    article = read_article(INPUTS / name)
    assert article.id == Path(name).stem
    assert article.title == title
    assert article.published == dt.datetime.fromisoformat(published)
    assert article.source == source
    assert article.encoding == encoding
    assert article.text.startswith(title + "\n\n")


@pytest.mark.parametrize(
    "name, chrome",
    [
        ("s01_baotou_cas_rare_earth.txt", ["欢迎访问", "发布时间", "阅读"]),
        ("s02_major_projects_gbk.html", ["ICP", "当前位置", "浏览次数", "设为首页", "0471-"]),
        ("s06_ulanqab_bayannur_agri_docking.html", ["ICP", "最新动态", "12316", "分享到", "责任编辑"]),
        ("s07_ulanqab_bayannur_agri_docking_repost.txt", ["（来源：", "发布时间"]),
        ("s09_special_fund_allocation_table.docx", ["时间：2020-12-22", "来源："]),
        ("s10_chifeng_transfer_gbk.html", ["图片新闻", "便民服务", "点击数", "您现在的位置"]),
    ],
)
def test_chrome_stays_out_of_the_text(name, chrome):
    text = read_article(INPUTS / name).text
    for piece in chrome:
        assert piece not in text


def test_docx_table_cells_carry_their_column_header():
    article = read_article(INPUTS / "s09_special_fund_allocation_table.docx")
    cells = {article.text[c.start : c.end]: c for c in article.cells}
    assert cells["6320.00"].header == "支持资金（万元）"
    assert cells["6320.00"].row_label == "呼和浩特市"
    assert cells["22"].header == "项目数（项）"
    assert any(c.row_label == "合计" for c in article.cells)
    assert "盟市\t项目数（项）\t支持资金（万元）" in article.text


def test_paragraphs_are_separated_by_blank_lines_without_indent():
    article = read_article(INPUTS / "s04_hohhot_cooperation_meeting.txt")
    paragraphs = article.text.split("\n\n")
    assert len(paragraphs) >= 4
    assert all(p == p.strip(" \u3000\u00a0") for p in paragraphs)


@pytest.mark.parametrize(
    "declared, encoding",
    [("utf-8", "gbk"), ("gbk", "utf-8")],
    ids=["gbk-bytes-declared-utf8", "utf8-bytes-declared-gbk"],
)
def test_a_lying_meta_charset_is_not_believed(tmp_path, declared, encoding):
    page = (INPUTS / "s02_major_projects_gbk.html").read_bytes().decode("gbk").replace('charset="gbk"', f'charset="{declared}"')
    path = tmp_path / "page.html"
    path.write_bytes(page.encode(encoding))
    article = read_article(path)
    assert article.title == "我区今年遴选支持科技重大专项集中攻克关键核心技术"
    assert "科技重大专项" in article.text


@pytest.mark.parametrize(
    "name, reason",
    [
        ("empty.txt", "empty"),
        ("photo_renamed.txt", "binary data"),
        ("truncated.docx", "not a valid .docx"),
        ("report.pdf", "unsupported file type '.pdf'"),
    ],
)
def test_bad_file_raises_input_error_naming_the_reason(name, reason):
    with pytest.raises(InputError) as caught:
        read_article(BAD / name)
    assert reason in caught.value.reason
    assert name in str(caught.value)


def test_a_bad_file_in_a_folder_is_skipped_and_the_rest_read(tmp_path):
    shutil.copy(INPUTS / "s01_baotou_cas_rare_earth.txt", tmp_path)
    for bad in BAD.iterdir():
        shutil.copy(bad, tmp_path)
    (tmp_path / ".gitkeep").write_text("")
    reported = []
    result = read_folder(tmp_path, on_skip=reported.append)
    assert [a.id for a in result.articles] == ["s01_baotou_cas_rare_earth"]
    assert sorted(Path(s.path).name for s in result.skipped) == sorted(p.name for p in BAD.iterdir())
    assert reported == list(result.skipped)


def test_missing_inputs_folder_is_an_input_error(tmp_path):
    with pytest.raises(InputError, match="does not exist"):
        read_folder(tmp_path / "nowhere")


@pytest.mark.parametrize(
    "text, expected",
    [
        ("发布时间:2020/12/08 09:32:17    阅读:", dt.datetime(2020, 12, 8, 9, 32, 17)),
        ("2020-12-10 09:15", dt.datetime(2020, 12, 10, 9, 15)),
        ("2020年12月16日 15:42", dt.datetime(2020, 12, 16, 15, 42)),
        ("發布時間:２０２０/１２/２４", dt.datetime(2020, 12, 24)),
        ("时间：2020-13-40", None),
        ("阅读：123", None),
    ],
)
def test_parse_datetime(text, expected):
    assert parse_datetime(text) == expected


def test_html_tables_keep_their_cells_and_headers():
    article = read_article(Path(__file__).parent / "data" / "allocation_table.html")
    cells = {article.text[c.start : c.end]: c for c in article.cells}
    assert cells["700.00"].header == "支持资金（万元）" and cells["700.00"].row_label == "包头市"
    assert cells["10"].row_label == "合计"
    assert "地区\t项目数（项）\t支持资金（万元）" in article.text


def test_a_date_and_source_line_at_the_top_of_the_body_is_metadata():
    article = read_article(Path(__file__).parent / "data" / "allocation_table.html")
    assert article.published == dt.datetime(2021, 3, 5, 10, 20)
    assert article.source == "示例科技局"
    assert "发布时间" not in article.text and "ICP" not in article.text


def test_utf16_text_saved_by_notepad_is_read(tmp_path):
    path = tmp_path / "unicode.txt"
    path.write_bytes((INPUTS / "s05_tongliao_cau_agreement.txt").read_text(encoding="utf-8").encode("utf-16"))
    article = read_article(path)
    assert article.title.startswith("通辽市与中国农业大学")
    assert article.encoding == "utf-16"


def test_an_article_longer_than_any_news_story_is_refused(tmp_path):
    path = tmp_path / "dump.txt"
    path.write_text("标题\n\n" + "科技合作签约5项。" * 40_000, encoding="utf-8")
    with pytest.raises(InputError, match="more than any news article"):
        read_article(path)


def test_an_outputs_folder_inside_the_inputs_is_not_read(tmp_path):
    shutil.copy(INPUTS / "s01_baotou_cas_rare_earth.txt", tmp_path)
    shutil.copy(INPUTS / "s03_ordos_policy_measures.docx", tmp_path / "old-briefing.docx")
    (tmp_path / "outputs").mkdir()
    shutil.move(tmp_path / "old-briefing.docx", tmp_path / "outputs" / "old-briefing.docx")
    result = read_folder(tmp_path, exclude=tmp_path / "outputs")
    assert [a.id for a in result.articles] == ["s01_baotou_cas_rare_earth"]


def test_a_reader_that_fails_unexpectedly_skips_only_that_file(tmp_path, monkeypatch):
    from briefing import ingest

    def broken_reader(path):
        raise ValueError("lxml choked")

    monkeypatch.setitem(ingest.READERS, ".htm", broken_reader)
    shutil.copy(INPUTS / "s01_baotou_cas_rare_earth.txt", tmp_path)
    (tmp_path / "odd.htm").write_text("<p>x</p>", encoding="utf-8")
    result = read_folder(tmp_path)
    assert [a.id for a in result.articles] == ["s01_baotou_cas_rare_earth"]
    assert "ValueError: lxml choked" in result.skipped[0].reason


def test_files_with_the_same_name_in_two_folders_keep_distinct_ids(tmp_path):
    for folder, name in (("week50", "s01_baotou_cas_rare_earth.txt"), ("week51", "s05_tongliao_cau_agreement.txt")):
        (tmp_path / folder).mkdir()
        shutil.copy(INPUTS / name, tmp_path / folder / "news.txt")
    ids = [a.id for a in read_folder(tmp_path).articles]
    assert ids == ["week50/news.txt", "week51/news.txt"]


def test_markdown_article_loses_its_markup_but_keeps_its_text():
    article = read_article(Path(__file__).parent / "data" / "cooperation_note.md")
    assert article.title == "锡林郭勒盟与内蒙古农业大学签署科技合作协议"
    assert article.published == dt.datetime(2021, 3, 18)
    assert article.source == "锡林郭勒盟科技局"
    assert "3月16日，锡林郭勒盟行政公署与内蒙古农业大学在呼和浩特市签署科技合作协议。" in article.text
    for markup in ("**", "](", "![", "---", "# ", "（来源："):
        assert markup not in article.text


def test_forwarded_email_yields_the_article_not_the_forwarding_header():
    article = read_article(Path(__file__).parent / "data" / "forwarded_news.eml")
    assert article.title == "乌海市举办科技成果对接会 签约项目9项"
    assert article.published == dt.datetime(2021, 4, 1, 16, 30)
    assert "签约金额2300万元" in article.text
    for header in ("发件人", "主题", "转发的邮件", "请各位参阅"):
        assert header not in article.text


def test_an_email_without_a_date_line_takes_the_mail_date(tmp_path):
    from email.message import EmailMessage

    message = EmailMessage()
    message["Subject"] = "Fwd: 满洲里市科技局召开科技特派员工作会议"
    message["Date"] = "Mon, 12 Apr 2021 08:15:00 +0800"
    message.set_content("会议部署了科技特派员服务工作，全市选派科技特派员35名。\n")
    path = tmp_path / "mail.eml"
    path.write_bytes(bytes(message))
    article = read_article(path)
    assert article.title == "满洲里市科技局召开科技特派员工作会议"
    assert article.published == dt.datetime(2021, 4, 12, 8, 15)


def test_a_file_that_disappears_before_it_is_read_is_skipped(tmp_path):
    from briefing.ingest import read_files

    for name in ("s01_baotou_cas_rare_earth.txt", "s05_tongliao_cau_agreement.txt"):
        shutil.copy(INPUTS / name, tmp_path)
    items = read_files([tmp_path])
    first = next(items)  # the folder is listed, the first file read
    (tmp_path / "s05_tongliao_cau_agreement.txt").unlink()
    second = next(items)
    assert first.id == "s01_baotou_cas_rare_earth"
    assert "cannot read the file" in second.reason and "s05" in second.path


def test_a_zip_bomb_disguised_as_docx_is_refused(tmp_path):
    import zipfile

    path = tmp_path / "bomb.docx"
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("word/document.xml", "w", force_zip64=True) as member:
            chunk = b"\0" * (1 << 20)
            for _ in range(260):
                member.write(chunk)
    assert path.stat().st_size < 2_000_000
    with pytest.raises(InputError, match="zip bomb"):
        read_article(path)


def test_a_file_over_the_size_limit_is_refused_without_reading_it(tmp_path):
    from briefing.ingest import MAX_FILE_BYTES, MAX_PAGE_BYTES

    for name, size in (("huge.txt", MAX_FILE_BYTES + 1), ("huge.html", MAX_PAGE_BYTES + 1)):
        with (tmp_path / name).open("wb") as handle:
            handle.truncate(size)  # sparse: reading it would find only NUL bytes
        with pytest.raises(InputError, match=r"file is \d+ MB; articles over \d+ MB are refused"):
            read_article(tmp_path / name)


def fifty_megabyte_page(tmp_path, filler: str):
    """s06's page with 50 MB of ``filler`` in front of its first paragraph."""
    page = (INPUTS / "s06_ulanqab_bayannur_agri_docking.html").read_text(encoding="utf-8")
    path = tmp_path / "page.html"
    path.write_text(page.replace("<p>", filler * -(-50_000_000 // len(filler.encode("utf-8"))) + "<p>", 1), encoding="utf-8")
    assert 50_000_000 < path.stat().st_size < 52_000_000
    return path


def test_a_50_mb_page_saved_with_its_images_inside_is_read(tmp_path):
    image = '<p><img src="data:image/jpeg;base64,' + "/9j/4AAQSkZJRgABAQ" * 55_000 + '" alt="对接会现场"></p>\n'
    article = read_article(fifty_megabyte_page(tmp_path, image))
    assert article.text == read_article(INPUTS / "s06_ulanqab_bayannur_agri_docking.html").text


def test_a_50_mb_page_of_text_is_refused_with_the_reason(tmp_path):
    with pytest.raises(InputError, match="holds 50 MB even without its embedded images; pages over 10 MB are refused") as caught:
        read_article(fifty_megabyte_page(tmp_path, "<tr><td>2020年度项目</td><td>120万元</td></tr>\n"))
    assert "page.html" in str(caught.value)


@pytest.mark.parametrize(
    "change, reason",
    [
        (lambda name, data: data[: len(data) // 2] if name == "word/document.xml" else data, "the .docx is damaged (XMLSyntaxError"),
        (lambda name, data: None if name == "word/document.xml" else data, "no item named 'word/document.xml'"),
        (lambda name, data: None if name == "_rels/.rels" else data, "no item named '_rels/.rels'"),
        (lambda name, data: b"<workbook/>" if name == "word/document.xml" else data, "not a Word document that can be read"),
    ],
    ids=["cut-xml", "no-document-part", "no-relationships", "not-a-document"],
)
def test_a_damaged_docx_is_named_with_what_is_wrong(tmp_path, change, reason):
    with pytest.raises(InputError, match=re.escape(reason)):
        read_article(s03_changed(tmp_path, change))


def test_a_docx_without_core_properties_is_read(tmp_path):
    path = s03_changed(tmp_path, lambda name, data: None if name == "docProps/core.xml" else data)
    assert read_article(path).text == read_article(INPUTS / "s03_ordos_policy_measures.docx").text


def s03_changed(tmp_path: Path, change) -> Path:
    """A copy of the sample .docx whose parts pass through ``change(name, data)``; ``None`` leaves a part out."""
    import zipfile

    path = tmp_path / "changed.docx"
    with zipfile.ZipFile(INPUTS / "s03_ordos_policy_measures.docx") as source, zipfile.ZipFile(path, "w") as target:
        for info in source.infolist():
            if (data := change(info.filename, source.read(info))) is not None:
                target.writestr(info, data)
    return path


def test_html_leftovers_in_copied_text_are_not_part_of_the_article(tmp_path):
    from briefing.extract import extract_facts

    path = tmp_path / "copied.txt"
    path.write_text(
        "包头市&ldquo;科技兴蒙&rdquo;合作项目签约\n发布时间：&nbsp;2021-03-02 10:00\n"
        "&nbsp;&nbsp;3月1日，包头市与中国科学院签署合作协议，总投资1.2亿元。<br/>会上签约项目8项。</p>\n"
        "<p>双方将共建&lt;稀土&gt;创新平台，R&D投入超过5000万元。<科技日报>报道。</p>\n",
        encoding="utf-8",
    )
    article = read_article(path)
    assert article.title == "包头市“科技兴蒙”合作项目签约"
    assert article.published == dt.datetime(2021, 3, 2, 10, 0)
    assert article.text.split("\n\n")[1:] == [
        "3月1日，包头市与中国科学院签署合作协议，总投资1.2亿元。",
        "会上签约项目8项。",
        "双方将共建<稀土>创新平台，R&D投入超过5000万元。<科技日报>报道。",
    ]
    facts = extract_facts(article)
    assert {"1.2亿元", "8项", "超过5000万元"} <= {f.surface for f in facts}
    assert all(article.text[f.start : f.end] == f.surface for f in facts)


def test_undecodable_bytes_are_reported_not_crashed_on(tmp_path):
    path = tmp_path / "garbage.txt"
    path.write_bytes(bytes(range(0x80, 0x100)) * 40)
    with pytest.raises(InputError, match="cannot tell the text encoding"):
        read_article(path)


@pytest.mark.parametrize(
    "name, encoding",
    [
        ("s05_tongliao_cau_agreement.txt", "utf-8"),
        ("s05_tongliao_cau_agreement.txt", "utf-8-sig"),
        ("s05_tongliao_cau_agreement.txt", "gbk"),
        ("s05_tongliao_cau_agreement.txt", "gb18030"),
        ("s12_hohhot_dairy_center.txt", "gbk"),
        ("s11_anniversary_review_hant.txt", "big5"),
        ("s11_anniversary_review_hant.txt", "utf-16"),
    ],
)
def test_each_encoding_is_detected_and_decodes_to_the_same_text(tmp_path, name, encoding):
    original = read_article(INPUTS / name)
    text = (INPUTS / name).read_text(encoding="utf-8").replace("\u00a0", " ")  # Big5/GBK have no NBSP
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    article = read_article(path)
    assert article.title == original.title
    assert article.text == original.text.replace("\u00a0", " ")


@pytest.mark.parametrize("suffix, rows", [
    (".txt", "旗县市区\t项目数（项）\t支持资金（万元）\n集宁区\t12\t520\n丰镇市\t8\t340\n合计\t20\t860"),
    (".md", "| 旗县市区 | 项目数（项） | 支持资金（万元） |\n| --- | ---: | ---: |\n| 集宁区 | 12 | 520 |\n"
            "| 丰镇市 | 8 | 340 |\n| 合计 | 20 | 860 |"),
])
def test_tab_or_markdown_tables_in_text_keep_their_cells_and_headers(tmp_path, suffix, rows):
    path = tmp_path / f"allocation{suffix}"
    path.write_text(f"市级科技计划项目资金下达\n发布时间：2024-08-28\n\n各旗县市区安排如下：\n\n{rows}\n\n请按期拨付。\n",
                    encoding="utf-8")
    article = read_article(path)
    assert "集宁区\t12\t520\n丰镇市\t8\t340" in article.text
    cells = [(article.text[c.start:c.end], c.header, c.row_label) for c in article.cells]
    assert cells[:2] == [("12", "项目数（项）", "集宁区"), ("520", "支持资金（万元）", "集宁区")]
    assert cells[-1] == ("860", "支持资金（万元）", "合计")
    assert article.text.endswith("请按期拨付。")


def test_a_single_line_with_tabs_stays_a_paragraph(tmp_path):
    path = tmp_path / "note.txt"
    path.write_text("标题\n发布时间：2024-08-28\n\n联系人：张三\t电话：略\n\n正文一段。\n", encoding="utf-8")
    assert read_article(path).cells == ()
