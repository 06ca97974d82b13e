"""Issue 18: the shipped nginx configuration (deploy/nginx/), run by Debian's nginx on loopback ports
with a self-signed certificate, serving a real build: HTTPS redirect, types of pages, feeds, OPML and
Pagefind bundles, compression, cache headers, the Vietnamese 404, the PDF byte for byte, and a search
in the real browser through it."""

from __future__ import annotations

import datetime as dt
import gzip
import hashlib
import ipaddress
import ssl
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from browser_kit import VIEWPORTS
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from kit import NGINX, REPO, free_port, running_nginx
from pages_kit import BuiltSite
from test_portal import search

CONF = REPO / "deploy" / "nginx"


def _self_signed(folder: Path) -> tuple[Path, Path]:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = dt.datetime.now(dt.UTC)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(now - dt.timedelta(days=1))
            .not_valid_after(now + dt.timedelta(days=2))
            .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), False)
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), True)
            .sign(key, hashes.SHA256()))
    cert_path, key_path = folder / "fullchain.pem", folder / "privkey.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    return cert_path, key_path


class Nginx:
    def __init__(self, http_port: int, https_port: int, cafile: Path) -> None:
        self.http = f"http://127.0.0.1:{http_port}/"
        self.https = f"https://127.0.0.1:{https_port}/"
        self.tls = ssl.create_default_context(cafile=str(cafile))

    def get(self, path: str, gzip_ok: bool = False) -> tuple[int, dict[str, str], bytes]:
        request = urllib.request.Request(self.https + path, headers={"Accept-Encoding": "gzip"} if gzip_ok else {})
        try:
            with urllib.request.urlopen(request, context=self.tls, timeout=10) as answer:
                return answer.status, {k.lower(): v for k, v in answer.headers.items()}, answer.read()
        except urllib.error.HTTPError as error:
            return error.code, {k.lower(): v for k, v in error.headers.items()}, error.read()


@pytest.fixture(scope="module")
def nginx(built: BuiltSite, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Nginx]:
    if not Path(NGINX).exists():
        pytest.skip("Debian nginx is not installed (make test installs it)")
    folder = tmp_path_factory.mktemp("nginx")
    cert, key = _self_signed(folder)
    http_port, https_port = free_port(), free_port()
    server = (CONF / "congbo.conf").read_text(encoding="utf-8")
    for shipped, local in (
        ("    listen 80;\n", f"    listen 127.0.0.1:{http_port};\n"),
        ("    listen [::]:80;\n", ""),
        ("    listen 443 ssl http2;\n", f"    listen 127.0.0.1:{https_port} ssl http2;\n"),
        ("    listen [::]:443 ssl http2;\n", ""),
        ("/etc/letsencrypt/live/congbo.example.vn/fullchain.pem", str(cert)),
        ("/etc/letsencrypt/live/congbo.example.vn/privkey.pem", str(key)),
        ("root /var/www/congbo;", f"root {built.site};"),
        ("/var/www/letsencrypt", str(folder)),
        ("/etc/nginx/congbo-site.conf", str(CONF / "congbo-site.conf")),
    ):
        assert shipped in server, shipped  # the shipped file still has what the test replaces
        server = server.replace(shipped, local)
    (folder / "congbo.conf").write_text(server, encoding="utf-8")
    with running_nginx(folder, f"    include {folder}/congbo.conf;", https_port):
        yield Nginx(http_port, https_port, cert)


def test_plain_http_moves_to_https(nginx: Nginx) -> None:
    class Stay(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args: Any) -> None:
            return None
    with pytest.raises(urllib.error.HTTPError) as moved:
        urllib.request.build_opener(Stay).open(nginx.http + "van-ban/", timeout=10)
    assert moved.value.code == 301
    location = moved.value.headers["Location"]
    assert location.startswith("https://127.0.0.1") and location.endswith("/van-ban/")


def test_pages_are_compressed_and_revalidated(nginx: Nginx, built: BuiltSite) -> None:
    status, headers, body = nginx.get("", gzip_ok=True)
    assert status == 200 and headers["content-type"] == "text/html; charset=utf-8"
    assert headers["content-encoding"] == "gzip" and b"<html" in gzip.decompress(body)
    assert headers["cache-control"] == "no-cache"
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["strict-transport-security"].startswith("max-age=")
    css = next((built.site / "assets" / "stylesheets").glob("main.*.min.css"))
    status, headers, _ = nginx.get(css.relative_to(built.site).as_posix())
    assert status == 200 and headers["cache-control"] == "public, max-age=31536000, immutable"


def test_feeds_and_the_opml_have_their_types(nginx: Nginx, built: BuiltSite) -> None:
    expected = {".xml": "text/xml", ".atom": "application/atom+xml", ".json": "application/json",
                ".opml": "text/x-opml"}
    for suffix, kind in expected.items():
        name = "index.opml" if suffix == ".opml" else f"all{suffix}"
        assert (built.site / "feeds" / name).is_file(), name
        status, headers, body = nginx.get(f"feeds/{name}")
        assert status == 200 and headers["content-type"].split(";")[0] == kind, name
        assert body == (built.site / "feeds" / name).read_bytes()


def test_the_pdf_is_the_signed_file_byte_for_byte(nginx: Nginx, built: BuiltSite) -> None:
    data = built.published["284/KH-LĐLĐ"][1]
    pdf = next(p for p in built.site.rglob("*.pdf") if p.read_bytes() == data)
    status, headers, body = nginx.get(pdf.relative_to(built.site).as_posix(), gzip_ok=True)
    assert status == 200 and headers["content-type"] == "application/pdf"
    assert "content-encoding" not in headers  # never recompressed: the bytes are the signed bytes
    assert hashlib.sha256(body).hexdigest() == hashlib.sha256(data).hexdigest()
    assert headers["cache-control"] == "public, max-age=86400" and headers["content-disposition"] == "inline"


def test_search_bundles_are_served_as_they_are(nginx: Nginx, built: BuiltSite) -> None:
    bundle = next((built.site / "pagefind").rglob("*.pf_fragment"))
    status, headers, body = nginx.get(bundle.relative_to(built.site).as_posix(), gzip_ok=True)
    assert status == 200 and headers["content-type"] == "application/octet-stream"
    assert "content-encoding" not in headers and body == bundle.read_bytes()


def test_a_missing_page_gets_the_portal_404(nginx: Nginx, built: BuiltSite) -> None:
    status, _, body = nginx.get("khong-co-trang-nay/")
    assert status == 404
    assert body == (built.site / "404.html").read_bytes()


def test_search_works_in_the_browser_through_nginx(browser: Any, nginx: Nginx) -> None:
    context = browser.new_context(locale="vi-VN", ignore_https_errors=True, **VIEWPORTS["desktop"])
    context.set_default_timeout(10_000)
    try:
        tab = context.new_page()
        tab.goto(nginx.https + "tim-kiem/")
        found = search(tab, "ke hoach thang 11")
        assert found and all(h.startswith("van-ban/") for h in found)
    finally:
        context.close()
