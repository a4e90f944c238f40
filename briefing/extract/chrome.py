"""Page furniture copied into a plain-text article: footer lines that are not news.

Saved pages often end with the site's footer (``主办单位：…``, ``联系电话：…``,
``蒙ICP备05001234号-1``, ``技术支持：…有限公司``). Its numbers, places and companies are
metadata (samples/README.md, "Publish-time lines and page chrome"), so both the figure
grammar and the entity scan skip these lines.

A line is furniture when it starts with a footer label and a colon, or holds a
registration or copyright mark anywhere. Two searches over the text, each starting
with a literal character so ``re`` can skip ahead; nothing is done for the common
text that has no such line.
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
_FURNITURE = re.compile(f"{_LABEL_LINE}|{_MARK}")
"""A label line (it starts with its line break) or a mark: one search for both."""


def chrome_spans(text: str) -> list[tuple[int, int]]:
    """``(start, end)`` of every footer line in ``text``, sorted, not overlapping."""
    starts: set[int] = set()
    if _FURNITURE.match("\n" + text[:40]):
        starts.add(0)
    for match in _FURNITURE.finditer(text):
        start = match.start()
        starts.add(start + 1 if text[start] == "\n" else text.rfind("\n", 0, start) + 1)
    spans = []
    for start in sorted(starts):
        end = text.find("\n", start)
        spans.append((start, len(text) if end < 0 else end))
    return spans


def inside(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    """Whether ``[start, end)`` lies inside one of ``spans``."""
    return any(low <= start and end <= high for low, high in spans)
