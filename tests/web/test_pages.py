"""The HTML pages and their JSON twins, on the real data and a real SQLite database."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import re
import zipfile
from html.parser import HTMLParser
from typing import Any
from xml.etree import ElementTree as ET

import pytest
from fastapi.testclient import TestClient

from allies import citation, tiers
from allies.kb import KnowledgeBase
from allies.version import __version__
from allies.web import pages
from allies.web.app import create_app
from allies.web.settings import Settings
from tests.web.conftest import TODAY

PAGES = [
    "/",
    "/allies",
    "/allies?on=2023-12-31&tier=mnna&region=Asia",
    "/countries/JPN",
    "/countries/FIN?on=2022-06-01",
    "/countries/USA",
    "/arrangements",
    "/arrangements/nato?on=1982-05-30",
    "/arrangements/anzus",
    "/map?on=2023-12-31",
    "/network?on=2023-12-31",
    "/changes?from=2022-12-31&to=2023-12-31",
    "/search?q=japan",
    "/reports",
    "/reports/2023",
    "/sources",
    "/about",
    "/data",
    "/docs",
]


class Page(HTMLParser):
    """What the accessibility and CSP checks need from a page."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.h1 = 0
        self.inline_scripts = 0
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        self.tags.append((tag, found))
        self.h1 += tag == "h1"
        if tag == "script" and not found.get("src"):
            self.inline_scripts += 1

    def all(self, tag: str) -> list[dict[str, str | None]]:
        return [attrs for name, attrs in self.tags if name == tag]


def html(client: TestClient, url: str, status: int = 200) -> str:
    response = client.get(url)
    assert response.status_code == status, f"{url}: {response.status_code} {response.text[:300]}"
    assert response.headers["content-type"].startswith("text/html")
    return response.text


@pytest.mark.parametrize("url", PAGES)
def test_pages_are_accessible_and_satisfy_the_csp(client: TestClient, url: str) -> None:
    check_page(html(client, url), url)


def check_page(text: str, url: str) -> None:
    """One h1, a skip link, labelled fields, alt texts; no inline scripts, styles or handlers."""
    page = Page(text)
    assert page.h1 == 1, "one h1 per page"
    assert page.all("html")[0].get("lang") == "en"
    assert any(a.get("href") == "#content" for a in page.all("a")), "a skip link"
    assert any(m.get("id") == "content" for m in page.all("main"))
    assert page.inline_scripts == 0 and not page.all("style")
    assert not any("style" in attrs for _, attrs in page.tags), "no inline style attributes"
    assert not any(k.startswith("on") for _, attrs in page.tags for k in attrs), "no inline handlers"
    labelled = {label.get("for") for label in page.all("label")}
    for field in [*page.all("input"), *page.all("select"), *page.all("textarea")]:
        if field.get("type") not in ("hidden", "submit") and "aria-hidden" not in field:
            assert field.get("id") in labelled, f"{url}: field {field} has no label"
    for img in page.all("img"):
        assert img.get("alt") is not None


TWINS = [
    ("/", "/index.json"),
    ("/allies?on=2023-12-31", "/allies.json?on=2023-12-31"),
    ("/countries/JPN?on=1953", "/countries/JPN.json?on=1953"),
    ("/arrangements/nato?on=1982-05-30", "/arrangements/nato.json?on=1982-05-30"),
    ("/map?on=2023", "/map.json?on=2023"),
    ("/network?on=2023", "/network.json?on=2023"),
    ("/changes?from=2022-12-31&to=2023-12-31", "/changes.json?from=2022-12-31&to=2023-12-31"),
    ("/search?q=nato", "/search.json?q=nato"),
    ("/reports/2023", "/reports/2023.json"),
    ("/sources", "/sources.json"),
    ("/about", "/about.json"),
]


@pytest.mark.parametrize(("page", "twin"), TWINS)
def test_every_page_has_a_json_twin(client: TestClient, page: str, twin: str) -> None:
    text = html(client, page)
    assert f'<link rel="alternate" type="application/json" href="{twin.replace("&", "&amp;")}">' in text
    response = client.get(twin)
    assert response.status_code == 200 and response.headers["content-type"] == "application/json"
    assert isinstance(response.json(), dict)


