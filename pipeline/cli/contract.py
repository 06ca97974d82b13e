"""The metadata part of the inspection contract (`inspect --json`), shared by the CLI and the golden
corpus so the two can never drift apart. Keys never change meaning; new keys may be added."""

from __future__ import annotations

from typing import Any

from pipeline.records import Metadata


def metadata_contract(metadata: Metadata) -> dict[str, Any]:
    """An extraction in the inspection contract's shape: the "metadata" object of `inspect --json`."""
    return {
        "number": metadata.number,
        "date": metadata.issued_date.isoformat() if metadata.issued_date else None,
        "place": metadata.place,
        "issuer": metadata.organ_name,
        "type": metadata.type_name,
        "subject": metadata.subject,
        "addressees": list(metadata.addressees),
        "recipients": list(metadata.recipients),
        "signer": {"name": metadata.signer.full_name, "title": metadata.signer.position,
                   "authority": metadata.signer.authority},
        "urgency": metadata.marks.urgency,
        "secrecy": metadata.marks.secrecy,
        "references": [r.number for r in metadata.references],
        "circulation": list(metadata.marks.circulation),
        "parent_issuer": metadata.parent_organ,
        "signed_by_text": metadata.signed_by_text,
        "signed_time_text": metadata.signed_time_text,
    }
