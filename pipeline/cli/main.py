"""Command line: `python -m pipeline build|serve|watch|check|inspect|verify|audit|report|sign`
(the office's commands serve, watch, report and sign live in cli_office.py).

One error boundary maps exceptions to one-line Vietnamese messages (traceback only with -v).
Exit status: 0 everything published, 1 error (or refused, for inspect), 2 usage, 3 refusals in a build.
"""

from __future__ import annotations

import argparse
import hashlib
import io
import json
import sys
import time
import traceback
from pathlib import Path
from typing import Any

from pipeline.build import BuildOptions, collect, evaluate
from pipeline.cli.contract import metadata_contract
from pipeline.cli.office import COMMANDS as OFFICE_COMMANDS
from pipeline.cli.office import add_parsers as add_office_parsers
from pipeline.cli.office import dispatch as office_dispatch
from pipeline.config import ConfigError, PortalConfig, load_config
from pipeline.messages import next_step, reason_text
from pipeline.publish.publish import AuditFailure, publish
from pipeline.records import BuildReport, Inspection, InspectionFailure, Metadata, Reason, Refusal, SourceFile
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
    add_office_parsers(sub)  # issue 7: serve (live preview), watch, report, sign
    return parser


def main(argv: list[str] | None = None) -> int:
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
    raise AssertionError(args.command)


def _build(args: argparse.Namespace) -> int:
    from pipeline.publish.replay import input_fingerprint, remember, replay

    config = _config(args)
    out = (args.out or config.root / "site").resolve()
    fingerprint = input_fingerprint(config, out)
    last = None if args.no_cache or args.full else replay(config, out, fingerprint)
    if last is not None:
        if args.json:
            print(json.dumps(last["data"], ensure_ascii=False, indent=2))
        else:
            print(last["text"], end="")
            print("(Không có thay đổi kể từ lần dựng trước; giữ nguyên site đã kiểm tra.)")
        return int(last["status"])
    options = BuildOptions(workers=args.workers, use_cache=not args.no_cache)
    started = time.perf_counter()
    report = collect(config, options)
    collected = time.perf_counter() - started
    stats = publish(config, report, out, incremental=not (args.no_cache or args.full))
    if args.timings:
        print(f"timing: collect {collected:.2f} s ({len(report.documents)} published, {len(report.refusals)} refused)",
              file=sys.stderr)
        for stage, seconds in stats.phases:
            print(f"timing: {stage} {seconds:.2f} s", file=sys.stderr)
        print(f"timing: {'incremental' if stats.incremental else 'full'} build: {stats.pages_built} pages built, "
              f"{stats.pages_kept} kept, {stats.files_written} files written, {stats.files_kept} carried over, "
              f"{stats.search_bundles_rebuilt} search bundle(s) indexed, {stats.audited_files} files audited",
              file=sys.stderr)
    data = build_report_data(report)
    text = io.StringIO()
    print_report(report, out=text)
    if args.json:
        print(json.dumps(data, ensure_ascii=False, indent=2))
    else:
        print(text.getvalue(), end="")
    remember(config, out, fingerprint, text.getvalue(), data, report.exit_status)
    return report.exit_status


def build_report_data(report: BuildReport) -> dict[str, Any]:
    return {
        "published": [{"file": d.source.path, "sha256": d.source.sha256, "slug": d.slug, "units": list(d.units)}
                      for d in report.documents],
        "refused": [{"file": r.source.path, "sha256": r.source.sha256, "reasons": _reasons(r.reasons)}
                    for r in report.refusals],
        "warnings": [{"file": w.path, "message": w.message} for w in report.warnings],
        "withdrawn": [{"file": w.source.path, "sha256": w.source.sha256, "slug": w.slug,  # issue 7
                       "withdrawn_at": w.withdrawn_at.isoformat(), "commit": w.withdrawal_commit}
                      for w in report.withdrawn],
        "exit_status": report.exit_status,
    }


def print_report(report: BuildReport, out: Any) -> None:
    print(f"Đã đăng {len(report.documents)} văn bản.", file=out)
    if report.withdrawn:  # issue 7
        print(f"Đã thu hồi {len(report.withdrawn)} văn bản (vẫn liệt kê ở trang \"Văn bản đã thu hồi\", "
              "không còn tệp PDF).", file=out)
    if report.warnings:
        print(f"Lưu ý ({len(report.warnings)}):", file=out)
        for warning in report.warnings:
            print(f"  - {warning.path}: {warning.message}", file=out)
    if report.refusals:
        print(f"TỪ CHỐI {len(report.refusals)} văn bản (không đăng, không có trong bản tin):", file=out)
        for refusal in report.refusals:
            print_refusal(refusal, out)


def print_refusal(refusal: Refusal, out: Any) -> None:
    print(f"\n✗ {refusal.source.path}", file=out)
    seen = set()
    for reason in refusal.reasons:
        if reason.code not in seen:
            print(f"  Lý do [{reason.code.value}]: {reason_text(reason.code)}", file=out)
            print(f"  Cần làm: {next_step(reason.code)}", file=out)
            seen.add(reason.code)
        print(f"    · {reason.detail}", file=out)


def _reasons(reasons: tuple[Reason, ...]) -> list[dict[str, str]]:
    return [{"code": r.code.value, "message": f"{reason_text(r.code)} ({r.detail})"} for r in reasons]


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
        "reasons": _reasons(reasons),
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


def _inspect(args: argparse.Namespace) -> int:
    path: Path = args.file
    if not path.is_file():
        print(f"Không tìm thấy tệp: {path}", file=sys.stderr)
        return 2
    config = _config(args)
    sha = hashlib.sha256(path.read_bytes()).hexdigest()
    from pipeline.examine.sandbox import Job, Limits, examine_all  # the verifier, only for the commands that verify
    from pipeline.examine.verify import TrustAnchors

    anchors = TrustAnchors.from_pem(config.trust.roots_pem, config.organisation.certificate_names)
    [(_, result)] = list(examine_all([Job(str(path), path, sha)], anchors, Limits(), workers=1))
    outcome = evaluate(config, SourceFile(str(path.resolve()), sha, path.stat().st_size), result)
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
                           "verdict": "refuse" if o.reasons else "publish", "reasons": _reasons(o.reasons)}
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
            "reasons": _reasons(f.evaluation.reasons),
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