def test_the_twin_is_the_context_of_the_page(client: TestClient) -> None:
    data = client.get("/countries/JPN.json?on=2023-12-31").json()
    page = html(client, "/countries/JPN?on=2023-12-31")
    for status in data["status"]["statuses"]:
        assert status["name"] in page
    for source in data["sources"]:
        assert f'id="src-{source["id"]}"' in page, "every cited source is in the page's bibliography"


def test_home_shows_figures_search_and_latest_changes(client: TestClient) -> None:
    data = client.get("/index.json").json()
    assert data["on"] == TODAY.isoformat()
    assert data["figures"]["total"] == sum(data["figures"]["tiers"].values()) >= 60
    text = html(client, "/")
    assert 'role="search"' in text and 'name="q"' in text
    assert f"<strong>{data['figures']['total']}</strong>" in text
    assert data["latest"] and data["latest"][0]["summary"][:40] in text


def test_home_counts_are_honest(client: TestClient) -> None:
    """Each state once by its highest tier, and beside it how many hold each status at all."""
    data = client.get("/index.json").json()
    highest, holders = data["figures"]["tiers"], data["holders"]
    assert all(holders[t] >= n for t, n in highest.items())
    assert holders["mnna"] > highest["mnna"]  # treaty allies designated MNNA too (Japan, Korea, Australia…)
    text = " ".join(html(client, "/").split())
    for tier, n in highest.items():
        assert f'<span class="figure">{n}</span>' in text
        assert f"by highest tier · {holders[tier]} hold" in text
    assert "1 Partners" not in text and "1 Treaty allies" not in text


def test_tier_nouns_agree_with_their_number() -> None:
    assert tiers.noun(1, "partner") == "Partner" and tiers.noun(3, "partner") == "Partners"
    assert tiers.noun(2, "mnna") == "Major Non-NATO Allies"
    assert tiers.count_phrase(1, "mnna") == "1 Major Non-NATO Ally"


def test_country_page_today_and_on_a_day(client: TestClient) -> None:
    text = html(client, "/countries/FIN?on=2022-06-01")
    assert "On 1 June 2022" in text and "No listed relationship" in text
    assert "Today" in text and "Treaty ally" in text
    assert 'id="sources-heading"' in text and 'class="cite"' in text
    assert "Timeline" in text


def test_country_page_shows_benefits_with_legal_citations(client: TestClient) -> None:
    data = client.get("/countries/KEN.json?on=2025-01-01").json()
    assert data["status"]["benefits"]
    text = html(client, "/countries/KEN?on=2025-01-01")
    for benefit in data["status"]["benefits"]:
        assert benefit["name"] in text
    assert "Legal basis:" in text


def test_names_redirect_to_the_canonical_address(client: TestClient) -> None:
    response = client.get("/countries/japan?on=2020", follow_redirects=False)
    assert response.status_code == 308 and response.headers["location"] == "/countries/JPN?on=2020"
    response = client.get("/arrangements/NATO.json", follow_redirects=False)
    assert response.headers["location"] == "/arrangements/nato.json"


def test_arrangement_page_members_on_a_day_and_history(client: TestClient) -> None:
    text = html(client, "/arrangements/nato?on=1982-05-30")
    assert "Members on 30 May 1982: 16" in text
    assert "Member history" in text and "Spain" in text
    assert "Signed" in text and "4 April 1949" in text and "24 August 1949" in text


def test_map_colours_states_by_tier_on_the_day(client: TestClient) -> None:
    before = html(client, "/map?on=2022-01-01")
    after = html(client, "/map?on=2024-01-01")
    finland = re.compile(r'<path class="([^"]+)" fill="[^"]+" data-code="246"')
    assert finland.search(before).group(1) == "tier-none"  # type: ignore[union-attr]
    assert finland.search(after).group(1) == "tier-treaty_ally"  # type: ignore[union-attr]
    assert 'class="legend"' in after and 'type="date"' in after
    svg = client.get("/map.svg?on=2024-01-01")
    assert svg.headers["content-type"] == "image/svg+xml"
    ET.fromstring(svg.text)


def test_network_page(client: TestClient) -> None:
    data = client.get("/network.json?on=2023-12-31").json()
    ids = {n["id"] for n in data["nodes"]}
    assert {"USA", "a:nato", "FIN", "JPN"} <= ids
    assert all(e["source"] in ids and e["target"] in ids for e in data["edges"])
    text = html(client, "/network?on=2023-12-31")
    assert "<svg" in text and "/static/network.js" in text


