"""The one citation system: works as data, rendered as BibTeX, CSL-JSON and text."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from allies import citation
from allies.citation import CitationError, Name, Work
from allies.cli.app import app
from allies.kb import KnowledgeBase
from allies.research.sources import CITATIONS, SOURCES
from allies.version import __version__

ROOT = Path(__file__).resolve().parents[1]


def fields(entry: str) -> dict[str, str]:
    """A rendered BibTeX entry's fields (the outer braces taken off)."""
    found = {}
    for line in entry.splitlines()[1:-1]:
        name, _, value = line.strip().rstrip(",").partition(" = ")
        found[name.strip()] = value[1:-1] if value.startswith("{") else value
    return found


def test_the_citation_file_for_github_agrees_with_the_data_file() -> None:
    cff = yaml.safe_load((ROOT / "CITATION.cff").read_text(encoding="utf-8"))
    own = citation.registry()
    assert cff["title"] == own.title
    assert [a["name"] for a in cff["authors"]] == [n.literal for n in own.authors]
    assert cff["version"] == own.version == __version__
    assert str(cff["date-released"]) == own.issued
    assert cff["license"] == own.licence
    assert cff["url"] == own.url
    assert cff["type"] == own.type == "dataset"


def test_the_license_file_is_the_licence_the_citation_names() -> None:
    own = citation.registry()
    assert (ROOT / "LICENSE").read_text(encoding="utf-8").startswith(f"{own.licence} License")
    assert f'license = "{own.licence}"' in (ROOT / "pyproject.toml").read_text(encoding="utf-8")


def test_the_registry_reference_is_complete_in_both_formats() -> None:
    own = citation.for_data_version("abc123def456")
    bib = fields(citation.bibtex(own))
    assert bib["author"] == "{The allies developers}"
    assert bib["title"] == "{" + own.title + "}"
    assert bib["year"] == own.issued[:4] if own.issued else False
    assert bib["date"] == own.issued
    assert bib["version"] == __version__
    assert bib["url"] == own.url and bib["license"] == "MIT"
    assert "Data version abc123def456" in bib["note"]
    item = citation.csl(own)
    assert item["author"] == [{"literal": "The allies developers"}]
    assert item["type"] == "dataset" and item["version"] == __version__ and item["URL"] == own.url
    assert item["issued"] == {"date-parts": [[int(p) for p in (own.issued or "").split("-")]]}
    assert "abc123def456" in item["note"]
    assert citation.text(own).startswith(f"The allies developers. {own.issued[:4] if own.issued else ''}.")


def test_a_page_reference_has_its_address_and_the_day_it_was_read() -> None:
    page = citation.page(
        "Japan", "https://allies.example.org/countries/JPN", "abc123def456", dt.date(2025, 12, 31)
    )
    bib = fields(citation.bibtex(page))
    assert citation.bibtex(page).startswith("@misc{allies-countries-jpn,")
    assert bib["url"] == "https://allies.example.org/countries/JPN" and bib["urldate"] == "2025-12-31"
    assert bib["booktitle"] == citation.registry().title and bib["author"] == "{The allies developers}"
    item = citation.csl(page)
    assert item["type"] == "webpage" and item["accessed"] == {"date-parts": [[2025, 12, 31]]}
    assert item["container-title"] == citation.registry().title


def test_bibtex_escapes_latex_and_keeps_corporate_authors_whole() -> None:
    work = Work(
        key="k",
        type="report",
        title="AT&T's 100% {odd} title_1",
        authors=(Name(literal="Smith & Sons"), Name(family="Doe", given="Jane")),
        publisher="Smith & Sons",
        url="https://example.org/a{b}",
    )
    bib = fields(citation.bibtex(work))
    assert bib["title"] == r"{AT\&T's 100\% \{odd\} title\_1}"
    assert bib["author"] == r"{Smith \& Sons} and Doe, Jane"
    assert bib["institution"] == r"Smith \& Sons"
    assert bib["url"] == "https://example.org/a%7Bb%7D"


def test_the_research_citations_are_data_and_render_as_before() -> None:
    cited = {w.key for spec in SOURCES.values() for w in spec.citations}
    assert cited <= set(CITATIONS)
    atop = citation.bibtex(CITATIONS["leeds2002atop"])
    assert atop.startswith("@article{leeds2002atop,")
    assert fields(atop)["author"] == (
        "Leeds, Brett Ashley and Ritter, Jeffrey M. and Mitchell, Sara McLaughlin and Long, Andrew G."
    )
    assert fields(atop)["pages"] == "237--260" and fields(atop)["doi"] == "10.1080/03050620213653"
    chapter = CITATIONS["singer1972capability"]
    assert citation.bibtex(chapter).startswith("@incollection{")
    assert citation.text(chapter) == (
        'Singer, J. David, Stuart Bremer and John Stuckey. 1972. "Capability Distribution, Uncertainty, and'
        ' Major Power War, 1820-1965." In Peace, War, and Numbers, edited by Bruce Russett, 19–48.'
        " Beverly Hills: Sage."
    )
    assert citation.csl(chapter)["editor"] == [{"family": "Russett", "given": "Bruce"}]


def test_a_broken_citation_file_names_the_file_and_the_entry(tmp_path: Path) -> None:
    path = tmp_path / "citations.json"
    path.write_text(json.dumps([{"key": "x1", "type": "poem", "title": "T"}]))
    with pytest.raises(CitationError, match=r"citations.json: x1: type must be one of"):
        citation.read(path)
    path.write_text(json.dumps([{"key": "x2", "type": "book", "title": "T", "isbn": "1"}]))
    with pytest.raises(CitationError, match=r"x2: unknown field\(s\) isbn"):
        citation.read(path)


def test_every_source_of_the_registry_renders_in_both_formats(kb: KnowledgeBase) -> None:
    works = [citation.from_source(s) for s in kb.sources.values()]
    keys = re.findall(r"^@\w+\{([^,]+),$", citation.bibliography(works), flags=re.MULTILINE)
    assert sorted(keys) == sorted(kb.sources)
    items = json.loads(citation.csl_json(works))
    assert {i["id"] for i in items} == set(kb.sources)
    assert all(i["URL"].startswith("http") and "accessed" in i and i["author"] for i in items)
    dated = [s for s in kb.sources.values() if s.published is not None]
    assert dated and all(
        citation.csl(citation.from_source(s))["issued"]["date-parts"][0][0] == s.published.first.year
        for s in dated
        if s.published is not None
    )


def test_allies_cite_prints_the_registry_reference_in_each_format(kb: KnowledgeBase) -> None:
    runner = CliRunner()
    bib = runner.invoke(app, ["cite", "--registry"])
    assert bib.exit_code == 0 and bib.stdout.startswith("@misc{allies,")
    assert fields(bib.stdout.strip())["version"] == __version__
    assert f"Data version {kb.version}" in fields(bib.stdout.strip())["note"]
    items = json.loads(runner.invoke(app, ["cite", "--registry", "--format", "csl-json"]).stdout)
    assert [i["id"] for i in items] == ["allies"] and items[0]["version"] == __version__
    text = runner.invoke(app, ["cite", "--registry", "--format", "text"]).stdout
    assert text.startswith("The allies developers. 2026. allies:") and kb.version in text
    panel = runner.invoke(app, ["cite", "--add", "atop", "--format", "text"]).stdout
    assert "Leeds, Brett Ashley, Jeffrey M. Ritter" in panel and "The allies developers" in panel
