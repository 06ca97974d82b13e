"""Fields and unit feeds over the real-letter corpus (tests/real, issue 16).

Each letter of tests/real/letters is turned into the text a PDF's text layer gives: `rendering: ocr`
letters as their OCR text (one page, plain lines), `rendering: layout` letters as layout-mode text
(the header and footer columns side by side, separated by a run of spaces, the body in between).
The text is read by pipeline.examine.fields.metadata.extract_metadata and the Kính gửi / Nơi nhận
lines it finds are routed by pipeline.decide.units.UnitIndex over the letter's registry: the shared
tests/real/registry.yml, or tests/real/registries/<name>.yml when its label says `registry: <name>`
(an issuer whose relative forms, "Các sở, ban, ngành", would meet another issuer's units). Feeds are
per registry: a feed is named "<name>/<id>" outside the shared registry, and counted once.

Prints:
- fields right per field and overall, against the hand labels (tests/real/labels);
- unit feeds exact: for every unit and group of the registry, whether the set of letters it receives
  equals the set the labels give it, both from the extracted lines (end to end) and from the labelled
  lines (routing alone);
- the labelled lines routed exactly as labelled, one by one, and each line that reaches a unit or
  group its label does not give (a wrong unit, the worst finding);
- the addressee items that reached nobody and were not ignored on purpose, each of which the build
  warns about.

With `--pdf`, the text is instead read from each letter's rendered PDF (tests/real/pdf, made by
scripts/render_real.py with LibreOffice) by pipeline.examine.text.read_text, as the build reads it.

`--only GLOB ...` measures only the letters whose id matches one of the patterns (fnmatch), e.g. the
letters one pass added.

Usage: .venv/bin/python bench/bench_routing.py [--verbose] [--pdf] [--folder tests/real] [--only GLOB ...]
"""

from __future__ import annotations

import argparse
import datetime as dt
import fnmatch
import re
import sys
import tempfile
import unicodedata
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:  # run as a plain script from a checkout
    sys.path.insert(0, str(REPO))

from pipeline.config import PortalConfig, load_config  # noqa: E402
from pipeline.decide.units import UnitIndex  # noqa: E402
from pipeline.examine.fields.header import SUBJECT_PREFIX  # noqa: E402
from pipeline.examine.fields.metadata import extract_metadata  # noqa: E402
from pipeline.normalize import canonical  # noqa: E402
from pipeline.records import Metadata, PdfText  # noqa: E402

FIELDS = ("number", "date", "place", "issuer", "type", "subject", "urgency", "secrecy",
          "signer.name", "signer.title", "signer.authority", "addressees", "recipients")
_LEFT_WIDTH = 48  # column where the right-hand header and footer column starts in layout text


def letter_text(letter: Mapping[str, Any]) -> PdfText:
    """The text a text layer would give for a corpus letter."""
    if letter.get("rendering") == "ocr":
        return PdfText((unicodedata.normalize("NFC", str(letter["text"])),))
    lines: list[str] = []
    lines += _side_by_side(letter.get("header_left", ""), letter.get("header_right", ""))
    lines.append("")
    lines += ["    " + line if line.strip() else "" for line in str(letter.get("body", "")).splitlines()]
    lines.append("")
    lines += _side_by_side(letter.get("footer_left", ""), letter.get("footer_right", ""))
    return PdfText((unicodedata.normalize("NFC", "\n".join(lines)),))


def pdf_text(folder: Path, name: str) -> PdfText:
    """The text the build reads from a letter's rendered PDF (tests/real/pdf/<name>.pdf)."""
    from pipeline.examine.text import read_text
    text, _pages = read_text((folder / "pdf" / f"{name}.pdf").read_bytes())
    return text


def _side_by_side(left: str, right: str) -> list[str]:
    a, b = str(left or "").splitlines(), str(right or "").splitlines()
    rows = []
    for i in range(max(len(a), len(b))):
        x = a[i] if i < len(a) else ""
        y = b[i] if i < len(b) else ""
        rows.append(f"{x:<{_LEFT_WIDTH}}    {y}".rstrip() if y else x)
    return rows


