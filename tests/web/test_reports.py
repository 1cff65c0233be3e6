"""The yearly report: the 2023 picture, every sentence cited, Markdown, HTML and the CLI."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from allies.cli.app import app as cli
from allies.kb import KnowledgeBase
from allies.web import reports
from tests.web.conftest import TODAY


@pytest.fixture(scope="module")
def report_2023(kb: KnowledgeBase) -> dict[str, Any]:
    return reports.report(kb, 2023, TODAY)


def sentences(context: dict[str, Any]) -> list[dict[str, Any]]:
    found = [*context["summary"], *context["tier_changes"], *context["events"]]
    for tier in context["tiers"]:
        found.append(tier["summary"])
        found += [s for region in tier["regions"] for s in region["states"]]
    found += [s for group in context["changes"] for s in group["entries"]]
    return found


def test_the_2023_picture_is_60_plus_states(report_2023: dict[str, Any], kb: KnowledgeBase) -> None:
    assert report_2023["as_of"] == "2023-12-31" and report_2023["complete"]
    assert report_2023["total"] == len(kb.allies(dt.date(2023, 12, 31))) >= 60
    assert report_2023["title"] == "United States allies and partners in 2023"
    listed = {s["id"] for t in report_2023["tiers"] for r in t["regions"] for s in r["states"]}
    assert len(listed) == report_2023["total"]


def test_2023_changes_and_events(report_2023: dict[str, Any]) -> None:
    accessions = next(g for g in report_2023["changes"] if g["key"] == "accessions")
    assert any(e["state"] == "FIN" and e["arrangement"] == "nato" for e in accessions["entries"])
    assert any(t["id"] == "FIN" and t["after"] == "treaty_ally" for t in report_2023["tier_changes"])
    events = " ".join(e["text"] for e in report_2023["events"])
    assert "Washington Declaration" in events and "Camp David" in events
    assert "Finland" in events


def test_every_sentence_has_a_citation(report_2023: dict[str, Any]) -> None:
    cited = {s["id"] for s in report_2023["sources"]}
    for sentence in sentences(report_2023):
        assert sentence["sources"], sentence["text"]
        assert {c["source"] for c in sentence["sources"]} <= cited


def test_markdown(report_2023: dict[str, Any]) -> None:
    text = reports.markdown(report_2023)
    assert text.startswith("# United States allies and partners in 2023\n")
    for needle in ("## At the end of 2023", "Finland", "Washington Declaration", "Camp David", "## Sources"):
        assert needle in text
    body = text.split("## Sources")[0]
    for line in body.splitlines():
        if line.startswith("- "):
            assert line.rstrip().endswith("]"), f"uncited: {line}"


def test_html_is_standalone(report_2023: dict[str, Any]) -> None:
    text = reports.html(report_2023)
    assert (
        text.startswith("<!doctype html>")
        and "<style>" in text
        and "/static/" not in text.split("</head>")[0]
    )
    assert "Camp David" in text and 'id="src-' in text


def test_a_year_in_progress_and_out_of_range(kb: KnowledgeBase) -> None:
    partial = reports.report(kb, 2025, dt.date(2025, 6, 30))
    assert partial["as_of"] == "2025-06-30" and not partial["complete"]
    with pytest.raises(ValueError, match="reports cover"):
        reports.report(kb, 1900, TODAY)


def test_the_report_page(client: TestClient) -> None:
    page = client.get("/reports/2023")
    assert page.status_code == 200 and "United States allies and partners in 2023" in page.text
    assert client.get("/reports/2023.md").text.startswith("# United States allies and partners in 2023")
    assert client.get("/reports/2023.json").json()["year"] == 2023
    assert client.get(f"/reports/{TODAY.year + 1}").status_code == 404


def test_cli_report(tmp_path: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(cli, ["report", "2023", "--format", "md"])
    assert result.exit_code == 0, result.output
    assert "# United States allies and partners in 2023" in result.stdout
    out = tmp_path / "r.html"
    result = runner.invoke(cli, ["report", "2023", "--format", "html", "-o", str(out)])
    assert result.exit_code == 0 and out.read_text(encoding="utf-8").startswith("<!doctype html>")
