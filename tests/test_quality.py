"""Source quality: forbidden hosts fail ``allies check``; the figures are reported and pinned."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from typer.testing import CliRunner

from allies.cli.app import app
from allies.continuation import CONTINUATION_DIR
from allies.loader import read
from allies.quality import read_policy, review
from tests.test_loader import ARRANGEMENT, SOURCES, STATES, write

runner = CliRunner()

TWO_SOURCES = (
    SOURCES
    + """\
- id: wire
  producer: A state wire service
  title: A report
  url: https://www.tass.com/politics/1
  kind: press
  accessed: 2026-11-30
"""
)


NORWAY_JOINS = "date: 1950, sources: [{source: ex-source"


def data(tmp_path: Path, sources: str = TWO_SOURCES, arrangement: str = ARRANGEMENT) -> Path:
    return write(
        tmp_path, {"states.csv": STATES, "sources/ex.yaml": sources, "arrangements/pact.yaml": arrangement}
    )


def test_a_source_on_a_forbidden_host_fails_with_file_line_and_field(tmp_path: Path) -> None:
    root = data(tmp_path, TWO_SOURCES.replace("https://example.org/source", "https://www.govbase.com/fr/1"))
    result = runner.invoke(app, ["check", "--data-dir", str(root)])
    assert result.exit_code == 1
    message = "sources/ex.yaml:4: [0].url: www.govbase.com may never be cited (AI-written summaries)"
    assert message in result.stderr
    as_json = runner.invoke(app, ["check", "--data-dir", str(root), "--json"])
    assert as_json.exit_code == 1
    problems = json.loads(as_json.stdout)["problems"]
    assert [(p["file"], p["line"], p["field"]) for p in problems] == [("sources/ex.yaml", 4, "[0].url")]


def test_a_continuation_source_on_a_forbidden_host_fails(tmp_path: Path) -> None:
    root = tmp_path / "cont"
    shutil.copytree(CONTINUATION_DIR, root)
    sources = root / "sources.yaml"
    first_url = next(line for line in sources.read_text(encoding="utf-8").splitlines() if "url:" in line)
    sources.write_text(
        sources.read_text(encoding="utf-8").replace(first_url, "  url: https://defence.pk/threads/1", 1),
        encoding="utf-8",
    )
    result = runner.invoke(app, ["check", "--continuation-dir", str(root)])
    assert result.exit_code == 1
    assert "cont/sources.yaml:" in result.stderr and "defence.pk may never be cited (forum)" in result.stderr


def test_subdomains_are_forbidden_but_lookalike_hosts_are_not(tmp_path: Path) -> None:
    policy = read_policy()
    blog = data(tmp_path / "a", TWO_SOURCES.replace("example.org", "someone.blogspot.com"))
    assert [p.field for p in review(read(blog), policy).problems] == ["[0].url"]
    lookalike = data(tmp_path / "b", TWO_SOURCES.replace("example.org", "notblogspot.com"))
    assert review(read(lookalike), policy).problems == []


def test_a_fact_resting_only_on_a_state_outlet_is_a_warning(tmp_path: Path) -> None:
    arrangement = ARRANGEMENT.replace(NORWAY_JOINS, NORWAY_JOINS.replace("ex-source", "wire"))
    root = data(tmp_path, arrangement=arrangement)
    result = runner.invoke(app, ["check", "--data-dir", str(root)])
    assert result.exit_code == 0
    assert (
        "warning: arrangements/pact.yaml:17: participants[1].spells[0].start.sources: "
        "rests only on state-controlled outlets (TASS (Russia))"
    ) in result.stderr


def test_the_figures_count_primary_sources_and_claims_citing_one(tmp_path: Path) -> None:
    arrangement = ARRANGEMENT.replace(NORWAY_JOINS, NORWAY_JOINS.replace("ex-source", "wire"))
    root = data(tmp_path, arrangement=arrangement)
    result = runner.invoke(app, ["check", "--data-dir", str(root), "--json"])
    quality = json.loads(result.stdout)["source_quality"]
    files = {f["file"]: f for f in quality["files"]}
    assert files["sources/ex.yaml"]["sources"] == 2 and files["sources/ex.yaml"]["primary"] == 1
    pact = files["arrangements/pact.yaml"]
    # in force, the US's start, Norway's start (the wire only) and end
    assert (pact["claims"], pact["claims_citing_primary"]) == (4, 3)
    assert quality["total"]["primary_share"] == 0.5
    assert quality["total"]["claims_citing_primary_share"] == 0.75
    assert runner.invoke(app, ["check", "--data-dir", str(tmp_path)]).exit_code == 0


def test_the_real_data_pass_and_report_their_figures() -> None:
    result = runner.invoke(app, ["check", "--json"])
    assert result.exit_code == 0, result.output
    quality = json.loads(result.stdout)["source_quality"]
    files = {f["file"]: f for f in quality["files"]}
    assert files["sources/nato.yaml"]["primary"] > 0 and files["arrangements/nato.yaml"]["claims"] > 0
    total = quality["total"]
    assert total["sources"] == sum(f["sources"] for f in quality["files"])
    # Floors under the figures of 2026-12-01 (208 of 339 sources primary, 410 of 477 preferred dated
    # claims citing one), so that new data cannot lower them unnoticed; the aims are 60% and 85%.
    assert total["primary_share"] >= 0.61
    assert total["claims_citing_primary_share"] >= 0.85
    text = runner.invoke(app, ["check"])
    assert "preferred dated claims citing a primary source" in text.stdout


def test_no_source_of_the_real_data_is_left_uncited() -> None:
    warnings = review(read(), read_policy()).warnings
    assert [str(w) for w in warnings if "never cited" in w.message] == []
