"""Vietnamese words for the clerk, and the build report for the clerk (text) and for tools (JSON).
Reason codes stay stable; they are translated only here."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

from pipeline.present import time_vi
from pipeline.records import BuildReport, Metadata, Reason, ReasonCode, Refusal

# code -> (what is wrong, what the clerk should do next)
REASONS: dict[ReasonCode, tuple[str, str]] = {
    ReasonCode.UNREADABLE: (
        "Không đọc được tệp PDF (tệp hỏng, bị mã hóa, không phải PDF, hoặc vượt giới hạn thời gian/bộ nhớ khi đọc), hoặc có trang là ảnh (ảnh quét, hình vẽ) mà hệ thống không đọc được chữ nên không kiểm tra được dấu mật.",
        "Mở tệp bằng phần mềm đọc PDF để kiểm tra; xuất lại bản PDF từ phần mềm ký số rồi ký lại và nộp lại. Nếu trang ảnh là đúng: người có thẩm quyền đọc trang đó và khai báo trong tệp .yml kèm theo (secrecy: none, decided_by: họ tên, chức vụ).",
    ),
    ReasonCode.UNSIGNED: (
        "Văn bản chưa được ký số, hoặc thiếu chữ ký số bắt buộc (chữ ký của cơ quan, tổ chức).",
        "Ký số văn bản theo đúng thứ tự: người có thẩm quyền ký trước, văn thư ký số của cơ quan sau; rồi nộp lại bản đã ký.",
    ),
    ReasonCode.SIGNATURE_INVALID: (
        "Chữ ký số không hợp lệ: dữ liệu ký không khớp hoặc cấu trúc chữ ký bị hỏng.",
        "Không sửa tệp sau khi ký. Lấy lại bản gốc từ phần mềm ký số; nếu vẫn lỗi, ký lại văn bản.",
    ),
    ReasonCode.MODIFIED_AFTER_SIGNING: (
        "Văn bản đã bị thay đổi sau khi ký số (thêm, sửa nội dung hoặc trường biểu mẫu).",
        "Không chỉnh sửa, nén hay lưu lại tệp sau khi ký. Nộp đúng bản gốc đã ký; nếu cần sửa thì phải ký lại.",
    ),
    ReasonCode.UNTRUSTED: (
        "Chứng thư số của người ký không thuộc tổ chức cung cấp dịch vụ chứng thực mà Trang tin tin cậy.",
        "Ký bằng chứng thư số hợp lệ do Ban Cơ yếu Chính phủ hoặc nhà cung cấp được cấu hình cấp; nếu là chứng thư mới, đề nghị quản trị thêm chứng thư gốc vào portal.yml.",
    ),
    ReasonCode.CERTIFICATE_INVALID: (
        "Chứng thư số đã hết hạn, chưa có hiệu lực, bị thu hồi tại thời điểm ký, hoặc chưa kiểm tra được tình trạng thu hồi theo yêu cầu.",
        "Kiểm tra thời hạn và tình trạng chứng thư số với nhà cung cấp; ký lại bằng chứng thư còn hiệu lực.",
    ),
    ReasonCode.SECRET: (
        "Văn bản có dấu chỉ mức độ mật (MẬT, TỐI MẬT, TUYỆT MẬT): tuyệt đối không được đăng trên Trang tin.",
        "Không đăng văn bản này. Xóa tệp khỏi thư mục documents/ và chuyển văn bản theo đường mật; nếu đã đẩy lên kho git, chạy 'python -m pipeline audit' và báo ngay cho quản trị.",
    ),
    ReasonCode.EXCLUDED_CATEGORY: (
        "Loại hoặc nội dung văn bản không thuộc danh mục được đăng công khai (lưu hành nội bộ, khiếu nại tố cáo, tổ chức cán bộ, tài chính, kiểm tra giám sát...).",
        "Không đăng văn bản này lên Trang tin; gửi qua hệ thống quản lý văn bản nội bộ. Nếu đây là nhận định nhầm, lập tệp khai báo .yml kèm theo ghi rõ người quyết định và lý do.",
    ),
    ReasonCode.MISSING_METADATA: (
        "Không đọc được các thông tin bắt buộc của văn bản (loại văn bản, số, ngày ban hành, trích yếu...), "
        "hoặc tệp khai báo .yml kèm theo không dùng được.",
        "Kiểm tra bản PDF có lớp chữ (không phải ảnh quét); hoặc tạo tệp khai báo cùng tên đuôi .yml bổ sung các trường còn thiếu. "
        "Bản dự thảo chưa có số, ngày thì phải cấp số, ghi ngày và ký lại. Nếu tệp khai báo sai tên hoặc sai cú pháp, sửa theo chi tiết bên dưới.",
    ),
    ReasonCode.ACTIVE_CONTENT: (
        "Tệp PDF chứa mã lệnh tự chạy (JavaScript, hành động tự mở hoặc khởi chạy chương trình): Trang tin không đăng nội dung chủ động.",
        "Xuất lại văn bản ra PDF thường (không có mã lệnh, biểu mẫu tương tác) rồi ký số lại và nộp lại.",
    ),
    ReasonCode.ATTACHMENT: (
        "Tệp PDF có tệp đính kèm bên trong chưa được khai báo; tệp đính kèm có thể chứa nội dung không được công khai.",
        "Bỏ tệp đính kèm, xuất lại PDF và ký lại; hoặc nếu tệp đính kèm được phép công khai, khai báo trong tệp .yml (mục attachments: tên tệp, mã SHA-256, người quyết định).",
    ),
    ReasonCode.SIGNING_TIME: (
        "Thời gian ký trên chữ ký số không hợp lý (ở tương lai, sau thời điểm đăng, hoặc trước rất xa ngày ghi trên văn bản) hoặc chứng thư số không còn hiệu lực tại thời điểm đó.",
        "Kiểm tra đồng hồ máy ký và ngày của văn bản; ký lại bằng chứng thư số còn hiệu lực (nên có dấu thời gian) rồi nộp lại.",
    ),
    ReasonCode.ISSUER_MISMATCH: (
        "Cơ quan ban hành in trên văn bản không phải cơ quan mà Trang tin được cấu hình để đăng, hoặc chữ ký số của cơ quan không khớp chứng thư số đã đăng ký.",
        "Chỉ đăng văn bản do cơ quan mình ban hành và ký số bằng chứng thư của cơ quan; nếu cơ quan được phép đăng thay, đề nghị quản trị bổ sung vào portal.yml.",
    ),
    ReasonCode.NOT_A_FILE: (
        "Đây không phải tệp thật mà là liên kết (symlink) hoặc loại tệp đặc biệt; Trang tin chỉ đăng tệp nằm trong kho.",
        "Xóa liên kết và chép chính tệp PDF đã ký vào thư mục documents/, rồi commit lại.",
    ),
    ReasonCode.NO_RECIPIENT: (
        "Không xác định được đơn vị nào nhận văn bản: các dòng Kính gửi / Nơi nhận không khớp đơn vị nào trong danh sách đơn vị của Trang tin.",
        "Kiểm tra tên đơn vị ở Kính gửi / Nơi nhận; hoặc lập tệp .yml kèm theo liệt kê đơn vị nhận (addressees:) hoặc ghi recipients: none nếu văn bản không gửi đơn vị trực thuộc nào.",
    ),
}


def reason_text(code: ReasonCode) -> str:
    return REASONS[code][0]


def next_step(code: ReasonCode) -> str:
    return REASONS[code][1]


def report_data(report: BuildReport) -> dict[str, Any]:
    return {
        "published": [{"file": d.source.path, "sha256": d.source.sha256, "slug": d.slug, "units": list(d.units)}
                      for d in report.documents],
        "refused": [{"file": r.source.path, "sha256": r.source.sha256, "reasons": reasons_data(r.reasons)}
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


def reasons_data(reasons: tuple[Reason, ...]) -> list[dict[str, str]]:
    return [{"code": r.code.value, "message": f"{reason_text(r.code)} ({r.detail})"} for r in reasons]


def report_text(report: BuildReport) -> str:
    """The clerk's report of a build, as `build` prints it."""
    out = io.StringIO()
    print_report(report, out)
    return out.getvalue()


