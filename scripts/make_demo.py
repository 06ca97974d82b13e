"""Regenerate the demo corpus: a DEMO PKI, its trust root, and the signed letters of the fictional
"Liên đoàn Lao động tỉnh Mẫu".

What it writes (under ROOT, the repository root unless --out says otherwise):

- demo-pki/root.pem, demo-pki/*.p12, demo-pki/pki.json: DEMO keys made for this demo only
  (root "DEMO Root CA congbo", issuing CA "DEMO CA Ký số", the organisation and three people).
  The .p12 files have no password. Never trust them anywhere real.
- trust/demo-root.pem: a copy of the DEMO root, the trust root named in portal.yml.
- documents/2026/<date>-<number>.pdf: every letter of pipeline.corpus.letters.demo_letters(),
  rendered, signed by its signer around 08:30 (+07:00) on its date, then by the organisation 20 to
  90 minutes later (Nghị định 30 order). Every third letter uses ETSI.CAdES.detached, the others
  adbe.pkcs7.detached, since both circulate.

It overwrites only those files and deletes nothing. By default the PKI is made anew (new keys, so
every PDF changes); --reuse-pki keeps an existing demo-pki/ and then the output is byte-identical
from run to run.

Usage: .venv/bin/python scripts/make_demo.py [--out ROOT] [--reuse-pki]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:  # run as a plain script from a checkout
    sys.path.insert(0, str(REPO))

from corpus.letters import demo_letters, demo_signing_times, letter_filename, render_letter  # noqa: E402
from corpus.pki import DemoPki, load_pki, make_demo_pki, write_pki  # noqa: E402
from corpus.signing import sign_letter  # noqa: E402
from pipeline.office.signing import SubFilter  # noqa: E402


def _pki(folder: Path, reuse: bool) -> DemoPki:
    if reuse and (folder / "pki.json").is_file():
        print(f"reusing the DEMO PKI in {folder}")
        return load_pki(folder)
    pki = make_demo_pki()
    write_pki(pki, folder)
    print(f"wrote a new DEMO PKI to {folder}")
    return pki


# The demo portal publishes the kinds DOMAIN.md §1 lists (portal.yml); its one Quyết định, the
# office's own rules for publishing, goes out through a recorded override, shown on its page.
PUBLISHABLE_TYPES = {"Giấy mời", "Công văn", "Báo cáo", "Chương trình", "Thông báo", "Hướng dẫn", "Kế hoạch"}
DECISION_OVERRIDE = """\
# Quyết định không thuộc các loại văn bản được đăng (portal.yml); Văn phòng quyết định đăng văn bản này.
override:
  rules: [excluded-category]
  decided_by: Phạm Thị Hoa, Chánh Văn phòng
  reason: Quy chế công bố văn bản điện tử phải được các đơn vị biết và thực hiện, nên được đăng công khai.
  date: 2026-10-26
"""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Regenerate the DEMO PKI and the signed demo letters.")
    parser.add_argument("--out", type=Path, default=REPO, help="portal root to write into (default: the repo)")
    parser.add_argument("--reuse-pki", action="store_true", help="keep an existing demo-pki/ instead of new keys")
    args = parser.parse_args(argv)
    root: Path = args.out.resolve()

    pki = _pki(root / "demo-pki", args.reuse_pki)
    trust = root / "trust" / "demo-root.pem"
    trust.parent.mkdir(parents=True, exist_ok=True)
    trust.write_bytes(pki.root.cert_pem())

    out_dir = root / "documents" / "2026"
    out_dir.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    letters = demo_letters()
    for index, letter in enumerate(letters):
        assert letter.issued_date is not None and letter.number is not None
        person_time, organisation_time = demo_signing_times(letter.issued_date, letter.number)
        if letter.signed_time is not None:
            organisation_time = letter.signed_time
        sub_filter: SubFilter = "ETSI.CAdES.detached" if index % 3 == 2 else "adbe.pkcs7.detached"
        signed = sign_letter(
            render_letter(letter),
            pki.person(letter.signer_name),
            pki.organisation,
            person_time=person_time,
            organisation_time=organisation_time,
            sub_filter=sub_filter,
        )
        path = out_dir / letter_filename(letter)
        path.write_bytes(signed)
        if letter.type_name not in PUBLISHABLE_TYPES:
            path.with_suffix(".yml").write_text(DECISION_OVERRIDE, encoding="utf-8")
        print(f"{path.relative_to(root)}  {letter.type_name} {letter.number}  ({sub_filter})")
    elapsed = time.perf_counter() - started
    print(f"{len(letters)} letters rendered and signed in {elapsed:.2f} s; trust root: {trust.relative_to(root)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
