"""The research pages: the registry/ATOP disagreement report and the yearly US network series.

Without imported data sets (an empty ``ALLIES_DATA_DIR``) the pages say how to import them;
with ATOP, COW states and NMC imported from ``../shared/data`` (tests marked ``shared``)
they show the real report and series.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any
from xml.etree import ElementTree as ET

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from allies.kb import KnowledgeBase
from allies.research.balance import SERIES_DATA
from allies.web import research
from allies.web.research import without_styles
from tests.web.conftest import TODAY
from tests.web.test_pages import check_page, html

PAGES = ["/research/disagreements", "/research/network"]


def group(data: dict[str, Any], arrangement: str | None) -> dict[str, Any]:
    """The disagreement rows about one registry arrangement (None: the unmatched ATOP alliances)."""
    found: list[dict[str, Any]] = [
        g for g in data["groups"] if (g["arrangement"]["id"] if g["arrangement"] else None) == arrangement
    ]
    assert len(found) == 1, f"{len(found)} groups for {arrangement}"
    return found[0]


def row(rows: list[dict[str, Any]], **where: Any) -> dict[str, Any]:
    """The one row whose fields (``state`` compares the state's id) have the values in ``where``."""
    found = [
        r for r in rows if all((r[k]["id"] if k == "state" and r[k] else r[k]) == v for k, v in where.items())
    ]
    assert len(found) == 1, f"{len(found)} rows match {where}"
    return found[0]


def table_row(text: str, year: int) -> str:
    """The HTML of the series table's row for ``year``."""
    start = text.index(f'<th scope="row">{year}</th>')
    return text[start : text.index("</tr>", start)]


# -- nothing imported ------------------------------------------------------------------------------
@pytest.mark.parametrize(("url", "missing"), [(PAGES[0], ["atop"]), (PAGES[1], ["atop", "nmc"])])
def test_without_data_the_pages_say_how_to_import_it(
    client: TestClient, nothing_imported: Path, url: str, missing: list[str]
) -> None:
    text = html(client, url)
    check_page(text, url)
    assert "Not imported on this server" in text
    for name in missing:
        assert f"allies data fetch {name}" in text and f"allies data import {name} PATH" in text
    assert str(nothing_imported) not in text, "no server path is shown"
    assert f'<link rel="alternate" type="application/json" href="{url}.json">' in text
    twin = client.get(f"{url}.json")
    assert twin.status_code == 200 and twin.headers["content-type"] == "application/json"
    data = twin.json()
    assert data["imported"] is False and data["missing"] == missing
    assert [d["name"] for d in data["datasets"] if not d["imported"]] == missing
    assert all(
        d["commands"] == [f"allies data fetch {d['name']}", f"allies data import {d['name']} PATH"]
        for d in data["datasets"]
    )


def test_without_data_the_downloads_are_not_found(client: TestClient, nothing_imported: Path) -> None:
    for suffix in ("svg", "csv"):
        response = client.get(f"/research/network.{suffix}")
        assert response.status_code == 404
        assert "allies data fetch nmc" in response.json()["detail"]


@pytest.mark.shared
def test_each_missing_data_set_is_named(
    client: TestClient, research_data: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """ATOP alone: the disagreements are shown; the series asks for NMC only."""
    only_atop = tmp_path / "data"
    shutil.copytree(research_data / "imports" / "atop", only_atop / "imports" / "atop")
    monkeypatch.setenv("ALLIES_DATA_DIR", str(only_atop))
    series = client.get("/research/network.json").json()
    assert series["imported"] is False and series["missing"] == ["nmc"]
    text = html(client, "/research/network")
    assert "allies data fetch nmc" in text and "allies data fetch atop" not in text
    assert client.get("/research/disagreements.json").json()["imported"] is True


def test_the_pages_are_linked_from_the_about_page(client: TestClient) -> None:
    text = html(client, "/about")
    assert all(f'href="{url}"' in text for url in PAGES)


# -- with ATOP, COW states and NMC imported --------------------------------------------------------
@pytest.mark.shared
def test_disagreements_page_explains_signature_versus_accession(client: TestClient, imported: Path) -> None:
    data = client.get("/research/disagreements.json").json()
    assert data["imported"] is True and data["count"] == sum(data["counts"].values()) > 100
    nato = group(data, "nato")
    assert nato["atopids"] == [3180]
    poland = row(nato["rows"], kind="start_date", state="POL")
    assert poland["registry"]["date"] == {"date": "1999-03-12", "precision": "day"}
    assert poland["registry"]["kind"] == "joined" and poland["registry"]["sources"]
    assert poland["atop"] == {
        "text": "1997-12-16",
        "atopid": 3180,
        "member": {"cow": 290, "name": "Poland"},
        "date": {"date": "1997-12-16", "precision": "day"},
        "in_force_2018": False,
    }
    assert poland["explanation"].startswith("ATOP dates signature (1997-12-16, codebook §2.32)")
    new_zealand = row(group(data, "anzus")["rows"], kind="end_date", state="NZL")
    assert "suspended" in new_zealand["registry"]["text"]
    assert new_zealand["atop"]["date"]["date"] == "1986-09-17"
    japan = row(group(data, "us-japan")["rows"], kind="obligations", state="JPN")
    assert "asymmetrically" in japan["explanation"]
    unmatched = group(data, None)
    assert {r["kind"] for r in unmatched["rows"]} == {"alliance_missing_in_registry"}
    assert 2550 in unmatched["atopids"]  # the 1942 Declaration by United Nations

    text = html(client, "/research/disagreements")
    check_page(text, "/research/disagreements")
    section = text[text.index('id="arr-nato"') : text.index("</section>", text.index('id="arr-nato"'))]
    assert "<caption" in section and "Poland" in section
    assert '<time datetime="1999-03-12">12 March 1999</time>' in section
    assert '<time datetime="1997-12-16">16 December 1997</time>' in section
    assert "Alliance 3180, member COW 290" in section
    cited = {c["source"] for c in poland["registry"]["sources"]}
    assert all(f'id="src-{s}"' in text for s in cited), "the registry's sources are in the bibliography"
    assert 'id="data-atop"' in text and "Leeds, Brett Ashley" in text, "ATOP is cited"


@pytest.mark.shared
def _registry_2018(kb: KnowledgeBase) -> tuple[int, int]:
    """Treaty allies and all allies on the last day of 2018, as the registry counts them."""
    network = kb.allies(dt.date(2018, 12, 31))
    return sum(r.tier == "treaty_ally" for r in network), len(network)


def test_network_page_shows_the_series(client: TestClient, imported: Path, kb: KnowledgeBase) -> None:
    data = client.get("/research/network.json").json()
    assert data["imported"] is True and data["missing"] == []
    years = {r["year"]: r for r in data["rows"]}
    assert sorted(years) == list(range(1946, TODAY.year + 1))
    y2018 = years[2018]
    # 66 registry allies at the end of 2018 include Iraq, a partner through the Strategic Framework Agreement.
    assert y2018["us_treaty_ally"] == 50 and y2018["us_allies"] == 66
    assert (y2018["us_treaty_ally"], y2018["us_allies"]) == _registry_2018(kb)
    for bloc in ("us", "china", "russia"):
        assert 0 < y2018[f"{bloc}_bloc_cinc"] < 1
    assert y2018["us_bloc_cinc"] > y2018["china_bloc_cinc"] > y2018["russia_bloc_cinc"]
    # Unknown is not absent: NMC ends in 2022; the blocs run on after 2018 with the continuation.
    assert years[2019]["china_bloc_cinc"] > 0 and years[2019]["us_bloc_cinc"] is not None
    assert years[2023]["russia_bloc_members"] >= years[2019]["russia_bloc_members"]
    assert years[2023]["russia_bloc_cinc"] is None
    assert years[2023]["us_bloc_cinc"] is None and years[2023]["us_treaty_ally"] > 0
    assert {d["name"] for d in data["datasets"]} == {"atop", "nmc"}

    text = html(client, "/research/network")
    check_page(text, "/research/network")
    assert '<img src="/research/network.svg"' in text
    assert '<caption id="series-caption">' in text
    cells = table_row(text, 2018)
    assert f">{y2018['us_treaty_ally']}</td>" in cells and f">{y2018['us_bloc_cinc']:.3f}</td>" in cells
    assert "no data" in table_row(text, 2023) and ">0</td>" not in table_row(text, 2023)
    assert "the allies continuation" in text
    assert "Correlates of War Project. 2024. National Material Capabilities Data" in text


@pytest.mark.shared
def test_plot_and_csv_downloads(client: TestClient, imported: Path, kb: KnowledgeBase) -> None:
    svg = client.get("/research/network.svg")
    assert svg.status_code == 200 and svg.headers["content-type"] == "image/svg+xml"
    assert "<style" not in svg.text and "style=" not in svg.text, "nothing the CSP would block"
    root = ET.fromstring(svg.text)
    assert root.tag == "{http://www.w3.org/2000/svg}svg" and root.get("stroke-linejoin") == "round"
    table = client.get("/research/network.csv")
    assert table.headers["content-type"] == "text/csv; charset=utf-8"
    rows = list(csv.DictReader(io.StringIO(table.text)))
    assert len(rows) == TODAY.year - 1946 + 1
    by_year = {r["year"]: r for r in rows}
    assert int(by_year["2018"]["us_treaty_ally"]) == _registry_2018(kb)[0]
    assert by_year["2023"]["china_bloc_cinc"] == ""


@pytest.mark.shared
def test_the_series_is_computed_once(app: FastAPI, client: TestClient, imported: Path) -> None:
    client.get("/research/network.svg")
    site = app.state.site
    key = research.versions(SERIES_DATA)
    assert all(version for _, version in key), "the key names the imported versions"
    assert site.research.series(key, TODAY) is site.research.series(key, TODAY)
    start = time.perf_counter()
    for suffix in ("", ".json", ".svg", ".csv"):
        assert client.get(f"/research/network{suffix}").status_code == 200
    assert time.perf_counter() - start < 1.0, "cached: no recomputation, no new plot"


# -- the SVG and start-up --------------------------------------------------------------------------
def test_styles_become_presentation_attributes() -> None:
    svg = (
        '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink">'
        "<metadata>made by</metadata>"
        '<defs><style type="text/css">*{stroke-linejoin: round; stroke-linecap: butt}</style></defs>'
        '<path d="M 0 0" style="fill: none; stroke: #1f4e79; stroke-width: 1.8"/>'
        '<use xlink:href="#m1" x="1" style="stroke: #000000"/></svg>'
    )
    clean = without_styles(svg)
    assert "style" not in clean and "metadata" not in clean
    root = ET.fromstring(clean)
    assert root.get("stroke-linejoin") == "round" and root.get("stroke-linecap") == "butt"
    path = root.find("{http://www.w3.org/2000/svg}path")
    assert path is not None and path.attrib == {
        "d": "M 0 0",
        "fill": "none",
        "stroke": "#1f4e79",
        "stroke-width": "1.8",
    }
    assert 'xlink:href="#m1"' in clean
    with pytest.raises(ValueError, match="mix-blend-mode"):
        without_styles('<svg xmlns="http://www.w3.org/2000/svg"><g style="mix-blend-mode: multiply"/></svg>')


def test_start_up_imports_neither_polars_nor_matplotlib(tmp_path: Path) -> None:
    code = (
        "import sys\n"
        "from allies.web.app import create_app\n"
        "from allies.web.settings import Settings\n"
        f"create_app(Settings(database_url='sqlite:///{tmp_path / 'a.db'}', secret='s' * 64))\n"
        "print(sorted(m for m in ('polars', 'matplotlib', 'networkx') if m in sys.modules))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip().splitlines()[-1] == "[]"
