"""Vietnamese words for the clerk. Reason codes stay stable; they are translated only here."""

from __future__ import annotations

from pipeline.records import ReasonCode

# code -> (what is wrong, what the clerk should do next)
REASONS: dict[ReasonCode, tuple[str, str]] = {
    ReasonCode.UNREADABLE: (
        "Không đọc được tệp PDF (tệp hỏng, bị mã hóa, không phải PDF, hoặc vượt giới hạn thời gian/bộ nhớ khi đọc).",
        "Mở tệp bằng phần mềm đọc PDF để kiểm tra; xuất lại bản PDF từ phần mềm ký số rồi ký lại và nộp lại.",
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
        "Không đọc được các thông tin bắt buộc của văn bản (loại văn bản, trích yếu...).",
        "Kiểm tra bản PDF có lớp chữ (không phải ảnh quét); hoặc tạo tệp khai báo cùng tên đuôi .yml bổ sung các trường còn thiếu.",
    ),
}


def reason_text(code: ReasonCode) -> str:
    return REASONS[code][0]


def next_step(code: ReasonCode) -> str:
    return REASONS[code][1]
