"""The optional PDF: the Word briefing converted by LibreOffice, exactly as it lays it out.

LibreOffice is a large system program, not a Python dependency, so it is looked up
at run time and the message says how to install it when it is missing. Each
conversion runs with its own throw-away LibreOffice profile, so a LibreOffice window
the user has open (or another build) neither blocks nor breaks it.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from briefing.errors import BriefingError

OFFICE_PROGRAMS = ("soffice", "libreoffice")
CONVERT_SECONDS = 180
INSTALL_HINT = (
    "--pdf needs LibreOffice, which was not found on PATH. Install it "
    "(Debian/Ubuntu: sudo apt-get install libreoffice-writer; macOS: brew install --cask libreoffice; "
    "Windows: https://www.libreoffice.org/download/ and add its program folder to PATH), "
    "or build without --pdf and save the .docx as PDF from Word."
)


def office_program() -> str:
    """The LibreOffice executable, or a :class:`BriefingError` that says how to install it."""
    for name in OFFICE_PROGRAMS:
        found = shutil.which(name)
        if found:
            return found
    raise BriefingError(INSTALL_HINT)


def write_pdf(docx_path: Path, pdf_path: Path) -> Path:
    """Convert ``docx_path`` to ``pdf_path``; the PDF appears whole or not at all."""
    program = office_program()
    docx_path, pdf_path = Path(docx_path), Path(pdf_path)
    with tempfile.TemporaryDirectory(prefix="briefing-office-") as scratch:
        profile = Path(scratch, "profile").as_uri()
        command = [program, f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf",
                   "--outdir", scratch, str(docx_path)]
        try:
            result = subprocess.run(command, capture_output=True, text=True, timeout=CONVERT_SECONDS)
        except subprocess.TimeoutExpired as exc:
            raise BriefingError(f"LibreOffice did not convert {docx_path.name} to PDF within {CONVERT_SECONDS} s; "
                                "close other LibreOffice windows and try again") from exc
        converted = Path(scratch, docx_path.with_suffix(".pdf").name)
        if result.returncode != 0 or not converted.is_file():
            detail = (result.stderr or result.stdout).strip().splitlines()[-1:] or ["no output"]
            raise BriefingError(f"LibreOffice could not convert {docx_path.name} to PDF ({detail[0]})")
        shutil.move(converted, pdf_path)
    return pdf_path
