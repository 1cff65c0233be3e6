"""HTTP basics: HEAD on every GET route, ETag and 304, cache headers, gzip and brotli, charsets."""

from __future__ import annotations

import gzip
import re
from collections.abc import Iterator
from typing import Any

import brotli
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from allies.web import protocol
from allies.web.apidocs import operations

EXAMPLES = {
    "state": "JPN",
    "arrangement": "nato",
    "year": "2023",
    "source": "nato-treaty-text",
    "path": "site.css",
    "file": "states.csv",
}
"""A value for each path parameter of the site's routes."""


def _routes(routes: list[Any]) -> Iterator[tuple[str, set[str]]]:
    """(path, methods) of every route, including those of included routers (FastAPI keeps them apart)."""
    for route in routes:
        if hasattr(route, "original_router"):
            yield from _routes(route.original_router.routes)
        else:
            yield getattr(route, "path", ""), getattr(route, "methods", None) or set()


def get_urls(app: FastAPI) -> list[str]:
    """Every GET route of the application with its path parameters filled in."""
    urls = []
    for path, methods in _routes(app.routes):
        if "GET" not in methods or path.startswith(("/admin", "/research")):
            continue  # admin needs a token; the research pages need imported data sets
        urls.append(re.sub(r"\{(\w+)(:\w+)?\}", lambda m: EXAMPLES[m.group(1)], path))
    return urls


def test_head_answers_like_get_on_every_get_route(app: FastAPI, client: TestClient) -> None:
    urls = get_urls(app)
    assert len(urls) > 30 and "/map" in urls and "/api/v1/status/JPN" in urls
    for url in [*urls, "/static/site.css"]:
        got = client.get(url, headers={"accept-encoding": "identity"}, follow_redirects=False)
        head = client.head(url, headers={"accept-encoding": "identity"}, follow_redirects=False)
        assert head.status_code == got.status_code, url
        assert head.content == b"", url
        assert head.headers.get("content-type") == got.headers.get("content-type"), url
        if "content-length" in got.headers:
            assert head.headers["content-length"] == got.headers["content-length"], url


@pytest.mark.parametrize("url", ["/", "/allies.json", "/static/site.css", "/api/v1/allies", "/map.svg"])
def test_gzip_and_brotli(client: TestClient, url: str) -> None:
    plain = client.get(url, headers={"accept-encoding": "identity"})
    assert "content-encoding" not in plain.headers and len(plain.content) > protocol.MINIMUM_SIZE
    for coding, unpack in (("gzip", gzip.decompress), ("br", brotli.decompress)):
        with client.stream("GET", url, headers={"accept-encoding": f"{coding}, deflate"}) as sent:
            packed = b"".join(sent.iter_raw())
        assert sent.headers["content-encoding"] == coding, (url, coding)
        assert "accept-encoding" in sent.headers["vary"].lower()
        assert int(sent.headers["content-length"]) == len(packed) < len(plain.content)
        assert unpack(packed) == plain.content


def test_accept_encoding_rules() -> None:
    assert protocol.choose_encoding("gzip, deflate, br") == "br"
    assert protocol.choose_encoding("gzip;q=1.0, br;q=0") == "gzip"
    assert protocol.choose_encoding("identity") is None
    assert protocol.choose_encoding("") is None
    assert not protocol.compressible("image/png") and protocol.compressible("application/atom+xml")


def test_etag_and_not_modified(client: TestClient) -> None:
    first = client.get("/countries/JPN")
    etag = first.headers["etag"]
    assert etag.startswith('W/"') and first.headers["cache-control"] == "public, no-cache"
    again = client.get("/countries/JPN", headers={"if-none-match": etag})
    assert again.status_code == 304 and again.content == b"" and again.headers["etag"] == etag
    assert client.get("/countries/KOR", headers={"if-none-match": etag}).status_code == 200
    assert client.get("/countries/JPN.json").headers["etag"] != etag
    assert client.get("/static/site.css").headers["cache-control"] == "public, max-age=86400"
    contact = client.get("/contact")
    assert "etag" not in contact.headers and contact.headers["cache-control"] == "no-store"


def test_the_feed_says_utf8(client: TestClient) -> None:
    response = client.get("/changes.atom")
    assert response.headers["content-type"] == "application/atom+xml; charset=utf-8"


def test_every_docs_example_answers(app: FastAPI, client: TestClient) -> None:
    examples = [op["example"] for op in operations(app.openapi())]
    assert any(url.startswith("/api/v1/search?q=") for url in examples)
    for url in examples:
        assert client.get(url).status_code == 200, url
