"""Command line: `python -m pipeline build|serve|watch|check|inspect|verify|audit|report|sign|split-site|check-pdfs`
(the office's commands serve, watch, report and sign live in cli_office.py).

One error boundary maps exceptions to one-line Vietnamese messages (traceback only with -v).
Exit status: 0 everything published, 1 error (or refused, for inspect), 2 usage, 3 refusals in a build.
"""

from __future__ import annotations

import argparse
import gc
import hashlib
import json
import os
import sys
import traceback
from pathlib import Path
from typing import Any

from pipeline.build import BuildOptions, BuildResult, SiteTooLarge, build, examine
from pipeline.cli.ci import report_for_ci
from pipeline.cli.contract import metadata_contract
from pipeline.cli.office import COMMANDS as OFFICE_COMMANDS
from pipeline.cli.office import add_parsers as add_office_parsers
from pipeline.cli.office import dispatch as office_dispatch
from pipeline.config import ConfigError, PortalConfig, load_config
from pipeline.decide.evaluate import evaluate
from pipeline.messages import print_refusal, reason_text, reasons_data, site_too_large_text
from pipeline.publish.audit import AuditFailure
from pipeline.records import Inspection, InspectionFailure, Metadata, Reason, Refusal, SourceFile
from pipeline.serial import to_data


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="congbo", description="Công bố văn bản đã ký số lên Trang thông tin.")
    parser.add_argument("-v", "--verbose", action="store_true", help="in chi tiết lỗi kỹ thuật")
    parser.add_argument("--root", type=Path, default=Path.cwd(),
                        help="thư mục chứa portal.yml (mặc định: thư mục hiện tại)")
    sub = parser.add_subparsers(dest="command", required=True)

    build = sub.add_parser("build", help="kiểm tra mọi văn bản và dựng Trang thông tin vào site/")
    build.add_argument("--out", type=Path, help="thư mục đích (mặc định: site/ trong --root)")
    build.add_argument("--json", action="store_true", help="in báo cáo dạng JSON")
    build.add_argument("--workers", type=int, help="số tiến trình kiểm tra song song")
    build.add_argument("--no-cache", action="store_true",
                       help="không dùng kết quả kiểm tra đã lưu và dựng lại toàn bộ site")
    build.add_argument("--full", action="store_true",
                       help="dựng lại toàn bộ site, không dựa trên lần dựng trước (vẫn dùng kết quả kiểm tra đã lưu)")
    build.add_argument("--timings", action="store_true", help="in thời gian từng bước (ra stderr)")
    build.add_argument("--mkdocs-every-page", action="store_true",
                       help="để mkdocs dựng từng trang (chậm; để so sánh với cách dựng thường)")
    build.add_argument("--ci", action="store_true",
                       help="chạy trong CI: tóm tắt, chú thích từng văn bản bị từ chối; mã thoát 0 khi site đã dựng "
                            "(văn bản hợp lệ vẫn được triển khai)")

    check = sub.add_parser("check", help="kiểm tra văn bản trước khi commit (dùng làm pre-commit hook)")
    check.add_argument("files", nargs="*", type=Path, help="các tệp PDF (hoặc tệp khai báo .yml) cần kiểm tra")
    check.add_argument("--staged", action="store_true", help="kiểm tra các tệp đã git add (nội dung sắp commit)")
    check.add_argument("--json", action="store_true")

    audit = sub.add_parser("audit", help="rà soát toàn bộ lịch sử git tìm văn bản không được phép công bố")
    audit.add_argument("--json", action="store_true")

    for name, text in (("inspect", "kiểm tra một tệp PDF (hợp đồng JSON ổn định cho công cụ khác)"),
                       ("verify", "kiểm tra chữ ký số của một tệp PDF và giải thích bằng tiếng Việt")):
        cmd = sub.add_parser(name, help=text)
        cmd.add_argument("file", type=Path)
        cmd.add_argument("--trust", type=Path, action="append", default=[], help="chứng thư gốc PEM thay cho cấu hình")
        cmd.add_argument("--json", action="store_true")
    split = sub.add_parser("split-site", help="tách site/ thành phần trang và phần tệp PDF (khi đặt site.pdf_base_url)")
    split.add_argument("--pages", type=Path, required=True, help="thư mục mới cho các trang (gửi lên nơi lưu trữ)")
    split.add_argument("--pdfs", type=Path, required=True, help="thư mục mới cho các tệp PDF (tải lên máy chủ PDF)")
    split.add_argument("--site", type=Path, help="Trang tin đã dựng (mặc định: site/ trong --root)")
    origin = sub.add_parser("check-pdfs", help="tải từng tệp PDF từ site.pdf_base_url và so SHA-256 với bản đã đăng")
    origin.add_argument("--site", type=Path, help="Trang tin đã dựng (mặc định: site/ trong --root)")
    add_office_parsers(sub)  # issue 7: serve (live preview), watch, report, sign
    sub.add_parser("receipts", help="dịch vụ gửi thư cho đơn vị và ghi nhận xác nhận đã nhận (python -m pipeline "
                                    "receipts --help)")
    return parser


