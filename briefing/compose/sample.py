"""A tiny made-up week run through the real pipeline stages, for checking templates.

``briefing templates check`` renders a template against this context, and the
docs test compares ``docs/templates.md`` with it. It is built by the real
extractor, :func:`briefing.aggregate.digest_week` and :func:`.build_context`, so
it has every name a build has and never drifts from them. Every list in it has
at least one item (a repost, a figure left out of the totals, a story without
figures, last week, a skipped file), so the fields of list items can be checked too.
"""

from __future__ import annotations

import datetime as dt
import functools

from briefing.models import Article, SkippedFile, WeekDigest

SAMPLE_WEEK = "2020-W51"
SAMPLE_TODAY = dt.date(2020, 12, 21)
SAMPLE_SKIPPED = (SkippedFile("inputs/损坏的文件.docx", "not a Word file (zip header missing)"),)

_ARTICLES = (
    # (id, published, source, title, body)
    ("sample_ordos", dt.datetime(2020, 12, 9, 9), "鄂尔多斯日报", "鄂尔多斯市与内蒙古大学签署合作协议",
     "12月9日，鄂尔多斯市人民政府与内蒙古大学签署合作协议，现场签约项目8项，市财政安排专项资金2亿元。"),
    ("sample_baotou", dt.datetime(2020, 12, 15, 9), "包头日报", "包头市与中国科学院签署战略合作协议",
     "12月15日，包头市人民政府与中国科学院签署战略合作协议，现场签约项目12项，市财政安排专项资金3000万元，"
     "带动企业投入1.5亿元。双方将共建稀土新材料研发平台2个。今年以来，全市累计签约项目86项。"),
    ("sample_baotou_repost", dt.datetime(2020, 12, 16, 10), "", "包头市与中国科学院签署战略合作协议",
     "12月15日，包头市人民政府与中国科学院签署战略合作协议，现场签约项目12项，市财政安排专项资金3000万元。"),
    ("sample_hohhot", dt.datetime(2020, 12, 17, 15), "呼和浩特市科技局", "呼和浩特市下达年度科技计划项目",
     "近日，呼和浩特市下达年度科技计划项目46项，支持资金2500万元，其中企业牵头项目30项，支持比例达65.2%。"),
    ("sample_hinggan", dt.datetime(2020, 12, 18, 10), "兴安日报", "兴安盟召开科技创新工作座谈会",
     "会议听取了各旗县市科技工作情况汇报，研究部署下一阶段科技创新重点任务。"),
)
_REPOSTS = {"sample_baotou_repost": "sample_baotou"}


def sample_articles() -> list[Article]:
    """The sample week's articles (and one of the week before), as ingest would give them."""
    return [Article(id=id_, path=f"sample/{id_}.txt", title=title, text=f"{title}\n\n{body}", published=published,
                    source=source, url=f"http://kjj.example.cn/{id_}.html", duplicate_of=_REPOSTS.get(id_))
            for id_, published, source, title, body in _ARTICLES]


@functools.cache
def sample_digest() -> WeekDigest:
    """The sample week as :func:`briefing.aggregate.digest_week` sums it, facts found by the real extractor.

    Made once per process: checking several templates reuses it.
    """
    from briefing.aggregate import digest_week
    from briefing.extract import extract_article

    articles = sample_articles()
    facts = {article.id: extract_article(article)[0] for article in articles}
    return digest_week(articles, facts, SAMPLE_WEEK, SAMPLE_SKIPPED)


def sample_context() -> dict:
    """What a template sees when the sample week is built (charts left as ``""``, as without charts)."""
    from .context import build_context

    return build_context(sample_digest(), today=SAMPLE_TODAY)