def document_title(metadata: Metadata) -> str:
    """"78/LĐLĐ – V/v ..." : the commit's summary after "Công bố: "."""
    number = metadata.number or f"{metadata.type_name or 'Văn bản'} không số"
    subject = " ".join((metadata.subject or "(không rõ trích yếu)").split())
    return f"{number} – {subject}"


def explanation(name: str, received: dt.datetime, reasons: tuple[Reason, ...] | None, inbox: str, refused_dir: str,
                extra: tuple[tuple[str, str, str], ...] = ()) -> str:
    """The .txt the drop folder sets beside a refused file: what is wrong, what to do, in Vietnamese.
    `reasons`: the policy's, or None when the file was not judged (only `extra` problems)."""
    lines = [
        f"Tệp: {name}",
        f"Nhận lúc: {time_vi(received)}",
        "Kết quả: KHÔNG CÔNG BỐ. Tệp chưa được đưa lên Trang tin.",
        "",
    ]
    items: list[tuple[str, str, list[str]]] = [(title, todo, [detail] if detail else []) for title, todo, detail
                                               in extra]
    if reasons is not None:
        grouped: dict[str, tuple[str, str, list[str]]] = {}
        for reason in reasons:
            entry = grouped.setdefault(reason.code.value, (reason_text(reason.code), next_step(reason.code), []))
            if reason.detail:
                entry[2].append(reason.detail)
        items.extend(grouped.values())
    for index, (title, todo, details) in enumerate(items, start=1):
        lines.append(f"{index}. Lý do: {title}")
        lines.append(f"   Cần làm: {todo}")
        for detail in details:
            lines.append(f"   Chi tiết kỹ thuật: {detail}")
        lines.append("")
    lines.append(f"Tệp PDF được giữ nguyên trong thư mục {inbox}/{refused_dir}/, không bị xóa. "
                 f"Khi đã có bản đúng, đặt bản đó vào thư mục {inbox}/ để công bố.")
    return "\r\n".join(lines) + "\r\n"  # Windows Notepad on the office PC reads CRLF + BOM best


