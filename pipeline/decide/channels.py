"""The channels of a file other than its page text (issue 15), judged: marks in earlier revisions,
annotations, form fields and metadata; embedded files; active content; pages nobody could read.

Pure: the inspection and what the sidecar declares in, failed rules out.

A person's declaration (`secrecy: none`) answers only for pages the pipeline could not read: it
never waives a mark that was found, in any channel. An embedded file is published only when the
sidecar lists it by name and SHA-256 both (the bytes someone looked at, under the name they saw).
"""

from __future__ import annotations

from pipeline.records import AttachmentApproval, Inspection, Reason, ReasonCode, SecrecyDeclaration


def channel_reasons(result: Inspection, declaration: SecrecyDeclaration | None,
                    approvals: tuple[AttachmentApproval, ...]) -> list[Reason]:
    """Every rule the file's other channels fail. `declaration` is a person's `secrecy: none` for
    pages the pipeline could not read; `approvals` list the embedded files that may be published."""
    channels = result.channels
    reasons: list[Reason] = []
    for found in channels.marks:
        code = ReasonCode.SECRET if found.kind == "secrecy" else ReasonCode.EXCLUDED_CATEGORY
        reasons.append(Reason(code, f"{found.mark} in the {found.channel} channel ({found.where}): {found.evidence!r}"))
    approved = {(a.name, a.sha256.lower()) for a in approvals}
    for embedded in channels.attachments:
        if (embedded.name, embedded.sha256) not in approved:
            reasons.append(Reason(ReasonCode.ATTACHMENT,
                                  f"embedded file {embedded.name!r} ({embedded.size} bytes, sha256 {embedded.sha256},"
                                  f" {embedded.where}) is not listed in the sidecar's attachments"))
    for active in channels.active_content:
        reasons.append(Reason(ReasonCode.ACTIVE_CONTENT, f"active content: {active}"))
    # Issue 17: a page OCR read with confidence is read; any other stays unread.
    ocr = {page.page: page for page in result.ocr}
    unread = [page for page in channels.unread_pages if not (page in ocr and ocr[page].readable)]
    if unread and declaration is None:
        for page in unread:
            if page in ocr:
                reasons.append(Reason(ReasonCode.UNREADABLE,
                                      f"trang {page} là ảnh quét không đọc được: page {page} is a scanned image OCR"
                                      f" could not read with confidence ({ocr[page].problem}); it may carry a mark"
                                      " nobody checked; a person must declare it (sidecar `secrecy: none`)"))
            else:
                reasons.append(Reason(ReasonCode.UNREADABLE,
                                      f"page {page} is an image (or a drawing) the pipeline cannot read: it may carry a"
                                      " mark nobody checked; a person must declare it (sidecar `secrecy: none`)"))
    return reasons