def extracted(metadata: Metadata) -> dict[str, Any]:
    return {
        "number": metadata.number,
        "date": metadata.issued_date.isoformat() if metadata.issued_date else None,
        "place": metadata.place,
        "issuer": metadata.organ_name,
        "type": metadata.type_name,
        "subject": metadata.subject,
        "urgency": metadata.marks.urgency,
        "secrecy": metadata.marks.secrecy,
        "signer.name": metadata.signer.full_name,
        "signer.title": metadata.signer.position,
        "signer.authority": metadata.signer.authority,
        "addressees": list(metadata.addressees),
        "recipients": list(metadata.recipients),
    }


def labelled(label: Mapping[str, Any]) -> dict[str, Any]:
    signer = label.get("signer") or {}
    date = label.get("date")
    return {
        "number": label.get("number"),
        "date": date.isoformat() if isinstance(date, dt.date) else date,
        "place": label.get("place"),
        "issuer": label.get("issuer"),
        "type": label.get("type"),
        # The extractor reports the subject after its "V/v" / "Về việc" prefix (the inspection
        # contract, as corpus/golden.py expects it); the labels give it as printed.
        "subject": SUBJECT_PREFIX.sub("", label["subject"]) if label.get("subject") else None,
        "urgency": label.get("urgency"),
        "secrecy": label.get("secrecy"),
        "signer.name": signer.get("name"),
        "signer.title": signer.get("title"),
        "signer.authority": signer.get("authority"),
        "addressees": list(label.get("addressees") or []),
        "recipients": list(label.get("recipients") or []),
    }


def _same(a: Any, b: Any) -> bool:
    def norm(v: Any) -> Any:
        if isinstance(v, list):
            return [norm(x) for x in v]
        if isinstance(v, str):
            return " ".join(canonical(v).split()).casefold() or None
        return v
    return bool(norm(a) == norm(b))


def _folded(text: str) -> str:
    return " ".join(canonical(text).split()).casefold()


def held_by_text(field: str, value: Any, text: str) -> bool:
    """Whether the letter's text holds the labelled value at all, so that a reader of that text could
    give it: a number or a day written by hand after signing, or a signer's name lost under the
    signature, is on the page image the label was read from but in no text layer. Compared folded
    (case, Unicode form, spacing), never by running the extractor."""
    if value in (None, []):
        return True  # nothing to read: the right answer is "none"
    folded = _folded(text)
    if field == "date":
        day = dt.date.fromisoformat(str(value))
        # As a date line spells it: "13/4/2026" in a text is a cited document's date or the time
        # of a signature, never the letter's own.
        return re.search(rf"ngày\s*0?{day.day}\s*tháng\s*0?{day.month}\s*năm\s*{day.year}", folded) is not None
    if field == "number":
        return _folded(str(value)).replace(" ", "") in folded.replace(" ", "")
    if isinstance(value, list):
        return all(_folded(str(item)) in folded for item in value)
    return _folded(str(value)) in folded


