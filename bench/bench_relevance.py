"""Search relevance in a real browser (issue 20): precision@3 over realistic queries, and how often a
number that no document bears is answered as "found".

The corpus is bench/scale_corpus.py's (letters rendered and signed for real, addressed across 50
units, bodies shared by many letters, so that body text competes with the number, type, subject and
signer), N documents (default 400) in a scratch portal built by the real pipeline. The expected
results of each query come from the letters the generator made, not from the index:

  number     an existing number, in the spellings people type ("123/KH-LĐLĐ", "123 KH LDLD",
             "số 123/kh-ldld", "123"): relevant = that document
  missing    a number no document bears: must show no result and say so (a "found" answer is counted)
  subject    a subject topic with and without diacritics: relevant = letters whose subject holds it
  type       "kế hoạch", "giay moi", ...: relevant = letters of that type
  signer     a signer's name: relevant = letters that person signed
  unit       a unit's name: relevant = letters addressed to it
  month      "thang 3 nam 2016": relevant = letters dated in that month

Expected results count published letters only (the pipeline refuses some generated subjects).

precision@3 of a query: relevant results among its first three, divided by min(3, relevant
documents). Each query is opened as a shared search address (tim-kiem/?q=...), as a visitor
following a link would, and read once every bundle has answered.

Usage: .venv/bin/python bench/bench_relevance.py [--root /tmp/relevance] [--n 400] [--json]
"""

from __future__ import annotations

import argparse
import functools
import http.server
import json
import random
import re
import subprocess
import sys
import threading
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

REPO = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(REPO), str(REPO / "bench")]

from scale_corpus import SUBJECT_TOPICS, letter, make_portal, units  # noqa: E402

from corpus.letters import Letter  # noqa: E402

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"]


def fold(text: str) -> str:
    text = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return "".join(c for c in text if not unicodedata.combining(c)).lower()


@dataclass(frozen=True)
class Query:
    kind: str
    text: str
    relevant: frozenset[str]  # document numbers


def corpus(n: int) -> list[Letter]:
    registry = units()
    return [letter(i, random.Random(i), registry, n)[0] for i in range(n)]  # as scale_corpus.make_portal draws them


def queries(letters: list[Letter]) -> list[Query]:
    def where(test: Callable[[Letter], bool]) -> frozenset[str]:
        return frozenset(str(item.number) for item in letters if test(item))

    found: list[Query] = []
    picked = random.Random(20).sample(letters, 6)
    for item in picked:
        number = str(item.number)
        digits, _, notation = number.partition("/")
        spellings = [number, f"{digits} {fold(notation).upper().replace('-', ' ')}", f"số {fold(number)}", digits]
        found += [Query("number", spelling, frozenset({number})) for spelling in spellings]
    for missing in ("9999/KH-LĐLĐ", "8888 TB LDLD", "số 7777/GM-LĐLĐ", "6543/LĐLĐ", "5000/CTr-LĐLĐ"):
        found.append(Query("missing", missing, frozenset()))
    for topic in SUBJECT_TOPICS:
        relevant = where(lambda item, topic=topic: topic in (item.subject or ""))
        found.append(Query("subject", topic, relevant))
        found.append(Query("subject", fold(topic), relevant))
    for type_name in ("Kế hoạch", "Giấy mời", "Thông báo", "Hướng dẫn"):
        relevant = where(lambda item, type_name=type_name: item.type_name == type_name)
        found.append(Query("type", type_name.lower(), relevant))
        found.append(Query("type", fold(type_name), relevant))
    for signer in sorted({item.signer_name for item in letters})[:3]:
        found.append(Query("signer", signer, where(lambda item, signer=signer: item.signer_name == signer)))
        found.append(Query("signer", fold(signer), where(lambda item, signer=signer: item.signer_name == signer)))
    for unit in ("Liên đoàn Lao động huyện Gò Quao", "Công đoàn ngành Y tế",
                 "Công đoàn cơ sở Công ty TNHH Dệt Long Hải"):
        found.append(Query("unit", unit, where(lambda item, unit=unit: unit in item.addressees)))
    for month in (3, 7):
        # The corpus spans ten years since scale_corpus spreads its letters (issue 21): the year counts.
        relevant = where(lambda item, month=month: item.issued_date is not None and item.issued_date.month == month
                         and item.issued_date.year == 2016)
        found.append(Query("month", f"thang {month} nam 2016", relevant))
    return [q for q in found if q.relevant or q.kind == "missing"]


