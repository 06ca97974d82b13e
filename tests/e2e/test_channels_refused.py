"""Issue 15, end to end: validly signed letters whose visible text is harmless, but whose file
carries a secret or unsafe channel, are refused by a real build with the right code, and appear
nowhere on the site or in any feed; the clean letter built and signed the same way is published."""

from __future__ import annotations

import dataclasses
import hashlib
import json
from collections.abc import Callable
from pathlib import Path

import pytest
from kit import Portal, assert_nowhere_in_site, make_portal

from corpus import hostile
from corpus.letters import Letter, demo_letters, render_letter
from corpus.pki import DemoPki

BASE: Letter = demo_letters()[0]

# kind -> (how the letter's file is made hostile, the refusal code expected)
HOSTILE: dict[str, tuple[Callable[[Letter], bytes], str]] = {
    "earlier-revision": (hostile.earlier_secret_revision, "secret"),
    "embedded-file": (lambda letter: hostile.embedded_file(render_letter(letter)), "attachment"),
    "file-attachment": (lambda letter: hostile.file_attachment_annotation(render_letter(letter)), "attachment"),
    "stamp-contents": (lambda letter: hostile.stamp_annotation(render_letter(letter), contents="MẬT"), "secret"),
    "stamp-appearance": (lambda letter: hostile.stamp_annotation(render_letter(letter), contents=None,
                                                                 appearance="MẬT"), "secret"),
    "form-field": (lambda letter: hostile.form_field_value(render_letter(letter), "Độ mật: Mật"), "secret"),
    "info-title": (lambda letter: hostile.info_title(render_letter(letter), "TUYỆT MẬT"), "secret"),
    "xmp-title": (lambda letter: hostile.xmp_title(render_letter(letter), "TUYỆT MẬT"), "secret"),
    "javascript": (lambda letter: hostile.javascript_open_action(render_letter(letter)), "active-content"),
    "launch": (lambda letter: hostile.launch_link(render_letter(letter)), "active-content"),
    "image-page": (lambda letter: hostile.image_page(render_letter(letter)), "unreadable"),
    "form-xobject": (lambda letter: hostile.form_xobject_mark(render_letter(letter), "MẬT"), "secret"),
    "turned-mark": (lambda letter: hostile.rotated_mark(render_letter(letter), "MẬT"), "secret"),
    "page-201": (lambda letter: hostile.long_letter(render_letter(letter), 250, 201), "secret"),
}


@dataclasses.dataclass
class Built:
    portal: Portal
    status: int
    report: dict[str, object]
    files: dict[str, tuple[Letter, bytes]]  # kind ("control" or a HOSTILE key) -> (letter, signed bytes)


def _letter(index: int) -> Letter:
    return dataclasses.replace(BASE, number=f"{950 + index}/KH-LĐLĐ", subject=f"{BASE.subject} đợt {10 + index}")


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory, pki: DemoPki) -> Built:
    portal = make_portal(tmp_path_factory.mktemp("portal"), pki)
    files = {}
    control = _letter(0)
    files["control"] = (control, hostile.sign_hostile(render_letter(control), control, pki))
    for index, (kind, (build, _code)) in enumerate(HOSTILE.items(), start=1):
        letter = _letter(index)
        files[kind] = (letter, hostile.sign_hostile(build(letter), letter, pki))
    for kind, (_, data) in files.items():
        portal.add(f"2026/{kind}.pdf", data)
    status, stdout, stderr = portal.build("--json")
    assert stdout, stderr
    return Built(portal, status, json.loads(stdout), files)


def test_each_hostile_letter_is_refused_with_its_code_and_the_control_is_published(built: Built) -> None:
    assert built.status == 3
    published = [Path(str(p["file"])).stem for p in built.report["published"]]  # type: ignore[attr-defined]
    assert published == ["control"]
    refused = {Path(str(r["file"])).stem: [x["code"] for x in r["reasons"]]
               for r in built.report["refused"]}  # type: ignore[attr-defined]
    assert set(refused) == set(HOSTILE)
    for kind, (_build, code) in HOSTILE.items():
        assert code in refused[kind], (kind, refused[kind])


def test_no_hostile_letter_reaches_the_site_or_a_feed(built: Built) -> None:
    feeds = list((built.portal.site / "feeds").rglob("*"))
    assert any(path.suffix == ".xml" for path in feeds)
    assert_nowhere_in_site(built.portal.site, [pair for kind, pair in built.files.items() if kind != "control"])


def test_the_control_is_on_the_site_and_in_the_feed(built: Built) -> None:
    _, data = built.files["control"]
    assert data in {p.read_bytes() for p in built.portal.site.rglob("*.pdf")}
    feed = (built.portal.site / "feeds" / "all.xml").read_text(encoding="utf-8")
    assert hashlib.sha256(data).hexdigest() in feed