def _speak_utf8() -> None:
    """Vietnamese on any console: where the output's encoding cannot write it (a Windows pipe in
    cp1252, a C locale), write UTF-8 instead of failing on the first "ư"."""
    for stream in (sys.stdout, sys.stderr):
        try:
            "ệ".encode(stream.encoding or "ascii")
        except (UnicodeEncodeError, LookupError):
            reconfigure = getattr(stream, "reconfigure", None)
            if reconfigure is not None:
                reconfigure(encoding="utf-8", errors="replace")


def main(argv: list[str] | None = None) -> int:
    _speak_utf8()
    words = list(sys.argv[1:] if argv is None else argv)
    if words[:1] == ["receipts"]:  # the optional service beside the site (issue 19) has its own commands
        from receipts.cli import main as receipts_main

        return receipts_main(words[1:])
    parser = _parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:
        return 2 if exc.code not in (0, None) else 0
    try:
        return _dispatch(args)
    except ConfigError as exc:
        print(f"Lỗi cấu hình {exc.path}:", file=sys.stderr)
        for problem in exc.problems:
            print(f"  - {problem}", file=sys.stderr)
        return 1
    except AuditFailure as exc:
        print("Dừng: kiểm tra cuối cùng phát hiện nội dung không được phép trong bản dựng; site/ giữ nguyên.",
              file=sys.stderr)
        for problem in exc.problems[:20]:
            print(f"  - {problem}", file=sys.stderr)
        return 1
    except SiteTooLarge as exc:
        print(site_too_large_text(exc.size, exc.limit), file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    except Exception as exc:
        print(f"Lỗi: {type(exc).__name__}: {exc}", file=sys.stderr)
        if args.verbose:
            traceback.print_exc()
        else:
            print("(chạy lại với -v để xem chi tiết)", file=sys.stderr)
        return 1


def _config(args: argparse.Namespace) -> PortalConfig:
    config = load_config(args.root / "portal.yml")
    trust = getattr(args, "trust", None)
    if trust:
        pems = []
        for path in trust:
            try:
                pems.append(path.read_bytes())
            except OSError as exc:
                raise ConfigError(path, [f"không đọc được chứng thư gốc: {exc.strerror}"]) from exc
        config = config.with_roots(tuple(pems), tuple(trust))
    return config


def _dispatch(args: argparse.Namespace) -> int:
    if args.command == "build":
        return _build(args)
    if args.command in OFFICE_COMMANDS:
        return office_dispatch(args)
    if args.command in ("inspect", "verify"):
        return _inspect(args)
    if args.command == "check":
        return _check(args)
    if args.command == "audit":
        return _audit(args)
    if args.command in ("split-site", "check-pdfs"):
        return _pdf_origin(args)
    raise AssertionError(args.command)


def _build(args: argparse.Namespace) -> int:
    config = _config(args)
    out = (args.out or config.root / "site").resolve()
    options = BuildOptions(workers=args.workers, use_cache=not args.no_cache,
                           incremental=not (args.no_cache or args.full), shells=not args.mkdocs_every_page)
    result = build(config, out, options)
    # What the build made is not garbage while the report prints, and a full collection would walk
    # all of it once more (seconds at 100,000 letters, for `--json` above all).
    gc.freeze()
    try:
        status = _report_build(args, config, out, result)
    finally:
        gc.unfreeze()
    global LEAVE_AT_ONCE
    LEAVE_AT_ONCE = True
    return status


# Set once a build is over and reported (site swapped in, state and memory written, children
# waited for or detached): python -m pipeline then leaves without freeing the build's records one
# by one, 2.4 s after the report at 30,000 letters (issue 21; pipeline/__main__.py).
LEAVE_AT_ONCE = False


def _report_build(args: argparse.Namespace, config: PortalConfig, out: Path, result: BuildResult) -> int:
    if args.json:
        print(json.dumps(result.data, ensure_ascii=False, indent=2))
    else:
        print(result.text, end="")
        if result.report is None:
            print("(Không có thay đổi kể từ lần dựng trước; giữ nguyên site đã kiểm tra.)")
        elif not args.ci:
            _first_look(out)
    if args.timings and result.report is not None and result.stats is not None:
        report, stats = result.report, result.stats
        print(f"timing: collect {result.collect_seconds:.2f} s ({len(report.documents)} published, "
              f"{len(report.refusals)} refused)", file=sys.stderr)
        for stage, seconds in stats.phases:
            print(f"timing: {stage} {seconds:.2f} s", file=sys.stderr)
        print(f"timing: {'incremental' if stats.incremental else 'full'} build: {stats.pages_built} pages built "
              f"({stats.pages_filled} filled from {stats.shells} shells), {stats.pages_kept} kept, "
              f"{stats.files_written} files written, {stats.files_kept} carried over, "
              f"{stats.search_bundles_rebuilt} search bundle(s) indexed, {stats.audited_files} files audited",
              file=sys.stderr)
    if args.ci:
        return report_for_ci(result.data, result.status, config.root, os.environ)
    return result.status


def _first_look(out: Path) -> None:
    """Where the site is and how to look at it: opened from disk, its links and search do not work."""
    print(f"\nTrang thông tin đã dựng vào {out}/. Xem thử: chạy 'make serve' (hoặc 'python -m pipeline serve') "
          "rồi mở http://127.0.0.1:8000/ — mở trực tiếp tệp index.html từ ổ đĩa thì tìm kiếm và liên kết không chạy.")


def inspection_data(
    path: Path, sha: str, result: Inspection | InspectionFailure, reasons: tuple[Reason, ...],
    metadata: Metadata | None,
) -> dict[str, Any]:
    """The inspection contract (issue 2). Keys here never change meaning; new keys may be added."""
    signatures = result.verify.signatures if isinstance(result, Inspection) else ()
    data: dict[str, Any] = {
        "file": str(path),
        "sha256": sha,
        "verdict": "refuse" if reasons else "publish",
        "reasons": reasons_data(reasons),
        "signatures": [
            {
                "field": s.field_name, "signer": s.signer, "organisation": s.organisation,
                "signed_at": s.signed_at.isoformat() if s.signed_at else None,
                "intact": s.intact, "trusted": s.trusted, "coverage": s.coverage, "modification": s.modification,
                "role": s.role, "issuer": s.issuer, "trust_root": s.trust_root,
                "timestamp_at": s.timestamp_at.isoformat() if s.timestamp_at else None,
                "revocation_checked": s.revocation_checked, "problems": list(s.problems),
            }
            for s in signatures
        ],
        "metadata": None,
    }
    if metadata is not None:
        data["metadata"] = {**metadata_contract(metadata), "from_sidecar": list(metadata.from_sidecar)}
    return data


def _pdf_origin(args: argparse.Namespace) -> int:
    """Issue 18: the deploy step for a site whose PDFs are served from `site.pdf_base_url`."""
    from pipeline.publish.pdf_origin import SplitRefused, check_origin, split_site

    config = _config(args)
    site = (args.site or config.root / "site").resolve()
    base = config.site.pdf_base_url
    if args.command == "split-site":
        try:
            result = split_site(site, args.pages, args.pdfs)
        except SplitRefused as exc:
            print(f"Dừng: {exc}", file=sys.stderr)
            return 1
        mb = 1 << 20
        print(f"Các trang: {result.page_files} tệp, {result.page_bytes / mb:.1f} MB -> {args.pages}")
        print(f"Các tệp PDF: {result.pdf_files} tệp, {result.pdf_bytes / mb:.1f} MB -> {args.pdfs}"
              + (f" (tải lên {base})" if base else ""))
        if not base:
            print("Lưu ý: portal.yml chưa đặt site.pdf_base_url, nên các trang vẫn liên kết tới tệp PDF trong chính "
                  "Trang tin: gửi cả hai thư mục lên cùng một nơi, hoặc đặt site.pdf_base_url rồi dựng lại.")
        return 0
    if not base:
        print("Dừng: portal.yml chưa đặt site.pdf_base_url; các tệp PDF nằm ngay trong Trang tin, không có gì để "
              "kiểm tra ở máy chủ PDF riêng.", file=sys.stderr)
        return 2
    check = check_origin(site, base)
    for problem in check.problems:
        print(f"LỖI {problem.url}: {problem.problem}")
    if check.problems:
        print(f"Dừng: {len(check.problems)}/{check.checked} tệp PDF trên máy chủ PDF không khớp bản gốc đã ký số. "
              "Cần làm: tải lại thư mục PDF của bản dựng này lên máy chủ PDF (split-site --pdfs), rồi chạy lại "
              "check-pdfs.", file=sys.stderr)
        return 1
    print(f"Đã kiểm tra {check.checked} tệp PDF trên {base}: tất cả giống từng byte bản gốc đã ký số.")
    return 0


def _inspect(args: argparse.Namespace) -> int:
    path: Path = args.file
    if not path.is_file():
        print(f"Không tìm thấy tệp: {path}", file=sys.stderr)
        return 2
    config = _config(args)
    sha = hashlib.sha256(path.read_bytes()).hexdigest()
    source = SourceFile(str(path.resolve()), sha, path.stat().st_size)
    # A diagnosis of the file as it is: never answered from the cache.
    result = examine(config, (source,), BuildOptions(workers=1, use_cache=False))[source.path]
    outcome = evaluate(config, source, result)
    reasons = outcome.reasons
    if args.json:
        print(json.dumps(inspection_data(path, sha, result, reasons, outcome.metadata), ensure_ascii=False, indent=2))
    elif args.command == "verify":
        from pipeline.cli.explain import explain_signatures
        print(explain_signatures(path, sha, result, reasons))
    else:
        print(json.dumps(to_data(result), ensure_ascii=False, indent=2)[:4000])
        print(f"Kết luận: {'ĐƯỢC ĐĂNG' if not reasons else 'TỪ CHỐI'}")
        for reason in reasons:
            print(f"  [{reason.code.value}] {reason_text(reason.code)} ({reason.detail})")
    return 1 if reasons else 0


def _check(args: argparse.Namespace) -> int:
    from pipeline.office.gate import check_paths, check_staged

    config = _config(args)
    if not args.staged and not args.files:
        print("Cần chỉ ra tệp cần kiểm tra, hoặc dùng --staged.", file=sys.stderr)
        return 2
    outcomes = check_staged(config) if args.staged else check_paths(config, args.files)
    refused = [o for o in outcomes if o.reasons]
    if args.json:
        print(json.dumps([{"file": o.source.path, "sha256": o.source.sha256,
                           "verdict": "refuse" if o.reasons else "publish", "reasons": reasons_data(o.reasons)}
                          for o in outcomes], ensure_ascii=False, indent=2))
        return 1 if refused else 0
    for outcome in outcomes:
        if not outcome.reasons:
            print(f"✓ {outcome.source.path}: hợp lệ, được phép công bố.")
        for warning in outcome.warnings:
            print(f"  Lưu ý: {warning}")
    for outcome in refused:
        print_refusal(Refusal(outcome.source, outcome.reasons, outcome.metadata, outcome.signatures), sys.stdout)
    if refused:
        print(f"\nDỪNG: {len(refused)} tệp không được phép công bố; chưa commit. "
              "Gỡ các tệp này khỏi commit (git restore --staged <tệp>) rồi làm theo hướng dẫn ở trên.")
        return 1
    if not outcomes:
        print("Không có tệp PDF nào trong documents/ cần kiểm tra.")
    return 0


def _audit(args: argparse.Namespace) -> int:
    from pipeline.office.gate import audit_history, purge_commands

    config = _config(args)
    findings = audit_history(config)
    if args.json:
        print(json.dumps([{
            "path": f.blob.path, "blob": f.blob.blob, "commit": f.blob.commit, "author": f.blob.author,
            "date": f.blob.date.isoformat(), "in_head": f.blob.in_head, "leaks": f.leaks,
            "reasons": reasons_data(f.evaluation.reasons),
        } for f in findings], ensure_ascii=False, indent=2))
        return 1 if findings else 0
    if not findings:
        print("Lịch sử git không chứa văn bản nào bị quy tắc công bố từ chối.")
        return 0
    print(f"Tìm thấy {len(findings)} phiên bản tệp trong lịch sử git bị quy tắc công bố từ chối:")
    for f in findings:
        codes = ", ".join(dict.fromkeys(r.code.value for r in f.evaluation.reasons))
        state = "vẫn còn trong nhánh hiện tại" if f.blob.in_head else "đã xóa nhưng vẫn còn trong lịch sử"
        flag = "NGHIÊM TRỌNG - " if f.leaks else ""
        print(f"\n{flag}{f.blob.path} ({state})")
        print(f"  commit {f.blob.commit[:12]} · {f.blob.author} · {f.blob.date.isoformat()}")
        print(f"  lý do: {codes}")
        for reason in f.evaluation.reasons[:3]:
            print(f"    · {reason_text(reason.code)} ({reason.detail})")
    leaking = [f.blob.path for f in findings if f.leaks]
    if leaking:
        print("\nCác tệp NGHIÊM TRỌNG phải được xóa khỏi toàn bộ lịch sử git. Thực hiện đúng các lệnh sau:")
        for command in purge_commands(leaking):
            print(f"  {command}")
    return 1
