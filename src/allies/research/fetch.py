"""Downloading a data set from its producer's address, then importing it like a local file.

The download goes to a temporary file; it is checked for completeness (the
length the server announced), for being data rather than a web page, then
imported by :func:`allies.research.importer.import_path`, which validates every
file and compares checksums with the pinned release. Nothing in use changes
unless all of that succeeds.
"""

from __future__ import annotations

import http.client
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

from allies.research.importer import import_path
from allies.research.sources import source
from allies.research.store import ImportFailed, Manifest

USER_AGENT = "allies-research/0.1 (+research data import; python-urllib)"
MAX_BYTES = 512 * 1024 * 1024


def download(url: str, target: Path, timeout: float = 60.0) -> int:
    """Download ``url`` (https only) to ``target`` within ``timeout`` seconds in all.

    Returns the number of bytes; raises ImportFailed. ``timeout`` bounds the whole download,
    not each read: a server that sends a byte now and then cannot hold it open for longer.
    """
    scheme = urllib.parse.urlparse(url).scheme.lower()
    if scheme != "https":
        raise ImportFailed(
            f"{url}: only https:// addresses are downloaded (not {scheme or 'a bare path'}://); "
            "for a local copy use `allies data import NAME PATH`"
        )
    deadline = time.monotonic() + timeout
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response, target.open("wb") as out:
            announced = response.headers.get("Content-Length")
            received = 0
            while chunk := response.read1(1 << 16):
                received += len(chunk)
                if received > MAX_BYTES:
                    raise ImportFailed(f"{url}: more than {MAX_BYTES // (1024 * 1024)} MiB; not a data file")
                if time.monotonic() > deadline:
                    raise ImportFailed(
                        f"{url}: download not finished after {timeout:g} s ({received} bytes); "
                        "try again or raise --timeout"
                    )
                out.write(chunk)
    except urllib.error.HTTPError as exc:
        raise ImportFailed(f"{url}: the server answered {exc.code} {exc.reason}") from None
    except http.client.IncompleteRead as exc:
        raise ImportFailed(
            f"{url}: download truncated: received {len(exc.partial)} bytes, "
            f"{exc.expected} more were announced"
        ) from None
    except (urllib.error.URLError, TimeoutError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        raise ImportFailed(f"{url}: download failed ({reason}); are you online?") from None
    if announced is not None and announced.isdigit() and int(announced) != received:
        raise ImportFailed(f"{url}: download truncated: received {received} of {announced} bytes")
    head = target.read_bytes()[:512].lstrip().lower()
    if head.startswith((b"<!doctype html", b"<html")):
        raise ImportFailed(
            f"{url}: the server returned a web page, not the data file (the address may have moved)"
        )
    return received


def fetch(
    name: str, *, url: str | None = None, timeout: float = 60.0, strict: bool = False, verify: bool = True
) -> Manifest:
    """Download data set ``name`` from its producer (or ``url``, https only), verify it and import it.

    A file whose producer's checksum is pinned must match it unless ``verify`` is false; with
    ``strict``, a file with no pinned checksum is refused too. ``timeout`` bounds the download.
    """
    spec = source(name)
    address = url or spec.url
    filename = Path(urllib.parse.urlparse(address).path).name or spec.files[0].names[0]
    with tempfile.TemporaryDirectory(prefix="allies-fetch-") as tmp:
        target = Path(tmp) / filename
        download(address, target, timeout)
        manifest = import_path(name, target, origin=address, require_known=strict, verify=verify)
    return manifest