def build(root: Path, n: int) -> tuple[Path, frozenset[int]]:
    """The built site, and the generated letters left out (by index): a letter the pipeline refuses
    is taken out of the corpus, since the final audit stops a build whose pages hold a number that
    contains a refused one ("12/KH-LĐLĐ" holds "2/KH-LĐLĐ")."""
    make_portal(root, n)
    dropped: set[int] = set()
    for _attempt in range(4):
        done = subprocess.run([sys.executable, "-m", "pipeline", "--root", str(root), "build", "--out",
                               str(root / "site")], cwd=REPO, capture_output=True, text=True)
        if done.returncode in (0, 3) and (root / "site" / "tim-kiem" / "index.html").is_file():
            return root / "site", frozenset(dropped)
        refused = set(re.findall(r"refused (documents/\S+-(\d{5})\.pdf)", done.stdout + done.stderr))
        if not refused:
            break
        for path, number in refused:
            (root / path).unlink(missing_ok=True)
            dropped.add(int(number) - 1)
    raise SystemExit(f"build failed ({done.returncode}): {done.stdout[-2000:]}{done.stderr[-2000:]}")


class Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


def run(site: Path, asked: list[Query]) -> list[dict[str, object]]:
    from playwright.sync_api import sync_playwright

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(site)))
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{httpd.server_address[1]}/"
    answers = []
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            tab = browser.new_page()
            tab.set_default_timeout(60_000)
            for query in asked:
                tab.goto(f"{base}tim-kiem/?q={quote(query.text)}")
                status = tab.locator("#cb-search-status")
                status.filter(has_text=re.compile(r"Tìm thấy|Không tìm thấy")).wait_for()
                tab.wait_for_function("!document.querySelector('#cb-search-status').textContent.startsWith('Đang')")
                numbers = [text.removeprefix("số ") for text in
                           tab.locator("#cb-results .cb-number").all_inner_texts()]
                said = status.inner_text()
                answers.append({"kind": query.kind, "query": query.text, "status": said, "top": numbers[:3],
                                "relevant": len(query.relevant),
                                "precision": (sum(1 for n in numbers[:3] if n in query.relevant)
                                              / min(3, len(query.relevant))) if query.relevant else None,
                                "found": said.startswith("Tìm thấy") or bool(numbers)})
            browser.close()
    finally:
        httpd.shutdown()
    return answers


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--root", type=Path, default=Path("/tmp/relevance"))
    parser.add_argument("--n", type=int, default=400)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    site, dropped = build(args.root, args.n)
    # Expected results are published letters only: the pipeline refuses some generated subjects
    # (issue 15's excluded subjects), and a refused letter is on no page and in no index.
    published = {entry["number"] for shard in (site / "tim-kiem" / "so").glob("*.json")
                 for entries in json.loads(shard.read_text(encoding="utf-8")).values() for entry in entries}
    letters = [item for index, item in enumerate(corpus(args.n)) if index not in dropped and item.number in published]
    asked = queries(letters)
    answers = run(site, asked)
    judged = [a for a in answers if a["precision"] is not None]
    missing = [a for a in answers if a["kind"] == "missing"]
    precision = sum(float(a["precision"]) for a in judged) / len(judged)  # type: ignore[arg-type]
    false_found = sum(1 for a in missing if a["found"])
    if args.json:
        print(json.dumps({"documents": len(letters), "queries": len(answers), "precision_at_3": precision,
                          "false_found": false_found, "missing": len(missing), "answers": answers},
                         ensure_ascii=False, indent=1))
        return 0
    for a in answers:
        mark = "" if a["precision"] is None else f"{a['precision']:.2f}"
        print(f"{a['kind']:8} {mark:>5}  {a['query']!s:45} {a['top']}  ({a['relevant']} relevant) {a['status']}")
    print(f"\n{len(letters)} documents, {len(answers)} queries ({len(judged)} judged, "
          f"{len(missing)} numbers nobody bears)")
    print(f"precision@3: {precision:.3f}")
    print(f"'found' answers for numbers nobody bears: {false_found} of {len(missing)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
