"""Downloads, tested against a local HTTP server (the only thing these tests fake is the network)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from allies.research.fetch import fetch
from allies.research.store import ImportFailed, current
from tests.research.test_store import atop_zip, snapshot

pytestmark = pytest.mark.shared


class Server:
    """Serves ``files`` (path → bytes); ``/truncated/…`` announces more bytes than it sends."""

    def __init__(self) -> None:
        self.files: dict[str, bytes] = {}
        files = self.files

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                path = self.path
                truncated = path.startswith("/truncated/")
                body = files.get(path.removeprefix("/truncated"))
                if body is None:
                    self.send_error(404, "Not Found")
                    return
                self.send_response(200)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body[: len(body) // 3] if truncated else body)

            def log_message(self, format: str, *args: object) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}{path}"


@pytest.fixture
def server() -> Iterator[Server]:
    running = Server()
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
    assert snapshot("cow-states") == before
    lenient = fetch("cow-states", url=server.url("/edited.csv"))
    assert not lenient.verified  # same rows, other bytes: accepted and recorded as unpinned
    found = current("cow-states")
    assert found is not None and found.manifest.origin.endswith("/edited.csv")


def test_offline_is_a_clear_error(empty_store: Path) -> None:
    with pytest.raises(ImportFailed, match="download failed"):
        fetch("cow-states", url="http://127.0.0.1:9/states2016.csv", timeout=2)
