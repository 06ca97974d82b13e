"""The channels of a file other than its page text (issue 15), judged: marks in earlier revisions,
annotations, form fields and metadata; embedded files; active content; pages nobody could read.

Pure: the inspection and what the sidecar declares in, failed rules out."""

from __future__ import annotations

from pipeline.records import AttachmentApproval, Inspection, Reason, SecrecyDeclaration


def channel_reasons(result: Inspection, declaration: SecrecyDeclaration | None,
                    approvals: tuple[AttachmentApproval, ...]) -> list[Reason]:
    """Every rule the file's other channels fail. `declaration` is a person's `secrecy: none` for
    pages the pipeline could not read; `approvals` list the embedded files that may be published."""
    return []
