"""The continuation's review page, ``/research/alliances``, and its JSON twin."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.web.test_pages import check_page, html


def test_the_page_lists_every_record_with_its_sources(client: TestClient) -> None:
    text = html(client, "/research/alliances")
    check_page(text, "/research/alliances")
    assert "The world’s alliances after 2018" in text
    assert "carried forward" in text
    for record in (
        "russia-dprk-2024",
        "nato-finland",
        "armenia-csto-freeze",
        "france-poland-1991-superseded",
    ):
        assert f'id="{record}"' in text
    # Every cited source is in the bibliography, with its link.
    twin = client.get("/research/alliances.json").json()
    assert twin["count"] == len(twin["records"]) >= 17
    for source in twin["sources"]:
        assert f'id="src-{source["id"]}"' in text
    assert "Article 4" in text and "without delay" in text
