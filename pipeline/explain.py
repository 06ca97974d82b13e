"""Plain-Vietnamese account of a file's signatures for the terminal (`congbo verify FILE`)."""

from __future__ import annotations

from pathlib import Path

from .messages import next_step, reason_text
from .present import coverage_vi, role_vi, time_vi
from .records import Inspection, InspectionFailure, Reason


def explain_signatures(
    path: Path, sha: str, result: Inspection | InspectionFailure, reasons: tuple[Reason, ...]
) -> str:
    lines = [f"Tệp: {path}", f"SHA-256: {sha}"]
    if isinstance(result, InspectionFailure):
        lines.append(f"Không đọc được tệp: {result.detail}")
    else:
        signatures = result.verify.signatures
        lines.append(f"Số chữ ký số: {len(signatures)}")
        for index, s in enumerate(signatures, 1):
            ok = s.intact and s.valid and s.trusted and not s.problems
            lines += [
                "",
                f"{index}. {role_vi(s)}: {s.signer} {'✔' if ok else '✗'}",
                f"   Cơ quan, tổ chức: {s.organisation or 'không ghi'}",
                f"   Thời điểm ký: {time_vi(s.signed_at)}"
                + (f"; dấu thời gian: {time_vi(s.timestamp_at)}" if s.timestamp_at else ""),
                f"   Tổ chức cấp: {s.issuer}; chứng thư gốc: {s.trust_root or 'KHÔNG thuộc chứng thư gốc tin cậy'}",
                f"   Chuỗi chứng thư: {' → '.join(s.chain)}",
                f"   Nguyên vẹn: {'có' if s.intact and s.valid else 'KHÔNG'}; phạm vi ký: {coverage_vi(s)}",
                "   Tình trạng thu hồi: " + ("đã kiểm tra theo dữ liệu nhúng" if s.revocation_checked
                                            else "chưa kiểm tra (tệp không kèm dữ liệu thu hồi)"),
            ]
            lines += [f"   Bất thường: {p}" for p in s.problems]
    lines.append("")
    if not reasons:
        lines.append("Kết luận: HỢP LỆ, được phép đăng.")
    else:
        lines.append("Kết luận: TỪ CHỐI.")
        for code in dict.fromkeys(r.code for r in reasons):
            lines.append(f"  [{code.value}] {reason_text(code)}")
            lines.append(f"  Cần làm: {next_step(code)}")
        lines += [f"    · {r.detail}" for r in reasons]
    return "\n".join(lines)
