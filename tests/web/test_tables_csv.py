"""Every table on every page type downloads as CSV: a CSV link beside the table (the first after it, before
the next table; else the last before it, after the previous one), its own, answering
``text/csv; charset=utf-8`` with the table's rows."""

from __future__ import annotations

import csv
import io
from collections import Counter
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from fastapi.testclient import TestClient

from allies.web import research
from tests.web import test_browser, test_pages
from tests.web.conftest import SHARED

PAGES = sorted({*test_pages.PAGES, *test_browser.PAGES})
"""Every page type: the pages the page tests and the browser tests visit."""


@dataclass
class Table:
    caption: str = ""
    rows: list[list[str]] = field(default_factory=list)
    row_ids: list[str | None] = field(default_factory=list)
    before: list[str] = field(default_factory=list)
    after: list[str] = field(default_factory=list)

    @property
    def csv(self) -> str | None:
        """The CSV link beside the table."""
        return self.after[0] if self.after else self.before[-1] if self.before else None


class Tables(HTMLParser):
    """Each ``<table>`` with its body rows' cells and the CSV links between it and its neighbours."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.tables: list[Table] = []
        self.depth = 0
        self.in_body = self.in_caption = False
        self.cell: list[str] | None = None
        self.pending: list[str] = []
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "table":
            assert self.depth == 0, "no table inside a table"
            self.depth = 1
            self.tables.append(Table(before=self.pending))
            self.pending = []
        elif self.depth and tag == "caption":
            self.in_caption = True
        elif self.depth and tag == "tbody":
            self.in_body = True
        elif self.in_body and tag == "tr":
            self.tables[-1].rows.append([])
            self.tables[-1].row_ids.append(found.get("id"))
        elif self.in_body and tag in ("th", "td"):
            self.cell = []
        elif tag == "a" and not self.depth and urlsplit(found.get("href") or "").path.endswith(".csv"):
            self.pending.append(found.get("href") or "")
            if self.tables:
                self.tables[-1].after.append(found.get("href") or "")

    def handle_endtag(self, tag: str) -> None:
        if tag == "table":
            self.depth = 0
        elif tag == "caption":
            self.in_caption = False
        elif tag == "tbody":
            self.in_body = False
        elif tag in ("th", "td") and self.cell is not None:
            self.tables[-1].rows[-1].append(" ".join("".join(self.cell).split()))
            self.cell = None

    def handle_data(self, data: str) -> None:
        if self.cell is not None:
            self.cell.append(data)
        if self.in_caption:
            self.tables[-1].caption += data


def download(client: TestClient, href: str) -> list[dict[str, str]]:
    response = client.get(href)
    assert response.status_code == 200, f"{href}: {response.status_code} {response.text[:200]}"
    assert response.headers["content-type"] == "text/csv; charset=utf-8", href
    return list(csv.DictReader(io.StringIO(response.text)))


@pytest.mark.parametrize("url", PAGES)
def test_every_table_has_its_csv_beside_it(client: TestClient, research_pages_data: Path, url: str) -> None:
    tables = Tables(test_pages.html(client, url)).tables
    links = [t.csv for t in tables]
    assert len(set(links)) == len(links), f"{url}: two tables share a CSV link: {links}"
    for i, table in enumerate(tables):
        where = f"{url}: table {i + 1} ({table.caption.strip() or 'no caption'})"
        assert table.csv, f"{where} has no CSV link after it"
        rows = download(client, table.csv)
        path = urlsplit(table.csv).path
        if path == "/research/alliances.csv":
            # One row per record and member: the CSV's records, in order, are the table's rows.
            assert list(dict.fromkeys(r["id"] for r in rows)) == table.row_ids, where
            assert len(rows) > len(table.rows), where
        elif path == "/research/disagreements.csv" and "?" not in table.csv:
            # The table counts the CSV's rows by kind.
            counts = Counter(r["kind"] for r in rows)
            assert [int(r[1]) for r in table.rows] == [counts[k] for k in research.KINDS], where
        else:
            assert len(rows) == len(table.rows), f"{where}: {len(table.rows)} rows, {table.csv} {len(rows)}"


def test_the_walk_sees_the_tables_it_is_about(client: TestClient) -> None:
    """The parser finds tables and their links (a walk that saw no table would prove nothing)."""
    tables = Tables(test_pages.html(client, "/arrangements/nato?on=1990-01-01")).tables
    assert len(tables) == 2 and len(tables[0].rows) == 16
    assert tables[0].csv == "/arrangements/nato.csv?on=1990-01-01"


def test_the_continuation_csv_has_a_row_per_record_and_member(client: TestClient) -> None:
    twin = client.get("/research/alliances.json").json()
    rows = download(client, "/research/alliances.csv")
    assert len(rows) == sum(len(r["members"]) for r in twin["records"])
    aachen = [r for r in rows if r["id"] == "aachen-2019"]
    assert [(r["member_cow"], r["member"]) for r in aachen] == [("220", "France"), ("255", "Germany")]
    assert aachen[0]["defense"] == "1" and aachen[0]["offense"] == "", "undecided is empty, never 0"
    assert aachen[0]["signed"] == "2019-01-22" and aachen[0]["in_force"] == "2020-01-22"
    assert "fr-mfa-aachen" in aachen[0]["sources"].split()
    leaving = next(r for r in rows if r["kind"] in ("withdrawal", "termination", "expiry"))
    assert all(leaving[k] == "" for k in ("defense", "offense", "neutral", "nonagg", "consul"))
    assert leaving["ended"]


def test_the_disagreements_csv_filters_and_says_what_is_missing(
    client: TestClient, research_pages_data: Path
) -> None:
    if not SHARED.is_dir():
        assert client.get("/research/disagreements.csv").status_code == 404
        return
    rows = download(client, "/research/disagreements.csv")
    nato = download(client, "/research/disagreements.csv?arrangement=nato")
    assert nato == [r for r in rows if r["arrangement"] == "nato"] and nato
    assert any(r["registry_sources"] for r in nato), "the registry's side keeps its sources"
    assert client.get("/research/disagreements.csv?kind=nonsense").status_code == 422
    assert client.get("/research/disagreements.csv?arrangement=nonsense").status_code == 404


def test_the_disagreements_csv_without_atop_names_the_command(
    client: TestClient, nothing_imported: Path
) -> None:
    response = client.get("/research/disagreements.csv")
    assert response.status_code == 404
    assert "allies data fetch atop" in response.text
