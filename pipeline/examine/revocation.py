"""Revocation data embedded in a signed PDF: the DSS and every signature's CMS
`adbe-revocationInfoArchival` attribute, parsed once per document.

Only embedded data is ever used (nothing is fetched). verify.py hands it to pyhanko and asks
`covers` whether it speaks about a signer's certificate, in which case pyhanko is told to require
it for that certificate.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from asn1crypto import crl as asn1_crl
from asn1crypto import ocsp as asn1_ocsp
from asn1crypto import x509 as asn1_x509
from pyhanko.pdf_utils import generic as pdf_generic
from pyhanko.pdf_utils.decode_limits import DecodePurpose
from pyhanko.pdf_utils.reader import PdfFileReader


@dataclass
class Revinfo:
    """What the document carries, and what of it could not be read."""

    crls: list[asn1_crl.CertificateList] = field(default_factory=list)
    ocsps: list[asn1_ocsp.OCSPResponse] = field(default_factory=list)
    certs: list[asn1_x509.Certificate] = field(default_factory=list)
    crl_issuers: list[asn1_x509.Name] = field(default_factory=list)
    ocsp_ids: set[tuple[str, bytes, int]] = field(default_factory=set)  # (hash algorithm, issuer name hash, serial)
    # (what, why) for each part that could not be read, in reading order: verify.py reports them
    # as problems; the rest of the data is still used.
    unreadable: list[tuple[str, Exception]] = field(default_factory=list)

    @classmethod
    def read(cls, reader: PdfFileReader, embedded: Iterable[Any]) -> Revinfo:
        found = cls()
        try:
            dss = reader.root.get("/DSS")
            dss = dss.get_object() if dss is not None else None
        except (KeyError, ValueError, TypeError):
            dss = None
        if isinstance(dss, pdf_generic.DictionaryObject):
            try:
                for ref in _array(dss, "/Certs"):
                    found.certs.append(asn1_x509.Certificate.load(ref.get_object().read_data(DecodePurpose.CERTIFICATE)))
                for ref in _array(dss, "/CRLs"):
                    found.add_crl(asn1_crl.CertificateList.load(ref.get_object().read_data(DecodePurpose.CRL)))
                for ref in _array(dss, "/OCSPs"):
                    found.add_ocsp(asn1_ocsp.OCSPResponse.load(ref.get_object().read_data(DecodePurpose.OCSP_RESPONSE)))
            except (MemoryError, RecursionError):
                raise
            except Exception as exc:
                found.unreadable.append(("the document security store", exc))
        for emb in embedded:
            try:
                attrs = emb.signer_info["signed_attrs"]
                for attr in attrs if attrs else ():
                    if attr["type"].native != "adobe_revocation_info_archival":
                        continue
                    for value in attr["values"]:
                        for crl in value["crl"] or ():
                            found.add_crl(crl)
                        for resp in value["ocsp"] or ():
                            found.add_ocsp(resp)
            except (MemoryError, RecursionError):
                raise
            except Exception as exc:
                found.unreadable.append((f"revocation data in signature {emb.field_name!r}", exc))
        return found

    @property
    def present(self) -> bool:
        return bool(self.crls or self.ocsps)

    def add_crl(self, crl: asn1_crl.CertificateList) -> None:
        self.crls.append(crl)
        self.crl_issuers.append(crl["tbs_cert_list"]["issuer"])

    def add_ocsp(self, response: asn1_ocsp.OCSPResponse) -> None:
        self.ocsps.append(response)
        try:
            basic = response["response_bytes"]["response"].parsed
            for single in basic["tbs_response_data"]["responses"]:
                cert_id = single["cert_id"]
                self.ocsp_ids.add((cert_id["hash_algorithm"]["algorithm"].native,
                                   cert_id["issuer_name_hash"].native, int(cert_id["serial_number"].native)))
        except (KeyError, TypeError, ValueError, AttributeError):
            return  # an unusable response speaks for no certificate

    def covers(self, cert: asn1_x509.Certificate) -> bool:
        """Whether the document carries revocation data that speaks about `cert`: a CRL from its
        issuer or an OCSP response for its serial number."""
        issuer = cert.issuer
        issuer_der = issuer.dump()
        for crl_issuer in self.crl_issuers:
            try:
                if crl_issuer.dump() == issuer_der or crl_issuer == issuer:
                    return True
            except ValueError:  # a name asn1crypto cannot compare
                continue
        for algorithm, name_hash, serial in self.ocsp_ids:
            if serial != cert.serial_number:
                continue
            try:
                if hashlib.new(algorithm, issuer_der).digest() == name_hash:
                    return True
            except (ValueError, TypeError):
                continue
        return False


def _array(dictionary: Any, key: str) -> list[Any]:
    value = dictionary.get(key)
    if value is None:
        return []
    value = value.get_object()
    return list(value) if isinstance(value, pdf_generic.ArrayObject) else []
