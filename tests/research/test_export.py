"""Exports: CSV, Parquet and Stata 118 with labels, each with its provenance sidecar."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import polars as pl
import pytest

from allies.kb import KnowledgeBase
from allies.research import dyad_years, state_years
from allies.research.export import ExportError

pytestmark = pytest.mark.shared


@pytest.mark.parametrize("suffix", [".csv", ".parquet", ".dta"])
def test_formats_round_trip(store: Path, tmp_path: Path, suffix: str) -> None:
    panel = dyad_years("cow", directed=False, start=2017, end=2019, extend_states=True).add_atop()
    path = panel.write(tmp_path / f"panel{suffix}")
    if suffix == ".csv":
        back = pl.read_csv(path)
    elif suffix == ".parquet":
        back = pl.read_parquet(path)
    else:
        import pandas as pd

        back = pl.from_pandas(pd.read_stata(path))
    assert back.height == panel.height
    assert back.columns == panel.frame.columns
    defense = back.filter(pl.col("year") == 2019)["atop_defense"]
    assert defense.null_count() == defense.len()  # missing stays missing in every format


def test_stata_has_variable_labels(store: Path, tmp_path: Path, kb: KnowledgeBase) -> None:
    import pandas as pd

    panel = (
        state_years("cow", 2015, 2016)
        .add_atop()
        .add_capabilities()
        .add_majors()
        .add_us(kb=kb, as_of=dt.date(2025, 1, 1))
    )
    path = panel.write(tmp_path / "states.dta")
    with pd.io.stata.StataReader(path) as reader:
        labels = reader.variable_labels()
        assert reader.data_label.startswith("COW state-year panel 2015")
    assert labels["atop_defense"].startswith("ATOP: defense obligation")
    assert labels["nmc_cinc"] == "NMC v7: Composite Index of National Capability"
    assert labels["us_tier"].startswith("Curated registry")
    assert path.read_bytes()[:1] == b"<"  # format 117+ header; 118 per the writer call
    assert b"<release>118</release>" in path.read_bytes()[:200]


def test_provenance_sidecar(store: Path, tmp_path: Path, kb: KnowledgeBase) -> None:
    panel = (
        dyad_years("cow", directed=True, start=2015, end=2020, extend_states=True)
        .add_atop()
        .add_us(kb=kb, as_of=dt.date(2025, 1, 1))
    )
    path = panel.write(tmp_path / "panel.parquet", argv=["allies", "panel", "dyad-years"])
    record = json.loads((tmp_path / "panel.parquet.provenance.json").read_text())
    assert record["call"] == (
        "dyad_years(system='cow', directed=True, start=2015, end=2020, extend_states=True)"
        " |> add_atop() |> add_us(as_of='2025-01-01')"
    )
    assert record["argv"] == ["allies", "panel", "dyad-years"]
    assert record["registry_data_version"] == kb.version
    assert record["code"]["allies"]
    inputs = {i["name"]: i for i in record["inputs"]}
    assert set(inputs) == {"atop", "cow-states"}
    assert inputs["atop"]["version"] == "5.1" and inputs["atop"]["verified_release"]
    member = next(f for f in inputs["atop"]["files"] if f["name"] == "atop5_1m.csv")
    assert member["sha256"] == "b13b70c7b07e8316b70a7d64b084780510d934edc9785f46496dfabfdc8a440b"
    assert member["status"] == "producer"
    assert record["what"]["extended_states_to"] == "2020-12-31"
    assert any("carried forward" in note for note in record["notes"])
    assert any("missing (not 0)" in note for note in record["notes"])
    keys = {c["key"] for c in record["citations"]}
    assert {"leeds2002atop", "cow2017states", "allies"} <= keys
    assert all(c["bibtex"].startswith("@") for c in record["citations"])
    assert path.exists()


def test_unknown_extension_says_which_to_use(store: Path, tmp_path: Path) -> None:
    panel = state_years("cow", 2000, 2000)
    with pytest.raises(ExportError, match=r"\.csv, \.parquet, \.dta"):
        panel.write(tmp_path / "panel.xlsx")


def test_stata_labels_stay_apart_after_80_characters(store: Path, tmp_path: Path) -> None:
    import pandas as pd

    panel = dyad_years("cow", directed=True, start=1900, end=1900).add_capabilities()
    path = panel.write(tmp_path / "dyads.dta")
    with pd.io.stata.StataReader(path) as reader:
        labels = reader.variable_labels()
        back = reader.read()
    assert len(set(labels.values())) == len(labels)  # nmc_pec1 and nmc_pec2 no longer collide
    assert labels["nmc_pec1"].startswith("NMC v7, state 1: primary energy")
    assert "GBP to 1913" in labels["nmc_milex1"] and "US$ from 1914" in labels["nmc_milex1"]
    assert all(len(label) <= 80 for label in labels.values())
    uk = back[(back.ccode1 == 200) & (back.ccode2 == 2)]
    assert uk["nmc_milex1"].item() == pytest.approx(
        panel.frame.filter((pl.col("ccode1") == 200) & (pl.col("ccode2") == 2))["nmc_milex1"].item()
    )
