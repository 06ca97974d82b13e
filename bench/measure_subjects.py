"""How well pipeline/decide/subjects.py sorts real subjects (trích yếu) into published and excluded.

Reads tests/data/subjects.yml (real subjects, each labelled publish/exclude by reading it against
DOMAIN.md §1) and prints, for the label "exclude": precision, recall, the false publications (an
excluded subject the rule lets through: the costly error) and the false refusals (a publishable
subject the rule refuses: a clerk's minute), listing each error with the phrase that decided it.
Exit status 0, or 1 with --strict when there is any false publication.

Usage: .venv/bin/python bench/measure_subjects.py [--list FILE] [--strict]
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:  # run as a plain script from a checkout
    sys.path.insert(0, str(REPO))

from pipeline.decide.subjects import excluded_subject  # noqa: E402

LIST = REPO / "tests" / "data" / "subjects.yml"


@dataclass(frozen=True)
class Outcome:
    subject: str
    label: str  # "publish" or "exclude", as read by a person
    refused_by: str | None  # "area: phrase" when the rule refuses it
    source: str

    @property
    def refused(self) -> bool:
        return self.refused_by is not None


def outcomes(path: Path = LIST) -> list[Outcome]:
    items = yaml.safe_load(path.read_text(encoding="utf-8"))
    result = []
    for item in items:
        found = excluded_subject(item["subject"])
        refused_by = None if found is None else f"{found.area}: {found.phrase}"
        result.append(Outcome(item["subject"], item["label"], refused_by, item.get("source", "")))
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--list", type=Path, default=LIST)
    parser.add_argument("--strict", action="store_true")
    args = parser.parse_args()
    rows = outcomes(args.list)
    true_refusals = [o for o in rows if o.label == "exclude" and o.refused]
    false_publications = [o for o in rows if o.label == "exclude" and not o.refused]
    false_refusals = [o for o in rows if o.label == "publish" and o.refused]
    true_publications = [o for o in rows if o.label == "publish" and not o.refused]
    refused = len(true_refusals) + len(false_refusals)
    excluded = len(true_refusals) + len(false_publications)
    precision = len(true_refusals) / refused if refused else 1.0
    recall = len(true_refusals) / excluded if excluded else 1.0
    print(f"subjects: {len(rows)} ({excluded} labelled exclude, {len(rows) - excluded} labelled publish)\n")
    print("| | rule refuses | rule publishes |")
    print("|---|---:|---:|")
    print(f"| labelled exclude | {len(true_refusals)} | {len(false_publications)} (false publications) |")
    print(f"| labelled publish | {len(false_refusals)} (false refusals) | {len(true_publications)} |\n")
    print(f"exclude label: precision {precision:.3f}, recall {recall:.3f}")
    for title, errors in (("false publications", false_publications), ("false refusals", false_refusals)):
        print(f"\n{title}: {len(errors)}")
        for o in errors:
            print(f"  - {o.subject!r}" + (f"  [{o.refused_by}]" if o.refused_by else ""))
    return 1 if args.strict and false_publications else 0


if __name__ == "__main__":
    raise SystemExit(main())
