"""A second opinion: poppler's `pdfsig` (Debian poppler-utils) over the demo documents, generated
good and attacked letters, and the public attack corpus. Where pdfsig gives an integrity verdict for
a signature ("Signature is Valid." against "Digest Mismatch." / "Signature is Invalid." and other
failures), ours must agree: intact, valid, and no `signature-invalid` problem for that signature.

pdfsig only hashes the bytes a signature's /ByteRange names and checks the CMS signature over
them. It does not ask whether those ranges are the whole revision, whether later revisions changed
what was signed, or whether the algorithms are still acceptable. Every disagreement therefore has
one of three causes, and in each case ours is the right answer for a publishing portal:

- `coverage`: the /ByteRange is not the standard two ranges around /Contents reaching the end of
  the signature's revision (pyHanko's coverage anomalies, our signature-wrapping letters). The
  hashed bytes are authentic, but bytes outside them (the wrapped copy's original location, an
  uncovered tail) are part of the document and unsigned; a reader would render them. pdfsig says
  "valid" (and prints "Not total document signed" without judging it); we refuse.
- `unparseable`: pyHanko's strict reader cannot read the file or the signature's revision (bad
  `endstream`, broken xref, an object listed as free and reused, an object missing from the
  revision it is referenced in). These are the RUB shadow attacks' manipulated files and the RUB
  certification examples. pdfsig's lenient reader reconstructs the file and hashes the ranges; we
  refuse to vouch for a document whose structure we cannot read unambiguously, since that
  ambiguity is exactly what shadow attacks exploit.
- `algorithm`: the RUB certification test files are signed with a digest algorithm pyHanko's
  default policy disallows (SHA-1): mathematically intact, no longer acceptable evidence.

The assertions list every disagreement expected, by file and cause, so a new one fails the test.
"""

from __future__ import annotations

import dataclasses
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from kit import ATTACKS, REPO

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "stages"))
import test_verify_attacks as attacks

from corpus.pki import DemoPki
from pipeline.examine.verify import TrustAnchors, verify_pdf
from pipeline.records import ReasonCode, VerifyResult

PDFSIG = shutil.which("pdfsig")
pytestmark = pytest.mark.skipif(PDFSIG is None, reason="poppler-utils' pdfsig is not installed")

VALID = "Signature is Valid."

# (file name, cause) for every signature on which pdfsig says "valid" and we do not.
EXPECTED_DISAGREEMENTS = {
    ("coverage-anomalies__one-byterange.pdf", "coverage"),
    ("coverage-anomalies__signature-gap-too-big.pdf", "coverage"),
    ("coverage-anomalies__tail-uncovered.pdf", "coverage"),
    ("coverage-anomalies__weird-byterange.pdf", "coverage"),
    ("wrapping-last.pdf", "coverage"),
    ("wrapping-first.pdf", "coverage"),
    ("4_original-document-shadowed-signed-manipulated_v1.pdf", "unparseable"),
    ("4_original-document-shadowed-signed-manipulated_v2.pdf", "unparseable"),
    ("4_original-document-shadowed-signed-manipulated.pdf", "unparseable"),  # hide-form, replace-2, h&r-2
    ("02_NDA_cert_p2_sign_original.pdf", "unparseable"),
    ("03_NDA_cert_p2_sign_manipulate.pdf", "unparseable"),
    ("04_NDA_cert_p2_sign_sign_manipulate.pdf", "unparseable"),
    ("01_Test_cert_p2_original.pdf", "algorithm"),
    ("02_Test_cert_p2_sign_original.pdf", "algorithm"),
    ("03_Test_cert_p2_sign_manipulate.pdf", "algorithm"),
}


@dataclasses.dataclass
class PdfsigSignature:
    field: str
    validation: str | None  # None: pdfsig printed no verdict (an empty field)


def pdfsig(path: Path, home: Path) -> list[PdfsigSignature]:
    assert PDFSIG is not None
    done = subprocess.run([PDFSIG, "-nocert", "-no-ocsp", str(path)], capture_output=True, text=True, timeout=60,
                          env={**os.environ, "HOME": str(home)}, check=False)
    found: list[PdfsigSignature] = []
    for line in done.stdout.splitlines():
        line = line.strip()
        if line.startswith("- Signature Field Name:"):
            found.append(PdfsigSignature(line.split(":", 1)[1].strip(), None))
        elif line.startswith("- Signature Validation:") and found:
            found[-1].validation = line.split(":", 1)[1].strip()
    return found