def test_search_page_escapes_and_finds(client: TestClient) -> None:
    text = html(client, "/search?q=%3Cscript%3Ealert(1)%3C%2Fscript%3E")
    assert "<script>alert(1)</script>" not in text and "&lt;script&gt;alert(1)&lt;/script&gt;" in text
    found = html(client, "/search?q=japn")
    assert 'href="/countries/JPN"' in found


def test_changes_page_and_feed(client: TestClient) -> None:
    text = html(client, "/changes?from=2022-12-31&to=2023-12-31")
    assert "Finland" in text and "Tier changes" in text
    html(client, "/changes?from=2024-01-01&to=2023-01-01", 400)
    feed = client.get("/changes.atom")
    assert feed.headers["content-type"] == "application/atom+xml; charset=utf-8"
    root = ET.fromstring(feed.content)
    ns = {"a": "http://www.w3.org/2005/Atom"}
    entries = root.findall("a:entry", ns)
    assert 0 < len(entries) <= 50
    dates = [e.findtext("a:updated", namespaces=ns) or "" for e in entries]
    assert dates == sorted(dates, reverse=True) and dates[0] <= f"{TODAY.isoformat()}T23:59:59Z"
    ids = [e.findtext("a:id", namespaces=ns) for e in entries]
    assert len(set(ids)) == len(ids)


def test_sources_page_and_bibtex(client: TestClient, kb: KnowledgeBase) -> None:
    text = html(client, "/sources")
    assert all(f'id="src-{s}"' in text for s in kb.sources)
    bib = client.get("/sources.bib")
    assert bib.headers["content-type"].startswith("application/x-bibtex")
    keys = re.findall(r"^@\w+\{([^,]+),$", bib.text, flags=re.MULTILINE)
    assert sorted(keys) == sorted(kb.sources)


def test_about_page_explains_coverage_and_citation(client: TestClient, kb: KnowledgeBase) -> None:
    text = html(client, "/about")
    assert kb.version in text and "How to cite" in text and "Coverage" in text


def test_api_docs_are_interactive_without_javascript(client: TestClient) -> None:
    text = html(client, "/docs")
    assert "/api/v1/status/{state}" in text and 'action="/docs/try"' in text
    response = client.get(
        "/docs/try?operation=/api/v1/status/{state}&state=S.+Korea&on=2024", follow_redirects=False
    )
    assert response.status_code == 303 and response.headers["location"] == "/api/v1/status/S.%20Korea?on=2024"
    assert client.get("/docs/try?operation=/etc/passwd", follow_redirects=False).status_code == 404


def test_errors_are_pages(client: TestClient) -> None:
    text = html(client, "/countries/Jpan", 404)
    assert "Unknown country" in text and 'href="/countries/JPN"' in text
    assert "Page not found" in html(client, "/no/such/page", 404)
    assert "Bad request" in html(client, "/countries/JPN?on=2023-02-30", 400)
    assert client.get("/reports/1900").status_code == 404
    assert client.get("/countries/Jpan.json").json()["suggestions"]


def test_static_files_and_vendor_script(client: TestClient) -> None:
    css = client.get("/static/site.css")
    assert css.status_code == 200 and css.headers["content-type"].startswith("text/css")
    script = client.get("/static/vendor/cytoscape.min.js")
    assert script.status_code == 200 and len(script.content) > 100_000


def _csv(client: TestClient, url: str) -> list[dict[str, str]]:
    response = client.get(url)
    assert response.status_code == 200, url
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    assert response.headers["content-disposition"].startswith("attachment; filename=")
    return list(csv.DictReader(io.StringIO(response.text)))


