"""The yearly report: the 2023 picture and its themes, every sentence cited and well formed in every
year, Markdown, HTML and the CLI."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from allies import reports
from allies.cli.app import app as cli
from allies.kb import KnowledgeBase
from allies.web.research import Research, balance
from allies.web.templating import report_html
from tests.web.conftest import TODAY


@pytest.fixture(scope="module")
def report_2023(kb: KnowledgeBase) -> dict[str, Any]:
    return reports.report(kb, 2023, TODAY)


def sentences(context: dict[str, Any]) -> list[dict[str, Any]]:
    found = [*context["summary"], *context["designations"], *context["tier_changes"]]
    for tier in context["tiers"]:
        found.append(tier["summary"])
        found += [s for region in tier["regions"] for s in region["states"]]
    found += [s for theme in context["themes"] for s in theme["sentences"]]
    return found


def theme(context: dict[str, Any], key: str) -> str:
    found = next((t for t in context["themes"] if t["id"] == key), None)
    assert found is not None, f"no {key} section in {[t['id'] for t in context['themes']]}"
    return " ".join(s["text"] for s in found["sentences"])


def test_the_2023_picture_is_60_plus_states(report_2023: dict[str, Any], kb: KnowledgeBase) -> None:
    assert report_2023["as_of"] == "2023-12-31" and report_2023["complete"]
    assert report_2023["total"] == len(kb.allies(dt.date(2023, 12, 31))) >= 60
    assert report_2023["title"] == "United States allies and partners in 2023"
    listed = {s["id"] for t in report_2023["tiers"] for r in t["regions"] for s in r["states"]}
    assert len(listed) == report_2023["total"]


def test_counts_say_highest_tier_and_how_many_hold_each_status(report_2023: dict[str, Any]) -> None:
    assert "by highest tier" in report_2023["summary"][0]["text"]
    held, highest = report_2023["held"], report_2023["counts"]
    assert held["mnna"] > highest["mnna"]  # Japan, Australia… hold MNNA status below their treaty tier
    mnna = next(s for s in report_2023["designations"] if s["tier"] == "mnna")
    assert mnna["count"] == held["mnna"] and "Japan" in mnna["text"] and "Israel" in mnna["text"]


def test_2023_covers_each_theme_with_sources(report_2023: dict[str, Any]) -> None:
    nato = theme(report_2023, "nato")
    assert "Finland joined the North Atlantic Treaty" in nato
    assert "Sweden had signed" in nato and "not yet a member at the end of 2023" in nato
    assert "Washington Declaration" in theme(report_2023, "nuclear")
    indo = theme(report_2023, "indo-pacific")
    assert "Camp David" in indo and "AUKUS" in indo and "EDCA" in indo
    mnna = next(t for t in report_2023["themes"] if t["id"] == "mnna")
    assert mnna["benefits"] and all(b["sources"] for b in mnna["benefits"])
    partners = theme(report_2023, "partners")
    assert "Israel had no defence treaty" in partners and "India had no defence treaty" in partners
    assert report_2023["balance"]["text"]


def test_every_event_and_fact_of_the_year_appears_once(
    report_2023: dict[str, Any], kb: KnowledgeBase
) -> None:
    texts = [s["text"] for s in sentences(report_2023)]
    assert len(texts) == len(set(texts)), "a sentence is repeated"
    body = " ".join(texts)
    events = {e.id: e for e in kb.events}
    found = kb.changes(dt.date(2022, 12, 31), dt.date(2023, 12, 31))
    for entry in found.entries:
        if entry.event is not None:  # an event that only repeats a dated fact is merged into it
            assert body.count(events[entry.event].title.rstrip(".")) == 1, entry.event


def test_the_balance_uses_the_capability_data_where_they_cover_the_year(
    kb: KnowledgeBase, imported: Path
) -> None:
    research = Research(kb)
    covered = reports.report(kb, 2016, TODAY, balance(research, 2016, TODAY))["balance"]
    assert covered["available"] and re.search(r"treaty allies held \d+\.\d% of the world", covered["text"])
    assert "China and its" in covered["text"] and "Russia and its" in covered["text"]
    beyond = reports.report(kb, 2024, TODAY, balance(research, 2024, TODAY))["balance"]
    assert "do not cover 2024" in beyond["text"]


# What a generated sentence must never look like: a lower-case start, no full stop, doubled words
# or spaces, a singular count with a plural noun, "a" before a vowel, leftovers of templates.
BAD = [
    (re.compile(r"^[a-z]"), "starts in lower case"),
    (re.compile(r"[^.)\]\"']$"), "does not end a sentence"),
    (re.compile(r"\s{2,}|\s[,.;]"), "stray spaces"),
    (re.compile(r"\b(\w+) \1\b"), "a doubled word"),
    (re.compile(r"(?<![\d.,])\b1 (states|allies|partners|treaty allies|members)\b"), "1 with a plural"),
    (
        re.compile(r"\b(?<!\d)(?:[02-9]|\d{2,}) (state|ally|partner|treaty ally|member)\b(?! of)"),
        "a plural count, singular noun",
    ),
    (re.compile(r"\ba [AEIOU]"), "'a' before a vowel"),
    (re.compile(r"None|\{|\}|\bnan\b|_"), "a template leftover"),
    (re.compile(r"\bthe the\b|\bThe The\b", re.I), "'the the'"),
]


def test_every_year_reads_well(kb: KnowledgeBase) -> None:
    for year in reports.years(TODAY):
        context = reports.report(kb, year, TODAY)
        texts = [s["text"] for s in sentences(context)] + [context["balance"]["text"]]
        assert len(texts) == len(set(texts)), f"{year}: a sentence is repeated"
        for text in texts:
            for pattern, what in BAD:
                assert not pattern.search(text), f"{year}: {what}: {text!r}"


def test_every_sentence_has_a_citation(report_2023: dict[str, Any]) -> None:
    cited = {s["id"] for s in report_2023["sources"]}
    for sentence in sentences(report_2023):
        assert sentence["sources"], sentence["text"]
        assert {c["source"] for c in sentence["sources"]} <= cited


def test_markdown(report_2023: dict[str, Any]) -> None:
    text = reports.markdown(report_2023)
    assert text.startswith("# United States allies and partners in 2023\n")
    for needle in (
        "## At the end of 2023",
        "Finland",
        "Washington Declaration",
        "Camp David",
        "## Sources",
        "## The capability balance",
        "| Benefit | Legal basis |",
    ):
        assert needle in text
    body = text.split("## Sources")[0]
    for line in body.splitlines():
        if line.startswith("- "):
            assert line.rstrip().endswith("]"), f"uncited: {line}"


def test_html_is_standalone(report_2023: dict[str, Any]) -> None:
    text = report_html(report_2023)
    assert (
        text.startswith("<!doctype html>")
        and "<style>" in text
        and "/static/" not in text.split("</head>")[0]
    )
    assert "Camp David" in text and 'id="src-' in text
    assert ".csv" not in text, "no link to the site's downloads in a file read on its own"


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


def test_cli_json_is_the_pages_json_twin(client: TestClient) -> None:
    result = CliRunner().invoke(cli, ["report", "2023", "--format", "json"])
    assert result.exit_code == 0, result.output
    printed, served = json.loads(result.stdout), client.get("/reports/2023.json").json()
    # The capability balance depends on the data sets each has imported; the rest is the same answer.
    assert printed.pop("balance")["text"] and served.pop("balance")["text"]
    assert printed == served
