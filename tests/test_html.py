"""Finding the article in a web page: body without chrome, title, publish time, source, URL.

The pages in tests/data/html imitate Chinese government CMS (TRS, 政府网站 ``#zoom`` /
``pages_content``), a table-layout site, a university WebPlus site, a news portal and a
WeChat article; tests/data/html/expected.json holds what each must give. The same
expectations drive benchmarks/html_extractors.py.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from briefing import html
from briefing.ingest import decode_bytes, read_article

ROOT = Path(__file__).resolve().parent.parent
PAGES = json.loads((Path(__file__).parent / "data" / "html" / "expected.json").read_text(encoding="utf-8"))["pages"]


def parse(path: Path) -> html.Page:
    raw = path.read_bytes()
    text, _ = decode_bytes(raw, path, html.declared_charset(raw))
    return html.parse_page(text, path)


@pytest.mark.parametrize("expected", PAGES, ids=[Path(p["path"]).stem for p in PAGES])
def test_page(expected):
    page = parse(ROOT / expected["path"])
    assert page.title == expected["title"]
    assert page.published == dt.datetime.fromisoformat(expected["published"])
    assert page.source == expected["source"]
    assert page.url == expected["url"]
    assert page.paragraphs == expected["body"]
    body = json.dumps(page.paragraphs, ensure_ascii=False)
    assert [chrome for chrome in expected["chrome"] if chrome in body] == []


@pytest.mark.parametrize("expected", PAGES, ids=[Path(p["path"]).stem for p in PAGES])
def test_article_text_has_no_chrome(expected):
    """Through the whole reader (metadata-line lifting, text composition) too."""
    article = read_article(ROOT / expected["path"])
    assert article.published == dt.datetime.fromisoformat(expected["published"])
    assert [chrome for chrome in expected["chrome"] if chrome in article.text] == []


ARTICLE = """<p>　　今年全区新认定高新技术企业120家，比上年增加30家，技术合同成交额达到25亿元。</p>
<p>　　自治区科技厅表示，将继续落实研发费用加计扣除等政策，支持企业加大研发投入。</p>"""


def page_with(head: str = "", article_info: str = "", sidebar: str = "", sidebar_class: str = "sidebar") -> str:
    return f"""<html><head><meta charset="utf-8">{head}<title>全区高新技术企业数量持续增长_示例科技网</title></head><body>
<div class="{sidebar_class}"><div class="box">{sidebar}</div>
<ul><li><a href="/a.html">某盟市新增科技型企业56家</a><span class="date">2021-06-01</span></li></ul></div>
<div class="article"><h1>全区高新技术企业数量持续增长</h1><div class="info">{article_info}</div>
<div class="content">{ARTICLE}</div></div>
<div class="footer">版权所有 示例科技网 蒙ICP备00000000号 电话：0471-0000000</div></body></html>"""


@pytest.mark.parametrize("sidebar_class", ["sidebar", "col-md-4"])
def test_a_sidebar_date_never_wins_even_when_the_article_has_none(sidebar_class):
    page = html.parse_page(page_with(sidebar="发布时间：2021-06-09 08:00", sidebar_class=sidebar_class), Path("page.html"))
    assert page.published is None
    assert page.title == "全区高新技术企业数量持续增长"


@pytest.mark.parametrize(
    "head, article_info, expected",
    [
        ('<meta name="PubDate" content="2021-06-05 09:30">', "发布时间：2021-06-04 10:00", dt.datetime(2021, 6, 5, 9, 30)),
        ("", "发布时间：2021-06-04 10:00　来源：示例科技局", dt.datetime(2021, 6, 4, 10, 0)),
        ("", "發布時間：2021年6月4日", dt.datetime(2021, 6, 4)),
        ("", '<span class="time">2021-06-03</span>', dt.datetime(2021, 6, 3)),
        ("", "<span>2021-06-02 16:20</span>", dt.datetime(2021, 6, 2, 16, 20)),
        ('<meta property="article:published_time" content="2021-06-01T07:45:00+08:00">', "", dt.datetime(2021, 6, 1, 7, 45)),
        ('<meta name="publishdate" content="2021-06-05">', "时间：2021-06-04", dt.datetime(2021, 6, 5)),
        ("", "时间：2021-06-04　来源：示例科技局", dt.datetime(2021, 6, 4)),
        ("", "发布日期：2021年06月04日 10:00", dt.datetime(2021, 6, 4, 10, 0)),
        ('<meta name="publishdate" content="2021-06-05">', "2021年06月05日08:18", dt.datetime(2021, 6, 5, 8, 18)),
        ("", "<p>\n        2021-06-04 09:10<span> </span></p>", dt.datetime(2021, 6, 4, 9, 10)),
        ("", '<a class="post-date">2021年06月04日</a>', dt.datetime(2021, 6, 4)),
        ("", "2021-06-04 12:11<span>来源：示例科技网</span><span>作者：李某</span>", dt.datetime(2021, 6, 4, 12, 11)),
        ('<script type="application/ld+json">{"@type": "NewsArticle", "datePublished": "2021-06-03T07:30:00+08:00"}</script>',
         "", dt.datetime(2021, 6, 3, 7, 30)),
    ],
    ids=["meta-beats-line", "labelled-line", "traditional-label", "time-class", "bare-date-by-title", "iso-meta",
         "publishdate-meta", "time-label-without-clock", "date-label-with-clock", "meta-day-visible-clock",
         "indented-date-line", "date-classed-link", "date-before-source-and-author", "json-ld"],
)
def test_publish_time_order(head, article_info, expected):
    page = html.parse_page(page_with(head, article_info, sidebar="发布时间：2021-06-09 08:00"), Path("page.html"))
    assert page.published == expected


def test_body_drops_attachments_editor_and_contact_lines_but_keeps_sentences_with_numbers():
    extra = """<p>　　详见<a href="/zcwj/1.html">《关于进一步支持高新技术企业发展的若干措施》</a>。</p>
