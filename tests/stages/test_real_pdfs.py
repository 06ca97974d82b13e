"""The real-letter corpus as offices make it, through a real build (issue 16).

Every letter of tests/real is rendered to PDF by LibreOffice (scripts/render_real.py, committed in
tests/real/pdf: header and footer as two-column tables for `layout` letters, plain text for `ocr`
letters), signed here with the session's test PKI (the person, then the organisation, Decree 30) and
built into a portal whose units, groups and ignored recipients are tests/real/registry.yml. Only the
letters routed over that shared registry are built (a letter whose label names its own registry,
tests/real/registries/<name>.yml, would need a portal of its own; their routing is measured on their
text by tests/stages/test_routing_real.py, and their fields on their PDFs here). Then:

- every unit and group feed (feeds/<id>.json) holds exactly the letters the hand labels route to it,
  among the letters the build published; the letters the build refused are listed with their reasons
  (a refusal is fail-closed behaviour, not a silent miss: the clerk is told);
- the fields read from the rendered PDFs are measured against the labels (bench/bench_routing.py's
  comparison, `--pdf`); the assertion holds the level reached, documented in tests/real/README.md.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import tempfile
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
import yaml
from kit import ICT, REPO, Portal, load_bench, make_portal

from corpus.pki import DemoPki
from corpus.signing import sign_letter
from pipeline.decide.units import UnitIndex

REAL = REPO / "tests" / "real"
PDFS = REAL / "pdf"
# The test PKI's certificates are valid from 2025-01-01: older letters are signed on this day, as a
# clerk re-signing an archived letter would.
EARLIEST_SIGNING = dt.date(2025, 1, 2)


def _bench() -> ModuleType:
    return load_bench("bench_routing")


def _letters(*, shared_only: bool = False) -> list[tuple[str, dict[str, Any], dict[str, Any]]]:
    """The corpus letters; with `shared_only`, those routed over the shared tests/real/registry.yml."""
    out = []
    for path in sorted((REAL / "letters").glob("*.yml")):
        letter = yaml.safe_load(path.read_text(encoding="utf-8"))
        label = yaml.safe_load((REAL / "labels" / path.name).read_text(encoding="utf-8"))
        if shared_only and label.get("registry"):
            continue
        out.append((path.stem, letter, label))
    return out


def test_every_letter_has_its_rendered_pdf() -> None:
    names = {name for name, _letter, _label in _letters()}
    assert names, "no letters in tests/real"
    assert {p.stem for p in PDFS.glob("*.pdf")} == names, "rerun scripts/render_real.py"


def _portal(folder: Path, pki: DemoPki, letters: list[tuple[str, dict[str, Any], dict[str, Any]]]) -> Portal:
    portal = make_portal(folder, pki)
    config = yaml.safe_load((portal.root / "portal.yml").read_text(encoding="utf-8"))
    registry = yaml.safe_load((REAL / "registry.yml").read_text(encoding="utf-8"))
    for key in ("units", "groups", "ignored_recipients"):
        config[key] = registry.get(key, [])
    # These portals publish every issuer and kind of the corpus: what is measured is reading and
    # routing, not the demo office's policy of which kinds it publishes.
    issuers = sorted({label["issuer"] for _n, _l, label in letters if label.get("issuer")})
    config["organisation"]["publishes_for"] = issuers
    kinds = sorted({label["type"] for _n, _l, label in letters if label.get("type")})
    config["policy"]["publishable_types"] = sorted(set(config["policy"]["publishable_types"]) | set(kinds))
    (portal.root / "portal.yml").write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False),
                                            encoding="utf-8")
    for name, _letter, label in letters:
        issued = label.get("date") if isinstance(label.get("date"), dt.date) else None
        day = max(issued or EARLIEST_SIGNING, EARLIEST_SIGNING)
        person_time = dt.datetime(day.year, day.month, day.day, 8, 30, tzinfo=ICT)
        signed = sign_letter((PDFS / f"{name}.pdf").read_bytes(), pki.people[0], pki.organisation,
                             person_time=person_time, organisation_time=person_time + dt.timedelta(minutes=45))
        portal.add(f"{name}.pdf", signed)
    return portal


def _feed_letters(portal: Portal, feed: str) -> set[str]:
    """The corpus letters a feed holds: its items are named by the SHA-256 of the published file."""
    path = portal.site / "feeds" / f"{feed}.json"
    assert path.exists(), f"no feed for {feed}"
    by_hash = {hashlib.sha256(p.read_bytes()).hexdigest(): p.stem
               for p in (portal.root / "documents").glob("*.pdf")}
    items = json.loads(path.read_text(encoding="utf-8")).get("items", [])
    ids = [str(item.get("id", "")).removeprefix("urn:sha256:") for item in items]
    assert all(i in by_hash for i in ids), f"{feed}: an item that is no corpus letter"
    return {by_hash[i] for i in ids}


_ALL_NAMES = [name for name, _l, _b in _letters(shared_only=True)]


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory, pki: DemoPki) -> tuple[Portal, str]:
    portal = _portal(tmp_path_factory.mktemp("real") / "portal", pki, _letters(shared_only=True))
    _status, out, err = portal.build()
    # Refusals make the build's status non-zero; the site is still built from what was published.
    assert (portal.site / "feeds" / "all.json").exists(), out + err
    return portal, out + err


def test_every_feed_holds_exactly_its_labelled_published_letters(built: tuple[Portal, str]) -> None:
    portal, report = built
    bench = _bench()
    with tempfile.TemporaryDirectory() as tmp:
        index = UnitIndex(bench.registry_config(REAL / "registry.yml", Path(tmp)))
    published = _feed_letters(portal, "all")
    refused = sorted(set(_ALL_NAMES) - published)
    expected: dict[str, set[str]] = {}
    for name, _letter, label in _letters(shared_only=True):
        if name not in published:
            continue
        units, groups = bench.expected_targets(label, index)
        for target in units | groups:
            expected.setdefault(target, set()).add(name)
    wrong: dict[str, tuple[list[str], list[str]]] = {}
    for feed in (*index.order, *index.group_order):
        got = _feed_letters(portal, feed)
        if got != expected.get(feed, set()):
            wrong[feed] = (sorted(expected.get(feed, set()) - got), sorted(got - expected.get(feed, set())))
    print(f"published {len(published)}/{len(_ALL_NAMES)}; refused: {refused}")
    assert wrong == KNOWN_MISSES, f"feeds not exact (missing, extra): {wrong}"
    assert len(published) >= PUBLISHED_AT_LEAST, f"refused: {refused}\n{report[-4000:]}"


# The levels reached on the rendered PDFs (tests/real/README.md, "Rendered PDFs" and "Fourth pass").
# Of the 48 letters, 34 are refused, each fail-closed: fields the OCR lost or a Quyết định's subject
# in capitals not read (missing-metadata), an issuer name the OCR garbled (issuer-mismatch), subjects
# in an excluded area (excluded-category), and 3397/BKHĐT-QLKTTW as `no-recipient` (a reply to a
# company, reaching no unit while its lines are unresolved). Raise these when more is read; never
# lower them for the same letters (the fourth pass set them anew for a corpus of 48, measured blind:
# the 21 letters of the third pass still give 216/273 fields, layout 142/143, as before). 13 since
# 23/BC-UBND, published before with the number and day its OCR misread ("22", "3"), is refused with
# them unknown (fields16: a wrong number is worse than none); 20 since a quyết định's subject printed
# in capitals under its heading is read (seven of Bộ Y tế and Bảo hiểm xã hội Việt Nam).
PUBLISHED_AT_LEAST = 20
# Feeds known not to be exact: (missing letters, extra letters). Each is a routing miss that a
# letter added blind exposed; the build warns about it (never silent). Remove the entry with the fix.
KNOWN_MISSES: dict[str, tuple[list[str], list[str]]] = {
    # None left. The last, byt-benh-vien missing 1227/QĐ-BYT ("Các Bệnh viện trực thuộc BYT" for the
    # group registered as "Các bệnh viện, viện có giường bệnh trực thuộc Bộ Y tế"), was fixed in session
    # 30 after it was seen (the set phrase named by the hospitals alone). (19046/BTC-TCHQ's group and departments,
    # and the wrong unit of 1227/QĐ-BYT, the ministries read as Công an tỉnh, were misses of the
    # fourth pass until routing rules written after seeing them; 778/TCHQ-GSQL's "Cục GSQL về HQ" and
    # the initials of 3176 and 4750/QĐ-BYT's departments ("CSHT&TBYT", "TTB&CTYT") until the reading
    # of runs of initials; the articles of 2010, 3176 and 3276/QĐ-BYT, "Vụ trưởng các Vụ, Cục trưởng
    # các Cục thuộc Bộ Y tế", until heads named for their kind of body were read as one list; the
    # departments of 1227 and 4750/QĐ-BYT, named by articles as "các Vụ, Cục trực thuộc Bộ Y tế"
    # (registered "Các Vụ, Cục thuộc Bộ Y tế"), until "trực thuộc" and "thuộc" were read alike; "BHXH
    # Bộ Công an" (registered "BHXH Công an nhân dân"), "Chánh Thanh tra Bộ" in 3176/QĐ-BYT's article
    # and "Cơ sở khám, chữa bệnh trực thuộc Bộ Y tế" of 2010, 3176, 3276 and 4750/QĐ-BYT until the
    # twelfth pass's rules, written after seeing them: the forces and their ministries, "Chánh" heading
    # the body named after it, the term for every treating facility.)
}
# 271/273 since a quyết định's subject in capitals is read (263 before): a drafter's name the label
# keeps, and one subject that differs. These hold for the letters of the shared registry.yml (the 48
# letters of the first five passes).
LAYOUT_FIELDS_RIGHT_AT_LEAST = 0.99
# 473/624 (463 before a signer's name left alone by a lost signing block was read): OCR'd letters lose
# digits, diacritics, signer names. 484/624 (77.6%) since the twelfth pass read OCR'd date lines, stamps
# over the head, a title beside the "Nơi nhận" label and a heading with a stain's letter beside it.
ALL_FIELDS_RIGHT_AT_LEAST = 0.775
# The sixth pass's letters, each on its own registry, measured blind (tests/real/README.md, "Sixth
# pass"): layout 105/117, all 127/156 on the rendered PDFs. "KT.CHỦ TỊCH" without a space was read as
# the title (114/117 and 136/156 since it is read as the authority), a wrapped organ name ("BỘ TÀI
# NGUYÊN VÀ MÔI / TRƯỜNG") as its last line, a Nơi nhận list after its first item is lost, and the
# scans' handwritten numbers and dates are unknown. The ninth pass added three layout letters of
# issuers new to the corpus, measured blind: 34/39 on their PDFs (2865/GDĐT-KT&KĐCL's number cut at
# "&", its "Về:" subject and the Công văn type not read, two Nơi nhận items cut or run together). The
# sixth pass's letters stay at 114/117; all letters of their own registries: layout 148/156, all 87.7%.
# After it, not blind: "&" in a notation, a ";" inside an item's brackets and a drafter's file path
# under the list: layout 151/156, all 89.2%; "Về:" as a subject prefix: 153/156, all 90.3%; the
# twelfth pass (OCR'd date lines, a province's marks in an item): all 91.8%.
OWN_REGISTRY_LAYOUT_FIELDS_RIGHT_AT_LEAST = 0.97
OWN_REGISTRY_ALL_FIELDS_RIGHT_AT_LEAST = 0.915


def test_fields_read_from_the_rendered_pdfs() -> None:
    from pipeline.examine.fields.metadata import extract_metadata
    from pipeline.examine.text import read_text

    bench = _bench()
    right: dict[tuple[bool, str], int] = {}
    total: dict[tuple[bool, str], int] = {}
    for name, letter, label in _letters():
        text, _pages = read_text((PDFS / f"{name}.pdf").read_bytes())
        got, want = bench.extracted(extract_metadata(text)), bench.labelled(label)
        key = (bool(label.get("registry")), str(letter["rendering"]))
        for field in bench.FIELDS:
            total[key] = total.get(key, 0) + 1
            right[key] = right.get(key, 0) + bool(bench._same(got[field], want[field]))
    for own, layout_least, all_least in ((False, LAYOUT_FIELDS_RIGHT_AT_LEAST, ALL_FIELDS_RIGHT_AT_LEAST),
                                         (True, OWN_REGISTRY_LAYOUT_FIELDS_RIGHT_AT_LEAST,
                                          OWN_REGISTRY_ALL_FIELDS_RIGHT_AT_LEAST)):
        keys = [k for k in total if k[0] == own]
        if not keys:
            continue
        layout = (right.get((own, "layout"), 0), total.get((own, "layout"), 0))
        overall = sum(right[k] for k in keys) / sum(total[k] for k in keys)
        print(f"{'own registries' if own else 'registry.yml'}: fields right: layout {layout[0]}/{layout[1]}, "
              f"overall {overall:.1%}")
        assert layout[0] >= layout_least * layout[1]
        assert overall >= all_least
