"""Golden end-to-end output: the sample week's briefing, compared with the approved copy.

Any change to what the briefing says shows up here as a readable diff. When the
change is intended, refresh the approved copies with one command and review them
in the commit:

    pytest tests/test_golden.py --update-golden
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn
from docx.table import Table
from docx.text.paragraph import Paragraph

from briefing.config import ReportSettings, Settings
from briefing.pipeline import build

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = ROOT / "tests" / "data" / "golden"
TODAY = dt.date(2020, 12, 28)
REPORT = ReportSettings(unit="赤峰市科技信息服务平台", report_to="市委、市政府领导，自治区科技厅",
                        copy_to="各旗县区科技局", cumulative=True)


@pytest.fixture(scope="module")
def briefing(tmp_path_factory):
    out = tmp_path_factory.mktemp("golden")
    return build(Settings(inputs=ROOT / "inputs", out=out, db=out / "briefing.db", today=TODAY, report=REPORT)).report


def docx_text(path: str) -> str:
    """Every paragraph, and every table cell row by row (cells joined by `` | ``), in document order."""
    document = docx.Document(path)
    lines = []
    for block in document.element.body.iterchildren():
        if block.tag == qn("w:p"):
            lines.append(Paragraph(block, document).text)
        elif block.tag == qn("w:tbl"):
            lines += [" | ".join(cell.text for cell in row.cells) for row in Table(block, document).rows]
    return "\n".join(lines) + "\n"


def check(actual: str, name: str, update: bool) -> None:
    golden = GOLDEN / name
    if update:
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text(actual, encoding="utf-8")
        return
    assert golden.is_file(), f"{golden} is missing: run pytest tests/test_golden.py --update-golden"
    expected = golden.read_text(encoding="utf-8")
    assert actual == expected, f"{name} differs from the approved copy; if intended: pytest tests/test_golden.py --update-golden"


def test_markdown_matches_the_approved_copy_byte_for_byte(briefing, request):
    check(Path(briefing.markdown).read_text(encoding="utf-8"), "briefing-2020-W52.md", request.config.getoption("--update-golden"))


def test_docx_text_matches_the_approved_copy(briefing, request):
    check(docx_text(briefing.docx), "briefing-2020-W52.docx.txt", request.config.getoption("--update-golden"))