def registry_config(registry: Path, folder: Path) -> PortalConfig:
    """A portal.yml around the corpus registry: its units, groups and ignored recipients, and the
    office's own name where a per-issuer registry gives it (`organisation:`); the rest (certificates,
    trust) are placeholders."""
    data = yaml.safe_load(registry.read_text(encoding="utf-8"))
    portal = {
        "organisation": {"name": str(data.get("organisation") or "Corpus"), "certificates": [
            {"issuer": "CN=Corpus CA,C=VN", "subject": "CN=Corpus,O=Corpus,C=VN"}]},
        "site": {"url": "https://corpus.example.org/"},
        "trust": {"roots": [str(REPO / "trust" / "demo-root.pem")]},
        **{k: v for k, v in data.items() if k in ("units", "groups", "ignored_recipients")},
    }
    path = folder / "portal.yml"
    path.write_text(yaml.safe_dump(portal, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return load_config(path)


SHARED = ""  # the registry name of tests/real/registry.yml


def registry_name(label: Mapping[str, Any]) -> str:
    """The registry a letter is routed over: its label's `registry:` key, or the shared one."""
    return str(label.get("registry") or SHARED)


def registry_path(folder: Path, name: str) -> Path:
    return folder / "registry.yml" if name == SHARED else folder / "registries" / f"{name}.yml"


def registry_index(folder: Path, name: str) -> UnitIndex:
    """The unit index of one registry of the corpus (by name; SHARED for registry.yml)."""
    with tempfile.TemporaryDirectory() as tmp:
        return UnitIndex(registry_config(registry_path(folder, name), Path(tmp)))


def feed_name(registry: str, feed: str) -> str:
    return feed if registry == SHARED else f"{registry}/{feed}"


def line_targets(line: str, ids: list[str] | None, index: UnitIndex, text: str) -> tuple[set[str], set[str]]:
    """One labelled line routed alone: (what it reaches, what its label gives), units and groups, a
    group's members counted as reached units as the router reports them."""
    resolution = index.resolve((), (line,), text)  # "Như Điều 3" reads the text
    got = {*resolution.units, *resolution.groups}
    units, _groups = expected_targets({"routing": {line: ids}}, index)
    return got, units | {i for i in ids or [] if i in index.members}


def expected_targets(label: Mapping[str, Any], index: UnitIndex) -> tuple[set[str], set[str]]:
    units: set[str] = set()
    groups: set[str] = set()
    for ids in (label.get("routing") or {}).values():
        for target in ids or []:
            if target in index.members:
                groups.add(target)
                units.update(index.members[target])
            else:
                units.add(target)
    return units, groups


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Fields and unit feeds over tests/real.")
    parser.add_argument("--folder", type=Path, default=REPO / "tests" / "real")
    parser.add_argument("--verbose", action="store_true")
    parser.add_argument("--pdf", action="store_true", help="read the rendered PDFs (tests/real/pdf)")
    parser.add_argument("--only", nargs="+", metavar="GLOB", help="only the letters whose id matches")
    args = parser.parse_args(argv)
    folder: Path = args.folder
    indexes: dict[str, UnitIndex] = {}
    right = {f: 0 for f in FIELDS}
    # A field the extractor leaves unknown is safe (the clerk is asked); a wrong value is not.
    unknown = {f: 0 for f in FIELDS}
    # Against what the text holds: a field whose labelled value is in no part of the text is right
    # when reported unknown (the clerk is asked), and still wrong when given a value.
    not_held = {f: 0 for f in FIELDS}
    right_by_text = {f: 0 for f in FIELDS}
    by_rendering_text: dict[str, list[int]] = {}
    by_rendering: dict[str, list[int]] = {}
    total = {f: 0 for f in FIELDS}
    mismatches: list[str] = []
    feeds_expected: dict[str, set[str]] = {}
    feeds_extracted: dict[str, set[str]] = {}
    feeds_labelled: dict[str, set[str]] = {}
    unresolved: list[tuple[str, str, str]] = []
    lines_total = 0
    lines_exact = 0
    lines_wrong: list[str] = []
    letters = sorted(p for p in (folder / "letters").glob("*.yml")
                     if not args.only or any(fnmatch.fnmatch(p.stem, g) for g in args.only))
    for path in letters:
        name = path.stem
        letter = yaml.safe_load(path.read_text(encoding="utf-8"))
        label = yaml.safe_load((folder / "labels" / path.name).read_text(encoding="utf-8"))
        registry = registry_name(label)
        if registry not in indexes:
            indexes[registry] = registry_index(folder, registry)
        index = indexes[registry]
        text = pdf_text(folder, name) if args.pdf else letter_text(letter)
        metadata = extract_metadata(text)
        got, want = extracted(metadata), labelled(label)
        for field in FIELDS:
            total[field] += 1
            tally = by_rendering.setdefault(str(letter.get("rendering")), [0, 0])
            tally[1] += 1
            tally_text = by_rendering_text.setdefault(str(letter.get("rendering")), [0, 0])
            tally_text[1] += 1
            held = held_by_text(field, want[field], text.full)
            not_held[field] += not held
            same = _same(got[field], want[field])
            if same or (not held and got[field] in (None, [])):
                right_by_text[field] += 1
                tally_text[0] += 1
            if same:
                right[field] += 1
                tally[0] += 1
            else:
                if got[field] in (None, []):
                    unknown[field] += 1
                mismatches.append(f"{name} {field}: got {got[field]!r}, expected {want[field]!r}")
        units, groups = expected_targets(label, index)
        full_text = text.full
        end_to_end = index.resolve(metadata.addressees, metadata.recipients, full_text)
        routing_only = index.resolve(tuple(want["addressees"]), tuple(want["recipients"]), full_text)
        for target in units | groups:
            feeds_expected.setdefault(feed_name(registry, target), set()).add(name)
        for target in (*end_to_end.units, *end_to_end.groups):
            feeds_extracted.setdefault(feed_name(registry, target), set()).add(name)
        for target in (*routing_only.units, *routing_only.groups):
            feeds_labelled.setdefault(feed_name(registry, target), set()).add(name)
        for line, ids in (label.get("routing") or {}).items():
            lines_total += 1
            reached, given = line_targets(line, ids, index, full_text)
            lines_exact += reached == given
            if reached - given:
                lines_wrong.append(f"{name}: {line!r} reaches {sorted(reached - given)}")
        for item in routing_only.unresolved:
            unresolved.append((name, item, next((w for w in routing_only.warnings if repr(item.strip(" ;,.")) in w
                                                 or item in w), "")))
    source = "rendered PDFs" if args.pdf else "letter text"
    feeds = [feed_name(r, f) for r, index in sorted(indexes.items()) for f in (*index.order, *index.group_order)]
    n_units = sum(len(index.order) for index in indexes.values())
    n_groups = sum(len(index.group_order) for index in indexes.values())
    print(f"tests/real ({source}): {len(letters)} letters, {len(indexes)} registries, {n_units} units, "
          f"{n_groups} groups")
    print("\nFields right (extracted from the text vs. hand labels); of the rest, unknown / wrong:")
    for field in FIELDS:
        wrong = total[field] - right[field] - unknown[field]
        print(f"  {field:<18} {right[field]:>3}/{total[field]:<3} {100 * right[field] / max(1, total[field]):6.1f}%"
              f"   unknown {unknown[field]:>2}, wrong {wrong:>2}")
    all_right, all_total = sum(right.values()), sum(total.values())
    all_unknown = sum(unknown.values())
    print(f"  {'overall':<18} {all_right:>3}/{all_total:<3} {100 * all_right / max(1, all_total):6.1f}%"
          f"   unknown {all_unknown:>2}, wrong {all_total - all_right - all_unknown:>2}")
    for rendering, (r, t) in sorted(by_rendering.items()):
        print(f"  {'rendering ' + rendering:<18} {r:>3}/{t:<3} {100 * r / max(1, t):6.1f}%")
    print("\nFields right against what the text holds (a labelled value the text does not hold at all,"
          "\nsuch as a number written by hand, is right when reported unknown, wrong when given):")
    for field in FIELDS:
        print(f"  {field:<18} {right_by_text[field]:>3}/{total[field]:<3}"
              f" {100 * right_by_text[field] / max(1, total[field]):6.1f}%   not in the text {not_held[field]:>2}")
    text_right = sum(right_by_text.values())
    print(f"  {'overall':<18} {text_right:>3}/{all_total:<3} {100 * text_right / max(1, all_total):6.1f}%"
          f"   not in the text {sum(not_held.values()):>2}")
    for rendering, (r, t) in sorted(by_rendering_text.items()):
        print(f"  {'rendering ' + rendering:<18} {r:>3}/{t:<3} {100 * r / max(1, t):6.1f}%")
    for title, feeds_got in (("end to end (extracted lines)", feeds_extracted),
                             ("routing alone (labelled lines)", feeds_labelled)):
        exact = [f for f in feeds if feeds_got.get(f, set()) == feeds_expected.get(f, set())]
        print(f"\nUnit and group feeds exact, {title}: {len(exact)}/{len(feeds)}")
        for feed in feeds:
            got_set, want_set = feeds_got.get(feed, set()), feeds_expected.get(feed, set())
            if got_set != want_set:
                print(f"  {feed}: missing {sorted(want_set - got_set)}, extra {sorted(got_set - want_set)}")
    print(f"\nLabelled lines routed exactly as labelled, one by one: {lines_exact}/{lines_total}; "
          f"reaching a unit or group not labelled: {len(lines_wrong)}")
    for wrong_line in lines_wrong:
        print("  " + wrong_line)
    print(f"\nItems warned as reaching nobody (routing alone): {len(unresolved)}")
    if args.verbose:
        for name, item, _warning in unresolved:
            print(f"  {name}: {item!r}")
        print("\nField mismatches:")
        for line in mismatches:
            print("  " + line)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
