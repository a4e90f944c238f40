"""Check gold_b.jsonl (k09-k16) against the articles as briefing.ingest reads them.

Run from the repository root:  /tmp/venv/bin/python tests/data/devset6/check_gold_b.py [-v]

- every fact with offsets has text[start:end] == surface, facts are in text order;
  a fact without offsets (start/end null) must still occur in the title + body;
- the gold title is the title ingest returns;
- every place/org: its canonical name or one of its aliases occurs in the text, and every alias does;
- with -v: lists digit runs and Chinese-numeral runs that no fact covers, for a manual look.
"""
from __future__ import annotations

import json
import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[2]))
from briefing.ingest import read_article  # noqa: E402

CN = "零〇一二两三四五六七八九十百千万亿"
RUN = re.compile(rf"[0-9０-９][0-9０-９.,．]*|[{CN}]+")


def main(verbose: bool) -> int:
    errors = 0
    files = {p.stem: p for p in HERE.iterdir() if p.suffix in {".txt", ".html", ".docx"}}
    totals = {"facts": 0, "places": 0, "orgs": 0}
    for line in (HERE / "gold_b.jsonl").read_text(encoding="utf-8").splitlines():
        g = json.loads(line)
        art = read_article(files[g["id"]])
        text = art.text
        if art.title != g["title"]:
            print(f"{g['id']}: title {art.title!r} != gold {g['title']!r}")
            errors += 1
        last = -1
        covered = [False] * len(text)
        for f in g["facts"]:
            s, e = f["start"], f["end"]
            if s is None:
                if f["surface"] not in text:
                    print(f"{g['id']}: surface {f['surface']!r} (no offsets) not in text")
                    errors += 1
                continue
            if text[s:e] != f["surface"]:
                print(f"{g['id']}: text[{s}:{e}]={text[s:e]!r} != {f['surface']!r}")
                errors += 1
            if s < last:
                print(f"{g['id']}: fact {f['surface']!r} out of order")
                errors += 1
            last = s
            for i in range(s, e):
                covered[i] = True
            if f["kind"] in {"money", "count"} and not f.get("category"):
                print(f"{g['id']}: {f['surface']!r} has no category")
                errors += 1
        ents = g["entities"]
        names = ents["places"] + ents["orgs"]
        if set(names) != set(ents["aliases"]):
            print(f"{g['id']}: aliases keys differ from places+orgs")
            errors += 1
        for n in names:
            forms = [n] + ents["aliases"].get(n, [])
            if not any(x in text for x in forms):
                print(f"{g['id']}: entity {n!r} (or an alias) not in text")
                errors += 1
            for a in ents["aliases"].get(n, []):
                if a not in text:
                    print(f"{g['id']}: alias {a!r} not in text")
                    errors += 1
        totals["facts"] += len(g["facts"])
        totals["places"] += len(ents["places"])
        totals["orgs"] += len(ents["orgs"])
        if verbose:
            print(f"== {g['id']}: {len(g['facts'])} facts, {len(ents['places'])} places, {len(ents['orgs'])} orgs")
            for m in RUN.finditer(text):
                if not any(covered[m.start():m.end()]):
                    ctx = text[max(0, m.start() - 6):m.end() + 6].replace("\n", "⏎")
                    print(f"   not a fact: {m.group()!r:12} …{ctx}…")
    print(f"{totals['facts']} facts, {totals['places']} places, {totals['orgs']} orgs; {errors} error(s)")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main("-v" in sys.argv[1:]))