def test_every_table_downloads_as_csv(client: TestClient) -> None:
    page = client.get("/allies?on=2023-12-31&tier=mnna").text
    assert 'href="/allies.csv?on=2023-12-31&amp;tier=mnna"' in page
    rows = _csv(client, "/allies.csv?on=2023-12-31&tier=mnna")
    listed = client.get("/allies.json?on=2023-12-31&tier=mnna").json()
    assert [r["state"] for r in rows] == [a["state"]["id"] for a in listed["allies"]]
    assert {r["tier"] for r in rows} == {"mnna"}
    nato = client.get("/arrangements/nato?on=1990-01-01").text
    assert 'href="/arrangements/nato.csv?on=1990-01-01"' in nato
    members = _csv(client, "/arrangements/nato.csv?on=1990-01-01")
    assert len(members) == 16 and {"USA", "DEU", "TUR"} <= {m["state"] for m in members}
    assert "/reports.csv" in client.get("/reports").text
    years = _csv(client, "/reports.csv")
    assert years[-1]["year"] == "1945" and int(years[0]["year"]) == TODAY.year
    assert all(int(y["total"]) == sum(int(y[t]) for t in tiers.NAMES if t != "none") for y in years)
    assert _csv(client, "/countries/JPN.csv")[0]["arrangement"] == "us-japan"


CITED_PAGES = [p for p in PAGES if p not in ("/docs", "/sources")]


@pytest.mark.parametrize("path", CITED_PAGES)
def test_every_page_has_a_cite_block_with_both_formats(client: TestClient, path: str) -> None:
    text = html(client, path)
    block = text[text.index('id="cite-this-page"') :]
    page, _, query = path.partition("?")
    base = "/index" if page == "/" else page
    suffix = f"?{query}".replace("&", "&amp;") if query else ""
    assert f'href="{base}.bib{suffix}"' in block and f'href="{base}.csl.json{suffix}"' in block
    assert 'class="bibtex"' in block and 'class="csl-json"' in block
    bib = client.get(f"{base}.bib" + (f"?{query}" if query else ""))
    assert bib.status_code == 200 and bib.headers["content-type"].startswith("application/x-bibtex")
    for field in ("author", "title", "booktitle", "year", "version", "url", "urldate", "note"):
        assert re.search(rf"^  {field} +=", bib.text, flags=re.MULTILINE), (path, field)
    assert f"http://localhost:8000{path}" in bib.text and TODAY.isoformat() in bib.text
    items = client.get(f"{base}.csl.json" + (f"?{query}" if query else "")).json()
    assert len(items) == 1 and items[0]["type"] == "webpage"
    assert items[0]["URL"] == f"http://localhost:8000{path}"
    assert items[0]["accessed"] == {"date-parts": [[TODAY.year, TODAY.month, TODAY.day]]}
    assert {"author", "title", "issued", "version", "container-title"} <= set(items[0])


def test_a_country_citation_names_the_country(client: TestClient, kb: KnowledgeBase) -> None:
    bib = client.get("/countries/JPN.bib").text
    assert bib.startswith("@misc{allies-countries-jpn,") and "title     = {{Japan}}" in bib
    assert f"Data version {kb.version}" in bib
    moved = client.get("/countries/Japan.csl.json", follow_redirects=False)
    assert moved.status_code == 308 and moved.headers["location"] == "/countries/JPN.csl.json"
    assert client.get("/reports/2023.csl.json").json()[0]["title"].endswith("in 2023")


def test_the_registry_and_its_sources_are_citable(client: TestClient, kb: KnowledgeBase) -> None:
    own = client.get("/cite.bib").text
    assert own.startswith("@misc{allies,") and f"Data version {kb.version}" in own
    assert client.get("/cite.csl.json").json()[0]["id"] == "allies"
    sources = client.get("/sources.csl.json")
    assert sources.headers["content-type"].startswith("application/vnd.citationstyles.csl+json")
    assert sorted(i["id"] for i in sources.json()) == sorted(kb.sources)
    text = html(client, "/sources")
    assert 'href="/cite.bib"' in text, "the bibliography page is cited as the registry"
    about = html(client, "/about")
    assert "The allies developers. 2026." in about and 'href="/cite.csl.json"' in about


def test_the_footer_shows_version_release_date_and_licence(client: TestClient, kb: KnowledgeBase) -> None:
    footer = html(client, "/countries/JPN").split('class="site-footer"')[1]
    assert f"Version {__version__}, released" in footer and kb.version in footer
    assert 'rel="license">MIT licence</a>' in footer