<p>　　联系人：张工，联系电话：0471-1234567。</p><p>　　附件：</p>
<p><a href="/f/P0202106.xlsx">1.2021年高新技术企业名单</a></p><p>上一篇：<a href="/b.html">某市召开科技大会</a></p><p>（责任编辑：王五）</p>"""
    page = html.parse_page(page_with().replace(ARTICLE, ARTICLE + extra), Path("page.html"))
    assert page.paragraphs == [
        "今年全区新认定高新技术企业120家，比上年增加30家，技术合同成交额达到25亿元。",
        "自治区科技厅表示，将继续落实研发费用加计扣除等政策，支持企业加大研发投入。",
        "详见《关于进一步支持高新技术企业发展的若干措施》。",
    ]


def test_cms_title_and_source_meta_tags_win_over_the_page():
    head = '<meta name="ArticleTitle" content="全区高新技术企业数量持续增长 创新主体不断壮大"><meta name="ContentSource" content="内蒙古日报">'
    page = html.parse_page(page_with(head, "发布时间：2021-06-04 10:00　来源：示例科技局"), Path("page.html"))
    assert page.title == "全区高新技术企业数量持续增长 创新主体不断壮大"
    assert page.source == "内蒙古日报"
    assert page.published == dt.datetime(2021, 6, 4, 10, 0)


def test_an_article_inside_a_form_is_read():
    """Site builders (VSB) wrap the whole article in ``<form name="_newscontent_fromname">``."""
    form = f'<form name="_newscontent_fromname"><input type="hidden" name="x"><div id="vsb_content">{ARTICLE}</div></form>'
    page = html.parse_page(page_with().replace(f'<div class="content">{ARTICLE}</div>', form), Path("page.html"))
    assert page.paragraphs[0].startswith("今年全区新认定高新技术企业120家")


def test_hidden_elements_share_bars_and_navigation_links_are_not_article_text():
    extra = """<p style="display:none">原标题：某市新增企业999家</p><div class="hide_word">(本文来自示例网，更多资讯请下载APP)</div>
<div class="zan-wap"><div class="zan-i">+1</div></div><p>返回首页<a href="/">返回示例网首页&gt;&gt;</a></p>
<div class="zdfy"><a href="/2.html">【2】</a><a href="/3.html">【3】</a></div>
<span class="p-jc"><a class="advise">【纠错】</a></span><p>责任编辑：</p><p>王五</p>"""
    page = html.parse_page(page_with().replace(ARTICLE, ARTICLE + extra), Path("page.html"))
    body = "\n".join(page.paragraphs)
    for chrome in ("999家", "本文来自", "+1", "示例网首页", "【2】", "纠错", "王五"):
        assert chrome not in body


def test_a_source_line_ends_at_the_next_label():
    page = html.parse_page(page_with("", "<div>2021-06-04 12:11<span>来源：示例科技网</span><span>作者：李某</span></div>"), Path("page.html"))
    assert page.source == "示例科技网"


def test_a_header_date_without_a_clock_gives_way_to_the_articles_time_that_day():
    """人民网's page header shows today's date; the article's own line has the time."""
    page_text = page_with('<meta name="publishdate" content="2021-06-04">', "2021年06月04日08:26 | 来源：示例网")
    page_text = page_text.replace("<body>", '<body><div class="top"><span class="time">2021年06月04日 星期五</span></div>')
    assert html.parse_page(page_text, Path("page.html")).published == dt.datetime(2021, 6, 4, 8, 26)


def test_words_like_share_and_return_inside_the_article_are_kept():
    """Class words are matched whole (shareholder is no share bar), a link is navigation only
    when it says so (返回首页, not 返回舱), and a long hidden part is the collapsed article."""
    extra = ('<div class="shareholder">　　公司股东增资5000万元，用于建设研发中心。</div>'
             '<p>　　飞船<a href="/x">返回舱</a>4月30日成功着陆。</p>'
             '<div class="article-hide">' + "这是被折叠的正文，" * 10 + "投入资金2亿元。</div>")
    page = html.parse_page(page_with().replace(ARTICLE, ARTICLE + extra), Path("page.html"))
    body = "\n".join(page.paragraphs)
    for text in ("增资5000万元", "飞船返回舱4月30日", "投入资金2亿元"):
        assert text in body