def _ours(data: bytes, anchors: TrustAnchors) -> VerifyResult | None:
    try:
        return verify_pdf(data, anchors)
    except Exception:  # the sandbox makes this an `unreadable` refusal
        return None


def _cause(result: VerifyResult | None, field: str) -> str | None:
    """Why we do not call `field` a sound signature (None: we do)."""
    if result is None:
        return "unparseable"
    report = next((s for s in result.signatures if s.field_name == field), None)
    if report is None:
        return "unparseable"
    invalid = [p for p in report.problems if p.startswith(ReasonCode.SIGNATURE_INVALID.value)]
    if not (report.intact and report.valid):
        return "digest"
    if any("byte range" in p for p in invalid):
        return "coverage"
    if any("algorithm" in p for p in invalid):
        return "algorithm"
    if invalid:
        return "other"
    return None


def _files(tmp: Path, pki: DemoPki, impostor_pki: DemoPki) -> list[Path]:
    files = sorted((REPO / "documents").rglob("*.pdf"))
    person, org = pki.people[0], pki.organisation

    def good(index: int, **kwargs: object) -> bytes:
        return attacks._two_signatures(attacks.render_letter(attacks._letter(index)), person, org, **kwargs)

    generated = {
        "good": good(0),
        "good-cades": good(1, sub_filter="ETSI.CAdES.detached"),
        "flipped-byte": attacks.flipped_byte(good(2)),
        "incremental-content": attacks.incremental_content(good(3)),
        "wrapping-last": attacks.wrapping(good(4), -1),
        "wrapping-first": attacks.wrapping(good(5), 0),
        "byterange-tail-excluded": attacks.byte_range_tail_excluded(good(6)),
        "forgery-contents-zero": attacks.contents_forgery(good(7), "contents-zero"),
        "forgery-byterange-zero": attacks.contents_forgery(good(8), "byterange-zero", 0),
        "look-alike-ca": attacks._two_signatures(attacks.render_letter(attacks._letter(9)),
                                                 impostor_pki.people[0], impostor_pki.organisation),
    }
    for name, data in generated.items():
        path = tmp / f"{name}.pdf"
        path.write_bytes(data)
        files.append(path)
    if ATTACKS.is_dir():
        files += sorted(p for p in ATTACKS.rglob("*.pdf") if "rub-pdf101-dos" not in p.parts)
    return files


def test_pdfsig_agrees_with_our_integrity_verdicts(tmp_path: Path, pki: DemoPki, impostor_pki: DemoPki) -> None:
    anchors = TrustAnchors.from_pem((pki.root.cert_pem(), (REPO / "trust" / "demo-root.pem").read_bytes()),
                                    ("Liên đoàn Lao động tỉnh Mẫu",))
    home = tmp_path / "home"
    home.mkdir()
    disagreements: set[tuple[str, str]] = set()
    unexplained: list[tuple[str, str, str | None, str | None]] = []
    verdicts = 0
    for path in _files(tmp_path, pki, impostor_pki):
        result = _ours(path.read_bytes(), anchors)
        for sig in pdfsig(path, home):
            if sig.validation is None:
                continue
            verdicts += 1
            cause = _cause(result, sig.field)
            if sig.validation == VALID and cause is None:
                continue
            if sig.validation != VALID and cause is not None:
                continue  # both say the signature is not sound
            if sig.validation == VALID and cause in {"coverage", "unparseable", "algorithm"}:
                disagreements.add((path.name, cause))
                continue
            unexplained.append((str(path), sig.field, sig.validation, cause))
    assert not unexplained, unexplained
    assert verdicts >= 40
    expected = EXPECTED_DISAGREEMENTS if ATTACKS.is_dir() else {
        d for d in EXPECTED_DISAGREEMENTS if d[0].startswith("wrapping")}
    assert disagreements == expected


def test_pdfsig_sees_the_digest_mismatch_we_see(tmp_path: Path, pki: DemoPki) -> None:
    data = attacks.flipped_byte(attacks._two_signatures(attacks.render_letter(attacks._letter(20)),
                                                        pki.people[0], pki.organisation))
    path = tmp_path / "flipped.pdf"
    path.write_bytes(data)
    home = tmp_path / "home"
    home.mkdir()
    assert [s.validation for s in pdfsig(path, home)] == ["Digest Mismatch.", "Digest Mismatch."]
    anchors = TrustAnchors.from_pem((pki.root.cert_pem(),), ("Liên đoàn Lao động tỉnh Mẫu",))
    assert not any(s.intact for s in verify_pdf(data, anchors).signatures)