def test_the_data_page_offers_the_package_its_files_and_the_licence(
    client: TestClient, kb: KnowledgeBase
) -> None:
    text = html(client, "/data")
    released = dt.date.fromisoformat(citation.registry().issued or "")
    assert "MIT licence" in text and kb.version in text and f"{released:%B} {released.year}" in text
    assert 'href="/data/allies-registry.zip"' in text and 'href="/data/datapackage.json"' in text
    descriptor = client.get("/data/datapackage.json").json()
    assert descriptor["data_version"] == kb.version and descriptor["licenses"][0]["name"] == "MIT"
    for resource in descriptor["resources"]:
        assert f'href="/data/{resource["path"]}"' in text
        assert client.get(f"/data/{resource['path']}").status_code == 200
    states = client.get("/data/states.csv")
    assert states.headers["content-type"] == "text/csv; charset=utf-8"
    assert len(list(csv.DictReader(io.StringIO(states.text)))) == len(kb.states)
    archive = client.get("/data/allies-registry.zip")
    assert archive.headers["content-type"] == "application/zip"
    assert f"allies-registry-{kb.version}.zip" in archive.headers["content-disposition"]
    again = client.get("/data/allies-registry.zip", headers={"if-none-match": archive.headers["etag"]})
    assert again.status_code == 304 and not again.content
    with zipfile.ZipFile(io.BytesIO(archive.content)) as z:
        assert "allies-registry/datapackage.json" in z.namelist()
    assert client.get("/data/nothing.csv").status_code == 404
    assert client.get("/data.json").json()["tables"][0]["rows"] == len(kb.states)
    assert 'href="/data"' in html(client, "/about") and 'href="/data"' in html(client, "/")


