"""Plain-Vietnamese account of a file's signatures for the terminal (`congbo verify FILE`).

Modelled on the EU DSS "simple report": who signed, for which organisation, when (claimed time
and verified timestamp), issued by whom and under which trusted root, whether revocation was
checked, what the signature covers, and the conclusion with what to do next.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from pipeline.messages import next_step, reason_text
from pipeline.present import role_vi, time_vi
from pipeline.records import Inspection, InspectionFailure, Reason, SignatureReport

_CERTIFICATE_PROBLEMS = {
    "expired": "ĐÃ HẾT HẠN trước thời điểm ký",
    "not-yet-valid": "CHƯA CÓ HIỆU LỰC tại thời điểm ký",
    "revoked": "ĐÃ BỊ THU HỒI trước thời điểm ký (theo dữ liệu thu hồi kèm trong tệp)",
    "revocation-unknown": "KHÔNG xác định được tình trạng thu hồi từ dữ liệu kèm trong tệp",
    "key-usage": "KHÔNG được phép dùng để ký số (mục đích sử dụng khóa)",
}


def _yes(flag: bool) -> str:
    return "có" if flag else "KHÔNG"


def _integrity(sig: SignatureReport, later: list[SignatureReport]) -> str:
    if not (sig.intact and sig.valid):
        return "KHÔNG: dữ liệu đã ký không khớp với chữ ký (tệp đã bị sửa hoặc chữ ký bị hỏng)"
    if any("byte range" in p for p in sig.problems):
        return "KHÔNG: chữ ký không bao trùm toàn bộ tệp tại thời điểm ký (vùng ký bị thao túng)"
    if any(p.startswith("modified-after-signing") for p in sig.problems):
        return "KHÔNG: tệp đã bị thay đổi sau khi ký (thêm, sửa nội dung hoặc trường biểu mẫu)"
    if any("timestamp" in p for p in sig.problems):
        return "có, nhưng dấu thời gian kèm chữ ký KHÔNG hợp lệ"
    if any(p.startswith("signature-invalid") for p in sig.problems):
        return "KHÔNG: cấu trúc chữ ký không hợp lệ"
    if sig.coverage == "ENTIRE_FILE":
        return "có: chữ ký bao trùm toàn bộ tệp, tệp không thay đổi kể từ khi ký"
    names = ", ".join(s.signer for s in later) or "không có"
    return ("có: tệp không thay đổi kể từ khi ký; sau đó chỉ được thêm chữ ký số"
            f" (của: {names}) hoặc dữ liệu xác thực")


def _revocation(sig: SignatureReport) -> str:
    if sig.certificate_problem == "revoked":
        return "đã kiểm tra theo dữ liệu thu hồi kèm trong tệp: chứng thư ĐÃ BỊ THU HỒI"
    if sig.revocation_checked:
        return "đã kiểm tra theo dữ liệu thu hồi (CRL/OCSP) kèm trong tệp: chưa bị thu hồi tại thời điểm ký"
    return ("chưa kiểm tra: tệp không kèm dữ liệu thu hồi cho chứng thư này"
            " (Trang tin không tra cứu trực tuyến)")


def _times(sig: SignatureReport) -> list[str]:
    lines = [f"   Thời điểm ký (theo máy của người ký, không được chứng thực): {time_vi(sig.signed_at)}"]
    if sig.timestamp_at is not None:
        state = "đã xác minh" if sig.timestamp_ok else "KHÔNG hợp lệ"
        lines.append(f"   Dấu thời gian ({state}): {time_vi(sig.timestamp_at)}")
    else:
        lines.append("   Dấu thời gian: không có")
    return lines


def _signature(index: int, sig: SignatureReport, later: list[SignatureReport]) -> list[str]:
    sound = sig.intact and sig.valid and sig.trusted and not sig.problems and not sig.certificate_problem
    root = sig.trust_root or ("không xét (chứng thư không hợp lệ)" if sig.certificate_problem
                              else "KHÔNG thuộc chứng thư gốc tin cậy trong portal.yml")
    lines = [
        "",
        f"{index}. {role_vi(sig)}: {sig.signer} {'✔' if sound else '✗'}",
        f"   Cơ quan, tổ chức (trong chứng thư): {sig.organisation or 'không ghi'}",
        *_times(sig),
        f"   Tổ chức cấp chứng thư: {sig.issuer}; chứng thư gốc tin cậy: {root}",
        f"   Chuỗi chứng thư: {' → '.join(sig.chain)}",
    ]
    if sig.not_before and sig.not_after:
        lines.append(f"   Hiệu lực chứng thư: {time_vi(sig.not_before)} đến {time_vi(sig.not_after)}")
    if sig.certificate_problem:
        problem = _CERTIFICATE_PROBLEMS.get(sig.certificate_problem, sig.certificate_problem)
        lines.append(f"   Chứng thư số: {problem}")
    lines += [
        f"   Tình trạng thu hồi: {_revocation(sig)}",
        f"   Nguyên vẹn: {_integrity(sig, later)}",
        f"   Kiểu chữ ký: {sig.sub_filter}",
    ]
    lines += [f"   Chi tiết kỹ thuật: {p}" for p in sig.problems]
    return lines


def explain_signatures(
    path: Path, sha: str, result: Inspection | InspectionFailure, reasons: tuple[Reason, ...],
    now: dt.datetime | None = None,
) -> str:
    now = now or dt.datetime.now(dt.UTC)
    lines = [
        f"Tệp: {path}",
        f"SHA-256: {sha}",
        "  (đối chiếu: tính SHA-256 bản bạn đang giữ; trùng mã này nghĩa là đúng từng byte)",
        f"Kiểm tra lúc: {time_vi(now)}; chứng thư được xét tại thời điểm ký",
    ]
    if isinstance(result, InspectionFailure):
        lines.append(f"Không đọc được tệp: {result.detail}")
    else:
        signatures = list(result.verify.signatures)
        lines.append(f"Số chữ ký số: {len(signatures)}"
                     + (f" (thứ tự ký: {' → '.join(role_vi(s) for s in signatures)})" if signatures else ""))
        for index, sig in enumerate(signatures, 1):
            lines += _signature(index, sig, signatures[index:])
        if result.verify.problems:
            lines.append("")
            lines += [f"Bất thường của tệp: {detail}" for _, detail in result.verify.problems]
    lines.append("")
    if not reasons:
        lines.append("Kết luận: HỢP LỆ, được phép đăng. Tệp không bị thay đổi kể từ khi ký.")
    else:
        lines.append("Kết luận: TỪ CHỐI.")
        for code in dict.fromkeys(r.code for r in reasons):
            lines.append(f"  [{code.value}] {reason_text(code)}")
            lines.append(f"  Cần làm: {next_step(code)}")
        lines += [f"    · {r.detail}" for r in reasons]
    return "\n".join(lines)