def not_pdf_explanation(name: str) -> str:
    """The .txt the drop folder sets beside a file that is not a PDF (a .docx, a scan as a photo...)."""
    lines = [
        f"Tệp: {name}",
        "Kết quả: KHÔNG CÔNG BỐ. Trang tin chỉ đăng văn bản PDF đã ký số.",
        "",
        "Cần làm: ký số văn bản (người có thẩm quyền ký trước, văn thư ký số của cơ quan sau) bằng phần mềm ký số,",
        "lưu thành tệp .pdf, rồi đặt tệp .pdf đó vào thư mục này. Tệp Word (.doc, .docx), ảnh chụp hoặc ảnh quét",
        "chưa ký số không đăng được.",
        "",
        f"Tệp {name} vẫn nằm nguyên ở đây, không bị xóa; có thể xóa tệp này và tệp hướng dẫn khi không cần nữa.",
    ]
    return "\r\n".join(lines) + "\r\n"


SIZE_WARNING_SHARE = 0.8  # warn from 80 % of the host's limit: a few months of letters ahead of the wall


def _megabytes(size: int) -> str:
    return f"{size / (1 << 20):,.0f} MB".replace(",", ".")


def site_size_text(size: int, limit: int | None, pdf_bytes: int | None = None) -> str:
    """The site's size in the build report, with a warning when it nears the host's limit. `pdf_bytes`:
    the signed PDFs served from their own origin (site.pdf_base_url), not counted in `size`."""
    apart = (f"Các tệp PDF đã ký số (đặt ở máy chủ PDF riêng, site.pdf_base_url, không tính vào dung lượng trên): "
             f"{_megabytes(pdf_bytes)}.\n") if pdf_bytes is not None else ""
    if limit is None:
        return f"Dung lượng Trang tin: {_megabytes(size)}.\n" + apart
    share = size / limit
    line = f"Dung lượng Trang tin: {_megabytes(size)} / giới hạn {_megabytes(limit)} của nơi lưu trữ ({share:.0%}).\n"
    if share >= SIZE_WARNING_SHARE:
        line += ("CẢNH BÁO: Trang tin sắp vượt giới hạn dung lượng của nơi lưu trữ; khi vượt, bản dựng sẽ dừng và "
                 "văn bản mới không được đăng. Cần làm: chuyển sang máy chủ riêng không giới hạn (xem "
                 "deploy/nginx/ trong README), rồi đặt site.size_limit: none trong portal.yml; hoặc đặt các tệp PDF "
                 "ở máy chủ riêng (site.pdf_base_url, xem README).\n")
    return line + apart


def site_too_large_text(size: int, limit: int) -> str:
    return (f"Dừng: Trang tin sẽ nặng {_megabytes(size)}, vượt giới hạn {_megabytes(limit)} của nơi lưu trữ "
            "(site.size_limit trong portal.yml); nơi lưu trữ sẽ từ chối bản này. site/ giữ nguyên bản trước.\n"
            "Cần làm: chuyển Trang tin sang máy chủ riêng không giới hạn (xem deploy/nginx/ trong README) rồi đặt "
            "site.size_limit: none; hoặc đặt các tệp PDF ở máy chủ riêng (site.pdf_base_url, xem README); hoặc, nếu "
            "nơi lưu trữ cho phép nhiều hơn, đặt site.size_limit đúng mức đó.")
