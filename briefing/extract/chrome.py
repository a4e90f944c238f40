"""Page furniture copied into a plain-text article: footer lines that are not news.

Saved pages often end with the site's footer (``主办单位：…``, ``联系电话：…``,
``蒙ICP备05001234号-1``, ``技术支持：…有限公司``). Its numbers, places and companies are
metadata (samples/README.md, "Publish-time lines and page chrome"), so both the figure
grammar and the entity scan skip these lines.

A line is furniture when it starts with a footer label and a colon, or holds a
registration or copyright mark or a WeChat call to action (``点击“阅读原文”``,
``长按识别二维码``) anywhere. A list of other posts' headlines under its own heading
(``往期推荐``, ``相关阅读``) is furniture down to the first sentence or long line, which is
text again (a government page's 相关链接 box opens with a question or a sentence).
One search over the text, starting with a literal character so ``re`` can skip ahead;
nothing is done for the common text that has no such line.
"""

from __future__ import annotations

import re

_LABELS = (
    "主办单位", "主办", "承办单位", "承办", "协办单位", "协办", "主管单位", "主管", "地址", "通讯地址", "单位地址",
    "联系电话", "电话", "咨询电话", "传真", "邮编", "邮政编码", "电子邮箱", "邮箱", "E-mail", "Email",
    "技术支持", "网站标识码", "网站维护", "维护单位", "责任编辑", "编辑", "审核", "校对", "来源", "浏览次数",
    "访问量", "点击数", "主辦單位", "主辦", "地址", "聯繫電話", "電話", "傳真", "技術支持", "責任編輯", "來源",
)  # fmt: skip
_SPACE = " \t\u3000\u00a0"
_LABEL_LINE = (
    "\n[" + _SPACE + "]*(?:" + "|".join(sorted(set(map(re.escape, _LABELS)), key=len, reverse=True)) + ")[" + _SPACE + "]*[:：]"
)
_MARK = r"ICP[备備证證]|公网安备|公網安備|版权所有|版權所有|Copyright|©"
CALLS_TO_ACTION = frozenset({"阅读原文", "閱讀原文", "识别二维码", "識別二維碼", "扫码关注", "掃碼關注", "点击上方蓝字", "點擊上方藍字"})
"""WeChat calls to action; a line holding one is furniture when short (点击“阅读原文”了解更多),
while a sentence that ends by pointing to 阅读原文 is article text."""
CALL_LINE_LENGTH = 20
_LIST_HEADINGS = (
    "往期推荐", "往期回顾", "往期精彩", "精彩推荐", "推荐阅读", "相关阅读", "延伸阅读", "更多阅读", "相关新闻",
    "相关链接", "相关文章", "热门文章", "热点推荐", "猜你喜欢", "往期推薦", "往期回顧", "推薦閱讀", "相關閱讀", "相關新聞",
)  # fmt: skip
_LIST_HEADING = "\n[" + _SPACE + "]*(?P<list>" + "|".join(_LIST_HEADINGS) + ")[" + _SPACE + ":：]*(?=\n|$)"
_FURNITURE = re.compile(f"{_LIST_HEADING}|{_LABEL_LINE}|{_MARK}|" + "|".join(sorted(CALLS_TO_ACTION)))
"""A list heading or a label line (each starts with its line break), a mark or a call to action:
one search for all. Every alternative starts with a literal character, so ``re`` skips ahead to
the few places that can match (a capturing group first would make it try every position)."""
HEADLINE_LENGTH = 60
"""A line in a list of headlines is shorter than this; a longer one is article text again."""
MAX_HEADLINES = 15
"""Lines a list of other posts' headlines runs to at most."""


def chrome_spans(text: str) -> list[tuple[int, int]]:
    """``(start, end)`` of every footer line in ``text``, sorted, not overlapping."""
    starts: set[int] = set()
    if _FURNITURE.match("\n" + text[:40]):
        starts.add(0)
    lists = []
    for match in _FURNITURE.finditer(text):
        start = match.start()
        line_start = start + 1 if text[start] == "\n" else text.rfind("\n", 0, start) + 1
        if match.group() in CALLS_TO_ACTION and not _is_call_line(text, line_start):
            continue
        starts.add(line_start)
        if match.group("list"):
            lists.append((start + 1, _headlines_end(text, match.end())))
    spans = []
    for start in sorted(starts):
        end = text.find("\n", start)
        spans.append((start, len(text) if end < 0 else end))
    return _merged(spans + lists) if lists else spans


def _is_call_line(text: str, start: int) -> bool:
    """Whether the line at ``start`` is only a call to action: short, and no sentence."""
    end = text.find("\n", start)
    line = text[start : len(text) if end < 0 else end].strip()
    return len(line) <= CALL_LINE_LENGTH and not line.endswith("。")


def _headlines_end(text: str, start: int) -> int:
    """End of the run of headlines (short lines that are no sentence) from ``start``, at most
    :data:`MAX_HEADLINES` of them; a long line or one ending with 。！？ is article text again."""
    end, lines = start, 0
    while end < len(text) and lines < MAX_HEADLINES:
        line_end = text.find("\n", end + 1)
        line_end = len(text) if line_end < 0 else line_end
        line = text[end:line_end].strip()
        if len(line) >= HEADLINE_LENGTH or line.endswith(("。", "！", "？", "!", "?")):
            break
        end, lines = line_end, lines + bool(line)
    return end


def _merged(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """``spans`` sorted, overlapping ones joined."""
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def inside(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    """Whether ``[start, end)`` lies inside one of ``spans``."""
    return any(low <= start and end <= high for low, high in spans)
