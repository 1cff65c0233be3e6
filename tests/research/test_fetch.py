"""Downloads, tested against a local HTTPS server (the only thing these tests fake is the network).

The server's certificate is made for the test and trusted through ``SSL_CERT_FILE``, as a user
behind a private certificate authority would do.
"""

from __future__ import annotations

import shutil
import ssl
import subprocess
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from allies.research.fetch import fetch
from allies.research.store import ImportFailed, current
from tests.research.test_store import atop_zip, snapshot

pytestmark = pytest.mark.shared


class Server:
    """Serves ``files`` (path → bytes) over https; ``/truncated/…`` announces more bytes than it
    sends, ``/slow/…`` sends a byte every 0.2 s."""

    def __init__(self, certificate: Path, key: Path) -> None:
        self.files: dict[str, bytes] = {}
        files = self.files

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                path = self.path
                truncated = path.startswith("/truncated/")
                slow = path.startswith("/slow/")
                body = files.get(path.removeprefix("/truncated").removeprefix("/slow"))
                if body is None:
                    self.send_error(404, "Not Found")
                    return
                self.send_response(200)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                if slow:
                    for i in range(len(body)):
                        self.wfile.write(body[i : i + 1])
                        self.wfile.flush()
                        time.sleep(0.2)
                    return
                self.wfile.write(body[: len(body) // 3] if truncated else body)

            def log_message(self, format: str, *args: object) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(certificate, key)
        self.httpd.socket = context.wrap_socket(self.httpd.socket, server_side=True)
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def url(self, path: str) -> str:
        return f"https://127.0.0.1:{self.httpd.server_address[1]}{path}"


@pytest.fixture(scope="module")
def certificate(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    if shutil.which("openssl") is None:
        pytest.skip("openssl is needed to make the test server's certificate")
    folder = tmp_path_factory.mktemp("tls")
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        [
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "1",
            "-subj",
            "/CN=127.0.0.1",
            "-addext",
            "subjectAltName=IP:127.0.0.1",
            "-keyout",
            str(key),
            "-out",
            str(cert),
        ],
        check=True,
        capture_output=True,
    )
    return cert, key


@pytest.fixture
def server(certificate: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch) -> Iterator[Server]:
    monkeypatch.setenv("SSL_CERT_FILE", str(certificate[0]))
    running = Server(*certificate)
    running.thread.start()
    yield running
    running.httpd.shutdown()
    running.httpd.server_close()
    running.thread.join()


def test_fetch_downloads_verifies_and_imports(
    empty_store: Path, shared_root: Path, tmp_path: Path, server: Server
) -> None:
    server.files["/uploads/atop_5.1__.csv_.zip"] = atop_zip(shared_root, tmp_path / "a.zip").read_bytes()
    server.files["/states2016.csv"] = (shared_root / "cow" / "states2016.csv").read_bytes()
    manifest = fetch("atop", url=server.url("/uploads/atop_5.1__.csv_.zip"), strict=True)
    assert manifest.verified and manifest.origin.endswith("/uploads/atop_5.1__.csv_.zip")
    assert manifest.tables["ddyr"] == 273_296
    assert fetch("cow-states", url=server.url("/states2016.csv")).verified


def test_failed_downloads_leave_the_import_in_place(
    empty_store: Path, shared_root: Path, tmp_path: Path, server: Server
) -> None:
    server.files["/states2016.csv"] = (shared_root / "cow" / "states2016.csv").read_bytes()
    server.files["/moved.csv"] = b"<!DOCTYPE html><html><body>This page has moved</body></html>"
    edited = (shared_root / "cow" / "states2016.csv").read_bytes().replace(b"Canada", b"Kanada")
    server.files["/edited.csv"] = edited
    fetch("cow-states", url=server.url("/states2016.csv"))
    before = snapshot("cow-states")
    with pytest.raises(ImportFailed, match="truncated"):
        fetch("cow-states", url=server.url("/truncated/states2016.csv"))
    with pytest.raises(ImportFailed, match="404"):
        fetch("cow-states", url=server.url("/nothing.csv"))
    with pytest.raises(ImportFailed, match="web page"):
        fetch("cow-states", url=server.url("/moved.csv"))
    with pytest.raises(ImportFailed, match="not the pinned"):
        fetch("cow-states", url=server.url("/edited.csv"), strict=True)
    # Checksums are enforced by default: a pinned file with other bytes is refused...
    with pytest.raises(ImportFailed, match=r"not the pinned .* --no-verify"):
        fetch("cow-states", url=server.url("/edited.csv"))
    assert snapshot("cow-states") == before
    lenient = fetch("cow-states", url=server.url("/edited.csv"), verify=False)
    assert not lenient.verified  # ...unless asked: same rows, other bytes, recorded as unpinned
    assert lenient.files[0].status == "unpinned"
    found = current("cow-states")
    assert found is not None and found.manifest.origin.endswith("/edited.csv")


def test_offline_is_a_clear_error(empty_store: Path) -> None:
    with pytest.raises(ImportFailed, match="download failed"):
        fetch("cow-states", url="https://127.0.0.1:9/states2016.csv", timeout=2)


@pytest.mark.parametrize(
    "url",
    ["http://www.atopdata.org/x.zip", "file:///etc/passwd", "ftp://example.org/states.csv", "/tmp/x.csv"],
)
def test_only_https_is_downloaded(empty_store: Path, url: str) -> None:
    with pytest.raises(ImportFailed, match="only https:// addresses"):
        fetch("cow-states", url=url)


def test_timeout_bounds_the_whole_download(empty_store: Path, shared_root: Path, server: Server) -> None:
    server.files["/states2016.csv"] = (shared_root / "cow" / "states2016.csv").read_bytes()
    started = time.monotonic()
    # Every byte comes within the timeout, the whole never would (a byte every 0.2 s).
    with pytest.raises(ImportFailed, match="not finished after 1 s"):
        fetch("cow-states", url=server.url("/slow/states2016.csv"), timeout=1)
    assert time.monotonic() - started < 3
    assert current("cow-states") is None


def test_a_copy_that_is_not_the_producers_file_says_so(empty_store: Path, shared_root: Path) -> None:
    from allies.research.importer import import_path

    manifest = import_path("nmc", shared_root / "cow" / "nmc_v7_slim.csv")
    assert not manifest.verified
    assert manifest.files[0].status.startswith("copy: a slimmed copy of NMC v7")
