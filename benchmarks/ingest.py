"""Ingest speed and memory: files/s, peak memory and store size for 1,000 and 10,000 articles.

    python benchmarks/ingest.py              # 1,000 and 10,000 generated articles
    python benchmarks/ingest.py 500 2000     # other sizes

Articles are generated from the sample inputs (mixed formats: .txt, .html, .md and a
tenth .docx): each takes 2 or 3 paragraphs drawn from all the samples plus 2 paragraphs
of sample characters in a new order, with its own date and numbers. Real news overlaps
little; without the shuffled paragraphs every generated article would be a near-copy of
dozens of others and the benchmark would measure duplicate linking, not ingest. Each size runs in a fresh
process (peak RSS is per process) that reads, extracts and stores every file through
``briefing.pipeline.ingest_paths``, as ``briefing ingest`` does. The target in
DESIGN.md is >= 300 articles/s with memory flat in the number of articles. Wall-clock
files/s depend on what else the machine runs, so each size runs three times and the
fastest run is printed; files per CPU second depend on it less.
"""

from __future__ import annotations

import datetime as dt
import json
import random
import re
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from briefing.ingest import read_article  # noqa: E402

SUFFIXES = (".txt", ".txt", ".html", ".md", ".txt", ".html", ".md", ".txt", ".html", ".docx")
"""One in ten files is a .docx, as in a real inputs folder of mostly saved pages."""


def sample_paragraphs() -> list[tuple[str, list[str]]]:
    """(title, paragraphs) of every sample article, the material the generator varies."""
    found = []
    for path in sorted((ROOT / "inputs").iterdir()):
        article = read_article(path)
        paragraphs = [p for p in article.text[article.body_start :].split("\n\n") if "\t" not in p]
        found.append((article.title, paragraphs))
    return found


def vary(text: str, rng: random.Random) -> str:
    """Change every Arabic number a little, so each generated article has its own figures."""
    return re.sub(r"\d+(?:\.\d+)?", lambda m: str(round(float(m.group()) * rng.uniform(0.5, 1.5), 1 if "." in m.group() else None)), text)


def write_article(folder: Path, index: int, material, rng: random.Random) -> None:
    title = f"{vary(material[index % len(material)][0], rng)}（{index}）"
    every_paragraph = [p for _, paragraphs in material for p in paragraphs]
    body = [vary(p, rng) for p in rng.sample(every_paragraph, rng.randint(2, 3))]
    body += ["".join(rng.sample(p, len(p))) + "。" for p in rng.sample(every_paragraph, 2)]
    published = dt.datetime(2020, 1, 1, 9) + dt.timedelta(hours=rng.randrange(24 * 365 * 3))
    suffix = SUFFIXES[index % len(SUFFIXES)]
    path = folder / f"a{index:06d}{suffix}"
    stamp = published.strftime("%Y/%m/%d %H:%M:%S")
    if suffix == ".txt":
        path.write_text(f"欢迎访问示例科技网！\n\n{title}\n\n发布时间:{stamp}    阅读:\n" + "\n\n".join(body), encoding="utf-8")
    elif suffix == ".md":
        path.write_text(f"# {title}\n\n发布时间：{stamp}\n\n" + "\n\n".join(body), encoding="utf-8")
    elif suffix == ".html":
        paragraphs_html = "".join(f"<p>{p}</p>" for p in body)
        page = (
            f'<html><head><meta charset="gbk"><meta name="PubDate" content="{stamp}"><title>{title}_示例网</title></head>'
            f'<body><div class="nav"><a href="/">首页</a></div><h1>{title}</h1><div id="zoom">{paragraphs_html}</div>'
            f'<div class="footer">蒙ICP备12345678号 电话：0471-1234567</div></body></html>'
        )
        path.write_bytes(page.encode("gb18030"))
    else:
        import docx

        document = docx.Document()
        document.add_paragraph(title)
        document.add_paragraph(f"发布日期：{published:%Y年%m月%d日}")
        for paragraph in body:
            document.add_paragraph(paragraph)
        document.save(path)


def generate(folder: Path, count: int) -> int:
    rng = random.Random(count)
    material = sample_paragraphs()
    for index in range(count):
        write_article(folder, index, material, rng)
    return sum(p.stat().st_size for p in folder.iterdir())


RUNS = 3
"""Runs per size, each into a new store; the fastest is printed, as the one least slowed by other work on the machine."""


def peak_mb() -> float:
    """Peak resident memory of this process in MB.

    Linux's ``ru_maxrss`` keeps the parent's peak across fork and exec, so a child started
    by a parent that just wrote 10,000 files would report the parent's memory;
    ``VmHWM`` is this process's own.
    """
    try:
        status = Path("/proc/self/status").read_text()
    except OSError:
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return int(re.search(r"VmHWM:\s+(\d+) kB", status).group(1)) / 1024


def measure(folder: str, db: str) -> dict:
    """Run in a child process: ingest ``folder`` into ``db`` and report time and peak memory."""
    from briefing.pipeline import ingest_paths
    from briefing.store import Store

    started, cpu_started = time.perf_counter(), time.process_time()
    with Store.open(db) as store:
        summary = ingest_paths(store, [folder])
    return {
        "files": summary.files,
        "stored": summary.read,
        "skipped": len(summary.skipped),
        "seconds": time.perf_counter() - started,
        "cpu_seconds": time.process_time() - cpu_started,
        "peak_mb": peak_mb(),
    }


def run(folder: Path) -> dict:
    """Ingest ``folder`` into a new store in a fresh process; time, memory and store size."""
    with tempfile.TemporaryDirectory() as scratch:
        db = Path(scratch) / "briefing.db"
        command = [sys.executable, __file__, "--measure", str(folder), str(db)]
        result = json.loads(subprocess.run(command, capture_output=True, text=True, check=True).stdout)
        result["store_mb"] = sum(p.stat().st_size for p in Path(scratch).glob("briefing.db*")) / 1e6
        return result


def main(argv: list[str]) -> int:
    if argv[:1] == ["--measure"]:
        print(json.dumps(measure(argv[1], argv[2])))
        return 0
    sizes = [int(a) for a in argv] or [1_000, 10_000]
    print(f"{'articles':>9}{'stored':>8}{'skipped':>8}{'seconds':>9}{'files/s':>9}{'CPU s':>7}{'files/CPU s':>12}"
          f"{'peak MB':>9}{'input MB':>10}{'store MB':>10}")
    for count in sizes:
        with tempfile.TemporaryDirectory() as scratch:
            folder = Path(scratch) / "inputs"
            folder.mkdir()
            input_mb = generate(folder, count) / 1e6
            r = min((run(folder) for _ in range(RUNS)), key=lambda result: result["seconds"])
        print(
            f"{count:>9,}{r['stored']:>8,}{r['skipped']:>8}{r['seconds']:>9.1f}{r['files'] / r['seconds']:>9.0f}"
            f"{r['cpu_seconds']:>7.1f}{r['files'] / r['cpu_seconds']:>12.0f}{r['peak_mb']:>9.0f}{input_mb:>10.1f}{r['store_mb']:>10.1f}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