def test_the_zip_etag_is_hashed_once_with_the_archive_and_answers_304(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = client.get("/data/allies-registry.zip")
    etag = first.headers["etag"]
    assert etag == f'"{hashlib.sha256(first.content).hexdigest()[:20]}"'  # strong: the bytes' hash
    hashed: list[bytes] = []
    sha256 = hashlib.sha256

    def counting(data: bytes = b"", **kwargs: Any) -> Any:
        hashed.append(data)
        return sha256(data, **kwargs)

    monkeypatch.setattr(hashlib, "sha256", counting)
    again = client.get("/data/allies-registry.zip", headers={"if-none-match": etag})
    assert again.status_code == 304 and not again.content and again.headers["etag"] == etag
    other = client.get("/data/allies-registry.zip", headers={"if-none-match": '"not-this-one"'})
    assert other.status_code == 200 and other.content == first.content and other.headers["etag"] == etag
    # If-None-Match is compared as for every page (RFC 9110 §13.1.2): weakly, in a list, or "*".
    for header in (f'"not-this-one", {etag}', f"W/{etag}", "*"):
        matched = client.get("/data/allies-registry.zip", headers={"if-none-match": header})
        assert matched.status_code == 304 and not matched.content, header
    assert first.content not in hashed, "the archive is hashed when it is built, not per request"


def test_a_country_page_has_its_table_as_csv(client: TestClient, kb: KnowledgeBase) -> None:
    assert 'href="/countries/PHL.csv?on=2023-12-31"' in html(client, "/countries/PHL?on=2023-12-31")
    rows = list(csv.DictReader(io.StringIO(client.get("/countries/PHL.csv?on=2023-12-31").text)))
    statuses = kb.status("PHL", "2023-12-31").statuses
    assert [r["arrangement"] for r in rows] == [s.arrangement.id for s in statuses] and rows
    assert list(rows[0]) == list(pages.STATUS_COLUMNS)
    assert {r["state"] for r in rows} == {"PHL"} and {r["on"] for r in rows} == {"2023-12-31"}
    treaty = next(r for r in rows if r["arrangement"] == "us-philippines")
    assert treaty["since"] == "1952-08-27" and treaty["since_precision"] == "day"
    outside = next(s for s in sorted(kb.states) if s not in kb.participations)
    none = client.get(f"/countries/{outside}.csv")
    assert none.text.strip() == ",".join(pages.STATUS_COLUMNS), "no statuses: the header alone"
    assert (
        client.get("/countries/Japan.csv", follow_redirects=False).headers["location"] == "/countries/JPN.csv"
    )


def test_a_report_has_its_list_as_csv(client: TestClient, kb: KnowledgeBase) -> None:
    assert 'href="/reports/2023.csv"' in html(client, "/reports/2023")
    rows = list(csv.DictReader(io.StringIO(client.get("/reports/2023.csv").text)))
    assert len(rows) == len(kb.allies("2023-12-31")) and {r["on"] for r in rows} == {"2023-12-31"}
    assert list(rows[0]) == list(pages.ALLIES_COLUMNS)
    assert list(_csv(client, "/allies.csv?on=2023-12-31")[0]) == list(pages.ALLIES_COLUMNS)
    early = client.get("/reports/1945.csv").text
    assert early.splitlines()[0] == ",".join(pages.ALLIES_COLUMNS)
    assert client.get("/reports/1800.csv").status_code == 404


def test_the_arrangements_csv_holds_the_rows_of_the_page(client: TestClient) -> None:
    """One source of truth: the CSV is the page's table, row for row, in its order."""
    page = html(client, "/arrangements")
    table = re.findall(
        r'<th scope="row"><a href="/arrangements/([^"]+)">.*?<td class="num">(\d+)</td>', page, re.S
    )
    rows = _csv(client, "/arrangements.csv")
    assert [(r["id"], r["members_today"]) for r in rows] == table and len(table) > 10
    context = client.get("/arrangements.json").json()["arrangements"]
    for row, shown in zip(rows, context, strict=True):
        assert (row["name"], row["kind"], row["confers"]) == (shown["name"], shown["kind"], shown["confers"])
        assert row["obligations"].split() == shown["obligations"]
        for k in ("signed", "in_force", "ended"):
            date = shown[k]
            assert row[k] == (
                "" if date is None else date["date"][: {"year": 4, "month": 7, "day": 10}[date["precision"]]]
            )


def test_the_arrangement_and_change_lists_download_as_csv(client: TestClient, kb: KnowledgeBase) -> None:
    assert 'href="/arrangements.csv"' in html(client, "/arrangements")
    rows = _csv(client, "/arrangements.csv")
    assert sorted(r["id"] for r in rows) == sorted(kb.arrangements)
    nato = next(r for r in rows if r["id"] == "nato")
    assert (nato["signed"], nato["in_force"], nato["ended"]) == ("1949-04-04", "1949-08-24", "")
    assert int(nato["members_today"]) == len(kb.members("nato", TODAY)) > 30
    roc = next(r for r in rows if r["id"] == "us-roc")
    assert roc["ended"] == "1980-01-01" and roc["members_today"] == "0"
    page = html(client, "/changes?from=2023-01-01&to=2024-12-31")
    assert 'href="/changes.csv?from=2023-01-01&amp;to=2024-12-31"' in page
    changes = _csv(client, "/changes.csv?from=2023-01-01&to=2024-12-31")
    expected = kb.changes("2023-01-01", "2024-12-31").as_json()["tier_changes"]
    assert [(r["state"], r["before"], r["after"]) for r in changes] == [
        (t["state"], t["before"], t["after"]) for t in expected
    ]
    assert ("FIN", "none", "treaty_ally") in {(r["state"], r["before"], r["after"]) for r in changes}
    assert client.get("/changes.csv?from=2024-01-01&to=2023-01-01").status_code == 422
    quiet = client.get("/changes.csv?from=1800-01-02&to=1800-01-03").text
    assert quiet.strip() == ",".join(pages.CHANGES_COLUMNS), "nothing changed: the header alone"


def test_a_cached_page_cites_the_day_it_is_read(settings: Settings, kb: KnowledgeBase) -> None:
    day = [dt.date(2025, 12, 31)]
    with TestClient(create_app(settings, kb=kb, clock=lambda: day[0])) as other:
        assert "(accessed 2025-12-31)" in html(other, "/about")
        day[0] = dt.date(2026, 1, 1)
        assert "(accessed 2026-01-01)" in html(other, "/about")
        assert "urldate   = {2026-01-01}" in other.get("/about.bib").text


def test_release_and_licence_come_from_the_citation_data(client: TestClient) -> None:
    own = citation.registry()
    released = dt.date.fromisoformat(own.issued or "")
    footer = html(client, "/").split('class="site-footer"')[1]
    assert f"released {released.day} {released:%B} {released.year}" in footer
    assert f'href="{own.licence_url}" rel="license">{own.licence} licence</a>' in footer
